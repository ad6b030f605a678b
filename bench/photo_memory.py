"""Peak memory of the photo checks under hostile pictures, today's code beside an older one.

Run from the project root::

    .venv/bin/python -m bench.photo_memory [--pngs 6] [--old-ref 76f4d11]

The attack of issue 10: participants each sending a 335 KB PNG of 9400x9400 pixels (just under
Pillow's bomb limit), all at once, beside a real-sized 100 MP phone JPEG and a 30 MP progressive
JPEG. Each code version runs in a fresh process that first loads the whole bot (``bot.app``),
then receives every picture at the same moment through the same call the bot makes
(``handlers.photos.fetch_and_inspect`` with a stand-in for Telegram's download; for the old
code, ``asyncio.to_thread(inspect_photo, data)`` as it was). Printed: the process's RSS before,
its peak (VmHWM), and what each picture got. The old code is read with ``git show`` from
``--old-ref`` (the photo check before the memory budget).
"""

import argparse
import asyncio
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

PHOTOS = Path(__file__).resolve().parent.parent / "tests" / "data" / "photos"
OLD_REF = "76f4d11"  # the last commit before the memory budget (issue 10)


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def hostile_png(path: Path) -> None:
    """9400x9400 RGB, a few shapes on a flat ground: ~300 KB of file, 265 MB of pixels."""
    image = Image.new("RGB", (9400, 9400), (90, 110, 130))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.ellipse((i * 700, i * 500, i * 700 + 900, i * 500 + 1200), fill=(20 * i, 80, 200))
    image.save(path, "PNG", optimize=True)


def phone_jpeg(path: Path, size: tuple[int, int], *, grain: bool = True, **params: Any) -> None:
    """A real photo blown up to ``size`` (with sensor-like grain), as a phone writes it."""
    with Image.open(PHOTOS / "Reconyx_HC500_Hyperfire.jpg") as source:
        big = source.convert("RGB").resize(size, Image.Resampling.BILINEAR)
    if grain:
        noise = np.random.default_rng(7).integers(-3, 4, (size[1], size[0], 1), dtype=np.int16)
        pixels = np.clip(np.asarray(big, dtype=np.int16) + noise, 0, 255).astype(np.uint8)
        big = Image.fromarray(pixels, "RGB")
        del pixels
    big.save(path, "JPEG", quality=80, **params)


def largest_png(path: Path) -> None:
    """The largest PNG still decoded: just under FULL_DECODE_MAX_PIXELS, RGBA (4 bytes a pixel)."""
    from bot.media.photo_check import FULL_DECODE_MAX_PIXELS

    side = int(FULL_DECODE_MAX_PIXELS**0.5) - 1
    image = Image.new("RGBA", (side, side), (90, 110, 130, 255))
    ImageDraw.Draw(image).ellipse((100, 100, side - 100, side - 100), fill=(200, 80, 20, 128))
    image.save(path, "PNG", optimize=True)


@dataclass(frozen=True)
class Attack:
    files: list[tuple[str, Path]]


def build_attack(folder: Path, pngs: int, scenario: str) -> Attack:
    if scenario == "limits":
        return _build_limits(folder, pngs)
    png = folder / "hostile_9400.png"
    hostile_png(png)
    jpeg100 = folder / "phone_100mp.jpg"
    phone_jpeg(jpeg100, (11_600, 8_700))
    progressive = folder / "progressive_30mp.jpg"
    phone_jpeg(progressive, (6_400, 4_800), progressive=True)
    files = [(f"PNG 9400x9400 #{i + 1}", png) for i in range(pngs)]
    files += [("JPEG 100 MP (baseline)", jpeg100), ("JPEG 30 MP (progressive)", progressive)]
    return Attack(files)


def _build_limits(folder: Path, pngs: int) -> Attack:
    # The most the new code still decodes: full-size PNGs just under the limit, a 200 MP JPEG
    # (Samsung's sensor), a progressive JPEG just under the limit and two iPhone HEICs, at once.
    png = folder / "largest.png"
    largest_png(png)
    jpeg200 = folder / "phone_200mp.jpg"
    phone_jpeg(jpeg200, (16_320, 12_240), grain=False)
    progressive = folder / "progressive_25mp.jpg"
    phone_jpeg(progressive, (5_770, 4_330), progressive=True)
    heic = folder / "iphone_24mp.heic"
    iphone_heic(heic)
    files = [(f"PNG RGBA 25 MP #{i + 1}", png) for i in range(pngs)]
    files += [("JPEG 200 MP (baseline)", jpeg200), ("JPEG 25 MP (progressive)", progressive)]
    files += [(f"HEIC 24 MP #{i + 1}", heic) for i in range(2)]
    return Attack(files)


def iphone_heic(path: Path) -> None:
    """An iPhone's default 24 MP photo (5712x4284) as HEIC; encoding takes ~20 s."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    with Image.open(PHOTOS / "Reconyx_HC500_Hyperfire.jpg") as source:
        big = source.convert("RGB").resize((5_712, 4_284), Image.Resampling.BILINEAR)
    big.save(path, "HEIF", quality=60)


# ---- the child process: one code version, every picture at once ------------------------------


def _load_old(ref: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{ref}:bot/media/photo_check.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spec = importlib.util.spec_from_loader("old_photo_check", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{ref}:bot/media/photo_check.py", "exec"), module.__dict__)
    return module


class _File:
    def __init__(self, data: bytes) -> None:
        self.file_size = len(data)
        self._data = data

    async def download_as_bytearray(self) -> bytearray:
        await asyncio.sleep(0.05)  # the download takes a moment; everyone's arrives together
        return bytearray(self._data)


class _Bot:
    def __init__(self, files: dict[str, bytes]) -> None:
        self._files = files

    async def get_file(self, file_id: str) -> _File:
        return _File(self._files[file_id])


class _Context:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.bot = _Bot(files)


async def _run_new(files: dict[str, bytes]) -> list[str]:
    from datetime import UTC, datetime

    from bot.campaign.certify import IncomingPhoto
    from bot.notices.participant_files import PhotoRefused
    from handlers.photos import fetch_and_inspect

    async def one(label: str) -> str:
        photo = IncomingPhoto(
            "document", label, label, None, len(files[label]), None, None, 1, datetime.now(UTC)
        )
        try:
            # _Context stands in for the bot's context: only its bot.get_file is used.
            facts = (await fetch_and_inspect(_Context(files), photo)).facts  # type: ignore[arg-type]
        except PhotoRefused as refused:
            return f"refused: {refused.reason}"
        return f"accepted {facts.width}x{facts.height}"

    return list(await asyncio.gather(*(one(label) for label in files)))


async def _run_old(files: dict[str, bytes], ref: str) -> list[str]:
    old = _load_old(ref)

    async def one(label: str) -> str:
        data = bytes(await _File(files[label]).download_as_bytearray())
        try:
            facts = await asyncio.to_thread(old.inspect_photo, data)
        except old.ImageTooLarge:
            return "refused: photo-too-many-pixels"
        except old.NotAnImage:
            return "refused: photo-not-an-image"
        return f"accepted {facts.width}x{facts.height}"

    return list(await asyncio.gather(*(one(label) for label in files)))


def child(version: str, manifest: Path, ref: str) -> None:
    import bot.app  # noqa: F401  (the whole bot's code, as in a running bot)

    listed = json.loads(manifest.read_text())
    files = {label: Path(path).read_bytes() for label, path in listed}
    before = _status_kb("VmRSS")
    start = time.perf_counter()
    if version == "new":
        results = asyncio.run(_run_new(files))
    else:
        results = asyncio.run(_run_old(files, ref))
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "before_mb": before / 1024,
                "peak_mb": _status_kb("VmHWM") / 1024,
                "seconds": seconds,
                "results": results,
            }
        )
    )


# ---- the parent: build the attack, run both versions, print side by side ----------------------


def _measure(version: str, manifest: Path, ref: str) -> dict[str, Any] | None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.photo_memory", "--child", version, str(manifest), ref],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(f"[{version}] failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pngs", type=int, default=6, help="hostile 9400x9400 PNGs at once")
    parser.add_argument("--old-ref", default=OLD_REF, help="git ref of the code to compare with")
    parser.add_argument(
        "--scenario",
        choices=("attack", "limits"),
        default="attack",
        help="attack: issue 10's hostile PNGs; limits: the largest pictures still decoded",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.child[2])
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        attack = build_attack(folder, args.pngs, args.scenario)
        manifest = folder / "manifest.json"
        manifest.write_text(json.dumps([(label, str(path)) for label, path in attack.files]))
        sizes = {label: path.stat().st_size for label, path in attack.files}
        print("Pictures, all arriving at the same moment:")
        for label, size in sizes.items():
            print(f"  {label:<28} {size / 1e6:6.2f} MB file")
        runs = {
            f"old ({args.old_ref})": _measure("old", manifest, args.old_ref),
            "new": _measure("new", manifest, args.old_ref),
        }

    print(f"\n{'':<28} " + "  ".join(f"{name:>34}" for name in runs))
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("RSS before (whole bot loaded)", lambda r: f"{r['before_mb']:.0f} MB"),
        ("peak RSS", lambda r: f"{r['peak_mb']:.0f} MB"),
        ("peak - before", lambda r: f"{r['peak_mb'] - r['before_mb']:.0f} MB"),
        ("time for all", lambda r: f"{r['seconds']:.1f} s"),
    ]
    for title, cell in rows:
        line = "  ".join(f"{cell(r) if r else 'n/a':>34}" for r in runs.values())
        print(f"{title:<28} {line}")
    for i, (label, _) in enumerate(attack.files):
        line = "  ".join(f"{r['results'][i] if r else 'n/a':>34}" for r in runs.values())
        print(f"{label:<28} {line}")


if __name__ == "__main__":
    main()
