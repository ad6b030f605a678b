"""What the 1365 hours export reads: accepted certifications per participant and campaign day.

Revoked (and unfinished) certifications never count: only ``status = 'accepted'`` is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import aiosqlite


@dataclass(frozen=True)
class DayCount:
    """One participant's accepted certifications on one campaign day of a round."""

    user_id: int
    full_name: str | None
    telegram_name: str
    username: str | None
    volunteer_id: str | None
    category: str | None
    affiliation: str | None
    day: date
    certifications: int


async def accepted_per_day(conn: aiosqlite.Connection, round_name: str) -> list[DayCount]:
    """Every (participant, day) of the round with accepted certifications, by person then day."""
    cursor = await conn.execute(
        """
        SELECT p.user_id, p.full_name, p.telegram_name, p.username, p.volunteer_id,
               p.category, p.affiliation, c.campaign_day, COUNT(*) AS certifications
        FROM certifications AS c
        JOIN participants AS p ON p.user_id = c.participant_id
        WHERE c.status = 'accepted' AND c.round_name = ? AND c.campaign_day IS NOT NULL
        GROUP BY p.user_id, c.campaign_day
        ORDER BY COALESCE(p.full_name, p.telegram_name), p.user_id, c.campaign_day
        """,
        (round_name,),
    )
    return [
        DayCount(
            user_id=row["user_id"],
            full_name=row["full_name"],
            telegram_name=row["telegram_name"],
            username=row["username"],
            volunteer_id=row["volunteer_id"],
            category=row["category"],
            affiliation=row["affiliation"],
            day=date.fromisoformat(row["campaign_day"]),
            certifications=int(row["certifications"]),
        )
        for row in await cursor.fetchall()
    ]
