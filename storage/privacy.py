"""Personal data of one person: everything stored about them (for /mydata), erasing it (for
/delete and the retention purge) while the anonymised certification counts stay.

Erasing moves the person's kept rows (certifications, milestones, ideas, cheers, reports, and any
other table whose foreign key points at ``participants``) to a new *anonymous* participant row
with a negative id, then deletes the original row. Risk reports lose their location, photo and
description on the way (see ``_strip_risk_reports``). The Telegram user id, name, school,
neighbourhood and 1365 id are gone; the counts per day/round still add up. A person who writes to
the bot again starts as a new visitor with no link to the anonymous row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from storage import feed
from storage.clock import from_text, to_text
from storage.rows import only_row

# Columns that hold a person's Telegram id without a foreign key (kept rows: re-keyed).
_REKEY_PLAIN = (
    ("photos", "sender_id"),
    ("refusals", "participant_id"),
    ("cheers", "user_id"),
    ("risk_report_steps", "actor_id"),  # the reporter's own 'submitted' step
)
# Rows that only make sense for the living chat with the person: deleted.
_DELETE_ROWS = (
    ("pending_inputs", "user_id"),
    ("join_requests", "user_id"),
    ("outbox", "chat_id"),
    ("leader_cards", "participant_id"),
    ("theme_drafts", "leader_id"),
    # Following someone else's report: only the living person hears its news.
    ("risk_report_followers", "user_id"),
    # Pictures they sent (an after photo on someone else's report included).
    ("risk_photos", "taken_by"),
    # The camera page's tickets, and a leader's leave to send chat photos.
    ("camera_tickets", "participant_id"),
    ("chat_photo_permissions", "participant_id"),
)


def is_anonymous(user_id: int) -> bool:
    return user_id < 0


async def _tables(conn: aiosqlite.Connection) -> set[str]:
    cursor = await conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in await cursor.fetchall()}


async def _references(conn: aiosqlite.Connection) -> list[tuple[str, str]]:
    """Every (table, column) whose foreign key points at participants.user_id."""
    found = []
    for table in sorted(await _tables(conn)):
        cursor = await conn.execute(f"PRAGMA foreign_key_list('{table}')")
        for row in await cursor.fetchall():
            if row["table"] == "participants":
                found.append((table, row["from"]))
    return found


def _plain(row: aiosqlite.Row) -> dict[str, Any]:
    return {key: row[key] for key in row.keys()}  # noqa: SIM118 (sqlite3.Row)


async def export(conn: aiosqlite.Connection, user_id: int) -> dict[str, Any] | None:
    """Everything stored about this person and nobody else; None if nothing is stored."""
    cursor = await conn.execute("SELECT * FROM participants WHERE user_id = ?", (user_id,))
    person = await cursor.fetchone()
    if person is None:
        return None
    cursor = await conn.execute(
        """
        SELECT c.id, c.round_name, c.campaign_day, m.title AS mission, c.status, c.started_at,
               c.ended_at, c.note, c.created_at, c.accepted_at
        FROM certifications c JOIN missions m ON m.id = c.mission_id
        WHERE c.participant_id = ? ORDER BY c.id
        """,
        (user_id,),
    )
    certifications = [_plain(row) for row in await cursor.fetchall()]
    cursor = await conn.execute(
        """
        SELECT p.certification_id, p.role, p.kind, p.mime_type, p.file_size, p.width, p.height,
               p.message_date, p.received_at, p.taken_at, p.from_camera, p.latitude, p.longitude
        FROM photos p JOIN certifications c ON c.id = p.certification_id
        WHERE c.participant_id = ? ORDER BY p.id
        """,
        (user_id,),
    )
    photos = [_plain(row) for row in await cursor.fetchall()]
    data: dict[str, Any] = {
        "participant": _plain(person),
        "certifications": certifications,
        "photos": photos,
    }
    # Any other table pointing at the person (milestones, ideas, reports...): their own rows.
    for table, column in await _references(conn):
        if table in ("certifications", "leader_cards"):
            continue
        cursor = await conn.execute(
            f"SELECT * FROM {table} WHERE {column} = ? ORDER BY rowid", (user_id,)
        )
        rows = [_plain(row) for row in await cursor.fetchall()]
        if rows:
            data[table] = rows
    cursor = await conn.execute(
        "SELECT check_name, at FROM refusals WHERE participant_id = ? ORDER BY id", (user_id,)
    )
    refusals = [_plain(row) for row in await cursor.fetchall()]
    if refusals:
        data["refusals"] = refusals
    cursor = await conn.execute(
        "SELECT certification_id, at FROM cheers WHERE user_id = ? ORDER BY id", (user_id,)
    )
    cheers = [_plain(row) for row in await cursor.fetchall()]
    if cheers:
        data["cheers_given"] = cheers
    return data


async def erase(conn: aiosqlite.Connection, user_id: int, now: datetime) -> bool:
    """Erase the person's personal data; their certifications stay, anonymised. False if there
    was no such person (or the id is already anonymous)."""
    if is_anonymous(user_id):
        return False
    cursor = await conn.execute("SELECT 1 FROM participants WHERE user_id = ?", (user_id,))
    if await cursor.fetchone() is None:
        return False
    tables = await _tables(conn)
    stamp = to_text(now)
    cursor = await conn.execute("SELECT MIN(MIN(user_id), 0) - 1 FROM participants")
    anonymous = int((await only_row(cursor))[0])
    # No name, school, neighbourhood, 1365 id, username, consent or decision: only what the
    # statistics need (the category and the counts). 'visitor' keeps them out of the lists of
    # participants and out of every message; active = 0 so nothing is ever sent to the id.
    await conn.execute(
        """
        INSERT INTO participants (user_id, status, telegram_name, category, active, reminders_on,
                                  inactive_since, created_at, updated_at)
        SELECT ?, 'visitor', '', category, 0, 0, ?, ?, ?
        FROM participants WHERE user_id = ?
        """,
        (anonymous, stamp, stamp, stamp, user_id),
    )
    # An unfinished certification cannot be finished by nobody.
    await conn.execute(
        "UPDATE certifications SET status = 'cancelled', note_pending = 0 "
        "WHERE participant_id = ? AND status IN ('awaiting_start', 'awaiting_end')",
        (user_id,),
    )
    # Free text the person wrote about themselves goes; the photos themselves go (the file ids
    # let anyone holding them fetch the picture from Telegram), and so does the small thumbnail.
    # The perceptual hashes stay: they cannot be turned back into a picture, and a photo near
    # one of them is still flagged to the leaders.
    await conn.execute("UPDATE certifications SET note = NULL WHERE participant_id = ?", (user_id,))
    await conn.execute(
        """
        UPDATE photos SET file_id = '', file_unique_id = '', taken_at = NULL, thumbnail = NULL
        WHERE certification_id IN (SELECT id FROM certifications WHERE participant_id = ?)
        """,
        (user_id,),
    )
    if "photo_features" in tables:
        # What the edited-copy check keeps holds a small grey picture: it goes like the thumbnail.
        await conn.execute(
            """
            DELETE FROM photo_features
            WHERE certification_id IN (SELECT id FROM certifications WHERE participant_id = ?)
            """,
            (user_id,),
        )
    await conn.execute(
        "UPDATE refusals SET detail = NULL, file_unique_id = NULL WHERE participant_id = ?",
        (user_id,),
    )
    if "camera_tickets" in tables:
        # Where a camera photo was taken (campaigns with camera_location) is theirs too.
        await conn.execute(
            """
            UPDATE photos SET latitude = NULL, longitude = NULL
            WHERE certification_id IN (SELECT id FROM certifications WHERE participant_id = ?)
            """,
            (user_id,),
        )
    if "risk_reports" in tables:
        await _strip_risk_reports(conn, user_id)
    # The feed: previews of their photos go, and posts not sent yet never will be.
    if "feed_previews" in tables:
        cursor = await conn.execute(
            "SELECT id FROM certifications WHERE participant_id = ?", (user_id,)
        )
        theirs = [row[0] for row in await cursor.fetchall()]
        await feed.forget_previews(conn, theirs)
        await feed.drop_pending_posts(conn, theirs)
        await feed.never_post(conn, theirs, now)
    # Application cards still waiting in the outbox (school, 1365 id) are never sent now; the
    # sent ones go too (their message ids are in leader_cards, taken down by the caller).
    if "outbox" in tables:
        await conn.execute(
            "DELETE FROM outbox WHERE json_extract(payload, '$.leader_card_of') = ?", (user_id,)
        )
    for table, column in _DELETE_ROWS:
        if table in tables:
            await conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (user_id,))
    rekey = [(t, c) for t, c in await _references(conn) if t != "participants"]
    rekey += [(t, c) for t, c in _REKEY_PLAIN if t in tables]
    for table, column in rekey:
        await conn.execute(
            f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (anonymous, user_id)
        )
    await conn.execute("DELETE FROM participants WHERE user_id = ?", (user_id,))
    return True


async def _strip_risk_reports(conn: aiosqlite.Connection, user_id: int) -> None:
    """The person's risk reports keep what the statistics and /top need (category, status,
    agency, dates, the steps taken) and lose what places the person: the coordinates, the typed
    address, the photo and their own description (a trail of reports marks where a teenager
    walks, often around home; the description names the spot too). Leaders' notes on those
    reports go as well: "the light at 123 Yeongdeung-dong was fixed" repeats the address.
    Unfinished drafts are simply deleted."""
    await conn.execute(
        "DELETE FROM risk_reports WHERE reporter_id = ? AND status = 'draft'", (user_id,)
    )
    await conn.execute(
        """
        UPDATE risk_reports
        SET latitude = NULL, longitude = NULL, address = NULL, photo_file_id = NULL,
            photo_kind = NULL, description = NULL
        WHERE reporter_id = ?
        """,
        (user_id,),
    )
    await conn.execute(
        "UPDATE risk_report_steps SET note = NULL "
        "WHERE report_id IN (SELECT id FROM risk_reports WHERE reporter_id = ?)",
        (user_id,),
    )
    tables = await _tables(conn)
    if "risk_photos" in tables:
        # Every picture of their reports (the after photo and the pair show the same spot).
        await conn.execute(
            "DELETE FROM risk_photos WHERE report_id IN "
            "(SELECT id FROM risk_reports WHERE reporter_id = ?)",
            (user_id,),
        )
        await conn.execute(
            "UPDATE risk_reports SET address_key = NULL, area = NULL WHERE reporter_id = ?",
            (user_id,),
        )


async def activity(conn: aiosqlite.Connection) -> list[tuple[int, list[str]]]:
    """Each identifiable person with the times of their activity (UTC texts and campaign
    days), for the retention rule."""
    cursor = await conn.execute(
        """
        SELECT p.user_id, p.created_at, p.updated_at, p.applied_at, p.decided_at,
               (SELECT MAX(c.created_at) FROM certifications c WHERE c.participant_id = p.user_id),
               (SELECT MAX(c.campaign_day) FROM certifications c
                WHERE c.participant_id = p.user_id)
        FROM participants p WHERE p.user_id > 0
        """
    )
    return [
        (row[0], [value for value in tuple(row)[1:] if value]) for row in await cursor.fetchall()
    ]


async def purge_outbox(conn: aiosqlite.Connection, before: datetime) -> int:
    """Finished outbox rows (their texts carry names) older than ``before``."""
    cursor = await conn.execute(
        "DELETE FROM outbox WHERE status IN ('sent', 'failed', 'skipped') AND created_at < ?",
        (to_text(before),),
    )
    return cursor.rowcount


# (chat, message, is_text, posted_at, is_picture): is_picture for a feed picture with a caption.
Takedown = tuple[int, int, bool, datetime | None, bool]


async def queue_takedowns(conn: aiosqlite.Connection, messages: list[Takedown]) -> None:
    """Remember messages to take out of their chats."""
    await conn.executemany(
        """
        INSERT INTO takedowns (chat_id, message_id, is_text, posted_at, is_picture)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (chat_id, message_id) DO NOTHING
        """,
        [(c, m, int(t), to_text(p) if p else None, int(pic)) for c, m, t, p, pic in messages],
    )


async def takedowns(conn: aiosqlite.Connection) -> list[Takedown]:
    """Every message still waiting to be taken down, per chat in message order."""
    cursor = await conn.execute(
        "SELECT chat_id, message_id, is_text, posted_at, is_picture FROM takedowns "
        "ORDER BY chat_id, message_id"
    )
    return [
        (row[0], row[1], bool(row[2]), from_text(row[3]), bool(row[4]))
        for row in await cursor.fetchall()
    ]


async def forget_takedowns(conn: aiosqlite.Connection, messages: list[tuple[int, int]]) -> None:
    """The bot has tried these (chat, message): nothing more it can do."""
    await conn.executemany("DELETE FROM takedowns WHERE chat_id = ? AND message_id = ?", messages)
