"""Fair certification through real updates: each check refuses with its reason and loses
nothing; leaders see every certification, can revoke it with a reason and restore it."""

import io

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

from storage import certifications, lookalikes, refusals
from tests.harness import LEADER_IDS
from tests.support import kst, photo_taken_at, real_photo


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


# ---- fair to the honest: one spot photographed twice is not a re-used picture (issue 10) ----


def _upright(name: str) -> Image.Image:
    with Image.open(io.BytesIO(real_photo(name))) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def view(
    name: str, step: float = 0.0, light: float = 1.0, litter: bool = False, turn: float = 0.0
) -> bytes:
    """80% of a real photo's scene seen from ``step`` (a fraction of the width) to the side, in
    ``light`` times the light, with litter on the ground or not: what a phone would take.

    A camera that moved also turned: ``turn`` narrows the far side of the view by that share of
    its height (keystone), as a pan of a degree or two does. Without it, a shifted view is
    exactly a crop of the other, which is what an edited copy is.
    """
    scene = _upright(name)
    width, height = scene.size
    left, top = width * (0.1 + step), height * 0.1
    right, bottom = left + width * 0.8, top + height * 0.8
    squeeze = height * 0.8 * turn
    shot = scene.transform(
        (round(width * 0.8), round(height * 0.8)),
        Image.Transform.QUAD,
        (left, top, left, bottom, right, bottom + squeeze, right, top - squeeze),
        Image.Resampling.BICUBIC,
    )
    if light != 1.0:
        shot = ImageEnhance.Brightness(shot).enhance(light)
    if litter:
        draw = ImageDraw.Draw(shot)
        w, h = shot.size
        draw.ellipse((w * 0.55, h * 0.7, w * 0.7, h * 0.85), fill=(30, 30, 30))  # a bin bag
        draw.rectangle((w * 0.2, h * 0.75, w * 0.3, h * 0.9), fill=(200, 200, 210))  # a box
    out = io.BytesIO()
    shot.save(out, "JPEG", quality=92)
    return out.getvalue()


def brightened(data: bytes, factor: float) -> bytes:
    out = io.BytesIO()
    ImageEnhance.Brightness(Image.open(io.BytesIO(data))).enhance(factor).save(out, "JPEG")
    return out.getvalue()


async def _certify_with(bot, user, start: bytes, end: bytes) -> str:
    await bot.say(user, "/certify")
    await bot.send_photo(user, start)
    assert "시작 사진 받았어요" in bot.last_text(user["id"])
    bot.advance(minutes=15)
    await bot.send_photo(user, end)
    return bot.last_text(user["id"])


@pytest.mark.parametrize(
    ("scene", "start", "end"),
    [
        # The camera a step (1% of the view) to the side: pHash 6, dHash 2 apart.
        ("Reconyx_HC500_Hyperfire.jpg", {}, {"step": 0.01, "turn": 0.015}),
        # Later, in the evening light: pHash 4, dHash 6.
        ("canon_hdr_NO.jpg", {}, {"step": 0.01, "light": 0.7, "turn": 0.015}),
        # A clean-up's before and after (공폐가 앞 쓰레기 줍기): pHash 4, dHash 3.
        ("Landscape_6.jpg", {"litter": True}, {"step": 0.005, "turn": 0.015}),
    ],
    ids=["step-aside", "evening-light", "clean-up"],
)
async def test_two_honest_photos_of_one_spot_make_a_certification(bot, members, scene, start, end):
    minji, _, _ = members
    told = await _certify_with(bot, minji, view(scene, **start), view(scene, **end))
    assert "인증 완료" in told
    assert await _checks(bot) == [] and await _total(bot, 1001) == 1


async def test_two_participants_photographing_the_same_corner_are_both_accepted(bot, members):
    minji, seoyeon, _ = members
    scene = "Reconyx_HC500_Hyperfire.jpg"
    first, second = view(scene), view(scene, step=0.04, turn=0.03)
    assert "인증 완료" in await _certify_with(bot, minji, first, second)
    third, fourth = view(scene, step=0.02, turn=-0.02), view(scene, step=0.06, turn=0.04)
    told = await _certify_with(bot, seoyeon, third, fourth)
    assert "인증 완료" in told
    assert await _checks(bot) == []


async def test_a_slightly_brightened_copy_of_the_start_photo_is_refused(bot, members):
    minji, _, _ = members
    start = view("Reconyx_HC500_Hyperfire.jpg")
    await bot.say(minji, "/certify")
    await bot.send_photo(minji, start)
    bot.advance(minutes=15)
    await bot.send_photo(minji, brightened(start, 1.10))
    assert bot.t("fair-same-as-start") in bot.last_text(1001)
    assert await _checks(bot) == ["reused_picture"] and await _total(bot, 1001) == 0


async def test_a_copy_of_someone_elses_photo_is_still_refused(bot, members):
    minji, seoyeon, _ = members
    picture = view("canon_hdr_NO.jpg")
    await _certify_with(bot, minji, picture, view("Landscape_6.jpg"))
    await bot.say(seoyeon, "/certify")
    await bot.send_photo(seoyeon, recompressed(picture, 800, 50))
    assert bot.t("fair-reused-other") in bot.last_text(1002)


async def test_a_photo_in_doubt_is_accepted_and_shown_to_the_leaders(bot, members):
    minji, _, leaders = members
    scene = "Reconyx_HC500_Hyperfire.jpg"
    # A step (1%) aside, the phone turned a degree: aligned, the detail left is ~0.4, between a
    # copy and a clearly different photo.
    told = await _certify_with(bot, minji, view(scene), view(scene, step=0.01, turn=0.015))
    assert "인증 완료" in told and await _checks(bot) == []
    async with bot.services.database.transaction() as conn:
        flagged = await lookalikes.latest(conn)
    assert [(f.participant_id, f.role, f.whose) for f in flagged] == [
        (1001, "end", "this_certification")
    ]
    await bot.say(leaders[0], "/audit")
    trail = bot.last_text(LEADER_IDS[0])
    assert bot.t("audit-lookalikes-title") in trail
    assert "김민지 — 종료 사진이 같은 인증의 시작 사진과 아주 비슷해요" in trail
    await bot.say(minji, "/audit")
    assert bot.last_text(1001) == bot.t("leaders-only")


def cropped(data: bytes, share: float, width: int | None = None) -> bytes:
    """The phone's crop tool: ``share`` of the picture cut off the left and the top (and the
    result resized to ``width``), saved again."""
    image = Image.open(io.BytesIO(data))
    w, h = image.size
    image = image.crop((round(w * share), round(h * share), w, h))
    if width is not None:
        image = image.resize((width, round(image.height * width / image.width)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


async def test_a_cropped_copy_of_the_start_photo_is_refused_as_the_end_photo(bot, members):
    minji, _, _ = members
    start = view("canon_hdr_NO.jpg")
    told = await _certify_with(bot, minji, start, cropped(start, 0.08))
    assert bot.t("fair-same-as-start") in told
    assert await _checks(bot) == ["reused_picture"]


async def test_a_cropped_and_resized_copy_of_an_earlier_photo_is_refused(bot, members):
    minji, _, _ = members
    earlier = view("Reconyx_HC500_Hyperfire.jpg")
    assert "인증 완료" in await _certify_with(bot, minji, earlier, view("Landscape_6.jpg"))
    bot.advance(minutes=24 * 60)  # the next day
    await bot.say(minji, "/certify")
    await bot.send_photo(minji, cropped(earlier, 0.1, width=700))
    assert "에 인증에 쓴 사진과 같은 사진으로 보여요" in bot.last_text(1001)
    assert await _checks(bot) == ["reused_picture"]
    assert await _total(bot, 1001) == 1


def cut_sides(data: bytes, left: float, top: float, right: float, bottom: float) -> bytes:
    """The picture with those shares of each side cut off, as a phone's crop tool does."""
    image = Image.open(io.BytesIO(data))
    w, h = image.size
    box = (round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))
    out = io.BytesIO()
    image.crop(box).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.mark.parametrize(
    ("scene", "cut"),
    [
        ("canon_hdr_NO.jpg", (0.05, 0.05, 0.05, 0.05)),
        ("Reconyx_HC500_Hyperfire.jpg", (0.08, 0.06, 0.1, 0.08)),
        ("Landscape_6.jpg", (0.1, 0.1, 0.1, 0.1)),
        ("canon_hdr_NO.jpg", (0.0, 0.0, 0.1, 0.1)),
        ("Reconyx_HC500_Hyperfire.jpg", (0.1, 0.08, 0.0, 0.0)),
        ("Reconyx_HC500_Hyperfire.jpg", (0.0, 0.1, 0.09, 0.0)),
    ],
    ids=[
        "5% a side",
        "6-10% unevenly",
        "10% a side",
        "10% off the right and bottom",
        "8-10% off the left and top",
        "9-10% off the top and right",
    ],
)
async def test_a_crop_of_someone_elses_photo_is_refused(bot, members, scene, cut):
    # Its hashes are as far from the original as another picture's; the hashes of the
    # original's crops in nine places are kept with it, so the crop is found and aligned.
    minji, seoyeon, _ = members
    picture = view(scene)
    other = "Landscape_6.jpg" if scene != "Landscape_6.jpg" else "canon_hdr_NO.jpg"
    await _certify_with(bot, minji, picture, view(other))
    await bot.say(seoyeon, "/certify")
    await bot.send_photo(seoyeon, cut_sides(picture, *cut))
    assert bot.t("fair-reused-other") in bot.last_text(1002)
