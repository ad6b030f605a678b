"""Load: the real bot process under an evening peak of certifications, beside a floor bot and a
bare PTB bot.

Run from the project root::

    .venv/bin/python -m bench.load [--participants 600] [--ramp 0] [--photos small|real]
                                   [--me 10000] [--rate-limited 100] [--vs OLD_CHECKOUT]
                                   [--only bot|floor|bare]

The Bot API stand-in the tests and practice mode use (``bot/practice/standin.py``), behind
asyncio HTTP/1.1 keep-alive (``bench.api_traffic``), serves the bot over real HTTP and counts
what it is asked. The bot is ``bench/serve.py bot``: exactly ``python -m bot`` (same settings,
campaign file, ``build_application``, polling) except that PTB's ``AIORateLimiter`` is off --
with it on, Telegram's cap of 30 messages a second would be all this measured; ``--rate-limited
N`` then runs N more certifications with it on, for the rate Telegram would allow. The
participants are seeded as approved straight into the store; each then certifies as people do:
/certify, the start photo (a JPEG sent as a file, EXIF saying it was taken just now), the end
photo (a compressed photo), a one-line note (every second person presses "건너뛰기", no note,
instead: the bot edits its "인증 완료" message). Every photo is a distinct picture, so the fairness
checks pass them. ``--photos real`` sends what phones send: a 12 MP start photo file (about 3
MB) and a 1280 px end photo; ``small`` sends 320x240 pictures (cached in the temp folder between
runs).

The bare bot (``bench/serve.py bare``) is PTB's ``ApplicationBuilder`` with the same token, URLs
and polling, concurrent updates on, no rate limiter and no store: one ``MessageHandler`` answers
every message with one ``sendMessage``. It gets the same four updates per person. The floor bot
(``bench/serve.py floor``) is the bare bot plus the least photo work a certification needs: it
downloads both photos, decodes each once at 1/4 scale with Pillow and encodes one 1280 px JPEG of
the two; nothing is stored. The campaign bot's certifications/s over the floor's is the honest
ratio (the bare bot does no photo work); it runs once, with this checkout.

Per certification it prints: messages that count against Telegram's limit (calls naming a
chat), HTTP round trips (Bot API calls and file downloads; getUpdates among them), SQLite
transactions (writes and reads), waits for the writer's lock (p50/p99), CPU ms of the bot
process, the edits among the messages; then certifications/s
and their ratio to the floor bot's and the bare bot's in the same run, and the peak RSS.
Latency is from the moment the fake hands an update to getUpdates to the bot's reply. Errors:
replies that are not the expected step, no reply within 120 s, ERROR lines in the bot's log.
``--vs DIR`` (repeatable) runs the bot and the bare bot of another checkout first (e.g.
``git archive main`` unpacked into DIR, labelled with DIR's name), in the same run, for a
before/after table.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image, ImageChops, ImageDraw

from bench.api_traffic import JSON, FakeApi, Traffic

SEOUL = ZoneInfo("Asia/Seoul")
FIRST_USER = 100_000
LEADER = 9001
REPLY_TIMEOUT = 120.0  # a reply later than this counts as an error (lost)
ROOT = Path(__file__).resolve().parents[1]
SERVE = Path(__file__).resolve().parent / "serve.py"
PHOTO_CACHE = Path(tempfile.gettempdir()) / "bench-load-photos"

# What the bot says at each step (Korean catalogue): the reply must contain it.
EXPECT = {
    "certify": "시작 사진",
    "start": "시작 사진 받았어요",
    "end": "인증 완료",
    "note": "소감을 저장했어요",
    "skip": "내일도 함께해요",
    "me": "나의 인증",
    "bare": "ok",
}


def write_campaign_file(folder: Path) -> Path:
    """A round that started three days ago (Seoul), photos any time apart."""
    today = datetime.now(SEOUL).date()
    path = folder / "campaign.toml"
    path.write_text(
        f"""
[campaign]
name = "우리동네 치안협력관"
station = "익산경찰서"

[[rounds]]
name = "3차"
start = {today - timedelta(days=3)}
days = 50

[standing_mission]
title = "우리동네 불안 요소 찾기"

[rules]
min_minutes_between_photos = 0
""",
        encoding="utf-8",
    )
    return path


# ---- photos ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pictures:
    """One person's two photos: the start photo (sent as a file), the end photo (compressed)."""

    start: Path
    end: Path
    end_size: tuple[int, int]


def _scene(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A distinct picture: shapes on a tinted ground."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x0, y0, x0 + rng.randrange(20, 160), y0 + rng.randrange(20, 120))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    return image


_GRAIN: Image.Image | None = None


def _grain(size: tuple[int, int], seed: int) -> Image.Image:
    """Sensor-like noise (what makes a phone's 12 MP JPEG weigh megabytes), shifted per photo."""
    global _GRAIN
    if _GRAIN is None or _GRAIN.size != size:
        _GRAIN = Image.effect_noise(size, 18).convert("RGB")
    return ImageChops.offset(_GRAIN, seed * 37 % size[0], seed * 53 % size[1])


def _jpeg(image: Image.Image, taken: datetime | None) -> bytes:
    out = io.BytesIO()
    if taken is None:
        image.save(out, "JPEG", quality=88)
        return out.getvalue()
    exif = Image.Exif()
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif_ifd[0x9011] = "+09:00"
    image.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def _photo(seed: int, size: tuple[int, int], taken: datetime | None) -> bytes:
    if size == (320, 240):
        return _jpeg(_scene(seed), taken)
    big = _scene(seed).resize(size, Image.Resampling.BILINEAR)
    return _jpeg(ImageChops.add(big, _grain(size, seed), 1.0, -128), taken)


def make_pictures(count: int, real: bool, taken: datetime) -> list[Pictures]:
    """``count`` pairs of distinct photos, written once into the temp folder and reused."""
    start_size, end_size = ((4000, 3000), (1280, 960)) if real else ((320, 240), (320, 240))
    PHOTO_CACHE.mkdir(exist_ok=True)
    made = []
    # The start photo's EXIF must say "today", so the cache is per day.
    day = taken.strftime("%Y%m%d")
    for index in range(count):
        start = PHOTO_CACHE / f"start-{start_size[0]}-{day}-{index}.jpg"
        end = PHOTO_CACHE / f"end-{end_size[0]}-{index}.jpg"
        if not start.exists():
            start.write_bytes(_photo(2 * index, start_size, taken))
        if not end.exists():
            end.write_bytes(_photo(2 * index + 1, end_size, None))
        made.append(Pictures(start, end, end_size))
    return made


# ---- simulated participants -----------------------------------------------------------------


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _user(user_id: int) -> JSON:
    return {"id": user_id, "is_bot": False, "first_name": f"참여자{user_id}", "language_code": "ko"}


def _message(user_id: int, **content: Any) -> JSON:
    user = _user(user_id)
    chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
    return {
        "message": {
            "message_id": random.randrange(1, 2**31),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
    }


def _text(user_id: int, text: str) -> JSON:
    content: JSON = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return _message(user_id, **content)


async def _step(api: FakeApi, figures: Figures, user_id: int, update: JSON, step: str) -> bool:
    reply = api.expect_reply(user_id, EXPECT[step])
    update_id = api.push(update)
    try:
        arrived, text = await asyncio.wait_for(reply, REPLY_TIMEOUT)
    except TimeoutError:
        figures.errors.append(f"{user_id} {step}: no reply in {REPLY_TIMEOUT:.0f} s")
        return False
    figures.latencies.append(arrived - api.delivered_at.get(update_id, arrived))
    if EXPECT[step] not in text:
        figures.errors.append(f"{user_id} {step}: {text[:120]!r}")
        return False
    return True


def _skip_press(api: FakeApi, user_id: int) -> JSON:
    """The "no note" button under the bot's last message ("인증 완료"), pressed."""
    sent = api.last_sent.get(user_id) or {}
    rows = (sent.get("reply_markup") or {}).get("inline_keyboard", [])
    data = next(
        (
            b["callback_data"]
            for row in rows
            for b in row
            if "skipnote" in b.get("callback_data", "")
        ),
        "cert:skipnote:0",
    )
    message = {key: sent[key] for key in ("message_id", "date", "chat", "text") if key in sent}
    query = {"id": f"q{user_id}", "from": _user(user_id), "chat_instance": f"c{user_id}"}
    return {"callback_query": {**query, "data": data, "message": message}}


async def _certify(
    api: FakeApi, figures: Figures, user_id: int, pictures: Pictures, bare: bool, skip_note: bool
) -> bool:
    start_id, end_id = api.add_file(pictures.start), api.add_file(pictures.end)
    document = {
        "file_id": start_id,
        "file_unique_id": "U" + start_id,
        "file_name": "IMG_0001.JPG",
        "mime_type": "image/jpeg",
        "file_size": api.file_size(start_id),
    }
    width, height = pictures.end_size
    sizes = [
        {
            "file_id": end_id,
            "file_unique_id": "U" + end_id,
            "width": width,
            "height": height,
            "file_size": api.file_size(end_id),
        }
    ]
    steps = [
        ("certify", _text(user_id, "/certify")),
        ("start", _message(user_id, document=document)),
        ("end", _message(user_id, photo=sizes)),
        ("note", _text(user_id, "골목 보안등 한 곳이 꺼져 있었어요")),
    ]
    for step, update in steps:
        if bare:
            step = "bare"
        elif step == "note" and skip_note:
            step, update = "skip", _skip_press(api, user_id)
        if not await _step(api, figures, user_id, update, step):
            return False
    return True


# ---- the bot processes ----------------------------------------------------------------------


@dataclass
class BotProcess:
    kind: str
    process: subprocess.Popen[bytes]
    log: Path
    stats_file: Path
    asked: int = 0

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    async def stats(self) -> dict[str, Any]:
        """What the bot process did so far (CPU seconds, transactions, lock waits)."""
        self.asked += 1
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                figures: dict[str, Any] = json.loads(self.stats_file.read_text("utf-8"))
            except (FileNotFoundError, json.JSONDecodeError):
                figures = {"seq": 0}
            if figures["seq"] >= self.asked:
                return figures
            await asyncio.sleep(0.05)
        raise SystemExit(f"{self.kind} did not report its figures")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_errors(self) -> list[str]:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if " ERROR " in line or "Traceback" in line]


def _environment(api: FakeApi, folder: Path, root: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(root),
        "BOT_TOKEN": api.token,
        "BOT_API_URL": api.url,
        "DATABASE_PATH": str(folder / "bot.sqlite3"),
        "LEADER_IDS": str(LEADER),
        "CAMPAIGN_FILE": str(folder / "campaign.toml"),
        "LOG_LEVEL": "WARNING",
        "BENCH_STATS_FILE": str(folder / "stats.json"),
    }


def _start_bot(kind: str, api: FakeApi, folder: Path, root: Path, rate_limit: bool) -> BotProcess:
    env = _environment(api, folder, root)
    command = [sys.executable, "-P", str(SERVE), kind]
    if rate_limit:
        command.append("--rate-limit")
    log = folder / f"{kind}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=out)
    return BotProcess(kind, process, log, folder / "stats.json")


# ---- one run --------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Result:
    label: str
    certifications: int = 0
    seconds: float = float("nan")
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    traffic: Traffic = field(default_factory=Traffic)
    writes: int = 0
    reads: int = 0
    write_waits: list[float] = field(default_factory=list)
    write_holds: list[float] = field(default_factory=list)
    cpu: float = float("nan")
    me_rate: float = float("nan")
    rss_mb: float = float("nan")
    log_errors: int = 0
    # Messages still in the outbox when the run ends (feed posts wait for the group's 20 a
    # minute): each is one more call against the limits, counted with those already sent.
    queued: int = 0

    @property
    def rate(self) -> float:
        return self.certifications / self.seconds if self.seconds else float("nan")

    def per(self, value: float) -> float:
        return value / self.certifications if self.certifications else float("nan")


def _difference(after: Traffic, before: Traffic) -> Traffic:
    calls = {name: count - before.calls.get(name, 0) for name, count in after.calls.items()}
    return Traffic(
        {name: count for name, count in calls.items() if count},
        after.messages - before.messages,
        after.round_trips - before.round_trips,
        after.downloads - before.downloads,
        after.updates_delivered - before.updates_delivered,
    )


async def _wait_ready(api: FakeApi, bot: BotProcess) -> None:
    deadline = time.monotonic() + 60
    while api.traffic.calls["getUpdates"] == 0:
        if bot.process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{bot.kind} did not start:\n{bot.log.read_text()[-3000:]}")
        await asyncio.sleep(0.05)


async def run(
    label: str,
    kind: str,
    root: Path,
    args: argparse.Namespace,
    pictures: list[Pictures],
    *,
    rate_limit: bool = False,
    me: int = 0,
) -> Result:
    bare = kind != "bot"  # the floor and bare bots answer "ok" and keep no store
    result = Result(label)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = Path(tmp)
        write_campaign_file(folder)
        if not bare:
            subprocess.run(
                [
                    sys.executable,
                    "-P",
                    str(SERVE),
                    "seed",
                    str(folder / "bot.sqlite3"),
                    str(FIRST_USER),
                    str(len(pictures)),
                    str(LEADER),
                ],
                env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(root)},
                check=True,
            )
        api = FakeApi(first_user=FIRST_USER)
        await api.start()
        bot = _start_bot(kind, api, folder, root, rate_limit)
        try:
            await _wait_ready(api, bot)
            users = range(FIRST_USER, FIRST_USER + len(pictures))

            # The evening peak: everyone arrives within --ramp seconds, each certifies once.
            figures = Figures()
            spacing = args.ramp / max(1, len(pictures))

            async def person(index: int, user_id: int) -> bool:
                await asyncio.sleep(index * spacing)
                skip_note = index % 2 == 1
                return await _certify(api, figures, user_id, pictures[index], bare, skip_note)

            before_traffic, before = api.traffic.copy(), await bot.stats()
            began = time.perf_counter()
            done = await asyncio.gather(*(person(i, u) for i, u in enumerate(users)))
            result.seconds = time.perf_counter() - began
            # What the certifications set going after their replies (the leaders' feed) counts.
            await api.quiet(1.0, limit=60 if rate_limit else 15)
            if not bare:
                result.queued = _queued(folder / "bot.sqlite3")
            after = await bot.stats()
            result.certifications = sum(done)
            result.latencies, result.errors = figures.latencies, figures.errors
            result.traffic = _difference(api.traffic.copy(), before_traffic)
            result.writes = after["writes"] - before["writes"]
            result.reads = after["reads"] - before["reads"]
            result.write_waits = after["write_waits"][len(before["write_waits"]) :]
            result.write_holds = after["write_holds"][len(before["write_holds"]) :]
            result.cpu = after["cpu"] - before["cpu"]

            if me:
                # Then /me from everyone at once: --me updates queued together.
                figures = Figures()
                per_person = max(1, me // len(pictures))
                step = "bare" if bare else "me"

                async def ask(user_id: int) -> int:
                    results = await asyncio.gather(
                        *(
                            _step(api, figures, user_id, _text(user_id, "/me"), step)
                            for _ in range(per_person)
                        )
                    )
                    return sum(results)

                began = time.perf_counter()
                answered = sum(await asyncio.gather(*(ask(u) for u in users)))
                result.me_rate = answered / (time.perf_counter() - began)
                result.errors += figures.errors

            result.rss_mb = bot.peak_rss_mb()
            log_errors = bot.log_errors()
            result.log_errors = len(log_errors)
            for line in log_errors[:3]:
                print(f"      {label}: {line[:200]}")
            if api.unexpected:
                print(f"  {label} unexpected: {len(api.unexpected)}, e.g. {api.unexpected[:3]}")
            for error in result.errors[:3]:
                print(f"      {label}: {error}")
        finally:
            bot.stop()
            await api.stop()
    return result


# ---- the table ------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    milliseconds = seconds * 1000
    return f"{milliseconds:.1f} ms" if milliseconds < 10 else f"{milliseconds:.0f} ms"


LABELS = {"bot": "campaign bot", "floor": "floor bot", "bare": "bare PTB bot"}


def _queued(database: Path) -> int:
    """Outbox rows not sent yet: calls the run has caused that Telegram will still count."""
    connection = sqlite3.connect(database, timeout=10)
    try:
        row = connection.execute(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        ).fetchone()
    finally:
        connection.close()
    return int(row[0])


def _edits(traffic: Traffic) -> int:
    return sum(n for method, n in traffic.calls.items() if method.startswith("editMessage"))


def table(results: list[Result], limited: list[Result]) -> str:
    """The per-certification figures of every run, side by side (Markdown)."""
    rows: list[tuple[str, list[str]]] = []

    def row(name: str, cell: Any) -> None:
        rows.append((name, [cell(r) for r in results]))

    row("certifications (errors)", lambda r: f"{r.certifications} ({len(r.errors)})")
    row(
        "messages counting against Telegram's limit (calls with a chat_id, edits and the "
        "outbox's queued feed posts included)",
        lambda r: f"{r.per(r.traffic.messages + r.queued):.2f} (queued {r.per(r.queued):.2f})",
    )
    row("… of which edits (editMessage*)", lambda r: f"{r.per(_edits(r.traffic)):.2f}")
    row(
        "HTTP round trips to the Bot API (getUpdates among them)",
        lambda r: (
            f"{r.per(r.traffic.round_trips):.2f} "
            f"({r.per(r.traffic.calls.get('getUpdates', 0)):.2f})"
        ),
    )
    row(
        "SQLite transactions: writes + reads",
        lambda r: f"{r.per(r.writes):.1f} + {r.per(r.reads):.1f}" if r.writes else "-",
    )
    row(
        "wait for the writer's lock, p50 / p99",
        lambda r: (
            f"{_ms(_percentile(r.write_waits, 0.5))} / {_ms(_percentile(r.write_waits, 0.99))}"
            if r.write_waits
            else "-"
        ),
    )
    row(
        "the writer's lock held, p50 / p99",
        lambda r: (
            f"{_ms(_percentile(r.write_holds, 0.5))} / {_ms(_percentile(r.write_holds, 0.99))}"
            if r.write_holds
            else "-"
        ),
    )
    row("CPU of the bot process", lambda r: f"{r.per(r.cpu) * 1000:.1f} ms")
    row(
        "reply latency p50 / p99",
        lambda r: f"{_ms(_percentile(r.latencies, 0.5))} / {_ms(_percentile(r.latencies, 0.99))}",
    )
    row("certifications/s (bare: flows of 4 replies/s)", lambda r: f"{r.rate:.1f}")
    floor_rate = next((r.rate for r in results if "floor" in r.label), float("nan"))
    row(
        "÷ the floor bot's certifications/s, same run",
        lambda r: f"{r.rate / floor_rate:.2f}" if "campaign" in r.label else "-",
    )
    bare_rate = {r.label.split(":")[0]: r.rate for r in results if "bare" in r.label}
    row(
        "÷ the bare bot's flows/s, same run",
        lambda r: (
            f"{r.rate / bare_rate[r.label.split(':')[0]]:.2f}"
            if "bare" not in r.label and r.label.split(":")[0] in bare_rate
            else "-"
        ),
    )
    if any(r.me_rate == r.me_rate for r in results):
        row("concurrent /me replies/s", lambda r: f"{r.me_rate:.0f}")
    row("peak RSS / bot log errors", lambda r: f"{r.rss_mb:.0f} MB / {r.log_errors}")
    for r in limited:
        rows.append(
            (
                f"{r.label}: certifications/s with the rate limiter on",
                [f"{r.rate:.2f} ({r.certifications}, errors {len(r.errors)})"]
                + [""] * (len(results) - 1),
            )
        )
    header = "| per certification | " + " | ".join(r.label for r in results) + " |"
    lines = [header, "|---" * (len(results) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds over which people arrive")
    parser.add_argument("--photos", choices=("small", "real"), default="small")
    parser.add_argument("--me", type=int, default=0, help="concurrent /me updates after the peak")
    parser.add_argument(
        "--rate-limited", type=int, default=100, help="certifications with the rate limiter on"
    )
    parser.add_argument("--only", choices=("bot", "floor", "bare"), help="run just one of them")
    parser.add_argument(
        "--vs", type=Path, action="append", default=[], help="another checkout to run first"
    )
    args = parser.parse_args()

    began = time.perf_counter()
    taken = datetime.now(SEOUL) - timedelta(minutes=1)
    pictures = make_pictures(args.participants, args.photos == "real", taken)
    load = os.getloadavg()
    print(
        f"{args.participants} participants, {args.photos} photos ready in "
        f"{time.perf_counter() - began:.0f} s; {os.cpu_count()} cores, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before the run; arrivals over {args.ramp:g} s",
        flush=True,
    )
    checkouts = [(other.name, other.resolve()) for other in args.vs] + [("now", ROOT)]
    results, limited = [], []
    for name, root in checkouts:
        # The floor bot does the same work whatever the checkout: once, with this one.
        kinds = ("bot", "floor", "bare") if root == ROOT else ("bot", "bare")
        for kind in kinds:
            if args.only in (None, kind):
                label = f"{name}: {LABELS[kind]}"
                print(f"running {label} ...", flush=True)
                results.append(asyncio.run(run(label, kind, root, args, pictures, me=args.me)))
        if args.rate_limited and args.only in (None, "bot"):
            print(f"running {name}: campaign bot with the rate limiter ...", flush=True)
            few = pictures[: args.rate_limited]
            limited.append(asyncio.run(run(name, "bot", root, args, few, rate_limit=True)))
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(table(results, limited))
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
