"""Time ``bot.media.photo_check.inspect_photo``; measure the re-use rule on copies and honest pairs.

Run from the project root::

    .venv/bin/python -m bench.photos [--runs 15] [--synthetic 40] [--only-honest]

Reads only ``tests/data/photos`` and images generated here (never ``../shared``). Prints
(a) inspect_photo timings, (b) how far each kind of copy lands from its original by its hashes,
(c) edited copies, honest pairs and distinct photos under the hashes alone and with alignment
(``bot.media.alignment``; the thresholds there cite it), and (d) the whole re-use check's time
with 10,000 and 1,000,000 stored photos (``--sizes``). ``--only-honest`` prints (c) alone.
"""

import argparse
import asyncio
import io
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from bot.campaign.config import Fairness
from bot.campaign.fairness import (
    Likeness,
    aligned_likeness,
    judge_reuse,
    likeness,
    neighbourhoods,
)
from bot.media.alignment import features_of
from bot.media.photo_check import (
    CROP_WINDOWS,
    LOOKALIKE_MAX_DIFFERENCE,
    REUSE_DHASH_MAX,
    REUSE_PHASH_MAX,
    SAME_PICTURE_MAX_DIFFERENCE,
    PhotoFacts,
    hamming,
    inspect_photo,
    within_reuse_threshold,
)
from storage import photo_features, photos
from storage.database import Database
from storage.photo_features import OWN_RECENT
from storage.photos import chunks, to_signed

PHOTOS = Path(__file__).resolve().parent.parent / "tests" / "data" / "photos"
REAL_PHOTOS = (
    "HMD_Nokia_8.3_5G__derived_1280px_q80_noexif.jpg",
    "IMG_5195.HEIC",
    "Landscape_6.jpg",
    "Reconyx_HC500_Hyperfire.jpg",
    "canon_hdr_NO.jpg",
    "canon_hdr_YES.jpg",
)
# Two shots of the same lamp post 26 s apart: not a copy, not a distinct picture either.
SAME_SCENE = ("canon_hdr_NO.jpg", "canon_hdr_YES.jpg")

Transform = Callable[[Image.Image], bytes]


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)  # lossless either way; level 1 keeps the bench quick
    return out.getvalue()


def _resize_long_side(image: Image.Image, long_side: int) -> Image.Image:
    scale = long_side / max(image.size)
    if scale >= 1:
        return image
    size = (round(image.width * scale), round(image.height * scale))
    return image.resize(size, Image.Resampling.LANCZOS)


def _crop(image: Image.Image, fraction: float) -> Image.Image:
    dx, dy = round(image.width * fraction / 2), round(image.height * fraction / 2)
    return image.crop((dx, dy, image.width - dx, image.height - dy))


# What a participant (or a messenger) might do to an old photo before sending it again.
# q85 after resizing is roughly what Telegram does to a "photo" (it is not byte-exact).
COPIES: dict[str, Transform] = {
    "re-encoded JPEG q90": lambda im: _jpeg(im, 90),
    "resized to 1280 px (q85)": lambda im: _jpeg(_resize_long_side(im, 1280), 85),
    "recompressed JPEG q60": lambda im: _jpeg(im, 60),
    "PNG screenshot": _png,
}
EDITS: dict[str, Transform] = {
    "cropped 5% (2.5%/side)": lambda im: _jpeg(_crop(im, 0.05), 90),
    "brightened 10%": lambda im: _jpeg(ImageEnhance.Brightness(im).enhance(1.10), 90),
    "mirrored": lambda im: _jpeg(ImageOps.mirror(im), 90),
    "rotated 90°": lambda im: _jpeg(im.transpose(Image.Transpose.ROTATE_90), 90),
}
TRANSFORMS: dict[str, Transform] = {**COPIES, **EDITS}


def displayed(data: bytes) -> Image.Image:
    """The picture as a viewer shows it (orientation applied), full size, RGB."""
    with Image.open(io.BytesIO(data)) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def _octave_noise(rng: np.random.Generator, size: tuple[int, int], cells: int) -> np.ndarray:
    # Smooth random field with about `cells` blobs across the width: summing a few of these at
    # different scales gives the 1/f-like texture of real scenes (foliage, walls, asphalt).
    width, height = size
    rows = max(2, round(cells * height / width))
    layers = []
    for _ in range(3):
        small = Image.fromarray(rng.normal(0.0, 1.0, (rows, cells)).astype(np.float32), "F")
        layers.append(np.asarray(small.resize(size, Image.Resampling.BICUBIC)))
    return np.stack(layers, axis=-1)


def synthetic_photo(seed: int, size: tuple[int, int] = (1600, 1200)) -> Image.Image:
    """A made-up street scene: sky over ground, buildings, trees, a road, texture and noise.

    Every picture shares that layout (bright top, darker bottom), which makes distinct pictures
    closer in hash space than random images would be, so the false-refusal estimate errs on the
    pessimistic side.
    """
    rng = np.random.default_rng(seed)
    width, height = size
    horizon = rng.uniform(0.3, 0.7) * height
    y = np.arange(height, dtype=np.float32)[:, None, None]
    sky_top, sky_low = rng.uniform(60, 255, 3), rng.uniform(120, 255, 3)
    ground_top, ground_low = rng.uniform(30, 180, 3), rng.uniform(10, 140, 3)
    t_sky = np.clip(y / horizon, 0, 1)
    t_ground = np.clip((y - horizon) / (height - horizon), 0, 1)
    base = np.where(
        y < horizon,
        sky_top + (sky_low - sky_top) * t_sky,
        ground_top + (ground_low - ground_top) * t_ground,
    )
    pixels: np.ndarray[Any, Any] = np.broadcast_to(base, (height, width, 3)).astype(np.float32)
    for cells, amplitude in ((3, 30.0), (12, 18.0), (48, 10.0), (200, 6.0)):
        pixels = pixels + amplitude * _octave_noise(rng, size, cells)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")

    draw = ImageDraw.Draw(image)
    for _ in range(rng.integers(2, 7)):  # buildings standing on the horizon
        left = rng.uniform(-0.1, 0.9) * width
        right = left + rng.uniform(0.08, 0.35) * width
        top = horizon - rng.uniform(0.05, 0.45) * height
        colour = tuple(int(c) for c in rng.integers(20, 235, 3))
        draw.rectangle((left, top, right, horizon + 2), fill=colour)
        window = tuple(int(c) for c in rng.integers(0, 255, 3))
        step = rng.uniform(18, 45)
        for wy in np.arange(top + step / 2, horizon - step, step):
            for wx in np.arange(left + step / 2, right - step / 2, step):
                draw.rectangle((wx, wy, wx + step * 0.45, wy + step * 0.55), fill=window)
    if rng.random() < 0.7:  # a road running to the horizon
        centre = rng.uniform(0.2, 0.8) * width
        draw.polygon(
            [
                (centre - 0.02 * width, horizon),
                (centre + 0.02 * width, horizon),
                (centre + rng.uniform(0.2, 0.5) * width, height),
                (centre - rng.uniform(0.2, 0.5) * width, height),
            ],
            fill=tuple(int(c) for c in rng.integers(40, 120, 3)),
        )
    for _ in range(rng.integers(1, 9)):  # trees, bushes, street lamps' glow
        cx, cy = rng.uniform(0, width), rng.uniform(horizon - 0.3 * height, height)
        r = rng.uniform(0.02, 0.15) * width
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        draw.ellipse((cx - r, cy - r * rng.uniform(0.7, 1.5), cx + r, cy + r), fill=colour)
    for _ in range(rng.integers(0, 4)):  # poles and wires
        x0 = rng.uniform(0, width)
        draw.line(
            (x0, rng.uniform(0, horizon), x0 + rng.uniform(-20, 20), height),
            width=6,
            fill=tuple(int(c) for c in rng.integers(0, 90, 3)),
        )

    image = image.filter(ImageFilter.GaussianBlur(0.8))  # lens softness
    grain = rng.normal(0.0, 3.0, (height, width, 3))  # sensor noise
    noisy: np.ndarray[Any, Any] = np.asarray(image, dtype=np.float32) + grain
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


@dataclass
class Original:
    name: str
    real: bool
    facts: PhotoFacts
    copies: dict[str, PhotoFacts]


def _originals(synthetic: int) -> list[Original]:
    sources: list[tuple[str, bool, bytes]] = [
        (name, True, (PHOTOS / name).read_bytes()) for name in REAL_PHOTOS
    ]
    shapes = ((1600, 1200), (1200, 1600), (1600, 900))
    for seed in range(synthetic):
        image = synthetic_photo(seed, shapes[seed % len(shapes)])
        sources.append((f"synthetic-{seed:02d}", False, _jpeg(image, 95)))  # "camera original"
    originals = []
    for name, real, data in sources:
        picture = displayed(data)
        copies = {label: inspect_photo(make(picture)) for label, make in TRANSFORMS.items()}
        originals.append(Original(name, real, inspect_photo(data), copies))
    return originals


def _dist(a: PhotoFacts, b: PhotoFacts) -> tuple[int, int]:
    return hamming(a.phash, b.phash), hamming(a.dhash, b.dhash)


def _stats(values: Iterable[int]) -> str:
    ordered = sorted(values)
    return f"{ordered[0]:>3} {statistics.median(ordered):>5.1f} {ordered[-1]:>3}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.1f}%" if whole else "    n/a"


LIMITS = Fairness(phash_max_distance=REUSE_PHASH_MAX, dhash_max_distance=REUSE_DHASH_MAX)
RULE = (
    f"pHash <= {REUSE_PHASH_MAX} and dHash <= {REUSE_DHASH_MAX}, then thumbnails: "
    f"difference <= {SAME_PICTURE_MAX_DIFFERENCE} refused, <= {LOOKALIKE_MAX_DIFFERENCE} flagged"
)


def verdict(a: PhotoFacts, b: PhotoFacts) -> tuple[Likeness, float | None]:
    """What the bot decides for ``b`` arriving after ``a`` (bot.campaign.fairness.likeness)."""
    p, d = _dist(a, b)
    return likeness(p, d, (a.thumbnail, b.thumbnail), LIMITS)


def _refused(pairs: Iterable[tuple[PhotoFacts, PhotoFacts]]) -> int:
    return sum(verdict(a, b)[0] is Likeness.SAME for a, b in pairs)


def report_distances(originals: list[Original]) -> None:
    print(f"\n(b) Copies of a picture vs its original; rule: {RULE}")
    print(
        f"{'transform':<26} {'set':<5} {'n':>3} {'caught':>7}  "
        f"{'pHash min/med/max':>17}  {'dHash min/med/max':>17}"
    )
    for label in TRANSFORMS:
        for kind, real in (("real", True), ("synth", False)):
            pairs = [(o.facts, o.copies[label]) for o in originals if o.real is real]
            dists = [_dist(a, b) for a, b in pairs]
            caught = _refused(pairs)
            print(
                f"{label:<26} {kind:<5} {len(dists):>3} {_pct(caught, len(dists))}  "
                f"{_stats(p for p, _ in dists):>17}  {_stats(d for _, d in dists):>17}"
            )

    by_name = {o.name: o for o in originals}
    first, second = by_name[SAME_SCENE[0]].facts, by_name[SAME_SCENE[1]].facts
    same = _dist(first, second)
    print(
        f"\nSame scene 26 s apart ({SAME_SCENE[0]} vs {SAME_SCENE[1]}): "
        f"pHash {same[0]}, dHash {same[1]} -> rule says {verdict(first, second)[0].value}"
    )

    distinct = _distinct_pairs(originals)
    print(f"\nDistinct pictures ({len(distinct)} pairs of originals; same-scene pair excluded):")
    print(
        f"{'pairs':<28} {'n':>5} {'refused':>8}  {'pHash min/med/max':>17}  "
        f"{'dHash min/med/max':>17}"
    )
    pair_groups = {
        "real vs real": [pair for pair, kinds in distinct if kinds == (True, True)],
        "real vs synthetic": [pair for pair, kinds in distinct if kinds[0] != kinds[1]],
        "synthetic vs synthetic": [pair for pair, kinds in distinct if kinds == (False, False)],
        "all originals": [pair for pair, _ in distinct],
        "copies vs other originals": _copies_vs_others(originals),
    }
    groups = {label: [_dist(a, b) for a, b in pairs] for label, pairs in pair_groups.items()}
    for label, dists in groups.items():
        refused = _refused(pair_groups[label])
        print(
            f"{label:<28} {len(dists):>5} {refused:>8}  "
            f"{_stats(p for p, _ in dists):>17}  {_stats(d for _, d in dists):>17}"
        )
    everything = groups["all originals"] + groups["copies vs other originals"]
    closest = sorted(everything)[:3]
    print("closest distinct pairs (pHash, dHash):", ", ".join(str(d) for d in closest))
    tail = ", ".join(
        f"<={t}: {sum(p <= t for p, _ in everything)}/{sum(d <= t for _, d in everything)}"
        for t in (12, 14, 16, 18, 20)
    )
    print(f"distinct pairs at pHash/dHash distance {tail} (of {len(everything)})")
    _report_rules(originals, everything)


FactsPair = tuple[PhotoFacts, PhotoFacts]


def _distinct_pairs(originals: list[Original]) -> list[tuple[FactsPair, tuple[bool, bool]]]:
    pairs = []
    for a, b in combinations(originals, 2):
        if {a.name, b.name} != set(SAME_SCENE):
            pairs.append(((a.facts, b.facts), (a.real, b.real)))
    return pairs


def _copies_vs_others(originals: list[Original]) -> list[FactsPair]:
    # A recompressed copy of A must not be taken for B either.
    pairs: list[FactsPair] = []
    for a in originals:
        for b in originals:
            if a is b or {a.name, b.name} == set(SAME_SCENE):
                continue
            pairs.extend((b.facts, copy) for copy in a.copies.values())
    return pairs


def _report_rules(originals: list[Original], distinct: list[tuple[int, int]]) -> None:
    def caught(labels: Iterable[str], rule: Callable[[int, int], bool]) -> str:
        dists = [_dist(o.facts, o.copies[label]) for o in originals for label in labels]
        return _pct(sum(rule(p, d) for p, d in dists), len(dists))

    print("\nThe hash stage alone (no thumbnails): caught copies (q90/1280/q60/PNG), crop 5%,")
    print("+10% brightness, and")
    print(f"false refusals among {len(distinct)} distinct pairs (originals and copies vs others)")
    print(f"{'rule':<28} {'copies':>8} {'crop':>8} {'bright':>8} {'refused':>8}")
    candidates: list[tuple[str, Callable[[int, int], bool]]] = []
    for t in (4, 6, 8, 10, 12, 14):
        candidates.append((f"pHash <= {t}", _phash_at_most(t)))
    for t1, t2 in ((6, 6), (8, 8), (10, 10), (10, 12), (12, 12), (14, 14)):
        candidates.append((f"pHash <= {t1} and dHash <= {t2}", _both_at_most(t1, t2)))
    chosen_name = f"pHash <= {REUSE_PHASH_MAX} and dHash <= {REUSE_DHASH_MAX}"
    for name, rule in candidates:
        refused = sum(rule(p, d) for p, d in distinct)
        chosen = "  <- stage 1 of the rule" if name == chosen_name else ""
        print(
            f"{name:<28} {caught(COPIES, rule)} {caught(['cropped 5% (2.5%/side)'], rule)} "
            f"{caught(['brightened 10%'], rule)} {refused:>8}{chosen}"
        )


# ---- (c) edited copies, honest pairs and distinct photos: the old rule beside the new ----------
# A copy is made from the photo as Telegram delivers it (long side 1280 px, q85), with random
# amounts in the ranges issue 19 names. An honest second photo of one spot is another view of the
# same scene: the camera moved, so it also turned (a perspective change), each shot has its own
# sensor grain, and the light, the litter or the person may differ.


def _tilted(image: Image.Image, rng: np.random.Generator, amount: float) -> Image.Image:
    # A slight change of perspective: each corner of the view moves by up to `amount`.
    w, h = image.size

    def jitter() -> float:
        return float(rng.uniform(-amount, amount))

    quad = (
        jitter() * w,
        jitter() * h,
        jitter() * w,
        h + jitter() * h,
        w + jitter() * w,
        h + jitter() * h,
        w + jitter() * w,
        jitter() * h,
    )
    return image.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC)


def _view(
    scene: Image.Image, centre: tuple[float, float], zoom: float = 1.0, part: float = 0.8
) -> Image.Image:
    w, h = scene.size
    vw, vh = w * part / zoom, h * part / zoom
    left = min(max(0.0, centre[0] * w - vw / 2), w - vw)
    top = min(max(0.0, centre[1] * h - vh / 2), h - vh)
    return scene.crop((round(left), round(top), round(left + vw), round(top + vh)))


def _littered(scene: Image.Image, rng: np.random.Generator, share: float) -> Image.Image:
    # Bags and boxes on the lower half, covering `share` of the picture.
    scene = scene.copy()
    draw = ImageDraw.Draw(scene)
    w, h = scene.size
    covered = 0.0
    while covered < share * w * h:
        bw, bh = rng.uniform(0.05, 0.12) * w, rng.uniform(0.05, 0.12) * h
        x, y = rng.uniform(0, w - bw), rng.uniform(0.45 * h, h - bh)
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x, y, x + bw, y + bh), fill=colour)
        covered += bw * bh
    return scene


def _sent(image: Image.Image) -> bytes:
    return _jpeg(_resize_long_side(image, 1280), 85)


def _grain(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    noisy = np.asarray(image, np.float32) + rng.normal(0.0, 3.0, (image.height, image.width, 3))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


def _shadow(image: Image.Image, rng: np.random.Generator, strength: float) -> Image.Image:
    # Later light: a shadow edge across the scene, not just a global change.
    w, h = image.size
    y, x = np.mgrid[0:h, 0:w]
    angle = rng.uniform(0, np.pi)
    side = (np.cos(angle) * (x - w / 2) + np.sin(angle) * (y - h / 2)) / max(w, h)
    light = 1 - strength * (side > rng.uniform(-0.2, 0.2))
    lit = np.asarray(image, np.float32) * light[..., None]
    return Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8), "RGB")


def honest_views(scene: Image.Image, rng: np.random.Generator) -> dict[str, tuple[bytes, bytes]]:
    """Two honest photos of one spot, of each kind issue 19 names, from one scene."""
    centre = (0.5 + rng.uniform(-0.03, 0.03), 0.5 + rng.uniform(-0.03, 0.03))
    side = float(rng.choice([-1.0, 1.0]))

    def shot(
        picture: Image.Image, dx: float, dy: float, turn: float, zoom: float = 1.0
    ) -> Image.Image:
        where = (centre[0] + dx, centre[1] + dy)
        return _grain(_view(_tilted(picture, rng, turn), where, zoom=zoom), rng)

    first = shot(scene, 0.0, 0.0, 0.0)
    later = shot(scene, rng.uniform(-0.02, 0.02), rng.uniform(-0.01, 0.01), rng.uniform(0.01, 0.02))
    later = _shadow(ImageEnhance.Brightness(later).enhance(rng.uniform(0.6, 0.85)), rng, 0.3)
    before = shot(_littered(scene, rng, rng.uniform(0.04, 0.12)), 0.0, 0.0, 0.0)
    after = shot(scene, rng.uniform(-0.02, 0.02), 0.0, rng.uniform(0.01, 0.02))
    step = shot(scene, side * rng.uniform(0.04, 0.08), 0.0, 0.03)
    other = shot(
        scene,
        side * rng.uniform(0.08, 0.12),
        rng.uniform(-0.03, 0.03),
        0.05,
        zoom=rng.uniform(0.9, 1.1),
    )
    return {
        "step aside (4-8%, turned)": (_sent(first), _sent(step)),
        "later light (1-2%, shadow)": (_sent(first), _sent(later)),
        "clean-up before/after": (_sent(before), _sent(after)),
        "another person, same corner": (_sent(first), _sent(other)),
    }


def _scaled(image: Image.Image, factor: float) -> Image.Image:
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _cut(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    left, top, right, bottom = rng.uniform(0.0, 0.10, 4)
    w, h = image.size
    box = (round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))
    return image.crop(box)


def _light(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    return ImageEnhance.Brightness(image).enhance(
        1 + float(rng.choice([-1, 1])) * rng.uniform(0.05, 0.15)
    )


def edited_copies(sent: bytes, rng: np.random.Generator) -> dict[str, bytes]:
    """Each kind of edited copy of ``sent``, with random amounts in issue 19's ranges."""
    picture = displayed(sent)

    def quality() -> int:
        return int(rng.integers(50, 96))

    def factor() -> float:
        return float(rng.uniform(0.4, 1.0))

    return {
        "re-encoded q50-95": _jpeg(picture, quality()),
        "resized 40-100%": _jpeg(_scaled(picture, factor()), 85),
        "lighter/darker 5-15%": _jpeg(_light(picture, rng), 90),
        "cropped 0-10% a side": _jpeg(_cut(picture, rng), 90),
        "crop + resize": _jpeg(_scaled(_cut(picture, rng), factor()), 85),
        "crop + re-encode": _jpeg(_cut(picture, rng), quality()),
        "crop + light": _jpeg(_light(_cut(picture, rng), rng), 90),
        "resize + light": _jpeg(_light(_scaled(picture, factor()), rng), 85),
        "resize + re-encode": _jpeg(_scaled(picture, factor()), quality()),
        "light + re-encode": _jpeg(_light(picture, rng), quality()),
    }


def old_verdict(a: PhotoFacts, b: PhotoFacts) -> Likeness:
    """Today's rule: near hashes make a candidate, 64x64 thumbnails decide."""
    return verdict(a, b)[0]


def new_verdict(a: PhotoFacts, b: PhotoFacts, *, own: bool) -> Likeness:
    """The new rule as the bot runs it: a candidate if its hashes are near those of ``a`` or of
    one of its crops (CROP_WINDOWS), or, when ``own``, because it is among the sender's recent
    photos; then aligned (bot.campaign.fairness)."""
    p, d = _dist(a, b)
    near = within_reuse_threshold(p, d) or any(
        within_reuse_threshold(hamming(cp, b.phash), hamming(cd, b.dhash))
        for cp, cd in a.crop_hashes
    )
    if not own and not near:
        return Likeness.DIFFERENT
    thumbnails, features = (a.thumbnail, b.thumbnail), (a.alignment, b.alignment)
    return aligned_likeness(p, d, thumbnails, features, LIMITS)[0]


_ORDER = (Likeness.SAME, Likeness.LOOKALIKE, Likeness.DIFFERENT)


def _counts(verdicts: list[Likeness]) -> str:
    n = len(verdicts)
    return " ".join(f"{100 * verdicts.count(v) / n:5.1f}" for v in _ORDER)


def report_old_and_new(synthetic: int, rounds: int) -> None:
    names = [n for n in REAL_PHOTOS if n != "canon_hdr_YES.jpg"]  # one scene, kept for the pair
    scenes = [(n, displayed((PHOTOS / n).read_bytes())) for n in names]
    scenes += [(f"synthetic-{s}", synthetic_photo(2000 + s)) for s in range(synthetic)]
    rng = np.random.default_rng(2027)
    rows: dict[str, dict[str, list[Likeness]]] = {}
    sent_facts = []

    def add(label: str, old: Likeness, own: Likeness, other: Likeness) -> None:
        row = rows.setdefault(label, {"old": [], "own": [], "other": []})
        row["old"].append(old)
        row["own"].append(own)
        row["other"].append(other)

    for _, scene in scenes:
        for _ in range(rounds):
            sent = _sent(_view(scene, (0.5, 0.5), part=0.9))
            original = inspect_photo(sent)
            sent_facts.append(original)
            for label, data in edited_copies(sent, rng).items():
                copy = inspect_photo(data)
                add(
                    "copy: " + label,
                    old_verdict(original, copy),
                    new_verdict(original, copy, own=True),
                    new_verdict(original, copy, own=False),
                )
            for label, (one, two) in honest_views(scene, rng).items():
                a, b = inspect_photo(one), inspect_photo(two)
                add(
                    "honest: " + label,
                    old_verdict(a, b),
                    new_verdict(a, b, own=True),
                    new_verdict(a, b, own=False),
                )
    no, yes = (inspect_photo((PHOTOS / n).read_bytes()) for n in SAME_SCENE)
    add(
        "honest: real, 1 spot 26 s apart",
        old_verdict(no, yes),
        new_verdict(no, yes, own=True),
        new_verdict(no, yes, own=False),
    )
    for a, b in combinations(sent_facts[::rounds], 2):
        add(
            "distinct photos",
            old_verdict(a, b),
            new_verdict(a, b, own=True),
            new_verdict(a, b, own=False),
        )

    print(
        f"\n(c) Edited copies, honest pairs, distinct photos ({len(scenes)} scenes: "
        f"{len(names)} real, {synthetic} generated; {rounds} draws each)"
    )
    print("% refused / flagged / accepted. old: hashes pick, thumbnails decide. new, own: the")
    print("sender's own recent photo (always aligned); new, other's: someone else's (aligned")
    print("only when the hashes are near).")
    print(f"{'pair':<38} {'n':>4}  {'old':^17}  {'new, own':^17}  {'new, other':^17}")
    totals: dict[str, dict[str, list[Likeness]]] = {}
    for label, row in rows.items():
        group = label.split(":")[0]
        for column, verdicts in row.items():
            totals.setdefault(group, {}).setdefault(column, []).extend(verdicts)
        print(
            f"{label:<38} {len(row['old']):>4}  {_counts(row['old'])}  {_counts(row['own'])}  "
            f"{_counts(row['other'])}"
        )
    for group, row in totals.items():
        print(
            f"{'ALL ' + group:<38} {len(row['old']):>4}  {_counts(row['old'])}  "
            f"{_counts(row['own'])}  {_counts(row['other'])}"
        )


def _exif_jpeg_12mp(tmp: Path) -> Path:
    # Stand-in for a phone's 12 MP photo: a real photo upscaled to 4000x3000 with sensor-like
    # grain (so it compresses like a camera file, ~3-4 MB), EXIF date/offset and orientation 6
    # (stored landscape, displayed portrait, as when the phone is held upright).
    with Image.open(PHOTOS / "Reconyx_HC500_Hyperfire.jpg") as source:
        big = source.convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC)
    grain = np.random.default_rng(12).normal(0.0, 4.0, (3000, 4000, 3))
    big = Image.fromarray(np.clip(np.asarray(big) + grain, 0, 255).astype(np.uint8), "RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "BenchCam"  # Make
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = "2025:05:01 09:30:00"  # DateTimeOriginal
    exif_ifd[0x9011] = "+09:00"  # OffsetTimeOriginal (KST)
    path = tmp / "generated_4000x3000_exif.jpg"
    big.save(path, "JPEG", quality=92, exif=exif)
    return path


def _time(data: bytes, runs: int, *, draft: bool = True) -> tuple[float, PhotoFacts]:
    facts = inspect_photo(data, draft=draft)  # warm-up: imports, caches
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        inspect_photo(data, draft=draft)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, facts


def report_timings(runs: int) -> None:
    print(f"(a) inspect_photo, median of {runs} runs, bytes already in memory")
    with tempfile.TemporaryDirectory() as tmp:
        big = _exif_jpeg_12mp(Path(tmp)).read_bytes()
    cases = [
        ("4000x3000 JPEG + EXIF (generated)", big, True),
        ("  same, without draft()", big, False),
        ("1280 px JPEG (Nokia derived)", (PHOTOS / REAL_PHOTOS[0]).read_bytes(), True),
        ("2566x3313 HEIC (iPhone 11 Pro Max)", (PHOTOS / "IMG_5195.HEIC").read_bytes(), True),
    ]
    for label, data, draft in cases:
        ms, facts = _time(data, runs, draft=draft)
        print(
            f"{label:<36} {len(data) / 1e6:5.2f} MB {ms:8.1f} ms   "
            f"{facts.width}x{facts.height} taken_at={facts.taken_at}"
        )
    print("draft() vs full decode, bits that differ (pHash, dHash):")
    checks = [("generated 4000x3000", big)]
    checks += [(name, (PHOTOS / name).read_bytes()) for name in REAL_PHOTOS]
    for name, data in checks:
        fast, full = inspect_photo(data), inspect_photo(data, draft=False)
        print(f"  {name:<50} {hamming(fast.phash, full.phash)}, {hamming(fast.dhash, full.dhash)}")


# ---- (d) the check's time with many stored photos ----------------------------------------------


def _seed_store(path: Path, size: int, blobs: list[bytes], senders: int) -> None:
    """``size`` accepted photos by ``senders`` people, each with hashes and features. Photos of
    sender 1 (the one who sends the new photo) carry real features; with ``light``, the others
    carry a stand-in of 32 bytes (the look-up never reads them)."""
    rng = random.Random(size)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (?, 'approved', 'x', 'x')",
            ((i,) for i in range(1, senders + 1)),
        )
        conn.execute(
            "INSERT INTO missions (kind, round_name, title, start_date, days, created_at) "
            "VALUES ('standing', 'r', 't', '2027-08-16', 50, 'x')"
        )
        certs = (size + 1) // 2
        conn.executemany(
            "INSERT INTO certifications (id, participant_id, mission_id, round_name, "
            "campaign_day, status, created_at) VALUES (?, ?, 1, 'r', '2027-08-16', "
            "'accepted', 'x')",
            ((i, i % senders + 1) for i in range(1, certs + 1)),
        )
        rows = []
        for i in range(size):
            cert = i // 2 + 1
            sender = cert % senders + 1
            p, d = rng.getrandbits(64), rng.getrandbits(64)
            when = f"2027-08-{1 + i * 28 // size:02d}T{i % 24:02d}:00:00+00:00"
            rows.append((cert, "start" if i % 2 == 0 else "end", sender, f"u{i}", when, p, d))
        conn.executemany(
            "INSERT INTO photo_crop_hashes (certification_id, role, share, place, phash_0, "
            "phash_1, phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    c,
                    r,
                    round(share * 100),
                    place,
                    *chunks(rng.getrandbits(64)),
                    *chunks(rng.getrandbits(64)),
                )
                for c, r, *_ in rows
                for share, place in CROP_WINDOWS
            ),
        )
        conn.executemany(
            "INSERT INTO photos (certification_id, role, sender_id, kind, file_id, "
            "file_unique_id, message_id, message_date, received_at, phash, dhash, "
            "phash_0, phash_1, phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3) "
            "VALUES (?, ?, ?, 'photo', 'f', ?, 1, ?, 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (c, r, s, u, w, to_signed(p), to_signed(d), *chunks(p), *chunks(d))
                for c, r, s, u, w, p, d in rows
            ),
        )
        conn.executemany(
            "INSERT INTO photo_features (certification_id, role, sender_id, message_date, "
            "features) VALUES (?, ?, ?, ?, ?)",
            (
                (c, r, s, w, blobs[i % len(blobs)] if s == 1 or size <= 100_000 else b"-" * 32)
                for i, (c, r, s, _, w, _, _) in enumerate(rows)
            ),
        )
    conn.close()


async def _time_check(size: int, queries: int, blobs: list[bytes], new: list[PhotoFacts]) -> None:
    senders = 300
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        database = await Database.open(path)
        await database.close()
        started = time.perf_counter()
        _seed_store(path, size, blobs, senders)
        seeded = time.perf_counter() - started
        database = await Database.open(path)
        lookups, checks, counts = [], [], []
        for i in range(queries):
            facts = new[i % len(new)]
            began = time.perf_counter()
            async with database.read() as conn:
                near = await photos.near_candidates(
                    conn,
                    neighbourhoods(facts.phash, LIMITS.phash_max_distance),
                    neighbourhoods(facts.dhash, LIMITS.dhash_max_distance),
                )
                cropped = await photo_features.near_crops(
                    conn,
                    neighbourhoods(facts.phash, LIMITS.phash_max_distance),
                    neighbourhoods(facts.dhash, LIMITS.dhash_max_distance),
                )
                own = await photo_features.own_recent(conn, 1)
            found = photo_features.merged(near, cropped, own)
            looked = time.perf_counter()
            if size <= 100_000:
                judge_reuse(
                    found,
                    facts.phash,
                    facts.dhash,
                    facts.thumbnail,
                    1,
                    0,
                    LIMITS,
                    ZoneInfo("Asia/Seoul"),
                    facts.alignment,
                )
            done = time.perf_counter()
            lookups.append((looked - began) * 1000)
            checks.append((done - began) * 1000)
            counts.append(len(found))
        await database.close()
        size_mb = path.stat().st_size / 1e6
    what = "look-up + alignment" if size <= 100_000 else "look-up only"
    print(
        f"{size:>9,} stored ({senders} people)  seeded {seeded:5.1f} s, {size_mb:7.1f} MB  "
        f"look-up p50 {_pct_of(lookups, 50):6.2f} p99 {_pct_of(lookups, 99):6.2f} ms  "
        f"{what} p50 {_pct_of(checks, 50):6.1f} p99 {_pct_of(checks, 99):6.1f} ms  "
        f"candidates {statistics.median(counts):.0f}"
    )


def _pct_of(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * pct / 100) - 1))]


def report_check_time(sizes: list[int], queries: int) -> None:
    print(
        f"\n(d) The re-use check of one new photo (hash look-ups of photos and of their crops, "
        f"the sender's {OWN_RECENT} recent photos, alignment with each candidate), "
        f"{queries} photos; load {_load()}"
    )
    sources = [displayed((PHOTOS / n).read_bytes()) for n in REAL_PHOTOS]
    sources += [synthetic_photo(3000 + s) for s in range(6)]
    facts = [inspect_photo(_sent(image)) for image in sources]
    blobs = [f.alignment for f in facts]
    timings = []
    for data in (_sent(image) for image in sources):
        began = time.perf_counter()
        inspect_photo(data)
        timings.append((time.perf_counter() - began) * 1000)
    began = time.perf_counter()
    for image in sources:
        features_of(image.convert("L").reduce(2))
    each = (time.perf_counter() - began) * 1000 / len(sources)
    print(
        f"features_of (in inspect_photo): {each:.1f} ms a photo; inspect_photo of a 1280 px "
        f"photo p50 {statistics.median(timings):.1f} ms; features {min(map(len, blobs))}-"
        f"{max(map(len, blobs))} bytes"
    )
    for size in sizes:
        asyncio.run(_time_check(size, queries, blobs, facts))


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _phash_at_most(limit: int) -> Callable[[int, int], bool]:
    def rule(phash: int, dhash: int) -> bool:
        return phash <= limit

    return rule


def _both_at_most(phash_limit: int, dhash_limit: int) -> Callable[[int, int], bool]:
    def rule(phash: int, dhash: int) -> bool:
        return phash <= phash_limit and dhash <= dhash_limit

    return rule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timing runs per case")
    parser.add_argument("--synthetic", type=int, default=40, help="generated distinct pictures")
    parser.add_argument(
        "--honest-scenes", type=int, default=10, help="generated scenes for honest near-pairs"
    )
    parser.add_argument("--honest-rounds", type=int, default=2, help="pairs per kind per scene")
    parser.add_argument("--only-honest", action="store_true", help="only section (c)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200, help="new photos timed in (d)")
    args = parser.parse_args()
    if not args.only_honest:
        report_timings(args.runs)
        report_distances(_originals(args.synthetic))
    report_old_and_new(args.honest_scenes, args.honest_rounds)
    if not args.only_honest:
        report_check_time(args.sizes, args.queries)


if __name__ == "__main__":
    main()
