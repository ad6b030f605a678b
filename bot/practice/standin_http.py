"""A real HTTP server on 127.0.0.1 that serves a :class:`FakeTelegram` like api.telegram.org.

For end-to-end tests: start the server, run ``python -m bot`` with
``BOT_API_URL=server.url`` and the server's token, push updates, wait for the bot's calls::

    with FakeBotApiServer() as server:
        server.push_update(factory.text(user, "/start"))
        call = server.wait_for("sendMessage", lambda c: c.params["chat_id"] == user["id"])

Routes: ``GET|POST /bot<token>/<method>`` (query string, ``application/json``,
``application/x-www-form-urlencoded`` or ``multipart/form-data`` bodies -- PTB's HTTPXRequest
sends form data, multipart when a file is uploaded) and ``GET /file/bot<token>/<file_path>``.
A wrong token gets 401 ``Unauthorized``. getUpdates long-polls up to its ``timeout`` and wakes
as soon as an update is pushed. Only the standard library is used.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.practice.standin import (
    DEFAULT_TOKEN,
    FakeTelegram,
    RecordedCall,
    TransportFault,
    UploadedFile,
)

__all__ = ["FakeBotApiServer", "parse_multipart"]

_API_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/]*)")
_FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")


def _header_params(value: str) -> tuple[str, dict[str, str]]:
    """``'form-data; name="a"; filename="b"'`` -> ``("form-data", {"name": "a", ...})``."""
    head, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for match in re.finditer(r'\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)\s*;?', rest):
        raw = match.group(2).strip()
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params[match.group(1).lower()] = raw
    return head.strip().lower(), params


def parse_multipart(
    body: bytes, content_type: str
) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a multipart/form-data body into plain fields and uploaded files."""
    _, ct_params = _header_params(content_type)
    boundary = ct_params.get("boundary")
    if not boundary:
        raise ValueError("multipart body without boundary")
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for chunk in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n")
        head, _, content = chunk.partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        _, disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name", "")
        if "filename" in disposition or "filename*" in disposition:
            filename = disposition.get("filename") or unquote(
                disposition.get("filename*", "").split("''", 1)[-1]
            )
            mime_type = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(name, filename, mime_type, content)
        else:
            fields[name] = content.decode("utf-8")
    return fields, files


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True
    owner: FakeBotApiServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"  # one request per connection: nothing idles on shutdown
    timeout = 30  # a silent client cannot pin a handler thread forever

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _serve(self) -> None:
        owner = self.server.owner
        url = urlsplit(self.path)
        file_match = _FILE_PATH.fullmatch(url.path)
        if file_match:
            if unquote(file_match["token"]) != owner.token:  # PTB percent-encodes the ':'
                self._send_json(401, _error(401, "Unauthorized"))
                return
            path = unquote(file_match["path"])
            owner.telegram.downloads.append(path)
            try:
                data = owner.telegram.file_bytes(path)
            except KeyError:
                self._send_json(404, _error(404, "Not Found"))
                return
            self._send(200, data, "application/octet-stream")
            return
        api_match = _API_PATH.fullmatch(url.path)
        if api_match is None:
            self._send_json(404, _error(404, "Not Found"))
            return
        if unquote(api_match["token"]) != owner.token:
            self._send_json(401, _error(401, "Unauthorized"))
            return
        params: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
        files: dict[str, UploadedFile] = {}
        try:
            body_params, files = self._read_body()
        except ValueError as exc:
            self._send_json(400, _error(400, f"Bad Request: {exc}"))
            return
        params.update(body_params)
        try:
            status, body = owner.telegram.handle_blocking(
                api_match["method"], params, files, cancel=owner._stopping
            )
        except TransportFault as fault:
            if fault.kind == "timeout":  # say nothing until the client gives up
                owner._stopping.wait(owner.fault_timeout_seconds)
            self.close_connection = True  # then cut the connection without an answer
            return
        self._send_json(status, body)

    def _read_body(self) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self._read_chunked()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not body:
            return {}, {}
        content_type = self.headers.get("Content-Type", "")
        kind = content_type.split(";")[0].strip().lower()
        if kind == "application/json":
            try:
                decoded = json.loads(body)
            except ValueError:
                raise ValueError("can't parse JSON object") from None  # approx.
            if not isinstance(decoded, dict):
                raise ValueError("can't parse JSON object")  # approx.
            return decoded, {}
        if kind == "multipart/form-data":
            fields, files = parse_multipart(body, content_type)
            return dict(fields), files
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), {}

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self._send(status, data, "application/json")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client went away (e.g. a killed bot in the middle of a poll)
            self.close_connection = True


def _error(status: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": status, "description": description}


class FakeBotApiServer:
    """A :class:`FakeTelegram` behind ``http://127.0.0.1:<ephemeral port>``."""

    def __init__(
        self,
        telegram: FakeTelegram | None = None,
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        fault_timeout_seconds: float = 6.0,
    ) -> None:
        self.telegram = telegram or FakeTelegram(token=token or DEFAULT_TOKEN)
        self.token = token or self.telegram.token
        self._address = (host, port)
        # An injected time-out keeps the connection silent this long (longer than PTB's 5 s
        # read timeout) before cutting it.
        self.fault_timeout_seconds = fault_timeout_seconds
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- life cycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._stopping.clear()
        httpd = _Server(self._address, _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeBotApiServer:{httpd.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; long polls in progress answer at once; every thread is joined."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        self._stopping.set()
        self.telegram.wake_all()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- addresses ----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Root URL, e.g. ``http://127.0.0.1:54321`` (what ``BOT_API_URL`` should be)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``Bot(base_url=...)``: ``<url>/bot`` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``Bot(base_file_url=...)``: ``<url>/file/bot``."""
        return f"{self.url}/file/bot"

    # ---- test helpers -------------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for the bot's getUpdates (``update_id`` assigned if missing)."""
        return self.telegram.push_update(update)

    def pending_updates(self) -> int:
        """Updates the bot has not yet confirmed with a getUpdates offset."""
        return self.telegram.pending_updates()

    def mark(self) -> int:
        return self.telegram.mark()

    def wait_for(
        self,
        method_or_predicate: str | Callable[[RecordedCall], bool],
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        timeout: float = 10.0,
        since: int = 0,
    ) -> RecordedCall:
        """Block until the bot made a matching call (see :meth:`FakeTelegram.wait_for`)."""
        return self.telegram.wait_for(method_or_predicate, predicate, timeout=timeout, since=since)
