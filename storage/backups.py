"""Consistent copies of the database with ``VACUUM INTO``, and keeping the last N.

The copy is made by a separate, short-lived read connection in a worker thread, never through the
shared connection: ``VACUUM INTO`` cannot run inside ``transaction()``'s BEGIN IMMEDIATE, and a
read connection under WAL sees one committed snapshot while the bot keeps writing. The copy is
written under a ``.part`` name and renamed, so a crash never leaves a half copy that looks whole.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from storage import file_modes

PREFIX = "bot-"
SUFFIX = ".sqlite3"
# How many nightly copies stay in the backups folder.
KEEP = 7


def folder_for(database_path: str | Path) -> Path:
    """``backups/`` beside the database file."""
    return Path(database_path).parent / "backups"


def _vacuum_into(source: str, target: Path) -> None:
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    # VACUUM INTO fills an existing empty file and keeps its mode: owner-only from the start.
    file_modes.private_file(partial)
    connection = sqlite3.connect(source, timeout=30)
    try:
        connection.execute("VACUUM INTO ?", (str(partial),))
    finally:
        connection.close()
    check = sqlite3.connect(partial)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"backup copy failed its integrity check: {result}")
    partial.replace(target)


async def copy_to(database_path: str | Path, target: Path) -> Path:
    """A consistent copy of the database at ``target`` (its folder is created)."""
    source = str(database_path)
    if source == ":memory:":
        raise ValueError("an in-memory database cannot be backed up")
    file_modes.private_folder(target.parent)
    await asyncio.to_thread(_vacuum_into, source, target)
    return target


def name_for(moment: datetime) -> str:
    return f"{PREFIX}{moment.astimezone(UTC):%Y%m%d-%H%M%S}{SUFFIX}"


def existing(folder: Path) -> list[Path]:
    """The backups in the folder, oldest first (names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


async def nightly(database_path: str | Path, now: datetime, keep: int = KEEP) -> Path:
    """Write tonight's copy into ``backups/`` and delete all but the newest ``keep``."""
    folder = folder_for(database_path)
    file_modes.private_folder(folder)
    file_modes.tighten_folder(folder)  # the backups folder is the bot's alone, even if made earlier
    target = folder / name_for(now)
    await copy_to(database_path, target)
    for old in existing(folder)[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return target
