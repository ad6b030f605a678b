"""Distinct errors seen by the bot, so the leaders are told about each one once."""

from __future__ import annotations

from datetime import datetime

from storage.clock import to_text
from storage.connection import Connection


async def record(conn: Connection, signature: str, now: datetime) -> bool:
    """Count an occurrence; True when this error had never been seen before."""
    stamp = to_text(now)
    cursor = await conn.execute(
        "UPDATE error_reports SET count = count + 1, last_seen = ? WHERE signature = ?",
        (stamp, signature),
    )
    if cursor.rowcount:
        return False
    await conn.execute(
        "INSERT INTO error_reports (signature, first_seen, last_seen) VALUES (?, ?, ?)",
        (signature, stamp, stamp),
    )
    return True
