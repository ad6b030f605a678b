"""Every copy of a card in a leader's chat: an application's or a risk report's (``card_copies``).

A decision or a step on the report redraws every copy and takes their buttons away; /delete
takes an applicant's copies down. Rows are (chat id, message id) and the card's subject.
"""

from __future__ import annotations

from storage.connection import Connection


async def remember_application_card(
    conn: Connection, participant_id: int, chat_id: int, message_id: int
) -> None:
    """One copy of the applicant's card, sent to a leader's chat (a redelivery: once)."""
    await conn.execute(
        "INSERT OR IGNORE INTO card_copies (chat_id, message_id, participant_id) VALUES (?, ?, ?)",
        (chat_id, message_id, participant_id),
    )


async def application_cards(conn: Connection, participant_id: int) -> list[tuple[int, int]]:
    """Every copy of the applicant's card: (chat id, message id)."""
    cursor = await conn.execute(
        "SELECT chat_id, message_id FROM card_copies WHERE participant_id = ? "
        "ORDER BY chat_id, message_id",
        (participant_id,),
    )
    return [(row[0], row[1]) for row in await cursor.fetchall()]


async def remember_risk_card(
    conn: Connection, report_id: int, chat_id: int, message_id: int
) -> None:
    """One copy of the report's card, sent to a leader's chat (a redelivery: once)."""
    await conn.execute(
        "INSERT OR IGNORE INTO card_copies (chat_id, message_id, report_id) VALUES (?, ?, ?)",
        (chat_id, message_id, report_id),
    )


async def risk_cards(conn: Connection, report_id: int) -> list[tuple[int, int]]:
    """Every copy of the report's card: (chat id, message id)."""
    cursor = await conn.execute(
        "SELECT chat_id, message_id FROM card_copies WHERE report_id = ? "
        "ORDER BY chat_id, message_id",
        (report_id,),
    )
    return [(row[0], row[1]) for row in await cursor.fetchall()]


async def reports_with_cards(conn: Connection, reporter_id: int) -> list[int]:
    """The person's reports that have a card in some leader's chat."""
    cursor = await conn.execute(
        "SELECT DISTINCT c.report_id FROM card_copies c JOIN risk_reports r ON r.id = c.report_id "
        "WHERE r.reporter_id = ? ORDER BY c.report_id",
        (reporter_id,),
    )
    return [row[0] for row in await cursor.fetchall()]
