"""Theme-mission ideas proposed by participants, and leaders' theme missions being drafted."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from storage.clock import moment_from_text, to_text
from storage.connection import Connection


@dataclass(frozen=True)
class Idea:
    id: int
    participant_id: int
    participant_name: str
    text: str
    created_at: datetime
    mission_id: int | None


@dataclass(frozen=True)
class ThemeDraft:
    leader_id: int
    title: str | None
    description: str | None
    start: date | None
    days: int | None
    idea_id: int | None


async def add(conn: Connection, participant_id: int, text: str, now: datetime) -> int:
    cursor = await conn.execute(
        "INSERT INTO ideas (participant_id, text, created_at) VALUES (?, ?, ?)",
        (participant_id, text, to_text(now)),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


_IDEA_SELECT = """
    SELECT i.*, COALESCE(p.full_name, p.telegram_name, '') AS name
    FROM ideas i LEFT JOIN participants p ON p.user_id = i.participant_id
"""


def _idea(row: sqlite3.Row) -> Idea:
    return Idea(
        id=row["id"],
        participant_id=row["participant_id"],
        participant_name=row["name"],
        text=row["text"],
        created_at=moment_from_text(row["created_at"]),
        mission_id=row["mission_id"],
    )


async def get(conn: Connection, idea_id: int) -> Idea | None:
    cursor = await conn.execute(f"{_IDEA_SELECT} WHERE i.id = ?", (idea_id,))
    row = await cursor.fetchone()
    return None if row is None else _idea(row)


async def latest(conn: Connection, limit: int = 10) -> list[Idea]:
    cursor = await conn.execute(
        f"{_IDEA_SELECT} ORDER BY i.created_at DESC, i.id DESC LIMIT ?",
        (limit,),
    )
    return [_idea(row) for row in await cursor.fetchall()]


async def mark_used(conn: Connection, idea_id: int, mission_id: int) -> None:
    await conn.execute("UPDATE ideas SET mission_id = ? WHERE id = ?", (mission_id, idea_id))


async def draft(conn: Connection, leader_id: int) -> ThemeDraft | None:
    cursor = await conn.execute("SELECT * FROM theme_drafts WHERE leader_id = ?", (leader_id,))
    row = await cursor.fetchone()
    if row is None:
        return None
    return ThemeDraft(
        leader_id=row["leader_id"],
        title=row["title"],
        description=row["description"],
        start=None if row["start_date"] is None else date.fromisoformat(row["start_date"]),
        days=row["days"],
        idea_id=row["idea_id"],
    )


async def start_draft(conn: Connection, leader_id: int, idea_id: int | None, now: datetime) -> None:
    await conn.execute(
        """
        INSERT INTO theme_drafts (leader_id, idea_id, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (leader_id) DO UPDATE SET title = NULL, description = NULL,
            start_date = NULL, days = NULL, idea_id = excluded.idea_id,
            updated_at = excluded.updated_at
        """,
        (leader_id, idea_id, to_text(now)),
    )


_DRAFT_FIELDS = ("title", "description", "start_date", "days")


async def set_draft_field(
    conn: Connection, leader_id: int, field: str, value: object, now: datetime
) -> None:
    if field not in _DRAFT_FIELDS:
        raise ValueError(field)
    if isinstance(value, date):
        value = value.isoformat()
    await conn.execute(
        f"UPDATE theme_drafts SET {field} = ?, updated_at = ? WHERE leader_id = ?",
        (value, to_text(now), leader_id),
    )


async def drop_draft(conn: Connection, leader_id: int) -> None:
    await conn.execute("DELETE FROM theme_drafts WHERE leader_id = ?", (leader_id,))
