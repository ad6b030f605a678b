"""Time "is there an open report of this kind nearby?" against 100,000 stored risk reports.

Run from the project root::

    .venv/bin/python -m bench.risk_nearby [--reports 100000] [--open-share 0.3] [--queries 2000]

The store is seeded with plain ``sqlite3.executemany``: reports of the six categories spread over
a 20 km x 20 km square around a city centre (denser in a 3 km core, as reports cluster where
people patrol), ``--open-share`` of them open. Every look-up runs exactly what the bot runs when a
location arrives: ``bot.campaign.risk_reports.nearest_open`` (a bounding box on the partial index
``risk_reports_open_by_place``, then haversine on the rows inside it), inside a transaction.
Half the queries are made next to an existing open report, half at random places.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bot.campaign.risk_reports import CATEGORIES, SAME_PLACE_METRES, bounding_box, nearest_open
from storage.database import Database

CENTRE = (35.9483, 126.9577)
DEGREES_PER_KM = 1 / 111.2


def _point(rng: random.Random) -> tuple[float, float]:
    spread = 1.5 if rng.random() < 0.6 else 10.0  # km: a busy core, then the whole city
    return (
        CENTRE[0] + rng.uniform(-spread, spread) * DEGREES_PER_KM,
        CENTRE[1] + rng.uniform(-spread, spread) * DEGREES_PER_KM * 1.24,
    )


Row = tuple[int, str, str, float, float]


def _seed(path: Path, count: int, open_share: float, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for i in range(1, count + 1):
        lat, lon = _point(rng)
        status = (
            rng.choice(("submitted", "forwarded"))
            if rng.random() < open_share
            else (rng.choice(("resolved", "rejected")))
        )
        rows.append((i, status, rng.choice(CATEGORIES), lat, lon))
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1, 'approved', 'x', 'x')"
        )
        conn.executemany(
            "INSERT INTO risk_reports (id, reporter_id, status, category, latitude, longitude, "
            "created_at, submitted_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, "
            "'2027-08-16T10:00:00+00:00', '2027-08-16T10:00:00+00:00', "
            "'2027-08-16T10:00:00+00:00')",
            rows,
        )
    conn.execute("ANALYZE")
    conn.close()
    return [r for r in rows if r[1] in ("submitted", "forwarded")]


async def _run(reports: int, open_share: float, queries: int) -> None:
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        await (await Database.open(path)).close()  # the schema, migrated
        open_rows = _seed(path, reports, open_share, rng)
        db = await Database.open(path)
        try:
            async with db.transaction() as conn:
                box = bounding_box(*CENTRE, SAME_PLACE_METRES)
                plan = await conn.execute(
                    "EXPLAIN QUERY PLAN SELECT id, latitude, longitude FROM risk_reports "
                    "WHERE status IN ('submitted', 'forwarded') AND category = ? "
                    "AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?",
                    ("light", *box),
                )
                detail = " / ".join(row[3] for row in await plan.fetchall())
            timings, found = [], 0
            for q in range(queries):
                if q % 2 == 0:
                    _, _, category, lat, lon = rng.choice(open_rows)
                    lat += rng.uniform(-20, 20) / 111_200  # a few metres away
                else:
                    category = rng.choice(CATEGORIES)
                    lat, lon = _point(rng)
                start = time.perf_counter()
                async with db.transaction() as conn:
                    hit = await nearest_open(conn, category, lat, lon)
                timings.append((time.perf_counter() - start) * 1000)
                found += hit is not None
        finally:
            await db.close()
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"query plan: {detail}")
    print(
        f"{reports:,} reports ({len(open_rows):,} open), {queries:,} look-ups within "
        f"{SAME_PLACE_METRES:.0f} m: median {statistics.median(timings):.3f} ms, "
        f"p99 {p99:.3f} ms, max {timings[-1]:.3f} ms; {found:,} found a report"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--open-share", type=float, default=0.3)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(_run(args.reports, args.open_share, args.queries))


if __name__ == "__main__":
    main()
