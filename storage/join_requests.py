"""Telegram join requests to the campaign group, kept until a leader's decision answers them."""

from __future__ import annotations

from datetime import datetime

from storage.clock import to_text
from storage.connection import Connection


async def record(conn: Connection, user_id: int, chat_id: int, now: datetime) -> bool:
    """Keep the request; True if it is new (not one already waiting: Telegram resends them)."""
    cursor = await conn.execute(
        "SELECT status FROM join_requests WHERE user_id = ? AND chat_id = ?", (user_id, chat_id)
    )
    row = await cursor.fetchone()
    await conn.execute(
        """
        INSERT INTO join_requests (user_id, chat_id, requested_at) VALUES (?, ?, ?)
        ON CONFLICT (user_id, chat_id) DO UPDATE SET status = 'pending',
            requested_at = excluded.requested_at
        """,
        (user_id, chat_id, to_text(now)),
    )
    return row is None or row[0] != "pending"


async def pending_chats(conn: Connection, user_id: int) -> list[int]:
    cursor = await conn.execute(
        "SELECT chat_id FROM join_requests WHERE user_id = ? AND status = 'pending'", (user_id,)
    )
    return [row[0] for row in await cursor.fetchall()]


async def settle(conn: Connection, user_id: int, chat_id: int, approved: bool) -> None:
    await conn.execute(
        "UPDATE join_requests SET status = ? WHERE user_id = ? AND chat_id = ?",
        ("approved" if approved else "declined", user_id, chat_id),
    )


async def names_between(
    conn: Connection, start: datetime, end: datetime, limit: int
) -> list[tuple[str, str | None]]:
    """(Telegram name, username) of those who asked to join in [start, end) with no submitted
    application, oldest first."""
    cursor = await conn.execute(
        """
        SELECT p.telegram_name, p.username FROM join_requests j
        JOIN participants p ON p.user_id = j.user_id
        WHERE j.requested_at >= ? AND j.requested_at < ?
          AND p.status NOT IN ('approved', 'pending')
        ORDER BY j.requested_at, j.user_id LIMIT ?
        """,
        (to_text(start), to_text(end), limit),
    )
    return [(row[0], row[1]) for row in await cursor.fetchall()]


async def waiting_without_application(conn: Connection) -> list[tuple[int, int]]:
    """(user_id, chat_id) of pending join requests whose person has no submitted application."""
    cursor = await conn.execute(
        """
        SELECT j.user_id, j.chat_id FROM join_requests j
        JOIN participants p ON p.user_id = j.user_id
        WHERE j.status = 'pending' AND p.status NOT IN ('approved', 'pending')
        ORDER BY j.requested_at, j.user_id
        """
    )
    return [(row[0], row[1]) for row in await cursor.fetchall()]
