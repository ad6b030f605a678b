"""Reads on connections of their own: they never queue behind the writer, and cannot write."""

import asyncio
import sqlite3

import pytest

from storage import participants
from tests.support import count_store, kst


async def test_a_read_during_a_long_write_does_not_wait_and_sees_the_last_commit(db):
    async with db.transaction() as conn:
        await participants.ensure(conn, 1, "Minji", None, kst("2027-08-16"))
    writing, finish = asyncio.Event(), asyncio.Event()

    async def long_write() -> None:
        async with db.transaction() as conn:
            await participants.ensure(conn, 2, "Jisu", None, kst("2027-08-16"))
            writing.set()
            await finish.wait()  # a slow handler holding the writer's lock

    writer = asyncio.create_task(long_write())
    await writing.wait()
    async with asyncio.timeout(2):  # the old store queued this behind the write: it never ran
        async with db.read() as conn:
            minji = await participants.get(conn, 1)
            jisu = await participants.get(conn, 2)
    assert minji is not None and minji.telegram_name == "Minji"
    assert jisu is None  # not committed yet
    finish.set()
    await writer
    async with db.read() as conn:
        assert await participants.get(conn, 2) is not None


async def test_many_reads_at_once_all_answer(db):
    async with db.transaction() as conn:
        await participants.ensure(conn, 1, "Minji", None, kst("2027-08-16"))

    async def name() -> str | None:
        async with db.read() as conn:
            await asyncio.sleep(0)
            person = await participants.get(conn, 1)
            return person.telegram_name if person else None

    assert await asyncio.gather(*(name() for _ in range(50))) == ["Minji"] * 50


async def test_a_write_slipped_into_a_read_is_refused(db):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        async with db.read() as conn:
            await participants.ensure(conn, 1, "Minji", None, kst("2027-08-16"))
    async with db.read() as conn:
        assert await participants.get(conn, 1) is None


async def test_a_failed_read_leaves_its_connection_usable(db):
    for _ in range(10):  # more than the read connections: each came back clean
        with pytest.raises(ValueError):
            async with db.read() as conn:
                await conn.execute("SELECT 1")
                raise ValueError("handler failed while reading")
    async with db.read() as conn:
        assert (await (await conn.execute("SELECT 1")).fetchone())[0] == 1


async def test_reads_cancelled_half_way_leave_their_connections_usable(db):
    async with db.transaction() as conn:
        await participants.ensure(conn, 1, "Minji", None, kst("2027-08-16"))

    async def slow_read() -> None:
        async with db.read() as conn:
            await participants.get(conn, 1)
            await asyncio.sleep(10)  # the person's update was cancelled (shutdown) meanwhile

    reads = [asyncio.create_task(slow_read()) for _ in range(8)]  # more than the connections
    await asyncio.sleep(0.1)
    for read in reads:
        read.cancel()
    await asyncio.gather(*reads, return_exceptions=True)
    async with asyncio.timeout(2):
        for _ in range(8):
            async with db.read() as conn:
                assert await participants.get(conn, 1) is not None


async def test_the_bench_counts_transactions_and_waits(db, monkeypatch):
    stats = count_store(monkeypatch)
    async with db.transaction() as conn:
        await participants.ensure(conn, 1, "Minji", None, kst("2027-08-16"))
    async with db.read() as conn:
        await participants.get(conn, 1)
    assert (stats.writes, stats.reads) == (1, 1)
    assert len(stats.write_waits) == 1 and len(stats.read_waits) == 1


async def test_a_write_holds_the_lock_without_waiting_for_the_event_loop(db):
    """From BEGIN to COMMIT nobody else runs: the writer's lock is held for the SQL's own
    time, not for a turn of a busy event loop per statement."""
    others: list[str] = []

    async def someone_else() -> None:
        others.append("ran")

    waiting = asyncio.create_task(someone_else())  # runs at the loop's next turn
    async with db.transaction() as conn:
        for user_id in range(1, 11):
            await participants.ensure(conn, user_id, f"user {user_id}", None, kst("2027-08-16"))
            assert await participants.get(conn, user_id) is not None
        assert others == []
    await waiting
    assert others == ["ran"]
    async with db.read() as conn:
        assert await participants.get(conn, 10) is not None


async def test_a_write_waits_for_another_process_without_holding_up_the_loop(db):
    other = sqlite3.connect(db.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process (a backup tool, say) is writing
    try:
        write_task = asyncio.create_task(_add(db, 1))
        for _ in range(5):  # the loop keeps serving others while the write waits
            await asyncio.sleep(0.02)
        assert not write_task.done()
        async with db.read() as conn:  # and reads still answer
            assert await participants.get(conn, 1) is None
    finally:
        other.execute("ROLLBACK")
        other.close()
    await write_task
    async with db.read() as conn:
        assert await participants.get(conn, 1) is not None


async def _add(db, user_id: int) -> None:
    async with db.transaction() as conn:
        await participants.ensure(conn, user_id, "Minji", None, kst("2027-08-16"))
