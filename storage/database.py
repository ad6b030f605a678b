"""The database handle: open, migrate, and the single ``transaction()`` every access goes through.

One aiosqlite connection is shared by all handlers. Statements from concurrent coroutines would
interleave on it (one handler's ROLLBACK could erase another's INSERT), so every unit of work
holds an ``asyncio.Lock`` for its whole ``BEGIN IMMEDIATE`` … ``COMMIT``.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from storage import files
from storage.rows import only_row

log = logging.getLogger(__name__)

Connection = aiosqlite.Connection


class StoreUnavailable(Exception):
    """The database could not be used just now (locked by another process, disk full)."""


def _migration_files() -> list[tuple[int, str, str]]:
    """Numbered ``NNNN_slug.sql`` files shipped with the package, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n without gaps: {numbers}")
    return found


class Database:
    """An open campaign database; use ``transaction()`` for every read and write."""

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> Database:
        """Open (creating the folder if needed), switch on WAL and foreign keys, and migrate."""
        path = str(path)
        if path != ":memory:":
            # Owner-only before SQLite opens it: -wal and -shm take the database file's mode.
            files.private_folder(Path(path).parent)
            files.private_file(Path(path))
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection.row_factory = sqlite3.Row
        await connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        await connection.execute("PRAGMA synchronous = NORMAL")
        if path != ":memory:":
            files.tighten_database(Path(path))  # side files left by an earlier, laxer run
        database = cls(connection, path)
        try:
            await database.migrate()
        except BaseException:
            await connection.close()
            raise
        return database

    async def close(self) -> None:
        async with self._lock:
            await self._connection.close()

    async def schema_version(self) -> int:
        async with self._lock:
            cursor = await self._connection.execute("PRAGMA user_version")
            row = await only_row(cursor)
            return int(row[0])

    async def migrate(self) -> list[str]:
        """Apply every migration newer than ``PRAGMA user_version``, each atomically."""
        applied: list[str] = []
        async with self._lock:
            cursor = await self._connection.execute("PRAGMA user_version")
            current = int((await only_row(cursor))[0])
            for number, name, sql in _migration_files():
                if number <= current:
                    continue
                # executescript would COMMIT on its own; run statements one by one instead so the
                # migration and its version bump land together or not at all.
                await self._connection.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _split_statements(sql):
                        await self._connection.execute(statement)
                    await self._connection.execute(f"PRAGMA user_version = {number}")
                    await self._connection.execute("COMMIT")
                except BaseException:
                    await self._connection.execute("ROLLBACK")
                    raise
                log.info("applied migration %s", name)
                applied.append(name)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One unit of work: BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error.

        A store that is busy (another process holds the write lock longer than the busy
        timeout) or full raises :class:`StoreUnavailable` wherever it shows -- at BEGIN, in a
        statement of the body, or at COMMIT -- after everything was rolled back, so the caller
        can say "try again shortly" and the next transaction simply works once it is over.
        """
        async with self._lock:
            try:
                await self._connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if _passing(error):
                    log.warning("store unavailable at BEGIN: %s", error)
                    raise StoreUnavailable(str(error)) from error
                raise
            try:
                yield self._connection
            except BaseException as error:
                await self._rollback()
                if isinstance(error, sqlite3.OperationalError) and _passing(error):
                    log.warning("store unavailable, rolled back: %s", error)
                    raise StoreUnavailable(str(error)) from error
                raise
            try:
                await self._connection.execute("COMMIT")
            except sqlite3.OperationalError as error:
                await self._rollback()
                log.warning("store unavailable at COMMIT, rolled back: %s", error)
                raise StoreUnavailable(str(error)) from error

    async def _rollback(self) -> None:
        # After SQLITE_FULL (and a few other errors) SQLite may already have rolled the whole
        # transaction back itself; a second ROLLBACK then fails with "no transaction is active".
        try:
            await self._connection.execute("ROLLBACK")
        except sqlite3.OperationalError:
            if self._connection.in_transaction:
                raise

    async def integrity_check(self) -> str:
        async with self._lock:
            cursor = await self._connection.execute("PRAGMA integrity_check")
            return str((await only_row(cursor))[0])


# OperationalErrors that pass by themselves: another process holds the lock, the disk is full.
_PASSING = (
    "database is locked",
    "database or disk is full",
    "disk i/o error",
)


def _passing(error: sqlite3.OperationalError) -> bool:
    return any(text in str(error).lower() for text in _PASSING)


def _split_statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (triggers keep their inner ';')."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise RuntimeError(f"incomplete SQL statement in migration: {buffer.strip()[:80]}")
    return statements
