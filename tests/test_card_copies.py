"""Every copy of an application card shows the decision: the card the application brought and
the copies /pending sent later, in every leader's chat (the first card kept live buttons)."""

from tests.support import open_old_database


async def test_a_decision_from_a_pending_copy_shows_on_every_copy(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji, name="김민지")
    first = bot.message_with_button(9001, "decide:approve:1001")
    other_leaders_card = bot.message_with_button(9002, "decide:approve:1001")
    await bot.say(leaders[0], "/pending")
    await bot.say(leaders[0], "/pending")
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
            from storage import participants

            await participants.remember_leader_card(conn, 1001, 9001, 8)
            await participants.remember_leader_card(conn, 1001, 9001, 8)  # redelivered: once
            assert sorted(await participants.leader_cards(conn, 1001)) == [(9001, 5), (9001, 8)]
    finally:
        await database.close()
