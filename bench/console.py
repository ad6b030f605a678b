"""Time the leaders' console and the 1365 hours export against a big generated campaign.

Run from the project root::

    .venv/bin/python -m bench.console [--participants 10000] [--certifications 1000000]

The issue's goal: with 10,000 participants and 1,000,000 certifications, the hours export in
under 5 s and every other answer (/stats, /top, /me) in under 200 ms.

The store is created by ``Database.open`` (the real schema), then seeded with plain
``sqlite3.executemany`` in a child process (so the seeding's Python lists never count in the
peak memory reported for the measured code): approved participants with Korean names,
categories and affiliations (about one in five without a 1365 ID), two rounds of 50 days (the
earlier one ended, the measured one on its last day), each with its standing mission and four
7-day theme missions, accepted certifications spread over participants, missions and days (at
most one per mission per day per person, the campaign's rule) with a few revoked ones (and
their reviews), and the milestone announcements they earned. The inserts go through the
triggers that keep the tallies (migration 0010), as the bot's own writes do.

The leaders' console (the Mini App) is measured too: each of its pages over real HTTP on
127.0.0.1 through the console's aiohttp app, with signed initData checked on every request.

Measured, exactly as the bot runs them: ``standings.collect`` (/stats, without the chart) and
``pictures.render_daily_chart`` (its chart) separately, ``standings.ranking`` (/top 10),
``certify.progress`` (/me, the busiest participant) and the hours export (``round_activity``,
``hours_export.hours_export``, ``hours_export.files``: the .xlsx and the .csv). Each is run
once (the first run, cold caches) then five more times (the median). ``--profile`` adds a
cProfile of each.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import io
import pstats
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.campaign import certify, standings
from bot.campaign.config import Campaign, parse_campaign
from bot.i18n import Translator
from bot.media import hours_export, pictures
from storage import exports as stored_exports
from storage.database import Database
from storage.photos import chunks, to_signed
from storage.rows import only_row

LANGUAGE = "ko"
RUNS = 5
GOAL_ANSWER_MS = 200.0
GOAL_EXPORT_MS = 5000.0

ROUND_DAYS = 50
FIRST_START = date(2027, 6, 21)
SECOND_START = date(2027, 8, 16)
THEMES_PER_ROUND = 4
THEME_DAYS = 7
REVOKED_SHARE = 0.003
RISK_REPORTS = 2_000
PENDING_APPLICATIONS = 40
CONSOLE_LEADER = 4_000_000_001

SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민"
    "진나엄채원천방공현함변염여추도석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
)
SYLLABLES = (
    "민서지현수영준우도윤예은하린서연시우주원지호건우현준유진채원다은수빈승민가은태윤"
    "정훈성민재원동현혜진소희은비나연동하경민수아예진지훈상우태희세영명수은정미숙"
)
CATEGORIES = (("middle", 25), ("high", 35), ("university", 20), ("adult", 20))
AFFILIATIONS = {
    "middle": ("이리중학교", "남성중학교", "영등중학교", "어양중학교", "팔봉중학교", "이일여중"),
    "high": (
        "남성고등학교",
        "이리고등학교",
        "원광고등학교",
        "익산고등학교",
        "이일여고",
        "진경여고",
    ),
    "university": ("원광대학교", "원광보건대학교", "익산대학교", "전북대 익산캠퍼스"),
    "adult": ("자율방범대", "어머니폴리스", "직장인", "주민자치위원회", "새마을부녀회", None),
}
NEIGHBOURHOODS = (
    "영등동",
    "어양동",
    "모현동",
    "부송동",
    "송학동",
    "신동",
    "마동",
    "남중동",
    "팔봉동",
    "삼성동",
    "동산동",
    "인화동",
)


def campaign_document() -> dict[str, Any]:
    """Two 50-day rounds, each with its standing mission and four 7-day theme missions."""
    themes = []
    for index, start in enumerate((FIRST_START, SECOND_START)):
        for number in range(THEMES_PER_ROUND):
            themes.append(
                {
                    "title": f"테마 미션 {index + 2}-{number + 1}",
                    "start": start + timedelta(days=3 + number * 12),
                    "days": THEME_DAYS,
                }
            )
    return {
        "campaign": {"name": "우리동네 치안협력관", "station": "익산경찰서"},
        "rounds": [
            {"name": "2차", "start": FIRST_START, "days": ROUND_DAYS},
            {"name": "3차", "start": SECOND_START, "days": ROUND_DAYS},
        ],
        "standing_mission": {"title": "우리동네 불안 요소 찾기", "description": "골목 순찰"},
        "theme_missions": themes,
    }


CAMPAIGN: Campaign = parse_campaign(campaign_document(), "bench")
MEASURED_ROUND = CAMPAIGN.rounds[-1]
# The evening of the measured round's last day: the whole round is in /stats and the export.
NOW = datetime.combine(MEASURED_ROUND.end, datetime.min.time()).replace(
    hour=21, tzinfo=CAMPAIGN.timezone
)


# ---- seeding (child process) ----------------------------------------------------------------


def _slots() -> list[tuple[int, str, str]]:
    """Every (mission id, round, day) a person may certify once: the campaign's rule."""
    out = []
    for mission_id, spec in enumerate(CAMPAIGN.mission_specs(), start=1):
        for offset in range(spec.days):
            out.append((mission_id, spec.round_name, (spec.start + timedelta(offset)).isoformat()))
    return out


def _per_person(people: int, total: int, capacity: int, rng: random.Random) -> list[int]:
    """``total`` split over ``people`` with a realistic skew, none above ``capacity``."""
    if total > people * capacity * 0.9:
        raise SystemExit(
            f"{total:,} certifications do not fit {people:,} participants "
            f"({capacity} mission-days each): add participants"
        )
    weights = [rng.lognormvariate(0, 0.6) for _ in range(people)]
    scale = total / sum(weights)
    counts = [min(capacity, int(w * scale)) for w in weights]
    missing = total - sum(counts)
    while missing > 0:
        i = rng.randrange(people)
        if counts[i] < capacity:
            counts[i] += 1
            missing -= 1
    return counts


def _utc_times(day: str, rng: random.Random) -> tuple[str, str, str]:
    """created, started and ended at (UTC text) for a walk between 09:00 and 21:30 KST."""
    start = rng.randrange(0, 12 * 60)  # minutes after 00:00 UTC (09:00 KST)
    end = start + rng.randrange(15, 90)
    created = max(0, start - 2)

    def clock(minutes: int) -> str:
        return f"{day}T{minutes // 60:02d}:{minutes % 60:02d}:{rng.randrange(60):02d}+00:00"

    return clock(created), clock(start), clock(end)


def seed(path: Path, participants: int, certifications: int, with_photos: bool) -> None:
    rng = random.Random(1365)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    created = "2027-06-01T00:00:00+00:00"
    base_id = 5_000_000_000
    people = []
    for i in range(participants):
        category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        name = rng.choice(SURNAMES) + "".join(rng.sample(SYLLABLES, 2))
        has_id = rng.random() < 0.8
        under_14 = int(category == "middle" and rng.random() < 0.3)
        people.append(
            (
                base_id + i,
                rng.choice(("ko", "ko", "ko", None, "en")),
                name if rng.random() < 0.6 else f"{name[1:]} {name[0]}",
                f"user{base_id + i}" if rng.random() < 0.7 else None,
                name,
                category,
                under_14,
                under_14 or None,
                rng.choice(AFFILIATIONS[category]),
                rng.choice(NEIGHBOURHOODS),
                f"v{rng.randrange(10**7, 10**8)}" if has_id else None,
                int(not has_id),
                created,
                created,
                created,
                created,
                created,
                int(rng.random() > 0.04),
            )
        )
    slots = _slots()
    counts = _per_person(participants, certifications, len(slots), rng)
    rows = []
    for (user_id, *_), count in zip(people, counts, strict=True):
        for mission_id, round_name, day in rng.sample(slots, count):
            made, started, ended = _utc_times(day, rng)
            status = "revoked" if rng.random() < REVOKED_SHARE else "accepted"
            rows.append((started, user_id, mission_id, round_name, day, status, made, ended))
    rows.sort()  # stored in the order they happened, as the bot stores them
    with conn:
        conn.executemany(
            "INSERT INTO participants (user_id, status, language, telegram_name, username, "
            "full_name, category, under_14, guardian_consent, affiliation, neighbourhood, "
            "volunteer_id, volunteer_id_skipped, consent_at, applied_at, decided_at, created_at, "
            "updated_at, active) VALUES (?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?)",
            people,
        )
        conn.executemany(
            "INSERT INTO missions (id, kind, round_name, title, description, start_date, days, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    i,
                    s.kind,
                    s.round_name,
                    s.title,
                    s.description,
                    s.start.isoformat(),
                    s.days,
                    created,
                )
                for i, s in enumerate(CAMPAIGN.mission_specs(), start=1)
            ),
        )
        conn.executemany(
            "INSERT INTO certifications (id, participant_id, mission_id, round_name, campaign_day, "
            "status, started_at, ended_at, created_at, accepted_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (i, user, mission, round_name, day, status, started, ended, made, ended)
                for i, (started, user, mission, round_name, day, status, made, ended) in enumerate(
                    rows, start=1
                )
            ),
        )
        conn.executemany(
            "INSERT INTO certification_reviews (certification_id, action, leader_id, reason, at) "
            "VALUES (?, 'revoked', 1, '같은 사진 재사용', ?)",
            ((i, r[7]) for i, r in enumerate(rows, start=1) if r[5] == "revoked"),
        )
        accepted: dict[int, int] = {}
        for r in rows:
            if r[5] == "accepted":
                accepted[r[1]] = accepted.get(r[1], 0) + 1
        conn.executemany(
            "INSERT INTO milestone_announcements (participant_id, count, announced_at) "
            "VALUES (?, ?, ?)",
            (
                (user, m.count, created)
                for user, total in accepted.items()
                for m in CAMPAIGN.milestones
                if total >= m.count
            ),
        )
        conn.executemany(
            "INSERT INTO participants (user_id, status, telegram_name, full_name, category, "
            "affiliation, neighbourhood, volunteer_id, consent_at, applied_at, created_at, "
            "updated_at) VALUES (?, 'pending', ?, ?, 'high', ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    base_id + participants + i,
                    f"applicant{i}",
                    rng.choice(SURNAMES) + "".join(rng.sample(SYLLABLES, 2)),
                    rng.choice(AFFILIATIONS["high"]),
                    rng.choice(NEIGHBOURHOODS),
                    f"v{rng.randrange(10**7, 10**8)}",
                    created,
                    created,
                    created,
                    created,
                )
                for i in range(PENDING_APPLICATIONS)
            ),
        )
        conn.executemany(
            "INSERT INTO risk_reports (reporter_id, status, category, latitude, longitude, "
            "description, photo_file_id, photo_kind, agency, created_at, submitted_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'photo', ?, ?, ?, ?)",
            _risk_rows(people, rng),
        )
        if with_photos:
            conn.executemany(
                "INSERT INTO photos (certification_id, role, sender_id, kind, file_id, "
                "file_unique_id, message_id, message_date, received_at, phash, dhash, "
                "phash_0, phash_1, phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3) "
                "VALUES (?, ?, ?, 'photo', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _photo_rows(rows, rng),
            )
    conn.close()


def _risk_rows(people: list[tuple[Any, ...]], rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """Risk reports around Iksan city hall, in every status, the newest submitted today."""
    statuses = ("submitted", "forwarded", "resolved", "rejected")
    for i in range(RISK_REPORTS):
        status = rng.choices(statuses, (3, 3, 5, 1))[0]
        stamp = f"{SECOND_START + timedelta(days=i * ROUND_DAYS // RISK_REPORTS)}T10:00:00+00:00"
        yield (
            rng.choice(people)[0],
            status,
            rng.choice(("light", "alley", "cctv", "vacant", "dumping", "other")),
            35.948 + rng.uniform(-0.04, 0.04),
            126.957 + rng.uniform(-0.05, 0.05),
            "보안등이 꺼져 있어요",
            f"AgACAgUAAxkBAAIrisk{i:06d}",
            "시청 시설관리팀" if status != "submitted" else None,
            stamp,
            stamp,
            stamp,
        )


def _photo_rows(rows: list[tuple[Any, ...]], rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for i, (started, user, *_rest, ended) in enumerate(rows, start=1):
        for role, at in (("start", started), ("end", ended)):
            p, d = rng.getrandbits(64), rng.getrandbits(64)
            unique = f"AQAD{rng.getrandbits(80):020x}"
            yield (
                i,
                role,
                user,
                f"AgACAgUAAxkBAAI{unique}{rng.getrandbits(96):024x}",
                unique,
                2 * i + (role == "end"),
                at,
                at,
                to_signed(p),
                to_signed(d),
                *chunks(p),
                *chunks(d),
            )


# ---- measuring -------------------------------------------------------------------------------


class Figure:
    def __init__(self, name: str, goal_ms: float) -> None:
        self.name, self.goal_ms = name, goal_ms
        self.first = 0.0
        self.runs: list[float] = []

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def met(self) -> bool:
        return self.first < self.goal_ms and self.median < self.goal_ms


async def _time(
    figure: Figure, action: Callable[[], Awaitable[Any]], profile: bool
) -> tuple[Figure, Any]:
    result = None
    for run in range(RUNS + 1):
        began = time.perf_counter()
        result = await action()
        elapsed = (time.perf_counter() - began) * 1000
        if run == 0:
            figure.first = elapsed
        else:
            figure.runs.append(elapsed)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        await action()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(14)
        print(f"\n--- cProfile: {figure.name} ---")
        print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))
    return figure, result


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def measure(path: Path, profile: bool) -> tuple[list[Figure], list[tuple[str, float]]]:
    translator = Translator()

    def label(key: str) -> str:
        return translator(LANGUAGE, key)

    db = await Database.open(path)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT participant_id FROM certifications WHERE status = 'accepted' "
            "GROUP BY participant_id ORDER BY COUNT(*) DESC, participant_id LIMIT 1"
        )
        busiest = (await only_row(cursor))[0]
    rss_before = _rss_mb()
    figures: list[Figure] = []
    steps: list[tuple[str, float]] = []

    async def stats() -> standings.Stats | None:
        return await standings.collect(db, CAMPAIGN, NOW)

    figure, collected = await _time(
        Figure("/stats  standings.collect", GOAL_ANSWER_MS), stats, profile
    )
    figures.append(figure)
    assert collected is not None

    async def chart() -> bytes:
        return pictures.render_daily_chart(
            days=collected.summary.chart_days,
            counts=collected.summary.chart_counts,
            title=translator(LANGUAGE, "stats-chart-title", round=collected.round.name),
            axis_label=translator(LANGUAGE, "stats-chart-axis"),
        )

    figures.append((await _time(Figure("/stats  chart render", GOAL_ANSWER_MS), chart, profile))[0])

    async def top() -> list[standings.RankedParticipant]:
        return await standings.ranking(db, MEASURED_ROUND, 10)

    figures.append(
        (await _time(Figure("/top 10 standings.ranking", GOAL_ANSWER_MS), top, profile))[0]
    )

    async def me() -> certify.Progress:
        return await certify.progress(db, CAMPAIGN, busiest, NOW)

    figures.append(
        (await _time(Figure("/me     certify.progress", GOAL_ANSWER_MS), me, profile))[0]
    )

    sizes: dict[str, int] = {}

    async def export() -> None:
        began = time.perf_counter()
        async with db.transaction() as conn:
            people = await stored_exports.round_activity(conn, MEASURED_ROUND.name)
        queried = time.perf_counter()
        data = hours_export.hours_export(
            MEASURED_ROUND.name, people, CAMPAIGN.rules.minutes_per_certification
        )
        computed = time.perf_counter()
        xlsx, csv = hours_export.files(data, label)
        done = time.perf_counter()
        sizes.update(rows=data.row_count, people=len(data.totals), xlsx=len(xlsx), csv=len(csv))
        steps[:] = [
            ("round_activity (SQL)", (queried - began) * 1000),
            ("hours_export (totals, carry)", (computed - queried) * 1000),
            ("files (.xlsx and .csv, one pass)", (done - computed) * 1000),
        ]

    figures.append(
        (await _time(Figure("/export hours (xlsx+csv)", GOAL_EXPORT_MS), export, profile))[0]
    )
    await db.close()
    steps.append(("export rows / people", float(sizes["rows"])))
    steps.append(("export people", float(sizes["people"])))
    steps.append(("xlsx KB", sizes["xlsx"] / 1024))
    steps.append(("csv KB", sizes["csv"] / 1024))
    steps.append(("peak RSS before measuring MB", rss_before))
    return figures, steps


async def measure_console(path: Path, profile: bool) -> list[Figure]:
    """The console's pages over real HTTP on 127.0.0.1 (aiohttp's server, as the bot runs it),
    each request carrying freshly signed initData that the server checks."""
    import aiohttp
    from aiohttp.test_utils import TestServer

    from bot.app import build_application
    from bot.console import auth
    from bot.console import server as console_server
    from bot.console.state import ConsoleState, RateLimiter
    from bot.settings import DEFAULT_TILE_URL, Console, Settings

    token = "123456789:" + "A" * 35
    console = Console("https://console.invalid/", "127.0.0.1", 0, 3600, DEFAULT_TILE_URL)
    settings = Settings(
        bot_token=token,
        bot_api_url="http://127.0.0.1:9",
        database_path=path,
        leader_ids=frozenset({CONSOLE_LEADER}),
        group_chat_id=None,
        campaign_file=Path("bench"),
        log_level="WARNING",
        console=console,
    )
    application = build_application(settings, CAMPAIGN, rate_limit=False)
    services = application.bot_data
    services.database = await Database.open(path)
    services.clock = lambda: NOW
    # The bench asks far faster than a person: the per-leader rate limit is lifted here.
    limiter = RateLimiter(burst=10**9, per_second=10**9)
    state = ConsoleState(application, settings, console, limiter)
    server = TestServer(console_server.make_app(state))
    await server.start_server()
    async with services.database.transaction() as conn:
        cursor = await conn.execute(
            "SELECT participant_id FROM tally_person_rounds WHERE round_name = ? "
            "ORDER BY accepted DESC LIMIT 1",
            (MEASURED_ROUND.name,),
        )
        row = await cursor.fetchone()
    busiest = int(row[0]) if row else 0
    pages = [
        ("session", "api/session"),
        ("today", "api/today"),
        ("today, 10th page", "api/today?offset=216"),
        ("participants", "api/participants"),
        ("participants by total", "api/participants?sort=total&desc=1"),
        ("participants search", "api/participants?q=%EA%B9%80"),
        ("participants no 1365 ID", "api/participants?missing=1&category=middle"),
        ("one participant", f"api/participants/{busiest}"),
        ("risk reports (open)", "api/risks"),
        ("risk reports (all)", "api/risks?status=all"),
        ("stats + /top", "api/stats"),
        ("chart.png", "api/chart.png"),
    ]
    figures = []
    async with aiohttp.ClientSession() as session:

        async def fetch(url: str) -> int:
            fields = {
                "auth_date": str(int(time.time())),
                "user": f'{{"id":{CONSOLE_LEADER},"first_name":"bench"}}',
            }
            headers = {"Authorization": "tma " + auth.sign(fields, token)}
            async with session.get(server.make_url("/" + url), headers=headers) as response:
                body = await response.read()
                if response.status != 200:
                    raise SystemExit(f"{url}: HTTP {response.status} {body[:200]!r}")
                return len(body)

        for name, url in pages:
            figure, _ = await _time(
                Figure(f"console {name}", GOAL_ANSWER_MS), functools.partial(fetch, url), profile
            )
            figures.append(figure)
    await server.close()
    await services.database.close()
    return figures


def _db_size(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--certifications", type=int, default=1_000_000)
    parser.add_argument(
        "--photos", action="store_true", help="also store 2 photos per certification"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile each measured answer")
    parser.add_argument("--keep", type=Path, help="keep the seeded store at this path")
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--console-only", type=Path, help="measure only the console's pages on a --keep store"
    )
    args = parser.parse_args()
    if args.seed_into:
        seed(args.seed_into, args.participants, args.certifications, args.photos)
        return
    if args.console_only:
        for f in asyncio.run(measure_console(args.console_only, args.profile)):
            print(f"{f.name:36} {f.first:8.1f}ms {f.median:8.1f}ms   < {f.goal_ms:5.0f}ms")
        return

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.sqlite3"
        if path.exists():
            raise SystemExit(f"{path} exists")

        async def create() -> None:
            await (await Database.open(path)).close()

        asyncio.run(create())
        began = time.perf_counter()
        command = [sys.executable, "-m", "bench.console", "--seed-into", str(path)]
        command += ["--participants", str(args.participants)]
        command += ["--certifications", str(args.certifications)]
        subprocess.run(command + (["--photos"] if args.photos else []), check=True)
        seeded = time.perf_counter() - began
        size_mb = _db_size(path)
        figures, steps = asyncio.run(measure(path, args.profile))
        figures += asyncio.run(measure_console(path, args.profile))
        peak = _rss_mb()

    photos = f", {2 * args.certifications:,} photos" if args.photos else ", no photos"
    print(
        f"\n{args.participants:,} participants, {args.certifications:,} certifications"
        f"{photos}; rounds {', '.join(r.name for r in CAMPAIGN.rounds)} "
        f"(measured: {MEASURED_ROUND.name}, {NOW:%Y-%m-%d %H:%M %Z}); "
        f"seeded in {seeded:.1f} s (child process)"
    )
    print(f"{'figure':36} {'first':>10} {'median':>10}   {'goal':>9}  met")
    print("-" * 76)
    for f in figures:
        print(
            f"{f.name:36} {f.first:8.1f}ms {f.median:8.1f}ms   < {f.goal_ms:5.0f}ms  "
            f"{'yes' if f.met else 'NO'}"
        )
    print(f"{'database file':28} {size_mb:8.1f}MB {'':>10}   {'-':>9}")
    print(f"{'peak RSS (ru_maxrss)':28} {peak:8.1f}MB {'':>10}   {'-':>9}")
    print("\nexport sub-steps (last run) and sizes:")
    for name, value in steps:
        unit = "ms" if "(" in name else ""
        print(f"  {name:30} {value:10.1f}{unit}")


if __name__ == "__main__":
    main()
