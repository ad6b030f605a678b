"""The store is locked by another process or the disk is full: the person hears "try again
shortly" in their language, nothing is half-written, and the bot recovers without a restart."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading

from storage.database import Database, StoreUnavailable
from tests.harness import LEADER_IDS


async def _count(bot, sql: str) -> int:
    async with bot.services.database.transaction() as conn:
        row = await (await conn.execute(sql)).fetchone()
    return int(row[0])


async def _accepted(bot) -> int:
    return await _count(bot, "SELECT COUNT(*) FROM certifications WHERE status = 'accepted'")


async def _impatient_store(bot, busy_timeout_ms: int = 200) -> None:
    """Reopen the bot's store with a short busy timeout so a test need not wait 5 s."""
    await bot.services.database.close()
    bot.services.database = await Database.open(
        bot.services.settings.database_path, busy_timeout_ms=busy_timeout_ms
    )


class OtherProcessLock:
    """A separate sqlite3 connection (as another process would have) holding the write lock."""

    def __init__(self, path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    def __enter__(self) -> OtherProcessLock:
        self.connection.execute("BEGIN EXCLUSIVE")
        return self

    def release(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.connection.close()


async def _ready_for_end_photo(bot, user) -> None:
    leaders = await bot.open_leader_chats()
    await bot.join(user, leaders[0])
    await bot.say(user, "/certify")
    await bot.send_photo(user)
    bot.advance(minutes=15)


async def test_a_locked_store_answers_try_again_shortly_and_recovers(bot, caplog):
    minji = bot.person(1001)
    alex = bot.person(1002, "Alex", language="en")
    await _ready_for_end_photo(bot, minji)
    await _impatient_store(bot)
    end = bot.factory.photo_from_bytes(bot.tg, minji, bot.next_photo())

    with caplog.at_level(logging.WARNING), OtherProcessLock(bot.services.settings.database_path):
        await bot.send(end)
        await bot.say(alex, "/start")
    assert bot.last_text(1001) == bot.t("error-store-busy")
    assert bot.last_text(1002) == bot.t("error-store-busy", "en")
    assert "database is locked" in caplog.text
    assert bot.texts(1001).count(bot.t("error-store-busy")) == 1  # once, though two handlers failed
    assert {type(e) for e in bot.errors} == {StoreUnavailable}
    bot.errors.clear()

    # The lock is gone: the same photo again is accepted, once, without restarting anything.
    await bot.send(end)
    assert "인증 완료" in bot.last_text(1001)
    assert await _accepted(bot) == 1
    await bot.say(alex, "/start")
    assert bot.last_text(1002) != bot.t("error-store-busy", "en")


async def test_a_lock_shorter_than_the_busy_timeout_is_simply_waited_out(bot):
    minji = bot.person(1001)
    await _ready_for_end_photo(bot, minji)
    await _impatient_store(bot, busy_timeout_ms=5000)
    lock = OtherProcessLock(bot.services.settings.database_path)
    with lock:
        timer = threading.Timer(1.0, lock.release)
        timer.start()
        await bot.send_photo(minji)  # waits about a second for the other process
        timer.join()
    assert "인증 완료" in bot.last_text(1001)
    assert await _accepted(bot) == 1


async def _fill_the_disk(bot) -> None:
    """Cap the store at its size and fill every free page with ballast, so the next write
    that needs a page gets SQLITE_FULL exactly as on a full disk."""
    async with bot.services.database.transaction() as conn:
        pages = (await (await conn.execute("PRAGMA page_count")).fetchone())[0]
        await conn.execute(f"PRAGMA max_page_count = {pages + 8}")
        await conn.execute("CREATE TABLE IF NOT EXISTS test_ballast (data BLOB)")
    for size in (4000, 1000, 200, 20):
        while True:
            try:
                async with bot.services.database.transaction() as conn:
                    await conn.execute("INSERT INTO test_ballast VALUES (zeroblob(?))", (size,))
            except StoreUnavailable:
                break


async def _free_the_disk(bot) -> None:
    async with bot.services.database.transaction() as conn:
        await conn.execute("PRAGMA max_page_count = 1073741823")
        await conn.execute("DELETE FROM test_ballast")


async def test_a_full_disk_answers_try_again_shortly_and_recovers(bot, caplog):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.say(leaders[0], "/broadcast")
    long_news = "이번 주 토요일 안전 캠페인 안내. " + "골목 " * 1200  # a row bigger than any gap
    await bot.say(leaders[0], long_news)
    preview = bot.tg.last_sent_message(LEADER_IDS[0])
    await _fill_the_disk(bot)

    with caplog.at_level(logging.WARNING):
        await bot.press(leaders[0], "broadcast:send", message=preview)
    assert bot.last_text(LEADER_IDS[0]) == bot.t("error-store-busy")
    assert "database or disk is full" in caplog.text
    assert {type(e) for e in bot.errors} == {StoreUnavailable}
    bot.errors.clear()
    sql = "SELECT COUNT(*) FROM outbox WHERE chat_id = 1001 AND key LIKE 'broadcast:%'"
    assert await _count(bot, sql) == 0  # (her decision is an outbox row too, sent long ago)
    assert (
        await _count(
            bot, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"
        )
        == 1
    )

    await _free_the_disk(bot)  # space is back: the same press works, once
    await bot.press(leaders[0], "broadcast:send", message=preview)
    await bot.press(leaders[0], "broadcast:send", message=preview)
    await bot.services.outbox.drain(until_empty=True)
    assert [t for t in bot.texts(1001) if "안전 캠페인 안내" in t] == [long_news.strip()]


async def test_an_error_inside_the_transaction_body_becomes_store_unavailable(db):
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE filler (blob BLOB)")
    async with db.transaction() as conn:
        pages = (await (await conn.execute("PRAGMA page_count")).fetchone())[0]
        await conn.execute(f"PRAGMA max_page_count = {pages}")
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO filler VALUES (zeroblob(100000))")
    except StoreUnavailable as error:
        assert "full" in str(error)
    else:
        raise AssertionError("a full disk went unnoticed")
    async with db.transaction() as conn:  # the connection is usable at once
        assert (await (await conn.execute("SELECT COUNT(*) FROM filler")).fetchone())[0] == 0
        await conn.execute("PRAGMA max_page_count = 1073741823")
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO filler VALUES (zeroblob(100000))")
    await asyncio.sleep(0)
