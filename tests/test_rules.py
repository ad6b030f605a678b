"""The campaign's rules as plain functions: days, photo timing, limits, hours, rewards."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.campaign import rules
from bot.campaign.config import Milestone, Round
from bot.campaign.rules import EndPhotoVerdict

SEOUL = ZoneInfo("Asia/Seoul")
MILESTONES = (Milestone(20, "badge"), Milestone(70, "doll"))


def kst(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SEOUL)


def test_campaign_day_is_the_seoul_calendar_day_not_the_utc_day():
    # 00:30 in Seoul on 17 August is still 16 August in UTC.
    moment = kst("2027-08-17", "00:30").astimezone(UTC)
    assert moment.date() == date(2027, 8, 16)
    assert rules.campaign_day(moment, SEOUL) == date(2027, 8, 17)


def test_campaign_day_refuses_a_naive_time():
    with pytest.raises(ValueError):
        rules.campaign_day(datetime(2027, 8, 16, 12), SEOUL)


def test_end_photo_after_the_minimum_gap_on_the_same_day_is_accepted():
    judgement = rules.judge_end_photo(
        kst("2027-08-16", "19:00"), kst("2027-08-16", "19:10"), SEOUL, 10
    )
    assert judgement.verdict is EndPhotoVerdict.ACCEPTED


def test_end_photo_too_soon_says_how_many_minutes_to_wait():
    judgement = rules.judge_end_photo(
        kst("2027-08-16", "19:00"), kst("2027-08-16", "19:03:30"), SEOUL, 10
    )
    assert judgement.verdict is EndPhotoVerdict.TOO_SOON
    assert judgement.minutes_to_wait == 7  # 6.5 minutes left, rounded up


def test_end_photo_after_midnight_finds_the_start_expired():
    judgement = rules.judge_end_photo(
        kst("2027-08-16", "23:55"), kst("2027-08-17", "00:10"), SEOUL, 10
    )
    assert judgement.verdict is EndPhotoVerdict.START_EXPIRED


def test_end_photo_dated_before_the_start_is_refused():
    judgement = rules.judge_end_photo(
        kst("2027-08-16", "19:00"), kst("2027-08-16", "18:00"), SEOUL, 0
    )
    assert judgement.verdict is EndPhotoVerdict.BEFORE_START


def test_zero_minimum_gap_accepts_an_immediate_end_photo():
    start = kst("2027-08-16", "19:00")
    assert rules.judge_end_photo(start, start, SEOUL, 0).verdict is EndPhotoVerdict.ACCEPTED


def test_a_start_expires_when_its_campaign_day_ends():
    start = kst("2027-08-16", "21:00")
    assert not rules.start_has_expired(start, kst("2027-08-16", "23:59:59"), SEOUL)
    assert rules.start_has_expired(start, kst("2027-08-17", "00:00"), SEOUL)
    assert rules.end_of_day(date(2027, 8, 16), SEOUL) == kst("2027-08-17", "00:00")


def test_round_covers_fifty_days_inclusive():
    round3 = Round("3", date(2027, 8, 16), 50)
    assert round3.end == date(2027, 10, 4)
    assert round3.contains(date(2027, 10, 4))
    assert not round3.contains(date(2027, 10, 5))
    assert not round3.contains(date(2027, 8, 15))
    assert round3.day_number(date(2027, 8, 16)) == 1
    assert rules.round_for((round3,), date(2027, 9, 1)) == round3
    assert rules.round_for((round3,), date(2027, 10, 5)) is None


@pytest.mark.parametrize(("done", "limit", "allowed"), [(0, 1, True), (1, 1, False), (1, 2, True)])
def test_per_mission_daily_limit(done, limit, allowed):
    assert rules.may_certify_more(done, limit) is allowed


@pytest.mark.parametrize(
    ("count", "hours", "carried"), [(0, 0, 0), (1, 0, 30), (2, 1, 0), (3, 1, 30), (21, 10, 30)]
)
def test_two_certifications_make_one_portal_hour_and_the_rest_is_carried(count, hours, carried):
    time = rules.volunteer_time(count, 30)
    assert time.minutes == count * 30
    assert (time.portal_hours, time.carried_minutes) == (hours, carried)


def test_volunteer_time_follows_the_configured_minutes():
    assert rules.volunteer_time(3, 40) == rules.VolunteerTime(120, 2, 0)


def test_next_reward_counts_down_to_each_milestone():
    assert rules.next_reward(0, MILESTONES) == rules.NextReward(MILESTONES[0], 20)
    assert rules.next_reward(19, MILESTONES) == rules.NextReward(MILESTONES[0], 1)
    assert rules.next_reward(20, MILESTONES) == rules.NextReward(MILESTONES[1], 50)
    assert rules.next_reward(70, MILESTONES) is None


def test_milestones_crossed_only_when_a_count_is_reached():
    assert rules.milestones_crossed(19, 20, MILESTONES) == [MILESTONES[0]]
    assert rules.milestones_crossed(20, 21, MILESTONES) == []
    assert rules.milestones_crossed(0, 100, MILESTONES) == list(MILESTONES)


def test_time_zone_is_configurable():
    new_york = ZoneInfo("America/New_York")
    moment = datetime(2027, 8, 17, 2, 0, tzinfo=UTC)
    assert rules.campaign_day(moment, new_york) == date(2027, 8, 16)
    assert rules.campaign_day(moment + timedelta(hours=3), SEOUL) == date(2027, 8, 17)


QUIET = (datetime.strptime("22:00", "%H:%M").time(), datetime.strptime("08:00", "%H:%M").time())


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [("21:59", False), ("22:00", True), ("02:00", True), ("07:59", True), ("08:00", False)],
)
def test_quiet_hours_wrap_around_midnight(clock, quiet):
    local = datetime.strptime(clock, "%H:%M").time()
    assert rules.in_quiet_hours(local, *QUIET) is quiet


def test_a_message_due_in_the_quiet_hours_waits_for_the_morning():
    assert rules.next_allowed(kst("2027-08-16", "23:30"), SEOUL, *QUIET) == kst(
        "2027-08-17", "08:00"
    )
    assert rules.next_allowed(kst("2027-08-17", "03:00"), SEOUL, *QUIET) == kst(
        "2027-08-17", "08:00"
    )
    assert rules.next_allowed(kst("2027-08-17", "19:00"), SEOUL, *QUIET) == kst(
        "2027-08-17", "19:00"
    )


def test_the_streak_at_stake_counts_consecutive_days_up_to_yesterday():
    today = date(2027, 8, 20)
    days = {date(2027, 8, 17), date(2027, 8, 18), date(2027, 8, 19)}
    assert rules.streak(days, today) == 3
    assert rules.streak(days | {today}, today) == 4
    assert rules.streak({date(2027, 8, 17), date(2027, 8, 18)}, today) == 0  # broken yesterday
    assert rules.streak(set(), today) == 0


def test_a_message_planned_before_the_quiet_hours_lapses_when_they_begin():
    seoul = ZoneInfo("Asia/Seoul")
    day = date(2027, 8, 16)
    evening = datetime(2027, 8, 16, 19, 0, tzinfo=seoul)
    assert rules.lapses_at(day, evening, time(22, 0), seoul) == datetime(
        2027, 8, 16, 22, 0, tzinfo=seoul
    )


def test_a_message_planned_in_the_quiet_hours_lapses_at_the_end_of_the_day():
    seoul = ZoneInfo("Asia/Seoul")
    day = date(2027, 8, 16)
    late = datetime(2027, 8, 16, 22, 30, tzinfo=seoul)
    assert rules.lapses_at(day, late, time(22, 0), seoul) == datetime(
        2027, 8, 17, 0, 0, tzinfo=seoul
    )
