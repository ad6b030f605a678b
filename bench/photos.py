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

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from bot.media.photo_check import (
    REUSE_DHASH_MAX,
    REUSE_PHASH_MAX,
    PhotoFacts,
    hamming,
    inspect_photo,
    within_reuse_threshold,
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
    pixels = np.broadcast_to(base, (height, width, 3)).astype(np.float32)
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
    pixels = np.asarray(image, dtype=np.float32) + grain
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


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


def report_distances(originals: list[Original]) -> None:
    rule = f"pHash <= {REUSE_PHASH_MAX} and dHash <= {REUSE_DHASH_MAX}"
    print(f"\n(b) Copies of a picture vs its original; chosen rule: {rule}")
    print(
        f"{'transform':<26} {'set':<5} {'n':>3} {'caught':>7}  "
        f"{'pHash min/med/max':>17}  {'dHash min/med/max':>17}"
    )
    for label in TRANSFORMS:
        for kind, real in (("real", True), ("synth", False)):
            dists = [_dist(o.facts, o.copies[label]) for o in originals if o.real is real]
            caught = sum(within_reuse_threshold(p, d) for p, d in dists)
            print(
                f"{label:<26} {kind:<5} {len(dists):>3} {_pct(caught, len(dists))}  "
                f"{_stats(p for p, _ in dists):>17}  {_stats(d for _, d in dists):>17}"
            )

    by_name = {o.name: o for o in originals}
    same = _dist(by_name[SAME_SCENE[0]].facts, by_name[SAME_SCENE[1]].facts)
    verdict = "same picture" if within_reuse_threshold(*same) else "different pictures"
    print(
        f"\nSame scene 26 s apart ({SAME_SCENE[0]} vs {SAME_SCENE[1]}): "
        f"pHash {same[0]}, dHash {same[1]} -> rule says {verdict}"
    )

    distinct = _distinct_pairs(originals)
    print(f"\nDistinct pictures ({len(distinct)} pairs of originals; same-scene pair excluded):")
    print(
        f"{'pairs':<28} {'n':>5} {'refused':>8}  {'pHash min/med/max':>17}  "
        f"{'dHash min/med/max':>17}"
    )
    groups = {
        "real vs real": [d for d, kinds in distinct if kinds == (True, True)],
        "real vs synthetic": [d for d, kinds in distinct if kinds[0] != kinds[1]],
        "synthetic vs synthetic": [d for d, kinds in distinct if kinds == (False, False)],
        "all originals": [d for d, _ in distinct],
        "copies vs other originals": _copies_vs_others(originals),
    }
    for label, dists in groups.items():
        refused = sum(within_reuse_threshold(p, d) for p, d in dists)
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


def _distinct_pairs(originals: list[Original]) -> list[tuple[tuple[int, int], tuple[bool, bool]]]:
    pairs = []
    for a, b in combinations(originals, 2):
        if {a.name, b.name} != set(SAME_SCENE):
            pairs.append((_dist(a.facts, b.facts), (a.real, b.real)))
    return pairs


def _copies_vs_others(originals: list[Original]) -> list[tuple[int, int]]:
    # A recompressed copy of A must not be taken for B either.
    dists = []
    for a in originals:
        for b in originals:
            if a is b or {a.name, b.name} == set(SAME_SCENE):
                continue
            dists.extend(_dist(copy, b.facts) for copy in a.copies.values())
    return dists


def _report_rules(originals: list[Original], distinct: list[tuple[int, int]]) -> None:
    def caught(labels: Iterable[str], rule: Callable[[int, int], bool]) -> str:
        dists = [_dist(o.facts, o.copies[label]) for o in originals for label in labels]
        return _pct(sum(rule(p, d) for p, d in dists), len(dists))

    print("\nCandidate rules: caught copies (q90/1280/q60/PNG), crop 5%, +10% brightness, and")
    print(f"false refusals among {len(distinct)} distinct pairs (originals and copies vs others)")
    print(f"{'rule':<28} {'copies':>8} {'crop':>8} {'bright':>8} {'refused':>8}")
    candidates: list[tuple[str, Callable[[int, int], bool]]] = []
    for t in (4, 6, 8, 10, 12, 14):
        candidates.append((f"pHash <= {t}", lambda p, d, t=t: p <= t))
    for t1, t2 in ((6, 6), (8, 8), (10, 10), (10, 12), (12, 12), (14, 14)):
        candidates.append(
            (f"pHash <= {t1} and dHash <= {t2}", lambda p, d, t1=t1, t2=t2: p <= t1 and d <= t2)
        )
    chosen_name = f"pHash <= {REUSE_PHASH_MAX} and dHash <= {REUSE_DHASH_MAX}"
    for name, rule in candidates:
        refused = sum(rule(p, d) for p, d in distinct)
        chosen = "  <- chosen" if name == chosen_name else ""
        print(
            f"{name:<28} {caught(COPIES, rule)} {caught(['cropped 5% (2.5%/side)'], rule)} "
            f"{caught(['brightened 10%'], rule)} {refused:>8}{chosen}"
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
    args = parser.parse_args()
    report_timings(args.runs)
    report_distances(_originals(args.synthetic))


if __name__ == "__main__":
    main()
