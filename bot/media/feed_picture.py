"""The review feed's picture: a certification's start and end photos side by side, each with its
time stamped on it like a timestamp camera, and the mission on a band above.

Everything a participant sent is shown to others only through these functions: the photo
check's one decoded picture (upright, reduced; ``photo_check.decode_photo``) is scaled down and
encoded again into a fresh JPEG that carries no EXIF (GPS, phone model, capture time), XMP, ICC
profile or comment. Pure, synchronous and CPU-bound: callers run them on the photo threads
(``photo_check.decode_in_turn``). Every word drawn comes from the caller.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, ImageOps

from bot.media.photo_check import REDUCED_SIDE, decode_photo
from bot.media.pictures import FONT_BOLD, drawable_text

__all__ = [
    "HALF_BOX",
    "SHOWN_SIDE",
    "FeedLabels",
    "clean_copy",
    "clean_jpeg",
    "compose",
    "preview",
    "preview_of",
    "shown",
]

# The long side of a photo shown alone (a risk report's): what Telegram keeps of a photo anyway.
SHOWN_SIDE = 1280
# Each photo fits in this box; two side by side with the gap stay within the 1280 px Telegram
# keeps of a photo.
HALF_BOX = (630, 840)
# A preview is the photo fitted to HALF_BOX (~40 kB, kept in the store until the post is sent),
# so the photo check's one picture must be at least that large.
assert max(HALF_BOX) <= REDUCED_SIDE
_GAP = 20
_BAND = 64  # the mission band above the photos
_QUALITY = 85

_BACKGROUND = (24, 28, 36)
_BAND_TEXT = (255, 255, 255)
_STAMP = (255, 176, 32)  # the orange digits of a timestamp camera
_STAMP_EDGE = (0, 0, 0)
_PILL = (31, 79, 160)
_MISSING = (70, 76, 88)


@dataclass(frozen=True)
class FeedLabels:
    """What is written on the picture (from the message catalogue, in the feed's language)."""

    title: str  # the mission
    start_role: str  # the catalogue's word for "start"
    end_role: str
    start_stamp: str  # "2027.08.16 19:02"
    end_stamp: str
    # A photo taken on the camera page: the server's stamp ("📷 Camera · Dec 8 19:02"), drawn
    # with a camera mark so a leader and the volunteer centre can tell it from a chat photo.
    start_camera: str = ""
    end_camera: str = ""


def clean_jpeg(image: Image.Image, *, optimize: bool = True) -> bytes:
    """``image``'s pixels as a JPEG with nothing else: a fresh image has an empty ``info``, so
    no EXIF, XMP, ICC profile or comment of the original can ride along."""
    fresh = Image.new("RGB", image.size, _BACKGROUND)
    fresh.paste(image.convert("RGB"))
    buffer = io.BytesIO()
    fresh.save(buffer, "JPEG", quality=_QUALITY, optimize=optimize)
    return buffer.getvalue()


def preview_of(image: Image.Image) -> bytes:
    """The feed's preview of a photo from its one decoded picture: fitted to ``HALF_BOX`` (up
    as well as down, so a small photo is not a stamp), re-encoded without metadata."""
    size = _contained(image.size, HALF_BOX)
    # Box-averaged by whole factors first (cheap), then bicubic: a preview needs no more, and
    # this is most of the photo's CPU after its decode.
    fitted = image.resize(size, Image.Resampling.BICUBIC, reducing_gap=1.0)
    # Kept for minutes and drawn into the feed picture: no Huffman optimising pass, which costs
    # more than it saves here.
    return clean_jpeg(fitted, optimize=False)


def shown(image: Image.Image, side: int = SHOWN_SIDE) -> bytes:
    """A photo's decoded picture as others may see it alone: at most ``side`` px, re-encoded
    without metadata."""
    fitted = image.copy()
    fitted.thumbnail((side, side), Image.Resampling.LANCZOS)
    return clean_jpeg(fitted)


def preview(data: bytes) -> bytes:
    """``preview_of`` a photo's bytes, decoded (and checked) once by the photo check."""
    return preview_of(decode_photo(data).image)


def clean_copy(data: bytes, side: int = SHOWN_SIDE) -> bytes:
    """``shown`` of a picture's bytes, decoded (and checked) once by the photo check at the size
    it is shown."""
    return shown(decode_photo(data, side=side).image, side)


def compose(start: bytes | None, end: bytes | None, labels: FeedLabels) -> bytes:
    """The feed picture from two previews (``None``, or undecodable: a plain grey panel)."""
    halves = [_half(start), _half(end)]
    height = max(h.height for h in halves)
    width = halves[0].width + _GAP + halves[1].width
    canvas = Image.new("RGB", (width, _BAND + height), _BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    _draw_band(draw, labels.title, width)
    x = 0
    for half, role, stamp, camera in (
        (halves[0], labels.start_role, labels.start_stamp, labels.start_camera),
        (halves[1], labels.end_role, labels.end_stamp, labels.end_camera),
    ):
        top = _BAND + (height - half.height) // 2
        canvas.paste(half, (x, top))
        _draw_role(draw, role, x, top)
        if camera:
            _draw_camera(draw, camera, x, top + half.height)
        else:
            _draw_stamp(draw, stamp, x + half.width, top + half.height)
        x += half.width + _GAP
    # Telegram re-encodes every photo it is sent: an optimising pass would save nobody a byte.
    return clean_jpeg(canvas, optimize=False)


def _half(data: bytes | None) -> Image.Image:
    box = HALF_BOX
    if data is not None:
        try:
            with Image.open(io.BytesIO(data), formats=("JPEG",)) as image:
                image.load()
                picture = image.convert("RGB")
            # A preview already fits the box (preview_of); one stored before it did is scaled.
            if picture.size == _contained(picture.size, box):
                return picture
            return ImageOps.contain(picture, box, Image.Resampling.LANCZOS)
        except Exception:  # a preview is ours, but a missing picture must never lose the post
            pass
    return Image.new("RGB", (box[0] * 3 // 4, box[1] * 3 // 4), _MISSING)


def _contained(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The size ``ImageOps.contain`` gives a picture of ``size`` in ``box``, without resizing."""
    width, height = size
    if width / height > box[0] / box[1]:
        return box[0], max(1, round(height / width * box[0]))
    return max(1, round(width / height * box[1])), box[1]


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_BOLD), size, layout_engine=ImageFont.Layout.BASIC)


def _fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` px."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _draw_band(draw: ImageDraw.ImageDraw, title: str, width: int) -> None:
    font = _font(30)
    text = _fit(drawable_text(title), font, width - 40)
    draw.text((20, _BAND // 2), text, font=font, fill=_BAND_TEXT, anchor="lm")


def _draw_role(draw: ImageDraw.ImageDraw, role: str, left: int, top: int) -> None:
    font = _font(26)
    text = drawable_text(role)
    if not text:
        return
    x0, y0 = left + 14, top + 14
    length = font.getlength(text)
    draw.rounded_rectangle((x0, y0, x0 + length + 28, y0 + 44), radius=22, fill=_PILL)
    draw.text((x0 + 14, y0 + 22), text, font=font, fill=_BAND_TEXT, anchor="lm")


def _draw_stamp(draw: ImageDraw.ImageDraw, stamp: str, right: int, bottom: int) -> None:
    font = _font(30)
    draw.text(
        (right - 16, bottom - 14),
        drawable_text(stamp),
        font=font,
        fill=_STAMP,
        anchor="rs",
        stroke_width=3,
        stroke_fill=_STAMP_EDGE,
    )


def _draw_camera(draw: ImageDraw.ImageDraw, stamp: str, left: int, bottom: int) -> None:
    """The camera page's stamp in a dark pill at the bottom left, led by a drawn camera (the
    font has no emoji)."""
    font = _font(24)
    text = drawable_text(stamp)
    length = font.getlength(text)
    x0, y1 = left + 12, bottom - 12
    y0 = y1 - 40
    icon = 30  # the camera mark's width
    draw.rounded_rectangle((x0, y0, x0 + 14 + icon + 8 + length + 14, y1), radius=20, fill=_PILL)
    body = (x0 + 14, y0 + 12, x0 + 14 + icon, y0 + 32)
    draw.rounded_rectangle(body, radius=4, fill=_BAND_TEXT)
    draw.rectangle((body[0] + 8, body[1] - 4, body[0] + 18, body[1]), fill=_BAND_TEXT)
    middle = ((body[0] + body[2]) // 2, (body[1] + body[3]) // 2)
    draw.ellipse((middle[0] - 6, middle[1] - 6, middle[0] + 6, middle[1] + 6), fill=_PILL)
    draw.text((body[2] + 8, (y0 + y1) // 2), text, font=font, fill=_BAND_TEXT, anchor="lm")
