"""The leaders' console: /stats with its chart, /top for the letter of appreciation, /leaders;
every leader command refused for everyone else."""

import pytest

from tests.harness import LEADER_IDS
from tests.support import kst


@pytest.fixture
async def round_in_progress(bot):
    """Three participants with different records by 2027-08-20."""
    leaders = await bot.open_leader_chats()
    people = {
        name: bot.person(1000 + i, name) for i, name in enumerate(["민지", "서연", "하늘"], 1)
    }
    for person in people.values():
        await bot.join(person, leaders[0], name=person["first_name"], category="high")
    await bot.apply(bot.person(1009, "대기"), name="대기중")  # one pending application
    plan = {"민지": ["16", "17", "18"], "서연": ["16", "18", "19"], "하늘": ["20"]}
    for name, days in plan.items():
        for day in days:
            bot.now = kst(f"2027-08-{day}", "19:00")
            await bot.certify(people[name])
    bot.now = kst("2027-08-20", "21:00")
    return leaders, people


async def test_stats_show_participants_certifications_and_a_chart(bot, round_in_progress):
    leaders, _ = round_in_progress
    feed_pictures = len(bot.tg.calls_of("sendPhoto"))  # the feed's posts in leaders' chats
    await bot.say(leaders[0], "/stats")
    text = bot.texts(LEADER_IDS[0])[-1]
    assert "참여자 3명" in text and "승인 대기 1명" in text and "고등학생 3" in text
    assert "오늘 인증 1회" in text and "이번 차수 7회" in text
    (chart,) = bot.tg.calls_of("sendPhoto")[feed_pictures:]
    assert chart.params["chat_id"] == LEADER_IDS[0]
    assert next(iter(chart.files.values())).data.startswith(b"\x89PNG")


async def test_top_ranks_by_certifications_then_longest_streak(bot, round_in_progress):
    leaders, _ = round_in_progress
    await bot.say(leaders[0], "/top 2")
    text = bot.last_text(LEADER_IDS[0])
    # 민지 and 서연 both have 3; 민지's longest streak (3 days) beats 서연's (2 days).
    assert text.index("1. 민지 — 3회 (최장 연속 3일") < text.index("2. 서연 — 3회 (최장 연속 2일")
    assert "하늘" not in text


async def test_top_with_an_unknown_round_lists_the_rounds(bot, round_in_progress):
    leaders, _ = round_in_progress
    await bot.say(leaders[0], "/top 5 9차")
    assert bot.last_text(LEADER_IDS[0]) == bot.t("top-unknown-round", rounds="3차")


async def test_every_leader_command_is_refused_for_participants(bot, round_in_progress):
    _, people = round_in_progress
    minji = people["민지"]
    feed_pictures = len(bot.tg.calls_of("sendPhoto"))  # the feed's posts in leaders' chats
    for command in ("/stats", "/top", "/leaders", "/pending", "/audit", "/theme", "/ideas"):
        await bot.say(minji, command)
        assert bot.last_text(minji["id"]) == bot.t("leaders-only"), command
    assert bot.tg.calls_of("sendPhoto")[feed_pictures:] == []


async def test_leaders_lists_who_has_leader_rights(bot):
    leaders = await bot.open_leader_chats()
    await bot.say(leaders[1], "/leaders")
    text = bot.last_text(LEADER_IDS[1])
    assert "ID 9001" in text and "ID 9002" in text and "경위9001" in text


async def test_a_broadcast_is_previewed_then_sent_once_to_everyone(bot, round_in_progress):
    leaders, people = round_in_progress
    await bot.say(leaders[0], "/broadcast")
    await bot.say(leaders[0], "이번 주 토요일은 <b>안전 캠페인</b> 날이에요 & 다 같이!")
    preview = bot.tg.last_sent_message(LEADER_IDS[0])
    assert "안전 캠페인" in preview["text"]
    assert bot.buttons(LEADER_IDS[0]) == ["broadcast:send", "broadcast:cancel"]
    await bot.press(leaders[0], "broadcast:send", message=preview)
    await bot.press(leaders[0], "broadcast:send", message=preview)  # a double press adds nothing
    await bot.services.outbox.drain(until_empty=True)
    for person in people.values():
        got = [t for t in bot.texts(person["id"]) if "안전 캠페인" in t]
        assert got == ["이번 주 토요일은 <b>안전 캠페인</b> 날이에요 & 다 같이!"]


async def test_a_photo_broadcast_in_quiet_hours_waits_for_the_morning(bot, round_in_progress):
    leaders, people = round_in_progress
    bot.now = kst("2027-08-20", "23:00")
    await bot.say(leaders[0], "/broadcast")
    await bot.send_photo(leaders[0])
    preview = bot.tg.last_sent_message(LEADER_IDS[0])
    await bot.press(leaders[0], "broadcast:send", message=preview)
    await bot.services.outbox.drain()
    assert [c for c in bot.tg.calls_of("sendPhoto") if c.params["chat_id"] not in LEADER_IDS] == []
    bot.now = kst("2027-08-21", "08:00")
    await bot.services.outbox.drain(until_empty=True)
    sent = [c for c in bot.tg.calls_of("sendPhoto") if c.params["chat_id"] not in LEADER_IDS]
    assert {c.params["chat_id"] for c in sent} == {p["id"] for p in people.values()}


async def test_top_ties_after_streak_go_to_useful_risk_reports(bot):
    leaders = await bot.open_leader_chats()
    a, b = bot.person(1101, "가람"), bot.person(1102, "나래")
    for person in (a, b):
        await bot.join(person, leaders[0], name=person["first_name"])
        await bot.certify(person)
    async with bot.services.database.transaction() as conn:
        await conn.execute(
            "INSERT INTO risk_reports (reporter_id, status, created_at, updated_at) "
            "VALUES (1102, 'resolved', 'x', 'x'), (1101, 'rejected', 'x', 'x')"
        )
    await bot.say(leaders[0], "/top")
    text = bot.last_text(LEADER_IDS[0])
    assert text.index("1. 나래") < text.index("2. 가람")


async def test_a_participant_who_blocks_the_bot_is_counted_unreachable_at_once(
    bot, round_in_progress
):
    leaders, people = round_in_progress
    minji = people["민지"]
    private = bot.factory.private_chat(minji)
    blocked = bot.factory.my_chat_member(minji, private, old_status="member", new_status="kicked")
    await bot.send(blocked)
    await bot.say(leaders[0], "/stats")
    stats = next(t for t in reversed(bot.texts(LEADER_IDS[0])) if "참여자 3명" in t)
    assert "연락 가능 2명, 봇 차단 1명" in stats
    await bot.say(leaders[0], "/broadcast")
    await bot.say(leaders[0], "토요일 캠페인 안내")
    assert bot.t("broadcast-preview", count=2) in bot.texts(LEADER_IDS[0])
    await bot.press(leaders[0], "broadcast:send", message=bot.tg.last_sent_message(LEADER_IDS[0]))
    await bot.services.outbox.drain(until_empty=True)
    assert not [t for t in bot.texts(minji["id"]) if "토요일 캠페인" in t]

    # Unblocking the bot makes them reachable again.
    back = bot.factory.my_chat_member(minji, private, old_status="kicked", new_status="member")
    await bot.send(back)
    await bot.say(leaders[0], "/stats")
    stats = next(t for t in reversed(bot.texts(LEADER_IDS[0])) if "참여자 3명" in t)
    assert "연락 가능 3명, 봇 차단 0명" in stats
