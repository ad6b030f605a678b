"""The camera page in a real browser: Debian's headless chromium with its fake camera (a
baseline JPEG with even sides, renamed ``.mjpeg``, shown as the camera's picture), served by
``python -m bot`` against the fake Bot API over HTTP and opened from the chat's button with
initData signed as Telegram signs it. Each photo comes from its own browser launch (the fake
camera shows one picture, and the end photo must not be the start photo again). Screenshots
go to /tmp/camera-shots/ (not committed).

The time from the tap to the bot's reply and the upload's size are printed (``-s`` shows them);
they are figures of this machine, not assertions."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.fakes import FakeBotApiServer, FakeTelegram, UpdateFactory
from tests.fakes.process import LEADER, BotProcess
from tests.fakes.webapp import init_data, leader_user
from tests.support import free_port, scene_photo
from tests.test_console_browser import World

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path("/tmp/camera-shots")
SEOJUN, JIHO = 1002, 1003

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="pip install playwright (the browser tests drive chromium)"
)
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no {CHROMIUM}: apt-get install -y chromium"),
    pytest.mark.timeout(300),
]
BASE_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, str, Path]]:
    folder = tmp_path_factory.mktemp("camera")
    telegram = FakeTelegram()
    factory = UpdateFactory(telegram, now=datetime.now(UTC))
    port = free_port()
    with FakeBotApiServer(telegram) as server:
        bot = BotProcess(server, folder)
        bot.env.update(
            CONSOLE_URL="https://console.example.org/console/",
            CONSOLE_LISTEN=f"127.0.0.1:{port}",
        )
        bot.start()
        try:
            world = World(server, factory, bot)
            leader = factory.user(LEADER, "경위")
            world.text(leader, "/start", "안녕하세요")
            people = ((SEOJUN, "박서준", "남성고등학교"), (JIHO, "이지호", "이리고등학교"))
            for user_id, name, school in people:
                world.apply(factory.user(user_id, name[1:]), name, school)
                world.press(leader, f"decide:approve:{user_id}", "승인")
            yield world, f"http://127.0.0.1:{port}/console/", folder
        finally:
            if bot.process is not None:
                bot.stop()
    log = bot.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]


def _fake_camera(folder: Path, seed: int) -> Path:
    """A baseline JPEG with even sides, named .mjpeg: what chromium's fake camera reads."""
    path = folder / f"camera-{seed}.mjpeg"
    path.write_bytes(scene_photo(seed, (640, 480)))
    return path


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    with playwright_api.sync_playwright() as running:
        yield running


def _browser(playwright: Any, camera: Path | None, *, allow: bool = True) -> Any:
    args = [*BASE_ARGS, "--use-fake-device-for-media-stream"]
    if camera is not None:
        args.append(f"--use-file-for-fake-video-capture={camera}")
    if allow:
        args.append("--use-fake-ui-for-media-stream")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)


def _camera_url(world: World, user_id: int) -> str:
    """The web_app button's address, as the bot put it under its last photo prompt."""
    for message in reversed(world.server.telegram.sent_messages(user_id)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for row in rows:
            for button in row:
                if "web_app" in button:
                    return str(button["web_app"]["url"])
    raise AssertionError("no camera button in the chat")


def _open(browser: Any, url: str, data: str, platform: str = "android") -> Any:
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route("https://telegram.org/**", lambda route: route.abort())
    fragment = f"tgWebAppData={quote(data, safe='')}&tgWebAppVersion=8.0"
    page.goto(f"{url}#{fragment}&tgWebAppPlatform={platform}")
    return page


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _local(url: str, base: str) -> str:
    """The button's public https:// address, served here by the bot itself."""
    return url.replace("https://console.example.org/console/", base)


def _take(world: World, page: Any, user_id: int, expect: str) -> tuple[float, int]:
    page.locator("#shoot:not([disabled])").wait_for()
    _shot(page, f"live-{user_id}")
    since = world.server.mark()
    tapped = time.perf_counter()
    page.locator("#shoot").click()
    world.reply(user_id, since, expect)
    seconds = time.perf_counter() - tapped
    page.locator("body[data-sent='yes']").wait_for()
    return seconds, int(page.locator("body").get_attribute("data-upload-bytes") or 0)


def test_a_participant_takes_both_photos_on_the_camera_page_and_is_certified(world, playwright):
    world, base, folder = world
    seojun = world.factory.user(SEOJUN, "서준")
    world.text(seojun, "/certify", "시작 사진")
    button_url = _camera_url(world, SEOJUN)
    assert button_url == "https://console.example.org/console/camera/"
    url = _local(button_url, base)
    data = init_data(leader_user(SEOJUN, "서준"), world.server.token)
    figures = []
    for seed, expect in ((31, "시작 사진"), (32, "인증 완료")):
        browser = _browser(playwright, _fake_camera(folder, seed))
        try:
            page = _open(browser, url, data)
            expected_role = "시작 사진" if seed == 31 else "종료 사진"
            page.locator("#role", has_text=expected_role).wait_for()
            figures.append(_take(world, page, SEOJUN, expect))
            assert "보냈어요" in page.locator("#status").inner_text()
            _shot(page, f"sent-{seed}")
        finally:
            browser.close()
    rows = world.bot.query(
        "SELECT p.role, p.from_camera, c.status FROM photos p "
        "JOIN certifications c ON c.id = p.certification_id WHERE p.sender_id = ? ORDER BY p.id",
        SEOJUN,
    )
    assert rows == [("start", 1, "accepted"), ("end", 1, "accepted")]
    for (seconds, size), role in zip(figures, ("start", "end"), strict=True):
        print(f"\n{role} photo: tap to the bot's reply {seconds * 1000:.0f} ms, {size} bytes")


def test_a_denied_camera_shows_how_to_allow_it(world, playwright):
    world, base, folder = world
    browser = _browser(playwright, _fake_camera(folder, 41), allow=False)
    try:
        page = _open(browser, base + "camera/", _jiho(world))
        page.locator("#help:not([hidden])").wait_for()
        help_text = page.locator("#help").inner_text()
        assert "설정 → 애플리케이션 → Telegram → 권한 → 카메라" in help_text
        assert "설정 → Telegram → 카메라" in help_text
        assert page.locator("#retry").is_visible()
        assert page.locator("input[type=file]").count() == 0
        _shot(page, "denied")
    finally:
        browser.close()


def test_telegram_desktop_is_asked_to_use_the_phone(world, playwright):
    world, base, folder = world
    browser = _browser(playwright, _fake_camera(folder, 42))
    try:
        page = _open(browser, base + "camera/", _jiho(world), "tdesktop")
        page.locator("#status", has_text="휴대폰 텔레그램에서").wait_for()
    finally:
        browser.close()


def test_a_forged_sign_in_takes_nothing(world, playwright):
    world, base, folder = world
    forged = _jiho(world).replace("%3A1003", "%3A1002")
    assert forged != _jiho(world)
    browser = _browser(playwright, _fake_camera(folder, 43))
    try:
        page = _open(browser, base + "camera/", forged)
        page.locator("#status", has_text="승인된 참여자만").wait_for()
        assert page.locator("#shoot").is_disabled()
    finally:
        browser.close()


def _jiho(world: World) -> str:
    """Jiho's initData, with a certification of his waiting for its start photo."""
    world.text(world.factory.user(JIHO, "지호"), "/certify", "시작 사진")
    return init_data(leader_user(JIHO, "지호"), world.server.token)


def test_where_the_camera_is_required_a_denied_camera_also_points_to_a_leader(tmp_path, playwright):
    telegram = FakeTelegram()
    factory = UpdateFactory(telegram, now=datetime.now(UTC))
    port = free_port()
    with FakeBotApiServer(telegram) as server:
        bot = BotProcess(server, tmp_path, '\n[fairness]\ncamera = "required"\n')
        bot.env.update(
            CONSOLE_URL="https://console.example.org/console/",
            CONSOLE_LISTEN=f"127.0.0.1:{port}",
        )
        bot.start()
        try:
            world = World(server, factory, bot)
            leader, jiho = factory.user(LEADER, "경위"), factory.user(JIHO, "지호")
            world.text(leader, "/start", "안녕하세요")
            world.apply(jiho, "이지호", "이리고등학교")
            world.press(leader, f"decide:approve:{JIHO}", "승인")
            world.text(jiho, "/certify", "시작 사진")
            # A photo sent in the chat is answered with the camera button.
            world.step(
                factory.photo_from_bytes(telegram, jiho, scene_photo(51)), JIHO, "카메라 페이지"
            )
            assert _camera_url(world, JIHO) == "https://console.example.org/console/camera/"
            browser = _browser(playwright, _fake_camera(tmp_path, 52), allow=False)
            try:
                data = init_data(leader_user(JIHO, "지호"), server.token)
                page = _open(browser, f"http://127.0.0.1:{port}/console/camera/", data)
                page.locator("#help:not([hidden])").wait_for()
                assert (
                    "리더에게 채팅 사진 허용을 부탁해 주세요" in page.locator("#help").inner_text()
                )
                _shot(page, "denied-required")
            finally:
                browser.close()
        finally:
            bot.stop()
