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
    noticed: int = 1
    merged_into: int | None = None
    nearby_id: int | None = None
    area: str | None = None
    forwarded_at: datetime | None = None
    checked_at: datetime | None = None
    resolved_at: datetime | None = None
    patrol_id: int | None = None

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
        noticed=row["noticed"],
        merged_into=row["merged_into"],
        nearby_id=row["nearby_id"],
        area=row["area"],
        forwarded_at=from_text(row["forwarded_at"]),
        checked_at=from_text(row["checked_at"]),
        resolved_at=from_text(row["resolved_at"]),
        patrol_id=row["patrol_id"],
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
    "nearby_id",
    "address_key",
    "area",
    "patrol_id",
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
        # The date a step happened is what the weekly list of silent reports and the handoff go by.
        stamp = {"forwarded": "forwarded_at", "resolved": "resolved_at"}.get(status)
        extra = f", {stamp} = ?" if stamp else ""
        await conn.execute(
            "UPDATE risk_reports SET status = ?, agency = COALESCE(?, agency), updated_at = ?"
            f"{extra} WHERE id = ?",
            (status, agency, to_text(now), *((to_text(now),) if stamp else ()), report_id),
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
    """Every report past its draft and not merged into another, oldest first (the export)."""
    cursor = await conn.execute(
        f"{_SELECT} WHERE r.status NOT IN ('draft', 'merged') ORDER BY r.id"
    )
    return [_report(row) for row in await cursor.fetchall()]


async def last_note(conn: aiosqlite.Connection, report_id: int) -> str | None:
    cursor = await conn.execute(
        "SELECT note FROM risk_report_steps WHERE report_id = ? AND note IS NOT NULL "
        "ORDER BY id DESC LIMIT 1",
        (report_id,),
    )
    row = await cursor.fetchone()
    return None if row is None else row["note"]


# ---- one report per place ---------------------------------------------------------------------

OPEN = "('submitted', 'forwarded')"


@dataclass(frozen=True)
class Place:
    """An open report's place, as the nearby look-up reads it from the index."""

    id: int
    latitude: float
    longitude: float


async def open_in_box(
    conn: aiosqlite.Connection,
    category: str,
    south: float,
    north: float,
    west: float,
    east: float,
) -> list[Place]:
    """Open reports of ``category`` inside the box (index ``risk_reports_open_by_place``)."""
    cursor = await conn.execute(
        f"""
        SELECT id, latitude, longitude FROM risk_reports
        WHERE status IN {OPEN} AND category = ?
          AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?
        """,
        (category, south, north, west, east),
    )
    return [Place(row[0], row[1], row[2]) for row in await cursor.fetchall()]


async def open_at_address(
    conn: aiosqlite.Connection, category: str, address_key: str
) -> int | None:
    """The oldest open report of ``category`` whose typed address reads the same."""
    cursor = await conn.execute(
        f"""
        SELECT id FROM risk_reports
        WHERE status IN {OPEN} AND category = ? AND address_key = ? ORDER BY id LIMIT 1
        """,
        (category, address_key),
    )
    row = await cursor.fetchone()
    return None if row is None else int(row[0])


async def add_follower(
    conn: aiosqlite.Connection, report_id: int, user_id: int, now: datetime
) -> bool:
    """``user_id`` hears the report's news from now on; False if they already did."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO risk_report_followers (report_id, user_id, joined_at) "
        "VALUES (?, ?, ?)",
        (report_id, user_id, to_text(now)),
    )
    return cursor.rowcount == 1


async def followers(conn: aiosqlite.Connection, report_id: int) -> list[int]:
    cursor = await conn.execute(
        "SELECT user_id FROM risk_report_followers WHERE report_id = ? ORDER BY joined_at, user_id",
        (report_id,),
    )
    return [int(row[0]) for row in await cursor.fetchall()]


async def add_noticed(
    conn: aiosqlite.Connection, report_id: int, count: int, now: datetime
) -> None:
    await conn.execute(
        "UPDATE risk_reports SET noticed = noticed + ?, updated_at = ? WHERE id = ?",
        (count, to_text(now), report_id),
    )


async def delete_draft(conn: aiosqlite.Connection, report_id: int) -> None:
    await conn.execute("DELETE FROM risk_reports WHERE id = ? AND status = 'draft'", (report_id,))


async def merge(
    conn: aiosqlite.Connection, source: RiskReport, target: RiskReport, actor_id: int, now: datetime
) -> None:
    """``source`` becomes part of ``target``: its reporter and followers follow ``target``, its
    count of people adds to it, and it leaves the lists (status 'merged')."""
    for user_id in [source.reporter_id, *await followers(conn, source.id)]:
        if user_id != target.reporter_id and user_id > 0:
            await add_follower(conn, target.id, user_id, now)
    await add_noticed(conn, target.id, source.noticed, now)
    await conn.execute(
        "UPDATE risk_reports SET status = 'merged', merged_into = ?, updated_at = ? WHERE id = ?",
        (target.id, to_text(now), source.id),
    )
    await conn.execute(
        "INSERT INTO risk_report_steps (report_id, action, actor_id, note, at) "
        "VALUES (?, 'merged', ?, ?, ?)",
        (source.id, actor_id, str(target.id), to_text(now)),
    )


# ---- pictures the bot re-encoded --------------------------------------------------------------


async def add_photo(
    conn: aiosqlite.Connection,
    report_id: int,
    role: str,
    jpeg: bytes,
    now: datetime,
    *,
    taken_by: int | None = None,
    file_id: str | None = None,
) -> int:
    """Keep a re-encoded picture (the newest of a role is the one shown)."""
    cursor = await conn.execute(
        "INSERT INTO risk_photos (report_id, role, taken_by, file_id, jpeg, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (report_id, role, taken_by, file_id, jpeg, to_text(now)),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


@dataclass(frozen=True)
class StoredPhoto:
    id: int
    report_id: int
    role: str
    taken_by: int | None
    file_id: str | None
    jpeg: bytes


async def photo(conn: aiosqlite.Connection, report_id: int, role: str) -> StoredPhoto | None:
    cursor = await conn.execute(
        "SELECT * FROM risk_photos WHERE report_id = ? AND role = ? ORDER BY id DESC LIMIT 1",
        (report_id, role),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    return StoredPhoto(
        row["id"], row["report_id"], row["role"], row["taken_by"], row["file_id"], row["jpeg"]
    )


async def photo_by_id(conn: aiosqlite.Connection, photo_id: int) -> StoredPhoto | None:
    cursor = await conn.execute("SELECT * FROM risk_photos WHERE id = ?", (photo_id,))
    row = await cursor.fetchone()
    if row is None:
        return None
    return StoredPhoto(
        row["id"], row["report_id"], row["role"], row["taken_by"], row["file_id"], row["jpeg"]
    )


# ---- reports left open, and what the patrols fixed --------------------------------------------


async def silent_forwarded(conn: aiosqlite.Connection, before: datetime) -> list[RiskReport]:
    """Forwarded reports with no news since ``before`` (no forward or "still open" after it)."""
    cursor = await conn.execute(
        f"""{_SELECT}
        WHERE r.status = 'forwarded'
          AND COALESCE(r.checked_at, r.forwarded_at, r.updated_at) < ?
        ORDER BY r.id
        """,
        (to_text(before),),
    )
    return [_report(row) for row in await cursor.fetchall()]


async def mark_checked(
    conn: aiosqlite.Connection, report_id: int, actor_id: int, now: datetime
) -> None:
    await conn.execute(
        "UPDATE risk_reports SET checked_at = ?, updated_at = ? WHERE id = ?",
        (to_text(now), to_text(now), report_id),
    )
    await conn.execute(
        "INSERT INTO risk_report_steps (report_id, action, actor_id, at) "
        "VALUES (?, 'still_open', ?, ?)",
        (report_id, actor_id, to_text(now)),
    )


@dataclass(frozen=True)
class Outcomes:
    """Places of one category found in a period, how many were passed on, how many fixed."""

    category: str
    found: int
    forwarded: int
    fixed: int


async def outcomes(conn: aiosqlite.Connection, since: datetime, until: datetime) -> list[Outcomes]:
    """Per category, reports submitted from ``since`` up to ``until`` (merged ones count once,
    in the report they joined); status as of now."""
    cursor = await conn.execute(
        """
        SELECT COALESCE(category, 'other'), COUNT(*),
               SUM(forwarded_at IS NOT NULL AND status IN ('forwarded', 'resolved')),
               SUM(status = 'resolved')
        FROM risk_reports
        WHERE status NOT IN ('draft', 'merged') AND submitted_at >= ? AND submitted_at < ?
        GROUP BY 1 ORDER BY 2 DESC, 1
        """,
        (to_text(since), to_text(until)),
    )
    return [
        Outcomes(row[0], int(row[1]), int(row[2] or 0), int(row[3] or 0))
        for row in await cursor.fetchall()
    ]


async def outcomes_by_reporter(
    conn: aiosqlite.Connection, since: datetime, until: datetime
) -> dict[int, list[Outcomes]]:
    """``outcomes`` for every reporter at once (the personal reports)."""
    cursor = await conn.execute(
        """
        SELECT reporter_id, COALESCE(category, 'other'), COUNT(*),
               SUM(forwarded_at IS NOT NULL AND status IN ('forwarded', 'resolved')),
               SUM(status = 'resolved')
        FROM risk_reports
        WHERE status NOT IN ('draft', 'merged') AND submitted_at >= ? AND submitted_at < ?
        GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2
        """,
        (to_text(since), to_text(until)),
    )
    found: dict[int, list[Outcomes]] = {}
    for row in await cursor.fetchall():
        found.setdefault(int(row[0]), []).append(
            Outcomes(row[1], int(row[2]), int(row[3] or 0), int(row[4] or 0))
        )
    return found


async def reports_of(conn: aiosqlite.Connection, reporter_id: int) -> list[RiskReport]:
    """The person's own reports past the draft, newest first (their report list)."""
    cursor = await conn.execute(
        f"{_SELECT} WHERE r.reporter_id = ? AND r.status NOT IN ('draft', 'merged') "
        "ORDER BY r.id DESC LIMIT 20",
        (reporter_id,),
    )
    return [_report(row) for row in await cursor.fetchall()]


# ---- several places from one patrol -------------------------------------------------------------


async def add_draft_place(
    conn: aiosqlite.Connection, draft_id: int, latitude: float, longitude: float, now: datetime
) -> int:
    """One more place for the draft; how many extra places it has now."""
    await conn.execute(
        "INSERT INTO risk_draft_places (draft_id, latitude, longitude, added_at) "
        "VALUES (?, ?, ?, ?)",
        (draft_id, latitude, longitude, to_text(now)),
    )
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM risk_draft_places WHERE draft_id = ?", (draft_id,)
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def draft_places(conn: aiosqlite.Connection, draft_id: int) -> list[tuple[float, float]]:
    cursor = await conn.execute(
        "SELECT latitude, longitude FROM risk_draft_places WHERE draft_id = ? ORDER BY id",
        (draft_id,),
    )
    return [(row[0], row[1]) for row in await cursor.fetchall()]


async def file_sibling(
    conn: aiosqlite.Connection,
    first: RiskReport,
    latitude: float,
    longitude: float,
    now: datetime,
) -> int:
    """A submitted report at another place with ``first``'s category, photo and description."""
    cursor = await conn.execute(
        """
        INSERT INTO risk_reports (reporter_id, status, category, latitude, longitude, photo_file_id,
            photo_kind, photo_skipped, description, area, patrol_id, created_at, submitted_at,
            updated_at)
        VALUES (?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            first.reporter_id,
            first.category,
            latitude,
            longitude,
            first.photo_file_id,
            first.photo_kind,
            int(first.photo_skipped),
            first.description,
            first.area,
            first.id,
            to_text(now),
            to_text(now),
            to_text(now),
        ),
    )
    assert cursor.lastrowid is not None
    await conn.execute(
        "INSERT INTO risk_report_steps (report_id, action, actor_id, at) "
        "VALUES (?, 'submitted', ?, ?)",
        (cursor.lastrowid, first.reporter_id, to_text(now)),
    )
    await conn.execute("DELETE FROM risk_draft_places WHERE draft_id = ?", (first.id,))
    return cursor.lastrowid


async def patrol(conn: aiosqlite.Connection, first: RiskReport) -> list[RiskReport]:
    """``first`` and the reports filed with it from the same patrol, in order."""
    cursor = await conn.execute(
        f"{_SELECT} WHERE r.id = ? OR r.patrol_id = ? ORDER BY r.id", (first.id, first.id)
    )
    return [_report(row) for row in await cursor.fetchall()]


async def remember_card(
    conn: aiosqlite.Connection, report_id: int, chat_id: int, message_id: int
) -> None:
    """One copy of the report's card, sent to a leader's chat."""
    await conn.execute(
        "INSERT OR IGNORE INTO risk_cards (report_id, chat_id, message_id) VALUES (?, ?, ?)",
        (report_id, chat_id, message_id),
    )


async def cards(conn: aiosqlite.Connection, report_id: int) -> list[tuple[int, int]]:
    """Every copy of the report's card: (chat id, message id)."""
    cursor = await conn.execute(
        "SELECT chat_id, message_id FROM risk_cards WHERE report_id = ? "
        "ORDER BY chat_id, message_id",
        (report_id,),
    )
    return [(row[0], row[1]) for row in await cursor.fetchall()]


async def reports_with_cards(conn: aiosqlite.Connection, reporter_id: int) -> list[int]:
    """The person's reports that have a card in some leader's chat."""
    cursor = await conn.execute(
        "SELECT DISTINCT c.report_id FROM risk_cards c JOIN risk_reports r ON r.id = c.report_id "
        "WHERE r.reporter_id = ? ORDER BY c.report_id",
        (reporter_id,),
    )
    return [row[0] for row in await cursor.fetchall()]


# Kinds of risk_picture_messages whose message is a photo (its caption can be edited away).
PICTURE_KINDS = frozenset({"photo", "handoff", "check", "nearby", "pair", "after"})


@dataclass(frozen=True)
class PictureMessage:
    """A message showing a report's picture or place (``kind``: see migration 0020)."""

    chat_id: int
    message_id: int
    kind: str
    posted_at: datetime

    @property
    def is_photo(self) -> bool:
        return self.kind in PICTURE_KINDS


async def remember_picture(
    conn: aiosqlite.Connection,
    report_id: int,
    chat_id: int,
    message_id: int,
    kind: str,
    posted_at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO risk_picture_messages (report_id, chat_id, message_id, kind, posted_at)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO NOTHING
        """,
        (report_id, chat_id, message_id, kind, to_text(posted_at)),
    )


async def pictures_of_reporter(
    conn: aiosqlite.Connection, reporter_id: int
) -> list[PictureMessage]:
    """Every remembered message showing a picture or the place of the person's reports, outside
    their own chat."""
    cursor = await conn.execute(
        """
        SELECT m.chat_id, m.message_id, m.kind, m.posted_at
        FROM risk_picture_messages m JOIN risk_reports r ON r.id = m.report_id
        WHERE r.reporter_id = ? AND m.chat_id != ?
        ORDER BY m.chat_id, m.message_id
        """,
        (reporter_id, reporter_id),
    )
    return [
        PictureMessage(row[0], row[1], row[2], moment_from_text(row[3]))
        for row in await cursor.fetchall()
    ]


async def forget_pictures_of_reporter(conn: aiosqlite.Connection, reporter_id: int) -> None:
    await conn.execute(
        "DELETE FROM risk_picture_messages "
        "WHERE report_id IN (SELECT id FROM risk_reports WHERE reporter_id = ?)",
        (reporter_id,),
    )


async def report_reporter(conn: aiosqlite.Connection, report_id: int) -> int | None:
    cursor = await conn.execute("SELECT reporter_id FROM risk_reports WHERE id = ?", (report_id,))
    row = await cursor.fetchone()
    return None if row is None else int(row[0])
