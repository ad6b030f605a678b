"""Mid and final round reports: driven through the job callback with a controlled clock,
delivered once through the outbox, photos as PNG, revoked certifications never counted."""

import json
from time import monotonic

import pytest

from bot.campaign.config import parse_campaign
from bot.context import CampaignContext
from bot.outbox_sender import Pacer
from scheduler.round_report_jobs import send_reports
from tests.harness import LEADER_IDS, start_harness, stop_harness
from tests.support import campaign_document, kst

MINJI, JUN, SORA = 1001, 1002, 1003


@pytest.fixture
async def round_in_progress(tmp_path):
    """Round 3 (50 days from 2027-08-16: midpoint 09-10, final report 10-05); rewards at 2
    and 3. Minji: 08-16 and 08-18 (08-19 revoked); Jun: 08-17 and 08-18; Sora: nothing."""
    document = campaign_document()
    document["milestones"] = [{"count": 2, "reward": "배지"}, {"count": 3, "reward": "인형"}]
    bot = await start_harness(tmp_path, parse_campaign(document), kst("2027-08-16", "10:00"))
    # Telegram's per-chat pace (1/s, real time) is the outbox tests' business: not waited here.
    bot.services.outbox.pacer = Pacer(
        per_second=1000, per_chat_per_second=1000, per_group_per_minute=60000, monotonic=monotonic
    )
    leaders = await bot.open_leader_chats()
    people = {}
    for user_id, name in ((MINJI, "김민지"), (JUN, "이준"), (SORA, "박소라")):
        people[user_id] = bot.person(user_id, name)
        await bot.join(people[user_id], leaders[0], name=name)
    for user_id, day in (
        (MINJI, "2027-08-16"),
        (JUN, "2027-08-17"),
        (MINJI, "2027-08-18"),
        (JUN, "2027-08-18"),
        (MINJI, "2027-08-19"),
    ):
        bot.now = kst(day, "19:00")
        await bot.certify(people[user_id])
    async with bot.services.database.transaction() as conn:
        await conn.execute(
            "UPDATE certifications SET status = 'revoked' "
            "WHERE participant_id = ? AND campaign_day = '2027-08-19'",
            (MINJI,),
        )
        # The milestone badges and notices are the milestone tests' business.
        await conn.execute("UPDATE outbox SET status = 'skipped' WHERE status = 'pending'")
    yield bot
    await stop_harness(bot)
    assert bot.errors == []


async def run_report_job(bot) -> None:
    job = bot.app.job_queue.run_once(send_reports, when=3600, name="test-reports")
    try:
        await send_reports(CampaignContext.from_job(job, bot.app))
    finally:
        job.schedule_removal()


async def planned_reports(bot) -> dict[str, dict]:
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute("SELECT key, payload FROM outbox WHERE key LIKE 'report:%'")
        return {row[0]: json.loads(row[1]) for row in await cursor.fetchall()}


def report_photos(bot, marker: str) -> dict[int, list]:
    found: dict[int, list] = {}
    for call in bot.tg.calls_of("sendPhoto"):
        if marker in (call.params.get("caption") or ""):
            found.setdefault(int(call.params["chat_id"]), []).append(call)
    return found


async def test_nothing_before_the_midpoint_morning_then_one_report_each(round_in_progress):
    bot = round_in_progress
    for moment in (kst("2027-09-10", "08:59"), kst("2027-09-09", "09:30")):
        bot.now = moment
        await run_report_job(bot)
    assert await planned_reports(bot) == {}

    bot.now = kst("2027-09-10", "09:00")
    await run_report_job(bot)
    await run_report_job(bot)
    planned = await planned_reports(bot)
    calendar = planned[f"report:mid:3차:{MINJI}"]["render"]
    assert calendar["name"] == "calendar"
    assert calendar["params"]["certified"] == {"2027-08-16": 1, "2027-08-18": 1}
    assert len(calendar["params"]["days"]) == 50
    await bot.services.outbox.drain(until_empty=True)

    photos = report_photos(bot, "중간 리포트")
    assert sorted(photos) == [MINJI, JUN, SORA]
    assert all(len(calls) == 1 for calls in photos.values())
    for (call,) in photos.values():
        assert next(iter(call.files.values())).data.startswith(b"\x89PNG")
    minji = photos[MINJI][0].params["caption"]
    assert "2일 인증" in minji and "이번 기간 2회" in minji and "누적 2회" in minji
    assert "1365 등록 1시간" in minji and "배지" in minji and "'인형'까지 1회" in minji
    assert "0일 인증" in photos[SORA][0].params["caption"]
    assert all(len(call.params["caption"]) <= 1024 for (call,) in photos.values())

    charts = report_photos(bot, "날짜별 인증 수")
    assert sorted(charts) == sorted(LEADER_IDS)
    for leader_id in LEADER_IDS:
        assert len(charts[leader_id]) == 1
        assert next(iter(charts[leader_id][0].files.values())).data.startswith(b"\x89PNG")
        (summary,) = [text for text in bot.texts(leader_id) if "중간 요약" in text]
        assert "승인된 참여자 3명" in summary and "1회 이상 인증 2명" in summary
        assert "이번 차수 인증 4회" in summary
        # Tied at 2: Jun's two days in a row put him first.
        assert summary.index("1. 이준 — 2회 (최장 연속 2일)") < summary.index("2. 김민지 — 2회")
        assert "배지 (2회 이상) 2명: 김민지, 이준" in summary and "인형" not in summary

    await run_report_job(bot)  # later that day: nothing new
    await bot.services.outbox.drain(until_empty=True)
    assert len(report_photos(bot, "중간 리포트")[MINJI]) == 1


async def test_the_final_report_comes_the_day_after_the_round_and_explains_the_hours(
    round_in_progress,
):
    bot = round_in_progress
    bot.now = kst("2027-10-04", "09:00")  # the last day of the round
    await run_report_job(bot)
    assert await planned_reports(bot) == {}
    bot.now = kst("2027-10-05", "09:10")
    await run_report_job(bot)
    await bot.services.outbox.drain(until_empty=True)
    photos = report_photos(bot, "최종 리포트")
    assert sorted(photos) == [MINJI, JUN, SORA]
    minji = photos[MINJI][0].params["caption"]
    assert "1365 봉사시간 등록 안내" in minji and "인증 2회 = 1시간" in minji
    assert "1시간을 1365 아이디로 등록" in minji
    for leader_id in LEADER_IDS:
        (summary,) = [text for text in bot.texts(leader_id) if "최종 요약" in text]
        assert "1365" in summary


async def test_no_reports_in_quiet_hours_and_unsent_ones_lapse_when_they_begin(round_in_progress):
    bot = round_in_progress
    for moment in (kst("2027-09-10", "22:00"), kst("2027-09-10", "23:30")):
        bot.now = moment
        await run_report_job(bot)
    assert await planned_reports(bot) == {}

    bot.now = kst("2027-09-10", "21:59")
    await run_report_job(bot)
    assert len(await planned_reports(bot)) == 3 + 2 * len(LEADER_IDS)
    bot.now = kst("2027-09-10", "22:01")  # the sender was held up until the quiet hours
    await bot.services.outbox.drain(until_empty=True)
    assert report_photos(bot, "중간 리포트") == {}
    assert not any("중간 요약" in text for text in bot.texts(LEADER_IDS[0]))


async def test_only_reachable_participants_get_a_report(round_in_progress):
    from storage import participants

    bot = round_in_progress
    async with bot.services.database.transaction() as conn:
        await participants.mark_inactive(conn, SORA, bot.now)
    bot.now = kst("2027-09-10", "09:00")
    await run_report_job(bot)
    keys = set(await planned_reports(bot))
    assert f"report:mid:3차:{SORA}" not in keys and f"report:mid:3차:{MINJI}" in keys


async def _risk_report(bot, user, address: str) -> int:
    from storage import risks

    await bot.say(user, "/report")
    await bot.press(user, "risk:cat:light")
    await bot.say(user, address)
    await bot.press(user, "risk:skipphoto")
    await bot.say(user, "보안등이 꺼져 있어요")
    async with bot.services.database.transaction() as conn:
        return (await risks.submitted(conn))[-1].id


async def test_the_personal_report_says_how_the_persons_risk_reports_helped(round_in_progress):
    bot = round_in_progress
    leader = bot.person(LEADER_IDS[0], "경위")
    minji = bot.person(MINJI, "김민지")
    bot.now = kst("2027-08-20", "20:00")
    fixed, passed_on, refused = [
        await _risk_report(bot, minji, place) for place in ("영등동 1", "영등동 2", "영등동 3")
    ]
    for report_id in (fixed, passed_on):
        await bot.press(leader, f"risk:fwd:{report_id}")
        await bot.press(leader, f"risk:to:{report_id}:0")
    await bot.press(leader, f"risk:resolve:{fixed}")
    await bot.say(leader, "보안등 교체 완료")
    await bot.press(leader, f"risk:reject:{refused}")
    await bot.say(leader, "사유지")
    bot.now = kst("2027-09-10", "08:30")  # after the days the mid report covers: not counted
    await _risk_report(bot, minji, "영등동 4")
    async with bot.services.database.transaction() as conn:
        await conn.execute("UPDATE outbox SET status = 'skipped' WHERE status = 'pending'")

    bot.now = kst("2027-09-10", "09:00")
    await run_report_job(bot)
    await bot.services.outbox.drain(until_empty=True)
    photos = report_photos(bot, "중간 리포트")
    caption = photos[MINJI][0].params["caption"]
    line = bot.t("report-personal-risks", sent=3, forwarded=2, resolved=1)
    assert line in caption
    assert "제보해 주신 3곳 중 2곳을 기관에 전달했고, 1곳이 해결됐어요" in line
    # Lines in order: the counts, then the risk reports, then the rewards.
    assert caption.index("누적 2회") < caption.index(line) < caption.index("배지")
    for other in (JUN, SORA):  # they reported nothing: no line at all
        assert "🚨" not in photos[other][0].params["caption"]


async def test_a_risk_report_forwarded_and_then_rejected_is_not_counted_as_passed_on(
    round_in_progress,
):
    bot = round_in_progress
    leader = bot.person(LEADER_IDS[0], "경위")
    minji = bot.person(MINJI, "김민지")
    bot.now = kst("2027-08-20", "20:00")
    withdrawn, passed_on, fixed = [
        await _risk_report(bot, minji, place) for place in ("영등동 1", "영등동 2", "영등동 3")
    ]
    for report_id in (withdrawn, passed_on, fixed):
        await bot.press(leader, f"risk:fwd:{report_id}")
        await bot.press(leader, f"risk:to:{report_id}:0")
    # The agency says it is not theirs after all: the leader rejects it with a reason.
    await bot.press(leader, f"risk:reject:{withdrawn}")
    await bot.say(leader, "관할 아님으로 반려")
    await bot.press(leader, f"risk:resolve:{fixed}")
    await bot.say(leader, "보안등 교체 완료")
    async with bot.services.database.transaction() as conn:
        await conn.execute("UPDATE outbox SET status = 'skipped' WHERE status = 'pending'")

    bot.now = kst("2027-09-10", "09:00")
    await run_report_job(bot)
    await bot.services.outbox.drain(until_empty=True)
    caption = report_photos(bot, "중간 리포트")[MINJI][0].params["caption"]
    assert bot.t("report-personal-risks", sent=3, forwarded=2, resolved=1) in caption
