"""Updates already handled, so that one Telegram delivers again has no second effect or answer.

An update is known by its ``update_id``, a message also by its chat and ``message_id`` and a
button press by its callback query id. While an update is handled (``handling``), every write
transaction records its keys before it commits (``Database.transaction`` calls
``mark_current``): the mark and the effect land together or not at all. A kill before that
commit loses nothing (no mark: the redelivered update is handled as new); a kill after it
finds the mark, and the redelivery is skipped instead of being refused as a second photo. An
update that writes nothing is marked once handled (``mark``), so it is not answered twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiosqlite

from storage.clock import to_text

# Telegram keeps an unconfirmed update for 24 hours, and after a week without updates it may
# start update ids anew at random: two days covers every redelivery and forgets ids in time.
KEEP = timedelta(days=2)


@dataclass
class Handling:
    """The update being handled in this task: its keys, when, and whether a commit marked it."""

    keys: tuple[str, ...]
    at: datetime
    marked: bool = field(default=False)


_current: ContextVar[Handling | None] = ContextVar("handled_update", default=None)


def keys_of(
    update_id: int,
    *,
    message: tuple[int, int] | None = None,
    callback_query_id: str | None = None,
) -> tuple[str, ...]:
    """The keys an update is known by: its id, a new message's chat and message id, a press."""
    keys = [f"update:{update_id}"]
    if message is not None:
        keys.append(f"message:{message[0]}:{message[1]}")
    if callback_query_id is not None:
        keys.append(f"press:{callback_query_id}")
    return tuple(keys)


@contextmanager
def handling(keys: tuple[str, ...], at: datetime) -> Iterator[Handling]:
    """While the update with these keys is handled, its write transactions mark it."""
    current = Handling(keys, at)
    token = _current.set(current)
    try:
        yield current
    finally:
        _current.reset(token)


async def seen(conn: aiosqlite.Connection, keys: tuple[str, ...]) -> bool:
    """Whether any of these keys was marked: the update (or its message, or press) was handled."""
    marks = ", ".join("?" for _ in keys)
    cursor = await conn.execute(
        f"SELECT 1 FROM handled_updates WHERE key IN ({marks}) LIMIT 1",  # placeholders only
        keys,
    )
    return await cursor.fetchone() is not None


async def mark(conn: aiosqlite.Connection, keys: tuple[str, ...], at: datetime) -> None:
    """Record the keys as handled, and forget those older than ``KEEP``."""
    await conn.executemany(
        "INSERT OR IGNORE INTO handled_updates (key, handled_at) VALUES (?, ?)",
        [(key, to_text(at)) for key in keys],
    )
    await conn.execute("DELETE FROM handled_updates WHERE handled_at < ?", (to_text(at - KEEP),))


async def mark_current(conn: aiosqlite.Connection) -> Handling | None:
    """Inside a write transaction: mark the update this task handles, if any (see module)."""
    current = _current.get()
    if current is None:
        return None
    await mark(conn, current.keys, current.at)
    return current
