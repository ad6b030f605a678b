"""What the leaders' console shows: /stats figures and the /top ranking for the police chief's
letter of appreciation (certifications in the round, ties by longest streak)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from bot.campaign import rules
from bot.campaign.config import Campaign, Round
from bot.campaign.round_reports import RoundFigures, ranked_contenders, round_figures
from storage import handouts, stats
from storage.database import Database


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
    summary: RoundFigures


async def collect(db: Database, campaign: Campaign, now: datetime) -> Stats | None:
    today = rules.campaign_day(now, campaign.timezone)
    round_ = current_or_latest(campaign, today)
    if round_ is None:
        return None
    # The summary covers the round up to today (as a report "going out tomorrow" would).
    through = min(today, round_.end)
    async with db.read() as conn:
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


async def ranking(db: Database, round_: Round, limit: int) -> list[RankedParticipant]:
    """Certifications in the round, ties by longest streak, then by useful risk reports
    (forwarded or resolved by a leader); revoked certifications never count."""
    async with db.read() as conn:
        found = await ranked_contenders(conn, round_.name, round_.end, limit)
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
