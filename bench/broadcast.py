"""Broadcast through the outbox against a fake Bot API that enforces Telegram's limits.

Run from the project root::

    .venv/bin/python -m bench.broadcast [--messages 10000] [--rate 25] [--kill-messages 2000]

Two parts, both over HTTP on 127.0.0.1 (``bench.api_traffic``: the Bot API stand-in the tests
use, over keep-alive HTTP), which answers 429 with ``retry_after`` when a chat gets a second
message within 1 s or the bot exceeds 30 messages in any 1 s window (Telegram's published
limits):

1. Broadcast: ``--messages`` text messages to as many chats, drained by
   ``bot.outbox_sender.OutboxSender`` at ``--rate``; prints the achieved rate as a share of the
   configured one, the 429s and the duration.
2. Kill test: a fresh store with ``--kill-messages`` rows is drained by a child process
   (``python -m bench.broadcast --child ...``), which gets SIGKILL when the fake has accepted
   half of them; the next child gets SIGKILL at three quarters while the fake holds back one
   answer (the one moment a kill can catch a message in flight); children are then started
   until the outbox is empty. Prints how many recipients got 0, 1 and 2+ copies, counted from
   the fake's accepted sendMessage calls.

The default run takes about 8 minutes: 10,000 messages at 25/s is 400 s, the kill test with
2,000 is about 85 s. ``--messages 1000 --kill-messages 500`` takes about a minute;
``--kill-messages 10000`` is the full-size kill test (~405 s more).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import json
import logging
import random
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Bot
from telegram.request import HTTPXRequest

from bench.api_traffic import TOKEN, FakeApi, Refused
from bot.outbox_sender import OutboxSender
from bot.practice.standin import UploadedFile
from storage import outbox
from storage.database import Database

FIRST_CHAT = 10_000_000
TELEGRAM_PER_SECOND = 30
TELEGRAM_CHAT_SECONDS = 1.0
# Methods that post into a chat and so count against the limits.
_LIMITED = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage"})
TOO_MANY = {
    "ok": False,
    "error_code": 429,
    "description": "Too Many Requests: retry after 1",
    "parameters": {"retry_after": 1},
}


class LimitedApi(FakeApi):
    """The lean fake Bot API plus Telegram's flood limits, judged when each request arrives."""

    def __init__(self) -> None:
        # No chat here is a participant waiting for a reply.
        super().__init__(first_user=sys.maxsize)
        self._window: collections.deque[float] = collections.deque()
        self._last_by_chat: dict[str, float] = {}
        self.too_many: collections.Counter[str] = collections.Counter()
        self.accepted = 0
        self.delivered: collections.Counter[int] = collections.Counter()
        # The answer to this accepted message is held back (a slow network) while `holding`
        # is set, so a kill can be made to land between Telegram's delivery and the answer.
        self.hold_answer_of: int | None = None
        self.holding = asyncio.Event()

    async def call(
        self, name: str, params: dict[str, Any], files: dict[str, UploadedFile] | None = None
    ) -> Any:
        if name not in _LIMITED:
            return await super().call(name, params, files)
        refused, number = self._admit(str(params.get("chat_id")))
        if refused is not None:
            self.too_many[refused] += 1
            raise Refused(429, TOO_MANY)
        if name == "sendMessage":
            self.delivered[int(params["chat_id"])] += 1
        answer = await super().call(name, params, files)
        if number == self.hold_answer_of:
            self.holding.set()
            await asyncio.sleep(2.0)
        return answer

    def _admit(self, chat: str) -> tuple[str | None, int]:
        """(None, its number) if the message may go now (counted), else (the limit broken, 0)."""
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        last = self._last_by_chat.get(chat)
        if last is not None and now - last < TELEGRAM_CHAT_SECONDS:
            return "per chat", 0
        if len(self._window) >= TELEGRAM_PER_SECOND:
            return "overall", 0
        self._window.append(now)
        self._last_by_chat[chat] = now
        self.accepted += 1
        return None, self.accepted


@asynccontextmanager
async def _serving() -> AsyncIterator[LimitedApi]:
    api = LimitedApi()
    await api.start()
    try:
        yield api
    finally:
        await api.stop()


async def _plan(path: Path, messages: int) -> None:
    now = datetime.now(UTC)
    database = await Database.open(path)
    try:
        async with database.transaction() as conn:
            for number in range(messages):
                await outbox.plan(
                    conn,
                    key=f"broadcast:theme-week-2:{FIRST_CHAT + number}",
                    chat_id=FIRST_CHAT + number,
                    kind="text",
                    payload={"text": f"<b>이번 주 테마 미션</b> 보이스피싱 예방 #{number}"},
                    not_before=now,
                    now=now,
                )
    finally:
        await database.close()


async def _drain(path: Path, url: str, rate: float) -> dict[str, Any]:
    """Drain the store at ``path`` through the fake at ``url``; the sender's report."""
    database = await Database.open(path)
    request = HTTPXRequest(connection_pool_size=64)
    bot = Bot(TOKEN, base_url=f"{url}/bot", base_file_url=f"{url}/file/bot", request=request)
    try:
        async with bot:
            sender = OutboxSender(database, bot, per_second=rate)
            report = await sender.drain(until_empty=True)
        async with database.transaction() as conn:
            counts = await outbox.counts(conn)
    finally:
        await database.close()
    return {**dataclasses.asdict(report), "counts": counts}


def _copies(per_chat: collections.Counter[int], chats: int) -> tuple[int, int, int]:
    once = sum(1 for n in per_chat.values() if n == 1)
    twice_or_more = sum(1 for n in per_chat.values() if n >= 2)
    return chats - once - twice_or_more, once, twice_or_more


async def broadcast(messages: int, rate: float) -> None:
    print(f"broadcast: {messages:,} text messages to {messages:,} chats at {rate:g}/s", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        async with _serving() as telegram:
            path = Path(folder) / "outbox.sqlite3"
            await _plan(path, messages)
            started = time.monotonic()
            report = await _drain(path, telegram.url, rate)
            seconds = time.monotonic() - started
            zero, once, more = _copies(telegram.delivered, messages)
    # The sender's own time: from its first look at the outbox to the last answer recorded.
    achieved = report["sent"] / report["seconds"]
    print(
        f"  duration                  {report['seconds']:8.1f} s (with start-up: {seconds:.1f} s)"
    )
    print(f"  achieved rate             {achieved:8.2f} /s")
    print(f"  achieved / configured     {achieved / rate:8.3f}   (goal >= 0.95)")
    print(f"  429 answers               {sum(telegram.too_many.values()):8d}   (goal 0)", end="")
    print(f"   {dict(telegram.too_many) or ''}")
    print(f"  outbox                    {report['counts']}")
    print(f"  recipients with 0/1/2+    {zero} / {once} / {more}", flush=True)


async def kill_test(messages: int, rate: float) -> None:
    print(f"\nkill test: {messages:,} messages at {rate:g}/s, SIGKILL at 1/2 and 3/4", flush=True)
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as folder:
        async with _serving() as telegram:
            path = Path(folder) / "outbox.sqlite3"
            await _plan(path, messages)
            command = [
                "-m",
                "bench.broadcast",
                "--child",
                "--db",
                str(path),
                "--url",
                telegram.url,
                "--rate",
                str(rate),
            ]
            # First kill: when half the messages are through, at a random moment of the send
            # cycle (usually the sender is waiting for its next slot). Second kill: at three
            # quarters, inside the window between Telegram accepting a message and the sender
            # recording it.
            telegram.hold_answer_of = messages * 3 // 4
            runs = 0
            for kill_at, in_window in ((messages // 2, False), (messages * 3 // 4, True)):
                child = await asyncio.create_subprocess_exec(
                    sys.executable, *command, cwd=root, stdout=asyncio.subprocess.DEVNULL
                )
                runs += 1
                while child.returncode is None:
                    if telegram.holding.is_set() if in_window else telegram.accepted >= kill_at:
                        break
                    await asyncio.sleep(0.002)
                if not in_window:
                    await asyncio.sleep(random.uniform(0, 1 / rate))  # any moment of the cycle
                child.send_signal(signal.SIGKILL)
                await child.wait()
                where = "while an answer was on its way" if in_window else "at a random moment"
                print(
                    f"  killed after {telegram.accepted:,} accepted messages ({where})", flush=True
                )
            while True:
                runs += 1
                child = await asyncio.create_subprocess_exec(
                    sys.executable,
                    *command,
                    cwd=root,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
                out, err = await child.communicate()
                if child.returncode != 0:
                    raise SystemExit(f"child failed:\n{err.decode()}")
                report = json.loads(out.decode().strip().splitlines()[-1])
                if report["counts"]["pending"] == 0 and report["counts"]["sending"] == 0:
                    break
            per_chat = telegram.delivered
            zero, once, more = _copies(per_chat, messages)
            interrupted = await _interrupted(path)
    print(f"  runs                      {runs} (2 killed)")
    print(f"  outbox                    {report['counts']}")
    print(f"  recipients with 0/1/2+    {zero} / {once} / {more}   (goal: 0 with 2+)")
    for key, chat_id in interrupted:
        print(f"  interrupted row {key}: the recipient got {per_chat.get(chat_id, 0)} copies")
    print(f"  429 answers               {sum(telegram.too_many.values())}", flush=True)


async def _interrupted(path: Path) -> list[tuple[str, int]]:
    database = await Database.open(path)
    try:
        async with database.transaction() as conn:
            cursor = await conn.execute(
                "SELECT key, chat_id FROM outbox WHERE last_error = ?", (outbox.INTERRUPTED,)
            )
            return [(row["key"], row["chat_id"]) for row in await cursor.fetchall()]
    finally:
        await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000, help="broadcast size")
    parser.add_argument("--rate", type=float, default=25.0, help="configured messages/s")
    parser.add_argument("--kill-messages", type=int, default=2_000, help="kill test size")
    parser.add_argument("--skip-broadcast", action="store_true")
    parser.add_argument("--skip-kill", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        logging.basicConfig(level=logging.WARNING, format="  child %(process)d: %(message)s")
        print(json.dumps(asyncio.run(_drain(args.db, args.url, args.rate))), flush=True)
        return
    if not args.skip_broadcast:
        asyncio.run(broadcast(args.messages, args.rate))
    if not args.skip_kill:
        asyncio.run(kill_test(args.kill_messages, args.rate))


if __name__ == "__main__":
    main()
