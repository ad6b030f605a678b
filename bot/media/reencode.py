"""Pictures a participant sent, re-encoded by the bot before anyone else sees them.

A file sent as a document keeps its EXIF (GPS, phone model, capture time); re-posting it by
``file_id`` would publish that. These functions decode the pixels (upright, per EXIF), and write a
fresh JPEG with no EXIF, ICC, XMP or comment. Pure and CPU-bound: run them with
``asyncio.to_thread``.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps

from bot.media import photo_check  # registers the HEIC opener and keeps Pillow's limits
from bot.media.pictures import FONT_BOLD

MAX_SIDE = 1280
PAIR_SIDE = 640  # each half of a before/after pair
_QUALITY = 85
_LABEL_HEIGHT = 56


def _open(data: bytes) -> Image.Image:
    opened = Image.open(io.BytesIO(data), formats=photo_check.SUPPORTED_FORMATS)
    upright = ImageOps.exif_transpose(opened)
    return upright.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # A new Image carries no info dict entries into save(): no exif, icc_profile or comment.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.save(buffer, "JPEG", quality=_QUALITY, optimize=True)
    return buffer.getvalue()


def reencode(data: bytes, max_side: int = MAX_SIDE) -> bytes:
    """``data`` (JPEG, PNG, WebP or HEIC) as a JPEG of at most ``max_side`` px, no metadata."""
    image = _open(data)
    image.thumbnail((max_side, max_side))
    return _jpeg(image)


def before_after(before: bytes | None, after: bytes, labels: tuple[str, str]) -> bytes:
    """The place before and after, side by side under their labels (before left); without a
    before photo, the after photo alone under its label."""
    halves = [_open(b) for b in (before, after) if b is not None]
    shown = labels if before is not None else labels[1:]
    for half in halves:
        half.thumbnail((PAIR_SIDE, PAIR_SIDE))
    width = sum(h.width for h in halves) + 8 * (len(halves) - 1)
    height = max(h.height for h in halves) + _LABEL_HEIGHT
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(str(FONT_BOLD), 30)
    x = 0
    for half, label in zip(halves, shown, strict=True):
        canvas.paste(half, (x, _LABEL_HEIGHT))
        draw.text(
            (x + half.width / 2, _LABEL_HEIGHT / 2),
            label,
            fill=(30, 30, 30),
            font=font,
            anchor="mm",
        )
        x += half.width + 8
    return _jpeg(canvas)
