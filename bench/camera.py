"""Camera check-in: the camera page's weight, a capture's upload size, and the time from an
upload to the bot's reply in the chat, against the real bot process.

Run from the project root::

    .venv/bin/python -m bench.camera [--participants 20]

The bot is ``bench/serve.py bot`` (exactly ``python -m bot``) with the console served on
127.0.0.1, against the Bot API stand-in over HTTP (``bench.api_traffic``); the participants are
seeded as approved. Each sends /certify in the chat, then does what the camera page does after
the tap: ``api/open`` (done when the page opens, so not timed) and ``api/photo`` with a capture
and its ticket, timed from the upload's start to the bot's reply reaching the stand-in. The start
photos go one person at a time; the end photos all at once (an evening peak). What the phone does
before the upload (drawing the frame on a canvas, its JPEG encoding: tens of ms on a phone) is
not in these figures; ``tests/test_camera_browser.py`` prints the whole tap-to-reply time in
headless chromium.

The capture is what a canvas gives for a 1920x1440 frame at JPEG quality 0.9 (the page asks
for that size; a phone gives it or its nearest): a photo-like picture with sensor grain, so
its size is near a real frame's. The page's weight counts the HTML, JS and CSS the bot serves
(Telegram's own telegram-web-app.js, cached by the client, and the Korean font, fetched only by
devices without one, are not counted).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from PIL import ImageChops

from bench.api_traffic import FakeApi
from bench.load import (
    FIRST_USER,
    LEADER,
    SERVE,
    _environment,
    _grain,
    _percentile,
    _scene,
    _text,
    write_campaign_file,
)
from bot.console.auth import sign

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "bot" / "console" / "static"
PAGE_FILES = ("camera.html", "camera.js", "camera.css")
CAPTURE = (1920, 1440)


def page_weight() -> tuple[int, int]:
    """(bytes, gzip bytes) of the page's HTML, JS and CSS."""
    raw = [(STATIC / name).read_bytes() for name in PAGE_FILES]
    return sum(map(len, raw)), sum(len(gzip.compress(data, 9)) for data in raw)


def capture(seed: int) -> bytes:
    """A photo-like frame with grain, encoded as a canvas does (JPEG quality 0.9, no EXIF)."""
    frame = ImageChops.add(_scene(seed, CAPTURE), _grain(CAPTURE, seed), scale=1.0, offset=-8)
    out = io.BytesIO()
    frame.save(out, "JPEG", quality=90)
    return out.getvalue()


def _init_data(token: str, user_id: int) -> str:
    user = f'{{"id":{user_id},"first_name":"p","language_code":"ko"}}'
    return sign({"auth_date": str(int(time.time())), "user": user}, token)


async def _upload(
    session: aiohttp.ClientSession, api: FakeApi, base: str, user_id: int, photo: bytes
) -> float:
    """One capture through the page's two calls; seconds from the upload to the reply."""
    headers = {"Authorization": "tma " + _init_data(api.token, user_id)}
    async with session.post(base + "api/open", headers=headers) as response:
        opened = await response.json()
        if response.status != 200:
            raise SystemExit(f"{user_id}: open answered {response.status} {opened}")
    reply = api.expect_reply(user_id, "")
    began = time.perf_counter()
    async with session.post(
        base + "api/photo",
        headers={**headers, "X-Camera-Nonce": opened["nonce"], "Content-Type": "image/jpeg"},
        data=photo,
    ) as response:
        answer = await response.json()
        if response.status != 200:
            raise SystemExit(f"{user_id}: upload answered {response.status} {answer}")
    arrived, _ = await asyncio.wait_for(reply, 60)
    return arrived - began


async def run(participants: int) -> tuple[list[float], list[float], list[int]]:
    photos = [(capture(2 * i + 1), capture(2 * i + 2)) for i in range(participants)]
    with tempfile.TemporaryDirectory(prefix="bench-camera-") as tmp:
        folder = Path(tmp)
        write_campaign_file(folder)
        seed = [str(folder / "bot.sqlite3"), str(FIRST_USER), str(participants), str(LEADER)]
        subprocess.run(
            [sys.executable, "-P", str(SERVE), "seed", *seed],
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
            check=True,
        )
        api = FakeApi(first_user=FIRST_USER)
        await api.start()
        port = _free_port()
        env = _environment(api, folder, ROOT)
        env.update(CONSOLE_URL="https://console.example.org/", CONSOLE_LISTEN=f"127.0.0.1:{port}")
        log = folder / "bot.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-P", str(SERVE), "bot"],
                cwd=folder,
                env=env,
                stdout=out,
                stderr=out,
            )
        base = f"http://127.0.0.1:{port}/camera/"
        try:
            users = range(FIRST_USER, FIRST_USER + participants)
            async with aiohttp.ClientSession() as session:
                await _wait_for_console(session, base, process, log)
                for user_id in users:
                    reply = api.expect_reply(user_id, "")
                    api.push(_text(user_id, "/certify"))
                    await asyncio.wait_for(reply, 60)
                starts = [
                    await _upload(session, api, base, user_id, photos[i][0])
                    for i, user_id in enumerate(users)
                ]
                ends = await asyncio.gather(
                    *(_upload(session, api, base, u, photos[i][1]) for i, u in enumerate(users))
                )
        finally:
            process.terminate()  # the fake Bot API answers its last calls meanwhile
            await asyncio.to_thread(process.wait, 30)
            await api.stop()
        errors = [
            line for line in log.read_text("utf-8", "replace").splitlines() if "ERROR" in line
        ]
        if errors:
            raise SystemExit("\n".join(errors[:5]))
    return starts, list(ends), [len(p) for pair in photos for p in pair]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _wait_for_console(
    session: aiohttp.ClientSession, base: str, process: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(log.read_text("utf-8", "replace")[-3000:])
        try:
            async with session.get(base + "texts.json") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit("the console did not start")


def _ms(values: list[float]) -> str:
    p50, p95 = _percentile(values, 0.5) * 1000, _percentile(values, 0.95) * 1000
    return f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(values) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=20)
    args = parser.parse_args()
    raw, zipped = page_weight()
    print(f"camera page (HTML+JS+CSS): {raw} bytes, {zipped} bytes gzipped")
    starts, ends, sizes = asyncio.run(run(args.participants))
    sizes.sort()
    print(
        f"capture {CAPTURE[0]}x{CAPTURE[1]} JPEG q0.9: median {sizes[len(sizes) // 2]} bytes "
        f"(min {sizes[0]}, max {sizes[-1]})"
    )
    print(f"upload to reply, start photos one at a time (n={len(starts)}): {_ms(starts)}")
    print(f"upload to reply, end photos all at once (n={len(ends)}): {_ms(ends)}")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
