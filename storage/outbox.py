"""The outbox: every scheduled or broadcast message as a row, planned first and sent later,
and every ``Notice`` of a committed change (a decision, an application card, a revocation),
planned in the transaction of that change and sent at once after it (``bot.outbox_sender``).

A row goes ``pending`` → ``sending`` (claimed just before the Bot API call) → ``sent`` or
``failed``; ``pending`` rows of a chat that blocked the bot become ``skipped``. A retryable error
puts a row back to ``pending`` with a later ``not_before``. The key makes planning idempotent
(``reminder:<user>:<date>``): planning the same key twice plans one message.

Rows left in ``sending`` by a crash (``recover_interrupted``): the Bot API has no idempotency
key, so nobody can tell whether Telegram delivered a message whose answer never came back. Such
a row is marked ``failed`` with the reason ``interrupted``, never sent again: a recipient gets a
message at most once. The residual window is the time between claiming a row and recording its
answer, one HTTP round trip plus a commit (a few ms on loopback, ~0.1-0.5 s to api.telegram.org);
a kill inside it loses that message if Telegram had not received it yet and records it as
failed although it arrived if Telegram had. At most as many rows as were in flight (the sender's
``max_in_flight``) can be caught this way, and the sender prepares everything (rendering
included) before claiming so the window stays that short. Pins are the exception: pinning the
same message twice changes nothing, so an interrupted pin goes back to ``pending``.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage import feed, participants, privacy, reviews, risks
from storage.clock import from_text, moment_from_text, to_text
from storage.rows import only_row

STATUSES = ("pending", "sending", "sent", "failed", "skipped")
# A row that edits the text (and buttons) of the message another row sent: its payload holds
# ``message_key`` (that row's key), ``text`` and optionally ``reply_markup``.
EDIT_TEXT = "edit_text"
INTERRUPTED = "interrupted: the process stopped before Telegram's answer was recorded"
# Sending these twice has the same effect as once, so an interrupted one is simply sent again.
IDEMPOTENT_KINDS = ("pin", EDIT_TEXT)


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    key: str
    chat_id: int
    kind: str
    payload: dict[str, Any]
    not_before: datetime
    status: str
    attempts: int
    last_error: str | None
    sent_message_id: int | None
    created_at: datetime
    sent_at: datetime | None


def _row(row: aiosqlite.Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        key=row["key"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        not_before=moment_from_text(row["not_before"]),
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        sent_message_id=row["sent_message_id"],
        created_at=moment_from_text(row["created_at"]),
        sent_at=from_text(row["sent_at"]),
    )


async def plan(
    conn: aiosqlite.Connection,
    *,
    key: str,
    chat_id: int,
    kind: str,
    payload: dict[str, Any],
    not_before: datetime,
    now: datetime,
) -> bool:
    """Plan one message; False if a message with this key was planned before (kept as it was)."""
    cursor = await conn.execute(
        """
        INSERT OR IGNORE INTO outbox (key, chat_id, kind, payload, not_before, created_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
        (
            key,
            chat_id,
            kind,
            json.dumps(payload, ensure_ascii=False, sort_keys=True),
            to_text(not_before),
            to_text(now),
        ),
    )
    return cursor.rowcount == 1


@dataclass(frozen=True)
class Notice:
    """A text message that reports a state change, planned in the transaction that makes it.

    Planning it there (``plan_notice``) is what makes the report survive a crash right after the
    commit: the row is pending, and the sender delivers it after a restart if nobody did before.
    ``reply_markup`` is InlineKeyboardMarkup JSON (``to_dict()``); ``leader_card_of`` makes the
    delivered message that applicant's card in the leader's chat (``record_delivery``).
    """

    key: str
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None = None
    leader_card_of: int | None = None

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"text": self.text}
        if self.reply_markup is not None:
            payload["reply_markup"] = self.reply_markup
        if self.leader_card_of is not None:
            payload["leader_card_of"] = self.leader_card_of
        return payload


async def plan_notice(conn: aiosqlite.Connection, notice: Notice, now: datetime) -> bool:
    """Plan ``notice`` as a text row due now; False if its key was planned before."""
    return await plan(
        conn,
        key=notice.key,
        chat_id=notice.chat_id,
        kind="text",
        payload=notice.payload(),
        not_before=now,
        now=now,
    )


async def revise_pending(conn: aiosqlite.Connection, notice: Notice) -> bool:
    """Replace a still-pending row's payload (e.g. an invite link made after the commit);
    False if the row is gone or already claimed: what was planned is what goes."""
    cursor = await conn.execute(
        "UPDATE outbox SET payload = ? WHERE key = ? AND status = 'pending'",
        (json.dumps(notice.payload(), ensure_ascii=False, sort_keys=True), notice.key),
    )
    return cursor.rowcount == 1


async def get(conn: aiosqlite.Connection, id: int) -> OutboxMessage | None:
    cursor = await conn.execute("SELECT * FROM outbox WHERE id = ?", (id,))
    row = await cursor.fetchone()
    return None if row is None else _row(row)


async def by_key(conn: aiosqlite.Connection, key: str) -> OutboxMessage | None:
    cursor = await conn.execute("SELECT * FROM outbox WHERE key = ?", (key,))
    row = await cursor.fetchone()
    return None if row is None else _row(row)


async def due(
    conn: aiosqlite.Connection,
    now: datetime,
    limit: int,
    *,
    exclude_chat_ids: Collection[int] = (),
) -> list[OutboxMessage]:
    """Pending rows whose ``not_before`` has come, oldest first.

    ``exclude_chat_ids`` leaves out chats the sender cannot use just now (a message in flight,
    the per-chat pace), so a backlog for one busy group does not hide every other chat's rows.
    """
    excluded = list(exclude_chat_ids)
    # Only "?" placeholders are formatted in; the values go as parameters.
    not_in = f"AND chat_id NOT IN ({', '.join('?' * len(excluded))})" if excluded else ""
    # ORDER BY not_before, id follows the (status, not_before) index: ids are its rowids.
    cursor = await conn.execute(
        f"""
        SELECT * FROM outbox
        WHERE status = 'pending' AND not_before <= ? {not_in}
        ORDER BY not_before, id LIMIT ?
        """,
        (to_text(now), *excluded, limit),
    )
    return [_row(row) for row in await cursor.fetchall()]


async def next_not_before(conn: aiosqlite.Connection) -> datetime | None:
    """When the earliest pending row becomes due (None when nothing is pending)."""
    cursor = await conn.execute("SELECT MIN(not_before) FROM outbox WHERE status = 'pending'")
    row = await only_row(cursor)
    return from_text(row[0])


async def claim(conn: aiosqlite.Connection, id: int) -> bool:
    """pending → sending; False if the row was not pending (someone else has it, or it is done)."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'pending'", (id,)
    )
    return cursor.rowcount == 1


async def mark_sent(
    conn: aiosqlite.Connection, id: int, message_id: int | None, now: datetime
) -> bool:
    """sending → sent, with the message id Telegram gave (None for a pin)."""
    cursor = await conn.execute(
        """
        UPDATE outbox SET status = 'sent', sent_message_id = ?, sent_at = ?
        WHERE id = ? AND status = 'sending'
        """,
        (message_id, to_text(now), id),
    )
    return cursor.rowcount == 1


async def record_delivery(
    conn: aiosqlite.Connection,
    row: OutboxMessage,
    message_id: int | None,
    now: datetime,
) -> None:
    """What a delivered row's payload asks to remember about its message (same transaction as
    ``mark_sent``): ``leader_card_of`` makes it that applicant's card in the leader's chat, unless
    the applicant was erased meanwhile; ``feed_post_of`` makes it that certification's feed post
    (revoke, restore, cheers and /delete find it there), and drops the certification's previews
    once no copy waits to be sent."""
    if message_id is None:
        return
    applicant = row.payload.get("leader_card_of")
    if applicant is not None:
        if await participants.get(conn, int(applicant)) is not None:
            await participants.remember_leader_card(conn, int(applicant), row.chat_id, message_id)
        return
    cert_id = row.payload.get("feed_post_of")
    if cert_id is not None:
        await _record_feed_post(conn, int(cert_id), row.chat_id, message_id, now)
    report_id = row.payload.get("risk_picture_of")
    if report_id is not None:
        await _record_risk_picture(
            conn, int(report_id), str(row.payload.get("risk_picture_kind")), row, message_id, now
        )


async def _record_risk_picture(
    conn: aiosqlite.Connection,
    report_id: int,
    kind: str,
    row: OutboxMessage,
    message_id: int,
    now: datetime,
) -> None:
    """A report's picture delivered (the before/after pair, the group's "fixed" post): kept for
    the reporter's /delete, or queued for taking down if they were erased meanwhile."""
    reporter = await risks.report_reporter(conn, report_id)
    if reporter is not None and reporter > 0:
        await risks.remember_picture(conn, report_id, row.chat_id, message_id, kind, now)
    elif row.chat_id != reporter:
        await privacy.queue_takedowns(conn, [(row.chat_id, message_id, False, now, True)])


async def _record_feed_post(
    conn: aiosqlite.Connection,
    cert_id: int,
    chat_id: int,
    message_id: int,
    now: datetime,
) -> None:
    cursor = await conn.execute(
        "SELECT participant_id FROM certifications WHERE id = ?", (cert_id,)
    )
    found = await cursor.fetchone()
    if found is not None and found[0] > 0:
        await reviews.remember_post(
            conn, cert_id, chat_id, message_id, is_picture=True, posted_at=now
        )
    else:
        # Its author erased their data while it was being sent: take it down like the rest.
        await privacy.queue_takedowns(conn, [(chat_id, message_id, False, now, True)])
    await feed.forget_previews_if_posted(conn, cert_id)


async def mark_failed(conn: aiosqlite.Connection, id: int, error: str, now: datetime) -> bool:
    """pending/sending → failed for good, with the reason; counts the try.

    ``now`` is accepted for symmetry with ``mark_sent``; the table has no column for when a row
    failed, and ``sent_at`` stays NULL so that ``sent_at IS NOT NULL`` keeps meaning delivered.
    """
    cursor = await conn.execute(
        """
        UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1
        WHERE id = ? AND status IN ('pending', 'sending')
        """,
        (error, id),
    )
    return cursor.rowcount == 1


async def reschedule(conn: aiosqlite.Connection, id: int, not_before: datetime, error: str) -> bool:
    """Back to pending after a retryable error, not before ``not_before``; counts the try."""
    cursor = await conn.execute(
        """
        UPDATE outbox SET status = 'pending', not_before = ?, last_error = ?,
                          attempts = attempts + 1
        WHERE id = ? AND status IN ('pending', 'sending')
        """,
        (to_text(not_before), error, id),
    )
    return cursor.rowcount == 1


async def postpone(conn: aiosqlite.Connection, id: int, not_before: datetime) -> bool:
    """Move a pending row later without counting a try (e.g. a pin waiting for its message)."""
    cursor = await conn.execute(
        "UPDATE outbox SET not_before = ? WHERE id = ? AND status = 'pending'",
        (to_text(not_before), id),
    )
    return cursor.rowcount == 1


async def skip(conn: aiosqlite.Connection, id: int, reason: str) -> bool:
    """A pending row that should not be sent any more (e.g. it expired)."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'skipped', last_error = ? WHERE id = ? AND status = 'pending'",
        (reason, id),
    )
    return cursor.rowcount == 1


async def supersede(conn: aiosqlite.Connection, key: str) -> bool:
    """A pending row a newer one replaces (an older edit of the same message) is not sent."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'skipped', last_error = 'superseded' "
        "WHERE key = ? AND status = 'pending'",
        (key,),
    )
    return cursor.rowcount == 1


async def skip_chat(conn: aiosqlite.Connection, chat_id: int, reason: str) -> int:
    """Every pending row of a chat becomes skipped (the chat blocked the bot); returns how many."""
    cursor = await conn.execute(
        """
        UPDATE outbox SET status = 'skipped', last_error = ?
        WHERE chat_id = ? AND status = 'pending'
        """,
        (reason, chat_id),
    )
    return cursor.rowcount


async def recover_interrupted(conn: aiosqlite.Connection) -> int:
    """Settle rows a crash left in ``sending`` (see the module docstring); returns how many.

    Call once at start-up, before the sender runs: a row in ``sending`` then belongs to no one.
    """
    kinds = ", ".join("?" * len(IDEMPOTENT_KINDS))
    requeued = await conn.execute(
        f"""
        UPDATE outbox SET status = 'pending', last_error = ?
        WHERE status = 'sending' AND kind IN ({kinds})
        """,
        (INTERRUPTED, *IDEMPOTENT_KINDS),
    )
    failed = await conn.execute(
        """
        UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1
        WHERE status = 'sending'
        """,
        (INTERRUPTED,),
    )
    return requeued.rowcount + failed.rowcount


async def counts(conn: aiosqlite.Connection) -> dict[str, int]:
    """Rows per status, every status present (0 when none)."""
    cursor = await conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    found = {status: 0 for status in STATUSES}
    for status, number in await cursor.fetchall():
        found[status] = number
    return found
