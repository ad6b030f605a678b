"""The console's web server: aiohttp in the bot's own event loop, started in ``post_init``.

Every ``api/`` request carries Telegram's signed ``initData`` (``Authorization: tma <initData>``)
and is checked on arrival: a genuine, fresh one from a leader, within that leader's rate.
No cookies: a stolen page holds nothing that works an hour later."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.console import actions, auth, camera, files, pages
from bot.console.state import OPENER, STATE, STATIC, ConsoleState, RateLimiter, refuse, state_of
from bot.context import CampaignApplication
from bot.notices.console_button import set_menu_button
from bot.settings import Console
from locales import LANGUAGES
from storage.database import StoreUnavailable

log = logging.getLogger(__name__)

FONTS = Path(__file__).parent.parent / "media" / "fonts"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def base_path(console: Console) -> str:
    """The path of CONSOLE_URL without its trailing slash ("" at the root)."""
    return urlsplit(console.url).path.rstrip("/")


def content_security_policy(console: Console) -> str:
    tiles = urlsplit(console.tile_url.replace("{s}", "a"))
    tile_host = tiles.netloc.replace("a.", "*.", 1) if "{s}" in console.tile_url else tiles.netloc
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self' https://telegram.org",
            "style-src 'self'",
            "font-src 'self'",
            f"img-src 'self' blob: data: {tiles.scheme}://{tile_host}",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org",
        ]
    )


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response (pages, files, errors): a strict CSP and no sniffing or referrers."""
    state = state_of(request)
    response.headers["Content-Security-Policy"] = content_security_policy(state.console)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if "/api/" in request.path or "/download/" in request.path:
        response.headers["Cache-Control"] = "no-store"
    elif "/fonts/" in request.path:
        response.headers["Cache-Control"] = "public, max-age=604800"


@web.middleware
async def answer_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A busy store is "try again shortly" (503); anything unexpected is logged, and the page
    gets a plain 500 without details."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except StoreUnavailable:
        return refuse(503, "store busy")
    except Exception:
        log.exception("console: %s %s failed", request.method, request.path)
        return refuse(500, "failed")


@web.middleware
async def leaders_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every api/ request: Telegram's initData, a leader's, within the leader's rate."""
    state = state_of(request)
    if not request.path.startswith(base_path(state.console) + "/api/"):
        return await handler(request)
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "tma":
        return refuse(401, "initData required")
    try:
        opener = auth.verify(
            raw.strip(), state.settings.bot_token, state.clock(), state.console.max_age
        )
    except auth.Refused as refused:
        return refuse(refused.status, refused.why)
    if opener.user_id not in state.settings.leader_ids:
        return refuse(403, "leaders only")
    if not state.limiter.allow(opener.user_id, time.monotonic()):
        return refuse(429, "too many requests")
    request[OPENER] = opener
    return await handler(request)


async def index(request: web.Request) -> web.StreamResponse:
    """The page itself holds no data: it asks the api/ with the initData Telegram gave it."""
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


async def refused_texts(request: web.Request) -> web.Response:
    """What a page without a leader's initData says (no data, the same for everyone)."""
    translator = state_of(request).services.translator
    assert translator is not None
    return web.json_response(
        {language: translator(language, "web-refused") for language in LANGUAGES}
    )


async def to_slash(request: web.Request) -> web.StreamResponse:
    raise web.HTTPPermanentRedirect(request.path + "/")


def make_app(state: ConsoleState) -> web.Application:
    app = web.Application(middlewares=[answer_errors, leaders_only], client_max_size=64_000)
    app[STATE] = state
    app.on_response_prepare.append(security_headers)
    base = base_path(state.console)
    if base:
        app.router.add_get(base, to_slash)
    app.router.add_get(base + "/", index)
    app.router.add_get(base + "/refused.json", refused_texts)
    app.router.add_static(base + "/static/", STATIC, follow_symlinks=False)
    # The bot's own Korean font (OFL), for devices without one; fetched only when needed.
    app.router.add_static(base + "/fonts/", FONTS, follow_symlinks=False)
    pages.routes(app, base + "/api")
    actions.routes(app, base + "/api")
    files.routes(app, base)
    camera.routes(app, base)
    return app


@dataclass
class RunningConsole:
    runner: web.AppRunner
    port: int  # the port bound (CONSOLE_LISTEN's, or the one the system chose for port 0)


async def start(application: CampaignApplication) -> RunningConsole | None:
    """Serve the console on CONSOLE_LISTEN and give each leader's chat the menu button."""
    settings = application.bot_data.settings
    if settings is None or settings.console is None:
        return None
    console = settings.console
    state = ConsoleState(application, settings, console, RateLimiter())
    runner = web.AppRunner(make_app(state), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, console.host, console.port)
    await site.start()
    port = console.port
    server: Any = site._server  # the bound socket, for port 0
    if server is not None and server.sockets:
        port = server.sockets[0].getsockname()[1]
    log.info("console listening on %s:%s for %s", console.host, port, console.url)
    for leader_id in sorted(settings.leader_ids):
        await set_menu_button(application, leader_id)
    return RunningConsole(runner, port)


async def stop(running: RunningConsole | None) -> None:
    if running is not None:
        await running.runner.cleanup()
