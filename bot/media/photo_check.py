"""Open a participant's photo from bytes and read the facts the fairness checks need.

Pure, synchronous and CPU-bound: callers run these functions with ``asyncio.to_thread``.
The thresholds below come from ``bench/photos.py`` (run ``python -m bench.photos``).
"""

import contextlib
import io
import re
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import imagehash
import pillow_heif
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

__all__ = [
    "DRAFT_SIZE",
    "REUSE_DHASH_MAX",
    "REUSE_PHASH_MAX",
    "SUPPORTED_FORMATS",
    "ImageTooLarge",
    "NotAnImage",
    "PhotoError",
    "PhotoFacts",
    "hamming",
    "inspect_photo",
    "is_same_picture",
    "parse_exif_datetime",
    "within_reuse_threshold",
]

# Thumbnails are separately encoded pictures that a crafted HEIC can make differ from the main
# image, so they must never stand in for it (pillow_heif's draft() would use them). Depth and
# auxiliary images are never looked at, so don't parse them.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

# Pillow's default already, but a truncated upload must fail rather than hash a half-grey picture,
# so don't depend on nobody having flipped it.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Only what phones and Telegram produce; everything else (GIF, TIFF, BMP, PSD, AVIF, ...) is
# refused, which also keeps rarely used decoders away from untrusted bytes. A JPEG that carries
# extra frames (MPF: Samsung/Fujifilm, Android Ultra HDR) comes back from the JPEG opener as "MPO";
# it is reported as "JPEG".
SUPPORTED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "HEIF")

# Image.open(formats=...) only tries plugins that are already imported, and a missing one would
# otherwise surface as every HEIC being "not an image", so load them all now and fail loudly.
Image.init()
if _missing := set(SUPPORTED_FORMATS) - set(Image.OPEN):
    raise ImportError(f"Pillow cannot open {sorted(_missing)}; is pillow-heif installed?")

# JPEGs are decoded with DCT scaling to the smallest 1/1, 1/2, 1/4 or 1/8 scale whose both sides
# are still >= 512 px. On the 6 test photos and a generated 4000x3000 JPEG this gives exactly the
# same pHash and dHash bits as a full decode (at 256 px, up to 2 bits differed), and the 4000x3000
# JPEG takes 27 ms instead of 154 ms (python -m bench.photos, 2-core AMD EPYC).
DRAFT_SIZE = 512

# Rule for "this is the same picture again": pHash distance <= REUSE_PHASH_MAX AND dHash distance
# <= REUSE_DHASH_MAX. Measured with `python -m bench.photos --synthetic 250` (6 real photos plus
# 250 generated street scenes):
#   copies (JPEG q90, resized to 1280 px, JPEG q60, PNG; 1024 copies): pHash <= 2, dHash <= 3,
#     all caught. Brightened 10%: pHash <= 6, dHash <= 6, all caught. Cropped 5%: pHash <= 10,
#     dHash <= 12, 98.4% caught.
#   distinct pictures (554,863 pairs, originals and copies vs other originals): pHash >= 12,
#     dHash >= 12, never both <= 14; 0 refused. pHash <= 12 alone would refuse 3 of them.
#   same scene shot 26 s apart (canon_hdr_NO vs _YES): pHash 16, dHash 13, so not refused. The
#     dHash bound stays at 10 rather than 12 (which would catch every 5% crop) to keep that margin
#     for honest participants who photograph the same spot twice.
# Mirrored and 90-degree-rotated copies are NOT caught: pHash 22-42, like unrelated pictures.
REUSE_PHASH_MAX = 10
REUSE_DHASH_MAX = 10

_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011

# "YYYY:MM:DD HH:MM:SS" per the EXIF spec; some writers use "-" in the date or a "T", and some
# append fractional seconds, which carry nothing the same-day check needs.
_EXIF_DATETIME = re.compile(r"(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?")
_EXIF_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")
# Real UTC offsets run from -12:00 to +14:00; anything beyond is garbage, not a time zone.
_MAX_OFFSET = timedelta(hours=14)


class PhotoError(Exception):
    """The bytes can't be used as a participant's photo."""


class NotAnImage(PhotoError):
    """Not a decodable image: unknown or unsupported format, empty, truncated or corrupt."""


class ImageTooLarge(PhotoError):
    """Declares more pixels than Pillow's decompression-bomb limit (Image.MAX_IMAGE_PIXELS)."""


@dataclass(frozen=True)
class PhotoFacts:
    """What the fairness checks need to know about one photo."""

    format: str  # "JPEG", "PNG", "WEBP" or "HEIF"
    width: int  # as displayed, i.e. after the EXIF orientation is applied
    height: int
    taken_at: datetime | None  # EXIF DateTimeOriginal; aware only if OffsetTimeOriginal is set
    phash: int  # 64-bit perceptual hash (imagehash.phash, hash_size 8)
    dhash: int  # 64-bit difference hash (imagehash.dhash, hash_size 8)


def hamming(a: int, b: int) -> int:
    """Number of bits that differ between two hashes."""
    return (a ^ b).bit_count()


def within_reuse_threshold(phash_distance: int, dhash_distance: int) -> bool:
    """Whether two pictures at these hash distances count as the same picture."""
    return phash_distance <= REUSE_PHASH_MAX and dhash_distance <= REUSE_DHASH_MAX


def is_same_picture(a: PhotoFacts, b: PhotoFacts) -> bool:
    """Whether ``b`` looks like a re-use of ``a`` (or the other way round)."""
    return within_reuse_threshold(hamming(a.phash, b.phash), hamming(a.dhash, b.dhash))


def inspect_photo(data: bytes, *, draft: bool = True) -> PhotoFacts:
    """Decode ``data`` fully and return its displayed size, capture time and hashes.

    ``draft=False`` decodes JPEGs at full size; it exists for the benchmark and tests only.
    Raises ``NotAnImage`` or ``ImageTooLarge``; never returns facts about a partly decoded image.
    """
    if not data:
        raise NotAnImage("empty file")
    try:
        image = Image.open(io.BytesIO(data), formats=SUPPORTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning arrives as an exception only if someone runs with -W error.
        raise ImageTooLarge(str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise NotAnImage("unknown or unsupported image format") from exc
    except Exception as exc:  # any parser failure on untrusted bytes means "not an image"
        raise NotAnImage(f"unreadable image: {exc}") from exc

    with image:
        width, height = image.size
        _check_pixel_count(width, height)
        fmt = "JPEG" if image.format == "MPO" else str(image.format)
        if fmt == "HEIF" and not _boxes_complete(data):
            raise NotAnImage("HEIF file is truncated")
        try:
            if draft and fmt == "JPEG":
                # "L": the hashes only look at luminance, and libjpeg then skips the colour work.
                image.draft("L", (DRAFT_SIZE, DRAFT_SIZE))
            image.load()
        except MemoryError as exc:
            raise ImageTooLarge("not enough memory to decode the image") from exc
        except Exception as exc:  # truncated or corrupt data, whatever the decoder calls it
            raise NotAnImage(f"image data is truncated or corrupt: {exc}") from exc

        taken_at = _taken_at(image)
        decoded_size = image.size
        # A corrupt EXIF block must not reject pixels that decoded fine; keep them as stored.
        with contextlib.suppress(Exception):
            ImageOps.exif_transpose(image, in_place=True)
        if image.size != decoded_size:
            width, height = height, width
        phash = _hash_to_int(imagehash.phash(image, hash_size=8))
        dhash = _hash_to_int(imagehash.dhash(image, hash_size=8))
    return PhotoFacts(fmt, width, height, taken_at, phash, dhash)


def _check_pixel_count(width: int, height: int) -> None:
    # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that. Turning the warning into an
    # error with warnings.catch_warnings() would not be thread-safe (it swaps a process-wide
    # filter list while other threads decode), so apply the same limit here instead.
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        raise ImageTooLarge(f"{width}x{height} is more than {limit} pixels")


def _boxes_complete(data: bytes) -> bool:
    # libheif decodes a HEIC whose tiles are missing as flat grey without any error (an iPhone
    # photo cut to 10% still "decodes"), so check the file itself: every top-level ISOBMFF box
    # (ftyp, meta, mdat, ...) must end within the data. That catches any cut-off upload except
    # one cut exactly between two boxes.
    pos, end = 0, len(data)
    while pos < end:
        if end - pos < 8:
            return False
        (size,) = struct.unpack_from(">I", data, pos)
        header = 8
        if size == 1:  # 64-bit size follows the type
            if end - pos < 16:
                return False
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:  # "runs to the end of the file": nothing to check
            return True
        if size < header:
            return False
        pos += size
    return pos == end


def _hash_to_int(value: imagehash.ImageHash) -> int:
    # str() is imagehash's own hex form, row-major with the first bit most significant, so
    # imagehash.hex_to_hash(f"{n:016x}") gives the same hash back.
    return int(str(value), 16)


def _taken_at(image: Image.Image) -> datetime | None:
    # EXIF comes from the sender's phone or from anyone with an EXIF editor: any failure to read
    # it means "no capture time", never an exception.
    try:
        exif = image.getexif()
        exif_ifd = exif.get_ifd(_EXIF_IFD)
        # Some writers put the tag in IFD0 instead of the Exif IFD.
        raw = exif_ifd.get(_DATE_TIME_ORIGINAL, exif.get(_DATE_TIME_ORIGINAL))
        offset = exif_ifd.get(_OFFSET_TIME_ORIGINAL, exif.get(_OFFSET_TIME_ORIGINAL))
        return parse_exif_datetime(raw, offset)
    except Exception:
        return None


def parse_exif_datetime(value: object, offset: object = None) -> datetime | None:
    """Parse an EXIF "YYYY:MM:DD HH:MM:SS" and optional "+HH:MM"; ``None`` if not a real time.

    The result is aware only when ``offset`` is a valid UTC offset; a bad offset is ignored.
    """
    text = _exif_text(value)
    if text is None:
        return None
    match = _EXIF_DATETIME.fullmatch(text)
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        taken = datetime(year, month, day, hour, minute, second)
    except ValueError:  # "0000:00:00 00:00:00", month 13, etc.
        return None
    tz = _exif_offset(offset)
    return taken if tz is None else taken.replace(tzinfo=tz)


def _exif_offset(value: object) -> timezone | None:
    text = _exif_text(value)
    match = None if text is None else _EXIF_OFFSET.fullmatch(text)
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if int(minutes) >= 60 or delta > _MAX_OFFSET:
        return None
    return timezone(-delta if sign == "-" else delta)


def _exif_text(value: object) -> str | None:
    # ASCII tags usually arrive as str, but a wrong tag type gives bytes or a tuple; writers pad
    # with NULs or spaces.
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    if not isinstance(value, str):
        return None
    return value.strip("\x00 \t\r\n")
