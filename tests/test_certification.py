"""Certifying missions in chat: two photos, the rules of the day, and what is refused kindly."""

from datetime import date

import pytest

from bot.campaign.config import parse_campaign
from storage import certifications
from storage import photos as stored_photos
from tests.harness import start_harness, stop_harness
from tests.support import campaign_document, kst, real_photo


@pytest.fixture
async def member(bot):
    """An approved participant, 민지 (1001)."""
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    return minji


async def _accepted(bot, user_id=1001) -> int:
    async with bot.services.database.transaction() as conn:
        return (await certifications.tally(conn, user_id, bot.now.date(), "3차")).total


async def test_end_photo_too_soon_is_refused_then_accepted_later(bot, member):
    await bot.say(member, "/certify")
    await bot.send_photo(member)
    bot.advance(minutes=4)
    await bot.send_photo(member)
    assert bot.last_text(1001) == bot.t("cert-too-soon", minutes=6)
    bot.advance(minutes=6)
    await bot.send_photo(member)
    assert "인증 완료" in bot.last_text(1001)
    assert await _accepted(bot) == 1


async def test_only_one_certification_per_mission_per_day(bot, member):
    await bot.certify(member)
    await bot.say(member, "/certify")
    assert bot.last_text(1001) == bot.t("cert-daily-limit", limit=1)
    bot.now = kst("2027-08-17", "08:00")
    await bot.certify(member)
    assert await _accepted(bot) == 2


async def test_a_theme_mission_running_today_can_be_certified_too(bot, member):
    bot.now = kst("2027-08-23", "18:00")  # the theme mission's first day
    await bot.say(member, "/certify")
    assert bot.last_text(1001) == bot.t("cert-choose-mission")
    missions = bot.buttons(1001)
    assert len(missions) == 2
    await bot.press(member, missions[1])
    assert "보이스피싱" in bot.last_text(1001)
    await bot.send_photo(member)
    bot.advance(minutes=10)
    await bot.send_photo(member)
    await bot.say(member, "/certify")  # the standing mission is still open today
    assert bot.last_text(1001).startswith("📸")
    await bot.send_photo(member)
    bot.advance(minutes=10)
    await bot.send_photo(member)
    assert "오늘 2회" in bot.last_text(1001)


async def test_a_start_without_an_end_expires_at_midnight_and_says_so(bot, member):
    bot.now = kst("2027-08-16", "23:40")
    await bot.say(member, "/certify")
    await bot.send_photo(member)
    bot.now = kst("2027-08-17", "00:05")
    await bot.send_photo(member)
    assert bot.last_text(1001) == bot.t("cert-start-expired", day="8월 16일 (월)")
    assert bot.buttons(1001) == ["cert:begin"]
    assert await _accepted(bot) == 0
    await bot.say(member, "/certify")  # a fresh start today works
    assert bot.last_text(1001).startswith("📸")


async def test_coming_back_the_next_day_to_an_unfinished_start_is_explained(bot, member):
    bot.now = kst("2027-08-16", "21:00")
    await bot.say(member, "/certify")
    await bot.send_photo(member)
    bot.now = kst("2027-08-17", "19:00")
    await bot.say(member, "/certify")
    assert "8월 16일 (월)" in bot.last_text(1001) and "마감" in bot.last_text(1001)


async def test_certifications_are_accepted_only_inside_the_round(bot, member):
    bot.now = kst("2027-08-15", "19:00")
    await bot.say(member, "/certify")
    assert "지금은 인증 기간이 아니에요" in bot.last_text(1001)
    bot.now = kst("2027-10-05", "19:00")
    await bot.say(member, "/certify")
    assert "지금은 인증 기간이 아니에요" in bot.last_text(1001)
    bot.now = kst("2027-10-04", "19:00")  # the 50th day
    await bot.certify(member)
    assert await _accepted(bot) == 1


async def test_the_campaign_day_is_seoul_time_not_utc(bot, member):
    # 00:30 in Seoul on 17 August is 15:30 UTC on 16 August: it is a new campaign day.
    bot.now = kst("2027-08-16", "20:00")
    await bot.certify(member)
    bot.now = kst("2027-08-17", "00:30")
    await bot.certify(member, skip_note=False)
    assert "오늘 1회" in bot.last_text(1001) and "누적 2회" in bot.last_text(1001)


async def test_a_start_photo_sent_before_the_round_opens_is_not_counted(bot, member):
    bot.now = kst("2027-10-04", "23:50")
    await bot.say(member, "/certify")
    bot.now = kst("2027-10-05", "00:01")
    await bot.send_photo(member)
    assert "인증 기간이 아니에요" in bot.last_text(1001)
    assert await _accepted(bot) == 0


async def test_sticker_voice_or_text_at_a_photo_step_get_a_friendly_re_ask(bot, member):
    await bot.say(member, "/certify")
    for update in (
        bot.factory.sticker(member),
        bot.factory.voice(member),
        bot.factory.text(member, "사진 어떻게 보내요?"),
        bot.factory.location(member, 35.95, 126.95),
    ):
        await bot.send(update)
        assert bot.texts(1001)[-2] == bot.t("photo-expected")
        assert bot.last_text(1001).startswith("📸")
    await bot.send_file(member, b"%PDF-1.4 not a photo", "report.pdf", "application/pdf")
    assert bot.texts(1001)[-2] == bot.t("photo-expected")


async def test_photo_files_from_phones_are_accepted_heic_and_rotated_jpeg(tmp_path):
    # The iPhone HEIC was taken 2021-04-11 15:47:53 at UTC-05:00, which is the morning of
    # 12 April in Seoul: a round running that day accepts it as a same-day photo.
    document = campaign_document()
    document["rounds"] = [{"name": "1차", "start": date(2021, 4, 1), "days": 50}]
    document["theme_missions"] = []
    bot = await start_harness(tmp_path, parse_campaign(document), kst("2021-04-12", "19:00"))
    leaders = await bot.open_leader_chats()
    member = bot.person(1001)
    await bot.join(member, leaders[0])
    await bot.say(member, "/certify")
    await bot.send_file(member, real_photo("IMG_5195.HEIC"), "IMG_5195.HEIC", "image/heic")
    assert "시작 사진 받았어요" in bot.last_text(1001)
    bot.advance(minutes=15)
    await bot.send_file(member, real_photo("Landscape_6.jpg"), "Landscape_6.jpg", "image/jpeg")
    assert "인증 완료" in bot.last_text(1001)
    async with bot.services.database.transaction() as conn:
        cert = await certifications.awaiting_note(conn, 1001)
        photos = await stored_photos.of_certification(conn, cert.id)
    await stop_harness(bot)
    assert bot.errors == []
    assert [(p.role, p.kind, p.width, p.height) for p in photos] == [
        ("start", "document", 2566, 3313),
        ("end", "document", 1800, 1200),  # shown upright: orientation 6 applied
    ]
    assert photos[0].taken_at.isoformat() == "2021-04-11T15:47:53-05:00"


async def test_a_broken_photo_file_is_refused_and_the_start_photo_is_kept(bot, member):
    await bot.say(member, "/certify")
    await bot.send_photo(member)
    bot.advance(minutes=15)
    broken = real_photo("Landscape_6.jpg")[:20000]
    await bot.send_file(member, broken, "broken.jpg", "image/jpeg")
    assert bot.texts(1001)[-2] == bot.t("photo-damaged")
    await bot.send_photo(member)
    assert "인증 완료" in bot.last_text(1001)


async def test_a_file_over_20_mb_is_refused_without_downloading(bot, member):
    await bot.say(member, "/certify")
    update = bot.factory.document(
        member,
        "BQACAgHuge",
        "AgADHuge",
        file_name="huge.jpg",
        mime_type="image/jpeg",
        file_size=25 * 1024 * 1024,
    )
    await bot.send(update)
    assert bot.texts(1001)[-2] == bot.t("photo-too-big")
    assert bot.tg.calls_of("getFile") == []


async def test_a_failed_download_is_explained_and_nothing_is_lost(bot, member):
    await bot.say(member, "/certify")
    bot.tg.fail_next("getFile", 500, "Internal Server Error")
    await bot.send_photo(member)
    assert bot.texts(1001)[-2] == bot.t("photo-download-failed")
    await bot.send_photo(member)
    assert "시작 사진 받았어요" in bot.last_text(1001)


async def test_the_note_is_saved_or_skipped(bot, member):
    await bot.certify(member, skip_note=False)
    await bot.say(member, "골목 보안등이 꺼져 있었어요 <신고함>")
    assert bot.last_text(1001) == bot.t("note-saved")
    async with bot.services.database.transaction() as conn:
        (row,) = await (await conn.execute("SELECT note FROM certifications")).fetchall()
    assert row[0] == "골목 보안등이 꺼져 있었어요 <신고함>"


async def test_only_approved_participants_can_certify(bot):
    await bot.apply(bot.person(1001))
    await bot.say(bot.person(1001), "/certify")
    assert bot.last_text(1001) == bot.t("cert-not-participant")
    await bot.say(bot.person(1001), "/me")
    assert "리더가 확인하고 있어요" in bot.last_text(1001)


async def test_cancel_drops_the_started_certification(bot, member):
    await bot.say(member, "/certify")
    await bot.send_photo(member)
    await bot.press(member, "cert:cancel")
    assert bot.last_text(1001) == bot.t("cert-cancelled")
    bot.advance(minutes=15)
    await bot.send_photo(member)
    assert bot.last_text(1001) == bot.t("cert-nothing-open")


async def test_me_shows_counts_hours_and_the_next_reward(bot, member):
    for day in range(16, 21):
        bot.now = kst(f"2027-08-{day}", "19:00")
        await bot.certify(member)
    await bot.say(member, "/me")
    me = bot.last_text(1001)
    assert "누적 5회" in me and "3차 5회" in me and "오늘 1회" in me
    assert "봉사시간 2시간 30분" in me and "1365 등록 2시간" in me and "30분 적립" in me
    assert "'치안협력관 배지'까지 15회" in me


async def test_the_end_photo_completes_the_certification_after_a_restart(tmp_path, campaign):
    first = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"))
    leaders = await first.open_leader_chats()
    minji = first.person(1001)
    await first.join(minji, leaders[0])
    await first.say(minji, "/certify")
    await first.send_photo(minji)
    await stop_harness(first)

    second = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:20"), continuing=first)
    second.tg.add_chat(second.factory.private_chat(minji))
    second._seed = 100  # a new picture: the first run's photos are already in the store
    await second.send_photo(minji)
    assert "인증 완료" in second.last_text(1001)
    await stop_harness(second)
    assert first.errors == second.errors == []


@pytest.mark.parametrize(
    ("fmt", "mime", "name"), [("PNG", "image/png", "a.png"), ("WEBP", "image/webp", "b.webp")]
)
async def test_png_and_webp_files_are_accepted(bot, member, fmt, mime, name):
    import io

    from PIL import Image

    def encoded(seed: int) -> bytes:
        buffer = io.BytesIO()
        Image.open(io.BytesIO(bot.next_photo())).save(buffer, fmt)
        return buffer.getvalue()

    await bot.say(member, "/certify")
    await bot.send_file(member, encoded(1), name, mime)
    bot.advance(minutes=15)
    await bot.send_file(member, encoded(2), name, mime)
    assert "인증 완료" in bot.last_text(1001)


def _alert(bot) -> str:
    return bot.tg.calls_of("answerCallbackQuery")[-1].params.get("text", "")


async def test_a_participant_cannot_skip_the_note_of_someone_elses_certification(bot, member):
    seoyeon = bot.person(1002, "서연")
    await bot.join(seoyeon, bot.person(9001))
    await bot.certify(member, skip_note=False)
    async with bot.services.database.transaction() as conn:
        (cert_id,) = await (await conn.execute("SELECT id FROM certifications")).fetchone()
    own_message = bot.tg.last_sent_message(1002)
    for data in (f"cert:skipnote:{cert_id}", f"cert:skipnote:{cert_id + 1}", "cert:skipnote:x"):
        await bot.press(seoyeon, data, message=own_message)
        assert _alert(bot) == bot.t("button-stale")
    # 민지's note is still asked for: her next line is saved as the note.
    await bot.say(member, "보안등 고장")
    assert bot.last_text(1001) == bot.t("note-saved")


async def test_an_old_skip_note_button_is_refused_once_the_note_is_written(bot, member):
    await bot.certify(member, skip_note=False)
    (skip,) = [b for b in bot.buttons(1001) if b.startswith("cert:skipnote:")]
    old = bot.message_with_button(1001, skip)
    await bot.say(member, "골목 순찰 완료")
    await bot.press(member, skip, message=old)
    assert _alert(bot) == bot.t("button-stale")
    async with bot.services.database.transaction() as conn:
        (note,) = await (await conn.execute("SELECT note FROM certifications")).fetchone()
    assert note == "골목 순찰 완료"


async def test_forged_mission_buttons_open_no_certification(bot, member):
    await bot.say(member, "/me")
    message = bot.tg.last_sent_message(1001)
    for data in ("cert:mission:999", "cert:mission:-1", "cert:mission:", "cert:mission:1; DROP"):
        await bot.press(member, data, message=message)
        assert bot.last_text(1001).startswith(bot.t("cert-unknown-mission"))
    async with bot.services.database.transaction() as conn:
        assert await certifications.open_for(conn, 1001) is None


async def test_a_visitor_pressing_a_participants_certify_buttons_is_asked_to_apply(bot, member):
    await bot.say(member, "/certify")
    visitor = bot.person(1004, "Sam", "en")
    await bot.say(visitor, "/start")
    own = bot.tg.last_sent_message(1004)  # Telegram sends presses only on one's own messages
    await bot.press(visitor, "cert:begin", message=own)
    assert bot.last_text(1004).startswith(bot.t("cert-not-participant", "en"))
    await bot.press(visitor, "cert:cancel", message=own)
    assert bot.last_text(1004) == bot.t("cancel-nothing", "en")
    async with bot.services.database.transaction() as conn:
        assert await certifications.open_for(conn, 1001) is not None  # 민지's is untouched


async def test_an_edit_of_a_saved_note_changes_nothing(bot, member):
    await bot.certify(member, skip_note=False)
    note = bot.factory.text(member, "보안등 고장")
    await bot.send(note)
    await bot.send(bot.factory.edited_text(note, "보안등 두 개 고장"))  # nothing pending now
    assert bot.last_text(1001) == bot.t("note-saved")
    async with bot.services.database.transaction() as conn:
        (saved,) = await (await conn.execute("SELECT note FROM certifications")).fetchone()
    assert saved == "보안등 고장"


async def test_an_edit_while_a_photo_is_expected_says_so(bot, member):
    await bot.say(member, "/certify")
    text = bot.factory.text(member, "사진 보낼게요")
    await bot.send(text)
    await bot.send(bot.factory.edited_text(text, "지금 보낼게요"))
    assert bot.last_text(1001) == bot.t("edited-not-used")
    await bot.send_photo(member)
    assert "시작 사진 받았어요" in bot.last_text(1001)


async def test_no_note_edits_the_accepted_message_so_a_certification_costs_five_calls(bot, member):
    """/certify, start photo, end photo, "no note": three messages and one edit of "인증 완료"
    (buttons off, the line added) in the participant's chat, then the feed post (here one per
    leader, as no group is set; a group gets one). Every call naming a chat counts against
    Telegram's limits, edits included: 4 + 1 = 5 with a group."""
    since = bot.tg.mark()
    await bot.certify(member)  # skips the note, then sends the feed post
    counted = [c for c in bot.tg.api_calls(since) if c.ok and "chat_id" in c.params]
    mine = [c.method for c in counted if c.params["chat_id"] == 1001]
    assert mine == ["sendMessage", "sendMessage", "sendMessage", "editMessageText"]
    feed = [c.params["chat_id"] for c in counted if c.params["chat_id"] != 1001]
    assert sorted(feed) == [9001, 9002]  # the post, once per reader
    accepted = bot.tg.sent_messages(1001)[-1]
    assert "인증 완료" in accepted["text"]
    assert accepted["text"].endswith(bot.t("note-skipped"))
    assert not (accepted.get("reply_markup") or {}).get("inline_keyboard")
