"""Certifications (a start and an end photo for one mission) and the tallies built on them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from storage.clock import from_text, to_text
from storage.connection import Connection
from storage.rows import only_row

OPEN_STATUSES = ("awaiting_start", "awaiting_end")


@dataclass(frozen=True)
class Certification:
    id: int
    participant_id: int
    mission_id: int
    round_name: str
    campaign_day: date | None
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    note: str | None
    note_pending: bool
    accepted_at: datetime | None


@dataclass(frozen=True)
class Tally:
    """Accepted certifications of one participant."""

    today: int
    this_round: int
    total: int


def _row(row: sqlite3.Row) -> Certification:
    day = row["campaign_day"]
    return Certification(
        id=row["id"],
        participant_id=row["participant_id"],
        mission_id=row["mission_id"],
        round_name=row["round_name"],
        campaign_day=None if day is None else date.fromisoformat(day),
        status=row["status"],
        started_at=from_text(row["started_at"]),
        ended_at=from_text(row["ended_at"]),
        note=row["note"],
        note_pending=bool(row["note_pending"]),
        accepted_at=from_text(row["accepted_at"]),
    )


async def get(conn: Connection, certification_id: int) -> Certification | None:
    cursor = await conn.execute("SELECT * FROM certifications WHERE id = ?", (certification_id,))
    row = await cursor.fetchone()
    return None if row is None else _row(row)


async def open_for(conn: Connection, participant_id: int) -> Certification | None:
    """The certification this participant is working on (waiting for a photo), if any."""
    cursor = await conn.execute(
        "SELECT * FROM certifications WHERE participant_id = ? "
        "AND status IN ('awaiting_start', 'awaiting_end')",
        (participant_id,),
    )
    row = await cursor.fetchone()
    return None if row is None else _row(row)


async def awaiting_note(conn: Connection, participant_id: int) -> Certification | None:
    cursor = await conn.execute(
        "SELECT * FROM certifications WHERE participant_id = ? AND status = 'accepted' "
        "AND note_pending = 1 ORDER BY id DESC LIMIT 1",
        (participant_id,),
    )
    row = await cursor.fetchone()
    return None if row is None else _row(row)


async def open_new(
    conn: Connection,
    participant_id: int,
    mission_id: int,
    round_name: str,
    now: datetime,
) -> int:
    cursor = await conn.execute(
        """
        INSERT INTO certifications (participant_id, mission_id, round_name, status, created_at)
        VALUES (?, ?, ?, 'awaiting_start', ?)
        """,
        (participant_id, mission_id, round_name, to_text(now)),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def record_start(
    conn: Connection, certification_id: int, day: date, round_name: str, at: datetime
) -> bool:
    cursor = await conn.execute(
        """
        UPDATE certifications SET status = 'awaiting_end', campaign_day = ?, round_name = ?,
            started_at = ?
        WHERE id = ? AND status = 'awaiting_start'
        """,
        (day.isoformat(), round_name, to_text(at), certification_id),
    )
    return cursor.rowcount == 1


async def accept(
    conn: Connection, certification_id: int, ended_at: datetime, now: datetime
) -> bool:
    """Close a certification with its end photo; False if it was no longer waiting for one."""
    cursor = await conn.execute(
        """
        UPDATE certifications SET status = 'accepted', ended_at = ?, accepted_at = ?,
            note_pending = 1
        WHERE id = ? AND status = 'awaiting_end'
        """,
        (to_text(ended_at), to_text(now), certification_id),
    )
    return cursor.rowcount == 1


async def close_open(conn: Connection, certification_id: int, status: str) -> bool:
    """Cancel or expire an open certification."""
    if status not in ("cancelled", "expired"):
        raise ValueError(status)
    cursor = await conn.execute(
        "UPDATE certifications SET status = ? WHERE id = ? "
        "AND status IN ('awaiting_start', 'awaiting_end')",
        (status, certification_id),
    )
    return cursor.rowcount == 1


async def set_note(conn: Connection, certification_id: int, note: str | None) -> bool:
    cursor = await conn.execute(
        "UPDATE certifications SET note = ?, note_pending = 0 WHERE id = ? AND note_pending = 1",
        (note, certification_id),
    )
    return cursor.rowcount == 1


async def clear_note_prompts(conn: Connection, participant_id: int) -> None:
    await conn.execute(
        "UPDATE certifications SET note_pending = 0 WHERE participant_id = ? AND note_pending = 1",
        (participant_id,),
    )


async def count_for_mission_on(
    conn: Connection, participant_id: int, mission_id: int, day: date
) -> int:
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM certifications WHERE participant_id = ? AND mission_id = ? "
        "AND campaign_day = ? AND status = 'accepted'",
        (participant_id, mission_id, day.isoformat()),
    )
    return int((await only_row(cursor))[0])


async def tally(conn: Connection, participant_id: int, day: date, round_name: str | None) -> Tally:
    cursor = await conn.execute(
        """
        SELECT COALESCE(SUM(campaign_day = ?), 0), COALESCE(SUM(round_name = ?), 0), COUNT(*)
        FROM certifications WHERE participant_id = ? AND status = 'accepted'
        """,
        (day.isoformat(), round_name, participant_id),
    )
    row = await only_row(cursor)
    return Tally(today=int(row[0]), this_round=int(row[1]), total=int(row[2]))


async def count_by_status(conn: Connection) -> dict[str, int]:
    cursor = await conn.execute("SELECT status, COUNT(*) FROM certifications GROUP BY status")
    return {row[0]: row[1] for row in await cursor.fetchall()}


async def certified_days(conn: Connection, participant_id: int, since: date) -> set[date]:
    """Campaign days since ``since`` with at least one accepted certification."""
    cursor = await conn.execute(
        "SELECT DISTINCT campaign_day FROM certifications WHERE participant_id = ? "
        "AND status = 'accepted' AND campaign_day >= ?",
        (participant_id, since.isoformat()),
    )
    return {date.fromisoformat(row[0]) for row in await cursor.fetchall()}
