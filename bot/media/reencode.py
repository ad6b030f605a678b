"""A risk report's before and after photos side by side, drawn from the bot's own re-encoded
copies (handlers.photos.clean_copy) and encoded again without metadata. Pure and CPU-bound: run
it on the photo threads (``photo_check.decode_in_turn``).
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps

from bot.media import photo_check  # registers the HEIC opener and keeps Pillow's limits
from bot.media.feed_picture import clean_jpeg
from bot.media.pictures import FONT_BOLD

PAIR_SIDE = 640  # each half of a before/after pair
_LABEL_HEIGHT = 56


def _open(data: bytes) -> Image.Image:
    opened = Image.open(io.BytesIO(data), formats=photo_check.SUPPORTED_FORMATS)
    # What is stored of a photo is the bot's own JPEG (1280 px): DCT scaling decodes it at the
    # half's size straight away rather than at full size.
    opened.draft("RGB", (PAIR_SIDE, PAIR_SIDE))
    upright = ImageOps.exif_transpose(opened)
    return upright.convert("RGB")


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
    return clean_jpeg(canvas)
