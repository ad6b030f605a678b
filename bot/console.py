"""What the leaders' console shows: /stats figures and the /top ranking for the police chief's
letter of appreciation (certifications in the round, ties by longest streak)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import aiosqlite

from bot import rules
from bot.campaign import Campaign, Round
from bot.reports import (
    TOP,
    RewardWinners,
    RoundSummary,
    TopParticipant,
)
from storage import handouts, reports, stats
from storage.database import Database
from storage.reports import ParticipantCounts


def current_or_latest(campaign: Campaign, day: date, name: str | None = None) -> Round | None:
    if name:
        return campaign.round_named(name)
    return campaign.round_on(day) or campaign.latest_round_before(day) or campaign.rounds[0]


@dataclass(frozen=True)
class Stats:
    round: Round
    today: date
    by_status: Counter[str]
    by_category: Counter[str]
    active: int
    inactive: int
    today_count: int
    milestones: dict[int, int]
    handed_out: dict[str, int]
    summary: RoundSummary


async def collect(db: Database, campaign: Campaign, now: datetime) -> Stats | None:
    today = rules.campaign_day(now, campaign.timezone)
    round_ = current_or_latest(campaign, today)
    if round_ is None:
        return None
    # The summary covers the round up to today (as a report "going out tomorrow" would).
    through = min(today, round_.end)
    async with db.transaction() as conn:
        summary = await _round_summary(conn, campaign, round_, through)
        groups = await stats.participants_by_group(conn)
        today_count = await stats.accepted_on(conn, today)
        announced = await stats.milestones_announced(conn)
        handed_out = await handouts.counts(conn)
    by_status: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    active = inactive = 0
    for group in groups:
        by_status[group.status] += group.count
        if group.status == "approved":
            by_category[group.category or "none"] += group.count
            if group.active:
                active += group.count
            else:
                inactive += group.count
    return Stats(
        round_,
        today,
        by_status,
        by_category,
        active,
        inactive,
        today_count,
        announced,
        handed_out,
        summary,
    )


async def _contenders(
    conn: aiosqlite.Connection,
    round_name: str,
    through: date,
    counted: list[ParticipantCounts],
    limit: int,
) -> list[tuple[ParticipantCounts, int]]:
    """The people who can make the top ``limit`` (everyone tied at the cut-off included), each
    with their longest streak in the round; ``counted`` is most certifications first."""
    if not counted:
        return []
    cutoff = counted[min(limit, len(counted)) - 1].in_round
    contenders = [p for p in counted if p.in_round >= cutoff]
    streaks = await stats.longest_streaks(
        conn, round_name, (p.user_id for p in contenders), through
    )
    return [(p, streaks.get(p.user_id, 0)) for p in contenders]


async def _round_summary(
    conn: aiosqlite.Connection, campaign: Campaign, round_: Round, through: date
) -> RoundSummary:
    """What ``bot.reports.round_summary`` reports, read from the tallies (milliseconds, not the
    seconds of grouping every certification of the round)."""
    lowest = min((m.count for m in campaign.milestones), default=None)
    approved = await reports.approved_total(conn)
    per_day = await stats.round_day_totals(conn, round_.name, through)
    counted = await stats.round_person_counts(conn, round_.name, through)
    contenders = await _contenders(conn, round_.name, through, counted, TOP)
    reached = await stats.totals_at_least(conn, lowest) if lowest is not None else []
    chart_days = [
        day
        for day in (round_.start + timedelta(days=i) for i in range(round_.days))
        if day <= through
    ]
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
        certified_once=len(counted),
        certifications=sum(per_day.values()),
        chart_days=chart_days,
        chart_counts=[per_day.get(d, 0) for d in chart_days],
        top=ranked[:TOP],
        rewards=[r for r in rewards if r.names],
    )


async def ranking(db: Database, round_: Round, limit: int) -> list[RankedParticipant]:
    """Certifications in the round, ties by longest streak, then by useful risk reports
    (forwarded or resolved by a leader); revoked certifications never count."""
    async with db.transaction() as conn:
        counted = await stats.round_person_counts(conn, round_.name, round_.end)
        contenders = await _contenders(conn, round_.name, round_.end, counted, limit)
        useful = await stats.useful_reports(conn)
    ranked = sorted(
        (
            RankedParticipant(p.user_id, p.name, p.in_round, streak, useful.get(p.user_id, 0))
            for p, streak in contenders
        ),
        key=lambda t: (-t.in_round, -t.longest_streak, -t.useful_reports, t.user_id),
    )
    return ranked[:limit]


@dataclass(frozen=True)
class RankedParticipant:
    user_id: int
    name: str
    in_round: int
    longest_streak: int
    useful_reports: int
