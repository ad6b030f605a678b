"""How the store writes and reads instants: ISO-8601 text in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("the store keeps aware datetimes only")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_text(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def moment_from_text(value: str) -> datetime:
    """A NOT NULL time column."""
    return datetime.fromisoformat(value)
