"""The Bot API fakes must be honest: only real methods, real refusals, spec-complete results,
and behaviour PTB accepts both in-process (FakeRequest) and over real HTTP (FakeBotApiServer).
"""

from __future__ import annotations

import asyncio
import io
import json
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, TelegramObject, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from bot.practice.standin import _MEDIA_KINDS, SPEC_DIR, spec_method_name
from tests.fakes import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_USERNAME,
    DEFAULT_TOKEN,
    FakeBotApiServer,
    FakeRequest,
    FakeTelegram,
    UpdateFactory,
    UploadedFile,
    check_value,
    load_api_spec,
)

USER_ID = 1001
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("참여하기", callback_data="apply:1")]])


def _jpeg_with_exif(width: int = 400, height: int = 300) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees to display
    exif.get_ifd(0x8769)[0x9003] = "2027:08:16 19:05:00"  # DateTimeOriginal
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 60)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _size_and_exif(data: bytes | bytearray) -> tuple[tuple[int, int], bool]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size, bool(image.getexif())


def _png(width: int = 1600, height: int = 1200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def no_leftover_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not extra:
            return
        time.sleep(0.01)
    pytest.fail(f"threads left running: {extra}")


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def factory(telegram: FakeTelegram) -> UpdateFactory:
    return UpdateFactory(telegram)


@pytest.fixture
def user(factory: UpdateFactory) -> dict[str, Any]:
    alice = factory.user(USER_ID, "지민", username="jimin")
    factory.text(alice, "/start")  # the user opened the chat, so the bot may write to it
    return alice


@pytest.fixture
async def bot(telegram: FakeTelegram) -> AsyncIterator[Bot]:
    requests = {"request": FakeRequest(telegram), "get_updates_request": FakeRequest(telegram)}
    async with Bot(DEFAULT_TOKEN, **requests) as fake_bot:
        yield fake_bot


@pytest.fixture
def server() -> Iterator[FakeBotApiServer]:
    with FakeBotApiServer() as running:
        yield running


@pytest.fixture
async def http_bot(server: FakeBotApiServer) -> AsyncIterator[Bot]:
    async with Bot(
        server.token, base_url=server.url + "/bot", base_file_url=server.url + "/file/bot"
    ) as real_bot:
        yield real_bot


# ---- the spec itself ---------------------------------------------------------------------------


def test_spec_ships_with_the_bot() -> None:
    spec = load_api_spec()
    assert Path(__file__).resolve().parents[1] / "bot" / "practice" / "telegram-bot-api" == SPEC_DIR
    assert (SPEC_DIR / "LICENSE").is_file()
    assert {"getMe", "sendMessage", "getUpdates"} <= set(spec["methods"])
    assert spec["version"].startswith("Bot API")


def test_every_modelled_method_exists_in_the_spec() -> None:
    modelled = [
        name.removeprefix("_api_") for name in dir(FakeTelegram) if name.startswith("_api_")
    ]
    modelled += [f"send{kind.capitalize()}" for kind in _MEDIA_KINDS]  # one generic handler
    assert len(modelled) > 30
    for name in modelled:
        assert spec_method_name(name) == name, name


def test_methods_without_required_fields_answer_per_spec(telegram: FakeTelegram) -> None:
    methods = load_api_spec()["methods"]
    for method, spec in methods.items():
        if any(f["required"] for f in spec.get("fields", [])):
            continue
        status, body = telegram.handle(method, {})
        assert status in (200, 400, 501), (method, body)  # 501: not modelled, and says so
        if status == 200:
            assert check_value(spec["returns"], body["result"]) == [], method
        else:
            assert body["ok"] is False and body["error_code"] == status


def test_unknown_method_is_404(telegram: FakeTelegram) -> None:
    status, body = telegram.handle("sendTelepathy", {"chat_id": 1})
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert telegram.calls[-1].status == 404


def test_method_names_are_case_insensitive(telegram: FakeTelegram) -> None:
    status, body = telegram.handle("GETME", {})
    assert status == 200 and body["result"]["id"] == BOT_ID
    assert telegram.calls[-1].method == "getMe"


def test_every_method_refuses_a_missing_required_field(telegram: FakeTelegram) -> None:
    methods = load_api_spec()["methods"]
    with_required = [
        m for m, spec in methods.items() if any(f["required"] for f in spec.get("fields", []))
    ]
    assert len(with_required) > 100
    for method in with_required:
        status, body = telegram.handle(method, {})
        assert status == 400, method
        assert body["ok"] is False and body["error_code"] == 400
        assert body["description"].startswith("Bad Request: "), body
    assert all(call.status == 400 for call in telegram.calls)


def test_required_field_messages_match_telegram(telegram: FakeTelegram) -> None:
    assert telegram.handle("sendMessage", {"text": "x"})[1]["description"] == (
        "Bad Request: chat_id is empty"
    )
    assert telegram.handle("sendMessage", {"chat_id": 5})[1]["description"] == (
        "Bad Request: message text is empty"
    )
    assert telegram.handle("sendPhoto", {"chat_id": 5})[1]["description"] == (
        "Bad Request: there is no photo in the request"
    )


def test_check_value_catches_missing_and_unknown_fields() -> None:
    assert check_value("User", {"id": 1, "is_bot": False, "first_name": "a"}) == []
    assert check_value("User", {"id": 1, "is_bot": False})
    assert check_value("User", {"id": 1, "is_bot": False, "first_name": "a", "from_user": 1})
    assert (
        check_value(
            "ChatMember", {"status": "left", "user": {"id": 1, "is_bot": False, "first_name": "a"}}
        )
        == []
    )


# ---- PTB Bot through FakeRequest -------------------------------------------------------------


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (
        BOT_ID,
        True,
        BOT_FIRST_NAME,
        BOT_USERNAME,
    )


async def test_send_and_edit_message(bot: Bot, telegram: FakeTelegram, user: dict) -> None:
    sent = await bot.send_message(
        USER_ID, "<b>환영합니다</b>, 지민 님", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert sent.text == "환영합니다, 지민 님"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 5
    assert sent.reply_markup == KEYBOARD
    call = telegram.calls_of("sendMessage")[-1]
    assert call.params["chat_id"] == USER_ID
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "참여하기", "callback_data": "apply:1"}]]
    }
    assert telegram.last_reply_markup(USER_ID) == call.params["reply_markup"]

    edited = await bot.edit_message_text("신청 완료", chat_id=USER_ID, message_id=sent.message_id)
    assert edited.text == "신청 완료" and edited.reply_markup is None  # no markup -> removed
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("신청 완료", chat_id=USER_ID, message_id=sent.message_id)
    assert telegram.calls[-1].status == 400
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER_ID, message_id=999)
    assert telegram.sent_texts(USER_ID) == ["신청 완료"]


async def test_message_ids_increase_per_chat(
    bot: Bot, telegram: FakeTelegram, user: dict, factory: UpdateFactory
) -> None:
    first = await bot.send_message(USER_ID, "하나")
    incoming = factory.text(user, "둘")
    second = await bot.send_message(USER_ID, "셋")
    assert first.message_id < incoming["message"]["message_id"] < second.message_id


async def test_get_file_and_download(bot: Bot, telegram: FakeTelegram) -> None:
    file_id, unique_id = telegram.add_file(b"%PDF-1.7 test")
    file = await bot.get_file(file_id)
    assert file.file_unique_id == unique_id and file.file_size == 13
    assert await file.download_as_bytearray() == bytearray(b"%PDF-1.7 test")
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_photo_upload_gives_sizes_and_bytes_back(
    bot: Bot, telegram: FakeTelegram, user: dict
) -> None:
    data = _png()
    message = await bot.send_photo(USER_ID, data, caption="인증 사진")
    assert message.caption == "인증 사진"
    assert [(p.width, p.height) for p in message.photo][-1] == (1280, 960)
    assert message.photo[0].width == 90
    upload = telegram.calls_of("sendPhoto")[-1].params["photo"]
    assert isinstance(upload, UploadedFile) and upload.data == data
    again = await bot.send_photo(USER_ID, message.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == message.photo[-1].file_unique_id
    file = await bot.get_file(message.photo[-1].file_id)
    assert _size_and_exif(await file.download_as_bytearray()) == ((1280, 960), False)
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(USER_ID, b"not an image")


async def test_media_group_and_document(bot: Bot, telegram: FakeTelegram, user: dict) -> None:
    from telegram import InputMediaPhoto

    group = await bot.send_media_group(
        USER_ID, [InputMediaPhoto(_png(400, 300)), InputMediaPhoto(_png(300, 400), caption="둘")]
    )
    assert len(group) == 2 and group[0].media_group_id == group[1].media_group_id
    document = await bot.send_document(USER_ID, b"a,b\n1,2\n", filename="report.csv")
    assert document.document.file_name == "report.csv"
    assert document.document.mime_type == "text/csv"
    assert telegram.sent_texts(USER_ID) == ["둘"]


async def test_telegram_refusals(bot: Bot, telegram: FakeTelegram, user: dict) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: unsupported start tag"):
        await bot.send_message(USER_ID, "점수 < 10", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)character '\.' is reserved"):
        await bot.send_message(USER_ID, "끝.", parse_mode="MarkdownV2")
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="가" * 30)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(USER_ID, "x", reply_markup=long_data)
    with pytest.raises(Forbidden, match="bot can't initiate conversation"):
        await bot.send_message(2002, "hello")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-1002222, "hello")
    telegram.blocked_chat_ids.add(USER_ID)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER_ID, "hello")
    assert [c.status for c in telegram.calls_of("sendMessage")] == [400, 400, 400, 403, 400, 403]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's own
async def test_fail_next(bot: Bot, telegram: FakeTelegram, user: dict) -> None:
    telegram.fail_next("sendMessage", 429, retry_after=7, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter, match="Retry in 7"):
            await bot.send_message(USER_ID, "x")
    assert (await bot.send_message(USER_ID, "x")).text == "x"
    body = telegram.calls_of("sendMessage")[0].response
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }


async def test_callback_query_and_commands(
    bot: Bot, telegram: FakeTelegram, user: dict, factory: UpdateFactory
) -> None:
    sent = await bot.send_message(USER_ID, "선택하세요", reply_markup=KEYBOARD)
    update = factory.to_update(factory.callback(user, "apply:1", message=sent.to_dict()), bot)
    assert update.callback_query.message.reply_markup == KEYBOARD
    assert await update.callback_query.answer("접수했습니다")
    with pytest.raises(BadRequest, match="Query is too old"):
        await update.callback_query.answer()
    from telegram import BotCommand

    assert await bot.set_my_commands(
        [BotCommand("start", "시작"), BotCommand("help", "도움말")], language_code="ko"
    )
    assert [c.command for c in await bot.get_my_commands(language_code="ko")] == ["start", "help"]
    assert await bot.get_my_commands() == ()
    assert await bot.delete_my_commands(language_code="ko")
    assert await bot.get_my_commands(language_code="ko") == ()


async def test_join_requests_and_invite_links(
    bot: Bot, telegram: FakeTelegram, factory: UpdateFactory, user: dict
) -> None:
    group_id = -1001234567890
    telegram.add_chat(factory.group_chat(group_id, "치안협력관 단체방"))
    link = await bot.create_chat_invite_link(group_id, creates_join_request=True, name="1기")
    assert link.invite_link.startswith("https://t.me/+") and link.creates_join_request
    assert (link.is_primary, link.is_revoked, link.creator.id, link.name) == (
        False,
        False,
        BOT_ID,
        "1기",
    )
    limited = await bot.create_chat_invite_link(group_id, member_limit=1)
    assert limited.member_limit == 1
    newcomer = factory.user(3003, "민수")
    factory.join_request(newcomer, group_id, title="치안협력관 단체방", invite_link=link.to_dict())
    await bot.send_message(3003, "신청을 확인하고 있어요")  # allowed thanks to user_chat_id
    assert (await bot.get_chat_member(group_id, 3003)).status == "left"
    assert await bot.approve_chat_join_request(group_id, 3003)
    assert (await bot.get_chat_member(group_id, 3003)).status == "member"
    with pytest.raises(BadRequest, match=r"(?i)hide_requester_missing"):
        await bot.decline_chat_join_request(group_id, 3003)
    assert (await bot.get_chat(group_id)).title == "치안협력관 단체방"
    assert (await bot.get_chat_member(group_id, BOT_ID)).status == "administrator"


async def test_get_updates_offset_and_limit(
    telegram: FakeTelegram, factory: UpdateFactory, user: dict
) -> None:
    pushed = [telegram.push_update(factory.text(user, f"#{i}")) for i in range(3)]
    ids = [u["update_id"] for u in pushed]
    _, body = telegram.handle("getUpdates", {"limit": "2"})
    assert [u["update_id"] for u in body["result"]] == ids[:2]
    _, body = telegram.handle("getUpdates", {"offset": str(ids[1])})
    assert [u["update_id"] for u in body["result"]] == ids[1:]
    assert telegram.pending_updates() == 2
    _, body = telegram.handle("getUpdates", {"offset": ids[2] + 1})
    assert body["result"] == [] and telegram.pending_updates() == 0
    assert (
        telegram.push_update({"message": factory.text(user, "x")["message"]})["update_id"] > ids[2]
    )


async def test_long_poll_through_fake_request(
    telegram: FakeTelegram, factory: UpdateFactory, user: dict
) -> None:
    fake_bot = Bot(
        DEFAULT_TOKEN, request=FakeRequest(telegram), get_updates_request=FakeRequest(telegram)
    )
    async with fake_bot as bot:
        loop = asyncio.get_running_loop()
        loop.call_later(0.1, telegram.push_update, factory.text(user, "안녕"))
        started = time.monotonic()
        updates = await bot.get_updates(timeout=5)
        assert time.monotonic() - started < 1
        assert updates[0].message.text == "안녕"


async def test_second_poll_terminates_the_first(
    telegram: FakeTelegram, factory: UpdateFactory, user: dict
) -> None:
    first = asyncio.create_task(telegram.handle_async("getUpdates", {"timeout": "5"}))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(telegram.handle_async("getUpdates", {"timeout": "5"}))
    status, body = await asyncio.wait_for(first, 1)
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    telegram.push_update(factory.text(user, "x"))
    status, body = await asyncio.wait_for(second, 1)
    assert status == 200 and len(body["result"]) == 1


async def test_application_polls_through_fake_request(
    telegram: FakeTelegram, factory: UpdateFactory, user: dict
) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("반갑습니다!")

    app = (
        ApplicationBuilder()
        .token(DEFAULT_TOKEN)
        .request(FakeRequest(telegram))
        .get_updates_request(FakeRequest(telegram))
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=5)
        mark = telegram.mark()
        telegram.push_update(factory.text(user, "/start"))
        call = await telegram.wait_for_async("sendMessage", since=mark, timeout=3)
        assert call.params["text"] == "반갑습니다!" and call.params["chat_id"] == USER_ID
        await app.updater.stop()
        await app.stop()
    assert telegram.pending_updates() == 0


# ---- over real HTTP ------------------------------------------------------------------------


async def test_http_bot_round_trip(http_bot: Bot, server: FakeBotApiServer) -> None:
    factory = UpdateFactory(server.telegram)
    alice = factory.user(USER_ID, "지민")
    factory.text(alice, "/start")
    assert (await http_bot.get_me()).username == "iksan_safety_bot"
    sent = await http_bot.send_message(USER_ID, "123", reply_markup=KEYBOARD)
    assert sent.text == "123" and sent.reply_markup == KEYBOARD
    call = server.telegram.calls_of("sendMessage")[-1]
    assert call.params["text"] == "123" and call.params["chat_id"] == USER_ID  # typed per spec
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "apply:1"
    await http_bot.edit_message_text(
        "수정", chat_id=USER_ID, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    with pytest.raises(BadRequest, match="Message is not modified"):
        await http_bot.edit_message_text(
            "수정", chat_id=USER_ID, message_id=sent.message_id, reply_markup=KEYBOARD
        )
    photo = await http_bot.send_photo(USER_ID, _png(640, 480), caption="multipart")
    upload = server.telegram.calls_of("sendPhoto")[-1].params["photo"]
    assert isinstance(upload, UploadedFile) and upload.mime_type == "application/octet-stream"
    file = await http_bot.get_file(photo.photo[-1].file_id)
    assert _size_and_exif(await file.download_as_bytearray()) == ((640, 480), False)


async def test_http_long_poll(http_bot: Bot, server: FakeBotApiServer) -> None:
    factory = UpdateFactory(server.telegram)
    alice = factory.user(USER_ID, "지민")
    timer = threading.Timer(0.2, server.push_update, args=(factory.text(alice, "/start"),))
    timer.start()
    started = time.monotonic()
    updates = await http_bot.get_updates(timeout=2)
    assert time.monotonic() - started < 1.5
    timer.join()
    assert [u.message.text for u in updates] == ["/start"]
    assert server.pending_updates() == 1
    started = time.monotonic()
    assert await http_bot.get_updates(offset=updates[0].update_id + 1, timeout=2) == ()
    assert 1.9 < time.monotonic() - started < 3
    assert server.pending_updates() == 0


async def test_http_wrong_token(server: FakeBotApiServer) -> None:
    wrong = Bot("1:wrong", base_url=server.url + "/bot")
    with pytest.raises(InvalidToken, match="rejected by the server"):
        await wrong.initialize()
    await wrong.shutdown()


def test_http_bodies_are_decoded_alike(server: FakeBotApiServer) -> None:
    factory = UpdateFactory(server.telegram)
    factory.text(factory.user(USER_ID), "/start")
    base = f"{server.url}/bot{server.token}"
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}
    bodies = [
        ("application/json", json.dumps({"chat_id": USER_ID, "text": "7", "reply_markup": markup})),
        (
            "application/x-www-form-urlencoded",
            f"chat_id={USER_ID}&text=7&reply_markup=" + urllib.request.quote(json.dumps(markup)),
        ),
    ]
    for content_type, body in bodies:
        request = urllib.request.Request(
            f"{base}/sendmessage", data=body.encode(), headers={"Content-Type": content_type}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.load(response)["result"]["text"] == "7"
    with urllib.request.urlopen(f"{base}/getChat?chat_id={USER_ID}", timeout=5) as response:
        assert json.load(response)["result"]["id"] == USER_ID
    params = [c.params for c in server.telegram.calls_of("sendMessage")]
    assert params[0] == params[1] == {"chat_id": USER_ID, "text": "7", "reply_markup": markup}
    for path, status in [
        ("/bot1:bad/getMe", 401),
        (f"/bot{server.token}/nope", 404),
        ("/elsewhere", 404),
    ]:
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(server.url + path, timeout=5)
        assert caught.value.code == status
        assert json.load(caught.value)["error_code"] == status


def test_stop_ends_a_long_poll_in_progress() -> None:
    server = FakeBotApiServer().start()
    answers: list[Any] = []
    url = f"{server.url}/bot{server.token}/getUpdates?timeout=30"

    def poll() -> None:
        with urllib.request.urlopen(url, timeout=10) as response:
            answers.append(json.load(response))

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.1)  # the poll is waiting in the server now
    started = time.monotonic()
    server.stop()
    poller.join(5)
    assert time.monotonic() - started < 1
    assert answers == [{"ok": True, "result": []}]


def test_wait_for(server: FakeBotApiServer) -> None:
    threading.Timer(0.05, server.telegram.handle, args=("getMe", {})).start()
    call = server.wait_for("getme", timeout=2)
    assert call.ok and call.result["id"] == BOT_ID
    with pytest.raises(TimeoutError, match="getMe"):
        server.wait_for(lambda c: c.method == "sendMessage", timeout=0.05)
    assert server.wait_for("getMe", lambda c: c.ok, since=0, timeout=0.1) is call


# ---- UpdateFactory -----------------------------------------------------------------------------


def _leftovers(obj: Any, path: str = "update") -> list[str]:
    """Fields PTB did not understand (stored in api_kwargs), anywhere in the object tree."""
    found: list[str] = []
    if isinstance(obj, TelegramObject):
        found += [f"{path}.{key}" for key in obj.api_kwargs]
        for cls in type(obj).__mro__:
            for name in getattr(cls, "__slots__", ()):
                if not name.startswith("_"):
                    found += _leftovers(getattr(obj, name, None), f"{path}.{name}")
    elif isinstance(obj, tuple | list):
        for index, item in enumerate(obj):
            found += _leftovers(item, f"{path}[{index}]")
    return sorted(set(found))


def _missing(original: Any, parsed: Any, path: str = "update") -> list[str]:
    """Values of ``original`` that ``parsed`` (a ``to_dict()``) lacks or changed."""
    if isinstance(original, dict):
        if not isinstance(parsed, dict):
            return [path]
        return [
            problem
            for key, value in original.items()
            for problem in (
                _missing(value, parsed[key], f"{path}.{key}")
                if key in parsed
                else [f"{path}.{key}"]
            )
        ]
    if isinstance(original, list):
        if not isinstance(parsed, list) or len(parsed) != len(original):
            return [path]
        return [
            p for i, item in enumerate(original) for p in _missing(item, parsed[i], f"{path}[{i}]")
        ]
    return [] if original == parsed else [f"{path}: {original!r} != {parsed!r}"]


def _all_updates(factory: UpdateFactory, telegram: FakeTelegram) -> list[dict[str, Any]]:
    alice = factory.user(USER_ID, "지민", last_name="김", username="jimin", language_code="ko")
    bob = factory.user(2002, "Bob", language_code="en")
    first = factory.text(alice, "/start@iksan_safety_bot hello")
    sent_status, sent = telegram.handle(
        "sendMessage",
        {"chat_id": USER_ID, "text": "hi", "reply_markup": json.dumps(KEYBOARD.to_dict())},
    )
    assert sent_status == 200
    return [
        first,
        factory.text(alice, "답장", reply_to=first),
        factory.photo(
            alice,
            "AgACAgUAAxkBAAIBcmF",
            "AQADcmF",
            width=1280,
            height=960,
            file_size=150_000,
            caption="인증",
            forward_from=bob,
        ),
        factory.photo_from_bytes(telegram, alice, _png(2000, 1000), caption="큰 사진"),
        factory.document(
            alice,
            "BQACAgUAAxkBAAIBdoc",
            "AgADdoc",
            file_name="동의서.pdf",
            mime_type="application/pdf",
            file_size=52_000,
        ),
        factory.document_from_bytes(
            telegram, alice, b"hello", file_name="a.txt", mime_type="text/plain"
        ),
        factory.sticker(alice),
        factory.voice(alice, duration=4),
        factory.location(alice, 35.948, 126.957),
        factory.edited_text(first, "/start 수정"),
        factory.callback(alice, "apply:1", message=sent["result"]),
        factory.join_request(bob, -1001234567890),
        factory.group_text(bob, -1001234567890, "/status"),
        factory.group_text(bob, -4001, "안녕하세요"),
        factory.channel_post(-1009876543210, "공지"),
        factory.my_chat_member(alice, factory.group_chat(-1001234567890)),
    ]


async def test_factory_updates_parse_without_loss(
    bot: Bot, telegram: FakeTelegram, factory: UpdateFactory
) -> None:
    updates = _all_updates(factory, telegram)
    ids = [u["update_id"] for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for update in updates:
        assert check_value("Update", update, "update") == [], update
        parsed = factory.to_update(update, bot)
        assert _leftovers(parsed) == [], update
        assert _missing(update, parsed.to_dict()) == [], update
        telegram.push_update(update)  # the fake accepts them too
    photo = factory.to_update(updates[3], bot).message
    assert photo is not None and [p.width for p in photo.photo] == [90, 320, 1280]
    assert await (await photo.photo[-1].get_file()).download_as_bytearray()
    command = factory.to_update(updates[0], bot).message
    assert command is not None and command.entities[0].type == "bot_command"
    assert command.entities[0].length == len("/start@iksan_safety_bot")


async def test_photos_lose_exif_documents_keep_it(
    bot: Bot, telegram: FakeTelegram, factory: UpdateFactory, user: dict
) -> None:
    original = _jpeg_with_exif()
    assert _size_and_exif(original) == ((400, 300), True)
    photo = factory.to_update(factory.photo_from_bytes(telegram, user, original), bot).message
    assert photo is not None and (photo.photo[-1].width, photo.photo[-1].height) == (300, 400)
    downloaded = await (await photo.photo[-1].get_file()).download_as_bytearray()
    assert _size_and_exif(downloaded) == ((300, 400), False)  # upright, metadata gone
    document_update = factory.document_from_bytes(
        telegram, user, original, file_name="IMG_0001.JPG", mime_type="image/jpeg"
    )
    document = factory.to_update(document_update, bot).message
    assert document is not None and document.document is not None
    kept = await (await document.document.get_file()).download_as_bytearray()
    assert kept == bytearray(original)


def test_factory_clock_and_ids(factory: UpdateFactory) -> None:
    alice = factory.user(USER_ID)
    factory.now = datetime.fromisoformat("2026-05-05T08:30:00+09:00")
    first = factory.text(alice, "a")
    factory.advance(minutes=5)
    second = factory.text(alice, "b")
    assert second["message"]["date"] - first["message"]["date"] == 300
    assert first["message"]["date"] == int(
        datetime.fromisoformat("2026-05-04T23:30:00+00:00").timestamp()
    )
    assert second["message"]["message_id"] == first["message"]["message_id"] + 1
    assert second["update_id"] == first["update_id"] + 1
    with pytest.raises(ValueError, match="aware"):
        factory.now = datetime(2026, 5, 5)
