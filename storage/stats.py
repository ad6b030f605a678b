"""Counts for the leaders' /stats and /top and the mid and final reports: participants by
status, category and reachability, the day's certifications, and a round's counts read from
the tallies that triggers keep (migration 0010) instead of grouping every certification
(revoked ones never count)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from storage.connection import Connection
from storage.reports import ParticipantCounts
from storage.rows import only_row


@dataclass(frozen=True)
class GroupCount:
    status: str
    category: str | None
    active: bool
    count: int


async def participants_by_group(conn: Connection) -> list[GroupCount]:
    cursor = await conn.execute(
        "SELECT status, category, active, COUNT(*) FROM participants "
        "WHERE status != 'visitor' GROUP BY status, category, active"
    )
    return [
        GroupCount(row[0], row[1], bool(row[2]), int(row[3])) for row in await cursor.fetchall()
    ]


async def accepted_on(conn: Connection, day: date) -> int:
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM certifications WHERE status = 'accepted' AND campaign_day = ?",
        (day.isoformat(),),
    )
    return int((await only_row(cursor))[0])


async def milestones_announced(conn: Connection) -> dict[int, int]:
    """How many participants reached each milestone count (announced, so once each)."""
    cursor = await conn.execute(
        "SELECT count, COUNT(*) FROM milestone_announcements GROUP BY count"
    )
    return {int(row[0]): int(row[1]) for row in await cursor.fetchall()}


async def useful_reports(conn: Connection) -> dict[int, int]:
    """Risk reports per reporter that leaders forwarded or resolved (the /top tie-breaker)."""
    cursor = await conn.execute(
        "SELECT reporter_id, COUNT(*) FROM risk_reports "
        "WHERE status IN ('forwarded', 'resolved') GROUP BY reporter_id"
    )
    return {int(row[0]): int(row[1]) for row in await cursor.fetchall()}


# ---- A round's counts, from the tallies (migration 0010) -------------------------------------
# Each answers exactly what a plain GROUP BY over the certifications answers (a test replays
# accepts, revokes, restores and erasures and compares with those queries), in milliseconds.


async def round_day_totals(conn: Connection, round_name: str, through: date) -> dict[date, int]:
    """Accepted certifications of approved participants per campaign day, up to ``through``."""
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
    conn: Connection, round_name: str, through: date
) -> list[ParticipantCounts]:
    """Approved participants with accepted certifications in the round up to ``through``, most
    first (``total`` is the round count too)."""
    if not await _later_days(conn, round_name, through):  # the usual case
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


async def _later_days(conn: Connection, round_name: str, through: date) -> bool:
    """Whether the round has accepted certifications after ``through`` (a report about an
    earlier part of the round): then the per-person counters cannot be used as they are."""
    cursor = await conn.execute(
        "SELECT 1 FROM tally_round_days WHERE round_name = ? AND campaign_day > ? LIMIT 1",
        (round_name, through.isoformat()),
    )
    return await cursor.fetchone() is not None


async def round_certified(conn: Connection, round_name: str, through: date) -> int:
    """How many approved participants have accepted certifications in the round up to
    ``through`` (``len(round_person_counts(...))`` without reading everyone's row)."""
    if await _later_days(conn, round_name, through):
        return len(await round_person_counts(conn, round_name, through))
    cursor = await conn.execute(
        """
        SELECT (SELECT COUNT(*) FROM tally_person_rounds WHERE round_name = ?)
             - (SELECT COUNT(*) FROM participants p
                CROSS JOIN tally_person_rounds t
                  ON t.round_name = ? AND t.participant_id = p.user_id
                WHERE p.status != 'approved')
        """,
        (round_name, round_name),
    )
    return int((await only_row(cursor))[0])


async def round_leaders(
    conn: Connection, round_name: str, through: date, limit: int
) -> list[ParticipantCounts]:
    """The approved participants who can make the top ``limit`` of the round up to
    ``through`` (everyone tied at the cut-off included), most first: the head of
    ``round_person_counts`` without reading everyone's row."""
    if await _later_days(conn, round_name, through):
        counted = await round_person_counts(conn, round_name, through)
        if not counted or limit < 1:
            return []
        cutoff = counted[min(limit, len(counted)) - 1].in_round
        return [p for p in counted if p.in_round >= cutoff]
    # The biggest counts first from the index, skipping people no longer approved; with fewer
    # than ``limit`` people, the smallest count is the cut-off.
    cursor = await conn.execute(
        """
        SELECT t.accepted FROM tally_person_rounds t
        JOIN participants p ON p.user_id = t.participant_id AND p.status = 'approved'
        WHERE t.round_name = ?
        ORDER BY t.accepted DESC LIMIT ?
        """,
        (round_name, max(limit, 0)),
    )
    counts = list(await cursor.fetchall())
    if not counts:
        return []
    cursor = await conn.execute(
        """
        SELECT t.participant_id, COALESCE(p.full_name, p.telegram_name), t.accepted AS n
        FROM tally_person_rounds t
        JOIN participants p ON p.user_id = t.participant_id AND p.status = 'approved'
        WHERE t.round_name = ? AND t.accepted >= ?
        ORDER BY n DESC, t.participant_id
        """,
        (round_name, int(counts[-1][0])),
    )
    return [
        ParticipantCounts(row[0], row[1] or "", int(row[2]), int(row[2]))
        for row in await cursor.fetchall()
    ]


async def longest_streaks(
    conn: Connection, round_name: str, user_ids: Iterable[int], through: date
) -> dict[int, int]:
    """Each given participant's longest run of consecutive campaign days of the round with an
    accepted certification, up to ``through`` (absent: no such day). One row per person comes
    back, their days packed in one text; each distinct day is parsed once."""
    cursor = await conn.execute(
        """
        SELECT participant_id, group_concat(campaign_day) FROM tally_person_days
        WHERE round_name = ? AND participant_id IN (SELECT value FROM json_each(?))
          AND campaign_day <= ?
        GROUP BY participant_id
        """,
        (round_name, json.dumps(sorted(set(user_ids))), through.isoformat()),
    )
    ordinals: dict[str, int] = {}
    streaks = {}
    for user_id, packed in await cursor.fetchall():
        days = []
        for text in packed.split(","):
            ordinal = ordinals.get(text)
            if ordinal is None:
                ordinal = ordinals[text] = date.fromisoformat(text).toordinal()
            days.append(ordinal)
        days.sort()
        best = run = 1
        for previous, day in pairwise(days):
            run = run + 1 if day == previous + 1 else 1
            best = max(best, run)
        streaks[int(user_id)] = best
    return streaks


async def totals_at_least(conn: Connection, minimum: int) -> list[ParticipantCounts]:
    """Approved participants whose accepted certifications in all rounds reach ``minimum``,
    by user id (who has earned a reward)."""
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


async def approved_counts(conn: Connection, round_name: str) -> list[ParticipantCounts]:
    """Every approved participant (reachable or not), with their accepted certifications in
    the round and in all rounds, by user id."""
    cursor = await conn.execute(
        """
        WITH t AS (
            SELECT participant_id, SUM(accepted) AS total,
                   SUM(CASE WHEN round_name = ? THEN accepted ELSE 0 END) AS in_round
            FROM tally_person_rounds GROUP BY participant_id
        )
        SELECT p.user_id, COALESCE(p.full_name, p.telegram_name),
               COALESCE(t.in_round, 0), COALESCE(t.total, 0)
        FROM participants p
        LEFT JOIN t ON t.participant_id = p.user_id
        WHERE p.status = 'approved'
        ORDER BY p.user_id
        """,
        (round_name,),
    )
    return [
        ParticipantCounts(row[0], row[1] or "", int(row[2]), int(row[3]))
        for row in await cursor.fetchall()
    ]


async def day_counts(
    conn: Connection, round_name: str, through: date
) -> dict[int, dict[date, int]]:
    """Accepted certifications per participant and campaign day of the round up to
    ``through``: {user id: {day: count}} (absent: no accepted certification)."""
    cursor = await conn.execute(
        """
        SELECT participant_id, campaign_day, accepted FROM tally_person_days
        WHERE round_name = ? AND campaign_day <= ?
        ORDER BY participant_id, campaign_day
        """,
        (round_name, through.isoformat()),
    )
    # Hundreds of thousands of rows over some 50 days: each day's text is parsed once.
    days: dict[str, date] = {}
    found: dict[int, dict[date, int]] = {}
    for user_id, text, count in await cursor.fetchall():
        day = days.get(text)
        if day is None:
            day = days[text] = date.fromisoformat(text)
        person = found.get(user_id)
        if person is None:
            person = found[user_id] = {}
        person[day] = count
    return found
