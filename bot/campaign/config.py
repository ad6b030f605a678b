"""The campaign file (TOML): time zone, rounds, missions, rules, milestones, the agencies
risk reports are forwarded to, and how much reaches each leader in a day.

Every policy number of the station's announcement (50 days, 20/70, 30 minutes) lives here and
nowhere in the logic. ``load_campaign`` validates everything and raises ``ConfigError`` naming
the key at fault.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.campaign.geo import bounding_box
from bot.config_error import ConfigError


@dataclass(frozen=True)
class Round:
    """A round ("chasu"): a fixed certification period of whole campaign days."""

    name: str
    start: date
    days: int

    @property
    def end(self) -> date:
        """The last day on which certifications are accepted (inclusive)."""
        return self.start + timedelta(days=self.days - 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def day_number(self, day: date) -> int:
        """1 on the first day of the round."""
        return (day - self.start).days + 1


@dataclass(frozen=True)
class MissionSpec:
    """A mission as the campaign file describes it (the store gives it an id)."""

    kind: str  # "standing" or "theme"
    round_name: str
    title: str
    description: str
    start: date
    days: int


@dataclass(frozen=True)
class Milestone:
    count: int
    reward: str


@dataclass(frozen=True)
class Rules:
    min_minutes_between_photos: int
    max_per_mission_per_day: int
    minutes_per_certification: int


@dataclass(frozen=True)
class Schedule:
    """When scheduled messages go out, in the campaign's time zone."""

    reminder_time: time
    morning_time: time
    quiet_start: time
    quiet_end: time
    weekly_top_day: int  # 0 = Monday ... 6 = Sunday


CAMERA_MODES = ("off", "offered", "required")


@dataclass(frozen=True)
class Fairness:
    """The re-used-picture rule (pHash and dHash distances both at most these), and whether the
    photos come from the camera page (docs/fairness.md)."""

    phash_max_distance: int
    dhash_max_distance: int
    camera: str = "offered"  # one of CAMERA_MODES
    camera_location: bool = False  # the camera page asks for the phone's position


@dataclass(frozen=True)
class Leaders:
    """How much reaches each leader in a campaign day before the rest waits for /pending: on a
    launch evening 30-100 applications arrive at once."""

    # Applications sent as cards of their own; the rest are counted on the gathering card.
    application_cards_per_day: int = 20
    # Join requests (from people without an application) named on the gathering card.
    join_requests_listed_per_day: int = 20


@dataclass(frozen=True)
class RiskArea:
    """Where a risk report's location may be: a box (south, north, west, east in degrees), or a
    centre and a radius when ``radius_metres`` is set (then the box holds the circle)."""

    south: float
    north: float
    west: float
    east: float
    centre: tuple[float, float] | None = None
    radius_metres: float | None = None


# South Korea with its islands (Marado 33.1°N, Baengnyeongdo 124.6°E, Dokdo 131.9°E): the area
# when the campaign file names none.
KOREA = RiskArea(south=33.0, north=38.7, west=124.5, east=132.0)


@dataclass(frozen=True)
class Campaign:
    name: str
    station: str
    contact: str
    timezone: ZoneInfo
    rounds: tuple[Round, ...]
    standing_title: str
    standing_description: str
    theme_missions: tuple[MissionSpec, ...]
    rules: Rules
    milestones: tuple[Milestone, ...]
    fairness: Fairness
    schedule: Schedule
    privacy_retention_days: int
    # Where leaders forward risk reports (city hall facility team, district office...), in the
    # order the buttons show them; the names are shown and recorded as written.
    risk_agencies: tuple[str, ...] = ()
    # A forwarded risk report with no news for this many days is listed to the leaders weekly.
    risk_silent_days: int = 14
    # Where a report's location may be; anything else (0,0, another city) is refused.
    risk_area: RiskArea = KOREA
    leaders: Leaders = Leaders()

    def round_on(self, day: date) -> Round | None:
        return next((r for r in self.rounds if r.contains(day)), None)

    def next_round_after(self, day: date) -> Round | None:
        return next((r for r in self.rounds if r.start > day), None)

    def latest_round_before(self, day: date) -> Round | None:
        ended = [r for r in self.rounds if r.end < day]
        return ended[-1] if ended else None

    def round_named(self, name: str) -> Round | None:
        return next((r for r in self.rounds if r.name == name), None)

    def mission_specs(self) -> list[MissionSpec]:
        """The standing mission of every round, then the theme missions from the file."""
        standing = [
            MissionSpec(
                "standing", r.name, self.standing_title, self.standing_description, r.start, r.days
            )
            for r in self.rounds
        ]
        return standing + list(self.theme_missions)


_DEFAULTS_FILE = Path(__file__).with_name("campaign_defaults.toml")


def _with_defaults(document: dict[str, Any]) -> dict[str, Any]:
    """Fill keys the file leaves out from the announcement's defaults (one level deep)."""
    defaults = tomllib.loads(_DEFAULTS_FILE.read_text(encoding="utf-8"))
    merged = dict(document)
    for key, value in defaults.items():
        if key not in merged:
            merged[key] = value
        elif isinstance(value, dict) and isinstance(merged[key], dict):
            merged[key] = {**value, **merged[key]}
    return merged


# A button label stays readable on a phone; a longer list would not fit one screen.
MAX_AGENCY_NAME = 40
MAX_AGENCIES = 12

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Reader:
    """Typed access to one TOML table, raising ConfigError with the dotted key."""

    def __init__(self, source: str, table: dict[str, Any], prefix: str) -> None:
        self.source, self.table, self.prefix = source, table, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.source, self.key(name), problem)

    def text(self, name: str, default: str | None = None, *, max_len: int = 500) -> str:
        value = self.table.get(name, default)
        if value is None:
            raise self.fail(name, "is required")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "must be a non-empty text")
        if len(value) > max_len:
            raise self.fail(name, f"is longer than {max_len} characters")
        return value.strip()

    def whole(self, name: str, default: int | None = None, *, low: int = 1, high: int) -> int:
        value = self.table.get(name, default)
        if value is None:
            raise self.fail(name, "is required")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(name, f"must be between {low} and {high}, got {value}")
        return value

    def day(self, name: str) -> date:
        value = self.table.get(name)
        if value is None:
            raise self.fail(name, "is required (a date like 2027-08-16)")
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise self.fail(name, f"{value!r} is not a date like 2027-08-16") from None
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(name, "must be a date like 2027-08-16 (no time)")
        return value

    def clock(self, name: str) -> time:
        value = self.table.get(name)
        if isinstance(value, time):
            return value
        if isinstance(value, str):
            parsed = parse_clock(value)
            if parsed is not None:
                return parsed
        raise self.fail(name, f'must be a time like "19:00", got {value!r}')

    def weekday(self, name: str) -> int:
        value = self.table.get(name)
        if isinstance(value, str) and value.strip().lower()[:3] in WEEKDAYS:
            return WEEKDAYS.index(value.strip().lower()[:3])
        raise self.fail(name, f'must be a weekday like "sunday", got {value!r}')

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        value = self.table.get(name)
        if value not in choices:
            shown = " | ".join(f'"{choice}"' for choice in choices)
            raise self.fail(name, f"must be {shown}, got {value!r}")
        return str(value)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.table.get(name, default)
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, got {value!r}")
        return value

    def tables(self, name: str) -> list[dict[str, Any]]:
        value = self.table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, "must be a list of tables ([[" + name + "]])")
        return value

    def names(self, name: str, *, max_len: int, max_count: int) -> tuple[str, ...]:
        """A non-empty list of different, non-empty texts (button labels)."""
        value = self.table.get(name)
        if not isinstance(value, list) or not value:
            raise self.fail(name, f'must be a list of names like ["a", "b"], got {value!r}')
        if len(value) > max_count:
            raise self.fail(name, f"has {len(value)} names, at most {max_count} fit as buttons")
        found: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(name, f"name {index + 1} must be a non-empty text, got {item!r}")
            if len(item.strip()) > max_len:
                raise self.fail(name, f"name {item!r} is longer than {max_len} characters")
            if item.strip() in found:
                raise self.fail(name, f"name {item.strip()!r} appears twice")
            found.append(item.strip())
        return tuple(found)

    def sub(self, name: str) -> _Reader:
        value = self.table.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, "must be a table ([" + name + "])")
        return _Reader(self.source, value, f"{self.prefix}{name}.")


def parse_clock(value: str) -> time | None:
    """ "19:00" -> 19:00; None for anything else."""
    parts = value.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def load_campaign(path: str | Path) -> Campaign:
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise ConfigError(source, "CAMPAIGN_FILE", "file not found (copy campaign.example.toml)")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(source, "(file)", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, "(syntax)", str(error)) from None
    return parse_campaign(document, source)


def parse_campaign(document: dict[str, Any], source: str = "campaign") -> Campaign:
    top = _Reader(source, _with_defaults(document), "")
    head = top.sub("campaign")
    zone_name = head.text("timezone")
    try:
        timezone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise head.fail("timezone", f"{zone_name!r} is not a time zone name") from None

    rounds: list[Round] = []
    for index, table in enumerate(top.tables("rounds")):
        reader = _Reader(source, table, f"rounds[{index}].")
        rounds.append(
            Round(
                reader.text("name", max_len=40), reader.day("start"), reader.whole("days", high=366)
            )
        )
    if not rounds:
        raise top.fail("rounds", "at least one [[rounds]] is required")
    rounds.sort(key=lambda r: r.start)
    for earlier, later in itertools.pairwise(rounds):
        if later.start <= earlier.end:
            raise top.fail("rounds", f"round {later.name!r} overlaps round {earlier.name!r}")
    if len({r.name for r in rounds}) != len(rounds):
        raise top.fail("rounds", "round names must be different")

    standing = top.sub("standing_mission")
    themes: list[MissionSpec] = []
    for index, table in enumerate(top.tables("theme_missions")):
        reader = _Reader(source, table, f"theme_missions[{index}].")
        start = reader.day("start")
        owner = next((r for r in rounds if r.contains(start)), None)
        if owner is None:
            raise reader.fail("start", f"{start} is not inside any round")
        themes.append(
            MissionSpec(
                "theme",
                owner.name,
                reader.text("title", max_len=120),
                reader.text("description", "", max_len=2000) if table.get("description") else "",
                start,
                reader.whole("days", 7, high=366),
            )
        )

    rules_table = top.sub("rules")
    rules = Rules(
        min_minutes_between_photos=rules_table.whole("min_minutes_between_photos", low=0, high=720),
        max_per_mission_per_day=rules_table.whole("max_per_mission_per_day", high=20),
        minutes_per_certification=rules_table.whole("minutes_per_certification", high=600),
    )

    fairness_table = top.sub("fairness")
    fairness = Fairness(
        phash_max_distance=fairness_table.whole("phash_max_distance", low=0, high=15),
        dhash_max_distance=fairness_table.whole("dhash_max_distance", low=0, high=64),
        camera=fairness_table.choice("camera", CAMERA_MODES),
        camera_location=fairness_table.flag("camera_location"),
    )

    schedule_table = top.sub("schedule")
    schedule = Schedule(
        reminder_time=schedule_table.clock("reminder_time"),
        morning_time=schedule_table.clock("morning_time"),
        quiet_start=schedule_table.clock("quiet_start"),
        quiet_end=schedule_table.clock("quiet_end"),
        weekly_top_day=schedule_table.weekday("weekly_top_day"),
    )

    privacy_table = top.sub("privacy")
    retention_days = privacy_table.whole("retention_days", low=1, high=3650)

    risks_table = top.sub("risks")
    agencies = risks_table.names("agencies", max_len=MAX_AGENCY_NAME, max_count=MAX_AGENCIES)
    silent_days = risks_table.whole("silent_days", 14, low=1, high=365)
    risk_area = _risk_area(risks_table)

    leaders_table = top.sub("leaders")
    leaders = Leaders(
        application_cards_per_day=leaders_table.whole("application_cards_per_day", high=1000),
        join_requests_listed_per_day=leaders_table.whole("join_requests_listed_per_day", high=100),
    )

    milestones: list[Milestone] = []
    for index, table in enumerate(top.tables("milestones")):
        reader = _Reader(source, table, f"milestones[{index}].")
        milestones.append(
            Milestone(reader.whole("count", high=10_000), reader.text("reward", max_len=80))
        )
    milestones.sort(key=lambda m: m.count)
    if len({m.count for m in milestones}) != len(milestones):
        raise top.fail("milestones", "two milestones have the same count")

    return Campaign(
        name=head.text("name", max_len=80),
        station=head.text("station", max_len=80),
        contact=head.text("contact", "", max_len=120) if head.table.get("contact") else "",
        timezone=timezone,
        rounds=tuple(rounds),
        standing_title=standing.text("title", max_len=200),
        standing_description=standing.text("description", "", max_len=2000)
        if standing.table.get("description")
        else "",
        theme_missions=tuple(themes),
        rules=rules,
        milestones=tuple(milestones),
        fairness=fairness,
        schedule=schedule,
        privacy_retention_days=retention_days,
        risk_agencies=agencies,
        risk_silent_days=silent_days,
        risk_area=risk_area,
        leaders=leaders,
    )


def _degrees(reader: _Reader, name: str, limit: float) -> float:
    value = reader.table.get(name)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not -limit <= value <= limit
    ):
        raise reader.fail(name, f"must be a number of degrees within ±{limit:g}, got {value!r}")
    return float(value)


def _risk_area(risks_table: _Reader) -> RiskArea:
    """``[risks] area``: ``{ centre = [lat, lon], radius_km = 15 }`` or ``{ south = ..,
    north = .., west = .., east = .. }``; South Korea's box when absent."""
    if "area" not in risks_table.table:
        return KOREA
    area = risks_table.sub("area")
    if "centre" in area.table or "radius_km" in area.table:
        centre = area.table.get("centre")
        if (
            not isinstance(centre, list)
            or len(centre) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in centre)
            or not (-90 <= centre[0] <= 90 and -180 <= centre[1] <= 180)
        ):
            raise area.fail("centre", f"must be [latitude, longitude], got {centre!r}")
        radius = area.table.get("radius_km")
        if isinstance(radius, bool) or not isinstance(radius, int | float) or not 0 < radius <= 500:
            raise area.fail("radius_km", f"must be a number of km from 0 to 500, got {radius!r}")
        latitude, longitude = float(centre[0]), float(centre[1])
        box = bounding_box(latitude, longitude, radius * 1000)
        return RiskArea(*box, centre=(latitude, longitude), radius_metres=radius * 1000)
    south, north = _degrees(area, "south", 90), _degrees(area, "north", 90)
    west, east = _degrees(area, "west", 180), _degrees(area, "east", 180)
    if south >= north or west >= east:
        raise area.fail("south", "the box needs south < north and west < east")
    return RiskArea(south, north, west, east)
