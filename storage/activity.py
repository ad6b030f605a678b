"""The campaign's activity as the leaders look it over (the console): a day's certifications
with their photos, the participants' table, one person's days, and the risk reports' map."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from storage.clock import from_text
from storage.connection import Connection, Cursor


async def _count(cursor: Cursor) -> int:
    row = await cursor.fetchone()
    return 0 if row is None else int(row[0])


@dataclass(frozen=True)
class DayCertification:
    id: int
    participant_id: int
    name: str
    mission: str
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    note: str | None
    roles: tuple[str, ...]  # the photos stored: "start", "end"
    revoke_reason: str | None


async def certifications_on(
    conn: Connection, day: date, limit: int, offset: int = 0
) -> tuple[int, list[DayCertification]]:
    """Accepted and revoked certifications of a campaign day, newest first, and their count."""
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM certifications WHERE campaign_day = ? "
        "AND status IN ('accepted', 'revoked')",
        (day.isoformat(),),
    )
    total = await _count(cursor)
    # The page's ids first (from the day's index), then the details of those few only.
    cursor = await conn.execute(
        """
        WITH page AS (
            SELECT id FROM certifications
            WHERE campaign_day = ? AND status IN ('accepted', 'revoked')
            ORDER BY ended_at DESC, id DESC
            LIMIT ? OFFSET ?
        )
        SELECT c.id, c.participant_id, COALESCE(p.full_name, p.telegram_name, '') AS name,
               m.title, c.status, c.started_at, c.ended_at, c.note,
               (SELECT group_concat(role) FROM photos f WHERE f.certification_id = c.id) AS roles,
               (SELECT reason FROM certification_reviews r WHERE r.certification_id = c.id
                ORDER BY r.id DESC LIMIT 1) AS reason
        FROM page
        JOIN certifications c ON c.id = page.id
        JOIN participants p ON p.user_id = c.participant_id
        JOIN missions m ON m.id = c.mission_id
        ORDER BY c.ended_at DESC, c.id DESC
        """,
        (day.isoformat(), limit, offset),
    )
    found = [
        DayCertification(
            id=row[0],
            participant_id=row[1],
            name=row[2],
            mission=row[3],
            status=row[4],
            started_at=from_text(row[5]),
            ended_at=from_text(row[6]),
            note=row[7],
            roles=tuple(sorted((row[8] or "").split(","), reverse=True)) if row[8] else (),
            revoke_reason=row[9] if row[4] == "revoked" else None,
        )
        for row in await cursor.fetchall()
    ]
    return total, found


async def photo_file(conn: Connection, certification_id: int, role: str) -> tuple[str, int] | None:
    """The Telegram file id of a certification's start or end photo, and whose it is."""
    cursor = await conn.execute(
        "SELECT file_id, sender_id FROM photos WHERE certification_id = ? AND role = ?",
        (certification_id, role),
    )
    row = await cursor.fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


@dataclass(frozen=True)
class TableRow:
    user_id: int
    name: str
    status: str
    paused: bool
    category: str | None
    affiliation: str | None
    neighbourhood: str | None
    has_volunteer_id: bool
    in_round: int
    total: int
    handed_out: int


# What the table may be sorted by (the client names a column; only these reach the SQL).
SORTS = {
    "name": "name COLLATE NOCASE",
    "category": "p.category",
    "affiliation": "p.affiliation",
    "neighbourhood": "p.neighbourhood",
    "status": "p.status",
    "round": "in_round",
    "total": "total",
}
STATUSES = ("pending", "approved", "rejected", "paused")


async def participants_table(
    conn: Connection,
    round_name: str,
    rounds: tuple[str, ...],
    *,
    search: str = "",
    status: str = "",
    category: str = "",
    missing_id: bool = False,
    sort: str = "name",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[TableRow]]:
    """One page of the participants (not visitors or half-filled applications) and the count
    matching the filters."""
    where = ["p.status IN ('pending', 'approved', 'rejected')"]
    args: list[object] = []
    if search:
        where.append(
            "(p.full_name LIKE ? ESCAPE '\\' OR p.telegram_name LIKE ? ESCAPE '\\' "
            "OR p.username LIKE ? ESCAPE '\\' OR CAST(p.user_id AS TEXT) = ?)"
        )
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        args += [pattern, pattern, pattern, search]
    if status == "paused":
        where.append("p.status = 'approved' AND p.paused = 1")
    elif status in STATUSES:
        where.append("p.status = ?")
        args.append(status)
    if category:
        where.append("p.category = ?")
        args.append(category)
    if missing_id:
        where.append("(p.volunteer_id IS NULL OR p.volunteer_id = '')")
    condition = " AND ".join(where)
    cursor = await conn.execute(f"SELECT COUNT(*) FROM participants p WHERE {condition}", args)
    total = await _count(cursor)
    order = SORTS.get(sort, SORTS["name"])
    direction = "DESC" if descending else "ASC"
    columns = (
        "p.user_id, COALESCE(p.full_name, p.telegram_name, '') AS name, p.status, p.paused, "
        "p.category, p.affiliation, p.neighbourhood, p.volunteer_id"
    )
    counted: dict[int, tuple[int, int]] = {}  # user id: (this round, all rounds)
    if sort in ("round", "total"):
        # Sorting by a count: everyone's counts in one pass over the per-round tallies.
        cursor = await conn.execute(
            f"""
            WITH t AS MATERIALIZED (
                SELECT participant_id, SUM(accepted) AS total,
                       SUM(CASE WHEN round_name = ? THEN accepted ELSE 0 END) AS in_round
                FROM tally_person_rounds GROUP BY participant_id
            )
            SELECT {columns}, COALESCE(t.in_round, 0) AS in_round, COALESCE(t.total, 0) AS total
            FROM participants p LEFT JOIN t ON t.participant_id = p.user_id
            WHERE {condition}
            ORDER BY {order} {direction}, p.user_id
            LIMIT ? OFFSET ?
            """,
            [round_name, *args, limit, offset],
        )
        found = list(await cursor.fetchall())
        counted = {int(row[0]): (int(row[8]), int(row[9])) for row in found}
    else:
        # The page first, then the counts of those few people from the tallies' key.
        cursor = await conn.execute(
            f"SELECT {columns} FROM participants p WHERE {condition} "
            f"ORDER BY {order} {direction}, p.user_id LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        found = list(await cursor.fetchall())
        cursor = await conn.execute(
            """
            SELECT participant_id, SUM(CASE WHEN round_name = ? THEN accepted ELSE 0 END),
                   SUM(accepted)
            FROM tally_person_rounds
            WHERE round_name IN (SELECT value FROM json_each(?))
              AND participant_id IN (SELECT value FROM json_each(?))
            GROUP BY participant_id
            """,
            (round_name, json.dumps(list(rounds)), json.dumps([row[0] for row in found])),
        )
        counted = {int(row[0]): (int(row[1]), int(row[2])) for row in await cursor.fetchall()}
    cursor = await conn.execute(
        "SELECT participant_id, COUNT(*) FROM reward_handouts "
        "WHERE participant_id IN (SELECT value FROM json_each(?)) GROUP BY participant_id",
        (json.dumps([row[0] for row in found]),),
    )
    handed = {int(row[0]): int(row[1]) for row in await cursor.fetchall()}
    rows = [
        TableRow(
            user_id=row[0],
            name=row[1],
            status=row[2],
            paused=bool(row[3]),
            category=row[4],
            affiliation=row[5],
            neighbourhood=row[6],
            has_volunteer_id=bool(row[7]),
            in_round=counted.get(int(row[0]), (0, 0))[0],
            total=counted.get(int(row[0]), (0, 0))[1],
            handed_out=handed.get(int(row[0]), 0),
        )
        for row in found
    ]
    return total, rows


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    day: date | None
    mission: str
    status: str
    note: str | None


async def history(conn: Connection, participant_id: int, limit: int = 100) -> list[HistoryEntry]:
    """A person's accepted and revoked certifications, newest first."""
    cursor = await conn.execute(
        """
        SELECT c.id, c.campaign_day, m.title, c.status, c.note
        FROM certifications c JOIN missions m ON m.id = c.mission_id
        WHERE c.participant_id = ? AND c.status IN ('accepted', 'revoked')
        ORDER BY c.campaign_day DESC, c.id DESC LIMIT ?
        """,
        (participant_id, limit),
    )
    return [
        HistoryEntry(row[0], date.fromisoformat(row[1]) if row[1] else None, row[2], row[3], row[4])
        for row in await cursor.fetchall()
    ]


async def certified_days(conn: Connection, participant_id: int, round_name: str) -> dict[date, int]:
    cursor = await conn.execute(
        "SELECT campaign_day, accepted FROM tally_person_days "
        "WHERE round_name = ? AND participant_id = ?",
        (round_name, participant_id),
    )
    return {date.fromisoformat(row[0]): int(row[1]) for row in await cursor.fetchall()}


async def new_risk_count(conn: Connection) -> int:
    cursor = await conn.execute("SELECT COUNT(*) FROM risk_reports WHERE status = 'submitted'")
    return await _count(cursor)


async def risk_reports(
    conn: Connection, statuses: tuple[str, ...], category: str = "", limit: int = 2000
) -> list[sqlite3.Row]:
    """Submitted-or-later reports with these statuses (newest first), as rows for the map."""
    marks = ",".join("?" for _ in statuses) or "NULL"
    args: list[object] = list(statuses)
    condition = f"r.status IN ({marks})"
    if category:
        condition += " AND r.category = ?"
        args.append(category)
    cursor = await conn.execute(
        f"""
        SELECT r.id, r.status, r.category, r.latitude, r.longitude, r.address, r.description,
               r.agency, r.photo_file_id IS NOT NULL AS has_photo, r.submitted_at,
               COALESCE(p.full_name, p.telegram_name, '') AS name
        FROM risk_reports r LEFT JOIN participants p ON p.user_id = r.reporter_id
        WHERE {condition}
        ORDER BY r.submitted_at DESC, r.id DESC LIMIT ?
        """,
        [*args, limit],
    )
    return list(await cursor.fetchall())


async def risk_photo(conn: Connection, report_id: int) -> str | None:
    cursor = await conn.execute(
        "SELECT photo_file_id FROM risk_reports WHERE id = ? AND status != 'draft'",
        (report_id,),
    )
    row = await cursor.fetchone()
    return None if row is None or row[0] is None else str(row[0])
