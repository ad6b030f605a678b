"""The database handle: open, migrate, one serialised ``transaction()`` for writes, ``read()``.

One aiosqlite connection writes. Statements from concurrent coroutines would interleave on it
(one handler's ROLLBACK could erase another's INSERT), so every write holds an ``asyncio.Lock``
for its whole ``BEGIN IMMEDIATE`` … ``COMMIT``. Reads go through a few connections of their own
(WAL lets them see the last commit while a write is under way) and never wait for that lock;
a read that must see its own write stays inside the write.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from storage import file_modes, handled_updates
from storage.rows import only_row

log = logging.getLogger(__name__)

Connection = aiosqlite.Connection


# Read connections per database: enough for the reads of concurrent updates to overlap, few
# enough that each (a thread in aiosqlite) costs nothing worth measuring.
READERS = 4


class StoreUnavailable(Exception):
    """The database could not be used just now (locked by another process, disk full)."""


@dataclass
class StoreStats:
    """What the store did, for a benchmark (``enable_stats``); nothing is counted by default."""

    writes: int = 0
    reads: int = 0
    # Seconds each write waited for the writer's lock (the asyncio lock and BEGIN IMMEDIATE).
    write_waits: list[float] = field(default_factory=list)
    # Seconds each write held it (from BEGIN IMMEDIATE to COMMIT or ROLLBACK).
    write_holds: list[float] = field(default_factory=list)
    # Seconds each read waited for an idle read connection.
    read_waits: list[float] = field(default_factory=list)


_stats: StoreStats | None = None


def enable_stats() -> StoreStats:
    """Count transactions and lock waits of every database in this process from now on."""
    global _stats
    _stats = StoreStats()
    return _stats


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


class _Writer(aiosqlite.Connection):
    """The writing connection: while a transaction holds the writer's lock (``inline``), its
    statements run as plain sqlite3 calls on the event loop's thread.

    Through aiosqlite's thread each statement would wait for a turn of the event loop to
    resume, and under load (many updates at once) a transaction of ten statements held the
    lock for ten such turns while everyone else queued. Inline, it holds the lock for its SQL's
    own time. BEGIN IMMEDIATE is tried inline without waiting; only when another process holds
    the write lock is it waited for (the busy timeout) in the thread, so the loop never waits.
    """

    inline = False
    busy_timeout_ms = 5000

    def begin_at_once(self) -> bool:
        """BEGIN IMMEDIATE here and now; False (nothing begun) if another process writes."""
        connection = self._conn
        connection.execute("PRAGMA busy_timeout = 0")
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error).lower():
                return False
            raise
        finally:
            connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        return True

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # aiosqlite routes every call (connection and cursor) through _execute, which it
        # leaves untyped (hence the ignore).
        if self.inline:
            return fn(*args, **kwargs)
        # aiosqlite's private _execute carries no annotations.
        return await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]


class Database:
    """An open campaign database: ``transaction()`` for writes, ``read()`` for reads."""

    def __init__(self, connection: _Writer, path: str) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()
        self._readers: list[aiosqlite.Connection] = []
        self._idle_readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self.path = path

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> Database:
        """Open (creating the folder if needed), switch on WAL and foreign keys, and migrate."""
        path = str(path)
        if path != ":memory:":
            # Owner-only before SQLite opens it: -wal and -shm take the database file's mode.
            file_modes.private_folder(Path(path).parent)
            file_modes.private_file(Path(path))
        # check_same_thread off: inline statements run on the loop's thread (see _Writer).
        connection = _Writer(
            functools.partial(sqlite3.connect, path, isolation_level=None, check_same_thread=False),
            iter_chunk_size=64,
        )
        await connection  # starts its thread and connects
        connection.row_factory = sqlite3.Row
        await connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        connection.busy_timeout_ms = busy_timeout_ms
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        await connection.execute("PRAGMA synchronous = NORMAL")
        if path != ":memory:":
            file_modes.tighten_database(Path(path))  # side files left by an earlier, laxer run
        database = cls(connection, path)
        try:
            await database.migrate()
            # An in-memory database is private to its connection: there, reads share the writer.
            if path != ":memory:":
                await database._open_readers(READERS, busy_timeout_ms)
        except BaseException:
            await database.close()
            raise
        return database

    async def _open_readers(self, count: int, busy_timeout_ms: int) -> None:
        for _ in range(count):
            reader = await aiosqlite.connect(self.path, isolation_level=None)
            self._readers.append(reader)
            reader.row_factory = sqlite3.Row
            await reader.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            # A write slipped into read() fails loudly instead of bypassing the writer's lock.
            await reader.execute("PRAGMA query_only = ON")
            self._idle_readers.put_nowait(reader)

    async def close(self) -> None:
        for reader in self._readers:
            await reader.close()
        self._readers.clear()
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

        Its statements run on the event loop's thread (see ``_Writer``): keep it to the writes
        and the reads that decide them; a long report or export reads through ``read()``.

        A store that is busy (another process holds the write lock longer than the busy
        timeout) or full raises :class:`StoreUnavailable` wherever it shows -- at BEGIN, in a
        statement of the body, or at COMMIT -- after everything was rolled back, so the caller
        can say "try again shortly" and the next transaction simply works once it is over.
        """
        asked = time.perf_counter()
        async with self._lock:
            try:
                if not self._connection.begin_at_once():
                    # Another process writes: wait for it in aiosqlite's thread, not on the loop.
                    await self._connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if _passing(error):
                    log.warning("store unavailable at BEGIN: %s", error)
                    raise StoreUnavailable(str(error)) from error
                raise
            began = time.perf_counter()
            if _stats is not None:
                _stats.writes += 1
                _stats.write_waits.append(began - asked)
            self._connection.inline = True
            try:
                try:
                    yield self._connection
                except BaseException as error:
                    await self._rollback()
                    if isinstance(error, sqlite3.OperationalError) and _passing(error):
                        log.warning("store unavailable, rolled back: %s", error)
                        raise StoreUnavailable(str(error)) from error
                    raise
                try:
                    # The update this task handles is marked in the commit of its effect.
                    handling = await handled_updates.mark_current(self._connection)
                    await self._connection.execute("COMMIT")
                except sqlite3.OperationalError as error:
                    await self._rollback()
                    log.warning("store unavailable at COMMIT, rolled back: %s", error)
                    raise StoreUnavailable(str(error)) from error
                if handling is not None:
                    handling.marked = True
            finally:
                self._connection.inline = False
                if _stats is not None:
                    _stats.write_holds.append(time.perf_counter() - began)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """A consistent snapshot of the last commit, on a read connection: never waits for the
        writer's lock (under WAL a write under way does not hold readers up).

        Writing through it fails (``query_only``). A read whose answer decides a write, or that
        must see a write of the same unit of work, belongs inside ``transaction()`` instead.
        """
        if not self._readers:
            async with self.transaction() as conn:
                yield conn
            return
        asked = time.perf_counter()
        reader = await self._idle_readers.get()
        if _stats is not None:
            _stats.reads += 1
            _stats.read_waits.append(time.perf_counter() - asked)
        try:
            if reader.in_transaction:  # left open by a read cancelled half-way
                await reader.execute("ROLLBACK")
            await reader.execute("BEGIN")
            try:
                yield reader
            finally:
                # A read-only transaction has nothing to commit: ending it releases the snapshot.
                await reader.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            if _passing(error):
                log.warning("store unavailable for reading: %s", error)
                raise StoreUnavailable(str(error)) from error
            raise
        finally:
            self._idle_readers.put_nowait(reader)

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
