"""Telegram's language is remembered at first contact: what the bot sends on its own (the
leader's decision, reminders) is in that language until the person picks one with /lang."""

from storage import participants
from tests.support import kst
from tests.test_rhythm import reminders, run_reminder_job


async def test_an_applicant_who_used_the_bot_in_english_is_told_the_approval_in_english(bot):
    leaders = await bot.open_leader_chats()
    emma = bot.person(1001, "Emma", language="en")
    await bot.apply(emma, name="Emma Kim")
    await bot.approve(emma, leaders[0])
    assert "Emma Kim, you're approved!" in bot.last_text(1001)


async def test_reminders_follow_telegrams_language_until_lang_is_pressed(bot):
    leaders = await bot.open_leader_chats()
    emma = bot.person(1001, "Emma", language="en")
    await bot.join(emma, leaders[0], name="Emma")
    bot.now = kst("2027-08-17", "19:00")
    await run_reminder_job(bot)
    english = bot.services.translator("en", "reminder", name="Emma", streak=0)
    assert (await reminders(bot))[1001]["text"] == english

    await bot.say(emma, "/lang")
    await bot.press(emma, "lang:ko")
    async with bot.services.database.transaction() as conn:
        assert (await participants.get(conn, 1001)).language == "ko"


async def test_a_later_telegram_setting_does_not_replace_the_remembered_language(bot):
    await bot.say(bot.person(1001, "Emma", language="en"), "/start")
    await bot.say(bot.person(1001, "Emma", language="ko"), "/start")
    async with bot.services.database.transaction() as conn:
        assert (await participants.get(conn, 1001)).language == "en"
