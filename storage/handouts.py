"""Rewards marked as handed out by a leader: once per participant and reward."""

from __future__ import annotations

from datetime import datetime

from storage.clock import to_text
from storage.connection import Connection


async def mark(
    conn: Connection, participant_id: int, reward: str, leader_id: int, now: datetime
) -> bool:
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO reward_handouts (participant_id, reward, handed_by, handed_at) "
        "VALUES (?, ?, ?, ?)",
        (participant_id, reward, leader_id, to_text(now)),
    )
    return cursor.rowcount == 1


async def counts(conn: Connection) -> dict[str, int]:
    cursor = await conn.execute("SELECT reward, COUNT(*) FROM reward_handouts GROUP BY reward")
    return {row[0]: int(row[1]) for row in await cursor.fetchall()}


async def of(conn: Connection, participant_id: int) -> set[str]:
    cursor = await conn.execute(
        "SELECT reward FROM reward_handouts WHERE participant_id = ?", (participant_id,)
    )
    return {row[0] for row in await cursor.fetchall()}
