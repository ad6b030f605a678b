"""Practice mode without a browser: when ``python -m bot`` chooses it, the Bot API stand-in's
strict (tests) and lenient (practice) answers to what the spec does not know, the practice
campaign, a second practice mode on a taken port, and what the practice page accepts."""

from __future__ import annotations

import io
import logging
import socket
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image

from bot import __main__ as entry
from bot.campaign.config import load_campaign
from bot.i18n import Translator
from bot.practice import launcher
from bot.practice.page import MAX_PHOTO_BYTES, make_app
from bot.practice.standin import FakeTelegram
from bot.practice.world import PARTICIPANT_ID, PracticeWorld, write_campaign_file
from bot.settings import EXAMPLE_TOKEN
from tests.support import free_port

USER = 1001


# ---- the start-up choice -------------------------------------------------------------------


@pytest.fixture
def chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[bool]:
    """Run ``main`` in an empty folder; records each practice start (on purpose or not)."""
    monkeypatch.chdir(tmp_path)
    for key in ("BOT_TOKEN", "BOT_API_URL", "CAMPAIGN_FILE", "DATABASE_PATH", "LEADER_IDS"):
        monkeypatch.delenv(key, raising=False)
    started: list[bool] = []

    def practice(argv: list[str], *, on_purpose: bool, log_level: str = "INFO") -> int:
        started.append(on_purpose)
        return 0

    monkeypatch.setattr(launcher, "main", practice)
    return started


def test_no_token_starts_practice_mode(chosen: list[bool]) -> None:
    assert entry.main([]) == 0
    assert chosen == [False]


def test_the_example_token_starts_practice_mode(
    chosen: list[bool], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={EXAMPLE_TOKEN}\n", encoding="utf-8")
    assert entry.main([]) == 0
    assert chosen == [False]


def test_practice_on_purpose_ignores_a_real_token(
    chosen: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQr")
    assert entry.main(["practice"]) == 0
    assert chosen == [True]


def test_a_token_that_is_not_a_token_stays_a_configuration_error(
    chosen: list[bool], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_TOKEN", "not-a-token")
    assert entry.main([]) == 2
    assert chosen == []
    assert "BOT_TOKEN: does not look like a bot token" in capsys.readouterr().err


# ---- the stand-in: strict in tests, lenient in practice ------------------------------------


def _chat(telegram: FakeTelegram) -> None:
    telegram.add_chat({"id": USER, "type": "private", "first_name": "Minji"})


def test_an_unknown_parameter_fails_the_call_in_tests() -> None:
    telegram = FakeTelegram()
    _chat(telegram)
    status, body = telegram.handle("sendMessage", {"chat_id": USER, "text": "hi", "colour": "red"})
    assert status == 400
    assert "colour is not a parameter of sendMessage" in body["description"]
    assert telegram.spec_problems == ["sendMessage: colour is not a parameter of sendMessage"]
    assert telegram.sent_messages(USER) == []


def test_an_unknown_parameter_is_logged_and_ignored_in_practice_mode(
    caplog: pytest.LogCaptureFixture,
) -> None:
    telegram = FakeTelegram(spec="log")
    _chat(telegram)
    with caplog.at_level(logging.WARNING):
        status, body = telegram.handle(
            "sendMessage", {"chat_id": USER, "text": "hi", "colour": "red"}
        )
    assert status == 200
    assert body["result"]["text"] == "hi"
    assert telegram.spec_problems == ["sendMessage: colour is not a parameter of sendMessage"]
    assert "Bot API stand-in: sendMessage: colour is not a parameter" in caplog.text


def test_an_unknown_field_inside_a_keyboard_is_refused_in_tests_and_logged_in_practice() -> None:
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok", "colour": "red"}]]}
    for spec, expected in (("refuse", 400), ("log", 200)):
        telegram = FakeTelegram(spec=spec)
        _chat(telegram)
        status, _ = telegram.handle(
            "sendMessage", {"chat_id": USER, "text": "hi", "reply_markup": markup}
        )
        assert status == expected
        assert any(
            "colour: not a field of InlineKeyboardButton" in p for p in telegram.spec_problems
        )


def test_an_unknown_method_is_telegrams_404_and_recorded_in_both_modes() -> None:
    for spec in ("refuse", "log"):
        telegram = FakeTelegram(spec=spec)
        status, body = telegram.handle("sendTelepathy", {})
        assert (status, body["description"]) == (404, "Not Found")
        assert telegram.spec_problems == ["sendTelepathy: not a Bot API method"]


def test_the_parse_mode_ptb_adds_everywhere_is_ignored_as_telegram_does() -> None:
    telegram = FakeTelegram()
    _chat(telegram)
    status, _ = telegram.handle(
        "sendLocation",
        {"chat_id": USER, "latitude": 35.9, "longitude": 126.9, "parse_mode": "HTML"},
    )
    assert status == 200
    assert telegram.spec_problems == []


def test_a_local_console_address_is_a_mini_app_only_where_practice_mode_allows_it() -> None:
    markup = {"inline_keyboard": [[{"text": "c", "web_app": {"url": "http://127.0.0.1:9/c/"}}]]}
    params = {"chat_id": USER, "text": "console", "reply_markup": markup}
    telegram = FakeTelegram()
    _chat(telegram)
    assert telegram.handle("sendMessage", params)[1]["description"] == (
        "Bad Request: BUTTON_URL_INVALID"
    )
    telegram.local_web_apps = ("http://127.0.0.1:9/c/",)
    assert telegram.handle("sendMessage", params)[0] == 200


# ---- the practice campaign and the launcher ------------------------------------------------


def test_the_practice_round_includes_today_and_the_end_photo_may_come_a_minute_later(
    tmp_path: Path,
) -> None:
    today = date(2026, 12, 8)
    campaign = load_campaign(write_campaign_file(tmp_path / "campaign.toml", today=today))
    (practice_round,) = campaign.rounds
    assert practice_round.start <= today <= practice_round.end
    assert campaign.rules.min_minutes_between_photos == 1


def test_a_second_practice_mode_says_the_port_is_in_use(tmp_path: Path) -> None:
    lines: list[str] = []
    with socket.socket() as first:
        first.bind(("127.0.0.1", 0))
        first.listen()
        port = first.getsockname()[1]
        code = launcher.run(tmp_path, port, open_browser=False, out=lines.append)
    assert code == 2
    assert len(lines) == 2
    assert f"127.0.0.1:{port}" in lines[0] and "포트" in lines[0]
    assert f"another program uses 127.0.0.1:{port}" in lines[1]
    assert not (tmp_path / "bot.sqlite3").exists()


def test_practice_settings_never_point_at_the_real_files(tmp_path: Path) -> None:
    settings = launcher.practice_settings(tmp_path, "http://127.0.0.1:1", free_port(), "INFO")
    assert settings.database_path.parent == tmp_path
    assert settings.campaign_file.parent == tmp_path
    assert settings.bot_api_url == "http://127.0.0.1:1"
    assert settings.console is not None and settings.console.url.startswith("http://127.0.0.1:")
    assert settings.console.host == "127.0.0.1"


# ---- what the practice page accepts ---------------------------------------------------------


@pytest.fixture
async def page() -> AsyncIterator[tuple[TestClient[Any, Any], PracticeWorld, list[str]]]:
    world = PracticeWorld(Translator())
    resets: list[str] = []
    client = TestClient(TestServer(make_app(world, lambda: resets.append("reset"))))
    await client.start_server()
    try:
        yield client, world, resets
    finally:
        await client.close()


def _jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 120, 150)).save(out, "JPEG")
    return out.getvalue()


async def test_a_typed_message_reaches_the_bot_as_telegram_would_send_it(page: Any) -> None:
    client, world, _ = page
    response = await client.post("/api/text", json={"person": PARTICIPANT_ID, "text": "/start"})
    assert response.status == 200
    (update,) = world.telegram._updates
    message = update["message"]
    assert message["text"] == "/start"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["chat"] == {"id": PARTICIPANT_ID, "type": "private", "first_name": "김민지"}


async def test_a_message_longer_than_telegram_allows_is_refused_on_the_page(page: Any) -> None:
    client, world, _ = page
    response = await client.post("/api/text", json={"person": PARTICIPANT_ID, "text": "가" * 4097})
    assert response.status == 400
    assert (await response.json())["error"] == "practice-web-too-long"
    assert world.telegram.pending_updates() == 0


async def test_a_file_that_is_not_a_picture_cannot_go_as_a_photo_but_can_as_a_file(
    page: Any,
) -> None:
    client, world, _ = page

    def form(kind: str) -> FormData:
        data = FormData()
        data.add_field("person", str(PARTICIPANT_ID))
        data.add_field("as", kind)
        data.add_field("file", b"%PDF-1.4 not a picture", filename="notes.pdf")
        return data

    refused = await client.post("/api/upload", data=form("photo"))
    assert (await refused.json())["error"] == "practice-web-not-a-photo"
    assert world.telegram.pending_updates() == 0
    sent = await client.post("/api/upload", data=form("file"))
    assert sent.status == 200
    document = world.telegram._updates[0]["message"]["document"]
    assert document["file_name"] == "notes.pdf"
    assert world.telegram.file_bytes_by_id(document["file_id"]) == b"%PDF-1.4 not a picture"


async def test_a_photo_over_ten_megabytes_is_too_big(page: Any) -> None:
    client, world, _ = page
    data = FormData()
    data.add_field("person", str(PARTICIPANT_ID))
    data.add_field("as", "photo")
    data.add_field("file", _jpeg() + b"\0" * MAX_PHOTO_BYTES, filename="big.jpg")
    response = await client.post("/api/upload", data=data)
    assert response.status == 413
    assert world.telegram.pending_updates() == 0


async def test_a_sample_photo_arrives_re_encoded_without_exif(page: Any) -> None:
    client, world, _ = page
    data = FormData()
    data.add_field("person", str(PARTICIPANT_ID))
    data.add_field("as", "photo")
    data.add_field("sample", "landscape.jpg")
    assert (await client.post("/api/upload", data=data)).status == 200
    sizes = world.telegram._updates[0]["message"]["photo"]
    largest = world.telegram.file_bytes_by_id(sizes[-1]["file_id"])
    assert largest is not None
    assert not Image.open(io.BytesIO(largest)).getexif()


async def test_a_button_the_bot_never_showed_cannot_be_pressed(page: Any) -> None:
    client, world, _ = page
    response = await client.post(
        "/api/press",
        json={"person": PARTICIPANT_ID, "chat_id": PARTICIPANT_ID, "message_id": 1, "data": "x"},
    )
    assert response.status == 404
    assert world.telegram.pending_updates() == 0


async def test_the_console_opens_only_at_the_local_console_with_signed_init_data(
    page: Any,
) -> None:
    client, world, _ = page
    world.allow_web_app("http://127.0.0.1:9/console/")
    elsewhere = await client.post(
        "/api/web-app", json={"person": 9001, "url": "https://example.org/"}
    )
    assert elsewhere.status == 403
    opened = await client.post(
        "/api/web-app", json={"person": 9001, "url": "http://127.0.0.1:9/console/"}
    )
    url = (await opened.json())["url"]
    assert url.startswith("http://127.0.0.1:9/console/#tgWebAppData=")
    from urllib.parse import parse_qs, unquote, urlsplit

    from bot.console.auth import verify

    raw = unquote(parse_qs(urlsplit(url).fragment)["tgWebAppData"][0])
    opener = verify(raw, world.telegram.token, now=__import__("time").time(), max_age=60)
    assert opener.user_id == 9001


async def test_start_over_asks_the_launcher_to_restart(page: Any) -> None:
    client, _, resets = page
    assert (await client.post("/api/start-over", json={})).status == 200
    assert resets == ["reset"]


async def test_a_person_added_on_the_page_can_talk_to_the_bot(page: Any) -> None:
    client, world, _ = page
    added = await (await client.post("/api/people", json={})).json()
    assert added["name"] == "새 참여자 3"  # after the two on the page from the start
    await client.post("/api/text", json={"person": added["id"], "text": "/start"})
    assert world.telegram._updates[0]["message"]["from"]["id"] == added["id"]
