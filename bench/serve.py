"""The bot process of ``bench.load``: the campaign bot as ``python -m bot`` runs it, the floor bot
(the least photo work a certification needs) or the bare python-telegram-bot bot; on SIGUSR1 it
writes what it did so far to ``BENCH_STATS_FILE``.

Run by path (``python bench/serve.py bot|floor|bare [--rate-limit]``) with ``PYTHONPATH``
pointing at the checkout to measure, so an older checkout (``bench.load --vs``) runs with the
same probe.
It imports nothing from ``bench``.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

Stats = dict[str, Any]


def _count_store() -> Callable[[], Stats]:
    """Count the store's transactions and the waits for its locks.

    A checkout whose ``storage.database`` keeps counters (``enable_stats``) is read from them;
    an older one gets ``Database.transaction`` wrapped here, timed to the moment it yields.
    """
    from storage import database

    enable = getattr(database, "enable_stats", None)
    if enable is not None:
        stats = enable()
        return lambda: {
            "writes": stats.writes,
            "reads": stats.reads,
            "write_waits": stats.write_waits,
            "write_holds": getattr(stats, "write_holds", []),
            "read_waits": stats.read_waits,
        }
    counted: Stats = {
        "writes": 0,
        "reads": 0,
        "write_waits": [],
        "write_holds": [],
        "read_waits": [],
    }
    original = database.Database.transaction

    @asynccontextmanager
    async def transaction(self: Any) -> AsyncIterator[Any]:
        asked = time.perf_counter()
        async with original(self) as conn:
            began = time.perf_counter()
            counted["writes"] += 1
            counted["write_waits"].append(began - asked)
            try:
                yield conn
            finally:
                counted["write_holds"].append(time.perf_counter() - began)

    # The bench swaps in a transaction that counts; the tests never do.
    database.Database.transaction = transaction  # type: ignore[method-assign]
    return lambda: counted


def _report_on_signal(stats: Callable[[], Stats]) -> None:
    target = Path(os.environ["BENCH_STATS_FILE"])
    written = 0

    def report(signum: int, frame: object) -> None:
        nonlocal written
        written += 1
        figures = {"seq": written, "cpu": time.process_time(), **stats()}
        partial = target.with_suffix(".partial")
        partial.write_text(json.dumps(figures), encoding="utf-8")
        partial.replace(target)

    signal.signal(signal.SIGUSR1, report)


def _polling(application: Any) -> None:
    """Poll as this checkout's ``python -m bot`` does."""
    from bot import app

    if hasattr(app, "run_polling"):
        app.run_polling(application)
    else:
        application.run_polling(allowed_updates=app.ALLOWED_UPDATES, drop_pending_updates=False)


def serve(kind: str, rate_limit: bool) -> None:
    from bot.__main__ import _configure_logging
    from bot.app import build_application
    from bot.settings import load_settings

    settings = load_settings()
    _configure_logging(settings)
    if kind == "bot":
        from bot.campaign.config import load_campaign

        _report_on_signal(_count_store())
        campaign = load_campaign(settings.campaign_file)
        _polling(build_application(settings, campaign, rate_limit=rate_limit))
        return

    # The bare bot: PTB's ApplicationBuilder with the same token, URLs and polling, concurrent
    # updates on, no rate limiter, no store; one handler answers every message with "ok".
    # The floor bot (kind "floor") is the same, plus the least photo work a certification
    # needs: it downloads each photo, decodes it once at 1/4 scale with Pillow, and with the
    # end photo encodes one 1280 px JPEG of the two side by side; nothing is stored.
    import asyncio
    import io

    from PIL import Image
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    kept: dict[int, Image.Image] = {}

    def reduced(data: bytes) -> Image.Image:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (image.width // 4, image.height // 4))
            return image.convert("RGB")

    def side_by_side(start: Image.Image | None, end: Image.Image) -> bytes:
        canvas = Image.new("RGB", (1280, 540))
        for x, half in ((0, start), (650, end)):
            if half is not None:
                canvas.paste(half.resize((630, 473)), (x, 67))
        out = io.BytesIO()
        canvas.save(out, "JPEG", quality=85)
        return out.getvalue()

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        message = update.effective_message
        assert chat is not None and message is not None
        picture = message.document or (message.photo[-1] if message.photo else None)
        if kind == "floor" and picture is not None:
            data = bytes(await (await picture.get_file()).download_as_bytearray())
            image = await asyncio.to_thread(reduced, data)
            if message.document is not None:
                kept[chat.id] = image
            else:
                await asyncio.to_thread(side_by_side, kept.pop(chat.id, None), image)
        await context.bot.send_message(chat.id, "ok")

    _report_on_signal(
        lambda: {"writes": 0, "reads": 0, "write_waits": [], "write_holds": [], "read_waits": []}
    )
    bare = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .concurrent_updates(True)
        .build()
    )
    bare.add_handler(MessageHandler(filters.ALL, answer))
    _polling(bare)


async def seed(database_path: str, first_user: int, count: int, leader: int) -> None:
    """Participants approved straight into the store, as this checkout's storage writes them."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from storage import participants as people
    from storage.database import Database

    database = await Database.open(database_path)
    now = datetime.now(ZoneInfo("Asia/Seoul"))
    try:
        async with database.transaction() as conn:
            for user_id in range(first_user, first_user + count):
                await people.ensure(conn, user_id, f"참여자{user_id}", None, now)
                await people.begin_application(conn, user_id, now)
                await people.set_answer(conn, user_id, "full_name", f"참여자{user_id}", now)
                await people.set_answer(conn, user_id, "consent_at", now, now)
                await people.submit_application(conn, user_id, now)
                await people.decide(conn, user_id, approve=True, leader_id=leader, now=now)
    finally:
        await database.close()


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        import asyncio

        asyncio.run(seed(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
    else:
        serve(sys.argv[1], "--rate-limit" in sys.argv[2:])
