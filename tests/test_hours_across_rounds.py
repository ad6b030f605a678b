"""The 1365 hours carry across rounds: a round's /export hours starts with the minutes the
person's earlier rounds left over, so the exports, /me and the final reports agree (30 minutes a
certification, two registered as one hour)."""

import io
from datetime import date
from time import monotonic

import pytest
from openpyxl import load_workbook

from bot.campaign import rules
from bot.campaign.config import parse_campaign
from bot.outbox_sender import Pacer
from tests.harness import LEADER_IDS, start_harness, stop_harness
from tests.support import campaign_document, kst
from tests.test_reports import report_photos, run_report_job

LEADER = LEADER_IDS[0]
MINJI = 1001


@pytest.fixture
async def two_rounds(tmp_path):
    """Round 3 (08-16, 50 days) and round 4 (10-11, 7 days). Minji certifies three times in
    round 3 (1 hour registered, 30 minutes left) and once in round 4."""
    document = campaign_document()
    document["rounds"].append({"name": "4차", "start": date(2027, 10, 11), "days": 7})
    document["theme_missions"] = []
    bot = await start_harness(tmp_path, parse_campaign(document), kst("2027-08-16", "10:00"))
    bot.services.outbox.pacer = Pacer(
        per_second=1000, per_chat_per_second=1000, per_group_per_minute=60000, monotonic=monotonic
    )
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI, "민지")
    await bot.join(minji, leaders[0], name="김민지")
    for day in ("2027-08-16", "2027-08-17", "2027-08-18", "2027-10-12"):
        bot.now = kst(day, "19:00")
        await bot.certify(minji)
    async with bot.services.database.transaction() as conn:
        await conn.execute("UPDATE outbox SET status = 'skipped' WHERE status = 'pending'")
    yield bot, leaders[0], minji
    await stop_harness(bot)
    assert bot.errors == []


def _hours_sheet(bot) -> list[list]:
    xlsx = next(iter(bot.tg.calls_of("sendDocument")[-2].files.values()))
    book = load_workbook(io.BytesIO(xlsx.data))
    return [list(row) for row in book[bot.t("export-sheet-hours")].iter_rows(values_only=True)]


async def test_the_minutes_left_in_one_round_are_registered_in_the_next_rounds_export(two_rounds):
    bot, leader, _ = two_rounds
    bot.now = kst("2027-10-18", "10:00")
    await bot.say(leader, "/export hours 3차")
    # hours and carried per day: 0/30, 1/0, 0/30
    assert [row[7:] for row in _hours_sheet(bot)[1:]] == [
        [0, 30, None],
        [1, 0, "등록할 시간 있음"],
        [0, 30, None],
    ]
    await bot.say(leader, "/export hours 4차")
    # The 30 minutes left from round 3 and this round's 30 make the hour.
    assert [row[7:] for row in _hours_sheet(bot)[1:]] == [[1, 0, "등록할 시간 있음"]]
    assert "등록할 시간 합계 1시간" in bot.last_text(LEADER)


async def test_me_and_the_final_reports_agree_with_the_exports(two_rounds):
    bot, _, minji = two_rounds
    bot.now = kst("2027-10-18", "10:00")
    await bot.say(minji, "/me")
    assert "1365 등록 2시간" in bot.last_text(MINJI)  # 1 from each round's export

    await run_report_job(bot)
    await bot.services.outbox.drain(until_empty=True)
    (final,) = report_photos(bot, "4차 최종 리포트")[MINJI]
    caption = final.params["caption"]
    assert "1시간을 1365 아이디로 등록" in caption  # this round's share, not both rounds'
    assert "이월" not in caption  # nothing left over


def test_a_rounds_share_of_the_hours_counts_the_minutes_carried_in():
    assert rules.round_volunteer_time(3, 1, 30) == rules.VolunteerTime(30, 1, 0)
    assert rules.round_volunteer_time(0, 3, 30) == rules.VolunteerTime(90, 1, 30)
    for earlier in range(5):
        for in_round in range(5):
            whole = rules.volunteer_time(earlier + in_round, 30).portal_hours
            parts = rules.volunteer_time(earlier, 30).portal_hours
            parts += rules.round_volunteer_time(earlier, in_round, 30).portal_hours
            assert parts == whole
