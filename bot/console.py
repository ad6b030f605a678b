"""What the leaders' console shows: /stats figures and the /top ranking for the police chief's
letter of appreciation (certifications in the round, ties by longest streak)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import aiosqlite

from bot import rules
from bot.campaign import Campaign, Round
from storage import handouts, stats
from storage.database import Database
from storage.reports import ParticipantCounts


def current_or_latest(campaign: Campaign, day: date, name: str | None = None) -> Round | None:
    if name:
        return campaign.round_named(name)
    return campaign.round_on(day) or campaign.latest_round_before(day) or campaign.rounds[0]


@dataclass(frozen=True)
class RoundFigures:
    """The round up to a day, as /stats shows it (the same figures as the round report's
    ``bot.reports.RoundSummary``, read from the tallies in milliseconds)."""

    certified_once: int  # approved participants with at least one accepted certification
    certifications: int  # accepted certifications of approved participants in the round
    chart_days: list[date]
    chart_counts: list[int]


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
    summary: RoundFigures


async def collect(db: Database, campaign: Campaign, now: datetime) -> Stats | None:
    today = rules.campaign_day(now, campaign.timezone)
    round_ = current_or_latest(campaign, today)
    if round_ is None:
        return None
    # The summary covers the round up to today (as a report "going out tomorrow" would).
    through = min(today, round_.end)
    async with db.transaction() as conn:
        summary = await round_figures(conn, round_, through)
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


async def contenders(
    conn: aiosqlite.Connection, round_name: str, through: date, limit: int
) -> list[tuple[ParticipantCounts, int]]:
    """The people who can make the top ``limit`` (everyone tied at the cut-off included), each
    with their longest streak in the round; most certifications first (what
    ``bot.reports.ranked_contenders`` answers, from the tallies)."""
    leaders = await stats.round_leaders(conn, round_name, through, limit)
    streaks = await stats.longest_streaks(conn, round_name, (p.user_id for p in leaders), through)
    return [(p, streaks.get(p.user_id, 0)) for p in leaders]


async def round_figures(conn: aiosqlite.Connection, round_: Round, through: date) -> RoundFigures:
    per_day = await stats.round_day_totals(conn, round_.name, through)
    days = (round_.start + timedelta(days=i) for i in range(round_.days))
    chart_days = [day for day in days if day <= through]
    return RoundFigures(
        certified_once=await stats.round_certified(conn, round_.name, through),
        certifications=sum(per_day.values()),
        chart_days=chart_days,
        chart_counts=[per_day.get(d, 0) for d in chart_days],
    )


async def ranking(db: Database, round_: Round, limit: int) -> list[RankedParticipant]:
    """Certifications in the round, ties by longest streak, then by useful risk reports
    (forwarded or resolved by a leader); revoked certifications never count."""
    async with db.transaction() as conn:
        found = await contenders(conn, round_.name, round_.end, limit)
        useful = await stats.useful_reports(conn)
    ranked = sorted(
        (
            RankedParticipant(p.user_id, p.name, p.in_round, streak, useful.get(p.user_id, 0))
            for p, streak in found
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
