"""Fair certification through real updates: each check refuses with its reason and loses
nothing; leaders see every certification, can revoke it with a reason and restore it."""

import io

import pytest
from PIL import Image

from storage import certifications, refusals
from tests.harness import LEADER_IDS
from tests.support import kst, photo_taken_at


@pytest.fixture
async def members(bot):
    """Two approved participants, 민지 (1001) and 서연 (1002), and the leaders."""
    leaders = await bot.open_leader_chats()
    minji, seoyeon = bot.person(1001, "민지"), bot.person(1002, "서연")
    await bot.join(minji, leaders[0], name="김민지")
    await bot.join(seoyeon, leaders[0], name="박서연")
    return minji, seoyeon, leaders


def recompressed(data: bytes, width: int = 500, quality: int = 60) -> bytes:
    image = Image.open(io.BytesIO(data))
    image = image.resize((width, round(image.height * width / image.width)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


async def _checks(bot) -> list[str]:
    async with bot.services.database.transaction() as conn:
        return [r.check_name for r in await refusals.latest(conn)]


async def _total(bot, user_id: int) -> int:
    async with bot.services.database.transaction() as conn:
        return (await certifications.tally(conn, user_id, bot.now.date(), "3차")).total


async def test_a_forwarded_photo_is_refused(bot, members):
    minji, seoyeon, _ = members
    await bot.say(minji, "/certify")
    forwarded = bot.factory.photo_from_bytes(bot.tg, minji, bot.next_photo(), forward_from=seoyeon)
    await bot.send(forwarded)
    assert bot.t("fair-forwarded") in bot.last_text(1001)
    assert bot.tg.calls_of("getFile") == []  # refused before any download
    assert await _checks(bot) == ["forwarded"]
    await bot.send_photo(minji)  # the certification is still open
    assert "시작 사진 받았어요" in bot.last_text(1001)


async def test_the_same_telegram_file_again_is_refused_naming_the_day_for_ones_own(bot, members):
    minji, seoyeon, _ = members
    first = bot.factory.photo_from_bytes(bot.tg, minji, bot.next_photo())
    await bot.say(minji, "/certify")
    await bot.send(first)
    bot.advance(minutes=15)
    await bot.send_photo(minji)
    assert "인증 완료" in bot.last_text(1001)

    bot.now = kst("2027-08-17", "19:00")
    await bot.say(minji, "/certify")
    sizes = first["message"]["photo"]
    again = bot.factory.photo(
        minji,
        sizes[-1]["file_id"],
        sizes[-1]["file_unique_id"],
        width=sizes[-1]["width"],
        height=sizes[-1]["height"],
        file_size=sizes[-1]["file_size"],
    )
    await bot.send(again)
    assert bot.t("fair-same-file-own", day="8월 16일 (월)") in bot.last_text(1001)

    await bot.say(seoyeon, "/certify")
    await bot.send(
        bot.factory.photo(
            seoyeon,
            sizes[-1]["file_id"],
            sizes[-1]["file_unique_id"],
            width=sizes[-1]["width"],
            height=sizes[-1]["height"],
            file_size=sizes[-1]["file_size"],
        )
    )
    told = bot.last_text(1002)
    assert bot.t("fair-same-file-other") in told
    assert "민지" not in told and "8월 16일" not in told  # never whose or when


async def test_a_re_uploaded_recompressed_copy_is_recognised(bot, members):
    minji, seoyeon, _ = members
    original = bot.next_photo()
    await bot.say(minji, "/certify")
    await bot.send_photo(minji, original)
    bot.advance(minutes=15)
    await bot.send_photo(minji)

    await bot.say(seoyeon, "/certify")
    await bot.send_photo(seoyeon, recompressed(original))
    assert bot.t("fair-reused-other") in bot.last_text(1002)
    assert await _checks(bot) == ["reused_picture"]
    await bot.send_photo(seoyeon)
    assert "시작 사진 받았어요" in bot.last_text(1002)


async def test_the_start_photo_cannot_be_the_end_photo(bot, members):
    minji, _, _ = members
    picture = bot.next_photo()
    await bot.say(minji, "/certify")
    await bot.send_photo(minji, picture)
    bot.advance(minutes=15)
    await bot.send_photo(minji, recompressed(picture, 700, 80))
    assert bot.t("fair-same-as-start") in bot.last_text(1001)
    assert "종료 사진을 다시" in bot.last_text(1001)
    assert await _total(bot, 1001) == 0


async def test_a_photo_file_taken_yesterday_is_refused_with_its_date(bot, members):
    minji, _, _ = members
    await bot.say(minji, "/certify")
    await bot.send_file(minji, photo_taken_at(50, kst("2027-08-15", "21:10")))
    assert bot.t("fair-not-today", day="8월 15일 (일)") in bot.last_text(1001)
    await bot.send_file(minji, photo_taken_at(51, kst("2027-08-16", "18:40")))
    assert "시작 사진 받았어요" in bot.last_text(1001)


async def test_a_compressed_photo_without_exif_is_accepted(bot, members):
    minji, _, _ = members
    # Telegram strips EXIF from compressed photos: the date found in the original is gone.
    await bot.say(minji, "/certify")
    await bot.send_photo(minji, photo_taken_at(52, kst("2027-08-10", "10:00")))
    assert "시작 사진 받았어요" in bot.last_text(1001)


async def test_every_certification_reaches_the_leaders_feed_as_one_picture_with_its_note(
    bot, members
):
    minji, _, _ = members
    await bot.certify(minji, note="보안등 고장 제보했어요")
    assert bot.tg.calls_of("sendMediaGroup") == [] and bot.tg.calls_of("sendDocument") == []
    posts = bot.tg.calls_of("sendPhoto")
    assert {c.params["chat_id"] for c in posts} == set(LEADER_IDS)
    assert all(set(c.files) == {"photo"} for c in posts)  # uploaded: a picture the bot drew
    card = bot.last_text(LEADER_IDS[0])
    assert "김민지" in card and "19:00 → 19:15" in card and "보안등 고장 제보했어요" in card
    assert bot.buttons(LEADER_IDS[0]) == [f"rev:revoke:{_last_cert_id(bot)}"]


def _last_cert_id(bot) -> int:
    data = bot.buttons(LEADER_IDS[0])[0]
    return int(data.rsplit(":", 1)[1])


async def test_a_leader_revokes_with_a_reason_and_can_restore(bot, members):
    minji, _, leaders = members
    await bot.certify(minji)
    await bot.certify(minji)  # a second mission does not exist today: still only one counted
    assert await _total(bot, 1001) == 1
    cert_id = _last_cert_id(bot)

    await bot.press(leaders[0], f"rev:revoke:{cert_id}")
    await bot.say(leaders[0], "다른 날 찍은 사진이에요")
    assert await _total(bot, 1001) == 0
    told = bot.last_text(1001)
    assert "다른 날 찍은 사진이에요" in told and "누적 0회" in told
    for leader_id in LEADER_IDS:
        assert "취소했어요" in bot.last_text(leader_id) or "취소하고" in bot.last_text(leader_id)
    async with bot.services.database.transaction() as conn:
        cert = await certifications.get(conn, cert_id)
    assert cert.status == "revoked"  # kept, never deleted

    await bot.press(leaders[1], f"rev:restore:{cert_id}")
    assert await _total(bot, 1001) == 1
    assert "다시 인정" in bot.last_text(1001)
    post = bot.message_with_button(LEADER_IDS[0], f"rev:revoke:{cert_id}")  # Revoke again
    assert "복구했어요" in post["caption"]  # the picture's caption, edited

    await bot.say(leaders[0], "/audit")
    trail = bot.last_text(LEADER_IDS[0])
    assert "취소 (경위9001): 다른 날 찍은 사진이에요" in trail and "복구 (경위9002)" in trail


async def test_only_leaders_can_revoke_or_restore(bot, members):
    minji, seoyeon, _ = members
    await bot.certify(minji)
    cert_id = _last_cert_id(bot)
    post = bot.message_with_button(LEADER_IDS[0], f"rev:revoke:{cert_id}")
    for data in (f"rev:revoke:{cert_id}", f"rev:restore:{cert_id}"):
        await bot.press(seoyeon, data, message=post)
        assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("leaders-only")
    await bot.say(seoyeon, "/audit")
    assert bot.last_text(1002) == bot.t("leaders-only")
    assert await _total(bot, 1001) == 1


async def test_forged_review_buttons_change_nothing(bot, members):
    _, _, leaders = members
    post = bot.tg.last_sent_message(LEADER_IDS[0])
    for data in ("rev:revoke:999", "rev:restore:999", "rev:revoke:x", "rev:restore:"):
        await bot.press(leaders[0], data, message=post)
        assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("review-unknown")


async def test_audit_lists_refusals_with_the_check(bot, members):
    minji, seoyeon, leaders = members
    await bot.say(minji, "/certify")
    await bot.send(
        bot.factory.photo_from_bytes(bot.tg, minji, bot.next_photo(), forward_from=seoyeon)
    )
    await bot.say(leaders[0], "/audit")
    assert "김민지 — 전달(포워드)된 사진" in bot.last_text(LEADER_IDS[0])


async def test_a_decompression_bomb_is_refused_with_its_own_reason(bot, members):
    from tests.test_imaging import png_claiming_size

    minji, _, _ = members
    await bot.say(minji, "/certify")
    await bot.send_file(minji, png_claiming_size(100_000, 100_000), "bomb.png", "image/png")
    assert bot.texts(1001)[-2] == bot.t("photo-too-many-pixels")
    await bot.send_photo(minji)
    assert "시작 사진 받았어요" in bot.last_text(1001)
