"""Daily reminders and settings: planned once per person per day, only when it makes sense,
driven through the job callback with a controlled clock."""

import json

import pytest

from bot.context import CampaignContext
from scheduler.reminders import plan_reminders
from storage import outbox
from tests.support import kst


@pytest.fixture
async def members(bot):
    leaders = await bot.open_leader_chats()
    people = [bot.person(1000 + i, f"참여자{i}") for i in range(1, 5)]
    for person in people:
        await bot.join(person, leaders[0], name=person["first_name"])
    return people


async def run_reminder_job(bot) -> None:
    job = bot.app.job_queue.run_once(plan_reminders, when=3600, name="test-reminders")
    try:
        await plan_reminders(CampaignContext.from_job(job, bot.app))
    finally:
        job.schedule_removal()


async def reminders(bot) -> dict[int, dict]:
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute(
            "SELECT chat_id, payload FROM outbox WHERE key LIKE 'reminder:%' ORDER BY chat_id"
        )
        return {row[0]: json.loads(row[1]) for row in await cursor.fetchall()}


async def test_a_reminder_goes_once_to_each_participant_who_has_not_certified(bot, members):
    done, waiting, muted, gone = members
    bot.now = kst("2027-08-17", "18:00")
    await bot.certify(done)
    await bot.say(muted, "/settings")
    await bot.press(muted, "set:rem:off")
    async with bot.services.database.transaction() as conn:
        from storage import participants

        await participants.mark_inactive(conn, gone["id"], bot.now)

    bot.now = kst("2027-08-17", "18:59")
    await run_reminder_job(bot)
    assert await reminders(bot) == {}  # not yet time

    bot.now = kst("2027-08-17", "19:00")
    await run_reminder_job(bot)
    await run_reminder_job(bot)  # every minute: still one per person per day
    planned = await reminders(bot)
    assert list(planned) == [waiting["id"]]
    payload = planned[waiting["id"]]
    assert "참여자2님, 오늘의 미션 인증 아직이에요" in payload["text"]
    assert payload["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "cert:begin"
    assert payload["quiet_hours"] is True


async def test_the_streak_at_stake_is_in_the_reminder(bot, members):
    person = members[1]
    for day in ("2027-08-16", "2027-08-17", "2027-08-18"):
        bot.now = kst(day, "18:00")
        await bot.certify(person)
    bot.now = kst("2027-08-19", "19:30")
    await run_reminder_job(bot)
    assert "3일 연속" in (await reminders(bot))[person["id"]]["text"]


async def test_a_late_start_still_reminds_today_but_never_for_yesterday(bot, members):
    bot.now = kst("2027-08-17", "19:20")  # the bot was down at 19:00
    await run_reminder_job(bot)
    assert len(await reminders(bot)) == 4
    async with bot.services.database.transaction() as conn:
        keys = {m.key for m in await outbox.due(conn, kst("2027-08-18", "12:00"), 100)}
    assert all(key.endswith(":2027-08-17") for key in keys)
    bot.now = kst("2027-08-18", "08:30")  # next morning: yesterday is not reminded again
    await run_reminder_job(bot)
    assert len(await reminders(bot)) == 4


async def test_no_reminders_in_quiet_hours_or_outside_the_round(bot, members):
    bot.now = kst("2027-08-17", "22:30")
    await run_reminder_job(bot)
    bot.now = kst("2027-10-05", "19:00")  # the day after the round
    await run_reminder_job(bot)
    bot.now = kst("2027-08-15", "19:00")  # the day before
    await run_reminder_job(bot)
    assert await reminders(bot) == {}


async def test_a_personal_reminder_time(bot, members):
    person = members[0]
    await bot.say(person, "/settings")
    assert "19:00에 알려 드려요" in bot.last_text(person["id"])
    offered = bot.buttons(person["id"])
    assert "set:rem:2100" in offered and "set:rem:off" in offered
    assert not any(data.startswith("set:rem:22") for data in offered)  # quiet hours
    await bot.press(person, "set:rem:2100")
    assert "21:00에 알려 드려요" in bot.last_text(person["id"])

    bot.now = kst("2027-08-17", "19:05")
    await run_reminder_job(bot)
    assert person["id"] not in await reminders(bot)
    bot.now = kst("2027-08-17", "21:00")
    await run_reminder_job(bot)
    assert person["id"] in await reminders(bot)


async def test_a_forged_quiet_hours_time_is_ignored(bot, members):
    person = members[0]
    await bot.say(person, "/settings")
    message = bot.tg.last_sent_message(person["id"])
    await bot.press(person, "set:rem:2330", message=message)
    await bot.say(person, "/settings")
    assert "19:00에 알려 드려요" in bot.last_text(person["id"])


async def test_writing_to_the_bot_again_makes_a_blocked_participant_reachable(bot, members):
    from storage import participants

    person = members[0]
    async with bot.services.database.transaction() as conn:
        await participants.mark_inactive(conn, person["id"], bot.now)
    await bot.say(person, "/me")
    async with bot.services.database.transaction() as conn:
        assert (await participants.get(conn, person["id"])).active


async def run_theme_job(bot) -> None:
    from scheduler.themes import announce_themes

    job = bot.app.job_queue.run_once(announce_themes, when=3600, name="test-themes")
    try:
        await announce_themes(CampaignContext.from_job(job, bot.app))
    finally:
        job.schedule_removal()


async def test_a_theme_mission_is_announced_once_on_its_first_morning(bot, members):
    bot.now = kst("2027-08-23", "08:59")  # the theme starts on the 23rd; morning time is 09:00
    await run_theme_job(bot)
    bot.now = kst("2027-08-22", "09:30")
    await run_theme_job(bot)
    async with bot.services.database.transaction() as conn:
        # Nothing pending: the members' decisions and cards (outbox rows too) went out already.
        assert (await outbox.counts(conn))["pending"] == 0
    bot.now = kst("2027-08-23", "09:00")
    await run_theme_job(bot)
    await run_theme_job(bot)
    await bot.services.outbox.drain(until_empty=True)
    for person in members:
        texts = [t for t in bot.texts(person["id"]) if "새 테마 미션" in t]
        assert len(texts) == 1 and "보이스피싱 예방 카드뉴스" in texts[0]
