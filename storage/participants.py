"""Participants and their applications: sign-up info, status, the leaders' decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.clock import from_text, to_text

# The sign-up answers an application collects, in the order the questions are asked.
APPLICATION_FIELDS = (
    "full_name",
    "category",
    "under_14",
    "guardian_consent",
    "affiliation",
    "neighbourhood",
    "volunteer_id",
    "volunteer_id_skipped",
    "consent_at",
)


@dataclass(frozen=True)
class Participant:
    user_id: int
    status: str
    language: str | None
    telegram_name: str
    username: str | None
    full_name: str | None
    category: str | None
    under_14: bool | None
    guardian_consent: bool | None
    affiliation: str | None
    neighbourhood: str | None
    volunteer_id: str | None
    volunteer_id_skipped: bool
    consent_at: datetime | None
    applied_at: datetime | None
    decided_at: datetime | None
    decided_by: int | None
    rejection_reason: str | None
    active: bool = True
    reminder_time: str | None = None
    reminders_on: bool = True
    paused: bool = False
    paused_reason: str | None = None

    @property
    def has_consent(self) -> bool:
        """The consent was given, and a guardian's too for a child under 14."""
        return self.consent_at is not None and (not self.under_14 or bool(self.guardian_consent))

    @property
    def is_approved(self) -> bool:
        """Approved and not paused by a leader: may certify and receives campaign messages."""
        return self.status == "approved" and not self.paused


def _optional_bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _row(row: aiosqlite.Row) -> Participant:
    return Participant(
        user_id=row["user_id"],
        status=row["status"],
        language=row["language"],
        telegram_name=row["telegram_name"],
        username=row["username"],
        full_name=row["full_name"],
        category=row["category"],
        under_14=_optional_bool(row["under_14"]),
        guardian_consent=_optional_bool(row["guardian_consent"]),
        affiliation=row["affiliation"],
        neighbourhood=row["neighbourhood"],
        volunteer_id=row["volunteer_id"],
        volunteer_id_skipped=bool(row["volunteer_id_skipped"]),
        consent_at=from_text(row["consent_at"]),
        applied_at=from_text(row["applied_at"]),
        decided_at=from_text(row["decided_at"]),
        decided_by=row["decided_by"],
        rejection_reason=row["rejection_reason"],
        active=bool(row["active"]),
        reminder_time=row["reminder_time"],
        reminders_on=bool(row["reminders_on"]),
        paused=bool(row["paused"]),
        paused_reason=row["paused_reason"],
    )


async def get(conn: aiosqlite.Connection, user_id: int) -> Participant | None:
    cursor = await conn.execute("SELECT * FROM participants WHERE user_id = ?", (user_id,))
    row = await cursor.fetchone()
    return None if row is None else _row(row)


async def ensure(
    conn: aiosqlite.Connection,
    user_id: int,
    telegram_name: str,
    username: str | None,
    now: datetime,
    language: str | None = None,
) -> Participant:
    """The person's row, created as a visitor on first contact; keeps their Telegram name fresh.

    ``language`` (from Telegram's setting) is remembered when none is stored yet: messages the
    bot sends on its own have no Telegram setting to look at. /lang overwrites it.
    """
    stamp = to_text(now)
    await conn.execute(
        """
        INSERT INTO participants
            (user_id, telegram_name, username, language, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET
            telegram_name = excluded.telegram_name,
            username = excluded.username,
            language = COALESCE(participants.language, excluded.language)
        WHERE telegram_name IS NOT excluded.telegram_name OR username IS NOT excluded.username
            OR (participants.language IS NULL AND excluded.language IS NOT NULL)
        """,
        (user_id, telegram_name, username, language, stamp, stamp),
    )
    participant = await get(conn, user_id)
    assert participant is not None
    return participant


async def set_language(conn: aiosqlite.Connection, user_id: int, language: str) -> None:
    await conn.execute(
        "UPDATE participants SET language = ? WHERE user_id = ?", (language, user_id)
    )


async def begin_application(conn: aiosqlite.Connection, user_id: int, now: datetime) -> None:
    """Start a fresh application form (earlier answers and any rejection are cleared)."""
    await conn.execute(
        """
        UPDATE participants SET status = 'applying', full_name = NULL, category = NULL,
            under_14 = NULL, guardian_consent = NULL, affiliation = NULL, neighbourhood = NULL,
            volunteer_id = NULL, volunteer_id_skipped = 0, consent_at = NULL, applied_at = NULL,
            decided_at = NULL, decided_by = NULL, rejection_reason = NULL, updated_at = ?
        WHERE user_id = ?
        """,
        (to_text(now), user_id),
    )


async def set_answer(
    conn: aiosqlite.Connection, user_id: int, field: str, value: object, now: datetime
) -> bool:
    """Record one answer of an application that is still being filled in."""
    if field not in APPLICATION_FIELDS:
        raise ValueError(f"not an application field: {field}")
    if isinstance(value, datetime):
        value = to_text(value)
    cursor = await conn.execute(
        f"UPDATE participants SET {field} = ?, updated_at = ? "
        "WHERE user_id = ? AND status = 'applying'",
        (value, to_text(now), user_id),
    )
    return cursor.rowcount == 1


async def abandon_application(conn: aiosqlite.Connection, user_id: int, now: datetime) -> bool:
    cursor = await conn.execute(
        "UPDATE participants SET status = 'visitor', updated_at = ? "
        "WHERE user_id = ? AND status = 'applying'",
        (to_text(now), user_id),
    )
    return cursor.rowcount == 1


async def submit_application(conn: aiosqlite.Connection, user_id: int, now: datetime) -> bool:
    cursor = await conn.execute(
        "UPDATE participants SET status = 'pending', applied_at = ?, updated_at = ? "
        "WHERE user_id = ? AND status = 'applying' AND consent_at IS NOT NULL",
        (to_text(now), to_text(now), user_id),
    )
    return cursor.rowcount == 1


async def decide(
    conn: aiosqlite.Connection,
    user_id: int,
    *,
    approve: bool,
    leader_id: int,
    now: datetime,
    reason: str | None = None,
) -> bool:
    """Approve or reject a pending application; False if it was not pending (already decided).

    Nobody is approved without the recorded consent (and a guardian's under 14), whatever led
    to the call."""
    cursor = await conn.execute(
        """
        UPDATE participants SET status = ?, decided_at = ?, decided_by = ?,
            rejection_reason = ?, updated_at = ?
        WHERE user_id = ? AND status = 'pending'
          AND (? = 0 OR (consent_at IS NOT NULL
                         AND (COALESCE(under_14, 0) = 0 OR guardian_consent = 1)))
        """,
        (
            "approved" if approve else "rejected",
            to_text(now),
            leader_id,
            None if approve else reason,
            to_text(now),
            user_id,
            int(approve),
        ),
    )
    return cursor.rowcount == 1


async def set_rejection_reason(
    conn: aiosqlite.Connection, user_id: int, reason: str | None
) -> None:
    await conn.execute(
        "UPDATE participants SET rejection_reason = ? WHERE user_id = ? AND status = 'rejected'",
        (reason, user_id),
    )


async def list_pending(
    conn: aiosqlite.Connection, limit: int = 50, offset: int = 0
) -> list[Participant]:
    cursor = await conn.execute(
        "SELECT * FROM participants WHERE status = 'pending' ORDER BY applied_at, user_id "
        "LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_row(row) for row in await cursor.fetchall()]


async def count_pending(conn: aiosqlite.Connection) -> int:
    cursor = await conn.execute("SELECT COUNT(*) FROM participants WHERE status = 'pending'")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def count_by_status(conn: aiosqlite.Connection) -> dict[str, int]:
    cursor = await conn.execute("SELECT status, COUNT(*) FROM participants GROUP BY status")
    return {row[0]: row[1] for row in await cursor.fetchall()}


async def remember_leader_card(
    conn: aiosqlite.Connection, participant_id: int, chat_id: int, message_id: int
) -> None:
    await conn.execute(
        """
        INSERT OR IGNORE INTO leader_cards (participant_id, chat_id, message_id) VALUES (?, ?, ?)
        """,
        (participant_id, chat_id, message_id),
    )


async def leader_cards(conn: aiosqlite.Connection, participant_id: int) -> list[tuple[int, int]]:
    cursor = await conn.execute(
        "SELECT chat_id, message_id FROM leader_cards WHERE participant_id = ?", (participant_id,)
    )
    return [(row[0], row[1]) for row in await cursor.fetchall()]


async def set_reminder(
    conn: aiosqlite.Connection, user_id: int, *, on: bool, at: str | None
) -> None:
    """Reminders on or off, at ``at`` ('HH:MM') or the campaign's time (None)."""
    await conn.execute(
        "UPDATE participants SET reminders_on = ?, reminder_time = ? WHERE user_id = ?",
        (int(on), at, user_id),
    )


async def mark_inactive(conn: aiosqlite.Connection, user_id: int, now: datetime) -> bool:
    """The person blocked the bot: skip them from now on (they still count in the stats)."""
    cursor = await conn.execute(
        "UPDATE participants SET active = 0, inactive_since = ? WHERE user_id = ? AND active = 1",
        (to_text(now), user_id),
    )
    return cursor.rowcount == 1


async def mark_active(conn: aiosqlite.Connection, user_id: int) -> bool:
    """They wrote to the bot again, so it can reach them again."""
    cursor = await conn.execute(
        "UPDATE participants SET active = 1, inactive_since = NULL "
        "WHERE user_id = ? AND active = 0",
        (user_id,),
    )
    return cursor.rowcount == 1


@dataclass(frozen=True)
class ReminderTarget:
    user_id: int
    name: str
    language: str | None


async def to_remind(
    conn: aiosqlite.Connection, day: str, default_time: str, local_time: str
) -> list[ReminderTarget]:
    """Approved, reachable participants whose reminder time has come and who have not certified
    on ``day`` (ISO date) yet."""
    cursor = await conn.execute(
        """
        SELECT p.user_id, COALESCE(p.full_name, p.telegram_name) AS name, p.language
        FROM participants p
        WHERE p.status = 'approved' AND p.active = 1 AND p.reminders_on = 1 AND p.paused = 0
          AND COALESCE(p.reminder_time, ?) <= ?
          AND NOT EXISTS (
              SELECT 1 FROM certifications c
              WHERE c.participant_id = p.user_id AND c.campaign_day = ? AND c.status = 'accepted'
          )
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.key = 'reminder:' || p.user_id || ':' || ?)
        ORDER BY p.user_id
        """,
        (default_time, local_time, day, day),
    )
    return [ReminderTarget(row[0], row[1], row[2]) for row in await cursor.fetchall()]


async def reachable(conn: aiosqlite.Connection) -> list[ReminderTarget]:
    """Every approved participant the bot can still message."""
    cursor = await conn.execute(
        "SELECT user_id, COALESCE(full_name, telegram_name) AS name, language FROM participants "
        "WHERE status = 'approved' AND active = 1 AND paused = 0 ORDER BY user_id"
    )
    return [ReminderTarget(row[0], row[1], row[2]) for row in await cursor.fetchall()]


async def set_paused(
    conn: aiosqlite.Connection, user_id: int, paused: bool, reason: str | None, now: datetime
) -> bool:
    cursor = await conn.execute(
        "UPDATE participants SET paused = ?, paused_reason = ?, updated_at = ? "
        "WHERE user_id = ? AND status = 'approved' AND paused != ?",
        (int(paused), reason, to_text(now), user_id, int(paused)),
    )
    return cursor.rowcount == 1


async def remove(
    conn: aiosqlite.Connection, user_id: int, leader_id: int, reason: str, now: datetime
) -> bool:
    """Take an approved participant out of the campaign (kept as a rejected application, with
    the reason they were shown); their certifications stay on record."""
    cursor = await conn.execute(
        "UPDATE participants SET status = 'rejected', rejection_reason = ?, decided_by = ?, "
        "decided_at = ?, paused = 0, updated_at = ? WHERE user_id = ? AND status = 'approved'",
        (reason, leader_id, to_text(now), to_text(now), user_id),
    )
    return cursor.rowcount == 1


async def correct(
    conn: aiosqlite.Connection, user_id: int, field: str, value: str, now: datetime
) -> bool:
    """A leader's correction of a sign-up answer (name or 1365 ID)."""
    if field not in ("full_name", "volunteer_id"):
        raise ValueError(field)
    cursor = await conn.execute(
        f"UPDATE participants SET {field} = ?, updated_at = ? WHERE user_id = ?",
        (value, to_text(now), user_id),
    )
    return cursor.rowcount == 1


async def find(conn: aiosqlite.Connection, query: str, limit: int = 10) -> list[Participant]:
    """By Telegram id, or by a part of the name (applicants and participants, not visitors)."""
    if query.isdigit():
        cursor = await conn.execute("SELECT * FROM participants WHERE user_id = ?", (int(query),))
    else:
        pattern = "%" + query.replace("%", "").replace("_", "") + "%"
        cursor = await conn.execute(
            "SELECT * FROM participants WHERE status != 'visitor' "
            "AND (full_name LIKE ? OR telegram_name LIKE ? OR username LIKE ?) "
            "ORDER BY full_name LIMIT ?",
            (pattern, pattern, pattern, limit),
        )
    return [_row(row) for row in await cursor.fetchall()]


async def directory(conn: aiosqlite.Connection, offset: int, limit: int) -> list[Participant]:
    """Applicants and participants (not visitors) by name, a page at a time."""
    cursor = await conn.execute(
        "SELECT * FROM participants WHERE status != 'visitor' "
        "ORDER BY COALESCE(full_name, telegram_name), user_id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_row(row) for row in await cursor.fetchall()]
