"""Time the pictures the bot draws: badge, round calendar and daily chart (``bot.media
.pictures``), and the review feed's picture (``bot.media.feed_picture``): a photo's preview, made
while checking it, and the picture composed from two previews when the post is sent.

Run from the project root::

    .venv/bin/python -m bench.images [--runs 20] [--save DIR]

Draws round 3 of ``campaign.example.toml`` (50 days) with the sample words the tests use, and
prints the median, fastest and slowest of ``--runs`` renders of each picture and its size (PNG,
or JPEG for the feed). The feed's photos are real camera photos from ``tests/data/photos`` and a
12 MP JPEG made from one of them.
The first render (loading the fonts) is timed separately. ``--save`` writes the PNGs to look at.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PIL import Image

from bot.media import feed_picture
from bot.media.pictures import BadgeLabels, render_badge, render_calendar, render_daily_chart

# Sample words (the benchmark depends on nothing in tests/): a usual name and a very long one.
LABELS = BadgeLabels(headline="축하해요!", name="{name} 님", achievement="{count}회 인증 달성")
WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")
NAME = "김민준"
LONG_NAME = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토"

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = ROOT / "campaign.example.toml"
PHOTOS = ROOT / "tests" / "data" / "photos"


def _twelve_megapixels() -> bytes:
    """A 4000x3000 phone-sized JPEG (q92) from a real photo."""
    with Image.open(PHOTOS / "Reconyx_HC500_Hyperfire.jpg") as photo:
        big = photo.convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    big.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _feed_cases() -> dict[str, Callable[[], bytes]]:
    twelve = _twelve_megapixels()
    heic = (PHOTOS / "IMG_5195.HEIC").read_bytes()
    start, end = feed_picture.preview(twelve), feed_picture.preview(heic)
    labels = feed_picture.FeedLabels(
        "우리동네 불안 요소 찾기", "시작", "종료", "2027.08.16 19:02", "2027.08.16 19:20"
    )
    return {
        "feed-preview-12MP": lambda: feed_picture.preview(twelve),
        "feed-preview-HEIC": lambda: feed_picture.preview(heic),
        "feed-compose": lambda: feed_picture.compose(start, end, labels),
    }


def _cases() -> dict[str, Callable[[], bytes]]:
    config = tomllib.loads(CAMPAIGN.read_text(encoding="utf-8"))
    round_ = config["rounds"][0]
    days = [round_["start"] + timedelta(days=i) for i in range(round_["days"])]
    rng = random.Random(3)  # fixed, so every run draws the same pictures
    certified = {day: rng.choice((0, 0, 1, 1, 1, 2, 3)) for day in days[:30]}
    counts = [rng.randint(0, 40) for _ in days[:35]] + [0] * (len(days) - 35)
    milestone = config["milestones"][0]
    common = {
        "reward": milestone["reward"],
        "count": milestone["count"],
        "round_name": round_["name"],
        "station": config["campaign"]["station"],
        "campaign": config["campaign"]["name"],
        "labels": LABELS,
    }
    return {
        "badge": lambda: render_badge(name=NAME, **common),
        "badge-long-name": lambda: render_badge(name=LONG_NAME, **common),
        "calendar": lambda: render_calendar(
            days=days,
            certified=certified,
            today=days[29],
            title=round_["name"],
            weekday_labels=WEEKDAYS,
            legend=config["campaign"]["name"],
        ),
        "chart": lambda: render_daily_chart(
            days=days, counts=counts, title=round_["name"], axis_label=config["campaign"]["name"]
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--save", type=Path, help="write each picture as DIR/NAME.png")
    args = parser.parse_args()

    cases = _cases() | _feed_cases()
    start = time.perf_counter()
    for render in cases.values():
        render()
    print(f"first render of all {len(cases)} (fonts loaded): {_ms(time.perf_counter() - start)}")
    header = f"{'picture':<18} {'median':>9} {'fastest':>9} {'slowest':>9} {'size':>9}"
    print(f"{header}  ({args.runs} runs each)")
    for name, render in cases.items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            png = render()
            times.append(time.perf_counter() - start)
        print(
            f"{name:<18} {_ms(statistics.median(times)):>9} {_ms(min(times)):>9} "
            f"{_ms(max(times)):>9} {len(png) / 1024:>7.1f}kB"
        )
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            suffix = "png" if png.startswith(b"\x89PNG") else "jpg"
            (args.save / f"{name}.{suffix}").write_bytes(png)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    main()
