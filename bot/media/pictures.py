"""Draw the pictures the bot sends: the milestone badge, the round calendar and the daily chart.

Pure, synchronous and CPU-bound: callers run these functions with ``asyncio.to_thread``. Each
returns PNG bytes, and the same arguments always give the same bytes. Text is set in
NanumSquareRound, shipped in ``bot/fonts`` (see the README there). Every word on a picture comes
from the caller (the message catalogue); this module holds layout, colours and digits only.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

__all__ = [
    "BADGE_CARD",
    "BADGE_NAME_BOX",
    "BADGE_SIZE",
    "CALENDAR_WIDTH",
    "CHART_SIZE",
    "FONT_BOLD",
    "FONT_REGULAR",
    "BadgeLabels",
    "Drawing",
    "calendar_cell_boxes",
    "calendar_size",
    "chart_bar_boxes",
    "chart_ticks",
    "draw_badge",
    "draw_daily_chart",
    "drawable_text",
    "is_drawable",
    "render_badge",
    "render_calendar",
    "render_daily_chart",
]

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_BOLD = FONTS / "NanumSquareRoundB.ttf"
FONT_REGULAR = FONTS / "NanumSquareRoundR.ttf"

Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]

# Pillow does not anti-alias shapes, so everything is drawn at twice the size and halved at the
# end (a 2x2 box filter): rounded corners and circles come out smooth for about 3x the work.
_SCALE = 2

BADGE_SIZE = (800, 800)
BADGE_CARD: Box = (32, 32, 768, 768)
# The band the person's name is drawn in, however long it is (between reward and achievement).
BADGE_NAME_BOX: Box = (88, 446, 712, 548)
CALENDAR_WIDTH = 800
CHART_SIZE = (800, 500)

_BLUE = (31, 79, 160)  # police blue
_BLUE_DARK = (20, 48, 104)
_NAVY = (16, 34, 78)
_PLUM = (74, 32, 92)
_BLUE_MID = (66, 120, 214)
_BLUE_LIGHT = (205, 222, 255)
_BLUE_PALE = (234, 241, 252)
_AMBER = (255, 184, 48)
_AMBER_DARK = (214, 128, 0)
_AMBER_PALE = (255, 241, 210)
_CORAL = (240, 98, 88)
_CORAL_DARK = (204, 66, 60)
_MINT = (84, 201, 172)
_INK = (33, 39, 51)
_GREY = (128, 138, 156)
_GREY_LIGHT = (236, 240, 246)
_GREY_LINE = (221, 226, 235)
_GREY_FAINT = (196, 202, 212)
_WHITE = (255, 255, 255)
_SUNDAY = (222, 72, 66)


# --- text --------------------------------------------------------------------------------------


# Fonts are cached and shared by every thread that renders. That is safe because Pillow calls
# FreeType with the GIL held, so one face is never used by two threads at once.
@lru_cache(maxsize=64)
def _font(size: int, *, bold: bool = True) -> ImageFont.FreeTypeFont:
    # BASIC layout: Hangul needs no shaping, and it gives the same pixels whether or not this
    # Pillow build found libraqm.
    path = FONT_BOLD if bold else FONT_REGULAR
    return ImageFont.truetype(str(path), size * _SCALE, layout_engine=ImageFont.Layout.BASIC)


@cache
def _notdef(bold: bool) -> tuple[tuple[int, int], bytes]:
    # U+10FFFF is a noncharacter: no font maps it, so FreeType draws glyph 0, the tofu box.
    mask = _font(24, bold=bold).getmask("\U0010ffff")
    return mask.size, bytes(mask)


@cache
def is_drawable(ch: str) -> bool:
    """Whether both bundled fonts have a real glyph for ``ch`` (not the missing-glyph box)."""
    for bold in (True, False):
        mask = _font(24, bold=bold).getmask(ch)
        if (mask.size, bytes(mask)) == _notdef(bold):
            return False
    return True


def drawable_text(text: str) -> str:
    """``text`` with what the font cannot draw left out, so that no tofu box is ever shown.

    Emoji and Hanja are dropped; an accented letter the font lacks (é) loses its accent.
    """
    kept: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.category(ch) == "Cf":  # joiners, direction marks: nothing to see
            continue
        if ch.isspace():
            kept.append(" ")
        elif is_drawable(ch):
            kept.append(ch)
        else:
            kept.extend(part for part in unicodedata.normalize("NFD", ch) if is_drawable(part))
    return " ".join("".join(kept).split())


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text) / _SCALE


@lru_cache(maxsize=64)
def _middle(font: ImageFont.FreeTypeFont) -> float:
    # Offset from the visual middle of a Hangul syllable down to the baseline, so that every
    # line (with or without descenders) sits at the same height inside pills and cells.
    _, top, _, bottom = font.getbbox("\ud55c", anchor="ls")
    return -(top + bottom) / 2 / _SCALE


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line breaking at spaces; a word wider than a line is broken between characters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _width(font, candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while _width(font, word) > width and len(word) > 1:
            cut = max(1, _longest_prefix(word, font, width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _longest_prefix(text: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(font, text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _fit(
    text: str, width: float, attempts: Sequence[tuple[int, int]], *, bold: bool = True
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The first (size, max lines) attempt that holds ``text`` within ``width``.

    If none does, the last attempt's lines are cut and the final one ends in an ellipsis.
    """
    for size, max_lines in attempts:
        font = _font(size, bold=bold)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    ellipsis = "\u2026"
    last = lines[-1]
    while last and _width(font, last + ellipsis) > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + ellipsis
    return font, lines


def _fit_line(
    text: str, width: float, sizes: Sequence[int], *, bold: bool = True
) -> tuple[ImageFont.FreeTypeFont, str]:
    """``text`` on one line at the largest of ``sizes`` that fits, else cut at the smallest."""
    font, lines = _fit(text, width, [(size, 1) for size in sizes], bold=bold)
    return font, lines[0] if lines else ""


def _fill_template(template: str, **values: str) -> str:
    # Plain replacement rather than str.format: a translation may contain other braces, and a
    # person's name must never be read as a format spec.
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


# --- drawing -----------------------------------------------------------------------------------


class _Canvas:
    """An RGB image drawn in logical pixels at ``_SCALE`` times the size."""

    def __init__(self, size: tuple[int, int], background: RGB) -> None:
        self.size = size
        self.image = Image.new("RGB", (size[0] * _SCALE, size[1] * _SCALE), background)
        self.draw = ImageDraw.Draw(self.image)
        self.texts: list[str] = []  # every line drawn, in order: what a test can read back

    @staticmethod
    def _box(box: Sequence[float]) -> list[float]:
        return [v * _SCALE for v in box]

    def rect(
        self,
        box: Sequence[float],
        *,
        radius: float = 0,
        fill: RGB | None = None,
        outline: RGB | None = None,
        width: float = 0,
    ) -> None:
        self.draw.rounded_rectangle(
            self._box(box),
            radius=round(radius * _SCALE),
            fill=fill,
            outline=outline,
            width=round(width * _SCALE),
        )

    def circle(
        self,
        centre: tuple[float, float],
        radius: float,
        *,
        fill: RGB | None = None,
        outline: RGB | None = None,
        width: float = 0,
    ) -> None:
        x, y = centre
        box = self._box((x - radius, y - radius, x + radius, y + radius))
        self.draw.ellipse(box, fill=fill, outline=outline, width=round(width * _SCALE))

    def clipped_ellipse(
        self, box: Sequence[float], clip: Sequence[float], clip_radius: float, fill: RGB
    ) -> None:
        """Fill the part of ellipse ``box`` that lies inside the rounded rectangle ``clip``."""
        # Masks only as large as the overlap: full-size ones would cost more than all the rest.
        ex0, ey0, ex1, ey1 = self._box(box)
        cx0, cy0, cx1, cy1 = self._box(clip)
        x0, y0 = math.floor(max(ex0, cx0)), math.floor(max(ey0, cy0))
        # Pillow's boxes include their right and bottom edges, hence the + 1.
        x1, y1 = math.ceil(min(ex1, cx1)) + 1, math.ceil(min(ey1, cy1)) + 1
        if x1 <= x0 or y1 <= y0:
            return
        size = (x1 - x0, y1 - y0)
        mask = Image.new("L", size, 0)
        ImageDraw.Draw(mask).ellipse((ex0 - x0, ey0 - y0, ex1 - x0, ey1 - y0), fill=255)
        inside = Image.new("L", size, 0)
        ImageDraw.Draw(inside).rounded_rectangle(
            (cx0 - x0, cy0 - y0, cx1 - x0, cy1 - y0), radius=round(clip_radius * _SCALE), fill=255
        )
        self.image.paste(fill, (x0, y0, x1, y1), ImageChops.multiply(mask, inside))

    def polygon(self, points: Sequence[tuple[float, float]], fill: RGB) -> None:
        self.draw.polygon([(x * _SCALE, y * _SCALE) for x, y in points], fill=fill)

    def line(self, points: Sequence[tuple[float, float]], fill: RGB, width: float) -> None:
        scaled = [(x * _SCALE, y * _SCALE) for x, y in points]
        self.draw.line(scaled, fill=fill, width=round(width * _SCALE), joint="curve")

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        font: ImageFont.FreeTypeFont,
        fill: RGB,
        *,
        align: str = "m",
    ) -> None:
        """One line whose Hangul is vertically centred on ``y``; ``align`` is l, m or r."""
        if not text:
            return
        self.texts.append(text)
        x, y = xy
        baseline = y + _middle(font)
        self.draw.text(
            (x * _SCALE, baseline * _SCALE), text, font=font, fill=fill, anchor=align + "s"
        )

    def lines(
        self,
        centre: tuple[float, float],
        lines: Sequence[str],
        font: ImageFont.FreeTypeFont,
        fill: RGB,
        leading: float = 1.2,
    ) -> None:
        """Centred lines whose block is vertically centred on ``centre``."""
        step = font.size / _SCALE * leading
        x, y = centre
        first = y - step * (len(lines) - 1) / 2
        for i, line in enumerate(lines):
            self.text((x, first + i * step), line, font, fill)

    def pill(
        self,
        centre: tuple[float, float],
        text: str,
        font: ImageFont.FreeTypeFont,
        *,
        fill: RGB,
        ink: RGB,
        pad: float,
        height: float,
    ) -> Box:
        x, y = centre
        half = _width(font, text) / 2 + pad
        box = (round(x - half), round(y - height / 2), round(x + half), round(y + height / 2))
        self.rect(box, radius=height / 2, fill=fill)
        self.text((x, y), text, font, ink)
        return box

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.reduce(_SCALE).save(out, "PNG")
        return out.getvalue()

    def drawing(self, **layout: tuple[int, ...]) -> Drawing:
        return Drawing(self.png(), tuple(self.texts), layout)


@dataclass(frozen=True)
class Drawing:
    """A rendered picture and what is on it: the PNG, every line of text drawn (in drawing
    order), and named layout figures (e.g. the chart's axis ticks)."""

    png: bytes
    texts: tuple[str, ...]
    layout: dict[str, tuple[int, ...]]


def _star(centre: tuple[float, float], outer: float, inner: float) -> list[tuple[float, float]]:
    x, y = centre
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    return points


# --- badge -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeLabels:
    """The words on a badge, from the message catalogue in the person's language.

    ``{count}`` in ``achievement`` and ``{name}`` in ``name`` are replaced; any other text is
    drawn as it is. An empty ``headline`` leaves that line out.
    """

    headline: str  # a cheer above the reward; "" for none
    name: str  # the person's name with its honorific, around {name}
    achievement: str  # the milestone reached, around {count}


# Confetti on the card: (x, y, size, colour, round?). Fixed, so every badge looks the same.
_CONFETTI: tuple[tuple[int, int, int, RGB, bool], ...] = (
    (140, 170, 9, _AMBER, True),
    (196, 248, 6, _CORAL, True),
    (118, 300, 7, _MINT, False),
    (224, 122, 5, _BLUE_MID, True),
    (660, 164, 9, _CORAL, True),
    (604, 236, 6, _AMBER, False),
    (688, 294, 7, _BLUE_MID, True),
    (582, 120, 5, _MINT, True),
    (92, 230, 5, _BLUE_LIGHT, True),
    (712, 220, 5, _AMBER, True),
)


@dataclass(frozen=True)
class _Tier:
    """How a reward step looks: each step up is richer (silver, then gold with a laurel)."""

    frame: RGB
    frame_rings: RGB
    rim: RGB
    disc: RGB
    face: RGB
    digits: RGB
    ribbons: tuple[RGB, RGB]
    stars: int
    laurel: bool


_TIERS = (
    _Tier(
        _BLUE,
        (44, 94, 178),
        (112, 126, 150),
        (186, 198, 216),
        (242, 245, 250),
        _BLUE_DARK,
        (_BLUE_MID, _BLUE),
        1,
        False,
    ),
    _Tier(
        _NAVY,
        (32, 58, 116),
        _AMBER_DARK,
        _AMBER,
        _AMBER_PALE,
        _BLUE_DARK,
        (_CORAL, _CORAL_DARK),
        2,
        True,
    ),
    _Tier(
        _PLUM,
        (104, 50, 122),
        _AMBER_DARK,
        _AMBER,
        _AMBER_PALE,
        _PLUM,
        (_CORAL, _CORAL_DARK),
        3,
        True,
    ),
)


def _leaf(
    canvas: _Canvas, base: tuple[float, float], angle: float, length: float, colour: RGB
) -> None:
    """A pointed oval leaf growing from ``base`` in direction ``angle`` (radians)."""
    dx, dy = math.cos(angle), math.sin(angle)
    half = length * 0.22
    side_a, side_b = [], []
    for i in range(9):
        t = i / 8
        x, y = base[0] + dx * length * t, base[1] + dy * length * t
        w = half * math.sin(math.pi * t)
        side_a.append((x - dy * w, y + dx * w))
        side_b.append((x + dy * w, y - dx * w))
    canvas.polygon(side_a + side_b[::-1], colour)


def _laurel(canvas: _Canvas, centre: tuple[float, float], radius: float, colour: RGB) -> None:
    """Two branches of leaves up the medal's sides, open at the top and at the ribbons."""
    cx, cy = centre
    for side in (-1, 1):
        stem = []
        for i in range(7):
            theta = math.radians(150 + i * 13)  # lower left to upper left; mirrored on the right
            x, y = cx + side * radius * math.cos(theta), cy + radius * math.sin(theta)
            stem.append((x, y))
            up = math.atan2(math.cos(theta), -side * math.sin(theta))  # along the stem, upwards
            for lean in (-0.6, 0.6):
                _leaf(canvas, (x, y), up + lean, 22, colour)
        canvas.line(stem, colour, 3)


def render_badge(
    *,
    name: str,
    reward: str,
    count: int,
    round_name: str,
    station: str,
    campaign: str,
    labels: BadgeLabels,
    step: int = 1,
    day: str = "",
) -> bytes:
    """A square certificate card for reaching a reward milestone (``BADGE_SIZE`` PNG)."""
    return draw_badge(
        name=name,
        reward=reward,
        count=count,
        round_name=round_name,
        station=station,
        campaign=campaign,
        labels=labels,
        step=step,
        day=day,
    ).png


def draw_badge(
    *,
    name: str,
    reward: str,
    count: int,
    round_name: str,
    station: str,
    campaign: str,
    labels: BadgeLabels,
    step: int = 1,
    day: str = "",
) -> Drawing:
    """The badge and its texts. ``step`` is the reward's place among the campaign's rewards
    (1 = the first, e.g. 20 certifications): each step up looks richer. ``day`` is the date it
    was reached, as the person's language writes it."""
    tier = _TIERS[min(max(step, 1), len(_TIERS)) - 1]
    canvas = _Canvas(BADGE_SIZE, tier.frame)
    left, top, right, _ = BADGE_CARD
    cx = (left + right) / 2
    inner = right - left - 2 * 56  # text column width inside the card

    # Frame: a few soft rings on the border so the card looks like it pops out.
    for x, y, r in ((36, 60, 120), (790, 700, 150), (760, 30, 60)):
        canvas.circle((x, y), r, outline=tier.frame_rings, width=18)
    canvas.rect(BADGE_CARD, radius=48, fill=_WHITE)
    if tier.laurel:
        canvas.rect(
            (left + 10, top + 10, right - 10, BADGE_CARD[3] - 10),
            radius=40,
            outline=_AMBER,
            width=5,
        )
    # A pale sky over the medal whose lower edge curves down, clipped to the card.
    canvas.clipped_ellipse(
        (left - 220, top - 420, right + 220, top + 270), BADGE_CARD, 48, _BLUE_PALE
    )
    for x, y, size, colour, is_round in _CONFETTI:
        if is_round:
            canvas.circle((x, y), size, fill=colour)
        else:
            canvas.rect((x - size, y - size, x + size, y + size), radius=2, fill=colour)

    font, line = _fit_line(drawable_text(campaign), inner - 48, (24, 20, 17))
    if line:
        canvas.pill((cx, 80), line, font, fill=tier.frame, ink=_WHITE, pad=24, height=46)

    # Medal: ribbon tails behind a disc with the count in it; a laurel from the second step.
    my = 204
    for side in (-1, 1):
        x0 = cx + side * 18
        x1 = cx + side * 70
        canvas.polygon(
            [
                (x0, my),
                (x0 + side * 38, my),
                (x1, my + 106),
                (x1 - side * 26, my + 90),
                (x1 - side * 54, my + 112),
            ],
            tier.ribbons[0] if side < 0 else tier.ribbons[1],
        )
    if tier.laurel:
        _laurel(canvas, (cx, my), 104, _AMBER_DARK)
    canvas.circle((cx, my), 88, fill=tier.rim)
    canvas.circle((cx, my), 80, fill=tier.disc)
    canvas.circle((cx, my), 63, fill=tier.face)
    for angle in range(0, 360, 30):
        rad = math.radians(angle)
        canvas.circle((cx + 71.5 * math.cos(rad), my + 71.5 * math.sin(rad)), 3, fill=tier.face)
    for i in range(tier.stars):
        sx = cx + (i - (tier.stars - 1) / 2) * 28
        canvas.polygon(_star((sx, my - 38), 13, 5.6), tier.rim)
    digits = str(count)
    font, line = _fit_line(digits, 106, (58, 48, 38, 28))
    canvas.text((cx, my + 14), line, font, tier.digits)

    # The congratulation is the largest line after the name: it is what a phone shows first.
    font, line = _fit_line(drawable_text(labels.headline), inner, (50, 42, 34))
    canvas.text((cx, 356), line, font, _CORAL_DARK)
    font, lines = _fit(drawable_text(reward), inner, ((40, 1), (34, 1), (28, 2), (24, 2)))
    canvas.lines((cx, 414), lines, font, _BLUE)

    # The name gets the room between the reward and the achievement pill: one big line if it
    # fits, else smaller and wrapped, and only cut as a last resort (40 wide letters).
    person = drawable_text(name)
    if person:
        text = drawable_text(_fill_template(labels.name, name=person))
        x0, y0, x1, y1 = BADGE_NAME_BOX
        # Three lines of 22 px are the most the band holds (3 x 1.15 x 22 plus the glyphs).
        font, lines = _fit(text, x1 - x0, ((54, 1), (44, 1), (36, 1), (30, 2), (26, 2), (22, 3)))
        canvas.lines(((x0 + x1) / 2, (y0 + y1) / 2), lines, font, _INK, leading=1.15)

    achievement = drawable_text(_fill_template(labels.achievement, count=str(count)))
    font, line = _fit_line(achievement, inner - 56, (30, 24, 20))
    if line:
        canvas.pill((cx, 594), line, font, fill=_AMBER, ink=_INK, pad=28, height=58)

    # Footer: round, station and the day, each in its own pill so no separator word is needed.
    canvas.line([(left + 56, 652), (right - 56, 652)], _GREY_LINE, 2)
    footer = [t for t in map(drawable_text, (round_name, station, day)) if t]
    if footer:
        pad, gap = 18, 10
        room = inner - gap * (len(footer) - 1) - 2 * pad * len(footer)  # for the text alone
        for size in (22, 19, 16):
            font = _font(size)
            if sum(_width(font, t) for t in footer) <= room:
                break
        else:  # still too long: each pill gets an equal share and is cut to it
            footer = [_fit_line(t, room / len(footer), (16,))[1] for t in footer]
        widths = [_width(font, t) + 2 * pad for t in footer]
        total = sum(widths) + gap * (len(footer) - 1)
        pill_x = cx - total / 2
        for i, (label, w) in enumerate(zip(footer, widths, strict=True)):
            fill, ink = ((_BLUE_PALE, _BLUE), (_GREY_LIGHT, _INK))[min(i, 1)]
            canvas.pill((pill_x + w / 2, 704), label, font, fill=fill, ink=ink, pad=pad, height=40)
            pill_x += w + gap
    return canvas.drawing(step=(step,))


# --- calendar ----------------------------------------------------------------------------------

_CAL_MARGIN = 40
_CAL_GAP = 8
_CAL_CELL_W = (CALENDAR_WIDTH - 2 * _CAL_MARGIN - 6 * _CAL_GAP) // 7
_CAL_CELL_H = 78
_CAL_GRID_TOP = 156
_CAL_FOOTER = 96


def _calendar_start(days: Sequence[date]) -> date:
    first = min(days)
    return first - timedelta(days=first.weekday())


def _calendar_weeks(days: Sequence[date]) -> int:
    return (max(days) - _calendar_start(days)).days // 7 + 1


def calendar_cell_boxes(days: Sequence[date]) -> dict[date, Box]:
    """Where each date of the grid is drawn: Monday-first weeks from the first day's week."""
    if not days:
        raise ValueError("a calendar needs at least one day")
    start = _calendar_start(days)
    boxes = {}
    for week in range(_calendar_weeks(days)):
        for weekday in range(7):
            x = _CAL_MARGIN + weekday * (_CAL_CELL_W + _CAL_GAP)
            y = _CAL_GRID_TOP + week * (_CAL_CELL_H + _CAL_GAP)
            boxes[start + timedelta(days=week * 7 + weekday)] = (
                x,
                y,
                x + _CAL_CELL_W,
                y + _CAL_CELL_H,
            )
    return boxes


def calendar_size(days: Sequence[date]) -> tuple[int, int]:
    """The calendar picture's size: fixed width, one row per week."""
    weeks = _calendar_weeks(days)
    grid = weeks * _CAL_CELL_H + (weeks - 1) * _CAL_GAP
    return CALENDAR_WIDTH, _CAL_GRID_TOP + grid + _CAL_FOOTER


def _check(canvas: _Canvas, centre: tuple[float, float], radius: float, colour: RGB) -> None:
    x, y = centre
    canvas.circle(centre, radius, fill=colour)
    s = radius / 10
    canvas.line(
        [(x - 4.5 * s, y + 0.2 * s), (x - 1.2 * s, y + 3.6 * s), (x + 5 * s, y - 3.4 * s)],
        _WHITE,
        2.2 * s,
    )


def render_calendar(
    *,
    days: list[date],
    certified: dict[date, int],
    today: date | None,
    title: str,
    weekday_labels: tuple[str, ...],
    legend: str,
) -> bytes:
    """A round's calendar: each day's cell shows whether it was certified once or more.

    Days of the grid outside the round are greyed; days after ``today`` are left blank.
    ``weekday_labels`` are Monday to Sunday; ``legend`` titles the colour key.
    """
    if len(weekday_labels) != 7:
        raise ValueError("weekday_labels must name the 7 days from Monday")
    boxes = calendar_cell_boxes(days)
    canvas = _Canvas(calendar_size(days), _WHITE)
    width = CALENDAR_WIDTH
    in_round = set(days)

    canvas.rect((0, 0, width, 120), fill=_BLUE)
    canvas.circle((width - 40, 10), 90, outline=(44, 94, 178), width=16)
    font, line = _fit_line(drawable_text(title), width - 2 * _CAL_MARGIN - 120, (34, 28, 22))
    canvas.text((_CAL_MARGIN, 62), line, font, _WHITE, align="l")

    for i, label in enumerate(weekday_labels):
        x = _CAL_MARGIN + i * (_CAL_CELL_W + _CAL_GAP) + _CAL_CELL_W / 2
        colour = _SUNDAY if i == 6 else _BLUE_MID if i == 5 else _GREY
        font, line = _fit_line(drawable_text(label), _CAL_CELL_W - 8, (19, 15, 12))
        canvas.text((x, 138), line, font, colour)

    number_font = _font(22)
    count_font = _font(17)
    first = min(days)
    for day, (x0, y0, x1, y1) in boxes.items():
        count = certified.get(day, 0) if day in in_round else 0
        future = today is not None and day > today
        if day not in in_round:
            fill, ink, outline = _WHITE, _GREY_FAINT, None
        elif count >= 2:
            fill, ink, outline = _BLUE, _WHITE, None
        elif count == 1:
            fill, ink, outline = _BLUE_LIGHT, _BLUE_DARK, None
        elif future:
            fill, ink, outline = _WHITE, _GREY, _GREY_LINE
        else:
            fill, ink, outline = _GREY_LIGHT, _GREY, None
        canvas.rect((x0, y0, x1, y1), radius=16, fill=fill, outline=outline, width=2)
        if day == today:
            canvas.rect((x0 - 3, y0 - 3, x1 + 3, y1 + 3), radius=19, outline=_AMBER, width=4)

        # The month is shown where it starts (and on the first cell), as M/D like the chart.
        number = f"{day.month}/{day.day}" if day.day == 1 or day == first else str(day.day)
        canvas.text((x0 + 12, y0 + 22), number, number_font, ink, align="l")
        if count == 1:
            _check(canvas, (x1 - 22, y1 - 22), 12, _BLUE)
        elif count >= 2:
            canvas.circle((x1 - 22, y1 - 22), 15, fill=_AMBER)
            canvas.text((x1 - 22, y1 - 22), str(count) if count < 10 else "9+", count_font, _INK)

    # Key: the caller's legend, then a swatch per state numbered 0, 1, 2+.
    _, height = canvas.size
    y = height - _CAL_FOOTER / 2 + 4
    canvas.line(
        [
            (_CAL_MARGIN, height - _CAL_FOOTER + 24),
            (width - _CAL_MARGIN, height - _CAL_FOOTER + 24),
        ],
        _GREY_LINE,
        2,
    )
    key_font = _font(20)
    swatches = ((_GREY_LIGHT, _GREY, "0"), (_BLUE_LIGHT, _BLUE_DARK, "1"), (_BLUE, _WHITE, "2+"))
    key_width = 3 * 64 + 2 * 12
    font, line = _fit_line(
        drawable_text(legend), width - 2 * _CAL_MARGIN - key_width - 24, (20, 16, 14)
    )
    canvas.text((_CAL_MARGIN, y), line, font, _INK, align="l")
    x = width - _CAL_MARGIN - key_width
    for fill, ink, label in swatches:
        canvas.rect((x, y - 18, x + 64, y + 18), radius=12, fill=fill)
        canvas.text((x + 32, y), label, key_font, ink)
        x += 64 + 12
    return canvas.png()


# --- chart -------------------------------------------------------------------------------------

_PLOT = (92, 214, 768, 444)  # left, top, right, bottom of the bar area
_CHART_HEADER = 152


def chart_ticks(peak: int) -> list[int]:
    """Round numbers for the count axis, from 0 to at least ``peak``: 1, 2 or 5 times a power
    of ten apart, at most 5 steps (peak 37 gives 0, 10, 20, 30, 40)."""
    if peak < 0:
        raise ValueError("counts cannot be negative")
    step = 1
    while math.ceil(peak / step) > 5:
        step = _next_round_step(step)
    return [i * step for i in range(max(1, math.ceil(peak / step)) + 1)]


def _next_round_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50, ...: the round step after ``step``."""
    digits = str(step)
    lead, zeros = int(digits[0]), len(digits) - 1
    return (2 if lead == 1 else 5 if lead == 2 else 10) * int(10**zeros)


def chart_bar_boxes(counts: Sequence[int]) -> list[Box]:
    """Where each day's bar is drawn (scaled to the top tick); a day with no certification
    gets a flat stub."""
    if not counts:
        raise ValueError("a chart needs at least one day")
    left, top, right, bottom = _PLOT
    slot = (right - left) / len(counts)
    bar = max(2.0, min(slot * 0.66, 48.0))
    scale = chart_ticks(max(counts))[-1]
    boxes = []
    for i, count in enumerate(counts):
        centre = left + slot * (i + 0.5)
        height = max(4.0, (bottom - top) * count / scale)
        boxes.append(
            (round(centre - bar / 2), round(bottom - height), round(centre + bar / 2), bottom)
        )
    return boxes


def render_daily_chart(
    *, days: list[date], counts: list[int], title: str, axis_label: str, summary: str = ""
) -> bytes:
    """Bars of certifications per day of a round, the busiest day in the warm accent colour."""
    return draw_daily_chart(
        days=days, counts=counts, title=title, axis_label=axis_label, summary=summary
    ).png


def draw_daily_chart(
    *, days: list[date], counts: list[int], title: str, axis_label: str, summary: str = ""
) -> Drawing:
    """The chart and its texts. ``summary`` (e.g. the total and the daily average) is the
    header's second line, in large type: the figure most people want."""
    if len(days) != len(counts):
        raise ValueError("days and counts must have the same length")
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")
    boxes = chart_bar_boxes(counts)
    canvas = _Canvas(CHART_SIZE, _WHITE)
    width, _ = CHART_SIZE
    left, top, right, bottom = _PLOT
    peak = max(counts)
    ticks = chart_ticks(peak)

    # Title, the summary, and the axis label under them rather than over the plot, where the
    # busiest day's bubble could land on it.
    canvas.rect((0, 0, width, _CHART_HEADER), fill=_BLUE)
    canvas.circle((width - 40, 6), 80, outline=(44, 94, 178), width=14)
    font, line = _fit_line(drawable_text(title), width - 2 * 40 - 100, (28, 24, 20))
    canvas.text((40, 38), line, font, _WHITE, align="l")
    font, line = _fit_line(drawable_text(summary), width - 2 * 40, (30, 26, 22))
    canvas.text((40, 84), line, font, _AMBER_PALE, align="l")
    font, line = _fit_line(drawable_text(axis_label), width - 2 * 40, (17, 15))
    canvas.text((40, 126), line, font, _BLUE_LIGHT, align="l")

    # Grid: a line and a label at each round tick, the baseline darker.
    label_font = _font(18)
    for tick in ticks:
        y = bottom - (bottom - top) * tick / ticks[-1]
        if tick:
            canvas.line([(left, y), (right, y)], _GREY_LIGHT, 2)
        canvas.text((left - 14, y), str(tick), label_font, _GREY, align="r")

    busiest = counts.index(peak) if peak else None
    for i, (count, (x0, y0, x1, y1)) in enumerate(zip(counts, boxes, strict=True)):
        if count == 0:
            canvas.rect((x0, y0, x1, y1), radius=2, fill=_GREY_LINE)
            continue
        colour = _AMBER if count == peak else _BLUE_MID
        radius = min((x1 - x0) / 2, 8)
        canvas.rect((x0, y0, x1, y1 + radius), radius=radius, fill=colour)
        if i == busiest:
            cx = (x0 + x1) / 2
            label = str(count)
            bubble_font = _font(18)
            half = max(_width(bubble_font, label) / 2 + 10, 17)
            canvas.rect((cx - half, y0 - 44, cx + half, y0 - 12), radius=16, fill=_AMBER_DARK)
            canvas.polygon([(cx - 6, y0 - 13), (cx + 6, y0 - 13), (cx, y0 - 6)], _AMBER_DARK)
            canvas.text((cx, y0 - 28), label, bubble_font, _WHITE)
    canvas.rect((left - 4, bottom, right + 4, bottom + 30), fill=_WHITE)  # bars' rounded feet
    canvas.line([(left, bottom), (right, bottom)], _GREY_FAINT, 2)

    # Dates under the axis: the first day and then one a week, as M/D.
    tick_font = _font(16, bold=False)
    step = max(1, math.ceil(len(days) / 8))
    if len(days) > 14:
        step = 7 * max(1, math.ceil(len(days) / 56))
    for i in range(0, len(days), step):
        x0, _, x1, _ = boxes[i]
        cx = (x0 + x1) / 2
        canvas.line([(cx, bottom + 2), (cx, bottom + 10)], _GREY_FAINT, 2)
        label = f"{days[i].month}/{days[i].day}"
        half = _width(tick_font, label) / 2
        x = min(max(cx, half + 8), width - half - 8)  # keep the last date inside the picture
        canvas.text((x, bottom + 28), label, tick_font, _GREY)
    return canvas.drawing(ticks=tuple(ticks))
