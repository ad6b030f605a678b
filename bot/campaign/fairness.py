"""The fairness checks on a certification photo, each a plain function.

In the campaign's order: not forwarded, not a Telegram file used before, not a re-used picture
(perceptual hashes), taken on the same campaign day (when the file still carries its EXIF date).
The start/end gap and day are judged in ``bot.campaign.rules``. The checks catch honest
mistakes and lazy re-use; a photo without EXIF is never refused for that alone, and a photo
that only looks like an earlier one is accepted and flagged for the leaders, never refused.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from bot.campaign.config import Fairness
from bot.media import alignment
from bot.media.photo_check import (
    LOOKALIKE_MAX_DIFFERENCE,
    SAME_PICTURE_MAX_DIFFERENCE,
    hamming,
    picture_difference,
)
from storage.photos import SeenPhoto, chunks


class Check(enum.Enum):
    FORWARDED = "forwarded"
    SAME_FILE = "same_file"
    REUSED_PICTURE = "reused_picture"
    NOT_TODAY = "not_today"


class Whose(enum.Enum):
    OWN = "own"  # the sender's own earlier photo
    OTHER = "other"  # someone else's: never say whose
    THIS_CERTIFICATION = "this_certification"  # the start photo again as the end photo


@dataclass(frozen=True)
class Refusal:
    check: Check
    whose: Whose | None = None
    day: date | None = None  # when the photo was first used, or the day it was taken

    @property
    def detail(self) -> str:
        parts = [self.whose.value if self.whose else "", self.day.isoformat() if self.day else ""]
        return " ".join(p for p in parts if p)


def check_forwarded(forwarded: bool) -> Refusal | None:
    return Refusal(Check.FORWARDED) if forwarded else None


def _whose(seen: SeenPhoto, sender_id: int, certification_id: int) -> Whose:
    if seen.certification_id == certification_id:
        return Whose.THIS_CERTIFICATION
    return Whose.OWN if seen.sender_id == sender_id else Whose.OTHER


def check_same_file(
    first_use: SeenPhoto | None,
    sender_id: int,
    certification_id: int,
    timezone: ZoneInfo,
) -> Refusal | None:
    """The very same Telegram file (``file_unique_id``) was used before, by anyone."""
    if first_use is None:
        return None
    whose = _whose(first_use, sender_id, certification_id)
    day = first_use.message_date.astimezone(timezone).date() if whose is Whose.OWN else None
    return Refusal(Check.SAME_FILE, whose, day)


class Likeness(enum.Enum):
    DIFFERENT = "different"
    LOOKALIKE = "lookalike"  # accepted, and shown to the leaders in /audit
    SAME = "same"  # a copy: refused


def likeness(
    phash_distance: int,
    dhash_distance: int,
    thumbnails: tuple[bytes | None, bytes | None],
    thresholds: Fairness,
) -> tuple[Likeness, float | None]:
    """How alike two photos are, and the thumbnails' difference when both were compared.

    Near hashes are not enough: honest photos of one spot land there too (see
    ``bot.media.photo_check``), so the thumbnails decide. Without one (a photo stored before
    thumbnails were kept, or erased), the doubt goes to the participant: accepted and flagged.
    """
    if (
        phash_distance > thresholds.phash_max_distance
        or dhash_distance > thresholds.dhash_max_distance
    ):
        return Likeness.DIFFERENT, None
    earlier, new = thumbnails
    if not earlier or not new:
        return Likeness.LOOKALIKE, None
    difference = picture_difference(earlier, new)
    if difference <= SAME_PICTURE_MAX_DIFFERENCE:
        return Likeness.SAME, difference
    if difference <= LOOKALIKE_MAX_DIFFERENCE:
        return Likeness.LOOKALIKE, difference
    return Likeness.DIFFERENT, difference


_ALIGNED = {
    alignment.Match.COPY: Likeness.SAME,
    alignment.Match.LOOKALIKE: Likeness.LOOKALIKE,
    alignment.Match.DIFFERENT: Likeness.DIFFERENT,
}


def aligned_likeness(
    phash_distance: int,
    dhash_distance: int,
    thumbnails: tuple[bytes | None, bytes | None],
    features: tuple[bytes | None, bytes | None],
    thresholds: Fairness,
) -> tuple[Likeness, float | None]:
    """``likeness``, but a pair that can be aligned (``bot.media.alignment``) is judged by that:
    a crop or a resize moves the hashes and thumbnails, not the picture under them.

    A pair the hashes and thumbnails already call the same picture stays refused: that rule
    refused no honest pair in any measurement, and a plain re-encoded or resized copy (of
    someone else's photo too) must not turn into a flag because its small grey picture lines up
    less well than a crop's. Where the two photos don't align (too few keypoints in common, or a
    photo without features), the hashes and thumbnails decide as before.
    """
    by_hashes = likeness(phash_distance, dhash_distance, thumbnails, thresholds)
    if by_hashes[0] is Likeness.SAME:
        return by_hashes
    earlier, new = features
    if earlier and new:
        aligned = alignment.compare(earlier, new)
        if aligned.difference is not None:
            return _ALIGNED[aligned.match], aligned.difference
    return by_hashes


@dataclass(frozen=True)
class Lookalike:
    """An accepted photo that looks much like an earlier one: for the leaders to judge."""

    earlier: SeenPhoto
    whose: Whose
    phash_distance: int
    dhash_distance: int
    difference: float | None


@dataclass(frozen=True)
class Reuse:
    refusal: Refusal | None = None
    lookalike: Lookalike | None = None


_PREFERRED = {Whose.THIS_CERTIFICATION: 0, Whose.OWN: 1, Whose.OTHER: 2}


def judge_reuse(
    candidates: Iterable[SeenPhoto],
    phash: int,
    dhash: int,
    thumbnail: bytes | None,
    sender_id: int,
    certification_id: int,
    thresholds: Fairness,
    timezone: ZoneInfo,
    features: bytes | None = None,
) -> Reuse:
    """A copy of an earlier picture (re-saved, resized, recompressed, brightened, cropped) is
    refused; one that only looks alike is accepted with a ``Lookalike`` for the leaders.

    ``features`` (``bot.media.alignment.features_of``) lets candidates found other than by
    their hashes (the sender's own recent photos) be aligned and judged too."""
    copies: list[SeenPhoto] = []
    lookalikes: list[Lookalike] = []
    for seen in candidates:
        if seen.phash is None or seen.dhash is None:
            continue
        p, d = hamming(seen.phash, phash), hamming(seen.dhash, dhash)
        verdict, difference = aligned_likeness(
            p, d, (seen.thumbnail, thumbnail), (seen.features, features), thresholds
        )
        if verdict is Likeness.SAME:
            copies.append(seen)
        elif verdict is Likeness.LOOKALIKE:
            whose = _whose(seen, sender_id, certification_id)
            lookalikes.append(Lookalike(seen, whose, p, d, difference))
    if copies:
        # Prefer telling the person about their own photo (start photo first, then history).
        best = min(
            copies,
            key=lambda s: (_PREFERRED[_whose(s, sender_id, certification_id)], s.message_date),
        )
        whose = _whose(best, sender_id, certification_id)
        day = best.message_date.astimezone(timezone).date() if whose is Whose.OWN else None
        return Reuse(refusal=Refusal(Check.REUSED_PICTURE, whose, day))
    if lookalikes:
        return Reuse(lookalike=min(lookalikes, key=lambda x: (x.difference or 0.0, x.whose.value)))
    return Reuse()


def check_reused_picture(
    candidates: Iterable[SeenPhoto],
    phash: int,
    dhash: int,
    sender_id: int,
    certification_id: int,
    thresholds: Fairness,
    timezone: ZoneInfo,
    thumbnail: bytes | None = None,
) -> Refusal | None:
    """A copy of an earlier picture (re-saved, resized, recompressed, brightened)."""
    return judge_reuse(
        candidates, phash, dhash, thumbnail, sender_id, certification_id, thresholds, timezone
    ).refusal


def check_taken_today(
    taken_at: datetime | None, message_date: datetime, timezone: ZoneInfo
) -> Refusal | None:
    """EXIF DateTimeOriginal (when present) must fall on the message's campaign day.

    With OffsetTimeOriginal the moment is exact; without it the camera's clock is read as the
    campaign's local time.
    """
    if taken_at is None:
        return None
    taken_day = (
        taken_at.astimezone(timezone).date() if taken_at.tzinfo is not None else taken_at.date()
    )
    if taken_day == message_date.astimezone(timezone).date():
        return None
    return Refusal(Check.NOT_TODAY, day=taken_day)


@cache
def _flip_masks(radius: int) -> tuple[int, ...]:
    masks = [0]
    for flips in range(1, radius + 1):
        for bits in itertools.combinations(range(16), flips):
            masks.append(sum(1 << b for b in bits))
    return tuple(masks)


def neighbourhoods(phash: int, max_distance: int) -> list[list[int]]:
    """For each 16-bit chunk of ``phash``, every value within ``max_distance // 4`` bits.

    Any hash within ``max_distance`` of ``phash`` differs in at most that many bits in at least
    one of the four chunks (pigeonhole), so it is found by an exact index look-up of one of these.
    """
    masks = _flip_masks(max_distance // 4)
    return [[chunk ^ mask for mask in masks] for chunk in chunks(phash)]
