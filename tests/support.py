"""Plain helpers for tests: campaign times and a campaign document with a running round."""

from __future__ import annotations

import io
import random
import socket
import sqlite3
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

from storage import database as store
from storage.database import Database, StoreStats, _migration_files, _split_statements

SEOUL = ZoneInfo("Asia/Seoul")
ROUND_START = date(2027, 8, 16)


def kst(day: str, clock: str = "12:00") -> datetime:
    """A moment in the campaign's time zone, e.g. ``kst("2027-08-16", "19:00")``."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SEOUL)


def campaign_document() -> dict:
    return {
        "campaign": {"name": "우리동네 치안협력관", "station": "익산경찰서"},
        "rounds": [{"name": "3차", "start": ROUND_START, "days": 50}],
        "standing_mission": {"title": "우리동네 불안 요소 찾기", "description": "골목 순찰"},
        "theme_missions": [
            {"title": "보이스피싱 예방 카드뉴스", "start": date(2027, 8, 23), "days": 7}
        ],
    }


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PHOTOS = Path(__file__).parent / "data" / "photos"


def real_photo(name: str) -> bytes:
    """A real camera photo from ``tests/data/photos`` (see ATTRIBUTION.md there)."""
    return (PHOTOS / name).read_bytes()


def scene_photo(seed: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A distinct, photo-like JPEG for each seed (shapes on a gradient, with noise)."""
    rng = random.Random(seed)
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    tint = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    image = Image.blend(image, tint, 0.5)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(20, width // 2), y0 + rng.randrange(20, height // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        else:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
    noise = Image.effect_noise(size, 24).convert("RGB")
    image = Image.blend(image, noise, 0.15)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def photo_taken_at(seed: int, taken: datetime, *, with_offset: bool = True) -> bytes:
    """A distinct JPEG "sent as a file" whose EXIF says it was taken at ``taken``."""
    image = Image.open(io.BytesIO(scene_photo(seed)))
    exif = Image.Exif()
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if with_offset and taken.utcoffset() is not None:
        minutes = int(taken.utcoffset().total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        exif_ifd[0x9011] = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


Row = str | tuple[str, tuple[object, ...]]

# Participant 1, approved, with one accepted certification of the standing mission on day one.
ONE_ACCEPTED_CERTIFICATION: list[Row] = [
    "INSERT INTO participants (user_id, status, created_at, updated_at) "
    "VALUES (1, 'approved', 'x', 'x')",
    "INSERT INTO missions (kind, round_name, title, start_date, days, created_at) "
    "VALUES ('standing', '3차', 't', '2027-08-16', 50, 'x')",
    "INSERT INTO certifications (participant_id, mission_id, round_name, campaign_day, "
    "status, created_at) VALUES (1, 1, '3차', '2027-08-16', 'accepted', 'x')",
]


def hashed_start_photo(bits: int) -> str:
    """The start photo of ONE_ACCEPTED_CERTIFICATION, its hashes and their chunks all ``bits``
    (0: near a hash of 0; -1: far from it), for stores from migration 0003 on."""
    return (
        "INSERT INTO photos (certification_id, role, sender_id, kind, file_id, "
        "file_unique_id, message_id, message_date, received_at, phash, dhash, "
        "phash_0, phash_1, phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3) "
        "VALUES (1, 'start', 1, 'photo', 'f', 'u', 1, '2027-08-16T10:00:00+00:00', 'x', "
        + ", ".join([str(bits)] * 10)
        + ")"
    )


async def open_old_database(path: Path, before: str, rows: list[Row]) -> Database:
    """A store built by every migration before the file whose name holds ``before``, holding
    ``rows`` (plain statements or ``(statement, parameters)``), then opened, which runs the rest.

    The caller closes the returned database.
    """
    files = _migration_files()
    applied = next(number for number, name, _ in files if before in name) - 1
    conn = sqlite3.connect(path)
    try:
        for _, _, script in files[:applied]:
            for statement in _split_statements(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {applied}")
        for row in rows:
            if isinstance(row, str):
                conn.execute(row)
            else:
                conn.execute(*row)
        conn.commit()
    finally:
        conn.close()
    return await Database.open(path)


def count_store(monkeypatch) -> StoreStats:
    """Count the store's reads and writes from now until the test ends."""
    monkeypatch.setattr(store, "_stats", None)  # counting stops with the test
    return store.enable_stats()
