"""What each photo keeps for the edited-copy check (``bot.media.alignment``), the sender's own
recent photos, which a new photo is always aligned with (migration 0022), and anyone's photos
one of whose crops is near a new one (migrations 0024 and 0025)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from storage.clock import to_text
from storage.connection import Connection
from storage.photos import IN_USE, SeenPhoto, chunk_clauses, chunks, seen_photo

# How many of the sender's own latest photos a new one is aligned with, whatever its hashes
# say: a crop of more than a few percent moves the hashes as far as a different picture.
OWN_RECENT = 30


async def keep(
    conn: Connection,
    certification_id: int,
    role: str,
    sender_id: int,
    message_date: datetime,
    features: bytes,
) -> None:
    await conn.execute(
        """
        INSERT INTO photo_features (certification_id, role, sender_id, message_date, features)
        VALUES (?, ?, ?, ?, ?)
        """,
        (certification_id, role, sender_id, to_text(message_date), features),
    )


async def keep_crops(
    conn: Connection,
    certification_id: int,
    role: str,
    windows: Sequence[tuple[float, int]],
    crop_hashes: Sequence[tuple[int, int]],
) -> None:
    """The (pHash, dHash) of the photo's crop in each of ``windows``, (share of each side kept,
    place) (``bot.media.photo_check.CROP_WINDOWS``, ``PhotoFacts.crop_hashes``)."""
    await conn.executemany(
        """
        INSERT INTO photo_crop_hashes (certification_id, role, share, place, phash_0, phash_1,
                                       phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            (certification_id, role, round(share * 100), place, *chunks(phash), *chunks(dhash))
            for (share, place), (phash, dhash) in zip(windows, crop_hashes, strict=True)
        ],
    )


async def near_crops(
    conn: Connection,
    phash_neighbourhoods: Sequence[Iterable[int]],
    dhash_neighbourhoods: Sequence[Iterable[int]],
) -> list[SeenPhoto]:
    """Photos one of whose crops shares a pHash chunk neighbourhood AND a dHash chunk
    neighbourhood with the new photo (as ``storage.photos.near_candidates``), with features."""
    where, values = chunk_clauses("h", phash_neighbourhoods, dhash_neighbourhoods)
    cursor = await conn.execute(
        "SELECT DISTINCT p.certification_id, p.sender_id, p.message_date, p.phash, p.dhash, "
        "p.thumbnail, f.features FROM photo_crop_hashes h "
        "JOIN photos p ON p.certification_id = h.certification_id AND p.role = h.role "
        "JOIN photo_features f ON f.certification_id = p.certification_id AND f.role = p.role "
        f"{IN_USE} AND {where}",
        values,
    )
    return [seen_photo(row) for row in await cursor.fetchall()]


async def own_recent(conn: Connection, sender_id: int, limit: int = OWN_RECENT) -> list[SeenPhoto]:
    """The sender's latest photos still in use, newest first, with their features."""
    cursor = await conn.execute(
        """
        SELECT p.certification_id, p.sender_id, p.message_date, p.phash, p.dhash, p.thumbnail,
               f.features
        FROM photo_features f
        JOIN photos p ON p.certification_id = f.certification_id AND p.role = f.role
        JOIN certifications c ON c.id = p.certification_id
        WHERE f.sender_id = ? AND c.status != 'cancelled'
        ORDER BY f.message_date DESC LIMIT ?
        """,
        (sender_id, limit),
    )
    return [seen_photo(row) for row in await cursor.fetchall()]


def merged(*groups: Sequence[SeenPhoto]) -> list[SeenPhoto]:
    """Every photo once, though several look-ups found it."""
    found: dict[tuple[int, datetime], SeenPhoto] = {}
    for group in groups:
        for seen in group:
            key = (seen.certification_id, seen.message_date)
            if key not in found or found[key].features is None:
                found[key] = seen
    return list(found.values())
