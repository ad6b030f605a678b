"""Draw README's picture, the review feed's post, with the bot's own code and bundled photos.

Run from the repository root: ``python docs/images/draw_feed_post.py``.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from bot.media import feed_picture

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = ROOT / "tests" / "data" / "photos"
START = "HMD_Nokia_8.3_5G__derived_1280px_q80_noexif.jpg"
END = "Reconyx_HC500_Hyperfire.jpg"
OUT = Path(__file__).with_name("feed_post.png")


def main() -> None:
    # CC BY-SA 4.0 photos (tests/data/photos/ATTRIBUTION.md), credited under the README's picture.
    start = feed_picture.preview((PHOTOS / START).read_bytes())
    end = feed_picture.preview((PHOTOS / END).read_bytes())
    labels = feed_picture.FeedLabels(
        "우리동네 불안 요소 찾기", "시작", "종료", "2027.08.16 19:02", "2027.08.16 19:20"
    )
    picture = Image.open(io.BytesIO(feed_picture.compose(start, end, labels)))
    # Small enough for the repository: the README shows it at 640 px, in 128 colours.
    picture.thumbnail((640, 640))
    picture = picture.convert("RGB").quantize(colors=128)  # a palette PNG: ~4x smaller
    picture.save(OUT, optimize=True)
    print(OUT, picture.size, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
