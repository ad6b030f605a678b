"""The camera page's tickets (one per opened page: one person, one photo step, single use) and
the people a leader lets send chat photos when the campaign requires the camera."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.clock import moment_from_text, to_text


@dataclass(frozen=True)
class Ticket:
    nonce: str
    participant_id: int
    certification_id: int
    role: str  # "start" or "end"
    issued_at: datetime
    used_at: datetime | None


def _ticket(row: aiosqlite.Row) -> Ticket:
    used = row["used_at"]
    return Ticket(
        nonce=row["nonce"],
        participant_id=row["participant_id"],
        certification_id=row["certification_id"],
        role=row["role"],
        issued_at=moment_from_text(row["issued_at"]),
        used_at=None if used is None else moment_from_text(used),
    )


async def issue(
    conn: aiosqlite.Connection,
    nonce: str,
    participant_id: int,
    certification_id: int,
    role: str,
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO camera_tickets (nonce, participant_id, certification_id, role, issued_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (nonce, participant_id, certification_id, role, to_text(now)),
    )


async def get(conn: aiosqlite.Connection, nonce: str) -> Ticket | None:
    cursor = await conn.execute("SELECT * FROM camera_tickets WHERE nonce = ?", (nonce,))
    row = await cursor.fetchone()
    return None if row is None else _ticket(row)


async def use(conn: aiosqlite.Connection, nonce: str, now: datetime) -> bool:
    """Mark the ticket used; False if it was used already (a replay)."""
    cursor = await conn.execute(
        "UPDATE camera_tickets SET used_at = ? WHERE nonce = ? AND used_at IS NULL",
        (to_text(now), nonce),
    )
    return cursor.rowcount == 1


async def forget_older_than(conn: aiosqlite.Connection, before: datetime) -> int:
    cursor = await conn.execute(
        "DELETE FROM camera_tickets WHERE issued_at < ?", (to_text(before),)
    )
    return cursor.rowcount


async def allow_chat_photos(
    conn: aiosqlite.Connection, participant_id: int, leader_id: int, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO chat_photo_permissions (participant_id, allowed_by, allowed_at) "
        "VALUES (?, ?, ?) ON CONFLICT (participant_id) DO NOTHING",
        (participant_id, leader_id, to_text(now)),
    )


async def withdraw_chat_photos(conn: aiosqlite.Connection, participant_id: int) -> None:
    await conn.execute(
        "DELETE FROM chat_photo_permissions WHERE participant_id = ?", (participant_id,)
    )


async def may_send_chat_photos(conn: aiosqlite.Connection, participant_id: int) -> bool:
    cursor = await conn.execute(
        "SELECT 1 FROM chat_photo_permissions WHERE participant_id = ?", (participant_id,)
    )
    return await cursor.fetchone() is not None


async def mark_from_camera(
    conn: aiosqlite.Connection,
    certification_id: int,
    role: str,
    location: tuple[float, float] | None,
) -> None:
    """The photo came from the camera page (and, if the campaign asks, where it was taken)."""
    latitude, longitude = location if location is not None else (None, None)
    await conn.execute(
        "UPDATE photos SET from_camera = 1, latitude = ?, longitude = ? "
        "WHERE certification_id = ? AND role = ?",
        (latitude, longitude, certification_id, role),
    )


async def camera_roles(conn: aiosqlite.Connection, certification_id: int) -> frozenset[str]:
    """The roles ("start", "end") of a certification's photos taken on the camera page."""
    cursor = await conn.execute(
        "SELECT role FROM photos WHERE certification_id = ? AND from_camera = 1",
        (certification_id,),
    )
    return frozenset(str(row[0]) for row in await cursor.fetchall())
