"""The campaign's rules as plain functions: campaign days, photo timing, tallies and rewards.

Nothing here touches Telegram or the store, so every rule is testable on its own. Times are
aware datetimes (``Message.date`` is UTC server time); "today" is always the campaign's
calendar day in its time zone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.campaign.config import Campaign, Milestone, Round


def campaign_day(moment: datetime, timezone: ZoneInfo) -> date:
    """The campaign's calendar day on which ``moment`` falls."""
    if moment.tzinfo is None:
        raise ValueError("campaign_day needs an aware datetime")
    return moment.astimezone(timezone).date()


def end_of_day(day: date, timezone: ZoneInfo) -> datetime:
    """The first instant of the next campaign day: when an unfinished start expires."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=timezone)


def round_window(round_: Round, through: date, timezone: ZoneInfo) -> tuple[datetime, datetime]:
    """From the round's first day through ``through``, as [since, until) instants: the period a
    report or the patrols' outcomes cover."""
    return (
        datetime.combine(round_.start, time(0), tzinfo=timezone),
        end_of_day(through, timezone),
    )


def lapses_at(day: date, planned_at: datetime, quiet_start: time, timezone: ZoneInfo) -> datetime:
    """When a message planned at ``planned_at`` for ``day`` stops being worth sending: the
    day's quiet hours, or the end of the day if they had already begun when it was planned."""
    quiet_from = datetime.combine(day, quiet_start, tzinfo=timezone)
    return quiet_from if quiet_from > planned_at else end_of_day(day, timezone)


class EndPhotoVerdict(enum.Enum):
    ACCEPTED = "accepted"
    START_EXPIRED = "start_expired"  # the end photo came on a later campaign day
    TOO_SOON = "too_soon"  # not enough minutes since the start photo
    BEFORE_START = "before_start"  # dated before the start photo (clock or redelivery mix-up)


@dataclass(frozen=True)
class EndPhotoJudgement:
    verdict: EndPhotoVerdict
    minutes_to_wait: int = 0


def judge_end_photo(
    start_at: datetime, end_at: datetime, timezone: ZoneInfo, min_minutes: int
) -> EndPhotoJudgement:
    """Same campaign day as the start, and at least ``min_minutes`` after it."""
    if campaign_day(end_at, timezone) != campaign_day(start_at, timezone):
        return EndPhotoJudgement(EndPhotoVerdict.START_EXPIRED)
    if end_at < start_at:
        return EndPhotoJudgement(EndPhotoVerdict.BEFORE_START)
    gap = end_at - start_at
    needed = timedelta(minutes=min_minutes)
    if gap < needed:
        remaining = needed - gap
        # Round up so "wait 0 minutes" is never said while it is still too early.
        minutes = int(-(-remaining.total_seconds() // 60))
        return EndPhotoJudgement(EndPhotoVerdict.TOO_SOON, max(minutes, 1))
    return EndPhotoJudgement(EndPhotoVerdict.ACCEPTED)


def start_has_expired(start_at: datetime, now: datetime, timezone: ZoneInfo) -> bool:
    """A start photo with no end photo expires when its campaign day ends."""
    return campaign_day(now, timezone) > campaign_day(start_at, timezone)


def round_for(rounds: tuple[Round, ...], day: date) -> Round | None:
    return next((r for r in rounds if r.contains(day)), None)


def may_certify_more(done_today_for_mission: int, max_per_day: int) -> bool:
    """At most ``max_per_day`` certifications of one mission on one campaign day."""
    return done_today_for_mission < max_per_day


@dataclass(frozen=True)
class VolunteerTime:
    """Volunteer time for the 1365 portal: whole hours are registered, the rest is carried."""

    minutes: int
    portal_hours: int
    carried_minutes: int


def volunteer_time(certifications: int, minutes_per_certification: int) -> VolunteerTime:
    """Everything so far: the whole hours registered over all rounds, and the minutes left."""
    minutes = certifications * minutes_per_certification
    return VolunteerTime(minutes, minutes // 60, minutes % 60)


def round_volunteer_time(
    earlier: int, in_round: int, minutes_per_certification: int
) -> VolunteerTime:
    """One round's share: the minutes left over from ``earlier`` certifications (earlier
    rounds) carry into it, so the rounds' whole hours add up to ``volunteer_time``'s."""
    before = earlier * minutes_per_certification
    minutes = in_round * minutes_per_certification
    hours = (before + minutes) // 60 - before // 60
    return VolunteerTime(minutes, hours, (before + minutes) % 60)


@dataclass(frozen=True)
class NextReward:
    milestone: Milestone
    remaining: int


def next_reward(total: int, milestones: tuple[Milestone, ...]) -> NextReward | None:
    """The first milestone not yet reached, and how many certifications are still needed."""
    for milestone in sorted(milestones, key=lambda m: m.count):
        if total < milestone.count:
            return NextReward(milestone, milestone.count - total)
    return None


def milestones_crossed(
    before: int, after: int, milestones: tuple[Milestone, ...]
) -> list[Milestone]:
    """Milestones reached by going from ``before`` to ``after`` certifications."""
    return [m for m in milestones if before < m.count <= after]


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    """Quiet hours may wrap midnight (22:00-08:00)."""
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def awake_from(campaign: Campaign, now: datetime, start: time) -> bool:
    """From ``start`` (campaign local time) on and outside the quiet hours: when a daily post
    (morning announcement, report, digest) may go out."""
    local = now.astimezone(campaign.timezone).time()
    schedule = campaign.schedule
    return local >= start and not in_quiet_hours(local, schedule.quiet_start, schedule.quiet_end)


def next_allowed(moment: datetime, timezone: ZoneInfo, start: time, end: time) -> datetime:
    """``moment`` itself, or the end of the quiet hours it falls in."""
    local = moment.astimezone(timezone)
    if not in_quiet_hours(local.time(), start, end):
        return moment
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=timezone)


def streak(certified_days: set[date], today: date) -> int:
    """Consecutive certified days up to yesterday: what a day without certifying would break.

    Today counts too once it is certified, so the number never drops during the day.
    """
    day = today if today in certified_days else today - timedelta(days=1)
    count = 0
    while day in certified_days:
        count += 1
        day -= timedelta(days=1)
    return count
