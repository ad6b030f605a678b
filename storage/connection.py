"""One sqlite3 connection behind an async face: ``await conn.execute(...)``, then fetch.

Its owner decides where the calls run. The writer passes no thread: they run right here, on the
event loop's thread, while it holds the writer's lock (see ``storage.database``). A reader passes
a thread of its own, and each call goes there, so a long read never holds the loop up. Only the
standard library's public API is used (``sqlite3``, ``threading``, ``queue``).
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

# What ``execute`` takes after the SQL: positional values or named ones.
Parameters = Sequence[Any] | Mapping[str, Any]

_T = TypeVar("_T")
_Call = tuple["asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


class Thread:
    """One thread running the calls handed to it, in order, each answered on the caller's loop.

    (A ``ThreadPoolExecutor`` of one worker does the same with more steps per call: measured
    about a third more CPU per statement than this, which a read of several statements feels.)
    """

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="store-reader", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (call := self._calls.get()) is not None:
            future, fn, args = call
            try:
                result = fn(*args)
            except BaseException as error:  # handed to the awaiting coroutine
                future.get_loop().call_soon_threadsafe(_fail, future, error)
            else:
                future.get_loop().call_soon_threadsafe(_answer, future, result)

    async def run(self, fn: Callable[..., _T], *args: Any) -> _T:
        future: asyncio.Future[_T] = asyncio.get_running_loop().create_future()
        self._calls.put((future, fn, args))
        return await future

    def stop(self) -> None:
        """Finish the calls already handed over, then end the thread."""
        self._calls.put(None)
        self._thread.join()


def _answer(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():  # its coroutine may have been cancelled meanwhile
        future.set_result(result)


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


class Cursor:
    """What one statement gave: its rows to fetch, ``lastrowid`` and ``rowcount``."""

    def __init__(self, cursor: sqlite3.Cursor, connection: Connection) -> None:
        self._cursor = cursor
        self._owner = connection

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    async def fetchone(self) -> sqlite3.Row | None:
        row: sqlite3.Row | None = await self._owner.run(self._cursor.fetchone)
        return row

    async def fetchall(self) -> list[sqlite3.Row]:
        rows: list[sqlite3.Row] = await self._owner.run(self._cursor.fetchall)
        return rows


class Connection:
    """A sqlite3 connection (``isolation_level=None``: transactions are begun by hand) whose
    calls run on ``thread`` if one is given, else on the caller's own thread."""

    def __init__(self, sqlite: sqlite3.Connection, thread: Thread | None) -> None:
        sqlite.row_factory = sqlite3.Row
        self.sqlite = sqlite
        self._thread = thread

    async def run(self, fn: Callable[..., _T], *args: Any) -> _T:
        """``fn(*args)`` where this connection's calls run."""
        if self._thread is None:
            return fn(*args)
        return await self._thread.run(fn, *args)

    async def execute(self, sql: str, parameters: Parameters = ()) -> Cursor:
        return Cursor(await self.run(self.sqlite.execute, sql, parameters), self)

    async def execute_fetchall(self, sql: str, parameters: Parameters = ()) -> list[sqlite3.Row]:
        """The statement's rows, run and fetched in one go (one hop for a reader)."""
        return await self.run(_fetchall, self.sqlite, sql, parameters)

    async def executemany(self, sql: str, parameters: Iterable[Parameters]) -> Cursor:
        return Cursor(await self.run(self.sqlite.executemany, sql, parameters), self)

    @property
    def in_transaction(self) -> bool:
        return self.sqlite.in_transaction

    async def close(self) -> None:
        await self.run(self.sqlite.close)
        if self._thread is not None:
            self._thread.stop()


def _fetchall(sqlite: sqlite3.Connection, sql: str, parameters: Parameters) -> list[sqlite3.Row]:
    rows: list[sqlite3.Row] = sqlite.execute(sql, parameters).fetchall()
    return rows


def connect(path: str, *, own_thread: bool) -> Connection:
    """Open ``path`` (autocommit mode: BEGIN … COMMIT by hand); ``own_thread`` gives the
    connection a thread of its own to run every call on."""
    # check_same_thread off: the reader's calls run on its thread, not where it was opened, and
    # the writer hands a long PRAGMA (integrity_check) to a worker while it holds the lock.
    sqlite = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    return Connection(sqlite, Thread() if own_thread else None)
