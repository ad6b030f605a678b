"""A crash in one update: the person gets an apology, leaders hear once, the bot keeps going."""

from telegram.ext import CommandHandler

from tests.harness import start_harness, stop_harness
from tests.support import kst


async def _explode(update, context) -> None:
    raise RuntimeError("the broken feature")


async def test_a_failing_handler_is_apologised_for_and_reported_once(tmp_path, campaign):
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"))
    bot.app.add_handler(CommandHandler("explode", _explode), group=-1)
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    english = bot.person(1002, "Alex", language="en")

    await bot.say(minji, "/explode")
    assert bot.t("error-apology") in bot.texts(1001)
    await bot.say(english, "/explode")
    assert bot.t("error-apology", "en") in bot.texts(1002)

    reports = [t for t in bot.texts(leaders[0]["id"]) if "RuntimeError" in t]
    assert len(reports) == 1  # the same error twice is told once
    assert "the broken feature" in reports[0]
    assert bot.services.settings.bot_token not in reports[0]

    await bot.say(minji, "/start")  # the bot keeps working
    assert "안녕하세요" in bot.last_text(1001)
    await stop_harness(bot)
    assert [type(e) for e in bot.errors] == [RuntimeError, RuntimeError]


async def test_a_redelivered_end_photo_counts_once(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.say(minji, "/certify")
    await bot.send_photo(minji)
    bot.advance(minutes=15)
    end = bot.factory.photo_from_bytes(bot.tg, minji, bot.next_photo())
    await bot.send(end)
    await bot.send(end)  # Telegram redelivers an update whose offset was not confirmed
    async with bot.services.database.transaction() as conn:
        rows = await (
            await conn.execute("SELECT COUNT(*) FROM certifications WHERE status = 'accepted'")
        ).fetchone()
        photos = await (await conn.execute("SELECT COUNT(*) FROM photos")).fetchone()
    assert rows[0] == 1 and photos[0] == 2
