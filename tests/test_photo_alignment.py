"""Edited copies of a real photo are told from honest second photos of its spot by aligning
them (bot.media.alignment), each through the same photo check a certification goes through."""

import io
from collections.abc import Callable
from functools import cache

import pytest
from PIL import Image, ImageEnhance, ImageOps

from bot.media.alignment import Match, compare
from bot.media.photo_check import inspect_photo
from tests.support import real_photo
from tests.test_fair_certification import view

Edit = Callable[[Image.Image], Image.Image]
SCENES = ("Reconyx_HC500_Hyperfire.jpg", "canon_hdr_NO.jpg", "IMG_5195.HEIC")


def _upright(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def _jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


@cache
def _features(data: bytes) -> bytes:
    return inspect_photo(data).alignment


@cache
def _sent(name: str) -> bytes:
    """The photo as Telegram delivers it: long side 1280 px, JPEG q85."""
    image = _upright(real_photo(name))
    image.thumbnail((1280, 1280), Image.Resampling.LANCZOS)
    return _jpeg(image, 85)


def _scaled(factor: float) -> Edit:
    def edit(image: Image.Image) -> Image.Image:
        size = (round(image.width * factor), round(image.height * factor))
        return image.resize(size, Image.Resampling.LANCZOS)

    return edit


def _cropped(left: float, top: float, right: float, bottom: float) -> Edit:
    def edit(image: Image.Image) -> Image.Image:
        w, h = image.size
        return image.crop(
            (round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))
        )

    return edit


def _lit(factor: float) -> Edit:
    return lambda image: ImageEnhance.Brightness(image).enhance(factor)


def _both(first: Edit, second: Edit) -> Edit:
    return lambda image: second(first(image))


COPIES: dict[str, tuple[Edit, int]] = {
    "re-encoded q95": (lambda image: image, 95),
    "recompressed q50": (lambda image: image, 50),
    "resized to 40%": (_scaled(0.4), 85),
    "resized to 70%": (_scaled(0.7), 85),
    "brightened 15%": (_lit(1.15), 90),
    "darkened 15%": (_lit(0.85), 90),
    "cropped 10% on every side": (_cropped(0.1, 0.1, 0.1, 0.1), 90),
    "cropped 10% off the left and top": (_cropped(0.1, 0.1, 0.0, 0.0), 90),
    "cropped 5% and resized to 60%": (_both(_cropped(0.05, 0.0, 0.05, 0.08), _scaled(0.6)), 85),
    "cropped 8% and recompressed q50": (_cropped(0.0, 0.08, 0.08, 0.0), 50),
    "resized to 50% and darkened 15%": (_both(_scaled(0.5), _lit(0.85)), 85),
    "cropped 6% and brightened 15%": (_both(_cropped(0.06, 0.0, 0.0, 0.06), _lit(1.15)), 90),
}


@pytest.mark.parametrize("scene", SCENES)
@pytest.mark.parametrize("kind", list(COPIES))
def test_an_edited_copy_is_refused_as_the_same_picture(scene, kind):
    sent = _sent(scene)
    edit, quality = COPIES[kind]
    copy = _jpeg(edit(_upright(sent)), quality)
    aligned = compare(_features(sent), _features(copy))
    assert aligned.match is Match.COPY, aligned


# Honest second photos of one spot (see tests.test_fair_certification.view): the camera moved,
# so it also turned a little; the light, the litter, the person may have changed.
@cache
def _view(scene: str, *args: tuple[str, float], litter: bool = False) -> bytes:
    return view(scene, litter=litter, **dict(args))


HONEST = {
    "a step aside": {"step": 0.04, "turn": 0.03},
    "later, in the evening light": {"step": 0.01, "turn": 0.015, "light": 0.7},
    "after a clean-up": {"step": 0.005, "turn": 0.015},
    "another person at the same corner": {"step": -0.08, "turn": -0.04},
}


@pytest.mark.parametrize(
    "scene", ("Reconyx_HC500_Hyperfire.jpg", "canon_hdr_NO.jpg", "Landscape_6.jpg")
)
@pytest.mark.parametrize("kind", list(HONEST))
def test_an_honest_second_photo_of_one_spot_is_never_refused(scene, kind):
    first = _view(scene, litter=kind == "after a clean-up")
    second = _view(scene, *HONEST[kind].items())
    aligned = compare(_features(first), _features(second))
    assert aligned.match is not Match.COPY, aligned


@pytest.mark.parametrize(
    ("step", "turn"),
    [(0.01, -0.01), (0.01, 0.01), (0.02, -0.02), (0.04, -0.02), (0.06, 0.015), (0.02, 0.01)],
)
def test_a_sharp_photo_from_a_step_aside_with_the_phone_turned_is_not_refused(step, turn):
    # Sharp and evenly detailed, these views are as close to the first as a crop is (0.13-0.20
    # after alignment); only their blocks, 0.6 px or more off, tell the camera moved.
    scene = "HMD_Nokia_8.3_5G__derived_1280px_q80_noexif.jpg"
    first, second = _view(scene), _view(scene, ("step", step), ("turn", turn))
    aligned = compare(_features(first), _features(second))
    assert aligned.match is not Match.COPY, aligned


def test_two_real_shots_of_one_lamp_post_are_not_a_copy():
    # canon_hdr_NO/YES: one camera, one spot, 26 s apart, HDR off and on.
    first, second = real_photo("canon_hdr_NO.jpg"), real_photo("canon_hdr_YES.jpg")
    aligned = compare(_features(first), _features(second))
    assert aligned.match is not Match.COPY, aligned


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Reconyx_HC500_Hyperfire.jpg", "Landscape_6.jpg"),
        ("canon_hdr_NO.jpg", "IMG_5195.HEIC"),
        ("HMD_Nokia_8.3_5G__derived_1280px_q80_noexif.jpg", "Reconyx_HC500_Hyperfire.jpg"),
    ],
)
def test_distinct_photos_are_different(one, other):
    aligned = compare(_features(_sent(one)), _features(_sent(other)))
    assert aligned.match is Match.DIFFERENT, aligned


def test_features_stay_small():
    features = inspect_photo(_sent("IMG_5195.HEIC")).alignment
    assert 0 < len(features) <= 1 + 10 + 36 * 200 + 128 * 128


def test_bytes_that_are_not_features_are_refused():
    with pytest.raises(ValueError):
        compare(b"\x01nonsense", b"")
