"""The database handle: open, migrate, one serialised ``transaction()`` for writes, ``read()``.

One plain ``sqlite3`` connection writes, and its statements run on the event loop's own thread:
every write holds an ``asyncio.Lock`` for its whole ``BEGIN IMMEDIATE`` … ``COMMIT`` (statements
of concurrent coroutines would otherwise interleave, and one handler's ROLLBACK could erase
another's INSERT), and holds it for its SQL's own time, never for a turn of a busy loop per
statement. A few read connections, each with a thread of its own, serve ``read()``: WAL lets
them see the last commit while a write is under way, so they never wait for that lock. A read
that must see its own write stays inside the write.

Why not datasette's writer thread (``execute_write_fn(fn)``, one hop per transaction)? Here a
transaction's body is the campaign's own async code, deciding as it reads; a thread could only
run it if every step were rewritten as a plain function. Run inline, the body needs no hop at
all; what the loop gives up is the SQL's own time, a millisecond or so (``bench.load``).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from storage import file_modes, handled_updates
from storage.connection import Connection, connect

log = logging.getLogger(__name__)


# Read connections per database: enough for the reads of concurrent updates to overlap, few
# enough that each (a thread) costs nothing worth measuring.
READERS = 4

# While another process writes, BEGIN IMMEDIATE is tried again after these pauses (seconds,
# the last repeated) until the busy timeout is spent, as SQLite's own busy handler would; but
# asleep on the loop, which meanwhile serves everyone else.
_RETRY_PAUSES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05)


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


def _switch_on(writer: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, and the busy timeout while opening (a plain function for a worker
    thread, where waiting out another process's lock holds nobody up)."""
    writer.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA foreign_keys = ON")
    writer.execute("PRAGMA synchronous = NORMAL")


def _migrate(writer: sqlite3.Connection, busy_timeout_ms: int) -> list[str]:
    """Apply every migration newer than ``PRAGMA user_version``, each atomically; the names
    applied. A plain function for a worker thread, like ``_switch_on``."""
    writer.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    applied: list[str] = []
    try:
        current = int(writer.execute("PRAGMA user_version").fetchone()[0])
        for number, name, sql in _migration_files():
            if number <= current:
                continue
            # executescript would COMMIT on its own; run statements one by one instead so the
            # migration and its version bump land together or not at all.
            writer.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_statements(sql):
                    writer.execute(statement)
                writer.execute(f"PRAGMA user_version = {number}")
                writer.execute("COMMIT")
            except BaseException:
                writer.execute("ROLLBACK")
                raise
            log.info("applied migration %s", name)
            applied.append(name)
    finally:
        # From here on the writer runs on the loop: it must never sleep inside SQLite. Another
        # process's write lock is waited for at BEGIN (``Database._begin``); once BEGIN
        # IMMEDIATE holds the lock under WAL, no statement of the transaction waits for anyone.
        writer.execute("PRAGMA busy_timeout = 0")
    return applied


class Database:
    """An open campaign database: ``transaction()`` for writes, ``read()`` for reads."""

    def __init__(self, writer: Connection, path: str, busy_timeout_ms: int) -> None:
        self._writer = writer
        self._lock = asyncio.Lock()
        self._busy_timeout_ms = busy_timeout_ms
        self._readers: list[Connection] = []
        self._idle_readers: asyncio.Queue[Connection] = asyncio.Queue()
        self.path = path

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> Database:
        """Open (creating the folder if needed), switch on WAL and foreign keys, and migrate."""
        path = str(path)
        if path != ":memory:":
            # Owner-only before SQLite opens it: -wal and -shm take the database file's mode.
            file_modes.private_folder(Path(path).parent)
            file_modes.private_file(Path(path))
        database = cls(connect(path, own_thread=False), path, busy_timeout_ms)
        try:
            await asyncio.to_thread(_switch_on, database._writer.sqlite, busy_timeout_ms)
            if path != ":memory:":
                file_modes.tighten_database(Path(path))  # side files left by an earlier run
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
            reader = connect(self.path, own_thread=True)
            self._readers.append(reader)
            await reader.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            # A write slipped into read() fails loudly instead of bypassing the writer's lock.
            await reader.execute("PRAGMA query_only = ON")
            self._idle_readers.put_nowait(reader)

    async def close(self) -> None:
        for reader in self._readers:
            await reader.close()
        self._readers.clear()
        async with self._lock:
            await self._writer.close()

    async def migrate(self) -> list[str]:
        """Apply every migration newer than ``PRAGMA user_version`` (``open`` does)."""
        async with self._lock:
            return await asyncio.to_thread(_migrate, self._writer.sqlite, self._busy_timeout_ms)

    async def schema_version(self) -> int:
        async with self._lock:
            return int(self._writer.sqlite.execute("PRAGMA user_version").fetchone()[0])

    async def _begin(self) -> None:
        """BEGIN IMMEDIATE; while another process holds the write lock, try again after a
        pause on the loop (not in SQLite, which would stop the loop) until the busy timeout."""
        deadline = time.monotonic() + self._busy_timeout_ms / 1000
        tries = 0
        while True:
            try:
                self._writer.sqlite.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                left = deadline - time.monotonic()
                if "locked" not in str(error).lower() or left <= 0:
                    raise
            await asyncio.sleep(min(_RETRY_PAUSES[min(tries, len(_RETRY_PAUSES) - 1)], left))
            tries += 1

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """One unit of work: BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error.

        Its statements run on the event loop's thread: keep it to the writes and the reads that
        decide them; a long report or export reads through ``read()``.

        A store that is busy (another process holds the write lock longer than the busy
        timeout) or full raises :class:`StoreUnavailable` wherever it shows -- at BEGIN, in a
        statement of the body, or at COMMIT -- after everything was rolled back, so the caller
        can say "try again shortly" and the next transaction simply works once it is over.
        """
        asked = time.perf_counter()
        async with self._lock:
            try:
                await self._begin()
            except sqlite3.OperationalError as error:
                if _passing(error):
                    log.warning("store unavailable at BEGIN: %s", error)
                    raise StoreUnavailable(str(error)) from error
                raise
            began = time.perf_counter()
            if _stats is not None:
                _stats.writes += 1
                _stats.write_waits.append(began - asked)
            try:
                try:
                    yield self._writer
                except BaseException as error:
                    self._rollback()
                    if isinstance(error, sqlite3.OperationalError) and _passing(error):
                        log.warning("store unavailable, rolled back: %s", error)
                        raise StoreUnavailable(str(error)) from error
                    raise
                try:
                    # The update this task handles is marked in the commit of its effect.
                    handling = await handled_updates.mark_current(self._writer)
                    self._writer.sqlite.execute("COMMIT")
                except sqlite3.OperationalError as error:
                    self._rollback()
                    log.warning("store unavailable at COMMIT, rolled back: %s", error)
                    raise StoreUnavailable(str(error)) from error
                if handling is not None:
                    handling.marked = True
            finally:
                if _stats is not None:
                    _stats.write_holds.append(time.perf_counter() - began)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection]:
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

    def _rollback(self) -> None:
        # After SQLITE_FULL (and a few other errors) SQLite may already have rolled the whole
        # transaction back itself; a second ROLLBACK then fails with "no transaction is active".
        try:
            self._writer.sqlite.execute("ROLLBACK")
        except sqlite3.OperationalError:
            if self._writer.in_transaction:
                raise

    async def integrity_check(self) -> str:
        """SQLite's verdict on the whole file ('ok'); read in a worker: it takes a while."""
        async with self._lock:
            check = self._writer.sqlite.execute
            row = await asyncio.to_thread(lambda: check("PRAGMA integrity_check").fetchone())
            return str(row[0])


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
