"""Open a participant's photo from bytes and read the facts the fairness checks need.

Pure, synchronous and CPU-bound: callers run these functions with ``asyncio.to_thread``.
The thresholds below come from ``bench/photos.py`` (run ``python -m bench.photos``).
"""

import asyncio
import contextlib
import ctypes
import functools
import io
import re
import struct
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import ParamSpec, TypeVar

import imagehash
import numpy as np
import pillow_heif
import simplejpeg  # type: ignore[import-untyped]  # the package publishes no type information
from PIL import Image, ImageFile, UnidentifiedImageError

from bot.media.alignment import features_of

__all__ = [
    "DECODE_SLOTS",
    "DRAFT_SIZE",
    "FULL_DECODE_MAX_PIXELS",
    "JPEG_MAX_PIXELS",
    "LOOKALIKE_MAX_DIFFERENCE",
    "REDUCED_SIDE",
    "REUSE_DHASH_MAX",
    "REUSE_PHASH_MAX",
    "SAME_PICTURE_MAX_DIFFERENCE",
    "SUPPORTED_FORMATS",
    "THUMBNAIL_SIDE",
    "DamagedImage",
    "DecodedPhoto",
    "ImageTooLarge",
    "NotAnImage",
    "PhotoError",
    "PhotoFacts",
    "decode_in_turn",
    "decode_photo",
    "decode_photo_in_turn",
    "hamming",
    "inspect_photo",
    "inspect_photo_in_turn",
    "is_same_picture",
    "parse_exif_datetime",
    "picture_difference",
    "within_reuse_threshold",
]

# Thumbnails are separately encoded pictures that a crafted HEIC can make differ from the main
# image, so they must never stand in for it (pillow_heif's draft() would use them). Depth and
# auxiliary images are never looked at, so don't parse them.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

# Pillow's default already, but a truncated upload must fail rather than hash a half-grey picture,
# so don't depend on nobody having flipped it (and inspect_photo refuses to run if someone does).
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Only what phones and Telegram produce; everything else (GIF, TIFF, BMP, PSD, AVIF, ...) is
# refused, which also keeps rarely used decoders away from untrusted bytes. A JPEG that carries
# extra frames (MPF: Samsung/Fujifilm, Android Ultra HDR) comes back from the JPEG opener as "MPO";
# it is reported as "JPEG".
SUPPORTED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "HEIF")
# JPEGs never go through Image.open (see _inspect_jpeg); these do.
OTHER_FORMATS: tuple[str, ...] = ("PNG", "WEBP", "HEIF")

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
# Each photo is decoded once (decode_photo), and that one picture serves every later use: the
# hashes, the thumbnail, the feed's preview, a clean copy. So its long side is also kept at least
# REDUCED_SIDE: a photo fills at most 630x840 of the feed picture (feed_picture.HALF_BOX). A
# 4000x3000 JPEG decodes at 1/4 (1000x750); a clean copy shown alone asks for 1280.
REDUCED_SIDE = 840
HASH_SOURCE_SIZE = 256
# The hashes of crops keeping each share of each side, in each of nine places (row by row: 0
# top left, 4 centred, 8 bottom right), are kept too: a crop of up to 10% on any side of
# someone else's photo lands near one of them, where its whole-picture hashes are as far as
# another picture's. Of 150 random crops (bench.photos' kinds), centred crops at 90% and 80%
# caught 51%, these 18 windows 95%. They are hashed from the picture reduced to a short side
# of WINDOW_SOURCE_SIZE: the same bits within what a re-encoding moves, at a third of the cost.
CROP_WINDOWS = tuple((share, place) for share in (0.92, 0.82) for place in range(9))
WINDOW_SOURCE_SIZE = 128

# The memory budget: the bot stays under 400 MB RSS whatever photos arrive (measured with
# `python -m bench.photo_memory`). It holds because
# - at most DECODE_SLOTS photos are decoded at once (inspect_photo_in_turn), and of those at
#   most one at full size (PNG, WebP, HEIC, progressive JPEG: a few bytes a pixel);
# - a baseline JPEG is decoded reduced, row by row: a 200 MP phone photo costs a few MB, so any
#   JPEG up to JPEG_MAX_PIXELS is accepted (Samsung's 200 MP sensor: 16320x12240);
# - everything decoded at full size is refused above FULL_DECODE_MAX_PIXELS, read from the
#   header before any pixel is decoded. Phones write their large photos as baseline JPEG; the
#   largest other phone photo by default is an iPhone's 24 MP HEIC (5712x4284). A larger one
#   (48 MP "HEIF Max") is asked for again as a compressed photo.
DECODE_SLOTS = 2
JPEG_MAX_PIXELS = 210_000_000
FULL_DECODE_MAX_PIXELS = 25_000_000
_DECODERS = ThreadPoolExecutor(max_workers=DECODE_SLOTS, thread_name_prefix="photo_check")
_FULL_DECODE = threading.BoundedSemaphore(1)
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def _give_freed_pictures_back() -> None:
    # After a large block is freed, glibc raises its mmap threshold and serves later pictures
    # from per-thread heaps that it keeps: with two decode threads the process held ~280 MB
    # after pictures that need ~130 MB each (bench.photo_memory --scenario limits). A fixed
    # threshold gives every picture-sized block its own mapping, returned when it is freed.
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to tune
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, 1 << 20)


_give_freed_pictures_back()

# Rule for "this is the same picture again", in two steps (python -m bench.photos measures it):
# 1. Near in hash space: pHash distance <= REUSE_PHASH_MAX AND dHash distance <= REUSE_DHASH_MAX
#    (the campaign file may change both). Every copy lands there (re-encoded, resized, PNG:
#    pHash <= 2, dHash <= 3; brightened 10%: <= 6), but so do honest photos of one spot: a start
#    and an end photo taken from (almost) the same place, a clean-up's before and after, two
#    participants at one corner measured pHash 0-20, dHash 0-15. Hashes alone can't tell them.
# 2. Then the pictures themselves: each photo keeps a 64x64 grey thumbnail (4 KB), and
#    picture_difference compares their fine detail (each pixel less its 3x3 neighbourhood, so
#    brightness, contrast and colour changes drop out) in a 4x4 grid; the worst cell counts.
#    Copies measured 0.01-0.24 (brightened 10%: <= 0.18; 20%: <= 0.24); honest pairs >= 0.74
#    (0.5-1% shift), a 4-pixel nudge from a tripod 0.35-0.61, a 3-pixel one ~0.36.
#    <= SAME_PICTURE_MAX_DIFFERENCE: refused as a re-used picture. Up to
#    LOOKALIKE_MAX_DIFFERENCE: accepted, and flagged for the leaders in /audit. Beyond:
#    different pictures. A second photo within ~2 pixels of the first (a tripod) is refused.
# Mirrored and 90-degree-rotated copies are NOT caught: pHash 22-42, like unrelated pictures;
# neither are crops of more than a few percent (like a step aside, which must be accepted).
REUSE_PHASH_MAX = 10
REUSE_DHASH_MAX = 10
THUMBNAIL_SIDE = 64
_CELLS = 4
SAME_PICTURE_MAX_DIFFERENCE = 0.30
LOOKALIKE_MAX_DIFFERENCE = 0.50

_JPEG_START = b"\xff\xd8\xff"
# Start-of-frame markers: every one from 0xC0 to 0xCF except DHT (C4), JPG (C8) and DAC (CC).
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_PROGRESSIVE_SOF_MARKERS = frozenset({0xC2, 0xC6, 0xCA, 0xCE})
_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
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


class DamagedImage(NotAnImage):
    """An image whose data ends early or is corrupt: never hashed with grey filling."""


class ImageTooLarge(PhotoError):
    """Declares more pixels than the memory budget allows for its format."""


@dataclass(frozen=True)
class PhotoFacts:
    """What the fairness checks need to know about one photo."""

    format: str  # "JPEG", "PNG", "WEBP" or "HEIF"
    width: int  # as displayed, i.e. after the EXIF orientation is applied
    height: int
    taken_at: datetime | None  # EXIF DateTimeOriginal; aware only if OffsetTimeOriginal is set
    phash: int  # 64-bit perceptual hash (imagehash.phash, hash_size 8)
    dhash: int  # 64-bit difference hash (imagehash.dhash, hash_size 8)
    thumbnail: bytes = b""  # THUMBNAIL_SIDE**2 grey pixels, row by row, upright
    alignment: bytes = b""  # bot.media.alignment.features_of the upright picture
    # (pHash, dHash) of the crop at each of CROP_WINDOWS
    crop_hashes: tuple[tuple[int, int], ...] = ()


def hamming(a: int, b: int) -> int:
    """Number of bits that differ between two hashes."""
    return (a ^ b).bit_count()


def within_reuse_threshold(phash_distance: int, dhash_distance: int) -> bool:
    """Whether two pictures at these hash distances are near enough to compare their pixels."""
    return phash_distance <= REUSE_PHASH_MAX and dhash_distance <= REUSE_DHASH_MAX


def is_same_picture(a: PhotoFacts, b: PhotoFacts) -> bool:
    """Whether ``b`` is a copy of ``a`` (or the other way round): near hashes, same pixels."""
    if not within_reuse_threshold(hamming(a.phash, b.phash), hamming(a.dhash, b.dhash)):
        return False
    return picture_difference(a.thumbnail, b.thumbnail) <= SAME_PICTURE_MAX_DIFFERENCE


def picture_difference(earlier: bytes, new: bytes) -> float:
    """How far apart two thumbnails' fine detail is: each thumbnail less its 3x3 local mean,
    scaled to unit spread, then the mean absolute difference of the worst of 4x4 cells.

    About 0.0-0.2 for a copy (resampled, recompressed, brightened), more than 0.7 for a second
    photo of the same spot: a moved camera moves every edge.
    """
    side = THUMBNAIL_SIDE
    if len(earlier) != side * side or len(new) != side * side:
        raise ValueError("not a thumbnail of this photo check")
    difference = np.abs(_detail(earlier) - _detail(new))
    cell = side // _CELLS
    per_cell = difference.reshape(_CELLS, cell, _CELLS, cell).mean(axis=(1, 3))
    return float(per_cell.max())


def _detail(thumbnail: bytes) -> np.ndarray:
    # Brightness, contrast and colour changes (even a colour channel clipped by brightening) move
    # the broad tones; the local detail, pixel minus its 3x3 neighbourhood, stays where it is.
    side = THUMBNAIL_SIDE
    pixels = np.frombuffer(thumbnail, dtype=np.uint8).astype(np.float32).reshape(side, side)
    padded = np.pad(pixels, 1, mode="edge")
    local = sum(padded[dy : dy + side, dx : dx + side] for dy in range(3) for dx in range(3))
    detail = pixels - np.asarray(local, dtype=np.float32) / 9
    spread = float(detail.std())
    # A flat picture has no detail to scale: compare it as it is.
    scaled: np.ndarray = detail / spread if spread > 1e-3 else detail
    return scaled


def _thumbnail(image: Image.Image) -> bytes:
    side = THUMBNAIL_SIDE
    return image.resize((side, side), Image.Resampling.BOX).tobytes()


@dataclass(frozen=True)
class DecodedPhoto:
    """A participant's photo decoded once: its facts and the one picture every later use takes
    (the feed's preview, a clean copy, the edited-copy check's features)."""

    facts: PhotoFacts
    # Upright RGB, reduced at decoding: both sides >= DRAFT_SIZE and the long side
    # >= the ``side`` asked for, where the photo is that large (at most twice that).
    image: Image.Image


def decode_photo(data: bytes, *, side: int = REDUCED_SIDE, draft: bool = True) -> DecodedPhoto:
    """Decode ``data`` once, reduced and upright, and read its size, capture time and hashes.

    The one decode of a participant's photo: nothing else decodes the uploaded bytes.
    ``draft=False`` decodes JPEGs at full size; it exists for the benchmark and tests only.
    Raises ``NotAnImage`` (``DamagedImage`` when the data ends early or is corrupt) or
    ``ImageTooLarge``; never returns a partly decoded image.
    """
    if not data:
        raise NotAnImage("empty file")
    if data.startswith(_JPEG_START):
        return _decode_jpeg_photo(data, side, draft=draft)
    return _decode_other(data, side)


def inspect_photo(data: bytes, *, draft: bool = True) -> PhotoFacts:
    """The facts of ``data`` (see ``decode_photo``), for a caller that needs no picture."""
    return decode_photo(data, draft=draft).facts


T = TypeVar("T")
P = ParamSpec("P")


async def decode_photo_in_turn(data: bytes, side: int = REDUCED_SIDE) -> DecodedPhoto:
    """``decode_photo`` on one of the DECODE_SLOTS photo threads, waiting for a free one."""
    return await decode_in_turn(decode_photo, data, side=side)


async def inspect_photo_in_turn(data: bytes) -> PhotoFacts:
    """``inspect_photo`` on one of the DECODE_SLOTS photo threads, waiting for a free one."""
    return (await decode_photo_in_turn(data)).facts


async def decode_in_turn(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Other picture work (a clean copy, the feed's preview, a risk report's pair) on the same
    photo threads, so the memory budget holds for it too."""
    call = functools.partial(work, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_DECODERS, call)


def _facts(
    fmt: str, width: int, height: int, exif: Image.Exif | None, image: Image.Image
) -> PhotoFacts:
    """What the fairness checks keep of the one decoded, upright picture.

    Anything more they learn about a photo (the edited-copy check's features) is computed here
    from ``image``, never from a second decode of the bytes.
    """
    gray = image.convert("L")
    # The hashes look at 32x32 (pHash) and 9x8 (dHash) pixels: box-averaged down to a short
    # side of at least HASH_SOURCE_SIZE first, the same bits as from the whole picture (within
    # what a re-encoding moves them) at a fifth of the cost.
    scale = max(1, min(gray.size) // HASH_SOURCE_SIZE)
    hashed = gray if scale == 1 else gray.reduce(scale)
    return PhotoFacts(
        fmt,
        width,
        height,
        _taken_at(exif),
        *_hashes(hashed),
        _thumbnail(gray),
        features_of(gray),
        _window_hashes(hashed),
    )


def _window_hashes(hashed: Image.Image) -> tuple[tuple[int, int], ...]:
    scale = max(1, min(hashed.size) // WINDOW_SOURCE_SIZE)
    source = hashed if scale == 1 else hashed.reduce(scale)
    return tuple(_hashes(_window(source, share, place)) for share, place in CROP_WINDOWS)


def _window(image: Image.Image, share: float, place: int) -> Image.Image:
    """The crop keeping ``share`` of each side, at ``place`` (see CROP_WINDOWS)."""
    width, height = image.width * share, image.height * share
    left = (image.width - width) * (place % 3) / 2
    top = (image.height - height) * (place // 3) / 2
    return image.crop((round(left), round(top), round(left + width), round(top + height)))


def _decode_jpeg_photo(data: bytes, side: int, *, draft: bool) -> DecodedPhoto:
    layout = _jpeg_layout(data)
    width, height = layout.width, layout.height
    # A single-scan (baseline) JPEG is decoded row by row and reduced as it goes, so even a
    # 200 MP phone photo costs a few MB. A multi-scan (progressive) one needs every DCT
    # coefficient in memory at once (~3 bytes a pixel), like a full decode of any other format.
    limit = FULL_DECODE_MAX_PIXELS if layout.buffered else JPEG_MAX_PIXELS
    _check_pixel_count(width, height, limit)
    scale = _draft_scale(width, height, side) if draft else 1
    wanted = (-(-width // scale), -(-height // scale))
    with _FULL_DECODE if layout.buffered else contextlib.nullcontext():
        pixels = _decode_jpeg(data, *wanted)
    exif = _exif_of(layout.exif)
    # The decoded array's memory, not a copy of it.
    picture = Image.frombuffer("RGB", pixels.shape[1::-1], pixels, "raw", "RGB", 0, 1)
    image = _upright(picture, _orientation(exif))
    if image.size != pixels.shape[1::-1]:
        width, height = height, width
    return DecodedPhoto(_facts("JPEG", width, height, exif, image), image)


def _decode_other(data: bytes, side: int) -> DecodedPhoto:
    try:
        image = Image.open(io.BytesIO(data), formats=OTHER_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning arrives as an exception only if someone runs with -W error.
        raise ImageTooLarge(str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise NotAnImage("unknown or unsupported image format") from exc
    except Exception as exc:  # any parser failure on untrusted bytes means "not an image"
        raise NotAnImage(f"unreadable image: {exc}") from exc

    with _FULL_DECODE, image:
        width, height = image.size
        # Known from the header alone: refuse before a single pixel is decoded.
        _check_pixel_count(width, height, FULL_DECODE_MAX_PIXELS)
        fmt = str(image.format)
        if fmt == "HEIF" and not _boxes_complete(data):
            raise DamagedImage("HEIF file is truncated")
        if ImageFile.LOAD_TRUNCATED_IMAGES:
            # Someone turned Pillow's grey filling on for the whole process: never hash that.
            raise RuntimeError("ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
        try:
            image.load()
            # About the size a JPEG is decoded at, so the full-size picture is let go before
            # the next one decodes.
            reduced = _reduced(image, side)
        except MemoryError as exc:
            raise ImageTooLarge("not enough memory to decode the image") from exc
        except Exception as exc:  # truncated or corrupt data, whatever the decoder says
            raise DamagedImage(f"image data is truncated or corrupt: {exc}") from exc
        exif = _exif_or_none(image)
    upright = _upright(reduced, _orientation(exif))
    if upright.size != reduced.size:
        width, height = height, width
    return DecodedPhoto(_facts(fmt, width, height, exif, upright), upright)


def _reduced(image: Image.Image, side: int) -> Image.Image:
    # The same rule as a JPEG's DCT scaling, here by averaging boxes of pixels, in the decoded
    # mode (reduce() takes these four), then RGB: transparency is dropped, as a viewer on
    # black would not; a palette or 16-bit picture is made RGB first.
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGB")
    scale = _draft_scale(*image.size, side)
    reduced = image if scale == 1 else image.reduce(scale)
    # A new picture in any case (the opened one is closed after this), and without the
    # file's metadata riding along in ``info``: only pixels leave the photo check.
    rgb = reduced.convert("RGB") if reduced.mode != "RGB" else reduced.copy()
    rgb.info = {}
    return rgb


def _hashes(image: Image.Image) -> tuple[int, int]:
    phash = _hash_to_int(imagehash.phash(image, hash_size=8))
    dhash = _hash_to_int(imagehash.dhash(image, hash_size=8))
    return phash, dhash


def _draft_scale(width: int, height: int, side: int) -> int:
    # The largest of 8, 4, 2 and 1 (a JPEG's DCT scales) that keeps both sides >= DRAFT_SIZE
    # (the hashes then match a full decode's) and the long side >= ``side``.
    fits = min(min(width, height) // DRAFT_SIZE, max(width, height) // side)
    return next((s for s in (8, 4, 2) if fits >= s), 1)


def _decode_jpeg(data: bytes, min_width: int, min_height: int) -> np.ndarray:
    # libjpeg-turbo through simplejpeg, because Pillow hides libjpeg's warnings: a JPEG cut off
    # and closed with an end marker decodes "successfully" there, the missing part painted grey.
    # Strict mode turns every warning into an error; only padding before a marker (some cameras
    # write it; nothing is missing) is forgiven.
    try:
        return _simplejpeg_decode(data, min_width, min_height, strict=True)
    except ValueError as exc:
        if "extraneous bytes" not in str(exc):
            raise DamagedImage(f"JPEG data is truncated or corrupt: {exc}") from exc
    try:
        return _simplejpeg_decode(data, min_width, min_height, strict=False)
    except ValueError as exc:
        raise DamagedImage(f"JPEG data is truncated or corrupt: {exc}") from exc


def _simplejpeg_decode(data: bytes, min_width: int, min_height: int, *, strict: bool) -> np.ndarray:
    try:
        pixels: np.ndarray = simplejpeg.decode_jpeg(
            data, colorspace="RGB", min_width=min_width, min_height=min_height, strict=strict
        )
    except MemoryError as exc:
        raise ImageTooLarge("not enough memory to decode the image") from exc
    return pixels


@dataclass(frozen=True)
class _JpegLayout:
    width: int
    height: int
    buffered: bool  # decoded with every coefficient in memory (progressive, or multi-scan)
    exif: bytes | None  # the APP1 "Exif" segment


def _jpeg_layout(data: bytes) -> _JpegLayout:
    """Walk the JPEG's marker segments up to its first scan (no pixel is decoded)."""
    pos, end = 2, len(data)
    width = height = components = 0
    progressive = False
    exif: bytes | None = None
    while True:
        if pos >= end or data[pos] != 0xFF:
            raise DamagedImage("JPEG structure is truncated or corrupt")
        while pos < end and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= end:
            raise DamagedImage("JPEG ends before its image data")
        marker = data[pos]
        pos += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            continue
        if marker == 0xD9:
            raise DamagedImage("JPEG ends before its image data")
        if pos + 2 > end:
            raise DamagedImage("JPEG structure is truncated")
        length = int.from_bytes(data[pos : pos + 2], "big")
        segment = data[pos + 2 : pos + length]
        if length < 2 or len(segment) != length - 2:
            raise DamagedImage("JPEG segment is truncated")
        if marker == 0xE1 and exif is None and segment.startswith(b"Exif\x00\x00"):
            exif = segment
        elif marker in _SOF_MARKERS and len(segment) >= 6:
            height, width, components = struct.unpack_from(">HHB", segment, 1)
            progressive = marker in _PROGRESSIVE_SOF_MARKERS
        elif marker == 0xDA:
            if width == 0 or height == 0 or not segment:
                raise NotAnImage("JPEG without a frame size")
            # libjpeg decides here, as we do: it keeps every coefficient if the frame is
            # progressive or if this first scan leaves out some of the frame's components.
            buffered = progressive or segment[0] < components
            return _JpegLayout(width, height, buffered, exif)
        pos += length


def _check_pixel_count(width: int, height: int, limit: int) -> None:
    if width * height > limit:
        raise ImageTooLarge(f"{width}x{height} is more than {limit} pixels")


def _exif_of(segment: bytes | None) -> Image.Exif | None:
    if segment is None:
        return None
    exif = Image.Exif()
    try:
        exif.load(segment)
    except Exception:  # a corrupt EXIF block must not refuse pixels that decode fine
        return None
    return exif


def _exif_or_none(image: Image.Image) -> Image.Exif | None:
    try:
        return image.getexif()
    except Exception:
        return None


def _orientation(exif: Image.Exif | None) -> int:
    try:
        value = exif.get(_ORIENTATION, 1) if exif is not None else 1
    except Exception:
        return 1
    return value if isinstance(value, int) else 1


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    """The picture as a viewer shows it (what ImageOps.exif_transpose does)."""
    method = _TRANSPOSE.get(orientation)
    return image if method is None else image.transpose(method)


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


def _taken_at(exif: Image.Exif | None) -> datetime | None:
    # EXIF comes from the sender's phone or from anyone with an EXIF editor: any failure to read
    # it means "no capture time", never an exception.
    if exif is None:
        return None
    try:
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
