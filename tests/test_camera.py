"""Camera check-in over HTTP against the bot in this process: the camera page's ticket and
upload take the chat's own certification step (the same checks, the same replies in the chat),
and only the participant's own fresh ticket and genuine initData get a photo in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.campaign.config import parse_campaign
from storage import camera, privacy
from tests.fakes import DEFAULT_TOKEN
from tests.fakes.webapp import init_data, leader_user
from tests.harness import LEADER_IDS, Harness, start_harness, stop_harness
from tests.support import campaign_document, kst, scene_photo
from tests.test_console_web import console_settings

LEADER = LEADER_IDS[0]
MINJI, SEOJUN = 1001, 1002


class Page:
    """What the camera page does, as HTTP requests."""

    def __init__(self, bot: Harness, session: aiohttp.ClientSession) -> None:
        self.bot, self.session = bot, session
        self.base = f"http://127.0.0.1:{bot.services.console.port}/console/camera/"

    def signed(self, user_id: int) -> str:
        return init_data(leader_user(user_id, "민지"), DEFAULT_TOKEN)

    async def open(self, user_id: int = MINJI, *, raw: str | None = None) -> tuple[int, Any]:
        data = raw if raw is not None else self.signed(user_id)
        async with self.session.post(
            self.base + "api/open", headers={"Authorization": f"tma {data}"}
        ) as response:
            return response.status, await response.json()

    async def upload(
        self,
        nonce: str,
        photo: bytes,
        user_id: int = MINJI,
        *,
        raw: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        data = raw if raw is not None else self.signed(user_id)
        sent = {
            "Authorization": f"tma {data}",
            "X-Camera-Nonce": nonce,
            "Content-Type": "image/jpeg",
            **(headers or {}),
        }
        async with self.session.post(self.base + "api/photo", headers=sent, data=photo) as response:
            return response.status, await response.json()

    async def take(self, photo: bytes, user_id: int = MINJI) -> tuple[int, Any]:
        status, opened = await self.open(user_id)
        assert status == 200, opened
        return await self.upload(opened["nonce"], photo, user_id)


async def _start(tmp_path, **fairness: Any) -> Harness:
    document = campaign_document()
    document.setdefault("fairness", {}).update(fairness)
    return await start_harness(
        tmp_path,
        parse_campaign(document),
        kst("2027-08-16", "19:00"),
        console=console_settings(),
    )


@pytest.fixture
async def page(tmp_path) -> AsyncIterator[Page]:
    bot = await _start(tmp_path)
    async with aiohttp.ClientSession() as session:
        yield Page(bot, session)
    await stop_harness(bot)
    assert bot.errors == []


async def _participant(bot: Harness, user_id: int = MINJI, name: str = "민지") -> dict:
    leaders = await bot.open_leader_chats()
    person = bot.person(user_id, name)
    await bot.join(person, leaders[0], name="김" + name)
    return person


async def _photos(bot: Harness, user_id: int = MINJI) -> list[tuple[Any, ...]]:
    async with bot.services.database.read() as conn:
        cursor = await conn.execute(
            "SELECT p.role, p.from_camera, p.message_date, c.status FROM photos p "
            "JOIN certifications c ON c.id = p.certification_id WHERE p.sender_id = ? "
            "ORDER BY p.id",
            (user_id,),
        )
        return [tuple(row) for row in await cursor.fetchall()]


async def test_a_participant_certifies_with_the_camera_page_and_the_chat_answers(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    assert bot.t("button-camera") in str(bot.tg.last_sent_message(MINJI)["reply_markup"])

    status, answer = await page.take(scene_photo(1))
    assert (status, answer) == (200, {"status": "start_recorded"})
    mission = "우리동네 불안 요소 찾기"
    assert bot.t("cert-start-recorded", mission=mission, minutes=10) in bot.last_text(MINJI)
    bot.advance(minutes=12)
    status, answer = await page.take(scene_photo(2))
    assert (status, answer) == (200, {"status": "accepted"})
    assert bot.t("cert-ask-note") in bot.last_text(MINJI)
    # The photos are in the chat, stamped with the server's time; the store knows they came
    # from the camera, at the server's arrival time.
    captions = [c.params.get("caption") for c in bot.tg.calls_of("sendPhoto")]
    assert "📷 카메라 · 8월 16일 19:00" in captions and "📷 카메라 · 8월 16일 19:12" in captions
    rows = await _photos(bot)
    assert [(role, from_camera) for role, from_camera, _, _ in rows] == [("start", 1), ("end", 1)]
    assert rows[0][2] == "2027-08-16T10:00:00+00:00" and rows[1][3] == "accepted"


async def test_the_gap_rule_holds_for_camera_photos(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    await page.take(scene_photo(1))
    bot.advance(minutes=3)
    status, answer = await page.take(scene_photo(2))
    assert (status, answer) == (200, {"status": "too_soon"})
    assert bot.last_text(MINJI) == bot.t("cert-too-soon", minutes=7)
    # The page has closed: the end photo is taken later from the button under this answer.
    assert bot.t("button-camera") in str(bot.tg.last_sent_message(MINJI)["reply_markup"])


async def test_a_camera_photo_used_before_is_refused_like_a_chat_photo(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    await page.take(scene_photo(1))
    bot.advance(minutes=12)
    status, answer = await page.take(scene_photo(1))
    assert (status, answer) == (200, {"status": "refused"})
    assert bot.t("fair-same-as-start") in bot.last_text(MINJI)


async def test_a_replayed_upload_is_refused_and_changes_nothing(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    _, opened = await page.open()
    assert (await page.upload(opened["nonce"], scene_photo(1)))[0] == 200
    bot.advance(minutes=12)
    sent = len(bot.tg.calls_of("sendMessage"))
    status, answer = await page.upload(opened["nonce"], scene_photo(2))
    assert (status, answer) == (409, {"error": "ticket used"})
    assert len(bot.tg.calls_of("sendMessage")) == sent
    assert [row[0] for row in await _photos(bot)] == ["start"]


async def test_a_ticket_older_than_five_minutes_is_refused(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    _, opened = await page.open()
    bot.advance(minutes=5, seconds=1)
    assert await page.upload(opened["nonce"], scene_photo(1)) == (409, {"error": "ticket expired"})
    assert await _photos(bot) == []


async def test_a_ticket_is_for_one_step_only(page):
    """A page opened for the start photo cannot send the end photo after a chat start photo."""
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    _, opened = await page.open()
    await bot.send_photo(minji)
    bot.advance(minutes=2)
    assert await page.upload(opened["nonce"], scene_photo(1)) == (409, {"error": "step moved on"})


@pytest.mark.parametrize("who", ["forged", "other participant", "leader", "unknown ticket"])
async def test_only_the_participants_own_initdata_and_ticket_get_a_photo_in(page, who):
    bot = page.bot
    minji = await _participant(bot)
    seojun = await _participant(bot, SEOJUN, "서준")
    await bot.say(minji, "/certify")
    await bot.say(seojun, "/certify")
    _, opened = await page.open()
    genuine = page.signed(MINJI)
    forged = genuine.replace("%3A1001", "%3A1002")
    assert forged != genuine
    nonce, user_id, raw = opened["nonce"], MINJI, None
    if who == "forged":
        raw = forged
    elif who == "other participant":
        user_id = SEOJUN
    elif who == "leader":
        user_id = LEADER
    else:
        nonce = "x" * 32
    status, _ = await page.upload(nonce, scene_photo(1), user_id, raw=raw)
    assert status in {"forged": (401,), "unknown ticket": (409,)}.get(who, (403,))
    assert await _photos(bot, MINJI) == [] and await _photos(bot, SEOJUN) == []
    # Minji's own ticket was not used up by the stranger.
    assert (await page.upload(opened["nonce"], scene_photo(1)))[0] == 200


async def test_a_leader_without_a_certification_gets_no_ticket(page):
    bot = page.bot
    await bot.open_leader_chats()
    assert await page.open(LEADER) == (403, {"error": "not_participant"})


async def test_without_an_open_certification_there_is_nothing_to_take(page):
    await _participant(page.bot)
    assert await page.open() == (409, {"error": "nothing_open"})


async def test_what_is_not_a_jpeg_is_refused_by_decoding_and_nothing_is_kept(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    _, opened = await page.open()
    fake = b"\xff\xd8\xff\xe0" + b"not really a picture" * 100
    assert await page.upload(opened["nonce"], fake) == (415, {"error": "not a photo"})
    assert await _photos(bot) == [] and bot.tg.calls_of("sendPhoto") == []


async def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    _, opened = await page.open()
    too_big = b"\xff" * (10 * 1024 * 1024 + 1)
    status, answer = await page.upload(opened["nonce"], too_big)
    assert (status, answer) == (413, {"error": "too big"})
    # The ticket was not spent on it.
    assert (await page.upload(opened["nonce"], scene_photo(1)))[0] == 200


async def test_the_page_and_its_words_need_no_sign_in(page):
    async with page.session.get(page.base) as response:
        html = await response.text()
    assert response.status == 200 and "playsinline" in html and 'type="file"' not in html
    async with page.session.get(page.base + "texts.json") as response:
        words = await response.json()
    assert words["ko"]["camera-page-phone-only"] == "이 단계는 휴대폰 텔레그램에서 해 주세요."
    assert set(words["ko"]) == set(words["en"])


async def test_with_the_camera_required_a_chat_photo_gets_the_camera_button(tmp_path):
    bot = await _start(tmp_path, camera="required")
    try:
        minji = await _participant(bot)
        await bot.say(minji, "/certify")
        await bot.send_photo(minji)
        assert bot.last_text(MINJI) == bot.t("camera-required")
        assert bot.t("button-camera") in str(bot.tg.last_sent_message(MINJI)["reply_markup"])
        assert await _photos(bot) == []
        # A leader lets Minji use chat photos (her phone has no working camera).
        async with bot.services.database.transaction() as conn:
            await camera.allow_chat_photos(conn, MINJI, LEADER, bot.now)
        await bot.send_photo(minji)
        assert [row[0] for row in await _photos(bot)] == ["start"]
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_with_the_camera_off_there_is_no_button_and_no_ticket(tmp_path):
    bot = await _start(tmp_path, camera="off")
    try:
        minji = await _participant(bot)
        await bot.say(minji, "/certify")
        assert bot.t("button-camera") not in str(bot.tg.last_sent_message(MINJI)["reply_markup"])
        async with aiohttp.ClientSession() as session:
            assert await Page(bot, session).open() == (409, {"error": "camera_off"})
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_the_position_is_kept_when_the_campaign_asks_and_erased_with_the_person(tmp_path):
    bot = await _start(tmp_path, camera_location=True)
    try:
        minji = await _participant(bot)
        await bot.say(minji, "/certify")
        async with aiohttp.ClientSession() as session:
            page = Page(bot, session)
            _, opened = await page.open()
            assert opened["location"] is True
            location = {"X-Camera-Location": "35.948120,126.957610"}
            await page.upload(opened["nonce"], scene_photo(1), headers=location)
        async with bot.services.database.read() as conn:
            cursor = await conn.execute("SELECT latitude, longitude FROM photos")
            assert [tuple(row) for row in await cursor.fetchall()] == [(35.94812, 126.95761)]
        # The person's own copy of their data (/mydata) has it.
        async with bot.services.database.read() as conn:
            mine = await privacy.export(conn, MINJI)
        assert mine is not None
        assert [(p["from_camera"], p["latitude"]) for p in mine["photos"]] == [(1, 35.94812)]
        # Erased with the person's data (/delete, the retention purge).
        async with bot.services.database.transaction() as conn:
            assert await privacy.erase(conn, MINJI, bot.now)
        async with bot.services.database.read() as conn:
            cursor = await conn.execute("SELECT latitude, longitude FROM photos")
            assert [tuple(row) for row in await cursor.fetchall()] == [(None, None)]
            cursor = await conn.execute("SELECT COUNT(*) FROM camera_tickets")
            assert (await cursor.fetchone())[0] == 0
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_the_feed_picture_of_a_camera_certification_carries_the_servers_stamp(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    await page.take(scene_photo(101))
    bot.advance(minutes=12)
    await bot.send_photo(minji)  # the end photo from the chat: no camera stamp on that half
    skip = [d for d in bot.buttons(MINJI) if d and d.startswith("cert:skipnote:")]
    await bot.press(minji, skip[0])
    async with bot.services.database.read() as conn:
        cursor = await conn.execute(
            "SELECT json_extract(payload, '$.render.params') FROM outbox "
            "WHERE json_extract(payload, '$.feed_post_of') IS NOT NULL"
        )
        planned = [json.loads(row[0]) for row in await cursor.fetchall()]
    assert planned
    for params in planned:
        assert params["start_camera"] == "📷 카메라 · 8월 16일 19:00"
        assert params["end_camera"] == ""
    await bot.post_feed()
    assert bot.errors == []


async def test_a_leader_lets_a_person_use_chat_photos_from_their_card(tmp_path):
    bot = await _start(tmp_path, camera="required")
    try:
        minji = await _participant(bot)
        leaders = await bot.open_leader_chats()
        await bot.say(leaders[0], "/participant 1001")
        assert f"person:chatphotos:on:{MINJI}" in bot.buttons(LEADER)
        await bot.press(leaders[0], f"person:chatphotos:on:{MINJI}")
        assert bot.t("participant-chat-photos-line") in bot.last_text(LEADER)
        assert f"person:chatphotos:off:{MINJI}" in bot.buttons(LEADER)
        await bot.say(minji, "/certify")
        await bot.send_photo(minji)
        assert [row[0] for row in await _photos(bot)] == ["start"]
        # A participant cannot let themselves.
        await bot.press(
            minji, f"person:chatphotos:on:{MINJI}", message=bot.tg.last_sent_message(LEADER)
        )
        assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("leaders-only")
        await bot.press(leaders[0], f"person:chatphotos:off:{MINJI}")
        bot.advance(minutes=12)
        await bot.send_photo(minji)
        assert bot.last_text(MINJI) == bot.t("camera-required")
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_a_leader_lets_a_person_use_chat_photos_from_the_console(tmp_path):
    bot = await _start(tmp_path, camera="required")
    try:
        await _participant(bot)
        base = f"http://127.0.0.1:{bot.services.console.port}/console/api/participants/1001/"
        leader = {"Authorization": "tma " + init_data(leader_user(LEADER), DEFAULT_TOKEN)}
        minji = {"Authorization": "tma " + init_data(leader_user(MINJI, "민지"), DEFAULT_TOKEN)}
        async with aiohttp.ClientSession() as session:
            async with session.post(base + "chat-photos/allow", headers=minji) as response:
                assert response.status == 403  # the console's api/ is for leaders only
            async with session.get(base + "chat-photos", headers=leader) as response:
                assert await response.json() == {"required": True, "allowed": False}
            async with session.post(base + "chat-photos/allow", headers=leader) as response:
                assert await response.json() == {"outcome": "done"}
            async with session.get(base + "chat-photos", headers=leader) as response:
                assert await response.json() == {"required": True, "allowed": True}
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_when_telegram_cannot_take_the_photo_nothing_is_kept_and_the_page_may_retry(page):
    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    bot.tg.fail_next("sendPhoto", 502)
    status, answer = await page.take(scene_photo(1))
    assert (status, answer) == (502, {"error": "telegram unreachable"})
    assert await _photos(bot) == []
    # The page asks for a new ticket ("다시 시도") and the photo goes in.
    assert await page.take(scene_photo(1)) == (200, {"status": "start_recorded"})


async def test_a_camera_photo_is_decoded_once_for_its_check_and_its_feed_preview(page, monkeypatch):
    from tests.test_photo_pipeline import count_decodes

    bot = page.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    photo = scene_photo(1)
    decodes = count_decodes(monkeypatch)
    status, answer = await page.take(photo)
    assert (status, answer) == (200, {"status": "start_recorded"})
    assert decodes.of(photo) == [(640, 480)]
