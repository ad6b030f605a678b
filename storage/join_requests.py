"""Telegram join requests to the campaign group, kept until a leader's decision answers them."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.clock import to_text


async def record(conn: aiosqlite.Connection, user_id: int, chat_id: int, now: datetime) -> None:
    await conn.execute(
        """
        INSERT INTO join_requests (user_id, chat_id, requested_at) VALUES (?, ?, ?)
        ON CONFLICT (user_id, chat_id) DO UPDATE SET status = 'pending',
            requested_at = excluded.requested_at
        """,
        (user_id, chat_id, to_text(now)),
    )


async def pending_chats(conn: aiosqlite.Connection, user_id: int) -> list[int]:
    cursor = await conn.execute(
        "SELECT chat_id FROM join_requests WHERE user_id = ? AND status = 'pending'", (user_id,)
    )
    return [row[0] for row in await cursor.fetchall()]


async def settle(conn: aiosqlite.Connection, user_id: int, chat_id: int, approved: bool) -> None:
    await conn.execute(
        "UPDATE join_requests SET status = ? WHERE user_id = ? AND chat_id = ?",
        ("approved" if approved else "declined", user_id, chat_id),
    )
