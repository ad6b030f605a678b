"""Time the three pictures of ``bot.media.pictures``: badge, round calendar and daily chart.

Run from the project root::

    .venv/bin/python -m bench.images [--runs 20] [--save DIR]

Draws round 3 of ``campaign.example.toml`` (50 days) with the sample words the tests use, and
prints the median, fastest and slowest of ``--runs`` renders of each picture and its PNG size.
The first render (loading the fonts) is timed separately. ``--save`` writes the PNGs to look at.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.media.pictures import BadgeLabels, render_badge, render_calendar, render_daily_chart

CAMPAIGN = Path(__file__).resolve().parent.parent / "campaign.example.toml"

# The words drawn: the catalogue's badge labels, a usual name and a name too long for its band
# (the same samples the tests draw; bench/ keeps its own copy, it imports nothing from tests/).
LABELS = BadgeLabels(headline="축하해요!", name="{name} 님", achievement="{count}회 인증 달성")
WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")
NAME = "김민준"
LONG_NAME = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토"


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

    cases = _cases()
    start = time.perf_counter()
    for render in cases.values():
        render()
    print(f"first render of all {len(cases)} (fonts loaded): {_ms(time.perf_counter() - start)}")
    header = f"{'picture':<16} {'median':>9} {'fastest':>9} {'slowest':>9} {'PNG':>9}"
    print(f"{header}  ({args.runs} runs each)")
    for name, render in cases.items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            png = render()
            times.append(time.perf_counter() - start)
        print(
            f"{name:<16} {_ms(statistics.median(times)):>9} {_ms(min(times)):>9} "
            f"{_ms(max(times)):>9} {len(png) / 1024:>7.1f}kB"
        )
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.png").write_bytes(png)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    main()
