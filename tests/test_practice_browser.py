"""Practice mode in a real browser (Debian's headless chromium, driven by Playwright): from the
practice page a participant applies, the leader approves with the card's button, the participant
certifies with two sample photos, the feed post appears in the group's pane, and the leader opens
the console from the chat's menu button and sees the certification. ``python -m bot practice``
runs as a real process with no token, exactly as a station's officer would start it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.practice.world import GROUP_ID, LEADER_ID, PARTICIPANT_ID, write_campaign_file
from tests.fakes.process import ROOT
from tests.support import free_port

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path("/tmp/practice-shots")

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="pip install playwright (the browser tests drive chromium)"
)
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no {CHROMIUM}: apt-get install -y chromium"),
    pytest.mark.timeout(300),
]
expect = playwright_api.expect
WAIT = 20_000  # ms


@pytest.fixture
def practice(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``python -m bot practice`` on a free port, its data in tmp_path; its page's address."""
    folder = tmp_path / "practice"
    # The practice campaign as the launcher writes it, but with no wait between the photos:
    # this test has no minute to spare.
    write_campaign_file(folder / "campaign.toml", min_minutes=0)
    port = free_port()
    log = tmp_path / "practice.log"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bot", "practice", "--port", str(port), "--no-browser"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--folder", str(folder)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while "Application started" not in log.read_text(encoding="utf-8", errors="replace"):
            assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
            assert time.monotonic() < deadline, "practice mode did not start"
            time.sleep(0.1)
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
        yield url, folder
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert "Bot API stand-in:" not in text, "the bot called something the spec does not have"


@pytest.fixture
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


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


class Pane:
    """One chat on the practice page, as a person uses it."""

    def __init__(self, page: Any, chat_id: int) -> None:
        self.page = page
        self.el = page.locator(f'section.pane[data-chat="{chat_id}"]')
        self.bot_messages = self.el.locator("li.from-bot")

    def then(self, action: Any, expect_text: str) -> None:
        """Do something, then wait for a new message from the bot that contains the words."""
        before = self.bot_messages.count()
        action()
        expect(self.bot_messages.nth(before)).to_be_attached(timeout=WAIT)
        expect(self.el.locator("li.from-bot", has_text=expect_text).last).to_be_visible(
            timeout=WAIT
        )

    def say(self, text: str, expect_text: str) -> None:
        def send() -> None:
            self.el.locator("input.text").fill(text)
            self.el.locator("button.send").click()

        self.then(send, expect_text)

    def press(self, data: str, expect_text: str) -> None:
        button = self.el.locator(f'button[data-callback="{data}"]').last
        expect(button).to_be_visible(timeout=WAIT)
        self.then(button.click, expect_text)

    def send_sample(self, name: str, expect_text: str) -> None:
        self.el.locator("select.sample").select_option(name)
        self.then(self.el.locator("button.send-sample-photo").click, expect_text)


def test_a_participant_applies_is_approved_certifies_and_the_leader_sees_it_in_the_console(
    practice: tuple[str, Path], browser: Any
) -> None:
    url, folder = practice
    context = browser.new_context(locale="ko-KR", viewport={"width": 1500, "height": 900})
    # No internet in the tests: the console's telegram-web-app.js and map tiles cannot load.
    context.route("https://**/*", lambda route: route.abort())
    page = context.new_page()
    page.goto(url)
    minji, leader = Pane(page, PARTICIPANT_ID), Pane(page, LEADER_ID)
    group = page.locator(f'section.pane[data-chat="{GROUP_ID}"]')
    expect(minji.el).to_be_visible(timeout=WAIT)

    minji.say("/start", "안녕하세요")
    minji.press("apply:begin", "이름")
    minji.say("김민지", "어디에 해당")
    minji.press("apply:category:high", "학교")
    minji.say("익산고등학교", "동")
    minji.say("영등동", "1365")
    minji.say("minji1365", "개인정보")
    leader_cards = leader.bot_messages.count()
    minji.press("apply:consent:yes", "접수")
    # The application card reaches the leader, with its approve button.
    expect(leader.bot_messages.nth(leader_cards)).to_contain_text("김민지", timeout=WAIT)
    _shot(page, "1-applied")
    before = minji.bot_messages.count()
    leader.el.locator(f'button[data-callback="decide:approve:{PARTICIPANT_ID}"]').click()
    expect(minji.bot_messages.nth(before)).to_be_attached(timeout=WAIT)
    expect(minji.el.locator("li.from-bot", has_text="승인").last).to_be_visible(timeout=WAIT)

    minji.say("/certify", "시작 사진")
    minji.send_sample("landscape.jpg", "시작 사진 받았어요")
    minji.send_sample("street.jpg", "인증 완료")
    minji.say("골목 보안등이 밝아졌어요", "소감을 저장했어요")  # the note: then the post goes out
    # The feed post: the bot's own picture in the group's pane.
    expect(group.locator("li.from-bot img.photo").first).to_be_visible(timeout=WAIT)
    _shot(page, "2-certified")

    # A risk report: the reply keyboard's location button offers the preset spots.
    minji.say("/report", "불안한 곳을 알려")
    minji.press("risk:cat:alley", "위치")
    minji.el.locator(".reply-keyboard button").first.click()
    spot = minji.el.locator(".spots button").first
    expect(spot).to_be_visible(timeout=WAIT)
    minji.then(spot.click, "사진")

    menu = leader.el.locator("button.menu-button")
    expect(menu).to_be_visible(timeout=WAIT)
    with context.expect_page() as opened:
        menu.click()
    console = opened.value
    card = console.locator("article.cert", has_text="김민지")
    expect(card).to_be_visible(timeout=WAIT)
    _shot(console, "3-console")
    console.close()

    # Start over: the practice database is erased and a fresh bot greets Minji as a stranger.
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#start-over").click()
    expect(minji.el.locator("li")).to_have_count(0, timeout=WAIT)
    minji.say("/start", "안녕하세요")
    expect(minji.el.locator('button[data-callback="apply:begin"]')).to_be_visible(timeout=WAIT)
    with sqlite3.connect(folder / "bot.sqlite3") as store:
        assert store.execute("SELECT count(*) FROM certifications").fetchone() == (0,)
    context.close()
