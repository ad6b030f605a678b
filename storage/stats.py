"""Counts for the leaders' /stats: participants by status, category and reachability, and the
day's certifications (revoked ones never count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import aiosqlite


@dataclass(frozen=True)
class GroupCount:
    status: str
    category: str | None
    active: bool
    count: int


async def participants_by_group(conn: aiosqlite.Connection) -> list[GroupCount]:
    cursor = await conn.execute(
        "SELECT status, category, active, COUNT(*) FROM participants "
        "WHERE status != 'visitor' GROUP BY status, category, active"
    )
    return [
        GroupCount(row[0], row[1], bool(row[2]), int(row[3])) for row in await cursor.fetchall()
    ]


async def accepted_on(conn: aiosqlite.Connection, day: date) -> int:
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM certifications WHERE status = 'accepted' AND campaign_day = ?",
        (day.isoformat(),),
    )
    return int((await cursor.fetchone())[0])


async def milestones_announced(conn: aiosqlite.Connection) -> dict[int, int]:
    """How many participants reached each milestone count (announced, so once each)."""
    cursor = await conn.execute(
        "SELECT count, COUNT(*) FROM milestone_announcements GROUP BY count"
    )
    return {int(row[0]): int(row[1]) for row in await cursor.fetchall()}


async def useful_reports(conn: aiosqlite.Connection) -> dict[int, int]:
    """Risk reports per reporter that leaders forwarded or resolved (the /top tie-breaker)."""
    cursor = await conn.execute(
        "SELECT reporter_id, COUNT(*) FROM risk_reports "
        "WHERE status IN ('forwarded', 'resolved') GROUP BY reporter_id"
    )
    return {int(row[0]): int(row[1]) for row in await cursor.fetchall()}
