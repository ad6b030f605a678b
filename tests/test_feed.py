"""The review feed: one picture the bot composes (start and end photo side by side, their times
drawn on it), the card as its caption, sent through the outbox once the note step ends, so a
burst of certifications is answered at once while the group's feed follows at its own pace."""

from __future__ import annotations

import asyncio
import io
import time
from datetime import date

import pytest
from PIL import Image
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto

from bot.campaign.config import Campaign, parse_campaign
from bot.context import CampaignContext
from bot.media import feed_picture
from bot.media.feed_picture import FeedLabels
from bot.practice.standin import UploadedFile
from scheduler import feed as feed_job
from scheduler import jobs
from storage import feed as storage_feed
from storage import privacy as privacy_store
from storage import reviews
from tests.harness import LEADER_IDS, VirtualClock, start_harness, stop_harness
from tests.support import campaign_document, kst, open_old_database, real_photo

GROUP = -1001234567890
BURST = 12  # more certifications than a group's 20 messages a minute can post at once


@pytest.fixture
async def group_bot(tmp_path, campaign):
    """Built like production: PTB's rate limiter on, the campaign group set."""
    harness = await start_harness(
        tmp_path, campaign, kst("2027-08-16", "19:00"), rate_limit=True, group_chat_id=GROUP
    )
    harness.tg.add_chat(harness.factory.group_chat(GROUP, "group"))
    yield harness
    await stop_harness(harness)
    assert harness.errors == []


async def test_a_burst_of_certifications_is_answered_within_seconds_in_a_campaign_with_a_group(
    group_bot,
):
    bot = group_bot
    leaders = await bot.open_leader_chats()
    people = [bot.factory.user(2000 + i, f"참여자{i}", last_name="김") for i in range(BURST)]
    for i, person in enumerate(people):
        await bot.join(person, leaders[0], name=f"김참여{i}", volunteer_id=f"vol{i:04d}")
    for person in people:
        await bot.say(person, "/certify")
        await bot.send_photo(person)
    bot.advance(minutes=15)
    end_photos = [bot.next_photo() for _ in people]
    started = time.monotonic()

    async def finish(person: dict, photo: bytes) -> float:
        await bot.send_photo(person, photo)
        return time.monotonic() - started

    # Every person's end photo is handled at once, as the update processor does for different
    # people; a handler that waited for the group's 20 messages a minute would take minutes.
    answered = await asyncio.wait_for(
        asyncio.gather(*(finish(p, photo) for p, photo in zip(people, end_photos, strict=True))),
        timeout=30,
    )
    print(f"{BURST} end photos answered in {max(answered):.2f} s (slowest)")  # pytest -s
    assert max(answered) < 10, f"slowest answer after {max(answered):.1f} s"
    accepted = bot.t("cert-accepted", mission=MISSION)
    for person in people:
        assert any(accepted in text for text in bot.texts(person["id"]))
    assert _group_posts(bot) == []  # nothing went to the group inside anyone's handler

    cert_ids = {p["id"]: _cert_of(bot, p) for p in people}
    await asyncio.gather(*(bot.press(p, f"cert:skipnote:{cert_ids[p['id']]}") for p in people))
    assert all(bot.last_text(p["id"]).endswith(bot.t("note-skipped")) for p in people)
    assert _group_posts(bot) == []

    # The outbox catches up at the group's pace: one post every 3 s (20 a minute).
    clock = VirtualClock()
    sender = jobs.outbox_sender(bot.app, monotonic=clock.monotonic, sleep=clock.sleep)
    report = await sender.drain(until_empty=True)
    posts = _group_posts(bot)
    assert report.sent == BURST and len(posts) == BURST
    print(f"the feed caught up in {clock.elapsed:.0f} s of the group's time")  # pytest -s
    assert 3 * (BURST - 1) <= clock.elapsed < 3 * BURST
    assert {call.method for call in posts} == {"sendPhoto"}  # one message per certification
    by_cert = {}
    for post in posts:
        rows = post.params["reply_markup"]["inline_keyboard"]
        buttons = [b["callback_data"] for row in rows for b in row]
        cert_id = int(buttons[-1].removeprefix("rev:revoke:"))
        assert buttons == [f"cheer:{cert_id}", f"rev:revoke:{cert_id}"]
        by_cert[cert_id] = post.params["caption"]
    for person in people:
        caption = by_cert[cert_ids[person["id"]]]  # each certification posted once
        assert person["first_name"] in caption and "김" not in caption.split("·")[0]


MISSION = "우리동네 불안 요소 찾기"


def _group_posts(bot) -> list:
    """Messages the bot sent (or tried to send) to the group."""
    return [
        c
        for c in bot.tg.api_calls()
        if c.method.startswith("send") and str(c.params.get("chat_id")) == str(GROUP)
    ]


def _cert_of(bot, person: dict) -> int:
    """The certification id on the person's skip-note button."""
    for message in reversed(bot.tg.sent_messages(person["id"])):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").startswith("cert:skipnote:"):
                    return int(button["callback_data"].rsplit(":", 1)[1])
    raise AssertionError("no skip-note button")


# ---- what others see of a participant's photos -----------------------------------------------


def _assert_no_metadata(data: bytes) -> None:
    """The bytes carry pixels only: no EXIF (GPS, phone, time), XMP, ICC profile or comment."""
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(image.info)
    assert b"Exif" not in data and b"http://ns.adobe.com/xap" not in data and b"GPS" not in data


def _campaign_on(day: date) -> Campaign:
    document = campaign_document()
    document["rounds"] = [{"name": "1차", "start": day, "days": 50}]
    del document["theme_missions"]
    return parse_campaign(document)


def _shown_to_others(bot, participant_id: int) -> list:
    """Every picture, file or album the bot sent to anyone but the participant."""
    methods = ("sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage", "forwardMessage")
    return [
        c
        for c in bot.tg.api_calls()
        if c.method in methods and int(c.params.get("chat_id", 0)) != participant_id
    ]


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        # A Canon camera's files: EXIF with a GPS block, XMP and Photoshop data, sent as files.
        ("2015-02-09", ("canon_hdr_NO.jpg", "22:50"), ("canon_hdr_YES.jpg", "23:05")),
        # An iPhone HEIC with its GPS position, sent as a file, after a compressed start photo.
        ("2021-04-12", (None, "05:30"), ("IMG_5195.HEIC", "05:50")),
    ],
    ids=["canon-jpeg-files", "iphone-heic-file"],
)
async def test_photo_files_with_gps_reach_the_feed_only_as_a_picture_without_metadata(
    tmp_path, day, start, end
):
    bot = await start_harness(tmp_path, _campaign_on(date.fromisoformat(day)), kst(day, "20:00"))
    try:
        leaders = await bot.open_leader_chats()
        minji = bot.person(1001)
        await bot.join(minji, leaders[0])
        await bot.say(minji, "/certify")
        for name, clock in (start, end):
            bot.now = kst(day, clock)
            if name is None:
                await bot.send_photo(minji)
                continue
            original = real_photo(name)
            assert b"Exif" in original  # the camera's data is in what Minji sends
            mime = "image/heic" if name.endswith(".HEIC") else "image/jpeg"
            await bot.send_file(minji, original, file_name=name, mime=mime)
        assert any("인증 완료" in text for text in bot.texts(1001)), bot.texts(1001)
        await bot.say(minji, "골목 보안등 확인")
        await bot.post_feed()

        shown = _shown_to_others(bot, minji["id"])
        assert {int(c.params["chat_id"]) for c in shown} == set(LEADER_IDS)
        assert all(c.method == "sendPhoto" for c in shown)  # one picture each, never a file
        for call in shown:
            assert isinstance(call.params["photo"], UploadedFile)  # never a file id of hers
            _assert_no_metadata(call.params["photo"].data)
            assert "골목 보안등 확인" in call.params["caption"]
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_a_risk_report_photo_sent_as_a_file_reaches_the_leaders_re_encoded(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.say(minji, "/report")
    await bot.press(minji, "risk:cat:light")
    await bot.say(minji, "영등동 골목 입구")
    await bot.send_file(minji, real_photo("canon_hdr_NO.jpg"), file_name="IMG_0001.JPG")
    await bot.say(minji, "보안등이 꺼져 있어요")
    assert bot.last_text(1001) == bot.t("risk-submitted")

    first, second = _shown_to_others(bot, minji["id"])
    assert first.method == second.method == "sendPhoto"
    assert isinstance(first.params["photo"], UploadedFile)
    _assert_no_metadata(first.params["photo"].data)
    # The second leader gets the bot's own upload again, by the id Telegram gave it.
    assert second.params["photo"] == first.result["photo"][-1]["file_id"]


async def test_the_feed_picture_shows_both_photos_with_their_times():
    start = Image.new("RGB", (400, 600), (200, 30, 30))
    end = Image.new("RGB", (600, 400), (30, 30, 200))
    labels = FeedLabels(
        "우리동네 불안 요소 찾기 🚨", "시작", "종료", "2027.08.16 19:00", "2027.08.16 19:15"
    )
    data = feed_picture.compose(
        feed_picture.clean_jpeg(start), feed_picture.clean_jpeg(end), labels
    )
    _assert_no_metadata(data)
    with Image.open(io.BytesIO(data)) as picture:
        width, height = picture.size
        assert width <= 1280 and height <= 1280
        rgb = picture.convert("RGB")
        left = rgb.getpixel((width // 4, height // 2))
        right = rgb.getpixel((3 * width // 4, height // 2))
    assert left[0] > 150 and left[2] < 80  # the start photo on the left
    assert right[2] > 150 and right[0] < 80  # the end photo on the right
    # Without one of the photos the post still goes out, with a plain panel in its place.
    _assert_no_metadata(feed_picture.compose(None, feed_picture.clean_jpeg(end), labels))


# ---- a revocation's reason stays private ------------------------------------------------------


async def test_a_revocation_reason_reaches_the_participant_and_leaders_never_the_group(group_bot):
    bot = group_bot
    leaders = await bot.open_leader_chats()
    minji = bot.factory.user(1001, "민지", last_name="김")
    await bot.join(minji, leaders[0], name="김민지")
    await bot.certify(minji)
    post = bot.message_with_button(GROUP, "rev:revoke:1")
    reason = "집 주소가 보이는 사진이에요"

    await bot.press(leaders[0], "rev:revoke:1", message=post)
    await bot.say(leaders[0], reason)

    shown = bot.tg.message(GROUP, post["message_id"])
    assert shown is not None and bot.t("review-revoked-public") in shown["caption"]
    assert reason not in shown["caption"] and "경위" not in shown["caption"]
    assert not any(reason in text for text in bot.texts(GROUP))
    assert reason in bot.last_text(1001)  # the participant hears why
    assert reason in bot.last_text(LEADER_IDS[1])  # the other leader too, in private
    assert bot.last_text(LEADER_IDS[0]) == bot.t("review-revoke-done")

    await bot.press(leaders[1], "rev:restore:1", message=bot.tg.message(GROUP, post["message_id"]))
    shown = bot.tg.message(GROUP, post["message_id"])
    assert bot.t("review-restored-public") in shown["caption"] and reason not in shown["caption"]


# ---- when the post is planned ---------------------------------------------------------------


async def _run_feed_job(bot) -> None:
    job = bot.app.job_queue.run_once(feed_job.plan_lapsed, when=3600, name="test-feed")
    try:
        await feed_job.plan_lapsed(CampaignContext.from_job(job, bot.app))
    finally:
        job.schedule_removal()
    await bot.post_feed()


def _pictures(bot, chat_id: int) -> list[dict]:
    return [m for m in bot.tg.sent_messages(chat_id) if "photo" in m]


async def test_without_a_note_the_post_goes_out_once_the_note_step_lapses(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.certify(minji, skip_note=False)
    await _run_feed_job(bot)
    assert _pictures(bot, LEADER_IDS[0]) == []  # still waiting for her note

    bot.advance(minutes=11)
    await _run_feed_job(bot)
    (post,) = _pictures(bot, LEADER_IDS[0])
    assert "💬" not in post["caption"]
    assert await _previews(bot) == 0  # kept only until the post went out
    await bot.say(minji, "늦은 소감")  # the note step is over: not a note any more
    assert bot.last_text(1001) != bot.t("note-saved")
    await _run_feed_job(bot)
    assert len(_pictures(bot, LEADER_IDS[0])) == 1  # posted once


async def _previews(bot) -> int:
    async with bot.services.database.transaction() as conn:
        return (await (await conn.execute("SELECT COUNT(*) FROM feed_previews")).fetchone())[0]


async def test_a_participant_who_deletes_their_data_before_the_post_is_never_posted(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.certify(minji, skip_note=False)
    assert await _previews(bot) == 2
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    assert await _previews(bot) == 0
    bot.advance(minutes=11)
    await _run_feed_job(bot)
    assert bot.tg.calls_of("sendPhoto") == []


async def test_a_post_still_waiting_in_the_outbox_is_never_sent_after_delete(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.certify(minji, skip_note=False)
    await bot.press(minji, "cert:skipnote:1")  # planned; the outbox has not sent it yet
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    await bot.post_feed()
    assert bot.tg.calls_of("sendPhoto") == []
    assert await _previews(bot) == 0


async def test_a_new_certify_ends_the_note_step_and_the_post_follows_without_waiting(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.certify(minji, skip_note=False)
    await bot.say(minji, "/certify")
    await _run_feed_job(bot)
    assert len(_pictures(bot, LEADER_IDS[0])) == 1


# ---- posts already in the chats keep working -------------------------------------------------


async def _posted_like_before(
    bot, cert_id: int, chat_id: int, *, note_open: bool = False
) -> tuple[list[int], int]:
    """What the bot posted before the feed became one picture: the two photos as an album, then
    a text card with Revoke, recorded the way it recorded them (and, ``note_open``, while the
    participant may still add the note)."""
    api = bot.app.bot
    album = await api.send_media_group(
        chat_id, [InputMediaPhoto(bot.next_photo()), InputMediaPhoto(bot.next_photo())]
    )
    card = await api.send_message(
        chat_id,
        "📸 <b>김민지</b> · 우리동네 불안 요소 찾기",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("🚫 인증 취소", callback_data=f"rev:revoke:{cert_id}")]]
        ),
    )
    async with bot.services.database.transaction() as conn:
        await conn.execute(
            "UPDATE certifications SET feed_planned_at = accepted_at, note_pending = ? "
            "WHERE id = ?",
            (int(note_open), cert_id),
        )
        await reviews.remember_post(conn, cert_id, chat_id, card.message_id)
        await reviews.remember_photo_posts(conn, cert_id, chat_id, [m.message_id for m in album])
    return [m.message_id for m in album], card.message_id


async def test_a_card_posted_before_the_feed_became_a_picture_still_revokes_and_goes_with_delete(
    bot,
):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.certify(minji, skip_note=False)
    old = {leader: await _posted_like_before(bot, 1, leader) for leader in LEADER_IDS}
    await _run_feed_job(bot)
    assert _pictures(bot, LEADER_IDS[0]) == [
        m for m in bot.tg.sent_messages(LEADER_IDS[0]) if m["message_id"] in old[LEADER_IDS[0]][0]
    ]  # no new post for it

    card_id = old[LEADER_IDS[0]][1]
    await bot.press(leaders[0], "rev:revoke:1", message=bot.tg.message(LEADER_IDS[0], card_id))
    await bot.say(leaders[0], "흐린 사진")
    for leader, (_, card) in old.items():
        assert "흐린 사진" in bot.tg.message(leader, card)["text"]  # the text card, edited

    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    for leader, (photos, card) in old.items():
        left = {m["message_id"] for m in bot.tg.sent_messages(leader)}
        assert not (set(photos) | {card}) & left


async def test_a_note_for_a_card_posted_before_the_feed_became_a_picture_shows_on_that_card(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.certify(minji, skip_note=False)
    old = {
        leader: await _posted_like_before(bot, 1, leader, note_open=True) for leader in LEADER_IDS
    }
    await bot.say(minji, "가로등 두 개 꺼짐")
    assert bot.last_text(1001) == bot.t("note-saved")
    for leader, (_, card) in old.items():
        assert "가로등 두 개 꺼짐" in bot.tg.message(leader, card)["text"]
    await _run_feed_job(bot)
    assert bot.tg.calls_of("sendPhoto") == []  # and no second post


# ---- the migration ---------------------------------------------------------------------------


async def test_the_feed_migration_keeps_old_posts_and_never_posts_old_certifications_again(
    tmp_path,
):
    from storage.database import _migration_files

    # the store as it was when the feed became a picture
    database = await open_old_database(
        tmp_path / "old.sqlite3",
        "feed_picture",
        [
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1, 'approved', 'x', 'x')",
            "INSERT INTO missions (kind, round_name, title, start_date, days, created_at) "
            "VALUES ('standing', '3차', 't', '2027-08-16', 50, 'x')",
            *[
                (
                    "INSERT INTO certifications (participant_id, mission_id, round_name, "
                    "campaign_day, status, note_pending, created_at, accepted_at) "
                    "VALUES (1, 1, '3차', '2027-08-16', ?, ?, '2027-08-16T10:00:00+00:00', "
                    "'2027-08-16T10:15:00+00:00')",
                    (status, note_pending),
                )
                for status, note_pending in (("accepted", 1), ("revoked", 0), ("awaiting_end", 0))
            ],
            "INSERT INTO review_posts (certification_id, chat_id, message_id) VALUES (1, 9001, 7)",
            "INSERT INTO takedowns (chat_id, message_id, is_text, posted_at) "
            "VALUES (9001, 5, 0, NULL)",
        ],
    )
    try:
        assert await database.schema_version() == len(_migration_files())
        async with database.transaction() as conn:
            planned = await (
                await conn.execute("SELECT id, feed_planned_at FROM certifications ORDER BY id")
            ).fetchall()
            assert [tuple(row) for row in planned] == [
                (1, "2027-08-16T10:15:00+00:00"),
                (2, "2027-08-16T10:15:00+00:00"),
                (3, None),
            ]
            assert await reviews.post_kinds(conn, 1) == [(9001, 7, False)]
            assert await storage_feed.due(conn, kst("2030-01-01")) == []
            assert await privacy_store.takedowns(conn) == [(9001, 5, False, None, False)]
    finally:
        await database.close()
