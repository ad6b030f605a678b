"""The leaders' daily gathering card: join requests without an application, application cards
sent and those past the day's cap, and what a leader declined from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage.connection import Connection


@dataclass(frozen=True)
class LeaderDigest:
    leader_id: int
    day: date
    version: int
    joins: int
    cards: int
    overflow: int
    declined: int
    declined_by: int | None


async def get(conn: Connection, leader_id: int, day: date) -> LeaderDigest:
    """The leader's row for the day (all zero when nothing happened yet)."""
    cursor = await conn.execute(
        "SELECT * FROM leader_digests WHERE leader_id = ? AND day = ?", (leader_id, day.isoformat())
    )
    row = await cursor.fetchone()
    if row is None:
        return LeaderDigest(leader_id, day, 0, 0, 0, 0, 0, None)
    return LeaderDigest(
        leader_id=row["leader_id"],
        day=date.fromisoformat(row["day"]),
        version=row["version"],
        joins=row["joins"],
        cards=row["cards"],
        overflow=row["overflow"],
        declined=row["declined"],
        declined_by=row["declined_by"],
    )


async def add(
    conn: Connection,
    leader_id: int,
    day: date,
    *,
    joins: int = 0,
    cards: int = 0,
    overflow: int = 0,
    declined: int = 0,
    declined_by: int | None = None,
    new_version: bool = False,
) -> LeaderDigest:
    """Add to the day's counts; ``new_version`` when the card is to show the change."""
    await conn.execute(
        """
        INSERT INTO leader_digests (leader_id, day, version, joins, cards, overflow, declined,
                                    declined_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (leader_id, day) DO UPDATE SET
            version = version + excluded.version,
            joins = joins + excluded.joins,
            cards = cards + excluded.cards,
            overflow = overflow + excluded.overflow,
            declined = declined + excluded.declined,
            declined_by = COALESCE(excluded.declined_by, declined_by)
        """,
        (
            leader_id,
            day.isoformat(),
            int(new_version),
            joins,
            cards,
            overflow,
            declined,
            declined_by,
        ),
    )
    return await get(conn, leader_id, day)
