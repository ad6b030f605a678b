"""With concurrent update processing on (as in production), presses and photos that arrive at
the same moment, and updates Telegram delivers twice, have exactly one effect."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from tests.harness import LEADER_IDS, Harness

MINJI = 1001


async def _together(bot: Harness, *updates: dict[str, Any]) -> None:
    """Hand the updates to the concurrent update processor at the same moment,
    as its update fetcher does (concurrent updates are on in ``build_application``)."""
    app = bot.app
    assert app.concurrent_updates > 1
    parsed = [Update.de_json(update, app.bot) for update in updates]
    await asyncio.gather(
        *(app.update_processor.process_update(u, app.process_update(u)) for u in parsed)
    )


async def _scalar(bot: Harness, sql: str) -> int:
    async with bot.services.database.transaction() as conn:
        row = await (await conn.execute(sql)).fetchone()
    return int(row[0])


async def _applied(bot: Harness) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI)
    await bot.apply(minji)
    return leaders, minji


def _approved_notices(bot: Harness) -> int:
    return sum(1 for t in bot.texts(MINJI) if "승인됐어요" in t)


async def test_two_leaders_pressing_approve_at_once_approve_once(bot):
    leaders, _ = await _applied(bot)
    presses = [
        bot.factory.callback(
            leader,
            f"decide:approve:{MINJI}",
            message=bot.message_with_button(leader["id"], f"decide:approve:{MINJI}"),
        )
        for leader in leaders
    ]
    await _together(bot, *presses)
    assert await _scalar(bot, "SELECT COUNT(*) FROM participants WHERE status = 'approved'") == 1
    assert _approved_notices(bot) == 1
    # The one who was second is told who decided (an alert on the button).
    alerts = [c for c in bot.tg.calls_of("answerCallbackQuery") if c.params.get("show_alert")]
    assert len(alerts) == 1


async def test_a_leader_double_tapping_approve_approves_once(bot):
    leaders, _ = await _applied(bot)
    card = bot.message_with_button(LEADER_IDS[0], f"decide:approve:{MINJI}")
    taps = [
        bot.factory.callback(leaders[0], f"decide:approve:{MINJI}", message=card) for _ in range(2)
    ]
    await _together(bot, *taps)
    assert await _scalar(bot, "SELECT COUNT(*) FROM participants WHERE status = 'approved'") == 1
    assert _approved_notices(bot) == 1


async def test_a_redelivered_approve_press_approves_once(bot):
    leaders, _ = await _applied(bot)
    card = bot.message_with_button(LEADER_IDS[0], f"decide:approve:{MINJI}")
    press = bot.factory.callback(leaders[0], f"decide:approve:{MINJI}", message=card)
    await _together(bot, press, press)  # the same update_id twice, at once
    await bot.send(press)  # and once more later
    assert await _scalar(bot, "SELECT COUNT(*) FROM participants WHERE status = 'approved'") == 1
    assert _approved_notices(bot) == 1


async def test_a_redelivered_consent_sends_one_card_to_each_leader(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI)
    await bot.apply(minji)
    consent = bot.factory.callback(
        minji, "apply:consent:yes", message=bot.tg.sent_messages(MINJI)[-2]
    )
    await _together(bot, consent, consent)
    for leader in leaders:
        cards = [
            m
            for m in bot.tg.sent_messages(leader["id"])
            if f"decide:approve:{MINJI}" in str(m.get("reply_markup", ""))
        ]
        assert len(cards) == 1


async def _awaiting_end_photo(bot: Harness) -> dict[str, Any]:
    leaders, minji = await _applied(bot)
    await bot.approve(minji, leaders[0])
    await bot.say(minji, "/certify")
    await bot.send_photo(minji)
    bot.advance(minutes=15)
    return minji


async def test_the_end_photo_sent_twice_quickly_certifies_once(bot):
    minji = await _awaiting_end_photo(bot)
    first = bot.factory.photo_from_bytes(bot.tg, minji, bot.next_photo())
    second = bot.factory.photo_from_bytes(bot.tg, minji, bot.next_photo())
    await _together(bot, first, second)
    assert await _scalar(bot, "SELECT COUNT(*) FROM certifications WHERE status = 'accepted'") == 1
    assert sum(1 for t in bot.texts(MINJI) if "인증 완료" in t) == 1


async def test_the_same_end_photo_update_delivered_twice_at_once_certifies_once(bot):
    minji = await _awaiting_end_photo(bot)
    end = bot.factory.photo_from_bytes(bot.tg, minji, bot.next_photo())
    await _together(bot, end, end)
    assert await _scalar(bot, "SELECT COUNT(*) FROM certifications WHERE status = 'accepted'") == 1
    assert await _scalar(bot, "SELECT COUNT(*) FROM photos") == 2
    assert sum(1 for t in bot.texts(MINJI) if "인증 완료" in t) == 1


async def test_two_people_certifying_at_once_both_count(bot):
    leaders = await bot.open_leader_chats()
    people = [bot.person(MINJI), bot.person(1002, "서연")]
    for person in people:
        await bot.join(person, leaders[0])
        await bot.say(person, "/certify")
    await _together(
        bot, *(bot.factory.photo_from_bytes(bot.tg, p, bot.next_photo()) for p in people)
    )
    bot.advance(minutes=15)
    await _together(
        bot, *(bot.factory.photo_from_bytes(bot.tg, p, bot.next_photo()) for p in people)
    )
    assert await _scalar(bot, "SELECT COUNT(*) FROM certifications WHERE status = 'accepted'") == 2


async def test_a_double_pressed_broadcast_is_planned_once(bot):
    leaders, minji = await _applied(bot)
    await bot.approve(minji, leaders[0])
    await bot.say(leaders[0], "/broadcast")
    await bot.say(leaders[0], "토요일 캠페인 안내")
    preview = bot.tg.last_sent_message(LEADER_IDS[0])
    press = bot.factory.callback(leaders[0], "broadcast:send", message=preview)
    again = bot.factory.callback(leaders[0], "broadcast:send", message=preview)
    await _together(bot, press, again, press)
    await bot.services.outbox.drain(until_empty=True)
    assert [t for t in bot.texts(MINJI) if "토요일 캠페인 안내" in t] == ["토요일 캠페인 안내"]
