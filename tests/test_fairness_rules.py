"""The fairness checks as plain functions, and the chunk index that finds near-duplicates."""

import random
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.campaign.config import Fairness
from bot.campaign.fairness import (
    Check,
    Likeness,
    Reuse,
    Whose,
    check_forwarded,
    check_reused_picture,
    check_same_file,
    check_taken_today,
    judge_reuse,
    likeness,
    neighbourhoods,
)
from bot.media.photo_check import (
    LOOKALIKE_MAX_DIFFERENCE,
    SAME_PICTURE_MAX_DIFFERENCE,
    THUMBNAIL_SIDE,
    hamming,
    picture_difference,
)
from storage.photos import SeenPhoto, chunks, to_signed, to_unsigned

SEOUL = ZoneInfo("Asia/Seoul")
LIMITS = Fairness(phash_max_distance=10, dhash_max_distance=10)
WHEN = datetime(2027, 8, 16, 10, 0, tzinfo=UTC)


def picture(seed: int = 1) -> bytes:
    """A thumbnail as the photo check keeps it: THUMBNAIL_SIDE**2 grey pixels."""
    return random.Random(seed).randbytes(THUMBNAIL_SIDE * THUMBNAIL_SIDE)


def brighter(thumbnail: bytes, by: int = 20) -> bytes:
    return bytes(min(255, b + by) for b in thumbnail)


def shifted(thumbnail: bytes, columns: int = 1) -> bytes:
    """The same view, the camera a step to the side: every row moved by ``columns``."""
    side = THUMBNAIL_SIDE
    rows = [thumbnail[i : i + side] for i in range(0, side * side, side)]
    return b"".join(row[columns:] + row[:columns] for row in rows)


THUMB = picture()


def seen(sender=1, cert=1, phash=0, dhash=0, when=WHEN, thumbnail=THUMB) -> SeenPhoto:
    return SeenPhoto(cert, sender, when, phash, dhash, thumbnail)


def test_a_forwarded_photo_is_refused_and_a_sent_one_is_not():
    assert check_forwarded(True).check is Check.FORWARDED
    assert check_forwarded(False) is None


def test_the_same_file_again_names_the_day_only_for_the_senders_own_photo():
    own = check_same_file(seen(sender=1, cert=7), 1, 9, SEOUL)
    assert (own.check, own.whose, own.day) == (Check.SAME_FILE, Whose.OWN, date(2027, 8, 16))
    other = check_same_file(seen(sender=2, cert=7), 1, 9, SEOUL)
    assert (other.whose, other.day) == (Whose.OTHER, None)  # never reveal whose
    again = check_same_file(seen(sender=1, cert=9), 1, 9, SEOUL)
    assert again.whose is Whose.THIS_CERTIFICATION
    assert check_same_file(None, 1, 9, SEOUL) is None


def test_a_near_identical_picture_is_refused_and_a_different_one_is_not():
    base_p, base_d = 0x0F0F_F0F0_1234_ABCD, 0x5555_AAAA_0000_FFFF
    close = seen(sender=2, phash=base_p ^ 0b111, dhash=base_d ^ 0b1)  # 3 and 1 bits apart
    refusal = check_reused_picture([close], base_p, base_d, 1, 9, LIMITS, SEOUL, THUMB)
    assert refusal.check is Check.REUSED_PICTURE and refusal.whose is Whose.OTHER
    far = seen(sender=2, phash=base_p ^ ((1 << 11) - 1), dhash=base_d)  # 11 bits apart
    assert check_reused_picture([far], base_p, base_d, 1, 9, LIMITS, SEOUL, THUMB) is None
    only_phash_close = seen(sender=2, phash=base_p, dhash=base_d ^ ((1 << 20) - 1))
    assert (
        check_reused_picture([only_phash_close], base_p, base_d, 1, 9, LIMITS, SEOUL, THUMB) is None
    )


def test_a_reused_picture_prefers_to_name_the_senders_own_photo():
    mine = seen(sender=1, cert=3)
    theirs = seen(sender=2, cert=4, when=WHEN - timedelta(days=3))
    refusal = check_reused_picture([theirs, mine], 0, 0, 1, 9, LIMITS, SEOUL, THUMB)
    assert refusal.whose is Whose.OWN and refusal.day == date(2027, 8, 16)


def test_the_end_photo_equal_to_the_start_photo_is_refused():
    start = seen(sender=1, cert=9)
    refusal = check_reused_picture([start], 0, 0, 1, 9, LIMITS, SEOUL, brighter(THUMB))
    assert refusal.whose is Whose.THIS_CERTIFICATION


def test_near_hashes_with_a_different_picture_are_accepted():
    # An honest second photo of the same spot: the hashes are near, the pixels have moved.
    start = seen(sender=1, cert=9)
    reuse = judge_reuse([start], 0, 0, shifted(THUMB, 2), 1, 9, LIMITS, SEOUL)
    assert reuse == Reuse()
    another = seen(sender=2, cert=4, thumbnail=picture(2))
    assert judge_reuse([another], 0, 0, THUMB, 1, 9, LIMITS, SEOUL) == Reuse()


def test_near_hashes_and_a_picture_in_doubt_are_accepted_and_flagged():
    blended = bytes((a * 7 + b * 3) // 10 for a, b in zip(THUMB, picture(3), strict=True))
    difference = picture_difference(THUMB, blended)
    assert SAME_PICTURE_MAX_DIFFERENCE < difference <= LOOKALIKE_MAX_DIFFERENCE
    reuse = judge_reuse([seen(sender=2, cert=4)], 1, 0, blended, 1, 9, LIMITS, SEOUL)
    assert reuse.refusal is None and reuse.lookalike is not None
    assert (reuse.lookalike.whose, reuse.lookalike.phash_distance) == (Whose.OTHER, 1)
    assert reuse.lookalike.difference == pytest.approx(difference)


def test_an_earlier_photo_without_a_thumbnail_is_never_a_refusal_only_a_flag():
    # Photos stored before thumbnails were kept, or whose sender's data was erased.
    old = seen(sender=2, cert=4, thumbnail=None)
    reuse = judge_reuse([old], 0, 0, THUMB, 1, 9, LIMITS, SEOUL)
    assert reuse.refusal is None and reuse.lookalike.difference is None


def test_likeness_needs_near_hashes_first():
    assert likeness(11, 0, (THUMB, THUMB), LIMITS) == (Likeness.DIFFERENT, None)
    assert likeness(10, 10, (THUMB, THUMB), LIMITS) == (Likeness.SAME, 0.0)


def test_taken_today_uses_the_exif_offset_when_present():
    sent = datetime(2027, 8, 16, 10, 0, tzinfo=SEOUL)
    # 23:30 the day before in New York is 12:30 on the 16th in Seoul: the same campaign day.
    new_york = timezone(timedelta(hours=-4))
    assert check_taken_today(datetime(2027, 8, 15, 23, 30, tzinfo=new_york), sent, SEOUL) is None
    yesterday = check_taken_today(datetime(2027, 8, 15, 21, 0, tzinfo=SEOUL), sent, SEOUL)
    assert yesterday.check is Check.NOT_TODAY and yesterday.day == date(2027, 8, 15)


def test_taken_today_reads_a_time_without_offset_as_campaign_time():
    sent = datetime(2027, 8, 16, 0, 30, tzinfo=SEOUL)
    assert check_taken_today(datetime(2027, 8, 16, 0, 10), sent, SEOUL) is None
    assert check_taken_today(datetime(2027, 8, 15, 23, 50), sent, SEOUL).day == date(2027, 8, 15)


def test_no_exif_date_is_not_a_reason_to_refuse():
    assert check_taken_today(None, WHEN, SEOUL) is None


def test_hashes_survive_the_signed_sqlite_column():
    for value in (0, 1, (1 << 63) - 1, 1 << 63, (1 << 64) - 1):
        assert to_unsigned(to_signed(value)) == value
        assert -(1 << 63) <= to_signed(value) < (1 << 63)


def test_every_hash_within_the_limit_shares_a_chunk_neighbourhood():
    rng = random.Random(7)
    for _ in range(300):
        base = rng.getrandbits(64)
        flips = rng.sample(range(64), rng.randint(0, 10))
        near = base
        for bit in flips:
            near ^= 1 << bit
        assert hamming(base, near) <= 10
        hoods = neighbourhoods(base, 10)
        assert any(chunk in hood for chunk, hood in zip(chunks(near), hoods, strict=True))


def test_neighbourhood_size_grows_with_the_limit():
    assert [len(h) for h in neighbourhoods(0, 10)] == [137] * 4  # 1 + 16 + 120
    assert [len(h) for h in neighbourhoods(0, 3)] == [1] * 4
