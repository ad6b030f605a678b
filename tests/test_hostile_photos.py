"""Hostile and damaged photo files through real updates: refused kindly, before they cost
memory, and the certification waits for a proper photo (issue 10, items 6 and 7)."""

import io
import struct
import zlib

import pytest
from PIL import Image

from storage import photos as stored_photos
from tests.support import real_photo


@pytest.fixture
async def member(bot):
    """An approved participant, 민지 (1001), with a certification waiting for its start photo."""
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.say(minji, "/certify")
    return minji


async def _stored(bot) -> int:
    async with bot.services.database.transaction() as conn:
        return await stored_photos.count(conn)


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


async def test_a_jpeg_cut_short_and_closed_is_refused_as_a_damaged_photo(bot, member):
    data = real_photo("HMD_Nokia_8.3_5G__derived_1280px_q80_noexif.jpg")
    await bot.send_file(member, data[: len(data) // 3] + b"\xff\xd9", "IMG_0042.jpg", "image/jpeg")
    assert bot.texts(1001)[-2] == bot.t("photo-damaged")
    assert await _stored(bot) == 0
    await bot.send_file(member, data, "IMG_0042.jpg", "image/jpeg")  # the whole file: fine
    assert "시작 사진 받았어요" in bot.last_text(1001)


async def test_a_tiny_jpeg_claiming_9000_by_9000_is_refused_as_damaged(bot, member):
    out = io.BytesIO()
    Image.effect_noise((9000, 9000), 40).save(out, "JPEG", quality=80)
    await bot.send_file(member, out.getvalue()[:2400] + b"\xff\xd9", "x.jpg", "image/jpeg")
    assert bot.texts(1001)[-2] == bot.t("photo-damaged")
    assert await _stored(bot) == 0


async def test_a_png_of_9400_by_9400_is_refused_as_too_large_in_english_too(bot):
    leaders = await bot.open_leader_chats()
    alex = bot.person(1003, "Alex", language="en")
    await bot.join(alex, leaders[0], name="Alex Kim")
    await bot.say(alex, "/certify")
    await bot.send_file(alex, png_claiming(9400, 9400), "big.png", "image/png")
    assert bot.texts(1003)[-2] == bot.t("photo-too-many-pixels", "en")
    assert await _stored(bot) == 0


async def test_a_100_megapixel_phone_jpeg_is_accepted(bot, member):
    picture = Image.linear_gradient("L").resize((11_600, 8_700), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=70)
    await bot.send_file(member, out.getvalue(), "20270816_190000.jpg", "image/jpeg")
    assert "시작 사진 받았어요" in bot.last_text(1001)
