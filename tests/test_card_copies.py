"""Every copy of an application card shows the decision: the card the application brought and
the copies /pending sent later, in every leader's chat (the first card kept live buttons)."""

import sqlite3

import pytest

from storage import card_copies, participants, privacy, risks
from storage.database import _migration_files
from tests.support import kst, open_old_database


async def test_a_decision_from_a_pending_copy_shows_on_every_copy(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji, name="김민지")
    first = bot.message_with_button(9001, "decide:approve:1001")
    other_leaders_card = bot.message_with_button(9002, "decide:approve:1001")
    # /pending lists the names; each press on Minji's name sends a copy of her card.
    await bot.say(leaders[0], "/pending")
    await bot.press(leaders[0], "pending:open:1001")
    await bot.press(leaders[0], "pending:open:1001")
    copies = [
        m
        for m in bot.tg.sent_messages(9001)
        if "decide:approve:1001" in str(m.get("reply_markup") or "")
    ]
    assert len(copies) == 3 and copies[0]["message_id"] == first["message_id"]

    await bot.press(leaders[0], "decide:approve:1001", message=copies[-1])
    for leader_id, message_id in [(9001, m["message_id"]) for m in copies] + [
        (9002, other_leaders_card["message_id"])
    ]:
        shown = bot.tg.message(leader_id, message_id)
        assert shown is not None
        assert not (shown.get("reply_markup") or {}).get("inline_keyboard"), (leader_id, shown)
        assert "경위9001 님이 승인했어요" in shown["text"]


async def test_the_card_copies_migration_keeps_the_cards_already_sent(tmp_path):
    database = await open_old_database(
        tmp_path / "old.sqlite3",
        "_every_card_copy.sql",
        [
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1001, 'pending', 'x', 'x')",
            "INSERT INTO leader_cards (participant_id, chat_id, message_id) VALUES (1001, 9001, 5)",
        ],
    )
    try:
        async with database.transaction() as conn:
            await card_copies.remember_application_card(conn, 1001, 9001, 8)
            await card_copies.remember_application_card(conn, 1001, 9001, 8)  # redelivered: once
            assert sorted(await card_copies.application_cards(conn, 1001)) == [(9001, 5), (9001, 8)]
    finally:
        await database.close()


async def test_one_card_copies_table_keeps_every_application_and_risk_card_already_sent(tmp_path):
    database = await open_old_database(
        tmp_path / "before-0021.sqlite3",
        "0021_card_copies.sql",
        [
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1001, 'approved', 'x', 'x'), (1002, 'pending', 'x', 'x')",
            "INSERT INTO leader_cards (participant_id, chat_id, message_id) "
            "VALUES (1001, 9001, 5), (1001, 9002, 6), (1002, 9001, 7)",
            "INSERT INTO risk_reports (reporter_id, status, created_at, updated_at) "
            "VALUES (1001, 'submitted', '2027-08-16T10:00:00+00:00', '2027-08-16T10:00:00+00:00')",
            "INSERT INTO risk_cards (report_id, chat_id, message_id) "
            "VALUES (1, 9001, 8), (1, 9002, 9)",
        ],
    )
    try:
        assert await database.schema_version() == len(_migration_files())
        async with database.transaction() as conn:
            assert await card_copies.application_cards(conn, 1001) == [(9001, 5), (9002, 6)]
            assert await card_copies.application_cards(conn, 1002) == [(9001, 7)]
            assert await card_copies.risk_cards(conn, 1) == [(9001, 8), (9002, 9)]
            assert await card_copies.reports_with_cards(conn, 1001) == [1]
            tables = await conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            names = {row[0] for row in await tables.fetchall()}
        assert "leader_cards" not in names and "risk_cards" not in names
        # A card is about one applicant or one report, never both or neither.
        with pytest.raises(sqlite3.IntegrityError):
            async with database.transaction() as conn:
                await conn.execute(
                    "INSERT INTO card_copies (chat_id, message_id, participant_id, report_id) "
                    "VALUES (9001, 10, 1001, 1)"
                )
        # Deleting the report or the person still takes their copies along.
        async with database.transaction() as conn:
            await conn.execute("DELETE FROM risk_reports WHERE id = 1")
            await conn.execute("DELETE FROM participants WHERE user_id = 1002")
            assert await card_copies.risk_cards(conn, 1) == []
            assert await card_copies.application_cards(conn, 1002) == []
            assert await card_copies.application_cards(conn, 1001) == [(9001, 5), (9002, 6)]
    finally:
        await database.close()


async def test_an_erased_applicant_leaves_no_card_copies_but_their_report_keeps_its_cards(db):
    async with db.transaction() as conn:
        await participants.ensure(conn, 1001, "Minji", None, kst("2027-08-16"))
        await card_copies.remember_application_card(conn, 1001, 9001, 5)
        report_id = await risks.start_draft(conn, 1001, kst("2027-08-16"))
        await risks.change_status(conn, report_id, "submitted", 1001, kst("2027-08-16"))
        await card_copies.remember_risk_card(conn, report_id, 9001, 6)
        assert await card_copies.reports_with_cards(conn, 1001) == [report_id]
        assert await privacy.erase(conn, 1001, kst("2027-08-17"))
        assert await card_copies.application_cards(conn, 1001) == []
        assert await card_copies.risk_cards(conn, report_id) == [(9001, 6)]
        count = await conn.execute("SELECT COUNT(*) FROM card_copies WHERE participant_id < 0")
        assert (await count.fetchone())[0] == 0  # nothing re-keyed to the anonymous id
