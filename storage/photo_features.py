"""What each photo keeps for the edited-copy check (``bot.media.alignment``), and the sender's
own recent photos, which a new photo is always aligned with (migration 0022)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from storage.clock import to_text
from storage.photos import SeenPhoto, seen_photo

# How many of the sender's own latest photos a new one is aligned with, whatever its hashes
# say: a crop of more than a few percent moves the hashes as far as a different picture.
OWN_RECENT = 30


async def keep(
    conn: aiosqlite.Connection,
    certification_id: int,
    role: str,
    sender_id: int,
    message_date: datetime,
    features: bytes,
) -> None:
    await conn.execute(
        """
        INSERT INTO photo_features (certification_id, role, sender_id, message_date, features)
        VALUES (?, ?, ?, ?, ?)
        """,
        (certification_id, role, sender_id, to_text(message_date), features),
    )


async def own_recent(
    conn: aiosqlite.Connection, sender_id: int, limit: int = OWN_RECENT
) -> list[SeenPhoto]:
    """The sender's latest photos still in use, newest first, with their features."""
    cursor = await conn.execute(
        """
        SELECT p.certification_id, p.sender_id, p.message_date, p.phash, p.dhash, p.thumbnail,
               f.features
        FROM photo_features f
        JOIN photos p ON p.certification_id = f.certification_id AND p.role = f.role
        JOIN certifications c ON c.id = p.certification_id
        WHERE f.sender_id = ? AND c.status != 'cancelled'
        ORDER BY f.message_date DESC LIMIT ?
        """,
        (sender_id, limit),
    )
    return [seen_photo(row) for row in await cursor.fetchall()]


def merged(*groups: Sequence[SeenPhoto]) -> list[SeenPhoto]:
    """Every photo once, though several look-ups found it."""
    found: dict[tuple[int, datetime], SeenPhoto] = {}
    for group in groups:
        for seen in group:
            key = (seen.certification_id, seen.message_date)
            if key not in found or found[key].features is None:
                found[key] = seen
    return list(found.values())
