"""Tests for bot.images: the badge, calendar and chart pictures.

Each is a valid PNG of the documented size, the same for the same input; Hangul is drawn with
real glyphs (checked against the font's own missing-glyph box, not against bot.images' helper
alone); long names stay in their band; certified days look different; the tallest bar is the
busiest day.
"""

import io
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from bot.media import pictures
from bot.media.pictures import (
    BADGE_CARD,
    BADGE_NAME_BOX,
    BADGE_SIZE,
    CALENDAR_WIDTH,
    CHART_SIZE,
    FONT_BOLD,
    FONT_REGULAR,
    BadgeLabels,
    calendar_cell_boxes,
    calendar_size,
    chart_bar_boxes,
    chart_ticks,
    draw_badge,
    draw_daily_chart,
    is_drawable,
    render_badge,
    render_calendar,
    render_daily_chart,
)

ROUND = [date(2027, 8, 16) + timedelta(days=i) for i in range(50)]  # Iksan round 3, from a Monday
LABELS = BadgeLabels(headline="축하해요!", name="{name} 님", achievement="{count}회 인증 달성")
WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")
BADGE = {
    "name": "김민준",
    "reward": "치안협력관 배지",
    "count": 20,
    "round_name": "3차",
    "station": "익산경찰서",
    "campaign": "우리동네 치안협력관",
    "labels": LABELS,
}
LONG_NAMES = (
    "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토",
    "W" * 40,
    "뷁" * 40,
    "Wolfeschlegelsteinhausenbergerdorff Montgomery-Featherstonehaugh",
    "김 " * 20,
)
# Every Korean string drawn here; a rare syllable (뷁) and a rare final (똠) included.
KOREAN = (
    *[v for v in BADGE.values() if isinstance(v, str)],
    LABELS.headline,
    LABELS.name,
    LABELS.achievement,
    *WEEKDAYS,
    *LONG_NAMES,
    "포돌이·포순이 인형(이름표)",
    "3차 인증 달력",
    "하루 인증 횟수",
    "3차 일별 인증 현황",
    "인증 수 (건)",
    "똠양꿍 햏",
)


def open_png(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as probe:
        probe.verify()  # checksums of every chunk
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    image.load()
    return image.convert("RGB")


def badge(**overrides: object) -> Image.Image:
    return open_png(render_badge(**{**BADGE, **overrides}))


@cache
def short_name_badge() -> np.ndarray:
    return np.asarray(badge(name="가"))


def calendar(certified: dict[date, int], today: date | None = ROUND[29]) -> Image.Image:
    return open_png(
        render_calendar(
            days=ROUND,
            certified=certified,
            today=today,
            title="3차 인증 달력",
            weekday_labels=WEEKDAYS,
            legend="하루 인증 횟수",
        )
    )


def chart(counts: list[int]) -> Image.Image:
    days = ROUND[: len(counts)]
    return open_png(
        render_daily_chart(
            days=days, counts=counts, title="3차 일별 인증 현황", axis_label="인증 수"
        )
    )


# --- the font ----------------------------------------------------------------------------------


def test_fonts_and_their_licence_are_shipped():
    fonts = FONT_BOLD.parent
    assert FONT_BOLD.stat().st_size > 500_000 and FONT_REGULAR.stat().st_size > 500_000
    assert "SIL Open Font License" in (fonts / "OFL.txt").read_text()
    readme = (fonts / "README.md").read_text()
    assert FONT_BOLD.name in readme and FONT_REGULAR.name in readme


@pytest.mark.parametrize("path", [FONT_BOLD, FONT_REGULAR], ids=["bold", "regular"])
def test_every_hangul_syllable_drawn_here_has_a_real_glyph(path: Path):
    # Independent of bot.images: FreeType draws glyph 0 (the tofu box) for an unmapped
    # character, so a covered one must give a different bitmap from a noncharacter's.
    font = ImageFont.truetype(str(path), 32)
    tofu = font.getmask("\U0010ffff")
    tofu_key = (tofu.size, bytes(tofu))
    assert tofu.getbbox() is not None, "the missing-glyph box is visible in this font"
    syllables = sorted({ch for text in KOREAN for ch in text if "\uac00" <= ch <= "\ud7a3"})
    assert len(syllables) > 80
    missing = [
        ch for ch in syllables if (font.getmask(ch).size, bytes(font.getmask(ch))) == tofu_key
    ]
    assert missing == []


@pytest.mark.parametrize("path", [FONT_BOLD, FONT_REGULAR], ids=["bold", "regular"])
def test_all_11172_hangul_syllables_are_covered(path: Path):
    # Names are typed by people, so any syllable can occur, not only the 2,350 common ones.
    font = ImageFont.truetype(str(path), 12)
    tofu = font.getmask("\U0010ffff")
    tofu_key = (tofu.size, bytes(tofu))
    missing = []
    for code in range(0xAC00, 0xD7A4):
        mask = font.getmask(chr(code))
        if (mask.size, bytes(mask)) == tofu_key:
            missing.append(chr(code))
    assert missing == []


def test_is_drawable_tells_glyphs_from_tofu():
    assert all(is_drawable(ch) for ch in "가힣똠뷁ㅋA7!?·( ")
    assert not any(is_drawable(ch) for ch in "\U0001f693\u738b\U0010ffff")  # emoji, Hanja


def test_hangul_text_renders_differently_from_tofu_boxes():
    font = ImageFont.truetype(str(FONT_BOLD), 40)
    text = "우리동네 치안협력관"
    tofu = re.sub(r"\S", "\U0010ffff", text)

    def draw(s: str) -> Image.Image:
        image = Image.new("L", (600, 80), 0)
        ImageDraw.Draw(image).text((10, 10), s, font=font, fill=255)
        return image

    assert ImageChops.difference(draw(text), draw(tofu)).getbbox() is not None


def test_characters_the_font_lacks_are_left_out_not_drawn_as_tofu():
    plain = render_badge(**{**BADGE, "name": "Jose 김민준"})
    assert render_badge(**{**BADGE, "name": "José 김민준🚓"}) == plain
    assert render_badge(**{**BADGE, "name": "José 王 김민준 \u200d"}) == plain


# --- badge -------------------------------------------------------------------------------------


def test_badge_is_a_png_of_the_documented_size():
    image = badge()
    assert image.size == BADGE_SIZE == (800, 800)
    left, _, _, bottom = BADGE_CARD
    assert image.getpixel((left + 60, bottom - 60)) == (255, 255, 255)  # the card itself
    assert image.getpixel((5, 400)) != (255, 255, 255)  # the blue frame


def test_same_input_same_bytes():
    assert render_badge(**BADGE) == render_badge(**BADGE)
    certified = {ROUND[0]: 1, ROUND[3]: 2}
    args = {
        "days": ROUND,
        "certified": certified,
        "today": ROUND[5],
        "title": "t",
        "weekday_labels": WEEKDAYS,
        "legend": "l",
    }
    assert render_calendar(**args) == render_calendar(**args)
    chart_args = {"days": ROUND[:5], "counts": [1, 2, 0, 4, 1], "title": "t", "axis_label": "a"}
    assert render_daily_chart(**chart_args) == render_daily_chart(**chart_args)


def test_labels_come_from_the_caller():
    english = BadgeLabels(headline="Well done!", name="{name}", achievement="{count} check-ins")
    assert badge(labels=english) != badge()
    # A template without a placeholder, or with other braces, is drawn as it is.
    odd = BadgeLabels(headline="", name="{name} {x}", achievement="{count}")
    assert badge(labels=odd).size == BADGE_SIZE


def test_count_is_drawn():
    assert badge(count=20) != badge(count=70)


@pytest.mark.parametrize("name", LONG_NAMES, ids=lambda n: n[:6])
def test_long_names_stay_inside_the_name_band(name: str):
    short = short_name_badge()
    long = np.asarray(badge(name=name))
    changed = np.argwhere((short != long).any(axis=2))
    top, left = changed.min(axis=0)
    bottom, right = changed.max(axis=0)
    x0, y0, x1, y1 = BADGE_NAME_BOX
    assert x0 <= left and right < x1 and y0 <= top and bottom < y1, (left, top, right, bottom)
    card_left, card_top, card_right, card_bottom = BADGE_CARD
    assert card_left < x0 and x1 < card_right and card_top < y0 and y1 < card_bottom


@pytest.mark.parametrize("name", LONG_NAMES, ids=lambda n: n[:6])
def test_long_names_shrink_or_wrap_rather_than_being_cut(name: str):
    # Cut with an ellipsis, the name minus its last letter would give the same picture.
    assert render_badge(**{**BADGE, "name": name}) != render_badge(
        **{**BADGE, "name": name.rstrip()[:-1]}
    )


def test_long_reward_campaign_and_station_do_not_break_the_card():
    image = badge(
        reward="포돌이·포순이 인형(이름표)과 익산경찰서장 감사장 그리고 기념품 세트",
        campaign="우리동네 치안협력관 " * 4,
        station="익산경찰서 생활안전과 범죄예방대응계 " * 2,
        round_name="2027년 하반기 3차",
        count=123456789,
    )
    assert image.size == BADGE_SIZE
    pixels = np.asarray(image)
    frame = np.concatenate([pixels[:20].reshape(-1, 3), pixels[-20:].reshape(-1, 3)])
    assert not (frame == 255).all(axis=1).any()  # nothing white spilled onto the frame


def test_empty_strings_are_allowed():
    assert badge(name="", reward="", round_name="", station="", campaign="").size == BADGE_SIZE


# --- calendar ----------------------------------------------------------------------------------


def cell_colour(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    """The colour covering most of a cell (the fill; numbers and marks are small)."""
    x0, y0, x1, y1 = box
    pixels = np.asarray(image)[y0 + 6 : y1 - 6, x0 + 6 : x1 - 6].reshape(-1, 3).astype(np.int64)
    packed = pixels[:, 0] << 16 | pixels[:, 1] << 8 | pixels[:, 2]
    colours, counts = np.unique(packed, return_counts=True)
    top = int(colours[counts.argmax()])
    return top >> 16, top >> 8 & 255, top & 255


def test_calendar_size_and_grid():
    image = calendar({})
    boxes = calendar_cell_boxes(ROUND)
    assert image.size == calendar_size(ROUND) and image.width == CALENDAR_WIDTH
    assert len(boxes) == 8 * 7  # 50 days from a Monday: 8 weeks, Monday to Sunday
    assert min(boxes) == ROUND[0] and min(boxes).weekday() == 0 and max(boxes).weekday() == 6
    assert all(b[0] >= 0 and b[2] <= image.width and b[3] <= image.height for b in boxes.values())


def test_calendar_starts_at_the_week_of_the_first_day():
    thursday = [date(2027, 8, 19) + timedelta(days=i) for i in range(50)]
    boxes = calendar_cell_boxes(thursday)
    assert min(boxes) == date(2027, 8, 16)
    assert boxes[thursday[0]][1] == boxes[date(2027, 8, 16)][1]  # same row


@pytest.mark.parametrize("length", [1, 7, 30, 100])
def test_calendar_of_any_length(length: int):
    days = [date(2027, 8, 20) + timedelta(days=i) for i in range(length)]
    data = render_calendar(
        days=days,
        certified={days[0]: 1},
        today=date(2030, 1, 1),
        title="인증 달력",
        weekday_labels=WEEKDAYS,
        legend="",
    )
    image = open_png(data)
    assert image.size == calendar_size(days)
    weeks = len({box[1] for box in calendar_cell_boxes(days).values()})
    assert image.height > weeks * 70


def test_calendar_marks_certified_days_by_count():
    once = {ROUND[i]: 1 for i in (0, 2, 9, 20)}
    twice = {ROUND[i]: n for i, n in ((1, 2), (10, 3), (25, 12))}
    missed = [ROUND[i] for i in (3, 4, 11, 28)]
    image = calendar(once | twice)
    boxes = calendar_cell_boxes(ROUND)
    colour = {day: cell_colour(image, boxes[day]) for day in boxes}
    one = {colour[d] for d in once}
    many = {colour[d] for d in twice}
    none = {colour[d] for d in missed}
    assert len(one) == len(many) == len(none) == 1
    assert len(one | many | none) == 3
    # Without certifications those cells look like the other missed days.
    plain = calendar({})
    assert {cell_colour(plain, boxes[d]) for d in [*once, *twice]} == none


def test_calendar_greys_days_outside_the_round_and_rings_today():
    image = calendar({}, today=ROUND[29])
    pixels = np.asarray(image).astype(int)
    boxes = calendar_cell_boxes(ROUND)

    def darkest(day: date) -> int:
        x0, y0, x1, y1 = boxes[day]
        return int(pixels[y0:y1, x0:x1].sum(axis=2).min())

    outside = [d for d in boxes if d not in ROUND]
    assert len(outside) == 6
    assert min(darkest(d) for d in outside) > max(darkest(d) for d in ROUND)

    x0, y0, x1, _ = boxes[ROUND[29]]
    ring = pixels[y0 - 3 : y0, x0 + 20 : x1 - 20].reshape(-1, 3)
    assert ((ring[:, 0] > 200) & (ring[:, 2] < 120)).mean() > 0.5  # amber above today's cell
    assert calendar({}, today=None) != image


# --- chart -------------------------------------------------------------------------------------


def bar_heights(image: Image.Image, counts: list[int]) -> list[int]:
    """Each bar's height as drawn: the run of coloured pixels up from the axis."""
    pixels = np.asarray(image).astype(int)
    heights = []
    for x0, _, x1, bottom in chart_bar_boxes(counts):
        column = pixels[:, (x0 + x1) // 2]
        saturated = column.max(axis=1) - column.min(axis=1) > 60
        y = bottom - 3  # above the axis line
        while saturated[y]:
            y -= 1
        heights.append(bottom - 3 - y)
    return heights


def test_chart_size():
    assert chart([1, 2, 3]).size == CHART_SIZE


@pytest.mark.parametrize(
    "counts",
    [
        [3, 0, 7, 12, 5, 0, 1, 9] + [0] * 42,
        [1, 0, 3, 2, 0, 1],
        [4] * 3 + [40] + [4] * 10,
        [0] * 49 + [2],
    ],
    ids=["round", "week", "spike", "last-day"],
)
def test_chart_tallest_bar_is_the_busiest_day(counts: list[int]):
    heights = bar_heights(chart(counts), counts)
    busiest = counts.index(max(counts))
    assert heights.index(max(heights)) == busiest
    scale = heights[busiest] / max(counts)
    for count, height in zip(counts, heights, strict=True):
        assert abs(height - count * scale) <= 3, (count, height)
    assert all(h == 0 for c, h in zip(counts, heights, strict=True) if c == 0)


def test_chart_without_certifications():
    counts = [0] * 50
    assert bar_heights(chart(counts), counts) == [0] * 50


def test_chart_rejects_mismatched_input():
    with pytest.raises(ValueError):
        render_daily_chart(days=ROUND[:3], counts=[1, 2], title="", axis_label="")
    with pytest.raises(ValueError):
        render_daily_chart(days=ROUND[:2], counts=[1, -2], title="", axis_label="")


def test_calendar_rejects_bad_input():
    with pytest.raises(ValueError):
        calendar_cell_boxes([])
    with pytest.raises(ValueError):
        render_calendar(
            days=ROUND, certified={}, today=None, title="", weekday_labels=("a",), legend=""
        )


def test_no_user_visible_words_in_the_module():
    source = Path(pictures.__file__).read_text(encoding="utf-8")
    assert not re.search(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]", source)


# --- read at a glance --------------------------------------------------------------------------


def _is_round(step: int) -> bool:
    digits = str(step)
    return digits[0] in "125" and set(digits[1:]) <= {"0"}


@pytest.mark.parametrize("peak", [*range(0, 130), 250, 999, 1000, 1001, 4321, 370_000])
def test_chart_axis_ticks_are_round_numbers(peak: int):
    ticks = chart_ticks(peak)
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0 and _is_round(step)
    assert ticks == [i * step for i in range(len(ticks))]
    assert ticks[-1] >= peak and (peak == 0 or ticks[-2] < peak)  # the top is the next tick up
    assert 2 <= len(ticks) <= 6


def test_chart_labels_its_round_ticks_and_leads_with_total_and_daily_average():
    counts = [15, 37, 34, 8, 23, 30, 0, 4] + [12] * 22
    drawing = draw_daily_chart(
        days=ROUND[:30],
        counts=counts,
        title="3차 날짜별 인증 수",
        axis_label="인증 수",
        summary="총 610회 · 하루 평균 20.3회",
    )
    assert drawing.layout["ticks"] == (0, 10, 20, 30, 40)
    assert {"0", "10", "20", "30", "40"} <= set(drawing.texts)
    assert "37" not in drawing.texts[: drawing.texts.index("40") + 1]  # no tick at the peak
    assert drawing.texts[:2] == ("3차 날짜별 인증 수", "총 610회 · 하루 평균 20.3회")
    assert open_png(drawing.png).size == CHART_SIZE


def test_chart_summary_counts_the_days_shown():
    from bot.i18n import Translator, chart_summary

    t = Translator(strict=True)
    assert chart_summary(t, "ko", [1, 0, 3, 2, 0]) == "총 6회 · 하루 평균 1.2회"
    assert chart_summary(t, "ko", [3, 3]) == "총 6회 · 하루 평균 3회"
    assert chart_summary(t, "en", [1000, 2000, 4]) == "3,004 in total · 1,001.3 a day on average"


def test_the_second_reward_badge_is_a_step_up_from_the_first():
    """Same count, same words: only the step differs, and the frame, the medal and the ribbons
    show it (not just the digits)."""
    first = np.asarray(badge(step=1)).astype(int)
    second = np.asarray(badge(step=2)).astype(int)
    assert tuple(first[400, 5]) != tuple(second[400, 5])  # the frame
    cx, my = BADGE_SIZE[0] // 2, 204
    assert tuple(first[my, cx + 84]) != tuple(second[my, cx + 84])  # the medal's rim
    assert tuple(first[my + 60, cx - 40]) != tuple(second[my + 60, cx - 40])  # the ribbon
    laurel = (slice(my - 80, my + 60), slice(cx - 130, cx - 92))  # beside the medal
    assert (first[laurel] != second[laurel]).any(axis=2).sum() > 300
    assert badge(step=3) != badge(step=2)
    assert badge(step=9) == badge(step=3)  # the richest look is kept for any later step


def test_badge_carries_the_day_it_was_reached():
    drawing = draw_badge(**BADGE, day="2027년 9월 4일")
    assert "2027년 9월 4일" in drawing.texts
    assert drawing.png != render_badge(**BADGE)


def test_the_congratulation_is_large_enough_to_read_on_a_phone():
    """A phone shows the 800 px badge about 360 px wide: the cheer's letters must stay about
    16 px tall there, so at least 36 px here."""
    with_cheer = np.asarray(badge())
    without = np.asarray(badge(labels=BadgeLabels("", LABELS.name, LABELS.achievement)))
    rows = np.argwhere((with_cheer != without).any(axis=2))[:, 0]
    assert rows.max() - rows.min() >= 36
