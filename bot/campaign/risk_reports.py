"""Risk reports: a participant's short draft (category, location, photo, description), then the
leaders' steps (forward to an agency, resolve with a note, reject with a reason), and the
exports agencies load on a map (xlsx and GeoJSON)."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.campaign.conversation import Expecting
from bot.media import xlsx
from storage import participants, pending_inputs, risks
from storage.database import Database
from storage.risks import RiskReport

CATEGORIES = ("light", "alley", "cctv", "vacant", "dumping", "other")
# Agencies are the campaign file's ``[risks] agencies`` and are recorded by name. Reports
# forwarded before that key existed recorded one of these codes (catalogue "risk-agency-<code>").
LEGACY_AGENCY_CODES = ("cityhall", "district", "patrol")
OPEN_STATUSES = ("submitted", "forwarded")
MAX_ADDRESS = 200
MAX_DESCRIPTION = 500
MAX_NOTE = 300


class DraftStep(enum.Enum):
    CATEGORY = "category"
    LOCATION = "location"
    PHOTO = "photo"
    DESCRIPTION = "description"
    DONE = "done"


def next_step(report: RiskReport) -> DraftStep:
    if report.category is None:
        return DraftStep.CATEGORY
    if not report.has_location:
        return DraftStep.LOCATION
    if report.photo_file_id is None and not report.photo_skipped:
        return DraftStep.PHOTO
    if report.description is None:
        return DraftStep.DESCRIPTION
    return DraftStep.DONE


class InvalidAnswer(Exception):
    def __init__(self, reason: str, **args: int | str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.args_for_message = args


def _one_text(text: str, limit: int) -> str:
    value = text.strip()
    if not value:
        raise InvalidAnswer("signup-invalid-empty")
    if len(value) > limit:
        raise InvalidAnswer("signup-invalid-too-long", limit=limit)
    return value


@dataclass(frozen=True)
class Answer:
    """What a draft step received: typed text, a Telegram location or a picture."""

    text: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    photo_file_id: str | None = None
    photo_kind: str | None = None


async def begin(db: Database, user_id: int, now: datetime) -> RiskReport | None:
    """/report: a new draft for an approved participant (None for anyone else)."""
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None or not person.is_approved:
            return None
        report_id = await risks.start_draft(conn, user_id, now)
        await pending_inputs.expect(conn, user_id, Expecting.RISK_DRAFT, report_id, now)
        return await risks.get(conn, report_id)


async def _open_draft(conn: aiosqlite.Connection, user_id: int) -> RiskReport | None:
    """The draft the person is filling in; none once /cancel cleared the pending input."""
    waiting = await pending_inputs.get(conn, user_id)
    if waiting is None or waiting.kind != Expecting.RISK_DRAFT:
        return None
    report = await risks.get(conn, waiting.ref)
    if report is None or report.status != "draft" or report.reporter_id != user_id:
        return None
    return report


async def choose_category(
    db: Database, user_id: int, category: str, now: datetime
) -> RiskReport | None:
    async with db.transaction() as conn:
        report = await _open_draft(conn, user_id)
        if report is None or category not in CATEGORIES:
            return None
        if next_step(report) is DraftStep.CATEGORY:
            await risks.set_fields(conn, report.id, now, category=category)
        return await risks.get(conn, report.id)


async def skip_photo(db: Database, user_id: int, now: datetime) -> RiskReport | None:
    async with db.transaction() as conn:
        report = await _open_draft(conn, user_id)
        if report is None:
            return None
        if next_step(report) is DraftStep.PHOTO:
            await risks.set_fields(conn, report.id, now, photo_skipped=1)
        return await risks.get(conn, report.id)


async def answer(db: Database, user_id: int, given: Answer, now: datetime) -> RiskReport | None:
    """A message while the draft is open; InvalidAnswer says what this step needs instead.

    The returned report has status 'submitted' once the description completed it."""
    async with db.transaction() as conn:
        report = await _open_draft(conn, user_id)
        if report is None:
            return None
        step = next_step(report)
        if step is DraftStep.CATEGORY:
            raise InvalidAnswer("risk-press-category")
        if step is DraftStep.LOCATION:
            if given.latitude is not None and given.longitude is not None:
                await risks.set_fields(
                    conn, report.id, now, latitude=given.latitude, longitude=given.longitude
                )
            elif given.text is not None:
                address = _one_text(given.text, MAX_ADDRESS)
                await risks.set_fields(conn, report.id, now, address=address)
            else:
                raise InvalidAnswer("risk-invalid-location")
        elif step is DraftStep.PHOTO:
            if given.photo_file_id is None:
                raise InvalidAnswer("risk-invalid-photo")
            await risks.set_fields(
                conn,
                report.id,
                now,
                photo_file_id=given.photo_file_id,
                photo_kind=given.photo_kind or "photo",
            )
        elif step is DraftStep.DESCRIPTION:
            if given.text is None:
                raise InvalidAnswer("risk-invalid-description")
            description = _one_text(given.text, MAX_DESCRIPTION)
            await risks.set_fields(conn, report.id, now, description=description)
            await risks.change_status(conn, report.id, "submitted", user_id, now)
            await pending_inputs.clear(conn, user_id)
        return await risks.get(conn, report.id)


class Outcome(enum.Enum):
    DONE = "done"
    UNKNOWN = "unknown"
    CLOSED = "closed"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    report: RiskReport | None = None


async def _open_report(conn: aiosqlite.Connection, report_id: int | None) -> Decision:
    report = None if report_id is None else await risks.get(conn, report_id)
    if report is None or report.status == "draft":
        return Decision(Outcome.UNKNOWN)
    if report.status not in OPEN_STATUSES:
        return Decision(Outcome.CLOSED, report)
    return Decision(Outcome.DONE, report)


async def report_for_leader(db: Database, report_id: int | None) -> Decision:
    async with db.transaction() as conn:
        return await _open_report(conn, report_id)


def agency_at(agencies: tuple[str, ...], choice: int | None) -> str | None:
    """The agency a button's position names; None for a forged or out-of-range position."""
    if choice is None or not 0 <= choice < len(agencies):
        return None
    return agencies[choice]


async def forward(
    db: Database, report_id: int | None, agency: str | None, leader_id: int, now: datetime
) -> Decision:
    """Record the report as forwarded to ``agency`` (a name from the campaign file)."""
    async with db.transaction() as conn:
        found = await _open_report(conn, report_id)
        if found.outcome is not Outcome.DONE or not agency:
            return found if found.outcome is not Outcome.DONE else Decision(Outcome.UNKNOWN)
        assert found.report is not None
        await risks.change_status(conn, found.report.id, "forwarded", leader_id, now, agency=agency)
        return Decision(Outcome.DONE, await risks.get(conn, found.report.id))


async def ask_for_text(
    db: Database, report_id: int | None, kind: str, leader_id: int, now: datetime
) -> Decision:
    """Resolve or reject: the leader's next message is the note or the reason."""
    async with db.transaction() as conn:
        found = await _open_report(conn, report_id)
        if found.outcome is Outcome.DONE:
            assert found.report is not None
            await pending_inputs.expect(conn, leader_id, kind, found.report.id, now)
        return found


async def close(
    db: Database, report_id: int, kind: str, leader_id: int, text: str, now: datetime
) -> Decision:
    """The typed note (resolve) or reason (reject) closes the report."""
    status = "resolved" if kind == Expecting.RISK_RESOLVE_NOTE else "rejected"
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)
        found = await _open_report(conn, report_id)
        if found.outcome is not Outcome.DONE:
            return found
        await risks.change_status(conn, report_id, status, leader_id, now, note=text)
        return Decision(Outcome.DONE, await risks.get(conn, report_id))


async def drop_text_prompt(db: Database, leader_id: int) -> None:
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)


# ---- exports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    """One report as the export shows it; the names are already in the reader's language."""

    report: RiskReport
    category_name: str
    status_name: str
    agency_name: str
    note: str


async def export_rows(db: Database) -> list[tuple[RiskReport, str | None]]:
    """Every submitted report with its latest note or reason."""
    async with db.transaction() as conn:
        found = await risks.submitted(conn)
        return [(report, await risks.last_note(conn, report.id)) for report in found]


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat(timespec="seconds")


# Widths in characters, in the order of the columns (id, status, category, latitude,
# longitude, address, description, agency, note, submitted, updated).
_WIDTHS = (6, 10, 14, 11, 11, 30, 40, 20, 30, 20, 20)


def workbook_bytes(rows: list[ExportRow], headers: list[str], title: str = "Sheet1") -> bytes:
    """The reports as one sheet. Addresses, descriptions and notes are typed by people: the
    writer keeps every text cell text, so "=HYPERLINK(...)" is never a formula in Excel."""
    cells = (
        [
            row.report.id,
            row.status_name,
            row.category_name,
            row.report.latitude,
            row.report.longitude,
            row.report.address or "",
            row.report.description or "",
            row.agency_name,
            row.note,
            _iso(row.report.submitted_at),
            _iso(row.report.updated_at),
        ]
        for row in rows
    )
    return xlsx.workbook_bytes([xlsx.Sheet(title, headers, cells, _WIDTHS[: len(headers)])])


def geojson_bytes(rows: list[ExportRow]) -> bytes:
    """A FeatureCollection; typed-address reports have no geometry (null), as GeoJSON allows."""
    features = []
    for row in rows:
        r = row.report
        geometry = None
        if r.latitude is not None and r.longitude is not None:
            geometry = {"type": "Point", "coordinates": [r.longitude, r.latitude]}
        features.append(
            {
                "type": "Feature",
                "id": r.id,
                "geometry": geometry,
                "properties": {
                    "id": r.id,
                    "status": r.status,
                    "status_name": row.status_name,
                    "category": r.category,
                    "category_name": row.category_name,
                    "address": r.address,
                    "description": r.description,
                    "agency": row.agency_name or None,
                    "note": row.note or None,
                    "submitted_at": _iso(r.submitted_at),
                    "updated_at": _iso(r.updated_at),
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
