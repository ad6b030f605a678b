"""The Bot API stand-in (``bot/practice/standin.py``, the one the tests and practice mode use)
behind asyncio HTTP/1.1 keep-alive, for the benchmarks: it answers every call as the tests'
stand-in does, and counts what the bot asked of it as Telegram would see it.

Three things differ from the tests' set-up, each to keep the machine's cost off the bot being
measured: the connection is kept alive (the tests' server answers one request per connection),
an uploaded photo is kept as it came instead of re-encoded the way Telegram does, and calls are
counted instead of recorded. A spec problem is logged, never refused (``spec="log"``), and
listed in ``unexpected``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from bot.practice.standin import FakeTelegram, UploadedFile
from bot.practice.standin_http import parse_multipart

TOKEN = "7000000001:AAFakeTokenForLoadBench-0123456789abc"
JSON = dict[str, Any]


class Refused(Exception):
    """Raised by a call to answer with an error (``status``) instead of a result."""

    def __init__(self, status: int, body: JSON) -> None:
        super().__init__(status)
        self.status, self.body = status, body


@dataclass
class Waiter:
    expect: str
    future: asyncio.Future[tuple[float, str]]


@dataclass
class Traffic:
    """What the bot asked of Telegram, counted as Telegram would see it."""

    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Calls that name a chat: what Telegram's ~30 messages a second per bot are counted in.
    messages: int = 0
    # Every HTTP request: Bot API calls and file downloads.
    round_trips: int = 0
    downloads: int = 0
    updates_delivered: int = 0

    def copy(self) -> Traffic:
        return Traffic(
            defaultdict(int, self.calls),
            self.messages,
            self.round_trips,
            self.downloads,
            self.updates_delivered,
        )


class FakeApi:
    """The stand-in over HTTP/1.1 keep-alive, with the benchmarks' counters and reply waiters."""

    def __init__(self, first_user: int, token: str = TOKEN) -> None:
        self.first_user = first_user
        self.token = token
        self.telegram = FakeTelegram(
            token=token, strict=False, spec="log", reencode_photos=False, keep_calls=False
        )
        self.delivered_at: dict[int, float] = {}
        self.waiters: dict[int, deque[Waiter]] = defaultdict(deque)
        self.traffic = Traffic()
        self.unexpected: list[str] = []
        # The last message sent to each chat (id, text, buttons), for a press on its buttons.
        self.last_sent: dict[int, JSON] = {}
        self.last_call = 0.0
        self.port = 0
        self._sizes: dict[str, int] = {}

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._connection, "127.0.0.1", 0, backlog=1024)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.server.close()
        self.telegram.wake_all()
        self.unexpected.extend(self.telegram.spec_problems)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def push(self, update: JSON) -> int:
        return int(self.telegram.push_update(update)["update_id"])

    def expect_reply(self, chat_id: int, expect: str) -> asyncio.Future[tuple[float, str]]:
        future: asyncio.Future[tuple[float, str]] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id].append(Waiter(expect, future))
        return future

    def add_file(self, data: bytes | Path) -> str:
        """A file the bot may download; a ``Path`` is read only when asked for."""
        file_id = f"F{len(self._sizes):07d}"
        self.telegram.add_file(data, file_id=file_id, file_unique_id="U" + file_id)
        self._sizes[file_id] = data.stat().st_size if isinstance(data, Path) else len(data)
        return file_id

    def file_size(self, file_id: str) -> int:
        return self._sizes.get(file_id, 0)

    async def quiet(self, seconds: float, limit: float) -> None:
        """Wait until the bot made no call but getUpdates for ``seconds`` (at most ``limit``)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and time.monotonic() - self.last_call < seconds:
            await asyncio.sleep(0.1)

    # ---- HTTP ---------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                _, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, _, value = line.partition(":")
                        headers[key.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length") or 0))
                status, payload, kind = await self._route(target, headers, body)
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # the client closed the connection, or the run is over
        finally:
            writer.close()

    async def _route(
        self, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        self.traffic.round_trips += 1
        path, _, query = target.partition("?")
        path = unquote(path)
        if path.startswith(f"/file/bot{self.token}/"):
            self.traffic.downloads += 1
            self.last_call = time.monotonic()
            try:
                data = await asyncio.to_thread(
                    self.telegram.file_bytes, path.removeprefix(f"/file/bot{self.token}/")
                )
            except KeyError:
                return 404, b"not found", "text/plain"
            return 200, data, "application/octet-stream"
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, json.dumps({"ok": False, "error_code": 401}).encode(), "application/json"
        name = path[len(prefix) :]
        params: dict[str, Any] = dict(parse_qsl(query))
        files: dict[str, UploadedFile] = {}
        content_type = headers.get("content-type", "")
        if body and content_type.startswith("multipart/form-data"):
            fields, files = parse_multipart(body, content_type)
            params.update(fields)
        elif body and content_type.startswith("application/json"):
            params.update(json.loads(body))
        elif body:
            params.update(parse_qsl(body.decode("utf-8")))
        self.traffic.calls[name] += 1
        if "chat_id" in params:
            self.traffic.messages += 1
        if name != "getUpdates":
            self.last_call = time.monotonic()
        try:
            result = await self.call(name, params, files)
        except Refused as refusal:
            return refusal.status, json.dumps(refusal.body).encode(), "application/json"
        data = json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()
        return 200, data, "application/json"

    async def call(
        self, name: str, params: dict[str, Any], files: dict[str, UploadedFile] | None = None
    ) -> Any:
        """The result of one Bot API call, from the stand-in (:class:`Refused` for an error)."""
        status, body = await self.telegram.handle_async(name, params, files)
        if status != 200:
            if name != "getUpdates":
                self.unexpected.append(f"{name}: {body.get('description')}")
            raise Refused(status, body)
        result = body["result"]
        if name == "getUpdates":
            now = time.perf_counter()
            for update in result:
                if update["update_id"] not in self.delivered_at:
                    self.delivered_at[update["update_id"]] = now
                    self.traffic.updates_delivered += 1
        elif name in ("sendMessage", "editMessageText"):  # an edit can be the answer too
            if name == "sendMessage":
                markup = params.get("reply_markup")
                markup = json.loads(markup) if isinstance(markup, str) else markup
                self.last_sent[int(result["chat"]["id"])] = {**result, "reply_markup": markup}
            self._reply(int(params["chat_id"]), str(params.get("text", "")))
        return result

    def _reply(self, chat_id: int, text: str) -> None:
        queue = self.waiters.get(chat_id)
        if not queue:
            if chat_id >= self.first_user:
                self.unexpected.append(f"unasked message to {chat_id}: {text[:60]!r}")
            return
        waiter = queue.popleft()
        if not waiter.future.done():
            waiter.future.set_result((time.perf_counter(), text))
