"""Missions: each round's standing mission and the theme missions that run a few days."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from storage.clock import to_text
from storage.connection import Connection
from storage.rows import only_row


@dataclass(frozen=True)
class Mission:
    id: int
    kind: str  # "standing" or "theme"
    round_name: str
    title: str
    description: str
    start: date
    days: int

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def runs_on(self, day: date) -> bool:
        return self.start <= day <= self.end


def _row(row: sqlite3.Row) -> Mission:
    return Mission(
        id=row["id"],
        kind=row["kind"],
        round_name=row["round_name"],
        title=row["title"],
        description=row["description"],
        start=date.fromisoformat(row["start_date"]),
        days=row["days"],
    )


async def upsert(
    conn: Connection,
    *,
    kind: str,
    round_name: str,
    title: str,
    description: str,
    start: date,
    days: int,
    source: str,
    now: datetime,
) -> int:
    """Insert or refresh a mission keyed by (kind, round, title, start); returns its id."""
    cursor = await conn.execute(
        """
        INSERT INTO missions (kind, round_name, title, description, start_date, days, source,
                              created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, round_name, title, start_date) DO UPDATE SET
            description = excluded.description, days = excluded.days
        RETURNING id
        """,
        (kind, round_name, title, description, start.isoformat(), days, source, to_text(now)),
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def get(conn: Connection, mission_id: int) -> Mission | None:
    cursor = await conn.execute("SELECT * FROM missions WHERE id = ?", (mission_id,))
    row = await cursor.fetchone()
    return None if row is None else _row(row)


async def running_on(conn: Connection, day: date) -> list[Mission]:
    """Missions open on ``day``: the standing one first, then theme missions by start."""
    cursor = await conn.execute(
        """
        SELECT * FROM missions
        WHERE start_date <= ? AND date(start_date, '+' || (days - 1) || ' days') >= ?
        ORDER BY kind = 'theme', start_date, id
        """,
        (day.isoformat(), day.isoformat()),
    )
    return [_row(row) for row in await cursor.fetchall()]


async def count(conn: Connection) -> int:
    cursor = await conn.execute("SELECT COUNT(*) FROM missions")
    return int((await only_row(cursor))[0])


async def themes_starting(conn: Connection, day: date) -> list[Mission]:
    cursor = await conn.execute(
        "SELECT * FROM missions WHERE kind = 'theme' AND start_date = ? ORDER BY id",
        (day.isoformat(),),
    )
    return [_row(row) for row in await cursor.fetchall()]
