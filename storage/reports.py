"""What the mid and final reports read besides the tallies (``storage.stats``): what a report
already planned, how many people are approved, and how each person's risk reports fared; and
``ParticipantCounts``, the row the tallies answer with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.clock import to_text
from storage.connection import Connection
from storage.rows import only_row


@dataclass(frozen=True)
class ParticipantCounts:
    """An approved participant with accepted certifications in the round and in total."""

    user_id: int
    name: str
    in_round: int
    total: int


async def planned_keys(conn: Connection, prefix: str) -> set[str]:
    """Outbox keys starting with ``prefix`` (what a report already planned)."""
    cursor = await conn.execute(
        "SELECT key FROM outbox WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
    )
    return {row[0] for row in await cursor.fetchall()}


async def approved_total(conn: Connection) -> int:
    cursor = await conn.execute("SELECT COUNT(*) FROM participants WHERE status = 'approved'")
    return int((await only_row(cursor))[0])


@dataclass(frozen=True)
class RiskCounts:
    """One reporter's risk reports submitted in a period and what became of them so far."""

    user_id: int
    sent: int
    forwarded: int  # passed to an agency and still with it or resolved (not rejected later)
    resolved: int


async def risk_counts(conn: Connection, since: datetime, until: datetime) -> dict[int, RiskCounts]:
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
