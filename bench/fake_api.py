"""A lean fake Bot API for the load benchmark: answers like Telegram over HTTP/1.1 keep-alive
and counts what the bot asked of it.

Unlike the tests' fake (``tests/fakes``, which checks every call against the Bot API spec) it
only knows the calls a certification makes, so it costs the machine little beside the bot it
measures. It lives in ``bench/`` because the benchmarks depend on nothing in ``tests/``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

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


@dataclass
class FakeApi:
    """Just enough of the Bot API for a certification, answering over HTTP/1.1 keep-alive."""

    first_user: int
    token: str = TOKEN
    updates: deque[JSON] = field(default_factory=deque)
    delivered_at: dict[int, float] = field(default_factory=dict)
    files: dict[str, bytes | Path] = field(default_factory=dict)
    waiters: dict[int, deque[Waiter]] = field(default_factory=lambda: defaultdict(deque))
    traffic: Traffic = field(default_factory=Traffic)
    unexpected: list[str] = field(default_factory=list)
    # The last message sent to each chat (id, text, buttons), for a press on its buttons.
    last_sent: dict[int, JSON] = field(default_factory=dict)
    next_update_id: int = 1
    next_message_id: int = 1
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    last_call: float = 0.0
    port: int = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._connection, "127.0.0.1", 0, backlog=1024)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.server.close()
        self.arrived.set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def push(self, update: JSON) -> int:
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append({"update_id": update_id, **update})
        self.arrived.set()
        return update_id

    def expect_reply(self, chat_id: int, expect: str) -> asyncio.Future[tuple[float, str]]:
        future: asyncio.Future[tuple[float, str]] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id].append(Waiter(expect, future))
        return future

    def add_file(self, data: bytes | Path) -> str:
        """A file the bot may download; a ``Path`` is read only when asked for."""
        file_id = f"F{len(self.files):07d}"
        self.files[file_id] = data
        return file_id

    def file_size(self, file_id: str) -> int:
        data = self.files.get(file_id, b"")
        return data.stat().st_size if isinstance(data, Path) else len(data)

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
            data = self.files.get(path.rsplit("/", 1)[-1])
            if data is None:
                return 404, b"not found", "text/plain"
            if isinstance(data, Path):
                data = await asyncio.to_thread(data.read_bytes)
            return 200, data, "application/octet-stream"
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, json.dumps({"ok": False, "error_code": 401}).encode(), "application/json"
        name = path[len(prefix) :]
        params: dict[str, Any] = dict(parse_qsl(query))
        content_type = headers.get("content-type", "")
        if body and content_type.startswith("multipart/form-data"):
            params.update(multipart_fields(body, content_type))
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
            result = await self.call(name, params)
        except Refused as refusal:
            return refusal.status, json.dumps(refusal.body).encode(), "application/json"
        data = json.dumps({"ok": True, "result": result}).encode()
        return 200, data, "application/json"

    async def call(self, name: str, params: dict[str, Any]) -> Any:
        """The result of one Bot API call (raise :class:`Refused` to answer an error)."""
        if name == "getUpdates":
            return await self._get_updates(params)
        if name == "getMe":
            return {"id": 7000000001, "is_bot": True, "first_name": "봇", "username": "load_bot"}
        if name == "getFile":
            file_id = str(params["file_id"])
            return {
                "file_id": file_id,
                "file_unique_id": "U" + file_id,
                "file_size": self.file_size(file_id),
                "file_path": f"photos/{file_id}",
            }
        if name == "sendMediaGroup":
            media = json.loads(params.get("media") or "[]")
            return [self._message(name, params) for _ in media]
        if name.startswith(("send", "edit", "copyMessage")):
            if name == "copyMessage":
                return {"message_id": self._next_message()}
            message = self._message(name, params)
            if name == "sendMessage":
                markup = params.get("reply_markup")
                markup = json.loads(markup) if isinstance(markup, str) else markup
                self.last_sent[message["chat"]["id"]] = {**message, "reply_markup": markup}
            if name in ("sendMessage", "editMessageText"):  # an edit can be the answer too
                self._reply(int(params["chat_id"]), str(params.get("text", "")))
            return message
        if not name.startswith(("set", "delete", "answer", "close", "log")):
            self.unexpected.append(name)
        return True

    def _reply(self, chat_id: int, text: str) -> None:
        queue = self.waiters.get(chat_id)
        if not queue:
            if chat_id >= self.first_user:
                self.unexpected.append(f"unasked message to {chat_id}: {text[:60]!r}")
            return
        waiter = queue.popleft()
        if not waiter.future.done():
            waiter.future.set_result((time.perf_counter(), text))

    def _next_message(self) -> int:
        self.next_message_id += 1
        return self.next_message_id

    def _message(self, name: str, params: dict[str, Any]) -> JSON:
        chat_id = int(params.get("chat_id") or 0)
        message: JSON = {
            "message_id": self._next_message(),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
        }
        if name in ("sendPhoto", "sendMediaGroup"):
            file_id = f"P{message['message_id']}"
            message["photo"] = [
                {"file_id": file_id, "file_unique_id": "U" + file_id, "width": 1, "height": 1}
            ]
        elif name == "sendDocument":
            file_id = f"D{message['message_id']}"
            message["document"] = {"file_id": file_id, "file_unique_id": "U" + file_id}
        elif "text" in params:
            message["text"] = str(params["text"])
        return message

    async def _get_updates(self, params: dict[str, Any]) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()
        if not self.updates:
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), float(params.get("timeout") or 0))
            except TimeoutError:
                return []
        limit = int(params.get("limit") or 100)
        batch = [self.updates[i] for i in range(min(len(self.updates), limit))]
        now = time.perf_counter()
        for update in batch:
            if update["update_id"] not in self.delivered_at:
                self.delivered_at[update["update_id"]] = now
                self.traffic.updates_delivered += 1
        return batch


def multipart_fields(body: bytes, content_type: str) -> dict[str, str]:
    """The plain fields of a multipart/form-data body (uploaded files are left out)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        return {}
    fields: dict[str, str] = {}
    for part in body.split(b"--" + match.group(1).encode("latin-1"))[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        disposition = head.decode("utf-8", "replace")
        name = re.search(r'name="([^"]*)"', disposition)
        if name is None or "filename=" in disposition:
            continue
        fields[name.group(1)] = content.removesuffix(b"\r\n").decode("utf-8", "replace")
    return fields
