"""Risk reports (a participant's draft, then submitted, forwarded, resolved or rejected) and the
trail of steps with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.clock import from_text, moment_from_text, to_text


@dataclass(frozen=True)
class RiskReport:
    id: int
    reporter_id: int
    reporter_name: str
    status: str
    category: str | None
    latitude: float | None
    longitude: float | None
    address: str | None
    photo_file_id: str | None
    photo_kind: str | None
    photo_skipped: bool
    description: str | None
    agency: str | None
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime

    @property
    def has_location(self) -> bool:
        return (self.latitude is not None and self.longitude is not None) or bool(self.address)


@dataclass(frozen=True)
class Step:
    report_id: int
    action: str
    actor_id: int
    actor_name: str
    agency: str | None
    note: str | None
    at: datetime


_SELECT = """
    SELECT r.*, COALESCE(p.full_name, p.telegram_name, '') AS name
    FROM risk_reports r LEFT JOIN participants p ON p.user_id = r.reporter_id
"""


def _report(row: aiosqlite.Row) -> RiskReport:
    return RiskReport(
        id=row["id"],
        reporter_id=row["reporter_id"],
        reporter_name=row["name"],
        status=row["status"],
        category=row["category"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        address=row["address"],
        photo_file_id=row["photo_file_id"],
        photo_kind=row["photo_kind"],
        photo_skipped=bool(row["photo_skipped"]),
        description=row["description"],
        agency=row["agency"],
        created_at=moment_from_text(row["created_at"]),
        submitted_at=from_text(row["submitted_at"]),
        updated_at=moment_from_text(row["updated_at"]),
    )


async def start_draft(conn: aiosqlite.Connection, reporter_id: int, now: datetime) -> int:
    """A fresh draft; an earlier unfinished one (e.g. after /cancel) is thrown away."""
    await conn.execute(
        "DELETE FROM risk_reports WHERE reporter_id = ? AND status = 'draft'", (reporter_id,)
    )
    cursor = await conn.execute(
        "INSERT INTO risk_reports (reporter_id, created_at, updated_at) VALUES (?, ?, ?)",
        (reporter_id, to_text(now), to_text(now)),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def get(conn: aiosqlite.Connection, report_id: int) -> RiskReport | None:
    cursor = await conn.execute(f"{_SELECT} WHERE r.id = ?", (report_id,))
    row = await cursor.fetchone()
    return None if row is None else _report(row)


async def draft_of(conn: aiosqlite.Connection, reporter_id: int) -> RiskReport | None:
    cursor = await conn.execute(
        f"{_SELECT} WHERE r.reporter_id = ? AND r.status = 'draft' ORDER BY r.id DESC LIMIT 1",
        (reporter_id,),
    )
    row = await cursor.fetchone()
    return None if row is None else _report(row)


_DRAFT_FIELDS = (
    "category",
    "latitude",
    "longitude",
    "address",
    "photo_file_id",
    "photo_kind",
    "photo_skipped",
    "description",
)


async def set_fields(
    conn: aiosqlite.Connection, report_id: int, now: datetime, **values: object
) -> None:
    unknown = set(values) - set(_DRAFT_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    assignments = ", ".join(f"{name} = ?" for name in values)
    await conn.execute(
        f"UPDATE risk_reports SET {assignments}, updated_at = ? WHERE id = ? AND status = 'draft'",
        (*values.values(), to_text(now), report_id),
    )


async def change_status(
    conn: aiosqlite.Connection,
    report_id: int,
    status: str,
    actor_id: int,
    now: datetime,
    *,
    agency: str | None = None,
    note: str | None = None,
) -> None:
    """Move the report on and record the step (who, when, agency or note)."""
    if status == "submitted":
        await conn.execute(
            "UPDATE risk_reports SET status = ?, submitted_at = ?, updated_at = ? WHERE id = ?",
            (status, to_text(now), to_text(now), report_id),
        )
    else:
        await conn.execute(
            "UPDATE risk_reports SET status = ?, agency = COALESCE(?, agency), updated_at = ? "
            "WHERE id = ?",
            (status, agency, to_text(now), report_id),
        )
    await conn.execute(
        "INSERT INTO risk_report_steps (report_id, action, actor_id, agency, note, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (report_id, status, actor_id, agency, note, to_text(now)),
    )


async def steps(conn: aiosqlite.Connection, report_id: int) -> list[Step]:
    cursor = await conn.execute(
        """
        SELECT s.*, COALESCE(p.full_name, p.telegram_name, '') AS name
        FROM risk_report_steps s LEFT JOIN participants p ON p.user_id = s.actor_id
        WHERE s.report_id = ? ORDER BY s.id
        """,
        (report_id,),
    )
    return [
        Step(
            report_id=row["report_id"],
            action=row["action"],
            actor_id=row["actor_id"],
            actor_name=row["name"],
            agency=row["agency"],
            note=row["note"],
            at=moment_from_text(row["at"]),
        )
        for row in await cursor.fetchall()
    ]


async def submitted(conn: aiosqlite.Connection) -> list[RiskReport]:
    """Every report past its draft, oldest first (what the export lists)."""
    cursor = await conn.execute(f"{_SELECT} WHERE r.status != 'draft' ORDER BY r.id")
    return [_report(row) for row in await cursor.fetchall()]


async def last_note(conn: aiosqlite.Connection, report_id: int) -> str | None:
    cursor = await conn.execute(
        "SELECT note FROM risk_report_steps WHERE report_id = ? AND note IS NOT NULL "
        "ORDER BY id DESC LIMIT 1",
        (report_id,),
    )
    row = await cursor.fetchone()
    return None if row is None else row["note"]
