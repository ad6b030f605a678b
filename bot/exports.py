"""The 1365 volunteer-hours export: rows, the hours rule, the registration deadline, and files.

Plain functions: nothing here touches Telegram or the store. Every word (column headers, sheet
names, categories) comes through ``label``, a catalogue lookup in the leader's language.

The hours rule (``[rules] minutes_per_certification``, 30 by default, so 2 certifications are
1 hour): the portal takes whole hours, so each participant's minutes are added up day by day in
date order; each day registers the whole hours reached so far and carries the remainder to the
next day. With 30 minutes: a day with 1 certification registers 0 hours and carries 30; the
next day with 1 registers 1 hour and carries 0. The carry starts at 0 in each round's export
(the round is the export's unit) and what is left at the end is shown on the totals sheet.

Sheets: the hours sheet (one row per participant and day; only people with a 1365 ID, so the
sheet can be uploaded as is; the .csv holds the same rows), the per-participant totals sheet
(everyone), and the no-1365-ID sheet (people to chase for their ID).
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Generic, TypeVar

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.rules import volunteer_time
from storage.exports import DayCount

Label = Callable[[str], str]  # a catalogue key -> its words in the leader's language
Cell = str | int | date | None

# The portal's rule: hours are registered within 3 months of the activity. /export warns
# about activity dates whose limit is this close (or already past).
REGISTRATION_MONTHS = 3
WARN_DAYS_BEFORE_LIMIT = 14


@dataclass(frozen=True)
class HoursRow:
    """One participant's activity on one day, with the hours to register for it."""

    user_id: int
    name: str
    volunteer_id: str | None
    category: str | None  # middle / high / university / adult
    affiliation: str | None
    day: date
    certifications: int
    minutes: int
    hours: int  # whole hours to register for this day
    carried: int  # minutes carried to the next day


@dataclass(frozen=True)
class PersonTotal:
    user_id: int
    name: str
    username: str | None
    volunteer_id: str | None
    category: str | None
    affiliation: str | None
    days: int
    certifications: int
    minutes: int
    hours: int
    carried: int


@dataclass(frozen=True)
class HoursExport:
    round_name: str
    rows: tuple[HoursRow, ...]
    totals: tuple[PersonTotal, ...]

    @property
    def uploadable_rows(self) -> tuple[HoursRow, ...]:
        return tuple(r for r in self.rows if r.volunteer_id)

    @property
    def missing_id(self) -> tuple[PersonTotal, ...]:
        return tuple(t for t in self.totals if not t.volunteer_id)


def _name(count: DayCount) -> str:
    return count.full_name or count.telegram_name


def hours_export(
    round_name: str, counts: Iterable[DayCount], minutes_per_certification: int
) -> HoursExport:
    """Rows and totals under the whole-hours-with-carry rule (see the module's docstring)."""
    rows: list[HoursRow] = []
    totals: list[PersonTotal] = []
    ordered = sorted(counts, key=lambda c: (_name(c), c.user_id, c.day))
    for _, group in groupby(ordered, key=lambda c: c.user_id):
        days = list(group)
        carried = hours_total = minutes_total = 0
        for count in days:
            minutes = volunteer_time(count.certifications, minutes_per_certification).minutes
            hours, carried = divmod(carried + minutes, 60)
            hours_total += hours
            minutes_total += minutes
            rows.append(
                HoursRow(
                    count.user_id,
                    _name(count),
                    (count.volunteer_id or "").strip() or None,
                    count.category,
                    count.affiliation,
                    count.day,
                    count.certifications,
                    minutes,
                    hours,
                    carried,
                )
            )
        first = days[0]
        totals.append(
            PersonTotal(
                first.user_id,
                _name(first),
                first.username,
                (first.volunteer_id or "").strip() or None,
                first.category,
                first.affiliation,
                len(days),
                sum(c.certifications for c in days),
                minutes_total,
                hours_total,
                carried,
            )
        )
    return HoursExport(round_name, tuple(rows), tuple(totals))


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def registration_limit(day: date) -> date:
    """The last day on which the activity of ``day`` can still be registered on the portal."""
    return months_later(day, REGISTRATION_MONTHS)


def dates_near_limit(days: Iterable[date], today: date) -> list[date]:
    """Activity dates whose registration limit is at most 14 days away, or already past."""
    margin = timedelta(days=WARN_DAYS_BEFORE_LIMIT)
    return sorted({d for d in days if registration_limit(d) - today <= margin})


T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str  # catalogue key of the header
    value: Callable[[T, Label], Cell]


def _category(key: str | None, label: Label) -> str:
    return label(f"category-{key}") if key else ""


# ---- The column layout -------------------------------------------------------------------
# The one place to change when a volunteer centre's bulk-upload template differs: reorder,
# drop or add columns here (headers are catalogue keys in locales/*/exports.ftl).

HOURS_COLUMNS: tuple[Column[HoursRow], ...] = (
    Column("export-col-name", lambda r, _: r.name),
    Column("export-col-volunteer-id", lambda r, _: r.volunteer_id or ""),
    Column("export-col-category", lambda r, label: _category(r.category, label)),
    Column("export-col-affiliation", lambda r, _: r.affiliation or ""),
    Column("export-col-date", lambda r, _: r.day),
    Column("export-col-certifications", lambda r, _: r.certifications),
    Column("export-col-minutes", lambda r, _: r.minutes),
    Column("export-col-hours", lambda r, _: r.hours),
    Column("export-col-carried", lambda r, _: r.carried),
)

TOTAL_COLUMNS: tuple[Column[PersonTotal], ...] = (
    Column("export-col-name", lambda t, _: t.name),
    Column("export-col-volunteer-id", lambda t, _: t.volunteer_id or ""),
    Column("export-col-category", lambda t, label: _category(t.category, label)),
    Column("export-col-affiliation", lambda t, _: t.affiliation or ""),
    Column("export-col-days", lambda t, _: t.days),
    Column("export-col-certifications", lambda t, _: t.certifications),
    Column("export-col-minutes", lambda t, _: t.minutes),
    Column("export-col-hours", lambda t, _: t.hours),
    Column("export-col-carried", lambda t, _: t.carried),
)

MISSING_ID_COLUMNS: tuple[Column[PersonTotal], ...] = (
    Column("export-col-name", lambda t, _: t.name),
    Column("export-col-telegram", lambda t, _: f"@{t.username}" if t.username else ""),
    Column("export-col-category", lambda t, label: _category(t.category, label)),
    Column("export-col-affiliation", lambda t, _: t.affiliation or ""),
    Column("export-col-days", lambda t, _: t.days),
    Column("export-col-certifications", lambda t, _: t.certifications),
    Column("export-col-hours", lambda t, _: t.hours),
)

# -------------------------------------------------------------------------------------------


def table(columns: Sequence[Column[T]], items: Iterable[T], label: Label) -> list[list[Cell]]:
    """The header row then one row per item."""
    return [[label(c.header) for c in columns]] + [
        [c.value(item, label) for c in columns] for item in items
    ]


_FORMULA_START = ("=", "+", "-", "@")


def xlsx_bytes(export: HoursExport, label: Label) -> bytes:
    """The workbook: hours per day (with a 1365 ID), totals per participant, no 1365 ID."""
    book = Workbook()
    sheets = (
        ("export-sheet-hours", table(HOURS_COLUMNS, export.uploadable_rows, label)),
        ("export-sheet-totals", table(TOTAL_COLUMNS, export.totals, label)),
        ("export-sheet-missing-id", table(MISSING_ID_COLUMNS, export.missing_id, label)),
    )
    book.remove(book.active)  # type: ignore[arg-type]
    for key, rows in sheets:
        sheet = book.create_sheet(_sheet_title(label(key)))
        for values in rows:
            sheet.append(values)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a name like "=1+1" stays text, never a formula
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31]


def csv_bytes(export: HoursExport, label: Label) -> bytes:
    """The hours sheet as CSV, UTF-8 with a BOM so Excel shows Hangul."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for values in table(HOURS_COLUMNS, export.uploadable_rows, label):
        writer.writerow([_csv_cell(v) for v in values])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # Spreadsheet formula injection: a typed name starting like a formula is quoted as text.
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text
