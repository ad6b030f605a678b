"""Telegram fails at any step of a person's action: the action completes or the person is told it
did not, it is never half-done, and doing it again (as a person would) never doubles anything.

Each main action is walked with a fault on its first Bot API call, then (on a fresh bot) on its
second, and so on until the action has no call left to spoil. Faults (``FakeTelegram
.inject_fault``): Telegram answers 500 or 429, the request times out or the connection drops
before Telegram saw it, or Telegram carried the call out and its answer was lost (a time-out the
bot cannot tell from the others). The bot runs without PTB's rate limiter here, so a 429
reaches the handler like any other refusal.

What is guaranteed, and checked: the store holds at most one effect after the fault and exactly
one after the retry (one application, one decision, one pending step, one certification, one
revocation, one outbox row per broadcast recipient); whoever must learn of it (the applicant,
the participant, the broadcast's recipients) is told at least once; and told exactly once,
except when the fault was a lost answer of that very message -- Telegram has no idempotency
key, so a message whose answer was lost is sent again rather than risk it never arriving.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fakes import FAULT_KINDS, FakeRequest, FakeTelegram
from tests.harness import LEADER_IDS, Harness, start_harness, stop_harness
from tests.support import kst

MINJI = 1001
LEADER = LEADER_IDS[0]
NEWS = "이번 주 토요일은 안전 캠페인 날이에요"

Ctx = dict[str, Any]


async def _scalar(bot: Harness, sql: str, *args: Any) -> int:
    async with bot.services.database.transaction() as conn:
        row = await (await conn.execute(sql, args)).fetchone()
    return int(row[0])


def _texts_with(bot: Harness, chat_id: int, *needles: str) -> int:
    return sum(1 for t in bot.texts(chat_id) if all(n in t for n in needles))


# ---- the actions ----------------------------------------------------------------------------


async def _until_consent(bot: Harness) -> Ctx:
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI)
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    await bot.say(minji, "김민지")
    await bot.press(minji, "apply:category:high")
    await bot.say(minji, "익산고등학교")
    await bot.say(minji, "영등동")
    await bot.say(minji, "minji1365")
    return {"leaders": leaders, "minji": minji}


async def _applied(bot: Harness) -> Ctx:
    ctx = await _until_consent(bot)
    await bot.press(ctx["minji"], "apply:consent:yes")
    return ctx


async def _joined(bot: Harness) -> Ctx:
    ctx = await _applied(bot)
    await bot.approve(ctx["minji"], ctx["leaders"][0])
    return ctx


async def _press_kept(bot: Harness, ctx: Ctx, user: Ctx, data: str) -> None:
    """Press a button; a retry presses the same message's button again (as a person would)."""
    key = f"message:{data}"
    if key not in ctx:
        ctx[key] = bot.message_with_button(user["id"], data)
    await bot.press(user, data, message=ctx[key])


@dataclass(frozen=True)
class Action:
    name: str
    setup: Callable[[Harness], Awaitable[Ctx]]
    act: Callable[[Harness, Ctx], Awaitable[None]]
    actor: int  # the chat that must hear something when the action did not happen
    effects: Callable[[Harness], Awaitable[int]]  # how many times it happened, per the store
    told: Callable[[Harness], int]  # how many times whoever must learn of it was told
    told_once: bool = True  # False: each try is answered (a photo sent twice gets two replies)
    # What tells the person it did not happen: the apology, or the step's own refusal.
    sorry: tuple[str, ...] = ("error-apology",)


async def _apply(bot: Harness, ctx: Ctx) -> None:
    await _press_kept(bot, ctx, ctx["minji"], "apply:consent:yes")


async def _approve(bot: Harness, ctx: Ctx) -> None:
    await _press_kept(bot, ctx, ctx["leaders"][0], f"decide:approve:{MINJI}")


async def _reject_setup(bot: Harness) -> Ctx:
    ctx = await _applied(bot)
    await bot.press(ctx["leaders"][0], f"decide:reject:{MINJI}")
    return ctx


async def _reject(bot: Harness, ctx: Ctx) -> None:
    await _press_kept(bot, ctx, ctx["leaders"][0], f"decide:noreason:{MINJI}")


async def _start_setup(bot: Harness) -> Ctx:
    ctx = await _joined(bot)
    await bot.say(ctx["minji"], "/certify")
    ctx["photo"] = bot.next_photo()
    return ctx


async def _send_photo(bot: Harness, ctx: Ctx) -> None:
    await bot.send_photo(ctx["minji"], ctx["photo"])


async def _end_setup(bot: Harness) -> Ctx:
    ctx = await _start_setup(bot)
    await bot.send_photo(ctx["minji"], ctx["photo"])
    bot.advance(minutes=15)
    ctx["photo"] = bot.next_photo()
    return ctx


async def _revoke_setup(bot: Harness) -> Ctx:
    ctx = await _end_setup(bot)
    await bot.send_photo(ctx["minji"], ctx["photo"])
    cert_id = await _scalar(bot, "SELECT id FROM certifications WHERE status = 'accepted'")
    await bot.press(ctx["minji"], f"cert:skipnote:{cert_id}")
    await bot.post_feed()
    await bot.press(ctx["leaders"][0], f"rev:revoke:{cert_id}")
    return ctx


async def _revoke(bot: Harness, ctx: Ctx) -> None:
    await bot.say(ctx["leaders"][0], "사진이 흐려서 다시 찍어 주세요")


async def _broadcast_setup(bot: Harness) -> Ctx:
    ctx = await _joined(bot)
    await bot.say(ctx["leaders"][0], "/broadcast")
    await bot.say(ctx["leaders"][0], NEWS)
    return ctx


async def _broadcast(bot: Harness, ctx: Ctx) -> None:
    await _press_kept(bot, ctx, ctx["leaders"][0], "broadcast:send")


def _status_count(status: str) -> Callable[[Harness], Awaitable[int]]:
    async def count(bot: Harness) -> int:
        return await _scalar(bot, "SELECT COUNT(*) FROM participants WHERE status = ?", status)

    return count


def _cert_count(*statuses: str) -> Callable[[Harness], Awaitable[int]]:
    async def count(bot: Harness) -> int:
        marks = ",".join("?" * len(statuses))
        sql = f"SELECT COUNT(*) FROM certifications WHERE status IN ({marks})"
        return await _scalar(bot, sql, *statuses)

    return count


async def _broadcast_rows(bot: Harness) -> int:
    sql = "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND key LIKE 'broadcast:%'"
    return await _scalar(bot, sql, MINJI)


def _cards(bot: Harness) -> int:
    """Application cards with buttons each leader got (one each, so both leaders can decide)."""
    per_leader = []
    for leader in LEADER_IDS:
        cards = [
            m
            for m in bot.tg.sent_messages(leader)
            if f"decide:approve:{MINJI}" in str(m.get("reply_markup", ""))
        ]
        per_leader.append(len(cards))
    return min(per_leader) if max(per_leader) <= 1 else max(per_leader)


ACTIONS = [
    Action("apply", _until_consent, _apply, MINJI, _status_count("pending"), _cards),
    Action(
        "approve",
        _applied,
        _approve,
        LEADER,
        _status_count("approved"),
        lambda bot: _texts_with(bot, MINJI, "승인됐어요"),
    ),
    Action(
        "reject",
        _reject_setup,
        _reject,
        LEADER,
        _status_count("rejected"),
        lambda bot: _texts_with(
            bot, MINJI, bot.t("decision-rejected", name="김민지", reason="", has_reason="no")[:12]
        ),
    ),
    Action(
        "start photo",
        _start_setup,
        _send_photo,
        MINJI,
        _cert_count("awaiting_end"),
        lambda bot: _texts_with(bot, MINJI, "시작 사진 받았어요"),
        told_once=False,
        sorry=("error-apology", "photo-download-failed"),
    ),
    Action(
        "end photo",
        _end_setup,
        _send_photo,
        MINJI,
        _cert_count("accepted"),
        lambda bot: _texts_with(bot, MINJI, "인증 완료"),
        sorry=("error-apology", "photo-download-failed"),
    ),
    Action(
        "revoke",
        _revoke_setup,
        _revoke,
        LEADER,
        _cert_count("revoked"),
        lambda bot: _texts_with(bot, MINJI, "사진이 흐려서"),
    ),
    Action(
        "broadcast",
        _broadcast_setup,
        _broadcast,
        LEADER,
        _broadcast_rows,
        lambda bot: _texts_with(bot, MINJI, NEWS),
    ),
]


# A time-out and a dropped connection reach the bot as PTB's TimedOut / NetworkError, the class
# a 500 arrives as too; the quick run keeps one of them, SOAK=1 walks all five.
KINDS = FAULT_KINDS if os.environ.get("SOAK") else ("500", "429", "lost_answer")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
async def test_a_fault_at_any_call_leaves_the_action_done_once_or_clearly_not_done(
    tmp_path, campaign, action: Action, kind: str
):
    call = 0
    while True:
        call += 1
        bot = await start_harness(tmp_path / str(call), campaign, kst("2027-08-16", "19:00"))
        try:
            ctx = await action.setup(bot)
            since = len(bot.tg.calls)
            bot.tg.inject_fault(kind, call=call)
            await action.act(bot, ctx)
            fired = bot.tg.faults_fired
            bot.tg.clear_faults()
            if not fired:
                break  # the action made fewer calls than ``call``: every one has been spoiled
            where = f"{action.name}: {kind} on call {call} ({fired[0][1]})"

            effects = await action.effects(bot)
            assert effects <= 1, where
            if effects == 0:
                # Not done: the person was told so ("try again in a moment"), in their chat.
                sorry = {bot.services.translator("ko", key) for key in action.sorry}
                heard = [
                    c
                    for c in bot.tg.api_calls(since)
                    if c.ok
                    and c.params.get("chat_id") == action.actor
                    and c.params.get("text") in sorry
                ]
                assert heard, f"{where}: not done, and {action.actor} was not told so"

            await action.act(bot, ctx)  # the person tries again
            await bot.services.outbox.drain(until_empty=True)
            assert await action.effects(bot) == 1, where
            told = action.told(bot)
            assert told >= 1, f"{where}: done, but never told"
            if action.told_once:
                limit = 2 if kind == "lost_answer" else 1
                assert told <= limit, f"{where}: told {told} times"
        finally:
            await stop_harness(bot)
    assert call > 1, "the action made no Bot API call at all"


async def test_with_ptbs_rate_limiter_a_429_is_waited_out_and_the_reply_arrives_once(
    tmp_path, campaign
):
    """Production runs with PTB's AIORateLimiter: it retries a 429 after ``retry_after`` itself,
    so the participant just gets the answer a second later, once."""
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"), rate_limit=True)
    try:
        ctx = await _end_setup(bot)
        bot.tg.inject_fault("429", method="sendMessage")
        await _send_photo(bot, ctx)
        assert bot.tg.faults_fired == [("429", "sendMessage")]
        assert bot.errors == []
        assert _texts_with(bot, MINJI, "인증 완료") == 1
        assert await _cert_count("accepted")(bot) == 1
    finally:
        await stop_harness(bot)


async def test_injected_faults_reach_ptb_as_telegram_and_the_network_would_raise_them():
    """The fakes' faults, in-process and over HTTP, arrive as PTB's own exceptions."""
    from telegram import Bot
    from telegram.error import NetworkError, RetryAfter, TimedOut
    from telegram.request import HTTPXRequest

    from tests.fakes import FakeBotApiServer

    expected = {
        "500": NetworkError,
        "429": RetryAfter,
        "timeout": TimedOut,
        "drop": NetworkError,
        "lost_answer": TimedOut,
    }
    tg = FakeTelegram()
    tg.add_chat({"id": MINJI, "type": "private", "first_name": "민지"})
    async with Bot(tg.token, request=FakeRequest(tg)) as bot:
        for kind, error in expected.items():
            tg.inject_fault(kind, method="sendMessage")
            with pytest.raises(error):
                await bot.send_message(MINJI, kind)
        await bot.send_message(MINJI, "after the faults")
    # A lost answer was carried out; the others were not.
    assert [m["text"] for m in tg.sent_messages(MINJI)] == ["lost_answer", "after the faults"]

    with FakeBotApiServer(FakeTelegram(), fault_timeout_seconds=1.0) as server:
        server.telegram.add_chat({"id": MINJI, "type": "private", "first_name": "민지"})
        request = HTTPXRequest(read_timeout=0.3)
        async with Bot(server.token, base_url=server.base_url, request=request) as bot:
            server.telegram.inject_fault("drop", method="sendMessage")
            with pytest.raises(NetworkError):
                await bot.send_message(MINJI, "dropped")
            server.telegram.inject_fault("timeout", method="sendMessage")
            with pytest.raises(TimedOut):
                await bot.send_message(MINJI, "silent")
            await bot.send_message(MINJI, "fine again")
        assert [m["text"] for m in server.telegram.sent_messages(MINJI)] == ["fine again"]


# ---- what the walk found, one by one ---------------------------------------------------------


async def test_a_failed_button_answer_does_not_leave_an_approval_half_done(bot):
    ctx = await _applied(bot)
    bot.tg.inject_fault("500", method="answerCallbackQuery")
    await _approve(bot, ctx)
    assert await _status_count("approved")(bot) == 1
    assert _texts_with(bot, MINJI, "승인됐어요") == 1  # before, the applicant never heard
    card = bot.tg.sent_messages(LEADER)[-1]
    assert "decide:approve" not in str(card.get("reply_markup"))  # the leader's card shows it


async def test_an_application_reaches_a_leader_whose_card_failed_through_the_outbox(bot):
    ctx = await _until_consent(bot)
    bot.tg.inject_fault("500", method="sendMessage", chat_id=LEADER_IDS[0])
    await _apply(bot, ctx)
    assert bot.errors == []
    assert "접수" in bot.last_text(MINJI)
    await bot.services.outbox.drain(until_empty=True)
    assert _cards(bot) == 1  # each leader has the card once


async def test_an_end_photo_answer_lost_to_a_500_arrives_later_and_a_resend_adds_nothing(bot):
    ctx = await _end_setup(bot)
    bot.tg.inject_fault("500", method="sendMessage", chat_id=MINJI)
    await _send_photo(bot, ctx)
    assert bot.errors == []  # no apology for a certification that counted
    assert bot.t("error-apology") not in bot.texts(MINJI)
    await bot.services.outbox.drain(until_empty=True)
    assert _texts_with(bot, MINJI, "인증 완료") == 1
    await _send_photo(bot, ctx)  # 민지 sends it again anyway
    assert await _cert_count("accepted")(bot) == 1


async def test_a_revocation_reaches_the_participant_though_the_leaders_reply_failed(bot):
    ctx = await _revoke_setup(bot)
    bot.tg.inject_fault("500", method="sendMessage", chat_id=LEADER)
    await _revoke(bot, ctx)
    assert _texts_with(bot, MINJI, "사진이 흐려서") == 1  # told before the leader's reply
    bot.errors.clear()  # the leader's failed confirmation was apologised for
    await _revoke(bot, ctx)  # the leader types the reason again
    assert await _cert_count("revoked")(bot) == 1
    assert _texts_with(bot, MINJI, "사진이 흐려서") == 1


async def test_a_card_the_outbox_delivered_shows_the_decision_and_goes_with_delete(bot):
    ctx = await _until_consent(bot)
    bot.tg.inject_fault("500", method="sendMessage", chat_id=LEADER_IDS[0])
    await _apply(bot, ctx)
    await bot.services.outbox.drain(until_empty=True)
    card = bot.message_with_button(LEADER_IDS[0], f"decide:approve:{MINJI}")

    await bot.press(ctx["leaders"][1], f"decide:approve:{MINJI}")
    shown = bot.tg.message(LEADER_IDS[0], card["message_id"])
    assert shown is not None and shown["text"] != card["text"]  # the decision is on it
    assert "decide:approve" not in str(shown.get("reply_markup"))

    await bot.say(ctx["minji"], "/delete")
    await bot.press(ctx["minji"], "erase:delete:yes")
    assert bot.tg.message(LEADER_IDS[0], card["message_id"]) is None  # school, 1365 id: gone
    assert not any("minji1365" in text for text in bot.texts(LEADER_IDS[0]))


async def test_a_card_still_waiting_in_the_outbox_is_never_sent_after_delete(bot):
    ctx = await _until_consent(bot)
    bot.tg.inject_fault("500", method="sendMessage", chat_id=LEADER_IDS[0])
    await _apply(bot, ctx)
    await bot.say(ctx["minji"], "/delete")
    await bot.press(ctx["minji"], "erase:delete:yes")

    await bot.services.outbox.drain(until_empty=True)
    assert not any("minji1365" in text for text in bot.texts(LEADER_IDS[0]))
    assert await _scalar(bot, "SELECT COUNT(*) FROM outbox WHERE payload LIKE '%minji1365%'") == 0


async def test_a_feed_post_telegram_failed_goes_out_later_once_and_still_goes_with_delete(bot):
    ctx = await _joined(bot)
    minji = ctx["minji"]
    bot.tg.inject_fault("500", method="sendPhoto", chat_id=LEADER_IDS[0])
    await bot.certify(minji)
    assert await _cert_count("accepted")(bot) == 1
    assert [m for m in bot.tg.sent_messages(LEADER_IDS[0]) if "photo" in m] == []
    bot.advance(minutes=1)  # the outbox's backoff
    await bot.post_feed()
    for leader in LEADER_IDS:
        assert len([m for m in bot.tg.sent_messages(leader) if "photo" in m]) == 1

    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    for leader in LEADER_IDS:
        assert not [m for m in bot.tg.sent_messages(leader) if "photo" in m or "document" in m]


async def test_a_decision_the_applicant_cannot_be_sent_still_stands_and_is_not_retried(bot):
    ctx = await _applied(bot)
    bot.tg.fail_next("sendMessage", 400, "Bad Request: chat not found")
    await _approve(bot, ctx)
    assert bot.errors == []
    assert await _status_count("approved")(bot) == 1
    assert await _scalar(bot, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0
