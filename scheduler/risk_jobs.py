"""Risk reports on the scheduler's side: the renderer that hands the outbox a picture the bot
re-encoded (stored in ``risk_photos``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any


def stored_photo(database_path: str) -> Callable[[dict[str, Any]], bytes]:
    """A renderer for ``{"photo_id": n}``: the JPEG kept in ``risk_photos``. It runs in a worker
    thread, so it reads on a connection of its own (WAL lets it read beside the writer)."""

    def render(params: dict[str, Any]) -> bytes:
        connection = sqlite3.connect(database_path, timeout=10)
        try:
            row = connection.execute(
                "SELECT jpeg FROM risk_photos WHERE id = ?", (int(params["photo_id"]),)
            ).fetchone()
        finally:
            connection.close()
        if row is None:  # erased since it was planned (/delete): nothing may be shown
            raise LookupError(f"risk photo {params['photo_id']} is gone")
        return bytes(row[0])

    return render
