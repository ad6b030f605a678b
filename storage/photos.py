"""Photos of certifications: what was received, and look-ups for the fairness checks
(the same Telegram file again, or a near-identical picture by perceptual hash)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.clock import from_text, to_text
from storage.connection import Connection
from storage.rows import only_row

_SIGN = 1 << 63
_SPAN = 1 << 64


def to_signed(value: int) -> int:
    """SQLite integers are signed 64-bit; a 64-bit hash is stored in two's complement."""
    return value - _SPAN if value >= _SIGN else value


def to_unsigned(value: int) -> int:
    return value + _SPAN if value < 0 else value


def chunks(value: int) -> tuple[int, int, int, int]:
    """The four 16-bit chunks of a 64-bit hash, most significant first."""
    return (value >> 48) & 0xFFFF, (value >> 32) & 0xFFFF, (value >> 16) & 0xFFFF, value & 0xFFFF


@dataclass(frozen=True)
class Photo:
    certification_id: int
    role: str  # "start" or "end"
    sender_id: int
    kind: str  # "photo" (compressed) or "document" (sent as a file)
    file_id: str
    file_unique_id: str
    mime_type: str | None
    file_size: int | None
    width: int | None
    height: int | None
    message_id: int
    message_date: datetime
    phash: int | None = None
    dhash: int | None = None
    taken_at: datetime | None = None
    thumbnail: bytes | None = None  # small grey picture for the re-use check (migration 0015)


@dataclass(frozen=True)
class SeenPhoto:
    """An earlier photo that a new one is compared with."""

    certification_id: int
    sender_id: int
    message_date: datetime
    phash: int | None
    dhash: int | None
    thumbnail: bytes | None = None
    features: bytes | None = None  # for bot.media.alignment (storage.photo_features)


def _photo(row: sqlite3.Row) -> Photo:
    message_date = from_text(row["message_date"])
    assert message_date is not None
    return Photo(
        certification_id=row["certification_id"],
        role=row["role"],
        sender_id=row["sender_id"],
        kind=row["kind"],
        file_id=row["file_id"],
        file_unique_id=row["file_unique_id"],
        mime_type=row["mime_type"],
        file_size=row["file_size"],
        width=row["width"],
        height=row["height"],
        message_id=row["message_id"],
        message_date=message_date,
        phash=None if row["phash"] is None else to_unsigned(row["phash"]),
        dhash=None if row["dhash"] is None else to_unsigned(row["dhash"]),
        taken_at=from_text(row["taken_at"]),
        thumbnail=row["thumbnail"],
    )


def seen_photo(row: sqlite3.Row) -> SeenPhoto:
    message_date = from_text(row["message_date"])
    assert message_date is not None
    return SeenPhoto(
        certification_id=row["certification_id"],
        sender_id=row["sender_id"],
        message_date=message_date,
        phash=None if row["phash"] is None else to_unsigned(row["phash"]),
        dhash=None if row["dhash"] is None else to_unsigned(row["dhash"]),
        thumbnail=row["thumbnail"],
        # sqlite3.Row: "in" looks at the values, keys() at the column names.
        features=row["features"] if "features" in row.keys() else None,  # noqa: SIM118
    )


async def add(conn: Connection, photo: Photo, now: datetime) -> None:
    phash_chunks = chunks(photo.phash) if photo.phash is not None else (None,) * 4
    dhash_chunks = chunks(photo.dhash) if photo.dhash is not None else (None,) * 4
    await conn.execute(
        """
        INSERT INTO photos (certification_id, role, sender_id, kind, file_id, file_unique_id,
                            mime_type, file_size, width, height, message_id, message_date,
                            received_at, phash, dhash, phash_0, phash_1, phash_2, phash_3,
                            dhash_0, dhash_1, dhash_2, dhash_3, taken_at, thumbnail)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            photo.certification_id,
            photo.role,
            photo.sender_id,
            photo.kind,
            photo.file_id,
            photo.file_unique_id,
            photo.mime_type,
            photo.file_size,
            photo.width,
            photo.height,
            photo.message_id,
            to_text(photo.message_date),
            to_text(now),
            None if photo.phash is None else to_signed(photo.phash),
            None if photo.dhash is None else to_signed(photo.dhash),
            *phash_chunks,
            *dhash_chunks,
            None if photo.taken_at is None else _taken_text(photo.taken_at),
            photo.thumbnail,
        ),
    )


def _taken_text(moment: datetime) -> str:
    # EXIF times without an offset are wall-clock times: keep them as written.
    return moment.isoformat(timespec="seconds")


async def of_certification(conn: Connection, certification_id: int) -> list[Photo]:
    cursor = await conn.execute(
        "SELECT * FROM photos WHERE certification_id = ? ORDER BY role DESC", (certification_id,)
    )
    return [_photo(row) for row in await cursor.fetchall()]


# A photo still "counts as used" unless its certification was cancelled by its own sender.
IN_USE = """
    JOIN certifications c ON c.id = p.certification_id
    WHERE c.status != 'cancelled'
"""


async def first_use_of_file(conn: Connection, file_unique_id: str) -> SeenPhoto | None:
    cursor = await conn.execute(
        f"SELECT p.* FROM photos p {IN_USE} AND p.file_unique_id = ? "
        "ORDER BY p.message_date LIMIT 1",
        (file_unique_id,),
    )
    row = await cursor.fetchone()
    return None if row is None else seen_photo(row)


async def near_candidates(
    conn: Connection,
    phash_neighbourhoods: Sequence[Iterable[int]],
    dhash_neighbourhoods: Sequence[Iterable[int]],
) -> list[SeenPhoto]:
    """Photos that share a pHash chunk neighbourhood AND a dHash chunk neighbourhood.

    ``phash_neighbourhoods[i]`` holds every 16-bit value close enough to the new photo's i-th
    pHash chunk. By the pigeonhole principle, every photo within the distance limits matches one
    pHash and one dHash neighbourhood, so nothing within the limits is missed; the caller then
    checks the exact distances of these few candidates.
    """
    where, values = chunk_clauses("p", phash_neighbourhoods, dhash_neighbourhoods)
    cursor = await conn.execute(
        "SELECT p.certification_id, p.sender_id, p.message_date, p.phash, p.dhash, p.thumbnail, "
        "f.features FROM photos p "
        "LEFT JOIN photo_features f ON f.certification_id = p.certification_id AND f.role = p.role "
        f"{IN_USE} AND {where}",
        values,
    )
    return [seen_photo(row) for row in await cursor.fetchall()]


def chunk_clauses(
    table: str,
    phash_neighbourhoods: Sequence[Iterable[int]],
    dhash_neighbourhoods: Sequence[Iterable[int]],
) -> tuple[str, list[int]]:
    """The WHERE condition (and its values) that ``table``'s hash chunk columns share a pHash
    chunk neighbourhood AND a dHash chunk neighbourhood."""
    if len(phash_neighbourhoods) != 4 or len(dhash_neighbourhoods) != 4:
        raise ValueError("a 64-bit hash has four 16-bit chunks")
    clauses: list[str] = []
    values: list[int] = []
    for prefix, hoods in (("phash", phash_neighbourhoods), ("dhash", dhash_neighbourhoods)):
        parts = []
        for index, hood in enumerate(hoods):
            hood = list(hood)
            parts.append(f"{table}.{prefix}_{index} IN ({','.join('?' * len(hood))})")
            values.extend(hood)
        clauses.append("(" + " OR ".join(parts) + ")")
    return " AND ".join(clauses), values


async def count(conn: Connection) -> int:
    cursor = await conn.execute("SELECT COUNT(*) FROM photos")
    return int((await only_row(cursor))[0])
