"""Milestones: the badge arrives once per participant and milestone, leaders are told what to
hand out, and a revocation below an announced milestone is flagged instead of re-announced."""

import pytest

from bot.campaign.config import parse_campaign
from bot.media.pictures import BadgeLabels, render_badge
from tests.harness import LEADER_IDS, start_harness, stop_harness
from tests.support import campaign_document, kst


@pytest.fixture
async def small_steps(tmp_path):
    """A campaign whose rewards come at 2 and 3 certifications, so tests stay short."""
    document = campaign_document()
    document["milestones"] = [{"count": 2, "reward": "배지"}, {"count": 3, "reward": "인형"}]
    bot = await start_harness(tmp_path, parse_campaign(document), kst("2027-08-16", "19:00"))
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001, "민지")
    await bot.join(minji, leaders[0])
    yield bot, minji, leaders
    await stop_harness(bot)
    assert bot.errors == []


async def _certify_on(bot, person, day: str) -> None:
    bot.now = kst(day, "19:00")
    await bot.certify(person)


def _badges(bot) -> list:
    """Pictures sent to the participant (the feed's go to the leaders)."""
    return [c for c in bot.tg.calls_of("sendPhoto") if c.params["chat_id"] == 1001]


async def _deliver(bot) -> None:
    await bot.services.outbox.drain(until_empty=True)


async def test_reaching_a_milestone_sends_a_badge_and_tells_the_leaders(small_steps):
    bot, minji, _ = small_steps
    await _certify_on(bot, minji, "2027-08-16")
    await _deliver(bot)
    assert _badges(bot) == []
    await _certify_on(bot, minji, "2027-08-17")
    await _deliver(bot)
    (badge,) = _badges(bot)
    assert badge.params["chat_id"] == 1001
    assert "2회 달성" in badge.params["caption"] and "배지" in badge.params["caption"]
    upload = next(iter(badge.files.values()))
    assert upload.data.startswith(b"\x89PNG")
    for leader_id in LEADER_IDS:
        assert any("김민지" in text and "배지" in text for text in bot.texts(leader_id))


async def test_a_milestone_is_announced_once_even_when_revoked_and_re_earned(small_steps):
    bot, minji, leaders = small_steps
    await _certify_on(bot, minji, "2027-08-16")
    await _certify_on(bot, minji, "2027-08-17")
    await _deliver(bot)
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute("SELECT MAX(id) FROM certifications WHERE status = 'accepted'")
        cert_id = (await cursor.fetchone())[0]
    await bot.press(leaders[0], f"rev:revoke:{cert_id}")
    await bot.say(leaders[0], "테스트 취소")
    await _deliver(bot)
    assert any("이미 알린 '배지'" in text for text in bot.texts(LEADER_IDS[0]))

    await _certify_on(bot, minji, "2027-08-18")  # back to 2
    await _deliver(bot)
    assert len(_badges(bot)) == 1  # no second badge for 2
    await _certify_on(bot, minji, "2027-08-19")  # 3: the next milestone
    await _deliver(bot)
    photos = _badges(bot)
    assert len(photos) == 2 and "인형" in photos[-1].params["caption"]


async def test_milestone_messages_are_planned_once_even_if_announced_twice(small_steps):
    from bot.notices.rewards import announce

    bot, minji, _ = small_steps
    await _certify_on(bot, minji, "2027-08-16")
    await _certify_on(bot, minji, "2027-08-17")
    # The same announcement again (a redelivered update, a retry): nothing new is planned.
    from bot.context import CampaignContext

    job = bot.app.job_queue.run_once(lambda c: None, when=3600)
    await announce(CampaignContext.from_job(job, bot.app), 1001, "3차")
    job.schedule_removal()
    async with bot.services.database.transaction() as conn:
        # Only milestone rows: decisions and cards go through the outbox too.
        cursor = await conn.execute("SELECT COUNT(*) FROM outbox WHERE key LIKE 'milestone:%'")
        (planned,) = await cursor.fetchone()
    assert planned == 1 + len(LEADER_IDS)


async def test_the_leaders_mark_the_reward_handed_out_from_the_notice(small_steps):
    bot, minji, leaders = small_steps
    await _certify_on(bot, minji, "2027-08-16")
    await _certify_on(bot, minji, "2027-08-17")
    await _deliver(bot)
    await bot.press(leaders[1], "handout:m2:1001")
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("handout-done")
    await bot.say(leaders[0], "/stats")
    assert "배지 (2회): 1명 달성, 1명 전달" in bot.texts(LEADER_IDS[0])[-1]


async def test_each_reward_step_gets_a_richer_badge_with_the_day_it_was_reached(small_steps):
    bot, minji, _ = small_steps
    for day in ("2027-08-16", "2027-08-17", "2027-08-18"):
        await _certify_on(bot, minji, day)
    await _deliver(bot)
    sent = [
        next(iter(call.files.values())).data
        for call in bot.tg.calls_of("sendPhoto")
        if call.params["chat_id"] == minji["id"]  # not the feed's posts in leaders' chats
    ]
    campaign = bot.services.campaign
    t = bot.services.translator
    labels = BadgeLabels(*(t("ko", f"badge-{k}") for k in ("headline", "name", "achievement")))
    common = {"name": "김민지", "round_name": "3차", "station": campaign.station,
              "campaign": campaign.name, "labels": labels}  # fmt: skip
    assert sent == [
        render_badge(**common, reward="배지", count=2, step=1, day="2027년 8월 17일"),
        render_badge(**common, reward="인형", count=3, step=2, day="2027년 8월 18일"),
    ]
