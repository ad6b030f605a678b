"""Time the re-used-picture look-up against 10,000 and 1,000,000 stored photos.

Run from the project root::

    .venv/bin/python -m bench.lookup [--sizes 10000 1000000] [--queries 300]

The store is seeded with plain ``sqlite3.executemany`` (seeding a million rows one action at a
time would take minutes and measure nothing of interest); every look-up then runs exactly what
the bot runs for a new photo: ``storage.photos.near_candidates`` on the chunk neighbourhoods,
then ``bot.campaign.fairness.judge_reuse`` on the candidates.

Two hash populations: uniform random 64-bit hashes, and a clustered one (1,000 "scenes", each
photo 8-24 bits away from its scene's centre) that stands in for many similar street photos.
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
from zoneinfo import ZoneInfo

from bot.campaign.config import Fairness
from bot.campaign.fairness import judge_reuse, neighbourhoods
from storage import photos
from storage.database import Database
from storage.photos import chunks, to_signed

_SEOUL = ZoneInfo("Asia/Seoul")
LIMITS = Fairness(phash_max_distance=10, dhash_max_distance=10)


def _flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


def _population(kind: str, size: int, rng: random.Random) -> list[tuple[int, int]]:
    if kind == "uniform":
        return [(rng.getrandbits(64), rng.getrandbits(64)) for _ in range(size)]
    centres = [(rng.getrandbits(64), rng.getrandbits(64)) for _ in range(1000)]
    out = []
    for _ in range(size):
        p, d = rng.choice(centres)
        out.append((_flip(p, rng.randint(8, 24), rng), _flip(d, rng.randint(8, 24), rng)))
    return out


def _seed(path: Path, hashes: list[tuple[int, int]]) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1, 'approved', 'x', 'x')"
        )
        conn.execute(
            "INSERT INTO missions (kind, round_name, title, start_date, days, created_at) "
            "VALUES ('standing', 'r', 't', '2027-08-16', 50, 'x')"
        )
        certs = (len(hashes) + 1) // 2
        conn.executemany(
            "INSERT INTO certifications (id, participant_id, mission_id, round_name, "
            "campaign_day, status, created_at) VALUES (?, 1, 1, 'r', '2027-08-16', "
            "'accepted', 'x')",
            ((i,) for i in range(1, certs + 1)),
        )
        conn.executemany(
            "INSERT INTO photos (certification_id, role, sender_id, kind, file_id, "
            "file_unique_id, message_id, message_date, received_at, phash, dhash, "
            "phash_0, phash_1, phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3) "
            "VALUES (?, ?, 1, 'photo', 'f', ?, 1, '2027-08-16T10:00:00+00:00', 'x', "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    i // 2 + 1,
                    "start" if i % 2 == 0 else "end",
                    f"u{i}",
                    to_signed(p),
                    to_signed(d),
                    *chunks(p),
                    *chunks(d),
                )
                for i, (p, d) in enumerate(hashes)
            ),
        )
    conn.close()


async def _measure(kind: str, size: int, queries: int) -> None:
    rng = random.Random(size)
    hashes = _population(kind, size, rng)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        database = await Database.open(path)
        await database.close()
        started = time.perf_counter()
        _seed(path, hashes)
        seeded = time.perf_counter() - started
        database = await Database.open(path)
        # Half the queries are copies of stored photos (a few bits off), half new pictures.
        probes = []
        for i in range(queries):
            if i % 2 == 0:
                p, d = rng.choice(hashes)
                probes.append(
                    (_flip(p, rng.randint(0, 3), rng), _flip(d, rng.randint(0, 3), rng), True)
                )
            else:
                p, d = _population(kind, 1, rng)[0]
                probes.append((p, d, False))
        timings, candidates, caught, false_hits = [], [], 0, 0
        for p, d, is_copy in probes:
            began = time.perf_counter()
            async with database.transaction() as conn:
                found = await photos.near_candidates(
                    conn,
                    neighbourhoods(p, LIMITS.phash_max_distance),
                    neighbourhoods(d, LIMITS.dhash_max_distance),
                )
            # These rows have no thumbnails, so a near one is flagged rather than refused (see
            # bot.campaign.fairness.likeness): either way the look-up found it.
            reuse = judge_reuse(found, p, d, None, 2, 0, LIMITS, _SEOUL)
            hit = reuse.refusal is not None or reuse.lookalike is not None
            timings.append((time.perf_counter() - began) * 1000)
            candidates.append(len(found))
            caught += is_copy and hit
            false_hits += (not is_copy) and hit
        await database.close()
        size_mb = path.stat().st_size / 1e6
    timings.sort()
    p99 = timings[max(0, int(len(timings) * 0.99) - 1)]
    copies, new = queries // 2, queries - queries // 2
    print(
        f"{kind:9} {size:>9,} photos  seed {seeded:6.1f} s  db {size_mb:7.1f} MB  "
        f"lookup median {statistics.median(timings):6.2f} ms  p99 {p99:6.2f} ms  "
        f"candidates median {int(statistics.median(candidates)):>6,}  "
        f"copies found {caught}/{copies}  new pictures matched {false_hits}/{new}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    print(
        f"re-used picture look-up, limits pHash <= {LIMITS.phash_max_distance}, "
        f"dHash <= {LIMITS.dhash_max_distance} (chunk radius {LIMITS.phash_max_distance // 4})"
    )
    for size in args.sizes:
        for kind in ("uniform", "clustered"):
            asyncio.run(_measure(kind, size, args.queries))


if __name__ == "__main__":
    main()
