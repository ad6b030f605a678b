"""Accepted photos that look much like an earlier one: listed in /audit for the leaders to
judge, since refusing an honest teenager is worse than a leader's second look."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.clock import from_text, to_text
from storage.connection import Connection


@dataclass(frozen=True)
class RecordedLookalike:
    participant_id: int
    participant_name: str
    certification_id: int
    role: str  # "start" or "end"
    earlier_certification_id: int
    whose: str  # "own", "other" or "this_certification"
    difference: float | None
    at: datetime


async def record(
    conn: Connection,
    certification_id: int,
    role: str,
    earlier_certification_id: int,
    whose: str,
    distances: tuple[int, int],
    difference: float | None,
    at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO lookalikes (certification_id, role, earlier_certification_id, whose,
                                phash_distance, dhash_distance, difference, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            certification_id,
            role,
            earlier_certification_id,
            whose,
            *distances,
            difference,
            to_text(at),
        ),
    )


async def latest(conn: Connection, limit: int = 15) -> list[RecordedLookalike]:
    cursor = await conn.execute(
        """
        SELECT l.*, c.participant_id, COALESCE(p.full_name, p.telegram_name, '') AS name
        FROM lookalikes l
        JOIN certifications c ON c.id = l.certification_id
        LEFT JOIN participants p ON p.user_id = c.participant_id
        ORDER BY l.at DESC, l.id DESC LIMIT ?
        """,
        (limit,),
    )
    found = []
    for row in await cursor.fetchall():
        at = from_text(row["at"])
        assert at is not None
        found.append(
            RecordedLookalike(
                participant_id=row["participant_id"],
                participant_name=row["name"],
                certification_id=row["certification_id"],
                role=row["role"],
                earlier_certification_id=row["earlier_certification_id"],
                whose=row["whose"],
                difference=row["difference"],
                at=at,
            )
        )
    return found
