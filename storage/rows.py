"""Reading the one row an aggregate query (COUNT, MIN, a PRAGMA) always answers."""

from __future__ import annotations

import sqlite3

from storage.connection import Cursor


async def only_row(cursor: Cursor) -> sqlite3.Row:
    """The single row of ``cursor``: SQLite answers an aggregate with exactly one."""
    row = await cursor.fetchone()
    if row is None:
        raise LookupError("an aggregate query returned no row")
    return row
