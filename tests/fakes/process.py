"""``python -m bot`` as a real process against the fake Bot API server, for the tests that go
over HTTP (end to end, kill and restart): its campaign file, environment, start, stop and kill."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.practice.standin import FakeTelegram
from bot.practice.standin_http import FakeBotApiServer
from bot.practice.updates import UpdateFactory

ROOT = Path(__file__).resolve().parents[2]
LEADER = 9001


def write_campaign_file(folder: Path, extra: str = "") -> Path:
    """A round that started three days ago (Seoul), photos any time apart, plus ``extra``."""
    today = datetime.now(ZoneInfo("Asia/Seoul")).date()
    path = folder / "campaign.toml"
    path.write_text(
        f"""
[campaign]
name = "우리동네 치안협력관"
station = "익산경찰서"

[[rounds]]
name = "3차"
start = {today - timedelta(days=3)}
days = 50

[standing_mission]
title = "우리동네 불안 요소 찾기"

[rules]
min_minutes_between_photos = 0
{extra}""",
        encoding="utf-8",
    )
    return path


def environment(folder: Path, api_url: str, token: str, campaign_extra: str = "") -> dict[str, str]:
    """What ``python -m bot`` needs to run from ``folder`` against the Bot API at ``api_url``."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        # This checkout's code, whatever copy of the bot is installed.
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": token,
        "BOT_API_URL": api_url,
        "DATABASE_PATH": str(folder / "bot.sqlite3"),
        "LEADER_IDS": str(LEADER),
        "CAMPAIGN_FILE": str(write_campaign_file(folder, campaign_extra)),
        "LOG_LEVEL": "INFO",
    }


class BotProcess:
    """The bot in a subprocess, pointed at ``server``; started, stopped and killed at will."""

    def __init__(self, server: FakeBotApiServer, folder: Path, campaign_extra: str = "") -> None:
        self.database = folder / "bot.sqlite3"
        self.env = environment(folder, server.url, server.token, campaign_extra)
        self.folder = folder
        self.server = server
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "bot.log"
        self.kills = 0
        self.starts = 0

    def start(self) -> None:
        since = self.server.mark()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.folder,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.server.wait_for("deleteWebhook", timeout=30, since=since)
        # Polling has begun once PTB says so; a signal before that (in PTB's bootstrap) is not
        # what these tests are about.
        deadline = time.monotonic() + 30
        while self._started() < self.starts + 1:
            assert time.monotonic() < deadline, "the bot did not start"
            time.sleep(0.05)
        self.starts += 1

    def _started(self) -> int:
        return self.log.read_text(encoding="utf-8", errors="replace").count("Application started")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None
        self.kills += 1

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self.process = None
        return code

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Read the store as another process would (WAL lets readers in while the bot runs)."""
        connection = sqlite3.connect(self.database, timeout=10)
        try:
            return connection.execute(sql, args).fetchall()
        finally:
            connection.close()


@contextmanager
def running_bot(
    folder: Path, campaign_extra: str = ""
) -> Iterator[tuple[FakeBotApiServer, UpdateFactory, BotProcess]]:
    """The fake Bot API over HTTP, an update factory, and ``python -m bot`` started against it
    (stopped at the end if a test left it running)."""
    telegram = FakeTelegram()
    factory = UpdateFactory(telegram, now=datetime.now(UTC))
    with FakeBotApiServer(telegram) as server:
        bot = BotProcess(server, folder, campaign_extra)
        bot.start()
        try:
            yield server, factory, bot
        finally:
            if bot.process is not None:
                bot.stop()
