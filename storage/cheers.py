"""Cheers on certifications in the community feed, the evening digest's bookkeeping, and the
weekly top list's counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage.clock import to_text
from storage.connection import Connection
from storage.rows import only_row


async def add(conn: Connection, certification_id: int, user_id: int, at: datetime) -> bool:
    """Record a cheer; False if this person already cheered this certification."""
    cursor = await conn.execute(
        "INSERT INTO cheers (certification_id, user_id, at) VALUES (?, ?, ?) "
        "ON CONFLICT (certification_id, user_id) DO NOTHING",
        (certification_id, user_id, to_text(at)),
    )
    return cursor.rowcount == 1


async def count(conn: Connection, certification_id: int) -> int:
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM cheers WHERE certification_id = ?", (certification_id,)
    )
    return int((await only_row(cursor))[0])


@dataclass(frozen=True)
class DigestDue:
    user_id: int
    name: str
    language: str | None
    cheers: int
    posts: int
    last_cheer: int  # the newest cheers.id counted (the next digest starts after it)


async def digests_due(conn: Connection, day: date) -> list[DigestDue]:
    """Reachable authors with cheers on accepted certifications since their last digest, who
    have not had a digest on ``day`` yet."""
    cursor = await conn.execute(
        """
        SELECT p.user_id, p.telegram_name, p.language,
               COUNT(*) AS cheers, COUNT(DISTINCT h.certification_id) AS posts,
               MAX(h.id) AS last_cheer
        FROM cheers h
        JOIN certifications c ON c.id = h.certification_id
        JOIN participants p ON p.user_id = c.participant_id
        LEFT JOIN cheer_digests d ON d.participant_id = p.user_id
        WHERE c.status = 'accepted' AND p.active = 1
          AND (d.participant_id IS NULL OR (h.id > d.told_through AND d.last_day < ?))
        GROUP BY p.user_id
        ORDER BY p.user_id
        """,
        (day.isoformat(),),
    )
    return [
        DigestDue(row[0], row[1], row[2], int(row[3]), int(row[4]), int(row[5]))
        for row in await cursor.fetchall()
    ]


async def mark_told(conn: Connection, participant_id: int, day: date, last_cheer: int) -> None:
    await conn.execute(
        """
        INSERT INTO cheer_digests (participant_id, told_through, last_day) VALUES (?, ?, ?)
        ON CONFLICT (participant_id) DO UPDATE
        SET told_through = excluded.told_through, last_day = excluded.last_day
        """,
        (participant_id, last_cheer, day.isoformat()),
    )


@dataclass(frozen=True)
class WeekCount:
    user_id: int
    name: str
    certifications: int


async def accepted_between(conn: Connection, first: date, last: date) -> list[WeekCount]:
    """Accepted (never revoked) certifications per participant on campaign days first..last."""
    cursor = await conn.execute(
        """
        SELECT p.user_id, p.telegram_name, COUNT(*)
        FROM certifications c JOIN participants p ON p.user_id = c.participant_id
        WHERE c.status = 'accepted' AND c.campaign_day BETWEEN ? AND ?
        GROUP BY p.user_id
        ORDER BY p.user_id
        """,
        (first.isoformat(), last.isoformat()),
    )
    return [WeekCount(row[0], row[1], int(row[2])) for row in await cursor.fetchall()]
