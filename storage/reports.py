"""What the mid and final reports read: a round's accepted certifications per participant and
per day, the approved participants, and how each person's risk reports fared (plain
parameterised SQL, revoked certifications never count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.clock import to_text


@dataclass(frozen=True)
class ParticipantCounts:
    """An approved participant with accepted certifications in the round and in total."""

    user_id: int
    name: str
    in_round: int
    total: int


@dataclass(frozen=True)
class DayCount:
    user_id: int
    day: date
    count: int


async def approved_counts(conn: aiosqlite.Connection, round_name: str) -> list[ParticipantCounts]:
    """Every approved participant (reachable or not), with their accepted counts."""
    cursor = await conn.execute(
        """
        SELECT p.user_id, COALESCE(p.full_name, p.telegram_name) AS name,
               COALESCE(SUM(c.round_name = ?), 0) AS in_round, COUNT(c.id) AS total
        FROM participants p
        LEFT JOIN certifications c ON c.participant_id = p.user_id AND c.status = 'accepted'
        WHERE p.status = 'approved'
        GROUP BY p.user_id
        ORDER BY p.user_id
        """,
        (round_name,),
    )
    return [
        ParticipantCounts(row[0], row[1] or "", int(row[2]), int(row[3]))
        for row in await cursor.fetchall()
    ]


async def day_counts(
    conn: aiosqlite.Connection, round_name: str, user_id: int | None = None
) -> list[DayCount]:
    """Accepted certifications per participant and campaign day of the round (one person's
    when ``user_id`` is given)."""
    cursor = await conn.execute(
        """
        SELECT participant_id, campaign_day, COUNT(*) FROM certifications
        WHERE status = 'accepted' AND round_name = ? AND campaign_day IS NOT NULL
          AND (? IS NULL OR participant_id = ?)
        GROUP BY participant_id, campaign_day
        ORDER BY participant_id, campaign_day
        """,
        (round_name, user_id, user_id),
    )
    return [
        DayCount(row[0], date.fromisoformat(row[1]), int(row[2])) for row in await cursor.fetchall()
    ]


async def planned_keys(conn: aiosqlite.Connection, prefix: str) -> set[str]:
    """Outbox keys starting with ``prefix`` (what a report already planned)."""
    cursor = await conn.execute(
        "SELECT key FROM outbox WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
    )
    return {row[0] for row in await cursor.fetchall()}


async def day_totals(conn: aiosqlite.Connection, round_name: str, through: date) -> dict[date, int]:
    """Accepted certifications of approved participants per campaign day, up to ``through``."""
    cursor = await conn.execute(
        """
        SELECT c.campaign_day, COUNT(*) FROM certifications c
        JOIN participants p ON p.user_id = c.participant_id AND p.status = 'approved'
        WHERE c.round_name = ? AND c.status = 'accepted' AND c.campaign_day <= ?
        GROUP BY c.campaign_day
        """,
        (round_name, through.isoformat()),
    )
    return {date.fromisoformat(row[0]): int(row[1]) for row in await cursor.fetchall()}


async def round_counts(
    conn: aiosqlite.Connection, round_name: str, through: date
) -> list[ParticipantCounts]:
    """Approved participants with at least one accepted certification in the round up to
    ``through``, most first (``total`` here is the round count too)."""
    cursor = await conn.execute(
        """
        SELECT c.participant_id, COALESCE(p.full_name, p.telegram_name) AS name, COUNT(*) AS n
        FROM certifications c
        JOIN participants p ON p.user_id = c.participant_id AND p.status = 'approved'
        WHERE c.round_name = ? AND c.status = 'accepted' AND c.campaign_day <= ?
        GROUP BY c.participant_id
        ORDER BY n DESC, c.participant_id
        """,
        (round_name, through.isoformat()),
    )
    return [
        ParticipantCounts(row[0], row[1] or "", int(row[2]), int(row[2]))
        for row in await cursor.fetchall()
    ]


async def totals_at_least(conn: aiosqlite.Connection, minimum: int) -> list[ParticipantCounts]:
    """Approved participants whose accepted certifications (all rounds) reach ``minimum``."""
    cursor = await conn.execute(
        """
        SELECT c.participant_id, COALESCE(p.full_name, p.telegram_name) AS name, COUNT(*) AS n
        FROM certifications c
        JOIN participants p ON p.user_id = c.participant_id AND p.status = 'approved'
        WHERE c.status = 'accepted'
        GROUP BY c.participant_id HAVING n >= ?
        ORDER BY c.participant_id
        """,
        (minimum,),
    )
    return [
        ParticipantCounts(row[0], row[1] or "", int(row[2]), int(row[2]))
        for row in await cursor.fetchall()
    ]


async def approved_total(conn: aiosqlite.Connection) -> int:
    cursor = await conn.execute("SELECT COUNT(*) FROM participants WHERE status = 'approved'")
    return int((await cursor.fetchone())[0])


@dataclass(frozen=True)
class RiskCounts:
    """One reporter's risk reports submitted in a period and what became of them so far."""

    user_id: int
    sent: int
    forwarded: int  # passed to an agency and still with it or resolved (not rejected later)
    resolved: int


async def risk_counts(
    conn: aiosqlite.Connection, since: datetime, until: datetime
) -> dict[int, RiskCounts]:
    """Reports submitted from ``since`` up to (not including) ``until``, per reporter."""
    cursor = await conn.execute(
        """
        SELECT reporter_id, COUNT(*),
               -- agency stays set when a forwarded report is later rejected: not "passed on"
               SUM(agency IS NOT NULL AND status IN ('forwarded', 'resolved')),
               SUM(status = 'resolved')
        FROM risk_reports
        WHERE status != 'draft' AND submitted_at >= ? AND submitted_at < ?
        GROUP BY reporter_id
        """,
        (to_text(since), to_text(until)),
    )
    return {
        row[0]: RiskCounts(row[0], int(row[1]), int(row[2]), int(row[3]))
        for row in await cursor.fetchall()
    }
