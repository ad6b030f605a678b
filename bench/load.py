"""Load: the real bot process under an evening peak of certifications, then 10,000 /me at once.

Run from the project root::

    .venv/bin/python -m bench.load [--participants 1000] [--me 10000] [--rate-limit]

A lean fake Bot API (asyncio, HTTP/1.1 keep-alive; it answers like Telegram but, unlike
``tests.fakes``, does not check every call against the spec) serves the bot over real HTTP.
The bot is ``python -m bench.load --serve bot``: exactly ``python -m bot`` (same settings,
campaign file, ``build_application``, long polling) except that PTB's ``AIORateLimiter`` is off
unless ``--rate-limit`` is given -- with it on, the bot keeps Telegram's own cap of 30 messages
a second, which would be all this measured. The participants are seeded as approved straight
into the store (``storage.participants``); each then certifies as people do: /certify, the start
photo (a JPEG document whose EXIF says it was taken just now), the end photo (a compressed
photo), a one-line note. Every photo is a distinct image, so the fairness checks pass them.

Latency is from the moment the fake hands an update to the bot's getUpdates to the moment the
bot's reply to that person arrives. Errors: replies that are not the expected step, no reply
within 30 s, and ERROR lines in the bot's log. The same load then runs against a bare PTB bot
(one MessageHandler that answers every message with one sendMessage; concurrent updates on,
no rate limiter) as the framework's ceiling on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

from tests.fakes.process import LEADER, write_campaign_file

TOKEN = "7000000001:AAFakeTokenForLoadBench-0123456789abc"
SEOUL = ZoneInfo("Asia/Seoul")
FIRST_USER = 100_000
REPLY_TIMEOUT = 120.0  # a reply later than this counts as an error (lost)

# What the bot says at each step (Korean catalogue): the reply must contain it.
EXPECT = {
    "certify": "시작 사진",
    "start": "시작 사진 받았어요",
    "end": "인증 완료",
    "note": "소감을 저장했어요",
    "me": "나의 인증",
    "bare": "ok",
}

JSON = dict[str, Any]


# ---- photos ---------------------------------------------------------------------------------


def _photo(seed: int, taken: datetime | None) -> bytes:
    """A small, distinct JPEG (shapes on a tinted gradient), with EXIF time if ``taken``."""
    rng = random.Random(seed)
    size = (320, 240)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x0, y0, x0 + rng.randrange(20, 160), y0 + rng.randrange(20, 120))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    out = io.BytesIO()
    if taken is None:
        image.save(out, "JPEG", quality=85)
        return out.getvalue()
    exif = Image.Exif()
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif_ifd[0x9011] = "+09:00"
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


# ---- the lean fake Bot API ------------------------------------------------------------------


@dataclass
class Waiter:
    expect: str
    future: asyncio.Future[tuple[float, str]]


@dataclass
class FakeApi:
    """Just enough of the Bot API for the load, answering over HTTP/1.1 keep-alive."""

    token: str = TOKEN
    updates: deque[JSON] = field(default_factory=deque)
    delivered_at: dict[int, float] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    waiters: dict[int, deque[Waiter]] = field(default_factory=lambda: defaultdict(deque))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unexpected: list[str] = field(default_factory=list)
    next_update_id: int = 1
    next_message_id: int = 1
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
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

    def add_file(self, data: bytes) -> str:
        file_id = f"F{len(self.files):07d}"
        self.files[file_id] = data
        return file_id

    # ---- HTTP ---------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, _, value = line.partition(":")
                        headers[key.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length") or 0))
                status, payload, kind = await self._route(method, target, headers, body)
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
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        path, _, query = target.partition("?")
        path = unquote(path)
        if path.startswith(f"/file/bot{self.token}/"):
            data = self.files.get(path.rsplit("/", 1)[-1])
            if data is None:
                return 404, b"not found", "text/plain"
            return 200, data, "application/octet-stream"
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, json.dumps({"ok": False, "error_code": 401}).encode(), "application/json"
        name = path[len(prefix) :]
        params: dict[str, Any] = dict(parse_qsl(query))
        content_type = headers.get("content-type", "")
        if body and content_type.startswith("multipart/form-data"):
            from tests.fakes.server import parse_multipart

            fields, _ = parse_multipart(body, content_type)
            params.update(fields)
        elif body and content_type.startswith("application/json"):
            params.update(json.loads(body))
        elif body:
            params.update(parse_qsl(body.decode("utf-8")))
        self.calls[name] += 1
        result = await self._call(name, params)
        data = json.dumps({"ok": True, "result": result}).encode()
        return 200, data, "application/json"

    async def _call(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getUpdates":
            return await self._get_updates(params)
        if name == "getMe":
            return {"id": 7000000001, "is_bot": True, "first_name": "봇", "username": "load_bot"}
        if name == "getFile":
            file_id = str(params["file_id"])
            return {
                "file_id": file_id,
                "file_unique_id": "U" + file_id,
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"photos/{file_id}",
            }
        if name == "sendMediaGroup":
            media = json.loads(params.get("media") or "[]")
            return [self._message(name, params) for _ in media]
        if name.startswith(("send", "edit", "copyMessage")):
            if name == "sendMessage":
                self._reply(int(params["chat_id"]), str(params.get("text", "")))
            if name == "copyMessage":
                return {"message_id": self._next_message()}
            return self._message(name, params)
        if not name.startswith(("set", "delete", "answer", "close", "log")):
            self.unexpected.append(name)
        return True

    def _reply(self, chat_id: int, text: str) -> None:
        queue = self.waiters.get(chat_id)
        if not queue:
            if chat_id >= FIRST_USER:
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
        batch = [self.updates[i] for i in range(min(len(self.updates), 100))]
        now = time.perf_counter()
        for update in batch:
            self.delivered_at.setdefault(update["update_id"], now)
        return batch


# ---- simulated participants -----------------------------------------------------------------


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _user(user_id: int) -> JSON:
    return {"id": user_id, "is_bot": False, "first_name": f"참여자{user_id}", "language_code": "ko"}


def _message(user_id: int, **content: Any) -> JSON:
    user = _user(user_id)
    chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
    return {
        "message": {
            "message_id": random.randrange(1, 2**31),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
    }


def _text(user_id: int, text: str) -> JSON:
    content: JSON = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return _message(user_id, **content)


async def _step(api: FakeApi, figures: Figures, user_id: int, update: JSON, step: str) -> bool:
    reply = api.expect_reply(user_id, EXPECT[step])
    update_id = api.push(update)
    try:
        arrived, text = await asyncio.wait_for(reply, REPLY_TIMEOUT)
    except TimeoutError:
        figures.errors.append(f"{user_id} {step}: no reply in {REPLY_TIMEOUT:.0f} s")
        return False
    figures.latencies.append(arrived - api.delivered_at.get(update_id, arrived))
    if EXPECT[step] not in text:
        figures.errors.append(f"{user_id} {step}: {text[:120]!r}")
        return False
    return True


async def _certify(
    api: FakeApi, figures: Figures, user_id: int, photos: tuple[bytes, bytes], bare: bool
) -> bool:
    start_id, end_id = api.add_file(photos[0]), api.add_file(photos[1])
    document = {
        "file_id": start_id,
        "file_unique_id": "U" + start_id,
        "file_name": "IMG_0001.JPG",
        "mime_type": "image/jpeg",
        "file_size": len(photos[0]),
    }
    sizes = [
        {
            "file_id": end_id,
            "file_unique_id": "U" + end_id,
            "width": 320,
            "height": 240,
            "file_size": len(photos[1]),
        }
    ]
    steps = [
        ("certify", _text(user_id, "/certify")),
        ("start", _message(user_id, document=document)),
        ("end", _message(user_id, photo=sizes)),
        ("note", _text(user_id, "골목 보안등 한 곳이 꺼져 있었어요")),
    ]
    for step, update in steps:
        if bare:
            step = "bare"
        if not await _step(api, figures, user_id, update, step):
            return False
    return True


# ---- the bot processes ----------------------------------------------------------------------


async def _seed(database_path: Path, participants: int) -> None:
    from storage import participants as people
    from storage.database import Database

    database = await Database.open(database_path)
    now = datetime.now(SEOUL)
    try:
        async with database.transaction() as conn:
            for user_id in range(FIRST_USER, FIRST_USER + participants):
                await people.ensure(conn, user_id, f"참여자{user_id}", None, now)
                await people.begin_application(conn, user_id, now)
                await people.set_answer(conn, user_id, "full_name", f"참여자{user_id}", now)
                await people.set_answer(conn, user_id, "consent_at", now, now)
                await people.submit_application(conn, user_id, now)
                await people.decide(conn, user_id, approve=True, leader_id=LEADER, now=now)
    finally:
        await database.close()


@dataclass
class BotProcess:
    kind: str
    process: subprocess.Popen[bytes]
    log: Path

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_errors(self) -> list[str]:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if " ERROR " in line or "Traceback" in line]


def _start_bot(kind: str, api: FakeApi, folder: Path, rate_limit: bool) -> BotProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "BOT_TOKEN": api.token,
        "BOT_API_URL": api.url,
        "DATABASE_PATH": str(folder / "bot.sqlite3"),
        "LEADER_IDS": str(LEADER),
        "CAMPAIGN_FILE": str(folder / "campaign.toml"),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "bench.load", "--serve", kind]
    if rate_limit:
        command.append("--rate-limit")
    log = folder / f"{kind}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=out)
    return BotProcess(kind, process, log)


def serve(kind: str, rate_limit: bool) -> None:
    """The child process: the campaign bot (as ``python -m bot``) or the bare PTB bot."""
    from bot.__main__ import _configure_logging
    from bot.app import ALLOWED_UPDATES, build_application
    from bot.campaign.config import load_campaign
    from bot.settings import load_settings

    settings = load_settings()
    _configure_logging(settings)
    if kind == "bot":
        campaign = load_campaign(settings.campaign_file)
        application = build_application(settings, campaign, rate_limit=rate_limit)
        application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        return
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "ok")

    bare = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .concurrent_updates(True)
        .build()
    )
    bare.add_handler(MessageHandler(filters.ALL, answer))
    bare.run_polling(allowed_updates=ALLOWED_UPDATES)


# ---- one run --------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _print(label: str, figures: Figures, seconds: float, done: int, unit: str) -> None:
    ms = [x * 1000 for x in figures.latencies]
    print(
        f"  {label:<28} {done:>6} {unit} in {seconds:6.1f} s = {done / seconds:7.1f}/s   "
        f"p50 {_percentile(ms, 0.5):6.0f} ms  p99 {_percentile(ms, 0.99):6.0f} ms  "
        f"max {max(ms, default=float('nan')):6.0f} ms  errors {len(figures.errors)}",
        flush=True,
    )
    for error in figures.errors[:5]:
        print(f"      {error}")


async def _wait_ready(api: FakeApi, bot: BotProcess) -> None:
    deadline = time.monotonic() + 60
    while api.calls["getUpdates"] == 0:
        if bot.process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{bot.kind} did not start:\n{bot.log.read_text()[-3000:]}")
        await asyncio.sleep(0.05)


async def run(kind: str, args: argparse.Namespace, photos: list[tuple[bytes, bytes]]) -> None:
    bare = kind == "bare"
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = Path(tmp)
        write_campaign_file(folder)
        if not bare:
            await _seed(folder / "bot.sqlite3", args.participants)
        api = FakeApi()
        await api.start()
        bot = _start_bot(kind, api, folder, args.rate_limit)
        try:
            await _wait_ready(api, bot)
            users = range(FIRST_USER, FIRST_USER + args.participants)
            label = "bare PTB bot" if bare else "campaign bot"
            print(f"{label} (pid {bot.process.pid}):", flush=True)

            # The evening peak: everyone arrives within --ramp seconds, each certifies once.
            figures = Figures()
            spacing = args.ramp / max(1, args.participants)

            async def person(index: int, user_id: int) -> bool:
                await asyncio.sleep(index * spacing)
                return await _certify(api, figures, user_id, photos[index], bare)

            began = time.perf_counter()
            done = await asyncio.gather(*(person(i, u) for i, u in enumerate(users)))
            elapsed = time.perf_counter() - began
            what = "replies x4" if bare else "certifications"
            _print("certification peak", figures, elapsed, sum(done), what)

            # Then /me from everyone at once: --me updates queued together.
            figures = Figures()
            per_person = max(1, args.me // args.participants)
            step = "bare" if bare else "me"

            async def me(user_id: int) -> int:
                results = await asyncio.gather(
                    *(
                        _step(api, figures, user_id, _text(user_id, "/me"), step)
                        for _ in range(per_person)
                    )
                )
                return sum(results)

            began = time.perf_counter()
            answered = sum(await asyncio.gather(*(me(u) for u in users)))
            elapsed = time.perf_counter() - began
            _print(
                f"{per_person * len(users)} concurrent /me", figures, elapsed, answered, "replies"
            )

            await asyncio.sleep(0.5)  # let the outbox (leaders' feed) drain before measuring
            log_errors = bot.log_errors()
            print(
                f"  peak RSS {bot.peak_rss_mb():.0f} MB; bot log errors {len(log_errors)}; "
                f"calls {dict(sorted(api.calls.items()))}",
                flush=True,
            )
            for line in log_errors[:5]:
                print(f"      {line[:200]}")
            if api.unexpected:
                print(f"  unexpected: {len(api.unexpected)}, e.g. {api.unexpected[:3]}")
        finally:
            bot.stop()
            await api.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--me", type=int, default=10_000, help="concurrent /me updates")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which people arrive")
    parser.add_argument("--rate-limit", action="store_true", help="keep PTB's AIORateLimiter on")
    parser.add_argument("--only", choices=("bot", "bare"), help="run just one of the two")
    parser.add_argument("--serve", choices=("bot", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.rate_limit)
        return
    began = time.perf_counter()
    now = datetime.now(SEOUL) - timedelta(minutes=1)
    photos = [(_photo(2 * i, now), _photo(2 * i + 1, None)) for i in range(args.participants)]
    print(
        f"{args.participants} participants, {2 * args.participants} distinct photos made in "
        f"{time.perf_counter() - began:.1f} s; {os.cpu_count()} cores (load average "
        f"{os.getloadavg()[0]:.1f} before the run); arrivals over {args.ramp:g} s "
        f"({args.participants / args.ramp:.0f} people/s offered); rate limiter "
        f"{'on' if args.rate_limit else 'off'}",
        flush=True,
    )
    for kind in ("bot", "bare"):
        if args.only in (None, kind):
            asyncio.run(run(kind, args, photos))
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
