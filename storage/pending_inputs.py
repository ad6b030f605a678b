"""What a person's next typed text answers, when it is not part of an application or mission.

Kept in the store so a leader halfway through typing a rejection reason keeps their place
across a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.clock import from_text, to_text
from storage.connection import Connection


@dataclass(frozen=True)
class PendingInput:
    user_id: int
    kind: str
    ref: int
    created_at: datetime


async def get(conn: Connection, user_id: int) -> PendingInput | None:
    cursor = await conn.execute("SELECT * FROM pending_inputs WHERE user_id = ?", (user_id,))
    row = await cursor.fetchone()
    if row is None:
        return None
    created = from_text(row["created_at"])
    assert created is not None
    return PendingInput(row["user_id"], row["kind"], row["ref"], created)


async def expect(conn: Connection, user_id: int, kind: str, ref: int, now: datetime) -> None:
    await conn.execute(
        """
        INSERT INTO pending_inputs (user_id, kind, ref, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, ref = excluded.ref,
            created_at = excluded.created_at
        """,
        (user_id, kind, ref, to_text(now)),
    )


async def clear(conn: Connection, user_id: int) -> bool:
    cursor = await conn.execute("DELETE FROM pending_inputs WHERE user_id = ?", (user_id,))
    return cursor.rowcount > 0
