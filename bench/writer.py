"""The writer two ways: the store's ``transaction()`` (statements inline on the loop) against a
datasette-style writer thread (the whole transaction as one function, one hop per transaction).

Run from the project root::

    .venv/bin/python -m bench.writer [--coroutines 200] [--each 20]

Both run the same SQL on the same schema: per transaction, what a certification's step does
(read the person and their open certification, count today's certifications, insert one row,
update another, read it back). ``--coroutines`` tasks each run ``--each`` transactions, giving
the loop a turn between two (as an update does while it talks to Telegram),
while a ticker asks the loop for a 1 ms sleep over and over: its overshoot is how long the loop
was held up (what every other update waits). Printed: transactions/s, each transaction's time
from asking to committed (p50 / p99), and the loop's lag (p99 / max). The thread's variant is
written here only to be measured; the campaign's transactions are async code, not functions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import queue
import sqlite3
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from storage.database import Database

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS bench_people (id INTEGER PRIMARY KEY, name TEXT, status TEXT)",
    "CREATE TABLE IF NOT EXISTS bench_steps (id INTEGER PRIMARY KEY, person INTEGER, "
    "day TEXT, status TEXT, note TEXT)",
    "CREATE INDEX IF NOT EXISTS bench_steps_person ON bench_steps (person, day)",
)
# (statement, fetch?) with ? for the person's id: one certification step's worth of SQL.
STEP = (
    ("SELECT * FROM bench_people WHERE id = ?", True),
    ("SELECT * FROM bench_steps WHERE person = ? AND status = 'open' LIMIT 1", True),
    ("SELECT COUNT(*) FROM bench_steps WHERE person = ? AND day = '2027-08-16'", True),
    ("INSERT INTO bench_steps (person, day, status) VALUES (?, '2027-08-16', 'open')", False),
    ("UPDATE bench_steps SET status = 'done' WHERE person = ? AND status = 'open'", False),
    ("SELECT COUNT(*) FROM bench_steps WHERE person = ? AND status = 'done'", True),
)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class ThreadWriter:
    """One thread owns the writing connection and runs each queued function as a transaction."""

    def __init__(self, path: str) -> None:
        self._jobs: queue.Queue[tuple[Callable[[sqlite3.Connection], Any], Any] | None] = (
            queue.Queue()
        )
        self._thread = threading.Thread(target=self._work, args=(path,), daemon=True)
        self._thread.start()

    def _work(self, path: str) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        while (job := self._jobs.get()) is not None:
            fn, (loop, future) = job
            try:
                conn.execute("BEGIN IMMEDIATE")
                result = fn(conn)
                conn.execute("COMMIT")
            except BaseException as error:  # handed to the waiting coroutine
                conn.execute("ROLLBACK")
                loop.call_soon_threadsafe(future.set_exception, error)
            else:
                loop.call_soon_threadsafe(future.set_result, result)
        conn.close()

    async def write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put((fn, (loop, future)))
        return await future

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join()


async def _run(
    name: str, transact: Callable[[int], Awaitable[None]], coroutines: int, each: int
) -> None:
    lags: list[float] = []
    times: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            asked = time.perf_counter()
            await asyncio.sleep(0.001)
            lags.append(time.perf_counter() - asked - 0.001)

    async def person(person_id: int) -> None:
        for _ in range(each):
            asked = time.perf_counter()
            await transact(person_id)
            times.append(time.perf_counter() - asked)
            await asyncio.sleep(0)  # an update awaits the network between two transactions

    tick = asyncio.create_task(ticker())
    began = time.perf_counter()
    await asyncio.gather(*(person(i) for i in range(1, coroutines + 1)))
    seconds = time.perf_counter() - began
    done.set()
    await tick
    print(
        f"| {name} | {len(times) / seconds:.0f} | {_percentile(times, 0.5) * 1000:.1f} / "
        f"{_percentile(times, 0.99) * 1000:.1f} ms | {_percentile(lags, 0.99) * 1000:.1f} / "
        f"{max(lags) * 1000:.1f} ms |",
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coroutines", type=int, default=200)
    parser.add_argument("--each", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "writer.sqlite3")
        async with db.transaction() as conn:
            for statement in SCHEMA:
                await conn.execute(statement)
            for person_id in range(1, args.coroutines + 1):
                await conn.execute(
                    "INSERT INTO bench_people VALUES (?, 'name', 'approved')", (person_id,)
                )

        async def inline(person_id: int) -> None:
            async with db.transaction() as conn:
                for sql, fetch in STEP:
                    cursor = await conn.execute(sql, (person_id,))
                    if fetch:
                        await cursor.fetchall()

        def step(conn: sqlite3.Connection, person_id: int) -> None:
            for sql, fetch in STEP:
                cursor = conn.execute(sql, (person_id,))
                if fetch:
                    cursor.fetchall()

        writer = ThreadWriter(db.path)

        async def threaded(person_id: int) -> None:
            await writer.write(lambda conn: step(conn, person_id))

        load = os.getloadavg()
        print(
            f"{args.coroutines} coroutines x {args.each} transactions of {len(STEP)} statements; "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
        )
        print("| writer | transactions/s | asked to committed p50 / p99 | loop lag p99 / max |")
        print("|---|---|---|---|")
        for _ in range(2):  # alternated, so a change in the machine's load hits both
            await _run("store: inline on the loop", inline, args.coroutines, args.each)
            await _run("writer thread (one hop each)", threaded, args.coroutines, args.each)
        writer.stop()
        await db.close()


if __name__ == "__main__":
    asyncio.run(main())
