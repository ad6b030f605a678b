"""``python -m bot practice`` (and ``python -m bot`` without a token): the real bot, built by the
same ``build_application``, polling the Bot API stand-in on 127.0.0.1, with its own database
and campaign file in ``practice/``, and the practice page opened in a browser."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.app import build_application, run_polling
from bot.campaign.config import load_campaign
from bot.config_error import ConfigError
from bot.i18n import Translator
from bot.practice.page import PageServer, PortInUse
from bot.practice.standin_http import FakeBotApiServer
from bot.practice.world import (
    GROUP_ID,
    LEADER_ID,
    PRACTICE_TOKEN,
    PracticeWorld,
    write_campaign_file,
)
from bot.settings import DEFAULT_CONSOLE_MAX_AGE, DEFAULT_TILE_URL, Console, Settings
from locales import LANGUAGES

log = logging.getLogger(__name__)

DEFAULT_PORT = 8088
DEFAULT_FOLDER = Path("practice")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot practice")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="the practice page's port")
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="practice data")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    return parser.parse_args(argv)


def practice_settings(folder: Path, api_url: str, console_port: int, log_level: str) -> Settings:
    """The practice bot's settings: never the real database, campaign or token. The console is
    served on http://127.0.0.1 -- allowed here only; CONSOLE_URL from .env must be https://."""
    return Settings(
        bot_token=PRACTICE_TOKEN,
        bot_api_url=api_url,
        database_path=folder / "bot.sqlite3",
        leader_ids=frozenset({LEADER_ID}),
        group_chat_id=GROUP_ID,
        campaign_file=folder / "campaign.toml",
        log_level=log_level,
        console=Console(
            url=f"http://127.0.0.1:{console_port}/console/",
            host="127.0.0.1",
            port=console_port,
            max_age=DEFAULT_CONSOLE_MAX_AGE,
            tile_url=DEFAULT_TILE_URL,
        ),
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _open_browser(url: str) -> None:
    """Open the page where a browser exists; a server without one just prints the address."""
    with contextlib.suppress(Exception):
        webbrowser.open(url, new=2)


def _erase_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


class _Restart:
    """ "Start over" from the page: stop the running bot (from the page's thread), then the
    launcher erases the practice database and runs a fresh bot."""

    def __init__(self) -> None:
        self.wanted = False
        self.application: Any = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def attach(self, application: Any) -> None:
        with self._lock:
            self.application, self.loop = application, None

    def running(self, loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            self.loop = loop

    def __call__(self) -> None:
        with self._lock:
            self.wanted = True
            if self.loop is not None and self.application is not None:
                self.loop.call_soon_threadsafe(self.application.stop_running)


def run(
    folder: Path,
    port: int,
    *,
    open_browser: bool,
    log_level: str = "INFO",
    on_purpose: bool = True,
    out: Callable[[str], None] = print,
) -> int:
    translator = Translator()
    world = PracticeWorld(translator)
    restart = _Restart()
    try:
        page = PageServer(world, port, restart).start()
    except PortInUse:
        for language in LANGUAGES:
            out(translator(language, "practice-port-in-use", port=str(port)))
        return 2
    standin = FakeBotApiServer(world.telegram).start()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        settings = practice_settings(folder, standin.url, _free_port(), log_level)
        assert settings.console is not None
        world.allow_web_app(settings.console.url)
        if not settings.campaign_file.is_file():
            write_campaign_file(settings.campaign_file)
        campaign = load_campaign(settings.campaign_file)
        banner = "practice-banner-on-purpose" if on_purpose else "practice-banner"
        for language in LANGUAGES:
            out(translator(language, banner, url=page.url))
        if open_browser:
            _open_browser(page.url)
        while True:
            application = build_application(settings, campaign, translator=translator)
            restart.attach(application)
            application.post_init = _chain(application.post_init, restart)
            # PTB closes the loop it ran in; a restart gets a new one.
            asyncio.set_event_loop(asyncio.new_event_loop())
            run_polling(application)
            if not restart.wanted:
                return 0
            restart.wanted = False
            _erase_database(settings.database_path)
            standin.telegram = world.start_over()
            world.allow_web_app(settings.console.url)
    except ConfigError as error:
        out(f"configuration error: {error}")
        return 2
    finally:
        standin.stop()
        page.stop()


def _chain(post_init: Any, restart: _Restart) -> Callable[[Any], Any]:
    async def practice_post_init(application: Any) -> None:
        if post_init is not None:
            await post_init(application)
        restart.running(asyncio.get_running_loop())

    return practice_post_init


def main(argv: list[str], *, on_purpose: bool, log_level: str = "INFO") -> int:
    args = parse_args(argv)
    return run(
        args.folder,
        args.port,
        open_browser=not args.no_browser,
        log_level=log_level,
        on_purpose=on_purpose,
        out=lambda line: print(line, flush=True),
    )
