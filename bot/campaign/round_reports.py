"""Mid and final round reports as plain functions: when one is due, each participant's summary
and the round's summary for the leaders. Nothing here touches Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.campaign import rules
from bot.campaign.config import Campaign, Milestone, Round
from storage import participants, reports, risks, stats
from storage.connection import Connection
from storage.database import Database
from storage.reports import ParticipantCounts, RiskCounts
from storage.risks import Outcomes

MID = "mid"
FINAL = "final"
TOP = 5


@dataclass(frozen=True)
class DueReport:
    kind: str  # MID or FINAL
    round: Round
    day: date  # the day the report goes out

    @property
    def through(self) -> date:
        """The last campaign day the report covers (the day before it goes out)."""
        return min(self.day - timedelta(days=1), self.round.end)

    def key(self, recipient: str | int) -> str:
        return f"report:{self.kind}:{self.round.name}:{recipient}"


def report_days(round_: Round) -> dict[str, date]:
    """The midpoint (start + days // 2) and the day after the round ends."""
    return {
        MID: round_.start + timedelta(days=round_.days // 2),
        FINAL: round_.end + timedelta(days=1),
    }


def reports_due(campaign: Campaign, now: datetime) -> list[DueReport]:
    """The reports whose day is today, once the morning time has come, never in quiet hours."""
    if not rules.awake_from(campaign, now, campaign.schedule.morning_time):
        return []
    today = rules.campaign_day(now, campaign.timezone)
    return [
        DueReport(kind, round_, day)
        for round_ in campaign.rounds
        for kind, day in report_days(round_).items()
        if day == today
    ]


@dataclass(frozen=True)
class PersonalSummary:
    user_id: int
    name: str
    language: str | None
    round_days: list[date]
    certified: dict[date, int]  # accepted certifications per day of the round
    certified_days: int
    in_round: int
    total: int
    volunteer: rules.VolunteerTime  # all rounds so far
    round_volunteer: rules.VolunteerTime  # this round's hours to register (carry included)
    rewards: list[Milestone]  # reached by the total
    next_reward: rules.NextReward | None
    risks: RiskCounts | None = None  # their risk reports in the period; None if they sent none
    # What became of the places they found, and of everyone's, per category (risk reports).
    found_mine: list[Outcomes] = field(default_factory=list)
    found_all: list[Outcomes] = field(default_factory=list)


def _round_days(round_: Round) -> list[date]:
    return [round_.start + timedelta(days=i) for i in range(round_.days)]


async def personal_summaries(
    db: Database, campaign: Campaign, due: DueReport, user_ids: set[int] | None = None
) -> list[PersonalSummary]:
    """One summary per approved, reachable participant (only ``user_ids`` when given)."""
    tz = campaign.timezone
    # Risk reports submitted in the period the report covers; their status is today's.
    since, until = rules.round_window(due.round, due.through, tz)
    async with db.read() as conn:
        targets = await participants.reachable(conn)
        counts = {c.user_id: c for c in await stats.approved_counts(conn, due.round.name)}
        per_person = await stats.day_counts(conn, due.round.name, due.through)
        risk_counts = await reports.risk_counts(conn, since, until)
        found_by_person = await risks.outcomes_by_reporter(conn, since, until)
        found_all = await risks.outcomes(conn, since, until)
    round_days = _round_days(due.round)
    minutes = campaign.rules.minutes_per_certification
    summaries = []
    for target in targets:
        if user_ids is not None and target.user_id not in user_ids:
            continue
        found = counts.get(target.user_id)
        in_round = found.in_round if found else 0
        total = found.total if found else 0
        certified = per_person.get(target.user_id, {})
        summaries.append(
            PersonalSummary(
                user_id=target.user_id,
                name=target.name,
                language=target.language,
                round_days=round_days,
                certified=certified,
                certified_days=len(certified),
                in_round=in_round,
                total=total,
                volunteer=rules.volunteer_time(total, minutes),
                round_volunteer=rules.round_volunteer_time(total - in_round, in_round, minutes),
                rewards=sorted(
                    (m for m in campaign.milestones if m.count <= total), key=lambda m: m.count
                ),
                next_reward=rules.next_reward(total, campaign.milestones),
                risks=risk_counts.get(target.user_id),
                found_mine=found_by_person.get(target.user_id, []),
                found_all=found_all,
            )
        )
    return summaries


@dataclass(frozen=True)
class TopParticipant:
    user_id: int
    name: str
    in_round: int
    longest_streak: int


@dataclass(frozen=True)
class RewardWinners:
    milestone: Milestone
    names: list[str]


@dataclass(frozen=True)
class RoundFigures:
    """The round up to a day: what /stats shows and the round report's counts and chart."""

    certified_once: int  # approved participants with at least one accepted certification
    certifications: int  # accepted certifications of approved participants in the round
    chart_days: list[date]
    chart_counts: list[int]


@dataclass(frozen=True)
class RoundSummary:
    approved: int
    figures: RoundFigures
    top: list[TopParticipant]
    rewards: list[RewardWinners]
    found: list[Outcomes] = field(default_factory=list)  # places found and fixed, per category


async def round_figures(conn: Connection, round_: Round, through: date) -> RoundFigures:
    """Read from the tallies (milliseconds, however many certifications there are)."""
    per_day = await stats.round_day_totals(conn, round_.name, through)
    chart_days = [day for day in _round_days(round_) if day <= through]
    return RoundFigures(
        certified_once=await stats.round_certified(conn, round_.name, through),
        certifications=sum(per_day.values()),
        chart_days=chart_days,
        chart_counts=[per_day.get(d, 0) for d in chart_days],
    )


async def ranked_contenders(
    conn: Connection, round_name: str, through: date, limit: int
) -> list[tuple[ParticipantCounts, int]]:
    """The people who can make the top ``limit`` (everyone tied at the cut-off included), each
    with their longest streak in the round up to ``through``; most certifications first."""
    leaders = await stats.round_leaders(conn, round_name, through, limit)
    streaks = await stats.longest_streaks(conn, round_name, (p.user_id for p in leaders), through)
    return [(p, streaks.get(p.user_id, 0)) for p in leaders]


async def round_summary(db: Database, campaign: Campaign, due: DueReport) -> RoundSummary:
    through = due.through
    lowest = min((m.count for m in campaign.milestones), default=None)
    async with db.read() as conn:
        approved = await reports.approved_total(conn)
        figures = await round_figures(conn, due.round, through)
        contenders = await ranked_contenders(conn, due.round.name, through, TOP)
        reached = await stats.totals_at_least(conn, lowest) if lowest is not None else []
        found = await risks.outcomes(
            conn, *rules.round_window(due.round, through, campaign.timezone)
        )
    ranked = sorted(
        (TopParticipant(p.user_id, p.name, p.in_round, streak) for p, streak in contenders),
        key=lambda t: (-t.in_round, -t.longest_streak, t.user_id),
    )
    rewards = [
        RewardWinners(m, [p.name for p in reached if p.total >= m.count])
        for m in sorted(campaign.milestones, key=lambda m: m.count)
    ]
    return RoundSummary(
        approved=approved,
        figures=figures,
        top=ranked[:TOP],
        rewards=[r for r in rewards if r.names],
        found=found,
    )
