"""Every leader's copy of a risk report's card follows the report (forwarded, resolved, rejected),
whether the leader acted in the chat or in the console; the news of a forward goes through the
outbox, planned with the forward."""

from __future__ import annotations

from storage import card_copies, risks
from tests import test_console_web
from tests.harness import LEADER_IDS, Harness
from tests.support import open_old_database
from tests.test_console_web import Client, _participant

MINJI = 1001
LEADER = LEADER_IDS[0]
AGENCY = "시청 시설관리팀"


web = test_console_web.web  # the fixture: the bot with its console, and a client for it


async def _report(bot: Harness, latitude: float = 35.94812) -> int:
    minji = bot.person(MINJI, "민지")
    await bot.say(minji, "/report")
    await bot.press(minji, "risk:cat:light")
    await bot.send(bot.factory.location(minji, latitude, 126.95761))
    await bot.send_photo(minji)
    await bot.say(minji, "골목 입구 보안등이 꺼져 있어요")
    async with bot.services.database.transaction() as conn:
        return [r for r in await risks.submitted(conn) if r.reporter_id == MINJI][-1].id


def _cards(bot: Harness, report_id: int) -> list[dict]:
    """Each leader's card of the report as it stands now (one per leader here)."""
    heading = f"#{report_id} "
    found = []
    for leader_id in LEADER_IDS:
        (card,) = [
            m
            for m in bot.tg.sent_messages(leader_id)
            if heading in (m.get("text") or "")
            and bot.t("risk-category-light") in m["text"]
            and "민지" in m["text"]
        ]
        found.append(card)
    return found


def _buttons(card: dict) -> list[str]:
    markup = card.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_a_forward_in_the_console_updates_every_leaders_card(web: Client):
    bot = web.bot
    await _participant(bot)
    report_id = await _report(bot)
    for card in _cards(bot, report_id):
        assert f"risk:fwd:{report_id}" in _buttons(card)
    _, answer = await web.call(f"api/risks/{report_id}/forward", body={"agency": 0, "name": AGENCY})
    assert answer == {"outcome": "done"}
    for card in _cards(bot, report_id):
        assert bot.t("risk-status-forwarded") in card["text"]
        assert _buttons(card) == [
            f"risk:resolve:{report_id}",
            f"risk:reject:{report_id}",
            f"risk:merge:{report_id}",
        ]


async def test_resolving_or_rejecting_in_the_console_takes_every_cards_buttons(web: Client):
    bot = web.bot
    await _participant(bot)
    resolved = await _report(bot)
    rejected = await _report(bot, latitude=35.96)  # another place
    _, answer = await web.call(f"api/risks/{resolved}/resolve", body={"text": "교체 완료"})
    assert answer == {"outcome": "done"}
    _, answer = await web.call(f"api/risks/{rejected}/reject", body={"text": "사유지"})
    assert answer == {"outcome": "done"}
    for report_id, status in ((resolved, "resolved"), (rejected, "rejected")):
        for card in _cards(bot, report_id):
            assert bot.t(f"risk-status-{status}") in card["text"]
            assert _buttons(card) == []


async def test_a_forward_in_one_leaders_chat_shows_on_the_other_leaders_card(bot: Harness):
    leaders = await bot.open_leader_chats()
    await bot.join(bot.person(MINJI, "민지"), leaders[0], name="김민지")
    report_id = await _report(bot)
    await bot.press(leaders[0], f"risk:fwd:{report_id}")
    await bot.press(leaders[0], f"risk:to:{report_id}:0")
    for card in _cards(bot, report_id):
        assert bot.t("risk-status-forwarded") in card["text"]
        assert f"risk:fwd:{report_id}" not in _buttons(card)
    await bot.press(leaders[1], f"risk:reject:{report_id}")
    await bot.say(leaders[1], "사유지라 관할이 아님")
    for card in _cards(bot, report_id):
        assert bot.t("risk-status-rejected") in card["text"] and _buttons(card) == []


async def test_a_card_that_cannot_be_edited_does_not_stop_the_forward(web: Client):
    bot = web.bot
    await _participant(bot)
    report_id = await _report(bot)
    bot.tg.fail_next("editMessageText", 400, "Bad Request: message to edit not found")
    _, answer = await web.call(f"api/risks/{report_id}/forward", body={"agency": 0, "name": AGENCY})
    assert answer == {"outcome": "done"}
    assert AGENCY in bot.last_text(MINJI)
    edited = [
        card for card in _cards(bot, report_id) if _buttons(card)[0] != f"risk:fwd:{report_id}"
    ]
    assert len(edited) == len(LEADER_IDS) - 1


async def test_a_forward_press_delivered_twice_tells_the_reporter_once(bot: Harness):
    leaders = await bot.open_leader_chats()
    await bot.join(bot.person(MINJI, "민지"), leaders[0], name="김민지")
    report_id = await _report(bot)
    await bot.press(leaders[0], f"risk:fwd:{report_id}")
    data = f"risk:to:{report_id}:0"
    agencies = bot.message_with_button(LEADER, data)
    for _ in range(2):  # a double tap, or Telegram delivering the press again
        await bot.send(bot.factory.callback(leaders[0], data, message=agencies))
    told = [text for text in bot.texts(MINJI) if AGENCY in text]
    assert len(told) == 1


async def test_the_forward_news_survives_a_failed_send(bot: Harness):
    """Planned in the outbox with the forward: a send that fails is retried, not lost."""
    leaders = await bot.open_leader_chats()
    await bot.join(bot.person(MINJI, "민지"), leaders[0], name="김민지")
    report_id = await _report(bot)
    await bot.press(leaders[0], f"risk:fwd:{report_id}")
    bot.tg.inject_fault("500", method="sendMessage", chat_id=MINJI)
    await bot.press(leaders[0], f"risk:to:{report_id}:0")
    assert not [text for text in bot.texts(MINJI) if AGENCY in text]
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute(
            "SELECT status FROM outbox WHERE key = ?",
            (f"risk-news:{report_id}:forwarded:{AGENCY}:{MINJI}",),
        )
        assert [row[0] for row in await cursor.fetchall()] == ["pending"]
    bot.advance(minutes=10)
    await bot.services.outbox.drain(until_empty=True)
    assert len([text for text in bot.texts(MINJI) if AGENCY in text]) == 1


async def test_deleting_the_reporter_redraws_their_risk_cards_without_them(bot: Harness):
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI, "민지")
    await bot.join(minji, leaders[0], name="김민지")
    report_id = await _report(bot)
    before = _cards(bot, report_id)
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    for card in before:
        shown = bot.tg.message(card["chat"]["id"], card["message_id"])
        assert shown is not None
        for gone in ("민지", "35.94812", "보안등이 꺼져"):
            assert gone not in shown["text"]
        # The report stays open: the leaders can still act on it.
        assert f"risk:resolve:{report_id}" in _buttons(shown)


async def test_the_risk_card_migration_applies_to_a_database_with_reports(tmp_path):
    database = await open_old_database(
        tmp_path / "old.sqlite3",
        "_risk_card_copies.sql",
        [
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1001, 'approved', 'x', 'x')",
            "INSERT INTO risk_reports (reporter_id, status, created_at, updated_at) "
            "VALUES (1001, 'submitted', '2027-08-16T10:00:00+00:00', '2027-08-16T10:00:00+00:00')",
        ],
    )
    try:
        async with database.transaction() as conn:
            assert (await risks.get(conn, 1)) is not None
            await card_copies.remember_risk_card(conn, 1, 9001, 77)
            await card_copies.remember_risk_card(conn, 1, 9001, 77)  # redelivered: once
            assert await card_copies.risk_cards(conn, 1) == [(9001, 77)]
    finally:
        await database.close()
