"""Tests for bot.imaging: reading a participant's photo fairly (size, capture time, re-use).

Expected facts about the real photos come from tests/data/photos/manifest.csv, which was built
independently of this code (see ATTRIBUTION.md there).
"""

import csv
import hashlib
import io
import random
import struct
import warnings
import zlib
from datetime import datetime
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest
from PIL import Image, ImageFile, ImageOps

from bot.media.photo_check import (
    FULL_DECODE_MAX_PIXELS,
    JPEG_MAX_PIXELS,
    REUSE_DHASH_MAX,
    REUSE_PHASH_MAX,
    DamagedImage,
    ImageTooLarge,
    NotAnImage,
    PhotoError,
    PhotoFacts,
    hamming,
    inspect_photo,
    inspect_photo_in_turn,
    is_same_picture,
    parse_exif_datetime,
)

PHOTOS = Path(__file__).parent / "data" / "photos"
HEIC = "IMG_5195.HEIC"
SIDEWAYS = "Landscape_6.jpg"  # EXIF orientation 6
NO_EXIF = "HMD_Nokia_8.3_5G__derived_1280px_q80_noexif.jpg"
DATED_JPEG = "canon_hdr_NO.jpg"
SAME_SCENE = ("canon_hdr_NO.jpg", "canon_hdr_YES.jpg")  # 26 s apart, same lamp post
DISTINCT = ("Reconyx_HC500_Hyperfire.jpg", SIDEWAYS, NO_EXIF, HEIC, DATED_JPEG)


@cache
def manifest() -> dict[str, dict[str, str]]:
    with (PHOTOS / "manifest.csv").open(newline="", encoding="utf-8") as f:
        return {row["file"]: row for row in csv.DictReader(f)}


@cache
def photo_bytes(name: str) -> bytes:
    return (PHOTOS / name).read_bytes()


@cache
def facts_of(name: str) -> PhotoFacts:
    return inspect_photo(photo_bytes(name))


def expected_taken_at(name: str) -> datetime | None:
    row = manifest()[name]
    if not row["date_time_original"]:
        return None
    text, fmt = row["date_time_original"], "%Y:%m:%d %H:%M:%S"
    if row["offset_time_original"]:
        text, fmt = text + row["offset_time_original"], fmt + "%z"
    return datetime.strptime(text, fmt)


def expected_display_size(name: str) -> tuple[int, int]:
    width, height = manifest()[name]["display_size_after_exif_transpose"].split("x")
    return int(width), int(height)


def jpeg(image: Image.Image, quality: int = 90, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, **params)
    return out.getvalue()


def small_jpeg_with_exif(date: object, offset: object = None) -> bytes:
    exif = Image.Exif()
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = date
    if offset is not None:
        exif_ifd[0x9011] = offset
    return jpeg(Image.new("RGB", (64, 48), "orange"), exif=exif)


def png_claiming_size(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@cache
def _displayed(name: str) -> Image.Image:
    with Image.open(io.BytesIO(photo_bytes(name))) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def displayed(name: str) -> Image.Image:
    """The picture as people see it, as a fresh copy the test may change."""
    return _displayed(name).copy()


def test_test_photos_are_the_files_the_manifest_describes() -> None:
    for name in (*DISTINCT, SAME_SCENE[1]):
        assert hashlib.sha256(photo_bytes(name)).hexdigest() == manifest()[name]["sha256"]


def test_iphone_heic_opens_with_its_displayed_size_and_capture_time() -> None:
    facts = facts_of(HEIC)
    assert facts.format == "HEIF"
    assert (facts.width, facts.height) == expected_display_size(HEIC) == (2566, 3313)
    assert facts.taken_at == expected_taken_at(HEIC)
    assert facts.taken_at is not None and facts.taken_at.utcoffset() is not None


def test_photo_taken_sideways_reports_the_size_people_see() -> None:
    facts = facts_of(SIDEWAYS)
    assert manifest()[SIDEWAYS]["orientation"] == "6"
    assert (facts.width, facts.height) == expected_display_size(SIDEWAYS) == (1800, 1200)


def test_jpeg_keeps_its_camera_capture_time() -> None:
    facts = facts_of(DATED_JPEG)
    assert facts.format == "JPEG"
    assert facts.taken_at == expected_taken_at(DATED_JPEG)
    assert facts.taken_at is not None and facts.taken_at.tzinfo is None  # no OffsetTimeOriginal
    assert (facts.width, facts.height) == expected_display_size(DATED_JPEG)


def test_jpeg_with_a_time_zone_gets_an_aware_capture_time() -> None:
    facts = inspect_photo(small_jpeg_with_exif("2025:05:01 09:30:00", "+09:00"))
    assert facts.taken_at == datetime.fromisoformat("2025-05-01T09:30:00+09:00")


def test_photo_without_exif_has_no_capture_time() -> None:
    facts = facts_of(NO_EXIF)
    assert facts.taken_at is None
    assert (facts.width, facts.height) == expected_display_size(NO_EXIF)


def test_hashes_are_64_bit_numbers() -> None:
    for name in DISTINCT:
        facts = facts_of(name)
        assert 0 <= facts.phash < 2**64 and 0 <= facts.dhash < 2**64


def test_reduced_jpeg_decoding_gives_the_same_hashes_as_a_full_decode() -> None:
    for name in (SIDEWAYS, DATED_JPEG, "Reconyx_HC500_Hyperfire.jpg", NO_EXIF):
        fast, full = facts_of(name), inspect_photo(photo_bytes(name), draft=False)
        assert hamming(fast.phash, full.phash) <= 2
        assert hamming(fast.dhash, full.dhash) <= 2
        assert (fast.width, fast.height) == (full.width, full.height)


def test_re_encoded_copy_of_a_photo_is_recognised_as_the_same_picture() -> None:
    copy = inspect_photo(jpeg(displayed(SIDEWAYS), quality=90))
    assert is_same_picture(facts_of(SIDEWAYS), copy)


def test_resized_copy_of_a_photo_is_recognised_as_the_same_picture() -> None:
    picture = displayed(DATED_JPEG)
    picture.thumbnail((1280, 1280), Image.Resampling.LANCZOS)
    copy = inspect_photo(jpeg(picture, quality=85))
    assert copy.width == 960
    assert is_same_picture(facts_of(DATED_JPEG), copy)


def test_recompressed_copy_sent_again_as_png_is_recognised_as_the_same_picture() -> None:
    once = Image.open(io.BytesIO(jpeg(displayed(SIDEWAYS), quality=60)))
    out = io.BytesIO()
    once.save(out, "PNG", compress_level=1)
    copy = inspect_photo(out.getvalue())
    assert copy.format == "PNG"
    assert is_same_picture(facts_of(SIDEWAYS), copy)


def test_iphone_heic_converted_to_jpeg_is_recognised_as_the_same_picture() -> None:
    copy = inspect_photo(jpeg(displayed(HEIC), quality=85))
    assert is_same_picture(facts_of(HEIC), copy)


def test_two_different_photos_are_not_taken_for_the_same_picture() -> None:
    for a, b in combinations(DISTINCT, 2):
        first, second = facts_of(a), facts_of(b)
        assert not is_same_picture(first, second), (a, b)
        assert hamming(first.phash, second.phash) > REUSE_PHASH_MAX + 4, (a, b)


def test_two_shots_of_the_same_scene_half_a_minute_apart_are_different_pictures() -> None:
    # Measured at pHash 16 / dHash 13: outside the rule, but only 6 / 3 bits from it.
    first, second = facts_of(SAME_SCENE[0]), facts_of(SAME_SCENE[1])
    assert not is_same_picture(first, second)
    assert hamming(first.dhash, second.dhash) > REUSE_DHASH_MAX


def test_hamming_counts_differing_bits() -> None:
    assert hamming(0, 0) == 0
    assert hamming(0b1011, 0b0010) == 2
    assert hamming(0, 2**64 - 1) == 64


def test_webp_and_mpo_photos_are_accepted() -> None:
    picture = Image.new("RGB", (80, 60), "skyblue")
    out = io.BytesIO()
    picture.save(out, "WEBP")
    assert inspect_photo(out.getvalue()).format == "WEBP"
    out = io.BytesIO()
    picture.save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (80, 60), "red")])
    assert inspect_photo(out.getvalue()).format == "JPEG"  # a JPEG with extra frames


BAD_INPUTS = {
    "random bytes": random.Random(1234).randbytes(10_000),
    "empty file": b"",
    "pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    "text": "우리동네 치안협력관 미션 완료!".encode(),
}


@pytest.mark.parametrize("label", BAD_INPUTS)
def test_things_that_are_not_photos_are_refused(label: str) -> None:
    with pytest.raises(NotAnImage):
        inspect_photo(BAD_INPUTS[label])


@pytest.mark.parametrize("draft", [True, False])
def test_photo_cut_off_halfway_through_the_upload_is_refused(draft: bool) -> None:
    data = photo_bytes(NO_EXIF)
    with pytest.raises(NotAnImage):
        inspect_photo(data[: len(data) // 2], draft=draft)


def test_photo_missing_only_its_last_bytes_is_refused() -> None:
    data = photo_bytes(NO_EXIF)
    with pytest.raises(NotAnImage):
        inspect_photo(data[:-2])  # just the end-of-image marker gone


@pytest.mark.parametrize("kept", [0.1, 0.5, 0.99])
def test_heic_cut_off_during_the_upload_is_refused(kept: float) -> None:
    # libheif itself paints the missing tiles grey and reports success.
    data = photo_bytes(HEIC)
    with pytest.raises(NotAnImage):
        inspect_photo(data[: int(len(data) * kept)])


def test_unsupported_image_format_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "GIF")
    with pytest.raises(NotAnImage):
        inspect_photo(out.getvalue())


def test_png_claiming_a_gigantic_size_is_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge):
        inspect_photo(png_claiming_size(100_000, 100_000))  # 10 gigapixels


def test_png_over_the_pixel_limit_is_refused_even_where_pillow_only_warns() -> None:
    # 100 MP: above Image.MAX_IMAGE_PIXELS (~89 MP) but below the 2x where Pillow raises.
    data = png_claiming_size(10_000, 10_000)
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(ImageTooLarge):
        inspect_photo(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with pytest.raises(ImageTooLarge):
            inspect_photo(data)


def test_photo_errors_share_one_base_class() -> None:
    assert issubclass(NotAnImage, PhotoError) and issubclass(ImageTooLarge, PhotoError)


@pytest.mark.parametrize(
    "date",
    [
        "garbage",
        "",
        "0000:00:00 00:00:00",
        "    :  :     :  :  ",
        "2024:13:45 25:61:61",
        "2024:02:30 10:00:00",
        "2024:05:01",
        b"\xff\xfe\x00junk",
        "2024:05:01 09:30:00 and more",
    ],
)
def test_garbage_exif_date_means_no_capture_time(date: object) -> None:
    facts = inspect_photo(small_jpeg_with_exif(date))
    assert facts.taken_at is None
    assert (facts.width, facts.height) == (64, 48)


def test_garbage_time_zone_keeps_the_local_capture_time() -> None:
    facts = inspect_photo(small_jpeg_with_exif("2025:05:01 09:30:00", "+99:00"))
    assert facts.taken_at == datetime(2025, 5, 1, 9, 30)


def test_corrupt_exif_block_does_not_refuse_a_good_photo() -> None:
    junk = b"Exif\x00\x00" + random.Random(7).randbytes(200)
    facts = inspect_photo(jpeg(Image.new("RGB", (64, 48), "green"), exif=junk))
    assert facts.taken_at is None
    assert (facts.width, facts.height) == (64, 48)


@pytest.mark.parametrize("value", [None, 20240501, ("2024:05:01 09:30:00",), 3.5, "\x00\x00"])
def test_exif_date_of_the_wrong_type_means_no_capture_time(value: object) -> None:
    assert parse_exif_datetime(value) is None


def test_exif_date_padded_with_nuls_is_still_read() -> None:
    assert parse_exif_datetime("2024:05:01 09:30:00\x00", "+09:00\x00") == datetime.fromisoformat(
        "2024-05-01T09:30:00+09:00"
    )


# ---- hostile and damaged pictures (issue 10, items 6 and 7) --------------------------------


def cut_and_closed(data: bytes, kept: float) -> bytes:
    """The first ``kept`` of a JPEG with an end-of-image marker glued on: what a broken upload
    or a hand-made file looks like, and what Pillow decodes "successfully" with grey filling."""
    return data[: int(len(data) * kept)] + b"\xff\xd9"


@pytest.mark.parametrize("draft", [True, False])
@pytest.mark.parametrize("kept", [0.05, 0.5, 0.97])
@pytest.mark.parametrize("name", [DATED_JPEG, SIDEWAYS, "Reconyx_HC500_Hyperfire.jpg", NO_EXIF])
def test_jpeg_cut_off_and_closed_with_an_end_marker_is_refused_as_damaged(
    name: str, kept: float, draft: bool
) -> None:
    with pytest.raises(DamagedImage):
        inspect_photo(cut_and_closed(photo_bytes(name), kept), draft=draft)


def test_tiny_jpeg_whose_header_claims_9000_by_9000_is_refused_as_damaged() -> None:
    # The file found by the outside run: 2.4 KB, accepted as a start photo before.
    picture = Image.effect_noise((9000, 9000), 40)
    data = jpeg(picture, quality=80)[:2400] + b"\xff\xd9"
    assert len(data) < 2500
    with pytest.raises(DamagedImage):
        inspect_photo(data)


def test_progressive_jpeg_cut_off_is_refused_as_damaged() -> None:
    data = jpeg(displayed(DATED_JPEG), quality=85, progressive=True)
    with pytest.raises(DamagedImage):
        inspect_photo(cut_and_closed(data, 0.6))
    assert is_same_picture(facts_of(DATED_JPEG), inspect_photo(data))


def test_png_cut_off_and_closed_with_its_end_chunk_is_refused_as_damaged() -> None:
    out = io.BytesIO()
    displayed(NO_EXIF).save(out, "PNG")
    data = out.getvalue()
    iend = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    with pytest.raises(DamagedImage):
        inspect_photo(data[: len(data) // 2] + iend)


def test_pillow_grey_filling_stays_off_once_the_whole_bot_is_loaded() -> None:
    import bot.app  # noqa: F401  (every module the bot loads, handlers and pictures included)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_photo_check_refuses_to_read_pixels_if_grey_filling_was_turned_on(monkeypatch) -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "PNG")
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError):
        inspect_photo(out.getvalue())


def test_png_of_9400_by_9400_is_refused_from_its_header_before_decoding() -> None:
    # Just under Pillow's own bomb limit: before, it was decoded (265 MB of pixels each).
    with pytest.raises(ImageTooLarge):
        inspect_photo(png_claiming_size(9400, 9400))


def test_other_formats_are_read_up_to_the_full_decode_limit() -> None:
    side = int(FULL_DECODE_MAX_PIXELS**0.5)
    with pytest.raises(DamagedImage):  # within the limit: decoded, and this one has no pixels
        inspect_photo(png_claiming_size(side, side))
    with pytest.raises(ImageTooLarge):
        inspect_photo(png_claiming_size(side + 1, side + 1))


def big_gray_jpeg(width: int, height: int, **params: object) -> bytes:
    """A large, smooth grey JPEG (cheap to make, a few MB): a stand-in for a phone photo."""
    picture = Image.linear_gradient("L").resize((width, height), Image.Resampling.BILINEAR)
    return jpeg(picture, quality=70, **params)


def test_100_megapixel_phone_jpeg_is_accepted() -> None:
    facts = inspect_photo(big_gray_jpeg(11_600, 8_700))
    assert (facts.format, facts.width, facts.height) == ("JPEG", 11_600, 8_700)
    assert JPEG_MAX_PIXELS >= 200_000_000  # Samsung's 200 MP: 16320 x 12240


def test_progressive_jpeg_above_the_full_decode_limit_is_refused() -> None:
    # Progressive JPEGs are decoded with every coefficient in memory, like a PNG.
    with pytest.raises(ImageTooLarge):
        inspect_photo(big_gray_jpeg(6_000, 5_000, progressive=True))
    assert inspect_photo(big_gray_jpeg(6_000, 5_000)).width == 6_000  # baseline: fine


async def test_photos_checked_at_once_give_the_same_facts() -> None:
    import asyncio

    names = [DATED_JPEG, SIDEWAYS, NO_EXIF, HEIC] * 2
    results = await asyncio.gather(*(inspect_photo_in_turn(photo_bytes(n)) for n in names))
    assert results == [facts_of(n) for n in names]
