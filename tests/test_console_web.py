"""The leaders' console over HTTP against the bot in this process: only a leader's fresh,
genuine initData sees anything, and every action takes the chat's own path (the same audit, the
same message to the participant, the chat's cards updated)."""

from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import aiohttp
import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.campaign.config import parse_campaign
from bot.settings import Console
from storage import participants, reviews, risks
from tests.fakes import DEFAULT_TOKEN
from tests.fakes.webapp import init_data, leader_user
from tests.harness import LEADER_IDS, Harness, start_harness, stop_harness
from tests.support import campaign_document, kst, photo_taken_at, real_photo

LEADER = LEADER_IDS[0]
MINJI = 1001
URL = "https://console.example.org/console/"


def console_settings(**changes: Any) -> Console:
    values: dict[str, Any] = {
        "url": URL,
        "host": "127.0.0.1",
        "port": 0,
        "max_age": 3600,
        "tile_url": "http://127.0.0.1:9/{z}/{x}/{y}.png",
    }
    values.update(changes)
    return Console(**values)


class Client:
    def __init__(self, bot: Harness, session: aiohttp.ClientSession) -> None:
        self.bot, self.session = bot, session
        self.base = f"http://127.0.0.1:{bot.services.console.port}/console/"

    async def call(
        self,
        path: str,
        *,
        user_id: int = LEADER,
        raw: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> tuple[int, Any]:
        data = raw if raw is not None else init_data(leader_user(user_id), DEFAULT_TOKEN)
        headers = {"Authorization": f"tma {data}"}
        method = "POST" if body is not None else "GET"
        async with self.session.request(
            method, self.base + path, headers=headers, json=body
        ) as response:
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.read()


@pytest.fixture
async def web(tmp_path, campaign) -> AsyncIterator[Client]:
    bot = await start_harness(
        tmp_path, campaign, kst("2027-08-16", "19:00"), console=console_settings()
    )
    async with aiohttp.ClientSession() as session:
        yield Client(bot, session)
    await stop_harness(bot)
    assert bot.errors == []


async def _participant(bot: Harness, user_id: int = MINJI, name: str = "김민지") -> dict:
    leaders = await bot.open_leader_chats()
    person = bot.person(user_id, name.removeprefix("김"))
    await bot.join(person, leaders[0], name=name)
    return person


async def test_without_the_leaders_initdata_the_console_gives_nothing(web):
    bot = web.bot
    await _participant(bot)
    genuine = init_data(leader_user(LEADER), DEFAULT_TOKEN)
    forged = genuine.replace("%3A9001", "%3A9002")
    assert forged != genuine
    expired = init_data(leader_user(LEADER), DEFAULT_TOKEN, auth_date=int(time.time()) - 7200)
    other_bot = init_data(leader_user(LEADER), "111:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    for path in ("api/session", "api/today", "api/participants", f"api/participants/{MINJI}"):
        for raw, status in ((forged, 401), (expired, 401), (other_bot, 401), ("", 401)):
            code, body = await web.call(path, raw=raw)
            assert code == status and set(body) == {"error"}, (path, raw)
        code, body = await web.call(path, user_id=MINJI)  # a participant's genuine initData
        assert code == 403 and set(body) == {"error"}
        assert "김민지" not in str(body)
    code, _ = await web.call(f"api/applications/{MINJI}/approve", raw=forged, body={})
    assert code == 401
    async with web.session.get(web.base + "api/today") as response:  # no header at all
        assert response.status == 401


async def test_the_page_is_served_with_a_strict_content_security_policy(web):
    async with web.session.get(web.base) as response:
        page = await response.text()
        policy = response.headers["Content-Security-Policy"]
    assert response.status == 200 and "console.js" in page
    assert "script-src 'self' https://telegram.org" in policy
    assert "unsafe-inline" not in policy and "default-src 'none'" in policy
    assert "img-src 'self' blob: data: http://127.0.0.1:9" in policy
    async with web.session.get(web.base + "static/console.js") as response:
        assert response.status == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_leader_approves_from_the_console_as_from_the_card(web):
    bot = web.bot
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI, "민지")
    await bot.apply(minji, name="김민지")
    code, today = await web.call("api/today")
    assert code == 200 and today["counts"]["pending"] == 1
    assert today["applications"][0]["name"] == "김민지"
    assert today["applications"][0]["volunteer_id"] == "minji1365"

    code, answer = await web.call(f"api/applications/{MINJI}/approve", body={})
    assert (code, answer) == (200, {"outcome": "done"})
    async with bot.services.database.transaction() as conn:
        person = await participants.get(conn, MINJI)
    assert person.status == "approved" and person.decided_by == LEADER
    assert "승인" in bot.last_text(MINJI)
    # Every leader's card shows the decision and lost its buttons, as after a press.
    for leader in leaders:
        edits = [
            c
            for c in bot.tg.calls_of("editMessageText")
            if c.params["chat_id"] == leader["id"] and "김민지" in c.params["text"]
        ]
        assert edits and "reply_markup" not in edits[-1].params
    _, answer = await web.call(f"api/applications/{MINJI}/reject", body={"reason": "x"})
    assert answer == {"outcome": "unchanged"}


async def test_a_rejection_from_the_console_carries_the_reason_to_the_applicant(web):
    bot = web.bot
    await bot.open_leader_chats()
    await bot.apply(bot.person(MINJI, "민지"), name="김민지")
    reason = "익산 거주자만 참여할 수 있어요 <b>확인</b>"
    _code, answer = await web.call(f"api/applications/{MINJI}/reject", body={"reason": reason})
    assert answer == {"outcome": "done"}
    assert "익산 거주자만 참여할 수 있어요 <b>확인</b>" in bot.last_text(MINJI)


async def test_revoke_and_restore_from_the_grid_update_the_feed_and_tell_the_participant(web):
    bot = web.bot
    minji = await _participant(bot)
    await bot.certify(minji)
    _, today = await web.call("api/today")
    item = today["certifications"]["items"][0]
    assert item["name"] == "김민지" and item["photos"] == ["start", "end"]
    assert item["status"] == "accepted" and item["start"] == "19:00"
    cert_id = item["id"]

    _, answer = await web.call(f"api/certifications/{cert_id}/revoke", body={"reason": ""})
    assert answer["outcome"] == "invalid" and answer["message"] == bot.t("web-reason-needed")
    _, answer = await web.call(
        f"api/certifications/{cert_id}/revoke", body={"reason": "다른 날 찍은 사진"}
    )
    assert answer == {"outcome": "done"}
    assert "다른 날 찍은 사진" in bot.last_text(MINJI)
    feed_edit = bot.tg.calls_of("editMessageCaption")[-1]  # the feed post is a picture
    assert feed_edit.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == (
        f"rev:restore:{cert_id}"
    )
    async with bot.services.database.transaction() as conn:
        last = await reviews.last_for(conn, cert_id)
    assert last.action == "revoked" and last.leader_id == LEADER
    _, today = await web.call("api/today")
    assert today["certifications"]["items"][0]["reason"] == "다른 날 찍은 사진"
    assert today["counts"]["certified"] == 0 and today["counts"]["revoked"] == 1

    _, answer = await web.call(f"api/certifications/{cert_id}/restore", body={})
    assert answer == {"outcome": "done"}
    assert (
        bot.tg.calls_of("editMessageCaption")[-1].params["reply_markup"]["inline_keyboard"][0][0][
            "callback_data"
        ]
        == f"rev:revoke:{cert_id}"
    )
    _, answer = await web.call(f"api/certifications/{cert_id}/restore", body={})
    assert answer == {"outcome": "unchanged"}
    _code, answer = await web.call("api/certifications/99999/restore", body={})
    assert answer == {"outcome": "unknown"}


async def test_a_certification_revoked_before_its_feed_post_is_posted_once_it_is_restored(web):
    bot = web.bot
    minji = await _participant(bot)
    await bot.certify(minji, skip_note=False)  # her note step is open: nothing posted yet
    _, today = await web.call("api/today")
    cert_id = today["certifications"]["items"][0]["id"]
    _, answer = await web.call(
        f"api/certifications/{cert_id}/revoke", body={"reason": "다른 날 찍은 사진"}
    )
    assert answer == {"outcome": "done"}
    await bot.post_feed()
    assert bot.tg.calls_of("sendPhoto") == []  # a revoked certification is not posted

    _, answer = await web.call(f"api/certifications/{cert_id}/restore", body={})
    assert answer == {"outcome": "done"}
    # The outbox's next look sends it: the restore does not leave it to the feed job's.
    await bot.post_feed()
    posts = [c for c in bot.tg.calls_of("sendPhoto") if int(c.params["chat_id"]) == LEADER]
    assert len(posts) == 1 and "김민지" in posts[0].params["caption"]
    buttons = posts[0].params["reply_markup"]["inline_keyboard"][0]
    assert [b["callback_data"] for b in buttons] == [f"rev:revoke:{cert_id}"]
    # It is the certification's post now: a second revocation shows on it.
    await web.call(f"api/certifications/{cert_id}/revoke", body={"reason": "다시 보니 달라요"})
    shown = bot.tg.message(LEADER, posts[0].result["message_id"])
    assert shown is not None
    assert shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == (
        f"rev:restore:{cert_id}"
    )


async def test_photos_reach_the_page_re_encoded_without_metadata(web):
    bot = web.bot
    minji = await _participant(bot)
    await bot.say(minji, "/certify")
    await bot.send_file(minji, photo_taken_at(3, bot.now))
    bot.advance(minutes=15)
    await bot.send_photo(minji)
    _, today = await web.call("api/today")
    cert_id = today["certifications"]["items"][0]["id"]
    code, data = await web.call(f"api/photo/{cert_id}/start")
    assert code == 200
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG" and not picture.getexif()
    code, _ = await web.call(f"api/photo/{cert_id}/start", user_id=MINJI)
    assert code == 403
    # No Telegram file URL (it holds the token) ever reaches the page.
    _, page = await web.call("api/today")
    assert DEFAULT_TOKEN not in str(page) and "file/bot" not in str(page)


async def test_a_leader_finds_a_participant_and_pauses_and_resumes_them(web):
    bot = web.bot
    await _participant(bot)
    await _participant(bot, 1002, "박서준")
    _, table = await web.call("api/participants?q=" + "민지")
    assert [p["name"] for p in table["items"]] == ["김민지"] and table["total"] == 1
    _, table = await web.call("api/participants?sort=name&desc=1")
    assert [p["name"] for p in table["items"]] == ["박서준", "김민지"]
    _, table = await web.call("api/participants?q=%25")  # LIKE wildcards are literal
    assert table["total"] == 0
    _, person = await web.call(f"api/participants/{MINJI}")
    assert person["name"] == "김민지" and person["affiliation"] == "익산고등학교"
    assert len(person["calendar"]) == 50

    _, answer = await web.call(f"api/participants/{MINJI}/pause", body={"text": "휴식"})
    assert answer == {"outcome": "done"}
    assert bot.last_text(MINJI) == bot.t("participant-told-paused", reason="휴식")
    _, table = await web.call("api/participants?status=paused")
    assert [p["id"] for p in table["items"]] == [MINJI]
    _, answer = await web.call(f"api/participants/{MINJI}/resume", body={})
    assert answer == {"outcome": "done"}
    assert bot.last_text(MINJI) == bot.t("participant-told-resumed")
    _, answer = await web.call(f"api/participants/{MINJI}/name", body={"text": ""})
    assert answer["outcome"] == "invalid"
    _, answer = await web.call(f"api/participants/{MINJI}/name", body={"text": "김민지나"})
    assert answer == {"outcome": "done"}
    _code, person = await web.call(f"api/participants/{MINJI}")
    assert person["name"] == "김민지나"


async def test_a_risk_report_is_on_the_map_and_forwarded_from_the_console(web):
    bot = web.bot
    minji = await _participant(bot)
    await bot.say(minji, "/report")
    await bot.press(minji, "risk:cat:light")
    await bot.send(bot.factory.location(minji, 35.94812, 126.95761))
    await bot.send_photo(minji)
    await bot.say(minji, "골목 입구 보안등이 꺼져 있어요 <script>")
    _, listed = await web.call("api/risks")
    report = listed["items"][0]
    assert report["latitude"] == 35.94812 and report["category"] == "light"
    assert report["description"] == "골목 입구 보안등이 꺼져 있어요 <script>"
    _, answer = await web.call(
        f"api/risks/{report['id']}/forward", body={"agency": 0, "name": "엉뚱한 기관"}
    )
    assert answer["outcome"] == "invalid"
    _, answer = await web.call(
        f"api/risks/{report['id']}/forward", body={"agency": 0, "name": "시청 시설관리팀"}
    )
    assert answer == {"outcome": "done"}
    assert "시청 시설관리팀" in bot.last_text(MINJI)
    async with bot.services.database.transaction() as conn:
        trail = await risks.steps(conn, report["id"])
    assert [(s.action, s.actor_id) for s in trail][-1] == ("forwarded", LEADER)
    _, answer = await web.call(f"api/risks/{report['id']}/resolve", body={"text": "교체 완료"})
    assert answer == {"outcome": "done"} and "교체 완료" in bot.last_text(MINJI)
    _, listed = await web.call("api/risks?status=resolved")
    assert [r["id"] for r in listed["items"]] == [report["id"]]
    code, data = await web.call(f"api/risk-photo/{report['id']}")
    assert code == 200 and data[:2] == b"\xff\xd8"


async def test_stats_and_an_export_download_through_a_short_lived_link(web):
    bot = web.bot
    minji = await _participant(bot)
    await bot.certify(minji)
    _, figures = await web.call("api/stats")
    assert figures["today"] == 1 and figures["top"][0]["name"] == "김민지"
    _, link = await web.call("api/exports/hours-xlsx", body={})
    async with web.session.get(web.base + link["url"]) as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        workbook = load_workbook(io.BytesIO(await response.read()))
    assert any("김민지" in str(c.value) for row in workbook.worksheets[0].iter_rows() for c in row)
    forged = link["url"].replace("hours-xlsx", "hours-csv", 1)
    async with web.session.get(web.base + forged) as response:
        assert response.status == 401
    code, chart = await web.call("api/chart.png")
    assert code == 200 and chart.startswith(b"\x89PNG")
    # The same picture as /stats in chat (its total and daily average included).
    leaders = await bot.open_leader_chats()
    sent = len(bot.tg.calls_of("sendPhoto"))
    await bot.say(leaders[0], "/stats")
    (in_chat,) = bot.tg.calls_of("sendPhoto")[sent:]
    assert next(iter(in_chat.files.values())).data == chart


async def test_a_leader_who_sends_too_many_requests_is_slowed_down(web):
    codes = []
    raw = init_data(leader_user(LEADER), DEFAULT_TOKEN)
    for _ in range(400):
        code, _ = await web.call("api/session", raw=raw)
        codes.append(code)
        if code == 429:
            break
    assert codes[-1] == 429 and codes[0] == 200
    code, _ = await web.call("api/session", user_id=LEADER_IDS[1])  # the other leader is not
    assert code == 200


async def test_console_command_opens_the_mini_app_and_sets_the_menu_button(web):
    bot = web.bot
    leaders = await bot.open_leader_chats()
    await bot.say(leaders[0], "/console")
    message = bot.tg.last_sent_message(LEADER)
    button = message["reply_markup"]["inline_keyboard"][0][0]
    assert button["web_app"] == {"url": URL}
    menus = [c for c in bot.tg.calls_of("setChatMenuButton") if c.params["chat_id"] == LEADER]
    assert menus and "web_app" in str(menus[-1].params["menu_button"])
    await bot.say(bot.person(MINJI), "/console")
    assert bot.last_text(MINJI) == bot.t("leaders-only")


async def test_without_console_url_the_command_says_how_to_enable_it(bot):
    leaders = await bot.open_leader_chats()
    await bot.say(leaders[0], "/console")
    assert bot.last_text(LEADER) == bot.t("console-not-enabled")
    assert bot.services.console is None


async def test_a_decision_taken_in_chat_shows_in_the_console(web):
    bot = web.bot
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI, "민지")
    await bot.apply(minji, name="김민지")
    await bot.approve(minji, leaders[1])
    _, today = await web.call("api/today")
    assert today["counts"]["pending"] == 0 and today["applications"] == []
    _, answer = await web.call(f"api/applications/{MINJI}/approve", body={})
    assert answer == {"outcome": "unchanged"}


def test_console_settings_need_an_https_url_and_a_usable_address():
    from bot.config_error import ConfigError
    from bot.settings import load_settings

    base = {"BOT_TOKEN": DEFAULT_TOKEN}
    assert load_settings(base, env_file=None).console is None
    console = load_settings({**base, "CONSOLE_URL": URL}, env_file=None).console
    assert console == Console(URL, "127.0.0.1", 8081, 3600, console.tile_url)
    assert "openstreetmap" in console.tile_url
    for wrong in (
        {"CONSOLE_URL": "http://console.example.org/"},
        {"CONSOLE_URL": "https://console.example.org/?x=1"},
        {"CONSOLE_LISTEN": "127.0.0.1:8081"},
        {"CONSOLE_URL": URL, "CONSOLE_LISTEN": "8081"},
        {"CONSOLE_URL": URL, "CONSOLE_MAX_AGE": "10"},
        {"CONSOLE_URL": URL, "CONSOLE_TILE_URL": "https://tiles.example.org/tile.png"},
    ):
        with pytest.raises(ConfigError):
            load_settings({**base, **wrong}, env_file=None)


async def test_a_participant_with_a_long_telegram_id_has_a_page(web):
    bot = web.bot
    await _participant(bot, 7_123_456_789, "이수아")
    _, person = await web.call("api/participants/7123456789")
    assert person["name"] == "이수아"


async def test_rewards_are_marked_handed_out_once_as_from_the_chat(web):
    bot = web.bot
    minji = await _participant(bot)
    await bot.certify(minji)
    _, answer = await web.call(f"api/participants/{MINJI}/handout", body={"reward": "letter"})
    assert answer == {"outcome": "done"}
    _, answer = await web.call(f"api/participants/{MINJI}/handout", body={"reward": "letter"})
    assert answer == {"outcome": "unchanged"}
    _, answer = await web.call(f"api/participants/{MINJI}/handout", body={"reward": "milestone:20"})
    assert answer == {"outcome": "unknown"}  # 1 certification: the badge is not earned yet
    _, figures = await web.call("api/stats")
    assert figures["top"][0]["letter"] is True
    _, person = await web.call(f"api/participants/{MINJI}")
    assert person["letter"] is True and person["rewards"][0]["reached"] is False


async def test_the_table_shows_and_sorts_by_the_counts_of_the_round_and_in_total(web):
    bot = web.bot
    minji = await _participant(bot)
    await _participant(bot, 1002, "박서준")
    await bot.certify(minji)
    for query in ("sort=total&desc=1", "sort=round&desc=1", "sort=name"):
        _, table = await web.call("api/participants?" + query)
        counts = {
            p["name"]: (p["in_round"], p["total"], p["hours"], p["carried"]) for p in table["items"]
        }
        assert counts == {"김민지": (1, 1, 0, 30), "박서준": (0, 0, 0, 0)}, query
    _, table = await web.call("api/participants?sort=total&desc=1")
    assert [p["name"] for p in table["items"]] == ["김민지", "박서준"]
    _, table = await web.call("api/participants?sort=total")
    assert [p["name"] for p in table["items"]] == ["박서준", "김민지"]


async def test_the_console_speaks_the_leaders_language(web):
    bot = web.bot
    raw = init_data(leader_user(LEADER, "Officer", "en"), DEFAULT_TOKEN)
    _, session = await web.call("api/session", raw=raw)
    assert session["language"] == "en"
    assert session["texts"]["web-tab-today"] == bot.t("web-tab-today", "en") == "Today"
    _, session = await web.call("api/session")
    assert session["texts"]["web-tab-today"] == "오늘"
    assert all("<" not in text for text in session["texts"].values())


async def test_an_iphone_heic_and_a_rotated_jpeg_reach_the_page_as_upright_jpegs(tmp_path):
    document = campaign_document()
    document["rounds"] = [{"name": "1차", "start": date(2021, 4, 1), "days": 50}]
    document["theme_missions"] = []
    bot = await start_harness(
        tmp_path, parse_campaign(document), kst("2021-04-12", "19:00"), console=console_settings()
    )
    try:
        leaders = await bot.open_leader_chats()
        member = bot.person(MINJI)
        await bot.join(member, leaders[0])
        await bot.say(member, "/certify")
        await bot.send_file(member, real_photo("IMG_5195.HEIC"), "IMG_5195.HEIC", "image/heic")
        bot.advance(minutes=15)
        await bot.send_file(member, real_photo("Landscape_6.jpg"), "Landscape_6.jpg")
        async with aiohttp.ClientSession() as session:
            web = Client(bot, session)
            _, today = await web.call("api/today")
            cert_id = today["certifications"]["items"][0]["id"]
            sizes = []
            for role in ("start", "end"):
                code, data = await web.call(f"api/photo/{cert_id}/{role}")
                picture = Image.open(io.BytesIO(data))
                assert code == 200 and picture.format == "JPEG" and not picture.getexif()
                sizes.append(picture.size)
        # At most 1280 px, portrait HEIC stays portrait, orientation 6 applied to the JPEG.
        assert sizes == [(991, 1280), (1280, 853)]
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_a_locked_store_answers_try_again_and_the_console_recovers(web):
    from tests.test_store_unavailable import OtherProcessLock, _impatient_store

    bot = web.bot
    await _participant(bot)
    await _impatient_store(bot)
    with OtherProcessLock(bot.services.settings.database_path):
        # Reading pages never wait for the writer (WAL); a decision needs the write lock.
        code, body = await web.call("api/today")
        assert code == 200 and body["counts"]["pending"] == 0
        code, body = await web.call(f"api/applications/{MINJI}/approve", body={})
        assert (code, body) == (503, {"error": "store busy"})
    code, _ = await web.call("api/today")
    assert code == 200
