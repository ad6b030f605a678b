"""Milestone announcements: each milestone is announced once per participant, ever."""

from __future__ import annotations

from datetime import datetime

from storage.clock import to_text
from storage.connection import Connection


async def announce(conn: Connection, participant_id: int, count: int, now: datetime) -> bool:
    """True the first time this participant reaches this milestone; False forever after."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO milestone_announcements (participant_id, count, announced_at) "
        "VALUES (?, ?, ?)",
        (participant_id, count, to_text(now)),
    )
    return cursor.rowcount == 1


async def announced_counts(conn: Connection, participant_id: int) -> set[int]:
    """Every milestone ever announced to the participant (flagged ones included)."""
    cursor = await conn.execute(
        "SELECT count FROM milestone_announcements WHERE participant_id = ?", (participant_id,)
    )
    return {row[0] for row in await cursor.fetchall()}


async def announced_above(conn: Connection, participant_id: int, total: int) -> list[int]:
    """Announced milestones the participant is now below (after a revocation), not yet flagged."""
    cursor = await conn.execute(
        "SELECT count FROM milestone_announcements WHERE participant_id = ? AND count > ? "
        "AND flagged_at IS NULL ORDER BY count",
        (participant_id, total),
    )
    return [row[0] for row in await cursor.fetchall()]


async def flag(conn: Connection, participant_id: int, count: int, now: datetime) -> None:
    await conn.execute(
        "UPDATE milestone_announcements SET flagged_at = ? WHERE participant_id = ? AND count = ?",
        (to_text(now), participant_id, count),
    )
