"""The tallies behind /stats, /top, the mid and final reports and the hours export (migration
0010): after any mix of accepted, revoked, restored, cancelled and deleted certifications,
erased and rejected people, every answer read from them equals the plain query over the
certifications themselves (the reference queries below, which the bot no longer runs)."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.campaign.round_reports import (
    DueReport,
    RoundFigures,
    ranked_contenders,
    round_figures,
    round_summary,
)
from storage import certifications, privacy, reviews, stats
from storage import exports as stored_exports
from storage.database import Database
from storage.reports import ParticipantCounts
from tests.support import ROUND_START, kst, open_old_database

ROUND = "3차"
EARLIER = "2차"  # a round the campaign file no longer lists: its counts stay apart
PEOPLE = 12
NOW = kst("2027-08-20", "12:00")


async def _setup(conn) -> list[int]:
    for name, start in ((EARLIER, "2027-06-21"), (ROUND, ROUND_START.isoformat())):
        for kind, title in (("standing", "순찰"), ("theme", "테마")):
            await conn.execute(
                "INSERT INTO missions (kind, round_name, title, start_date, days, created_at) "
                "VALUES (?, ?, ?, ?, 50, 'x')",
                (kind, name, title, start),
            )
    people = list(range(1001, 1001 + PEOPLE))
    for user_id in people:
        await conn.execute(
            "INSERT INTO participants (user_id, status, telegram_name, full_name, category, "
            "volunteer_id, created_at, updated_at) "
            "VALUES (?, 'approved', ?, ?, 'high', ?, 'x', 'x')",
            (user_id, f"t{user_id}", f"이름{user_id % 5}", f"v{user_id}"),
        )
    return people


async def _certify(conn, rng: random.Random, user_id: int, *, finish: str) -> int | None:
    if await certifications.open_for(conn, user_id) is not None:
        return None
    round_name = rng.choice((ROUND, ROUND, ROUND, EARLIER))
    start = ROUND_START if round_name == ROUND else date(2027, 6, 21)
    day = start + timedelta(days=rng.randrange(10))
    cursor = await conn.execute(
        "SELECT id FROM missions WHERE round_name = ? ORDER BY random() LIMIT 1", (round_name,)
    )
    mission_id = (await cursor.fetchone())[0]
    at = kst(day.isoformat(), "18:00")
    certification_id = await certifications.open_new(conn, user_id, mission_id, round_name, at)
    if finish == "open":
        return certification_id
    await certifications.record_start(conn, certification_id, day, round_name, at)
    if finish == "cancelled":
        await certifications.close_open(conn, certification_id, "cancelled")
    else:
        await certifications.accept(conn, certification_id, at, at)
    return certification_id


async def _random_history(db: Database, seed: int) -> None:
    rng = random.Random(seed)
    async with db.transaction() as conn:
        people = await _setup(conn)
    reviewed: set[int] = set()
    for _ in range(400):
        async with db.transaction() as conn:
            cursor = await conn.execute("SELECT user_id FROM participants WHERE user_id > 0")
            alive = [row[0] for row in await cursor.fetchall()]
            cursor = await conn.execute("SELECT id, status FROM certifications")
            rows = await cursor.fetchall()
            by_status = defaultdict(list)
            for row in rows:
                by_status[row[1]].append(row[0])
            action = rng.random()
            if action < 0.62 and alive:
                finish = rng.choices(("accepted", "cancelled", "open"), (90, 5, 5))[0]
                await _certify(conn, rng, rng.choice(alive), finish=finish)
            elif action < 0.72 and by_status["accepted"]:
                chosen = rng.choice(by_status["accepted"])
                assert await reviews.revoke(conn, chosen, 9001, "같은 사진", NOW)
                reviewed.add(chosen)
            elif action < 0.80 and by_status["revoked"]:
                assert await reviews.restore(conn, rng.choice(by_status["revoked"]), 9001, NOW)
            elif action < 0.83 and len(alive) > PEOPLE // 2:
                assert await privacy.erase(conn, rng.choice(alive), NOW)
            elif action < 0.88 and alive:
                status = rng.choice(("rejected", "approved", "approved", "pending"))
                await conn.execute(
                    "UPDATE participants SET status = ? WHERE user_id = ?",
                    (status, rng.choice(alive)),
                )
            elif action < 0.94:
                unreviewed = [i for i in by_status["accepted"] if i not in reviewed]
                if unreviewed:
                    await conn.execute(
                        "DELETE FROM certifications WHERE id = ?", (rng.choice(unreviewed),)
                    )
            elif by_status["accepted"]:  # a certification moved to another day
                await conn.execute(
                    "UPDATE certifications SET campaign_day = date(campaign_day, '+1 day') "
                    "WHERE id = ?",
                    (rng.choice(by_status["accepted"]),),
                )
    assert len(people) == PEOPLE


# ---- The reference: plain GROUP BY queries over every certification ------------------------


@dataclass(frozen=True)
class DayCount:
    user_id: int
    day: date
    count: int


async def plain_approved_counts(conn, round_name: str) -> list[ParticipantCounts]:
    cursor = await conn.execute(
        """
        SELECT p.user_id, COALESCE(p.full_name, p.telegram_name) AS name,
               COALESCE(SUM(c.round_name = ?), 0) AS in_round, COUNT(c.id) AS total
        FROM participants p
        LEFT JOIN certifications c ON c.participant_id = p.user_id AND c.status = 'accepted'
        WHERE p.status = 'approved'
        GROUP BY p.user_id
        ORDER BY p.user_id
        """,
        (round_name,),
    )
    return [
        ParticipantCounts(r[0], r[1] or "", int(r[2]), int(r[3])) for r in await cursor.fetchall()
    ]


async def plain_day_counts(conn, round_name: str) -> list[DayCount]:
    cursor = await conn.execute(
        """
        SELECT participant_id, campaign_day, COUNT(*) FROM certifications
        WHERE status = 'accepted' AND round_name = ? AND campaign_day IS NOT NULL
        GROUP BY participant_id, campaign_day
        ORDER BY participant_id, campaign_day
        """,
        (round_name,),
    )
    return [DayCount(r[0], date.fromisoformat(r[1]), int(r[2])) for r in await cursor.fetchall()]


async def plain_day_totals(conn, round_name: str, through: date) -> dict[date, int]:
    cursor = await conn.execute(
        """
        SELECT c.campaign_day, COUNT(*) FROM certifications c
        JOIN participants p ON p.user_id = c.participant_id AND p.status = 'approved'
        WHERE c.round_name = ? AND c.status = 'accepted' AND c.campaign_day <= ?
        GROUP BY c.campaign_day
        """,
        (round_name, through.isoformat()),
    )
    return {date.fromisoformat(r[0]): int(r[1]) for r in await cursor.fetchall()}


async def plain_round_counts(conn, round_name: str, through: date) -> list[ParticipantCounts]:
    cursor = await conn.execute(
        """
        SELECT c.participant_id, COALESCE(p.full_name, p.telegram_name) AS name, COUNT(*) AS n
        FROM certifications c
        JOIN participants p ON p.user_id = c.participant_id AND p.status = 'approved'
        WHERE c.round_name = ? AND c.status = 'accepted' AND c.campaign_day <= ?
        GROUP BY c.participant_id
        ORDER BY n DESC, c.participant_id
        """,
        (round_name, through.isoformat()),
    )
    return [
        ParticipantCounts(r[0], r[1] or "", int(r[2]), int(r[2])) for r in await cursor.fetchall()
    ]


async def plain_totals_at_least(conn, minimum: int) -> list[ParticipantCounts]:
    cursor = await conn.execute(
        """
        SELECT c.participant_id, COALESCE(p.full_name, p.telegram_name) AS name, COUNT(*) AS n
        FROM certifications c
        JOIN participants p ON p.user_id = c.participant_id AND p.status = 'approved'
        WHERE c.status = 'accepted'
        GROUP BY c.participant_id HAVING n >= ?
        ORDER BY c.participant_id
        """,
        (minimum,),
    )
    return [
        ParticipantCounts(r[0], r[1] or "", int(r[2]), int(r[2])) for r in await cursor.fetchall()
    ]


def longest_streak(days: set[date]) -> int:
    best = 0
    for day in days:
        if day - timedelta(days=1) in days:
            continue
        length = 1
        while day + timedelta(days=length) in days:
            length += 1
        best = max(best, length)
    return best


async def plain_contenders(
    conn, round_name: str, through: date, limit: int
) -> list[tuple[ParticipantCounts, int]]:
    counted = await plain_round_counts(conn, round_name, through)
    if not counted:
        return []
    cutoff = counted[min(limit, len(counted)) - 1].in_round
    days: dict[int, set[date]] = defaultdict(set)
    for row in await plain_day_counts(conn, round_name):
        if row.day <= through:
            days[row.user_id].add(row.day)
    return [(p, longest_streak(days[p.user_id])) for p in counted if p.in_round >= cutoff]


async def plain_figures(conn, round_, through: date) -> RoundFigures:
    per_day = await plain_day_totals(conn, round_.name, through)
    chart_days = [
        d for d in (round_.start + timedelta(days=i) for i in range(round_.days)) if d <= through
    ]
    return RoundFigures(
        len(await plain_round_counts(conn, round_.name, through)),
        sum(per_day.values()),
        chart_days,
        [per_day.get(d, 0) for d in chart_days],
    )


PLAIN_TALLIES = {
    "tally_person_days": (
        "SELECT round_name, participant_id, campaign_day, COUNT(*) FROM certifications "
        "WHERE status = 'accepted' AND campaign_day IS NOT NULL "
        "GROUP BY round_name, participant_id, campaign_day"
    ),
    "tally_person_rounds": (
        "SELECT round_name, participant_id, COUNT(*) FROM certifications "
        "WHERE status = 'accepted' AND campaign_day IS NOT NULL "
        "GROUP BY round_name, participant_id"
    ),
    "tally_round_days": (
        "SELECT round_name, campaign_day, COUNT(*) FROM certifications "
        "WHERE status = 'accepted' AND campaign_day IS NOT NULL "
        "GROUP BY round_name, campaign_day"
    ),
}


async def _rows(conn, sql: str) -> set[tuple]:
    cursor = await conn.execute(sql)
    return {tuple(row) for row in await cursor.fetchall()}


async def _assert_tallies_are_exact(conn) -> None:
    for table, plain in PLAIN_TALLIES.items():
        assert await _rows(conn, f"SELECT * FROM {table}") == await _rows(conn, plain), table


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_tallies_equal_the_plain_counts_after_any_history(db, campaign, seed):
    await _random_history(db, seed)
    round_ = campaign.round_named(ROUND)
    async with db.transaction() as conn:
        await _assert_tallies_are_exact(conn)
        history = dict(await _rows(conn, "SELECT status, COUNT(*) FROM certifications GROUP BY 1"))
        assert history.get("accepted", 0) > 20 and history.get("revoked", 0) > 0  # a real mix
        for through in (ROUND_START + timedelta(days=4), round_.end):
            assert await stats.round_day_totals(conn, ROUND, through) == await plain_day_totals(
                conn, ROUND, through
            )
            assert await stats.round_person_counts(
                conn, ROUND, through
            ) == await plain_round_counts(conn, ROUND, through)
            everyone = [p.user_id for p in await plain_round_counts(conn, ROUND, round_.end)]
            days: dict[int, set[date]] = defaultdict(set)
            for row in await plain_day_counts(conn, ROUND):
                if row.day <= through:
                    days[row.user_id].add(row.day)
            streaks = await stats.longest_streaks(conn, ROUND, everyone, through)
            assert streaks == {u: longest_streak(d) for u, d in days.items() if u in everyone}
            # What each person's mid or final report reads.
            per_person: dict[int, dict[date, int]] = defaultdict(dict)
            for row in await plain_day_counts(conn, ROUND):
                if row.day <= through:
                    per_person[row.user_id][row.day] = row.count
            assert await stats.day_counts(conn, ROUND, through) == per_person
            for limit in (1, 3, 20):
                mine = await ranked_contenders(conn, ROUND, through, limit)
                assert mine == await plain_contenders(conn, ROUND, through, limit)
        for name in (ROUND, EARLIER):
            assert await stats.approved_counts(conn, name) == await plain_approved_counts(
                conn, name
            )
        for minimum in (1, 3, 6):
            assert await stats.totals_at_least(conn, minimum) == await plain_totals_at_least(
                conn, minimum
            )
        activity = await stored_exports.round_activity(conn, ROUND)
        plain = await _rows(
            conn,
            "SELECT participant_id, campaign_day, COUNT(*) FROM certifications "
            f"WHERE status = 'accepted' AND round_name = '{ROUND}' AND campaign_day IS NOT NULL "
            "GROUP BY participant_id, campaign_day",
        )
        assert {(p.user_id, d.isoformat(), n) for p in activity for d, n in p.days} == plain
        for person in activity:
            assert [d for d, _ in person.days] == sorted(d for d, _ in person.days)
    lowest = min(m.count for m in campaign.milestones)
    for day in (ROUND_START + timedelta(days=5), round_.end + timedelta(days=1)):
        due = DueReport("stats", round_, day)
        async with db.transaction() as conn:
            plain = await plain_figures(conn, round_, due.through)
            assert await round_figures(conn, round_, due.through) == plain
            top = await plain_contenders(conn, ROUND, due.through, 5)
            reached = await plain_totals_at_least(conn, lowest)
        report = await round_summary(db, campaign, due)  # the leaders' mid or final report
        assert report.figures == plain
        assert [t.user_id for t in report.top] == [
            p.user_id
            for p, streak in sorted(top, key=lambda t: (-t[0].in_round, -t[1], t[0].user_id))
        ][:5]
        assert {n for r in report.rewards for n in r.names} == {p.name for p in reached}


async def test_an_erased_persons_counts_move_to_the_anonymous_row(db):
    async with db.transaction() as conn:
        await _setup(conn)
        rng = random.Random(7)
        for _ in range(5):
            await _certify(conn, rng, 1001, finish="accepted")
        assert await privacy.erase(conn, 1001, NOW)
        cursor = await conn.execute("SELECT DISTINCT participant_id FROM tally_person_rounds")
        owners = {row[0] for row in await cursor.fetchall()}
        await _assert_tallies_are_exact(conn)
    assert owners == {-1}  # the anonymous row keeps the counts; 1001 holds none


async def test_migration_0010_counts_certifications_made_before_it(tmp_path):
    database = await open_old_database(
        tmp_path / "before.sqlite3",
        "0010_tallies",
        [
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1, 'approved', 'x', 'x'), (2, 'approved', 'x', 'x')",
            "INSERT INTO missions (kind, round_name, title, start_date, days, created_at) "
            "VALUES ('standing', '3차', 't', '2027-08-16', 50, 'x')",
            *[
                (
                    "INSERT INTO certifications (participant_id, mission_id, round_name, "
                    "campaign_day, status, created_at) VALUES (?, 1, '3차', ?, ?, 'x')",
                    certification,
                )
                for certification in [
                    (1, "2027-08-16", "accepted"),
                    (1, "2027-08-16", "accepted"),
                    (1, "2027-08-17", "revoked"),
                    (2, "2027-08-17", "accepted"),
                    (2, None, "awaiting_start"),
                ]
            ],
        ],
    )
    try:
        async with database.transaction() as db_conn:
            await _assert_tallies_are_exact(db_conn)
            rows = await _rows(db_conn, "SELECT * FROM tally_person_days")
        assert rows == {("3차", 1, "2027-08-16", 2), ("3차", 2, "2027-08-17", 1)}
    finally:
        await database.close()
