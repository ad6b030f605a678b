"""The practice page's server: aiohttp on 127.0.0.1 in a thread of its own, serving the page and
the small JSON API it acts through (what a person types, presses, uploads), plus the files the
bot sent. Everything it takes is checked as a Telegram app would before it reaches the stand-in."""

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.practice.standin import web_app_init_data
from bot.practice.world import Person, PracticeWorld
from locales import LANGUAGES

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
SAMPLES = STATIC / "photos"
FONTS = Path(__file__).parent.parent / "media" / "fonts"  # the bot's own Korean font (OFL)
# What Telegram's apps let a person send: text up to 4096 characters (longer texts are split
# by the app), captions up to 1024, photos up to 10 MB; files are much larger in Telegram, but
# a bot can fetch only 20 MB, so 50 MB here is room for the bot's own "too big" answer.
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_FILE_BYTES = 50 * 1024 * 1024
LONG_POLL_SECONDS = 20.0

WORLD: web.AppKey[PracticeWorld] = web.AppKey("world", PracticeWorld)


class PortInUse(Exception):
    """Another program (often another practice mode) listens on the page's port."""


def _refuse(key: str, status: int = 400) -> web.Response:
    return web.json_response({"error": key}, status=status)


def _world(request: web.Request) -> PracticeWorld:
    return request.app[WORLD]


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="JSON body expected") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="JSON object expected")
    return body


def _person(world: PracticeWorld, raw: Any) -> Person:
    try:
        return world.person(int(raw))
    except (KeyError, TypeError, ValueError):
        raise web.HTTPNotFound(text="no such person") from None


async def index(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


async def texts(request: web.Request) -> web.Response:
    """The page's words (practice-web-*), in every language."""
    world = _world(request)
    translator = world.translator
    keys = [key for key in translator.keys(world.language) if key.startswith("practice-web-")]
    return web.json_response(
        {language: {key: translator(language, key) for key in keys} for language in LANGUAGES}
    )


async def state(request: web.Request) -> web.Response:
    """Everything the page shows; with ``?version=`` it waits until something changed."""
    world = _world(request)
    seen = request.query.get("version", "")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LONG_POLL_SECONDS
    while seen and world.version() == seen and loop.time() < deadline:
        await asyncio.sleep(0.15)
    return web.json_response(world.state(), dumps=lambda o: json.dumps(o, ensure_ascii=False))


async def send_text(request: web.Request) -> web.Response:
    body = await _body(request)
    world = _world(request)
    person = _person(world, body.get("person"))
    text = str(body.get("text") or "")
    if not text.strip():
        return _refuse("practice-web-failed")
    if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
        return _refuse("practice-web-too-long")
    world.send_text(person, text, in_group=bool(body.get("group")))
    return web.json_response({"ok": True})


async def send_location(request: web.Request) -> web.Response:
    body = await _body(request)
    world = _world(request)
    person = _person(world, body.get("person"))
    try:
        latitude, longitude = float(body["latitude"]), float(body["longitude"])
    except (KeyError, TypeError, ValueError):
        return _refuse("practice-web-failed")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return _refuse("practice-web-failed")
    world.send_location(person, latitude, longitude)
    return web.json_response({"ok": True})


async def press(request: web.Request) -> web.Response:
    body = await _body(request)
    world = _world(request)
    person = _person(world, body.get("person"))
    try:
        chat_id, message_id = int(body["chat_id"]), int(body["message_id"])
    except (KeyError, TypeError, ValueError):
        return _refuse("practice-web-failed")
    if not world.press(person, chat_id, message_id, str(body.get("data") or "")):
        return _refuse("practice-web-failed", 404)
    return web.json_response({"ok": True})


async def join(request: web.Request) -> web.Response:
    body = await _body(request)
    world = _world(request)
    world.ask_to_join(_person(world, body.get("person")))
    return web.json_response({"ok": True})


async def add_person(request: web.Request) -> web.Response:
    person = _world(request).add_person()
    return web.json_response({"id": person.user_id, "name": person.name})


async def upload(request: web.Request) -> web.Response:
    """A photo or a file: a sample photo by name, or one chosen on the computer."""
    world = _world(request)
    form = await request.post()
    person = _person(world, form.get("person"))
    as_file = form.get("as") == "file"
    caption = str(form.get("caption") or "")
    if len(caption) > MAX_CAPTION:
        return _refuse("practice-web-too-long")
    in_group = form.get("group") == "1"
    sample, chosen = form.get("sample"), form.get("file")
    if isinstance(sample, str) and sample:
        path = SAMPLES / Path(sample).name
        if path.suffix != ".jpg" or not path.is_file():
            return _refuse("practice-web-failed", 404)
        data, file_name, mime_type = path.read_bytes(), path.name, "image/jpeg"
    elif isinstance(chosen, web.FileField):
        data = chosen.file.read(MAX_FILE_BYTES + 1)
        file_name = Path(chosen.filename or "file").name
        mime_type = (
            chosen.content_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        )
    else:
        return _refuse("practice-web-failed")
    limit = MAX_FILE_BYTES if as_file else MAX_PHOTO_BYTES
    if len(data) > limit:
        return _refuse("practice-web-too-big", 413)
    if not data:
        return _refuse("practice-web-failed")
    if as_file:
        world.send_document(person, data, file_name, mime_type, caption, in_group=in_group)
        return web.json_response({"ok": True})
    try:
        world.send_photo(person, data, caption, in_group=in_group)
    except ValueError:  # Telegram's app would not send this as a photo
        return _refuse("practice-web-not-a-photo")
    return web.json_response({"ok": True})


async def web_app(request: web.Request) -> web.Response:
    """The address a Mini App button opens, with initData the stand-in signs for this person."""
    body = await _body(request)
    world = _world(request)
    person = _person(world, body.get("person"))
    url = str(body.get("url") or "")
    if not url.startswith(world.local_web_apps or ("\0",)) or urlsplit(url).fragment:
        return _refuse("practice-web-failed", 403)
    data = web_app_init_data(person.as_user(), world.telegram.token)
    fragment = f"tgWebAppData={quote(data, safe='')}&tgWebAppVersion=8.0&tgWebAppPlatform=web"
    return web.json_response({"url": f"{url}#{fragment}"})


async def file(request: web.Request) -> web.StreamResponse:
    """A file the bot or a person sent (photos shown inline, documents downloaded)."""
    world = _world(request)
    data = world.telegram.file_bytes_by_id(request.match_info["file_id"])
    if data is None:
        raise web.HTTPNotFound()
    name = Path(request.query.get("name") or "").name
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
    if name:
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return web.Response(body=data, content_type="application/octet-stream", headers=headers)
    return web.Response(body=data, content_type="image/jpeg", headers=headers)


async def samples(request: web.Request) -> web.Response:
    return web.json_response(sorted(p.name for p in SAMPLES.glob("*.jpg")))


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
        "img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
    response.headers["Referrer-Policy"] = "no-referrer"


def make_app(world: PracticeWorld, reset: Any) -> web.Application:
    """``reset`` is called (from this server's thread) when the page asks to start over."""

    async def start_over(request: web.Request) -> web.Response:
        reset()
        return web.json_response({"ok": True})

    app = web.Application(client_max_size=MAX_FILE_BYTES + 64 * 1024)
    app[WORLD] = world
    app.on_response_prepare.append(security_headers)
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC, follow_symlinks=False)
    app.router.add_static("/fonts/", FONTS, follow_symlinks=False)
    app.router.add_get("/api/texts", texts)
    app.router.add_get("/api/state", state)
    app.router.add_get("/api/samples", samples)
    app.router.add_get("/api/files/{file_id}", file)
    app.router.add_post("/api/text", send_text)
    app.router.add_post("/api/location", send_location)
    app.router.add_post("/api/press", press)
    app.router.add_post("/api/join", join)
    app.router.add_post("/api/people", add_person)
    app.router.add_post("/api/upload", upload)
    app.router.add_post("/api/web-app", web_app)
    app.router.add_post("/api/start-over", start_over)
    return app


class PageServer:
    """Serves the practice page on ``127.0.0.1:port`` from a thread with its own event loop."""

    def __init__(self, world: PracticeWorld, port: int, reset: Any) -> None:
        self.world, self.port, self.reset = world, port, reset
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> PageServer:
        """Listen (PortInUse when the port is taken), then serve in the background."""
        loop = asyncio.new_event_loop()
        runner = web.AppRunner(make_app(self.world, self.reset), access_log=None)
        try:
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", self.port, reuse_address=False)
            loop.run_until_complete(site.start())
        except OSError as error:
            loop.run_until_complete(runner.cleanup())
            loop.close()
            raise PortInUse(self.port) from error
        server: Any = site._server
        if self.port == 0 and server is not None and server.sockets:
            self.port = int(server.sockets[0].getsockname()[1])
        self._loop, self._runner = loop, runner
        self._thread = threading.Thread(
            target=loop.run_forever, name="PracticePageServer", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        loop, runner, thread = self._loop, self._runner, self._thread
        if loop is None or runner is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop = self._runner = self._thread = None
