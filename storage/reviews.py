"""Leaders' review of accepted certifications: revoke (never delete), restore, and the review-feed
messages that carry the buttons."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.clock import from_text, moment_from_text, to_text
from storage.connection import Connection


@dataclass(frozen=True)
class Review:
    certification_id: int
    participant_id: int
    participant_name: str
    action: str  # "revoked" or "restored"
    leader_id: int
    leader_name: str
    reason: str | None
    at: datetime


async def revoke(
    conn: Connection, certification_id: int, leader_id: int, reason: str, at: datetime
) -> bool:
    """Mark an accepted certification revoked; False if it was not accepted."""
    cursor = await conn.execute(
        "UPDATE certifications SET status = 'revoked', note_pending = 0 "
        "WHERE id = ? AND status = 'accepted'",
        (certification_id,),
    )
    if cursor.rowcount != 1:
        return False
    await _log(conn, certification_id, "revoked", leader_id, reason, at)
    return True


async def restore(conn: Connection, certification_id: int, leader_id: int, at: datetime) -> bool:
    cursor = await conn.execute(
        "UPDATE certifications SET status = 'accepted' WHERE id = ? AND status = 'revoked'",
        (certification_id,),
    )
    if cursor.rowcount != 1:
        return False
    await _log(conn, certification_id, "restored", leader_id, None, at)
    return True


async def _log(
    conn: Connection,
    certification_id: int,
    action: str,
    leader_id: int,
    reason: str | None,
    at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO certification_reviews (certification_id, action, leader_id, reason, at) "
        "VALUES (?, ?, ?, ?, ?)",
        (certification_id, action, leader_id, reason, to_text(at)),
    )


_REVIEW_SELECT = """
    SELECT v.*, c.participant_id,
           COALESCE(p.full_name, p.telegram_name, '') AS name,
           COALESCE(l.telegram_name, CAST(v.leader_id AS TEXT)) AS leader_name
    FROM certification_reviews v
    JOIN certifications c ON c.id = v.certification_id
    LEFT JOIN participants p ON p.user_id = c.participant_id
    LEFT JOIN participants l ON l.user_id = v.leader_id
"""


def _review(row: sqlite3.Row) -> Review:
    return Review(
        certification_id=row["certification_id"],
        participant_id=row["participant_id"],
        participant_name=row["name"],
        action=row["action"],
        leader_id=row["leader_id"],
        leader_name=row["leader_name"],
        reason=row["reason"],
        at=moment_from_text(row["at"]),
    )


async def last_for(conn: Connection, certification_id: int) -> Review | None:
    cursor = await conn.execute(
        f"{_REVIEW_SELECT} WHERE v.certification_id = ? ORDER BY v.id DESC LIMIT 1",
        (certification_id,),
    )
    row = await cursor.fetchone()
    return None if row is None else _review(row)


async def latest(conn: Connection, limit: int = 15) -> list[Review]:
    cursor = await conn.execute(
        f"{_REVIEW_SELECT} ORDER BY v.at DESC, v.id DESC LIMIT ?",
        (limit,),
    )
    return [_review(row) for row in await cursor.fetchall()]


async def remember_post(
    conn: Connection,
    certification_id: int,
    chat_id: int,
    message_id: int,
    *,
    is_picture: bool = False,
    posted_at: datetime | None = None,
) -> None:
    """A copy of the certification's feed post: the picture with the card as caption, or (before
    the feed became one picture) the text card under the album."""
    await conn.execute(
        """
        INSERT INTO review_posts (certification_id, chat_id, message_id, is_picture, posted_at)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (certification_id, chat_id) DO UPDATE SET message_id = excluded.message_id,
            is_picture = excluded.is_picture, posted_at = excluded.posted_at
        """,
        (
            certification_id,
            chat_id,
            message_id,
            int(is_picture),
            to_text(posted_at) if posted_at else None,
        ),
    )


async def posts(conn: Connection, certification_id: int) -> list[tuple[int, int]]:
    cursor = await conn.execute(
        "SELECT chat_id, message_id FROM review_posts WHERE certification_id = ?",
        (certification_id,),
    )
    return [(row[0], row[1]) for row in await cursor.fetchall()]


async def post_kinds(conn: Connection, certification_id: int) -> list[tuple[int, int, bool]]:
    """(chat, message, is_picture) of every copy of the certification's feed post."""
    cursor = await conn.execute(
        "SELECT chat_id, message_id, is_picture FROM review_posts WHERE certification_id = ?",
        (certification_id,),
    )
    return [(row[0], row[1], bool(row[2])) for row in await cursor.fetchall()]


async def remember_photo_posts(
    conn: Connection, certification_id: int, chat_id: int, message_ids: list[int]
) -> None:
    """The feed's photo messages of a certification in one chat (what /delete takes down)."""
    await conn.executemany(
        "INSERT OR IGNORE INTO review_post_photos (certification_id, chat_id, message_id) "
        "VALUES (?, ?, ?)",
        [(certification_id, chat_id, message_id) for message_id in message_ids],
    )


@dataclass(frozen=True)
class FeedMessage:
    """One review-feed message showing a person: the picture with the card as caption, or (older
    posts) an album photo or the text card with their name."""

    certification_id: int
    chat_id: int
    message_id: int
    is_card: bool  # it carries the name: the text card, or the picture's caption
    posted_at: datetime | None  # when it was posted (older posts: when the certification was)
    is_picture: bool = False


async def feed_messages_of(conn: Connection, participant_id: int) -> list[FeedMessage]:
    """Every feed message (cards and photos) of the person's certifications."""
    cursor = await conn.execute(
        """
        SELECT c.id, m.chat_id, m.message_id, m.is_card, COALESCE(m.posted_at, c.accepted_at),
               m.is_picture
        FROM certifications c
        JOIN (
            SELECT certification_id, chat_id, message_id, 1 AS is_card, posted_at, is_picture
            FROM review_posts
            UNION ALL
            SELECT certification_id, chat_id, message_id, 0, NULL, 0 FROM review_post_photos
        ) m ON m.certification_id = c.id
        WHERE c.participant_id = ?
        ORDER BY m.chat_id, m.message_id
        """,
        (participant_id,),
    )
    return [
        FeedMessage(row[0], row[1], row[2], bool(row[3]), from_text(row[4]), bool(row[5]))
        for row in await cursor.fetchall()
    ]


async def forget_feed_messages(conn: Connection, certification_ids: set[int]) -> None:
    """Drop the records of these certifications' feed messages (taken down or made anonymous)."""
    for table in ("review_posts", "review_post_photos"):
        await conn.executemany(
            f"DELETE FROM {table} WHERE certification_id = ?",
            [(cert_id,) for cert_id in sorted(certification_ids)],
        )
