"""Counts for the leaders' /stats and /top: participants by status, category and reachability,
the day's certifications, and a round's counts read from the tallies that triggers keep
(migration 0010) instead of grouping every certification (revoked ones never count)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import aiosqlite

from storage.reports import ParticipantCounts


@dataclass(frozen=True)
class GroupCount:
    status: str
    category: str | None
    active: bool
    count: int


async def participants_by_group(conn: aiosqlite.Connection) -> list[GroupCount]:
    cursor = await conn.execute(
        "SELECT status, category, active, COUNT(*) FROM participants "
        "WHERE status != 'visitor' GROUP BY status, category, active"
    )
    return [
        GroupCount(row[0], row[1], bool(row[2]), int(row[3])) for row in await cursor.fetchall()
    ]


async def accepted_on(conn: aiosqlite.Connection, day: date) -> int:
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM certifications WHERE status = 'accepted' AND campaign_day = ?",
        (day.isoformat(),),
    )
    return int((await cursor.fetchone())[0])


async def milestones_announced(conn: aiosqlite.Connection) -> dict[int, int]:
    """How many participants reached each milestone count (announced, so once each)."""
    cursor = await conn.execute(
        "SELECT count, COUNT(*) FROM milestone_announcements GROUP BY count"
    )
    return {int(row[0]): int(row[1]) for row in await cursor.fetchall()}


async def useful_reports(conn: aiosqlite.Connection) -> dict[int, int]:
    """Risk reports per reporter that leaders forwarded or resolved (the /top tie-breaker)."""
    cursor = await conn.execute(
        "SELECT reporter_id, COUNT(*) FROM risk_reports "
        "WHERE status IN ('forwarded', 'resolved') GROUP BY reporter_id"
    )
    return {int(row[0]): int(row[1]) for row in await cursor.fetchall()}


# ---- A round's counts, from the tallies (migration 0010) -------------------------------------
# Each answers exactly what the plain query over certifications in storage.reports answers (a
# test replays accepts, revokes, restores and erasures and compares), in milliseconds.


async def round_day_totals(
    conn: aiosqlite.Connection, round_name: str, through: date
) -> dict[date, int]:
    """Accepted certifications of approved participants per campaign day, up to ``through``
    (``reports.day_totals``)."""
    cursor = await conn.execute(
        "SELECT campaign_day, accepted FROM tally_round_days "
        "WHERE round_name = ? AND campaign_day <= ?",
        (round_name, through.isoformat()),
    )
    totals = {row[0]: int(row[1]) for row in await cursor.fetchall()}
    # The round's counters hold everyone; take away people who are no longer approved (erased,
    # rejected): few, each found by the counters' key (CROSS JOIN: people first, not counters).
    cursor = await conn.execute(
        """
        SELECT d.campaign_day, SUM(d.accepted) FROM participants p
        CROSS JOIN tally_person_days d ON d.round_name = ? AND d.participant_id = p.user_id
        WHERE p.status != 'approved' AND d.campaign_day <= ?
        GROUP BY d.campaign_day
        """,
        (round_name, through.isoformat()),
    )
    for day, count in await cursor.fetchall():
        totals[day] -= int(count)
    return {date.fromisoformat(day): n for day, n in totals.items() if n > 0}


async def round_person_counts(
    conn: aiosqlite.Connection, round_name: str, through: date
) -> list[ParticipantCounts]:
    """Approved participants with accepted certifications in the round up to ``through``, most
    first (``reports.round_counts``; ``total`` is the round count too)."""
    cursor = await conn.execute(
        "SELECT 1 FROM tally_round_days WHERE round_name = ? AND campaign_day > ? LIMIT 1",
        (round_name, through.isoformat()),
    )
    if await cursor.fetchone() is None:  # the usual case: nothing after ``through`` yet
        cursor = await conn.execute(
            """
            SELECT t.participant_id, COALESCE(p.full_name, p.telegram_name), t.accepted AS n
            FROM tally_person_rounds t
            JOIN participants p ON p.user_id = t.participant_id AND p.status = 'approved'
            WHERE t.round_name = ?
            ORDER BY n DESC, t.participant_id
            """,
            (round_name,),
        )
    else:  # a report about an earlier part of the round: add up the days
        cursor = await conn.execute(
            """
            SELECT d.participant_id, COALESCE(p.full_name, p.telegram_name), SUM(d.accepted) AS n
            FROM tally_person_days d
            JOIN participants p ON p.user_id = d.participant_id AND p.status = 'approved'
            WHERE d.round_name = ? AND d.campaign_day <= ?
            GROUP BY d.participant_id
            ORDER BY n DESC, d.participant_id
            """,
            (round_name, through.isoformat()),
        )
    return [
        ParticipantCounts(row[0], row[1] or "", int(row[2]), int(row[2]))
        for row in await cursor.fetchall()
    ]


async def longest_streaks(
    conn: aiosqlite.Connection, round_name: str, user_ids: Iterable[int], through: date
) -> dict[int, int]:
    """Each given participant's longest run of consecutive campaign days of the round with an
    accepted certification, up to ``through`` (absent: no such day). Worked out in SQLite:
    the days of one run share ``day - its rank``; only one number per person comes back."""
    cursor = await conn.execute(
        """
        SELECT participant_id, MAX(length) FROM (
            SELECT participant_id, COUNT(*) AS length FROM (
                SELECT participant_id,
                       julianday(campaign_day)
                       - ROW_NUMBER() OVER (PARTITION BY participant_id ORDER BY campaign_day)
                       AS run
                FROM tally_person_days
                WHERE round_name = ? AND participant_id IN (SELECT value FROM json_each(?))
                  AND campaign_day <= ?
            )
            GROUP BY participant_id, run
        )
        GROUP BY participant_id
        """,
        (round_name, json.dumps(sorted(set(user_ids))), through.isoformat()),
    )
    return {int(row[0]): int(row[1]) for row in await cursor.fetchall()}


async def totals_at_least(conn: aiosqlite.Connection, minimum: int) -> list[ParticipantCounts]:
    """Approved participants whose accepted certifications in all rounds reach ``minimum``
    (``reports.totals_at_least``), by user id."""
    cursor = await conn.execute(
        """
        SELECT t.participant_id, COALESCE(p.full_name, p.telegram_name), SUM(t.accepted) AS n
        FROM tally_person_rounds t
        JOIN participants p ON p.user_id = t.participant_id AND p.status = 'approved'
        GROUP BY t.participant_id HAVING n >= ?
        ORDER BY t.participant_id
        """,
        (minimum,),
    )
    return [
        ParticipantCounts(row[0], row[1] or "", int(row[2]), int(row[2]))
        for row in await cursor.fetchall()
    ]
