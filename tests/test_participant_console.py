"""A leader managing one participant, and rewards marked as handed out."""

import pytest

from storage import handouts, participants
from tests.harness import LEADER_IDS


@pytest.fixture
async def member(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001, "민지")
    await bot.join(minji, leaders[0], name="김민지")
    return minji, leaders


async def _person(bot, user_id=1001):
    async with bot.services.database.transaction() as conn:
        return await participants.get(conn, user_id)


async def test_a_leader_finds_a_participant_by_name_or_id(bot, member):
    _, leaders = member
    await bot.say(leaders[0], "/participant 민지")
    card = bot.last_text(LEADER_IDS[0])
    assert "김민지" in card and "minji1365" in card and "익산고등학교" in card
    await bot.say(leaders[0], "/participant 1001")
    assert "김민지" in bot.last_text(LEADER_IDS[0])
    await bot.say(leaders[0], "/participant 없는사람")
    assert bot.last_text(LEADER_IDS[0]) == bot.t("participant-none", query="없는사람")


async def test_pausing_stops_certifying_and_tells_the_reason(bot, member):
    minji, leaders = member
    await bot.say(leaders[0], "/participant 1001")
    await bot.press(leaders[0], "person:pause:1001")
    await bot.say(leaders[0], "사진 규칙을 함께 확인해요")
    assert "사진 규칙을 함께 확인해요" in bot.last_text(1001)
    await bot.say(minji, "/certify")
    assert bot.last_text(1001) == bot.t("cert-not-participant")
    await bot.press(leaders[0], "person:resume:1001")
    assert bot.last_text(1001) == bot.t("participant-told-resumed")
    await bot.say(minji, "/certify")
    assert bot.last_text(1001).startswith("📸")


async def test_removing_ends_participation_and_keeps_the_record(bot, member):
    minji, leaders = member
    await bot.certify(minji)
    await bot.say(leaders[0], "/participant 1001")
    await bot.press(leaders[0], "person:remove:1001")
    await bot.say(leaders[0], "익산 밖으로 이사했어요")
    assert (await _person(bot)).status == "rejected"
    assert "익산 밖으로 이사했어요" in bot.last_text(1001)
    async with bot.services.database.transaction() as conn:
        row = await (await conn.execute("SELECT COUNT(*) FROM certifications")).fetchone()
    assert row[0] == 1


async def test_a_leader_corrects_the_1365_id_with_validation(bot, member):
    _, leaders = member
    await bot.say(leaders[0], "/participant 1001")
    await bot.press(leaders[0], "person:vid:1001")
    await bot.say(leaders[0], "bad id!")
    assert bot.last_text(LEADER_IDS[0]) == bot.t("signup-invalid-volunteer-id")
    await bot.say(leaders[0], "minji2027")
    assert (await _person(bot)).volunteer_id == "minji2027"


async def test_participants_cannot_use_the_participant_console(bot, member):
    minji, leaders = member
    await bot.say(minji, "/participant 1001")
    assert bot.last_text(1001) == bot.t("leaders-only")
    await bot.say(leaders[0], "/participant 1001")
    card = bot.tg.last_sent_message(LEADER_IDS[0])
    await bot.press(minji, "person:pause:1001", message=card)
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("leaders-only")
    assert not (await _person(bot)).paused


async def test_the_letter_of_appreciation_is_marked_from_top_once(bot, member):
    minji, leaders = member
    await bot.certify(minji)
    await bot.say(leaders[0], "/top")
    await bot.press(leaders[0], "handout:letter:1001")
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("handout-done")
    await bot.press(leaders[0], "handout:letter:1001")
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("handout-already")
    async with bot.services.database.transaction() as conn:
        assert await handouts.of(conn, 1001) == {"letter"}


async def test_a_milestone_not_reached_cannot_be_marked(bot, member):
    _, leaders = member
    card = bot.tg.last_sent_message(LEADER_IDS[0])
    await bot.press(leaders[0], "handout:m20:1001", message=card)
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("handout-unknown")
