"""One photo pipeline: each picture a participant sends is decoded once, reduced and upright,
and its facts, the feed's preview and any clean copy come from that one decoded picture."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest
import simplejpeg  # type: ignore[import-untyped]
from PIL import Image

from bot.media import feed_picture
from bot.media.photo_check import DRAFT_SIZE, REDUCED_SIDE, decode_photo
from bot.notices import participant_files
from tests.harness import LEADER_IDS
from tests.support import kst, real_photo

CAMERA_FILE = "canon_hdr_NO.jpg"  # 2048x1536 as stored, EXIF orientation 6 (shown 1536x2048)
PHONE_PHOTO = "HMD_Nokia_8.3_5G__derived_1280px_q80_noexif.jpg"  # 1280x549, as Telegram sends


@dataclass
class Decodes:
    """Every decode of picture bytes at the libraries' doors: what was decoded, at what size."""

    calls: list[tuple[bytes, tuple[int, int] | None]] = field(default_factory=list)

    def of(self, data: bytes) -> list[tuple[int, int] | None]:
        return [size for decoded, size in self.calls if decoded == data]

    def of_others(self, *uploads: bytes) -> list[bytes]:
        return [decoded for decoded, _ in self.calls if decoded not in uploads]


def count_decodes(monkeypatch: pytest.MonkeyPatch) -> Decodes:
    """Wrap the two ways the bot can decode a picture: libjpeg-turbo through simplejpeg, and
    Pillow (every Pillow decode starts with ``Image.open``). The Telegram stand-in's own
    decodes (it re-encodes photos as Telegram does) are not the bot's."""
    decodes = Decodes()
    decode_jpeg, pillow_open = simplejpeg.decode_jpeg, Image.open

    def by_the_bot() -> bool:
        caller = sys._getframe(2).f_globals.get("__name__", "")
        return not caller.startswith(("tests", "bot.practice"))

    def counted_decode_jpeg(data: bytes, *args: Any, **kwargs: Any) -> Any:
        pixels = decode_jpeg(data, *args, **kwargs)
        if by_the_bot():
            decodes.calls.append((bytes(data), (pixels.shape[1], pixels.shape[0])))
        return pixels

    def counted_open(fp: Any, *args: Any, **kwargs: Any) -> Image.Image:
        if by_the_bot():
            data = fp.getvalue() if isinstance(fp, io.BytesIO) else b"(a file)"
            decodes.calls.append((data, None))
        return pillow_open(fp, *args, **kwargs)

    monkeypatch.setattr(simplejpeg, "decode_jpeg", counted_decode_jpeg)
    monkeypatch.setattr(Image, "open", counted_open)
    return decodes


def camera_file_taken_at(name: str, taken: Any) -> bytes:
    """A real camera photo sent as a file, its EXIF (orientation kept) saying ``taken``."""
    with Image.open(io.BytesIO(real_photo(name))) as image:
        exif = image.getexif()
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
        exif.get_ifd(0x8769)[0x9011] = "+09:00"
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


async def test_each_photo_of_a_certification_is_decoded_once_and_reduced(bot, monkeypatch):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    start = camera_file_taken_at(CAMERA_FILE, bot.now)
    decodes = count_decodes(monkeypatch)

    await bot.say(minji, "/certify")
    await bot.send_file(minji, start, file_name="IMG_0001.JPG")
    assert "시작 사진 받았어요" in bot.last_text(1001)
    bot.advance(minutes=15)
    update = bot.factory.photo_from_bytes(bot.tg, minji, real_photo(PHONE_PHOTO))
    await bot.send(update)
    end = bot.tg.file_bytes_by_id(update["message"]["photo"][-1]["file_id"])
    skip = [d for d in bot.buttons(1001) if d.startswith("cert:skipnote:")]
    await bot.press(minji, skip[0])
    await bot.post_feed()

    for leader in LEADER_IDS:  # the feed picture reached every leader
        assert len([m for m in bot.tg.sent_messages(leader) if "photo" in m]) == 1
    # The 2048x1536 camera file once, at half size (its short side still >= DRAFT_SIZE); the
    # 1280 px phone photo once, as it is.
    assert decodes.of(start) == [(1024, 768)]
    assert decodes.of(end) == [(1280, 549)]
    # The feed picture is drawn once, from what is stored of them (the previews).
    assert len(decodes.of_others(start, end)) == 2


async def test_a_clean_copy_for_the_console_or_a_risk_report_is_one_decode(bot, monkeypatch):
    start = camera_file_taken_at(CAMERA_FILE, bot.now)
    file_id, _ = bot.tg.add_file(start)
    decodes = count_decodes(monkeypatch)

    copy = await participant_files.clean_copy(bot.app.bot, file_id)

    assert copy is not None
    # Shown alone at up to 1280 px: half size (1024 px) would be too small, so this one photo
    # is decoded at its full 2048 px, once.
    assert decodes.of(start) == [(2048, 1536)]
    with Image.open(io.BytesIO(copy)) as shown:
        assert shown.size == (960, 1280)  # upright
        assert dict(shown.getexif()) == {}


def test_the_one_decoded_picture_is_upright_reduced_and_carries_no_metadata():
    decoded = decode_photo(camera_file_taken_at(CAMERA_FILE, _noon()))
    assert (decoded.facts.width, decoded.facts.height) == (1536, 2048)
    assert decoded.image.mode == "RGB" and decoded.image.size == (768, 1024)
    assert min(decoded.image.size) >= DRAFT_SIZE and max(decoded.image.size) >= REDUCED_SIDE
    assert decoded.image.info == {}
    # The HEIC (no scaled decode exists) is reduced as soon as it is decoded.
    heic = decode_photo(real_photo("IMG_5195.HEIC"))
    assert heic.facts.format == "HEIF" and heic.image.info == {}
    assert max(heic.image.size) < max(heic.facts.width, heic.facts.height)


def test_the_feed_preview_fits_half_the_feed_picture():
    decoded = decode_photo(camera_file_taken_at(CAMERA_FILE, _noon()))
    with Image.open(io.BytesIO(feed_picture.preview_of(decoded.image))) as preview:
        assert preview.size == (630, 840)
        assert dict(preview.getexif()) == {} and "exif" not in preview.info


def _noon() -> Any:
    return kst("2027-08-16", "12:00")
