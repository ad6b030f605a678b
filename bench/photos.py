"""Time ``bot.media.photo_check.inspect_photo``; measure the hash distances behind the re-use rule.

Run from the project root::

    .venv/bin/python -m bench.photos [--runs 15] [--synthetic 40]

The default takes about 30 s on 2 cores; ``--synthetic 250`` (about 4 minutes) is the run the
thresholds in bot/imaging.py cite.

Reads only ``tests/data/photos`` and images generated here (never ``../shared``). Prints
(a) inspect_photo timings, (b) how far each kind of copy lands from its original, how close
distinct pictures come to each other, and how candidate rules trade one against the other.
"""

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from bot.campaign.config import Fairness
from bot.campaign.fairness import Likeness, likeness
from bot.media.photo_check import (
    LOOKALIKE_MAX_DIFFERENCE,
    REUSE_DHASH_MAX,
    REUSE_PHASH_MAX,
    SAME_PICTURE_MAX_DIFFERENCE,
    PhotoFacts,
    hamming,
    inspect_photo,
)

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


# ---- (c) honest near-pairs beside copies -------------------------------------------------------
# Two honest photos of one spot, made from one large picture: two overlapping views (80% of the
# scene) with the camera moved, tilted, in other light, or with litter picked up in between. Both
# go through what Telegram does to a photo (long side 1280 px, JPEG q85) before the photo check.


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


def honest_pairs(scene: Image.Image, rng: np.random.Generator) -> dict[str, tuple[bytes, bytes]]:
    """Two honest photos of one spot, of each kind, from one scene."""
    centre = (0.5 + rng.uniform(-0.03, 0.03), 0.5 + rng.uniform(-0.03, 0.03))
    first = _view(scene, centre)

    def moved(step: float, dy: float = 0.0) -> tuple[float, float]:
        return centre[0] + step, centre[1] + dy

    side = float(rng.choice([-1.0, 1.0]))
    step_aside = _view(_tilted(scene, rng, 0.03), moved(side * rng.uniform(0.04, 0.08)))
    later = _view(scene, moved(rng.uniform(0.01, 0.02), rng.uniform(0.0, 0.01)))
    darker = ImageEnhance.Brightness(later).enhance(rng.uniform(0.6, 0.8))
    evening = ImageEnhance.Color(darker).enhance(0.8)  # less colour in the evening light
    before = _view(_littered(scene, rng, rng.uniform(0.04, 0.12)), centre)
    after = _view(scene, moved(rng.uniform(0.005, 0.02)))
    other = _view(
        _tilted(scene, rng, 0.05),
        moved(side * rng.uniform(0.08, 0.12), rng.uniform(-0.03, 0.03)),
        zoom=rng.uniform(0.9, 1.1),
    )
    still = _view(_tilted(scene, rng, 0.01), moved(rng.uniform(0.005, 0.01)))
    return {
        "step aside (4-8%, tilt 3%)": (_sent(first), _sent(step_aside)),
        "later light (1-2%, darker)": (_sent(first), _sent(evening)),
        "clean-up before/after": (_sent(before), _sent(after)),
        "2nd person (8-12%, tilt, zoom)": (_sent(first), _sent(other)),
        "same spot (0.5-1%, tilt 1%)": (_sent(first), _sent(still)),
    }


def copy_pairs(scene: Image.Image) -> dict[str, tuple[bytes, bytes]]:
    """The kinds of copy that must be refused, each beside the photo it copies."""
    sent = _sent(_view(scene, (0.5, 0.5)))
    picture = displayed(sent)
    return {
        "sent again (q90)": (sent, _jpeg(picture, 90)),
        "re-saved as PNG": (sent, _png(picture)),
        "resized to 800 px": (sent, _jpeg(_resize_long_side(picture, 800), 85)),
        "recompressed q50": (sent, _jpeg(picture, 50)),
        "brightened 10%": (sent, _jpeg(ImageEnhance.Brightness(picture).enhance(1.1), 90)),
        "darkened 10%": (sent, _jpeg(ImageEnhance.Brightness(picture).enhance(0.9), 90)),
        "brightened 20%": (sent, _jpeg(ImageEnhance.Brightness(picture).enhance(1.2), 90)),
    }


HONEST = (
    "step aside (4-8%, tilt 3%)",
    "later light (1-2%, darker)",
    "clean-up before/after",
    "2nd person (8-12%, tilt, zoom)",
    "same spot (0.5-1%, tilt 1%)",
)
MUST_REFUSE = (
    "sent again (q90)",
    "re-saved as PNG",
    "resized to 800 px",
    "recompressed q50",
    "brightened 10%",
    "darkened 10%",
)


def report_honest_pairs(synthetic: int, rounds: int) -> None:
    scenes = [displayed((PHOTOS / n).read_bytes()) for n in REAL_PHOTOS if "1280px" not in n]
    scenes += [synthetic_photo(1000 + seed) for seed in range(synthetic)]
    rng = np.random.default_rng(2027)
    found: dict[str, list[tuple[Likeness, float | None, int, int]]] = {}
    for scene in scenes:
        pairs = {**copy_pairs(scene)}
        for _ in range(rounds):
            for label, pair in honest_pairs(scene, rng).items():
                a, b = (inspect_photo(data) for data in pair)
                found.setdefault(label, []).append((*verdict(a, b), *_dist(a, b)))
        for label, pair in pairs.items():
            a, b = (inspect_photo(data) for data in pair)
            found.setdefault(label, []).append((*verdict(a, b), *_dist(a, b)))
    print(f"\n(c) Honest photos of one spot beside copies ({len(scenes)} scenes); rule: {RULE}")
    print(
        f"{'pair':<32} {'n':>4} {'refused':>8} {'flagged':>8} {'accepted':>9}  "
        f"{'pHash':>7} {'dHash':>7} {'difference':>11}"
    )
    print("(difference: of the thumbnails, measured only when the hashes are near)")
    totals = {"honest": [0, 0, 0], "copies": [0, 0, 0]}
    order = (Likeness.SAME, Likeness.LOOKALIKE, Likeness.DIFFERENT)
    for label, rows in found.items():
        verdicts = [row[0] for row in rows]
        counts = [verdicts.count(v) for v in order]
        kind = "copies" if label in MUST_REFUSE else "honest" if label in HONEST else ""
        if kind:
            totals[kind] = [t + c for t, c in zip(totals[kind], counts, strict=True)]
        diffs = [row[1] for row in rows if row[1] is not None]
        spread = f"{min(diffs):.2f}-{max(diffs):.2f}" if diffs else "n/a"
        print(
            f"{label:<32} {len(rows):>4} {_pct(counts[0], len(rows)):>8} "
            f"{_pct(counts[1], len(rows)):>8} {_pct(counts[2], len(rows)):>9}  "
            f"{min(r[2] for r in rows):>3}-{max(r[2] for r in rows):<3} "
            f"{min(r[3] for r in rows):>3}-{max(r[3] for r in rows):<3} {spread:>11}"
        )
    honest, copies = totals["honest"], totals["copies"]
    print(
        f"honest pairs refused: {honest[0]} of {sum(honest)}, flagged for the leaders: "
        f"{honest[1]}; copies (q90, PNG, 800 px, q50, +-10% light) refused: {copies[0]} of "
        f"{sum(copies)}"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timing runs per case")
    parser.add_argument("--synthetic", type=int, default=40, help="generated distinct pictures")
    parser.add_argument(
        "--honest-scenes", type=int, default=10, help="generated scenes for honest near-pairs"
    )
    parser.add_argument("--honest-rounds", type=int, default=2, help="pairs per kind per scene")
    parser.add_argument("--only-honest", action="store_true", help="only section (c)")
    args = parser.parse_args()
    if not args.only_honest:
        report_timings(args.runs)
        report_distances(_originals(args.synthetic))
    report_honest_pairs(args.honest_scenes, args.honest_rounds)


if __name__ == "__main__":
    main()


def _phash_at_most(limit: int) -> Callable[[int, int], bool]:
    def rule(phash: int, dhash: int) -> bool:
        return phash <= limit

    return rule


def _both_at_most(phash_limit: int, dhash_limit: int) -> Callable[[int, int], bool]:
    def rule(phash: int, dhash: int) -> bool:
        return phash <= phash_limit and dhash <= dhash_limit

    return rule
