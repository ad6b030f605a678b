"""The review feed's state: each photo's re-encoded preview until the post is sent, and which
accepted certifications still wait for their feed post to be planned."""

from __future__ import annotations

from datetime import datetime

from storage.clock import to_text
from storage.connection import Connection

KEY_PREFIX = "feed"


def post_key(certification_id: int, chat_id: int) -> str:
    """The outbox key of a certification's feed post in one chat."""
    return f"{KEY_PREFIX}:{certification_id}:{chat_id}"


def _key_range(certification_id: int) -> tuple[str, str]:
    # Every key "feed:<id>:..." sorts between these two (";" follows ":"): the unique index on
    # outbox.key answers the range without looking at any other row.
    return f"{KEY_PREFIX}:{certification_id}:", f"{KEY_PREFIX}:{certification_id};"


async def keep_preview(
    conn: Connection, certification_id: int, role: str, jpeg: bytes, now: datetime
) -> None:
    await conn.execute(
        """
        INSERT INTO feed_previews (certification_id, role, jpeg, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (certification_id, role) DO UPDATE SET jpeg = excluded.jpeg
        """,
        (certification_id, role, jpeg, to_text(now)),
    )


async def previews(conn: Connection, certification_id: int) -> tuple[bytes | None, bytes | None]:
    """(start, end) previews; None for one that was never made or is gone."""
    cursor = await conn.execute(
        "SELECT role, jpeg FROM feed_previews WHERE certification_id = ?", (certification_id,)
    )
    found = {row[0]: bytes(row[1]) for row in await cursor.fetchall()}
    return found.get("start"), found.get("end")


async def forget_previews(conn: Connection, certification_ids: list[int]) -> None:
    await conn.executemany(
        "DELETE FROM feed_previews WHERE certification_id = ?",
        [(cert_id,) for cert_id in certification_ids],
    )


async def forget_previews_if_posted(conn: Connection, certification_id: int) -> bool:
    """Drop the previews once none of the certification's feed posts waits to be sent."""
    low, high = _key_range(certification_id)
    cursor = await conn.execute(
        "SELECT 1 FROM outbox WHERE key >= ? AND key < ? AND status IN ('pending', 'sending')",
        (low, high),
    )
    if await cursor.fetchone() is not None:
        return False
    await forget_previews(conn, [certification_id])
    return True


async def forget_old_previews(conn: Connection, before: datetime) -> int:
    """Previews older than ``before``: a post that has not gone out by then never will (or a
    start photo whose certification was never finished)."""
    cursor = await conn.execute(
        "DELETE FROM feed_previews WHERE created_at < ?", (to_text(before),)
    )
    return cursor.rowcount


async def drop_pending_posts(conn: Connection, certification_ids: list[int]) -> int:
    """Feed posts of these certifications not sent yet never will be (their author erased)."""
    dropped = 0
    for cert_id in certification_ids:
        low, high = _key_range(cert_id)
        cursor = await conn.execute(
            "DELETE FROM outbox WHERE key >= ? AND key < ? AND status = 'pending'", (low, high)
        )
        dropped += cursor.rowcount
    return dropped


async def mark_planned(conn: Connection, certification_id: int, now: datetime) -> bool:
    """Claim the planning of an accepted certification's feed post; False if it was planned
    before (or is not accepted)."""
    cursor = await conn.execute(
        """
        UPDATE certifications SET feed_planned_at = ?, note_pending = 0
        WHERE id = ? AND status = 'accepted' AND feed_planned_at IS NULL
        """,
        (to_text(now), certification_id),
    )
    return cursor.rowcount == 1


async def never_post(conn: Connection, certification_ids: list[int], now: datetime) -> None:
    """These certifications get no feed post (their author erased their data)."""
    await conn.executemany(
        "UPDATE certifications SET feed_planned_at = ? WHERE id = ? AND feed_planned_at IS NULL",
        [(to_text(now), cert_id) for cert_id in certification_ids],
    )


async def due(conn: Connection, note_lapsed_before: datetime, limit: int = 50) -> list[int]:
    """Accepted certifications whose feed post is not planned although their note step is over:
    closed without a note (a new /certify, /cancel) or open since before ``note_lapsed_before``."""
    cursor = await conn.execute(
        """
        SELECT id FROM certifications
        WHERE feed_planned_at IS NULL AND status = 'accepted'
          AND (note_pending = 0 OR accepted_at < ?)
        ORDER BY accepted_at, id LIMIT ?
        """,
        (to_text(note_lapsed_before), limit),
    )
    return [row[0] for row in await cursor.fetchall()]
