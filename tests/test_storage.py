"""The store: migrations, WAL and foreign keys, and one serialised transaction per action."""

import asyncio
import sqlite3

import pytest

from bot.campaign.config import parse_campaign
from bot.startup import sync_missions
from storage import certifications, participants
from storage.database import Database, _migration_files
from tests.support import ONE_ACCEPTED_CERTIFICATION, campaign_document, kst, open_old_database


async def test_migrations_bring_a_new_database_to_the_latest_schema(tmp_path):
    database = await Database.open(tmp_path / "new.sqlite3")
    try:
        assert await database.schema_version() == len(_migration_files())
        async with database.transaction() as conn:
            cursor = await conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {row[0] for row in await cursor.fetchall()}
        assert {"participants", "certifications", "photos", "missions"} <= tables
    finally:
        await database.close()


async def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "again.sqlite3"
    first = await Database.open(path)
    await first.close()
    second = await Database.open(path)
    try:
        assert await second.migrate() == []
    finally:
        await second.close()


async def test_wal_and_foreign_keys_are_on(db):
    async with db.transaction() as conn:
        mode = await (await conn.execute("PRAGMA journal_mode")).fetchone()
        keys = await (await conn.execute("PRAGMA foreign_keys")).fetchone()
    assert mode[0] == "wal"
    assert keys[0] == 1


async def test_a_certification_needs_an_existing_participant(db):
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await certifications.open_new(conn, 999, 1, "3차", kst("2027-08-16"))


async def test_an_error_rolls_back_the_whole_action(db):
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await participants.ensure(conn, 1, "Minji", None, kst("2027-08-16"))
            raise RuntimeError("handler failed halfway")
    async with db.transaction() as conn:
        assert await participants.get(conn, 1) is None


async def test_concurrent_actions_do_not_undo_each_other(db):
    """One handler's ROLLBACK must never erase another handler's INSERT."""

    async def succeeds(user_id: int) -> None:
        async with db.transaction() as conn:
            await participants.ensure(conn, user_id, f"user {user_id}", None, kst("2027-08-16"))
            await asyncio.sleep(0)

    async def fails(user_id: int) -> None:
        async with db.transaction() as conn:
            await participants.ensure(conn, user_id, "doomed", None, kst("2027-08-16"))
            await asyncio.sleep(0)
            raise ValueError("boom")

    results = await asyncio.gather(
        *[succeeds(i) if i % 2 else fails(i) for i in range(1, 41)], return_exceptions=True
    )
    assert sum(isinstance(r, ValueError) for r in results) == 20
    async with db.transaction() as conn:
        counts = await participants.count_by_status(conn)
    assert counts == {"visitor": 20}


async def test_a_participant_has_at_most_one_open_certification(db):
    await sync_missions(db, parse_campaign(campaign_document()), kst("2027-08-16"))
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await participants.ensure(conn, 5, "Minji", None, kst("2027-08-16"))
            await certifications.open_new(conn, 5, 1, "3차", kst("2027-08-16"))
            await certifications.open_new(conn, 5, 1, "3차", kst("2027-08-16"))


async def test_times_are_stored_in_utc_and_read_back_equal(db):
    moment = kst("2027-08-16", "23:30")
    async with db.transaction() as conn:
        await participants.ensure(conn, 7, "Jisu", "jisu", moment)
        await participants.begin_application(conn, 7, moment)
        await participants.set_answer(conn, 7, "consent_at", moment, moment)
        raw = await (await conn.execute("SELECT consent_at FROM participants")).fetchone()
        person = await participants.get(conn, 7)
    assert raw[0] == "2027-08-16T14:30:00+00:00"
    assert person is not None and person.consent_at == moment


async def test_the_fairness_migration_keeps_earlier_certifications(tmp_path):
    """0002 on a database that already holds round data: rows stay, new columns are empty."""
    database = await open_old_database(
        tmp_path / "old.sqlite3",
        "0002_fairness",
        [
            *ONE_ACCEPTED_CERTIFICATION,
            "INSERT INTO photos (certification_id, role, sender_id, kind, file_id, "
            "file_unique_id, message_id, message_date, received_at) "
            "VALUES (1, 'start', 1, 'photo', 'f', 'u', 1, '2027-08-16T10:00:00+00:00', 'x')",
        ],
    )
    try:
        assert await database.schema_version() == len(_migration_files())
        async with database.transaction() as conn:
            row = await (await conn.execute("SELECT phash, taken_at FROM photos")).fetchone()
            tally = await certifications.tally(conn, 1, kst("2027-08-16").date(), "3차")
        assert tuple(row) == (None, None)
        assert tally.total == 1
    finally:
        await database.close()


def test_a_trigger_is_one_statement_with_its_inner_semicolons():
    from storage.database import _split_statements

    script = """-- counters
CREATE TABLE t (n INTEGER);
CREATE TRIGGER bump AFTER INSERT ON t
BEGIN
    -- two statements inside; the ';' in this comment and in 'a;b' end nothing
    UPDATE t SET n = n + 1 WHERE n = 0;
    INSERT INTO t (n) SELECT 5 WHERE 'a;b' = 'c';
END;
-- trailing comment
"""
    statements = _split_statements(script)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER bump") and statements[1].endswith("END;")
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    conn.execute("INSERT INTO t (n) VALUES (0)")
    assert conn.execute("SELECT n FROM t").fetchall() == [(1,)]


async def test_the_consent_migration_takes_back_what_a_join_request_alone_gave(tmp_path):
    """0014 on a database holding join-request-only people: nobody stays pending or approved
    without the recorded consent (and a guardian's under 14)."""
    people = [
        (1, "pending", None, None, None),  # a join request's blank card
        (2, "approved", None, None, None),  # approved from that blank card
        (3, "approved", "2027-08-16T10:00:00+00:00", 1, None),  # under 14, no guardian
        (4, "approved", "2027-08-16T10:00:00+00:00", 1, 1),  # applied properly
        (5, "pending", "2027-08-16T10:00:00+00:00", 0, None),  # a real application
    ]
    database = await open_old_database(
        tmp_path / "old.sqlite3",
        "0013_",
        [
            (
                "INSERT INTO participants (user_id, status, consent_at, under_14, "
                "guardian_consent, applied_at, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'x', 'x', 'x')",
                person,
            )
            for person in people
        ],
    )
    try:
        async with database.transaction() as conn:
            cursor = await conn.execute("SELECT user_id, status FROM participants ORDER BY 1")
            statuses = dict(tuple(row) for row in await cursor.fetchall())
            await conn.execute("SELECT * FROM leader_digests")
        assert statuses == {1: "visitor", 2: "applying", 3: "applying", 4: "approved", 5: "pending"}
    finally:
        await database.close()
