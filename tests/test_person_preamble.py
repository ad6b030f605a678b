"""The preamble of every update: who sent it and their language, read once, written never."""

import functools

from telegram import Update
from telegram.ext import TypeHandler

from storage import participants
from tests.support import count_store


def _watch(bot) -> list[tuple[object, str]]:
    """What a handler in a late group sees in its context: (person, language) per update."""
    seen: list[tuple[object, str]] = []

    async def look(update, context) -> None:
        seen.append((context.person, context.language))

    bot.app.add_handler(TypeHandler(Update, look), group=99)
    return seen


def _count_person_reads(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = participants.get

    @functools.wraps(original)
    async def counted(conn, user_id):
        calls.append(user_id)
        return await original(conn, user_id)

    monkeypatch.setattr(participants, "get", counted)
    return calls


async def test_a_handler_sees_the_person_and_their_chosen_language(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.say(minji, "/lang")
    await bot.press(minji, "lang:en")
    seen = _watch(bot)

    await bot.say(minji, "/me")

    [(person, language)] = seen
    assert person.user_id == 1001 and person.is_approved
    assert language == "en"
    assert bot.t("me-title", "en", name="김민지") in bot.last_text(1001)


async def test_a_visitor_has_no_person_and_telegrams_language(bot):
    seen = _watch(bot)
    await bot.say(bot.person(1002, "Alex", language="en"), "hello")
    assert seen == [(None, "en")]


async def test_the_person_is_read_once_per_update(bot, monkeypatch):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    reads = _count_person_reads(monkeypatch)

    await bot.say(minji, "/me")

    assert reads == [1001]
    assert "나의 인증" in bot.last_text(1001)


async def test_writing_to_the_bot_while_reachable_writes_only_that_it_was_handled(bot, monkeypatch):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    stats = count_store(monkeypatch)

    await bot.say(minji, "/me")
    await bot.say(leaders[0], "/help")

    assert "나의 인증" in bot.last_text(1001)
    # Nothing about the person is written: the one write of each update is its handled mark
    # (so that Telegram delivering it again after a crash is not answered twice).
    assert stats.writes == 2
    assert stats.reads >= 2
    async with bot.services.database.read() as conn:
        cursor = await conn.execute("SELECT COUNT(*) FROM handled_updates")
        assert (await cursor.fetchone())[0] >= 2


async def test_a_blocked_participant_writing_again_is_written_reachable_once(bot, monkeypatch):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    async with bot.services.database.transaction() as conn:
        await participants.mark_inactive(conn, 1001, bot.now)
    stats = count_store(monkeypatch)

    await bot.say(minji, "/me")
    await bot.say(minji, "/me")

    # The first marks her reachable (with its handled mark); the second only its handled mark.
    assert stats.writes == 2
    async with bot.services.database.read() as conn:
        assert (await participants.get(conn, 1001)).active


async def test_each_step_of_a_certification_is_one_write(bot, monkeypatch):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    stats = count_store(monkeypatch)

    await bot.say(minji, "/certify")
    assert stats.writes == 1
    await bot.send_photo(minji)
    assert "시작 사진 받았어요" in bot.last_text(1001)
    # The photo's checks read; recording it is one write, before the reply. The feed's preview
    # of the kept photo is a second one, after the reply (the participant never waits for it).
    assert stats.writes == 3
