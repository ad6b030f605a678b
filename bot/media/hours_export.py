"""The 1365 volunteer-hours export: rows, the hours rule, the registration deadline, and files.

Plain functions: nothing here touches Telegram or the store. Every word (column headers, sheet
names, categories) comes through ``label``, a catalogue lookup in the leader's language.

The hours rule (``[rules] minutes_per_certification``, 30 by default, so 2 certifications are
1 hour): the portal takes whole hours, so each participant's minutes are added up day by day in
date order; each day registers the whole hours reached so far and carries the remainder to the
next day. With 30 minutes: a day with 1 certification registers 0 hours and carries 30; the
next day with 1 registers 1 hour and carries 0. The carry crosses rounds: a round's export
starts with the minutes left over from the person's earlier rounds (what /me and the final
report promise), so the rounds' exports add up to the hours /me shows. What is left at the end
is shown on the totals sheet; the hours sheet marks the rows that have hours to upload.

Sheets: the hours sheet (one row per participant and day; only people with a 1365 ID, so the
sheet can be uploaded as is; the .csv holds the same rows), the per-participant totals sheet
(everyone), and the no-1365-ID sheet (people to chase for their ID).
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import Any, Generic, NamedTuple, TypeVar

from bot.media.xlsx import Sheet, workbook_bytes
from storage.exports import ActiveParticipant

Label = Callable[[str], str]  # a catalogue key -> its words in the leader's language
Cell = str | int | date | None

# The portal's rule: hours are registered within 3 months of the activity. /export warns
# about activity dates whose limit is this close (or already past).
REGISTRATION_MONTHS = 3
WARN_DAYS_BEFORE_LIMIT = 14


class HoursRow(NamedTuple):
    """One participant's activity on one day, with the hours to register for it (a named
    tuple: made 370,000 times per file in a big campaign, far quicker than a dataclass)."""

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

    @property
    def to_upload(self) -> str:
        """ "yes" on a row with whole hours to register (shown as the catalogue's words)."""
        return "yes" if self.hours else ""


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
    carried_in: int = 0  # minutes left over from earlier rounds

    @property
    def telegram(self) -> str | None:
        return f"@{self.username}" if self.username else None


def _name(person: ActiveParticipant) -> str:
    return person.full_name or person.telegram_name


def _volunteer_id(person: ActiveParticipant) -> str | None:
    return (person.volunteer_id or "").strip() or None


def _carried_in(person: ActiveParticipant, minutes_per_certification: int) -> int:
    """The minutes earlier rounds left over (rules.round_volunteer_time's carry)."""
    return person.earlier * minutes_per_certification % 60


def _carry(
    days: Iterable[tuple[date, int]], minutes_per_certification: int, carried: int = 0
) -> Iterator[tuple[date, int, int, int, int]]:
    """(day, certifications, minutes, whole hours, minutes carried on) day by day, starting
    with ``carried`` minutes."""
    for day, certifications in days:
        # rules.volunteer_time's minutes, without an object per row (370,000 rows)
        minutes = certifications * minutes_per_certification
        hours, carried = divmod(carried + minutes, 60)
        yield day, certifications, minutes, hours, carried


@dataclass(frozen=True)
class HoursExport:
    """A round's export. The per-day rows (hundreds of thousands in a big campaign) are not
    kept: ``rows()`` makes them again for each file, person by person, day by day."""

    round_name: str
    people: tuple[ActiveParticipant, ...]  # by name, then user id
    totals: tuple[PersonTotal, ...]  # the same order
    minutes_per_certification: int

    def rows(self, *, uploadable_only: bool = False) -> Iterator[HoursRow]:
        for person in self.people:
            volunteer_id = _volunteer_id(person)
            if uploadable_only and not volunteer_id:
                continue
            user_id, name = person.user_id, _name(person)
            category, affiliation = person.category, person.affiliation
            per = self.minutes_per_certification
            for day, count, minutes, hours, carried in _carry(
                person.days, per, _carried_in(person, per)
            ):
                yield HoursRow(
                    user_id,
                    name,
                    volunteer_id,
                    category,
                    affiliation,
                    day,
                    count,
                    minutes,
                    hours,
                    carried,
                )

    def uploadable_rows(self) -> Iterator[HoursRow]:
        """The rows of people with a 1365 ID (the hours sheet and the .csv)."""
        return self.rows(uploadable_only=True)

    @property
    def row_count(self) -> int:
        return sum(t.days for t in self.totals)

    @property
    def activity_days(self) -> set[date]:
        return {day for person in self.people for day, _ in person.days}

    @property
    def missing_id(self) -> tuple[PersonTotal, ...]:
        return tuple(t for t in self.totals if not t.volunteer_id)


def hours_export(
    round_name: str, people: Iterable[ActiveParticipant], minutes_per_certification: int
) -> HoursExport:
    """Totals under the whole-hours-with-carry rule (see the module's docstring), people by
    name; the per-day rows come from ``HoursExport.rows``."""
    ordered = tuple(sorted(people, key=lambda p: (_name(p), p.user_id)))
    totals = []
    for person in ordered:
        carried_in = _carried_in(person, minutes_per_certification)
        carried = hours_total = minutes_total = certifications = 0
        for _, count, minutes, hours, left in _carry(
            person.days, minutes_per_certification, carried_in
        ):
            certifications += count
            minutes_total += minutes
            hours_total += hours
            carried = left  # what is left after the last day
        totals.append(
            PersonTotal(
                person.user_id,
                _name(person),
                person.username,
                _volunteer_id(person),
                person.category,
                person.affiliation,
                len(person.days),
                certifications,
                minutes_total,
                hours_total,
                carried,
                carried_in,
            )
        )
    return HoursExport(round_name, ordered, tuple(totals), minutes_per_certification)


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
    field: str  # the attribute of the row (HoursRow or PersonTotal) shown in the column
    width: float = 10  # in the .xlsx, in characters
    words: str | None = None  # shown as the catalogue's words for f"{words}{value}"


# ---- The column layout -------------------------------------------------------------------
# The one place to change when a volunteer centre's bulk-upload template differs: reorder,
# drop or add columns here (headers are catalogue keys in locales/*/exports.ftl; the number is
# the column's width in the .xlsx, in characters). An empty value is an empty cell.

HOURS_COLUMNS: tuple[Column[HoursRow], ...] = (
    Column("export-col-name", "name", 12),
    Column("export-col-volunteer-id", "volunteer_id", 12),
    Column("export-col-category", "category", 10, words="category-"),
    Column("export-col-affiliation", "affiliation", 18),
    Column("export-col-date", "day", 12),
    Column("export-col-certifications", "certifications"),
    Column("export-col-minutes", "minutes"),
    Column("export-col-hours", "hours"),
    Column("export-col-carried", "carried"),
    Column("export-col-to-upload", "to_upload", 10, words="export-to-upload-"),
)

TOTAL_COLUMNS: tuple[Column[PersonTotal], ...] = (
    Column("export-col-name", "name", 12),
    Column("export-col-volunteer-id", "volunteer_id", 12),
    Column("export-col-category", "category", 10, words="category-"),
    Column("export-col-affiliation", "affiliation", 18),
    Column("export-col-days", "days"),
    Column("export-col-certifications", "certifications"),
    Column("export-col-carried-in", "carried_in", 12),
    Column("export-col-minutes", "minutes"),
    Column("export-col-hours", "hours"),
    Column("export-col-carried", "carried"),
)

MISSING_ID_COLUMNS: tuple[Column[PersonTotal], ...] = (
    Column("export-col-name", "name", 12),
    Column("export-col-telegram", "telegram", 16),
    Column("export-col-category", "category", 10, words="category-"),
    Column("export-col-affiliation", "affiliation", 18),
    Column("export-col-days", "days"),
    Column("export-col-certifications", "certifications"),
    Column("export-col-hours", "hours"),
)

# -------------------------------------------------------------------------------------------


def header(columns: Sequence[Column[T]], label: Label) -> list[str]:
    return [label(c.header) for c in columns]


def table(columns: Sequence[Column[T]], items: Iterable[T], label: Label) -> Iterator[list[Cell]]:
    """One row of cells per item, made as they are read (the header is ``header``).

    Hundreds of thousands of rows: each row's fields are read in one C call, and each word is
    looked up in the catalogue once, not once per row."""
    names = [c.field for c in columns]
    fields = attrgetter(names[0], *names[1:]) if len(names) > 1 else None
    translated = [(i, c.words) for i, c in enumerate(columns) if c.words is not None]
    seen: dict[tuple[str, object], str] = {}
    for item in items:
        row: list[Cell] = list(fields(item)) if fields is not None else [getattr(item, names[0])]
        for i, prefix in translated:
            key = row[i]
            if key is not None and key != "":
                words = seen.get((prefix, key))
                if words is None:
                    words = seen[(prefix, key)] = label(f"{prefix}{key}")
                row[i] = words
        yield row


_FORMULA_START = ("=", "+", "-", "@")


def xlsx_bytes(export: HoursExport, label: Label) -> bytes:
    """The workbook: hours per day (with a 1365 ID), totals per participant, no 1365 ID.
    Text cells are always text (a name like "=1+1" never becomes a formula)."""
    return _workbook(export, label, table(HOURS_COLUMNS, export.uploadable_rows(), label))


def _workbook(export: HoursExport, label: Label, hours: Iterable[list[Cell]]) -> bytes:
    def sheet(key: str, columns: Sequence[Column[T]], rows: Iterable[list[Cell]]) -> Sheet:
        return Sheet(
            _sheet_title(label(key)), header(columns, label), rows, [c.width for c in columns]
        )

    return workbook_bytes(
        [
            sheet("export-sheet-hours", HOURS_COLUMNS, hours),
            sheet("export-sheet-totals", TOTAL_COLUMNS, table(TOTAL_COLUMNS, export.totals, label)),
            sheet(
                "export-sheet-missing-id",
                MISSING_ID_COLUMNS,
                table(MISSING_ID_COLUMNS, export.missing_id, label),
            ),
        ]
    )


def files(export: HoursExport, label: Label) -> tuple[bytes, bytes]:
    """The .xlsx and the .csv (``xlsx_bytes`` and ``csv_bytes``) in one pass over the rows."""
    buffer, writer = _csv_writer(label)

    def hours() -> Iterator[list[Cell]]:
        for values in table(HOURS_COLUMNS, export.uploadable_rows(), label):
            writer.writerow(_csv_row(values))
            yield values

    xlsx = _workbook(export, label, hours())
    return xlsx, _csv_done(buffer)


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31]


def csv_bytes(export: HoursExport, label: Label) -> bytes:
    """The hours sheet as CSV, UTF-8 with a BOM so Excel shows Hangul. Empty values are empty
    fields and dates ISO dates (as the csv module writes them)."""
    buffer, writer = _csv_writer(label)
    writer.writerows(map(_csv_row, table(HOURS_COLUMNS, export.uploadable_rows(), label)))
    return _csv_done(buffer)


def _csv_writer(label: Label) -> tuple[io.TextIOWrapper, Any]:
    # Encoded as it is written: the text of 370,000 rows is never held as one str as well.
    # "ignore" drops what UTF-8 cannot encode, which is only lone surrogates (a name sent as
    # JSON "\ud800"): stripped at no cost per row, instead of crashing the export.
    buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8-sig", errors="ignore", newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(HOURS_COLUMNS, label))
    return buffer, writer


def _csv_done(buffer: io.TextIOWrapper) -> bytes:
    buffer.flush()
    raw = buffer.buffer
    assert isinstance(raw, io.BytesIO)  # _csv_writer wraps a BytesIO
    return raw.getvalue()


def _csv_row(values: list[Cell]) -> list[Cell]:
    # Spreadsheet formula injection: a typed name starting like a formula is quoted as text.
    return ["'" + v if type(v) is str and v.startswith(_FORMULA_START) else v for v in values]
