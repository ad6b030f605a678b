"""Theme missions made in chat by leaders, and ideas from participants."""

from storage import missions
from tests.harness import LEADER_IDS
from tests.support import kst


async def _missions(bot):
    async with bot.services.database.transaction() as conn:
        return [m for m in await missions.running_on(conn, kst("2027-09-01").date())]


async def test_a_leader_drafts_previews_and_creates_a_theme_mission(bot):
    leaders = await bot.open_leader_chats()
    leader = leaders[0]
    await bot.say(leader, "/theme")
    assert bot.last_text(9001) == bot.t("theme-ask-title")
    await bot.say(leader, "공원 화장실 비상벨 점검")
    await bot.say(leader, "가까운 공원 화장실 비상벨이 잘 보이는지 살펴봐요.")
    await bot.say(leader, "어제")  # not a date
    assert bot.last_text(9001) == bot.t("theme-invalid-date")
    await bot.say(leader, "2027-08-01")  # before the round
    assert bot.last_text(9001) == bot.t("theme-invalid-past")
    await bot.say(leader, "2027-08-30")
    await bot.press(leader, "theme:days:7")
    preview = bot.last_text(9001)
    assert "공원 화장실 비상벨 점검" in preview and "8월 30일 (월)" in preview
    assert "9월 5일 (일)" in preview and "(7일)" in preview
    await bot.press(leader, "theme:confirm")
    assert "만들었어요" in bot.last_text(9001)
    created = [m for m in await _missions(bot) if m.title == "공원 화장실 비상벨 점검"]
    assert len(created) == 1 and created[0].kind == "theme" and created[0].days == 7


async def test_participants_cannot_make_theme_missions(bot):
    await bot.say(bot.person(1001), "/theme")
    assert bot.last_text(1001) == bot.t("leaders-only")
    await bot.say(bot.person(1001), "/ideas")
    assert bot.last_text(1001) == bot.t("leaders-only")


async def test_an_idea_becomes_a_theme_mission_with_one_button(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001, "민지")
    await bot.join(minji, leaders[0], name="김민지")
    await bot.say(minji, "/idea")
    assert bot.last_text(1001) == bot.t("idea-ask")
    await bot.say(minji, "등굣길 위험한 횡단보도 찾기")
    assert bot.last_text(1001) == bot.t("idea-saved")

    await bot.say(leaders[0], "/ideas")
    card = bot.last_text(LEADER_IDS[0])
    assert "김민지" in card and "등굣길 위험한 횡단보도 찾기" in card
    (use,) = bot.buttons(LEADER_IDS[0])
    await bot.press(leaders[0], use)
    assert "등굣길 위험한 횡단보도 찾기" in bot.last_text(LEADER_IDS[0])  # the proposed title
    await bot.say(leaders[0], "학교 가는 길의 위험한 횡단보도를 찾아 알려 주세요.")
    await bot.say(leaders[0], "8/30")
    await bot.say(leaders[0], "5")
    await bot.press(leaders[0], "theme:confirm")
    titles = [m.title for m in await _missions(bot)]
    assert "등굣길 위험한 횡단보도 찾기" in titles
    await bot.say(leaders[0], "/ideas")
    assert "테마 미션으로 만들었어요" in bot.last_text(LEADER_IDS[0])


async def test_idea_with_text_in_the_command(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.say(minji, "/idea 편의점 아동안전지킴이집 찾기")
    assert bot.last_text(1001) == bot.t("idea-saved")
    stranger = bot.person(1002)
    await bot.say(stranger, "/idea 아무거나")
    assert bot.last_text(1002) == bot.t("idea-not-participant")
