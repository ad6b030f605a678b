"""Telegram delivers an update again when the bot stopped before confirming it: the same
update (or the same message, or the same button press) has no second effect and no second
answer. Over HTTP with real kills: ``tests/test_kill.py``."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from storage import handled_updates
from tests.support import kst


@pytest.fixture
async def member(bot):
    """An approved participant, 민지 (1001)."""
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    return minji


async def _notes(bot) -> list[str | None]:
    async with bot.services.database.read() as conn:
        rows = await (await conn.execute("SELECT note FROM certifications")).fetchall()
    return [row[0] for row in rows]


async def test_a_redelivered_note_is_saved_once_and_answered_once(bot, member):
    await bot.certify(member, skip_note=False)
    note = bot.factory.text(member, "골목 보안등이 꺼져 있었어요")
    await bot.send(note)
    assert bot.last_text(1001) == bot.t("note-saved")
    since = bot.tg.mark()
    await bot.send(copy.deepcopy(note))
    assert bot.tg.api_calls(since) == []
    assert await _notes(bot) == ["골목 보안등이 꺼져 있었어요"]


async def test_a_message_redelivered_under_another_update_id_is_known_by_its_message(bot, member):
    await bot.certify(member, skip_note=False)
    note = bot.factory.text(member, "가로등이 밝아졌어요")
    await bot.send(note)
    again = {**copy.deepcopy(note), "update_id": note["update_id"] + 1000}
    since = bot.tg.mark()
    await bot.send(again)
    assert bot.tg.api_calls(since) == []
    assert await _notes(bot) == ["가로등이 밝아졌어요"]


async def test_a_redelivered_skip_press_is_not_refused_as_a_stale_button(bot, member):
    await bot.certify(member, skip_note=False)
    (skip,) = [d for d in bot.buttons(1001) if d.startswith("cert:skipnote:")]
    press = bot.factory.callback(member, skip, message=bot.message_with_button(1001, skip))
    await bot.send(press)
    since = bot.tg.mark()
    await bot.send(copy.deepcopy(press))
    # No "this button is stale" alert, no second "see you tomorrow".
    assert bot.tg.api_calls(since) == []


async def test_a_redelivered_command_is_answered_once(bot, member):
    me = bot.factory.text(member, "/me")
    await bot.send(me)
    answered = len(bot.texts(1001))
    since = bot.tg.mark()
    await bot.send(copy.deepcopy(me))
    assert bot.tg.api_calls(since) == []
    assert len(bot.texts(1001)) == answered


async def test_marks_older_than_two_days_are_forgotten(db):
    now = kst("2027-08-16", "19:00")
    async with db.transaction() as conn:
        await handled_updates.mark(conn, handled_updates.keys_of(1), now)
    later = now + handled_updates.KEEP + timedelta(minutes=1)
    async with db.transaction() as conn:
        await handled_updates.mark(conn, handled_updates.keys_of(2), later)
        assert not await handled_updates.seen(conn, handled_updates.keys_of(1))
        assert await handled_updates.seen(conn, handled_updates.keys_of(2))
