"""Messages that report a committed change survive a crash right after the commit.

The decision (and the other notices) is planned in the outbox in the transaction that makes the
change, then delivered at once. To stand for the process dying in the window between the
commit and that delivery, the fake Bot API "kills" the bot at the first call after the commit
(an exception no handler catches, as a SIGKILL would leave nothing to catch it). The bot is
then restarted on the same store and the same Telegram, and the outbox drains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.campaign.config import Campaign
from bot.i18n import Translator
from storage import outbox
from tests.fakes import FakeRequest, FakeTelegram, UpdateFactory
from tests.harness import LEADER_IDS, Harness, make_settings, stop_harness
from tests.support import kst


class _Killed(BaseException):
    """The process stopped: nothing in the bot may catch this."""


class _KillingRequest(FakeRequest):
    """The fake Bot API, but the bot dies when it makes the ``kill_at`` call."""

    kill_at: str | None = None

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if _KillingRequest.kill_at is not None and url.endswith("/" + _KillingRequest.kill_at):
            _KillingRequest.kill_at = None
            raise _Killed(url)
        return await super().do_request(url, method, *args, **kwargs)


async def _start(
    tmp_path: Path, campaign: Campaign, tg: FakeTelegram, factory: UpdateFactory
) -> Harness:
    """The bot on ``tg`` (kept across a restart: the same Telegram, the same chats)."""
    app = build_application(
        make_settings(tmp_path),
        campaign,
        request=_KillingRequest(tg),
        get_updates_request=FakeRequest(tg),
        translator=Translator(strict=True),
        rate_limit=False,
    )
    harness = Harness(tg, factory, app)
    app.bot_data.clock = lambda: factory.now
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    return harness


async def _restart(bot: Harness, tmp_path: Path, campaign: Campaign) -> Harness:
    _KillingRequest.kill_at = None
    await stop_harness(bot)
    return await _start(tmp_path, campaign, bot.tg, bot.factory)


async def _row(bot: Harness, key_start: str) -> outbox.OutboxMessage:
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute("SELECT id FROM outbox WHERE key LIKE ?", (key_start + "%",))
        rows = await cursor.fetchall()
        assert len(rows) == 1, rows
        found = await outbox.get(conn, rows[0][0])
    assert found is not None
    return found


@pytest.fixture
async def world(tmp_path, campaign):
    tg = FakeTelegram()
    bot = await _start(tmp_path, campaign, tg, UpdateFactory(tg, now=kst("2027-08-16", "19:00")))
    holder = {"bot": bot}
    yield holder
    _KillingRequest.kill_at = None
    await stop_harness(holder["bot"])


def _told(bot: Harness, chat_id: int, key: str, **args: Any) -> int:
    return bot.texts(chat_id).count(bot.t(key, **args))


async def test_an_approval_caught_by_a_crash_before_its_message_reaches_the_teenager_after_restart(
    world, tmp_path, campaign
):
    bot = world["bot"]
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    approved = dict(name="김민지", link="no", invite_link="", joined="no")
    # The decision commits; the bot dies at its very next call (the button's answer).
    _KillingRequest.kill_at = "answerCallbackQuery"
    with pytest.raises(_Killed):
        await bot.approve(minji, leaders[0])
    assert _told(bot, 1001, "decision-approved", **approved) == 0
    assert (await _row(bot, "decision:1001:approved:")).status == "pending"

    bot = world["bot"] = await _restart(bot, tmp_path, campaign)
    await bot.services.outbox.drain(until_empty=True)
    assert _told(bot, 1001, "decision-approved", **approved) == 1
    assert (await _row(bot, "decision:1001:approved:")).status == "sent"
    await bot.services.outbox.drain(until_empty=True)  # and never again
    assert _told(bot, 1001, "decision-approved", **approved) == 1


async def test_a_rejection_caught_by_a_crash_still_tells_the_applicant_once(
    world, tmp_path, campaign
):
    bot = world["bot"]
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.press(leaders[0], "decide:reject:1001")
    # Committed; the bot dies taking the buttons off the leader's question.
    _KillingRequest.kill_at = "editMessageReplyMarkup"
    with pytest.raises(_Killed):
        await bot.press(leaders[0], "decide:noreason:1001")
    rejected = dict(name="김민지", reason="", has_reason="no", link="no", invite_link="")
    rejected["joined"] = "no"
    assert _told(bot, 1001, "decision-rejected", **rejected) == 0

    bot = world["bot"] = await _restart(bot, tmp_path, campaign)
    await bot.services.outbox.drain(until_empty=True)
    await bot.services.outbox.drain(until_empty=True)
    assert _told(bot, 1001, "decision-rejected", **rejected) == 1


async def test_without_a_crash_the_decision_goes_out_at_once_and_is_recorded_sent(world):
    bot = world["bot"]
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.approve(minji, leaders[0])
    approved = dict(name="김민지", link="no", invite_link="", joined="no")
    assert _told(bot, 1001, "decision-approved", **approved) == 1  # no drain needed
    assert (await _row(bot, "decision:1001:approved:")).status == "sent"
    await bot.services.outbox.drain(until_empty=True)
    assert _told(bot, 1001, "decision-approved", **approved) == 1


async def test_an_application_caught_by_a_crash_reaches_every_leader_after_restart_once(
    world, tmp_path, campaign
):
    bot = world["bot"]
    await bot.open_leader_chats()
    minji = bot.person(1001)
    # The consent commits the application; the bot dies at its next call.
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    await bot.say(minji, "김민지")
    await bot.press(minji, "apply:category:high")
    for answer in ("익산고등학교", "영등동", "minji1365"):
        await bot.say(minji, answer)
    _KillingRequest.kill_at = "answerCallbackQuery"
    with pytest.raises(_Killed):
        await bot.press(minji, "apply:consent:yes")
    for leader_id in LEADER_IDS:
        assert "decide:approve:1001" not in str(bot.tg.sent_messages(leader_id))

    bot = world["bot"] = await _restart(bot, tmp_path, campaign)
    await bot.services.outbox.drain(until_empty=True)
    await bot.services.outbox.drain(until_empty=True)
    for leader_id in LEADER_IDS:
        cards = [m for m in bot.tg.sent_messages(leader_id) if "decide:approve:1001" in str(m)]
        assert len(cards) == 1, leader_id
    # Delivered late, each is still that application's card: the decision shows on both.
    await bot.press(bot.person(LEADER_IDS[0], "경위"), "decide:approve:1001")
    for leader_id in LEADER_IDS:
        still = [m for m in bot.tg.sent_messages(leader_id) if "decide:approve:1001" in str(m)]
        assert still == [], leader_id
    assert (
        _told(bot, 1001, "decision-approved", name="김민지", link="no", invite_link="", joined="no")
        == 1
    )


async def test_a_restored_certification_caught_by_a_crash_is_still_reported_once(
    world, tmp_path, campaign
):
    bot = world["bot"]
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0], name="김민지")
    await bot.certify(minji)
    cert_id = int(bot.buttons(LEADER_IDS[0])[0].rsplit(":", 1)[1])
    await bot.press(leaders[0], f"rev:revoke:{cert_id}")
    await bot.say(leaders[0], "다른 날 찍은 사진이에요")
    assert "다른 날 찍은 사진이에요" in bot.last_text(1001)  # told at once, no drain
    # The restore commits; the bot dies answering the button.
    _KillingRequest.kill_at = "answerCallbackQuery"
    with pytest.raises(_Killed):
        await bot.press(leaders[1], f"rev:restore:{cert_id}")
    assert not any("다시 인정" in text for text in bot.texts(1001))

    bot = world["bot"] = await _restart(bot, tmp_path, campaign)
    await bot.services.outbox.drain(until_empty=True)
    await bot.services.outbox.drain(until_empty=True)
    assert sum("다시 인정" in text for text in bot.texts(1001)) == 1
    assert sum("다른 날 찍은 사진이에요" in text for text in bot.texts(1001)) == 1
