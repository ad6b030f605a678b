"""The leaders' console in a real browser (Debian's headless chromium, driven by Playwright),
served by ``python -m bot`` against the fake Bot API over HTTP, opened with initData signed the
way Telegram signs it and passed in the URL fragment as Telegram does. Map tiles come from a
local fake tile server. A screenshot of every page goes to /tmp/console-shots/ (not committed).

CI needs: ``apt-get install -y chromium`` and ``pip install playwright`` (never
``playwright install``: the browser is Debian's)."""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from PIL import Image, ImageDraw

from tests.fakes import FakeBotApiServer, FakeTelegram, UpdateFactory
from tests.fakes.process import LEADER, BotProcess
from tests.fakes.webapp import init_data, leader_user
from tests.support import free_port, scene_photo
from tests.test_end_to_end import _press, _reply, _step

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path("/tmp/console-shots")
MINJI, SEOJUN, JUNHO = 1001, 1002, 1003
# Long unbroken words (a name of 40 letters, the most the form takes; a long school name): no
# page may scroll sideways on a phone, and no card may let them run out of it.
LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffjunho"
LONG_SCHOOL = "Iksanhighschoolofscienceandtechnologyandthearts"

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="pip install playwright (the browser tests drive chromium)"
)
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no {CHROMIUM}: apt-get install -y chromium"),
    pytest.mark.timeout(300),
]


def _tile() -> bytes:
    """A 256 px tile: a pale street grid, so a screenshot shows where tiles are."""
    image = Image.new("RGB", (256, 256), (236, 232, 222))
    draw = ImageDraw.Draw(image)
    for x in range(0, 256, 64):
        draw.line((x, 0, x, 256), fill=(255, 255, 255), width=6)
        draw.line((0, x, 256, x), fill=(255, 255, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class TileServer:
    """Serves the same PNG for every ``/{z}/{x}/{y}.png`` and counts the requests."""

    def __init__(self) -> None:
        tile, owner = _tile(), self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class World:
    def __init__(self, server: FakeBotApiServer, factory: UpdateFactory, bot: BotProcess) -> None:
        self.server, self.factory, self.bot = server, factory, bot

    def step(self, update: dict[str, Any], chat_id: int, expect: str) -> str:
        return _step(self.server, self.factory, update, chat_id, expect)

    def reply(self, chat_id: int, since: int, expect: str) -> str:
        return str(_reply(self.server, chat_id, since, expect))

    def press(self, user: dict[str, Any], data: str, expect: str) -> str:
        return _press(self.server, self.factory, user, data, expect)

    def text(self, user: dict[str, Any], text: str, expect: str) -> str:
        return self.step(self.factory.text(user, text), user["id"], expect)

    def apply(self, user: dict[str, Any], name: str, school: str) -> None:
        self.text(user, "/start", "안녕하세요")
        self.press(user, "apply:begin", "이름")
        self.text(user, name, "어디에 해당")
        self.press(user, "apply:category:high", "학교")
        self.text(user, school, "동")
        self.text(user, "영등동", "1365")
        self.text(user, f"{user['id']}id", "개인정보")
        since = self.server.mark()
        self.press(user, "apply:consent:yes", "접수")
        self.reply(LEADER, since, name)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, str, TileServer]]:
    folder = tmp_path_factory.mktemp("console")
    telegram = FakeTelegram()
    factory = UpdateFactory(telegram, now=datetime.now(UTC))
    port = free_port()
    with TileServer() as tiles, FakeBotApiServer(telegram) as server:
        bot = BotProcess(server, folder)
        bot.env.update(
            CONSOLE_URL="https://console.example.org/console/",
            CONSOLE_LISTEN=f"127.0.0.1:{port}",
            CONSOLE_TILE_URL=f"http://127.0.0.1:{tiles.port}/{{z}}/{{x}}/{{y}}.png",
        )
        bot.start()
        try:
            world = World(server, factory, bot)
            _seed(world)
            yield world, f"http://127.0.0.1:{port}/console/", tiles
        finally:
            if bot.process is not None:
                bot.stop()
    log = bot.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
    assert server.token not in log


def _seed(world: World) -> None:
    """Seojun is approved in chat and certifies, then reports a dark alley on the map; Junho
    (a very long name) certifies too; Minji's application waits for the console."""
    factory, server = world.factory, world.server
    leader = factory.user(LEADER, "경위")
    seojun = factory.user(SEOJUN, "서준")
    minji = factory.user(MINJI, "민지")
    world.text(leader, "/start", "안녕하세요")
    world.apply(seojun, "박서준", "남성고등학교")
    world.press(leader, f"decide:approve:{SEOJUN}", "승인")
    world.text(seojun, "/certify", "시작 사진")
    world.step(
        factory.photo_from_bytes(server.telegram, seojun, scene_photo(21)), SEOJUN, "시작 사진"
    )
    world.step(
        factory.photo_from_bytes(server.telegram, seojun, scene_photo(22)), SEOJUN, "인증 완료"
    )
    world.text(seojun, "/report", "불안한 곳을 알려")
    world.press(seojun, "risk:cat:alley", "위치")
    world.step(factory.location(seojun, 35.94812, 126.95761), SEOJUN, "사진")
    world.step(
        factory.photo_from_bytes(server.telegram, seojun, scene_photo(23)), SEOJUN, "어떤 상황"
    )
    world.text(seojun, "골목 안쪽이 너무 어두워요 <b>밤 10시</b>", "제보를 받았어요")
    # Two more a few dozen metres away: together they make a cluster on the map.
    for latitude, longitude, category in (
        (35.9484, 126.9579, "light"),
        (35.9479, 126.9573, "cctv"),
    ):
        world.text(seojun, "/report", "불안한 곳을 알려")
        world.press(seojun, f"risk:cat:{category}", "위치")
        world.step(factory.location(seojun, latitude, longitude), SEOJUN, "사진")
        world.press(seojun, "risk:skipphoto", "어떤 상황")
        world.text(seojun, f"{category} 신고", "제보를 받았어요")
    junho = factory.user(JUNHO, "Junho")
    world.apply(junho, LONG_NAME, LONG_SCHOOL)
    world.press(leader, f"decide:approve:{JUNHO}", "승인")
    world.text(junho, "/certify", "시작 사진")
    world.step(
        factory.photo_from_bytes(server.telegram, junho, scene_photo(31)), JUNHO, "시작 사진"
    )
    world.step(
        factory.photo_from_bytes(server.telegram, junho, scene_photo(32)), JUNHO, "인증 완료"
    )
    world.apply(minji, "김민지", "익산고등학교")


def _open(browser: Any, url: str, data: str, **context: Any) -> Any:
    context.setdefault("locale", "ko-KR")
    page = browser.new_context(accept_downloads=True, **context).new_page()
    # No internet in the tests: telegram-web-app.js cannot load, and the page must not need it.
    page.route("https://telegram.org/**", lambda route: route.abort())
    fragment = f"tgWebAppData={quote(data, safe='')}&tgWebAppVersion=8.0&tgWebAppPlatform=tdesktop"
    page.goto(f"{url}#{fragment}")
    return page


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _certification_status(world: World) -> str:
    rows = world.bot.query("SELECT status FROM certifications WHERE participant_id = ?", SEOJUN)
    assert len(rows) == 1
    return str(rows[0][0])


def _token(world: World) -> str:
    return world.server.token


def test_a_leader_approves_and_revokes_and_restores_from_the_today_page(world, browser):
    world, url, _ = world
    page = _open(browser, url, init_data(leader_user(LEADER), _token(world)))
    card = page.locator("article.application", has_text="김민지")
    card.wait_for()
    assert "익산고등학교" in card.inner_text()
    grid_card = page.locator("article.cert", has_text="박서준")
    grid_card.wait_for()
    page.locator("article.cert img.loaded").nth(1).wait_for()
    _shot(page, "1-today")

    since = world.server.mark()
    card.get_by_role("button", name="승인").click()
    world.reply(MINJI, since, "승인")
    page.locator("article.application").wait_for(state="detached")
    assert world.bot.query("SELECT status FROM participants WHERE user_id = ?", MINJI) == [
        ("approved",)
    ]

    grid_card.get_by_role("button", name="인증 취소").click()
    page.locator("#ask-input").fill("다른 날 찍은 사진이에요")
    since = world.server.mark()
    page.locator("#ask-ok").click()
    world.reply(SEOJUN, since, "다른 날 찍은 사진이에요")
    page.locator("article.cert.revoked").wait_for()
    _shot(page, "2-today-revoked")
    assert _certification_status(world) == "revoked"
    since = world.server.mark()
    page.locator("article.cert").get_by_role("button", name="되돌리기").click()
    # The feed post (a picture) offers Revoke again: its caption is edited, or, when the
    # revocation came before it went out (Seojun's note step was still open), the restore
    # sends it now rather than at the feed job's next look.
    world.server.wait_for(
        lambda c: (
            c.method in ("editMessageCaption", "editMessageText", "sendPhoto")
            and "rev:revoke" in str(c.params)
        ),
        since=since,
    )
    page.locator("article.cert:not(.revoked)", has_text="박서준").wait_for()
    assert _certification_status(world) == "accepted"


def test_a_leader_finds_a_participant_by_name_and_opens_their_page(world, browser):
    world, url, _ = world
    page = _open(browser, url, init_data(leader_user(LEADER), _token(world)))
    page.locator("#tab-people").click()
    page.locator("table.people tbody tr").first.wait_for()
    page.locator("#people-search").fill("서준")
    # (Playwright's wait_for_function evaluates a string, which the page's CSP forbids.)
    expect = playwright_api.expect
    expect(page.locator("table.people tbody tr")).to_have_count(1)
    expect(page.locator("table.people tbody")).to_contain_text("박서준")
    _shot(page, "3-participants")
    page.get_by_role("button", name="박서준").click()
    page.locator(".calendar .day.done").first.wait_for()
    assert "남성고등학교" in page.locator("main").inner_text()
    _shot(page, "4-person")


def test_a_leader_sees_the_report_on_the_map_and_forwards_it(world, browser, tmp_path):
    world, url, tiles = world
    page = _open(browser, url, init_data(leader_user(LEADER), _token(world)))
    page.locator("#tab-risks").click()
    page.locator(".marker-cluster").first.wait_for()  # three reports close together
    page.locator(".leaflet-tile-loaded").first.wait_for()
    assert tiles.requests > 0
    item = page.locator("li.risk", has_text="골목 안쪽이 너무 어두워요 <b>밤 10시</b>")
    item.wait_for()  # typed markup shows as typed, never as markup
    _shot(page, "5-risks-map")
    since = world.server.mark()
    item.get_by_role("button", name="기관에 연계").click()
    page.locator("#ask-input").select_option("0")
    page.locator("#ask-ok").click()
    world.reply(SEOJUN, since, "시청 시설관리팀")
    forwarded = "SELECT status, agency FROM risk_reports WHERE description LIKE '골목%'"
    assert world.bot.query(forwarded) == [("forwarded", "시청 시설관리팀")]


def test_without_tiles_the_reports_still_work_as_a_list(world, browser):
    world, url, tiles = world
    page = _open(browser, url, init_data(leader_user(LEADER), _token(world)))
    page.route(f"http://127.0.0.1:{tiles.port}/**", lambda route: route.abort())
    page.locator("#tab-risks").click()
    page.locator("#map-notice").wait_for(state="visible")
    assert page.locator("li.risk").count() == 3
    _shot(page, "6-risks-no-tiles")


def test_stats_page_and_an_export_that_opens(world, browser, tmp_path):
    world, url, _ = world
    page = _open(browser, url, init_data(leader_user(LEADER), _token(world)))
    page.locator("#tab-stats").click()
    page.locator("#ranking").wait_for()
    page.locator("img.chart.loaded").wait_for()
    _shot(page, "7-stats")
    with page.expect_download() as download:
        page.locator("#export-hours-xlsx").click()
    saved = tmp_path / "hours.xlsx"
    download.value.save_as(saved)
    rows = [
        [cell.value for cell in row]
        for sheet in load_workbook(saved).worksheets
        for row in sheet.iter_rows()
    ]
    assert any("박서준" in str(row) for row in rows)
    with page.expect_download() as download:
        page.locator("#export-reports-geojson").click()
    saved = tmp_path / "reports.geojson"
    download.value.save_as(saved)
    collection = json.loads(saved.read_text(encoding="utf-8"))
    assert [126.95761, 35.94812] in [f["geometry"]["coordinates"] for f in collection["features"]]


def test_the_today_page_on_a_phone_in_portrait(world, browser):
    world, url, _ = world
    page = _open(
        browser,
        url,
        init_data(leader_user(LEADER), _token(world)),
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page.locator("article.cert").first.wait_for()
    page.locator("article.cert img.loaded").nth(1).wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the side of a phone
    _shot(page, "8-today-phone")


PHONE = {"width": 360, "height": 740}


def _go(page: Any, where: str) -> None:
    """Open a page of the console and wait for what it shows."""
    if where == "today":
        page.locator("article.cert", has_text=LONG_NAME).wait_for()
    elif where == "people":
        page.locator("#tab-people").click()
        page.locator("table.people tbody tr", has_text=LONG_NAME).wait_for()
    elif where == "person":
        page.locator("#tab-people").click()
        page.get_by_role("button", name=LONG_NAME).click()
        page.locator(".calendar .day.done").first.wait_for()
    elif where == "risks":
        page.locator("#tab-risks").click()
        page.locator("li.risk").first.wait_for()
    elif where == "stats":
        page.locator("#tab-stats").click()
        page.locator("#ranking", has_text=LONG_NAME).wait_for()


@pytest.mark.parametrize("where", ["today", "people", "person", "risks", "stats"])
def test_every_page_fits_a_360_px_phone_with_long_names(world, browser, where):
    world, url, _ = world
    page = _open(
        browser,
        url,
        init_data(leader_user(LEADER), _token(world)),
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    _go(page, where)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    _shot(page, f"11-{where}-360")
    assert width <= PHONE["width"], f"the {where} page scrolls sideways: {width} px"


def test_a_long_unbroken_name_stays_inside_its_certification_card_on_a_desktop(world, browser):
    world, url, _ = world
    page = _open(
        browser,
        url,
        init_data(leader_user(LEADER), _token(world)),
        viewport={"width": 1280, "height": 800},
    )
    card = page.locator("article.cert", has_text=LONG_NAME)
    card.wait_for()
    box = card.bounding_box()
    name = card.get_by_role("button", name=LONG_NAME).bounding_box()
    assert box is not None and name is not None
    assert name["x"] + name["width"] <= box["x"] + box["width"], "the name runs out of its card"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280


@pytest.mark.parametrize("who", ["forged", "expired", "participant", "none"])
def test_forged_expired_or_participant_initdata_sees_nothing(world, browser, who):
    world, url, _ = world
    genuine = init_data(leader_user(LEADER), _token(world))
    data = {
        "forged": genuine.replace("%3A9001", "%3A1002"),
        "expired": init_data(
            leader_user(LEADER), _token(world), auth_date=int(datetime.now(UTC).timestamp()) - 7200
        ),
        "participant": init_data(leader_user(SEOJUN, "서준"), _token(world)),
        "none": "",
    }[who]
    page = _open(browser, url, data)
    page.locator("#refused").wait_for()
    shown = page.locator("body").inner_text()
    assert "리더만" in shown
    for secret in ("박서준", "김민지", "남성고등학교", "어두워요"):
        assert secret not in page.content()
    if who == "participant":
        _shot(page, "9-refused")


DARK = {
    "bg_color": "#17212b",
    "secondary_bg_color": "#0e1621",
    "section_bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "accent_text_color": "#6ab2f2",
    "destructive_text_color": "#ec3942",
}


def test_inside_telegram_the_page_takes_initdata_and_colours_from_the_web_app_object(
    world, browser
):
    """Telegram's script gives the page Telegram.WebApp (initData, themeParams); a stub stands
    in for it here, as telegram.org cannot be reached from the tests."""
    world, url, _ = world
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route("https://telegram.org/**", lambda route: route.abort())
    stub = {
        "initData": init_data(leader_user(LEADER), _token(world)),
        "themeParams": DARK,
        "colorScheme": "dark",
    }
    page.add_init_script(
        "window.Telegram = { WebApp: Object.assign("
        + json.dumps(stub)
        + ", { ready() {}, expand() {}, onEvent() {}, BackButton: {"
        + " show() { window.backShown = true; }, hide() { window.backShown = false; },"
        + " onClick(f) { window.backPressed = f; } } }) };"
    )
    page.goto(url)  # no fragment: the initData comes from the WebApp object
    page.locator("#tab-people").click()
    page.get_by_role("button", name="박서준").click()
    page.locator(".calendar").wait_for()
    assert page.evaluate("window.backShown") is True  # Telegram's back button, not the page's
    page.evaluate("window.backPressed()")
    page.locator("#people-search").wait_for()
    assert page.evaluate("window.backShown") is False
    page.locator("#tab-stats").click()
    page.locator("#ranking").wait_for()
    background = page.locator("body").evaluate("node => getComputedStyle(node).backgroundColor")
    assert background == "rgb(14, 22, 33)"  # secondary_bg_color
    _shot(page, "10-stats-dark-phone")
