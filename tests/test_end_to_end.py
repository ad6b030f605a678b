"""The real process (``python -m bot``) against a fake Bot API over HTTP: apply, approve,
certify with a start photo, restart the bot, the end photo, then /me."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakes import FakeBotApiServer, UpdateFactory
from tests.fakes.process import LEADER, BotProcess, running_bot
from tests.support import photo_taken_at, scene_photo

MINJI = 1001


MILESTONE = """
[[milestones]]
count = 1
reward = "첫 인증 배지"
"""


@pytest.fixture
def world(tmp_path) -> Iterator[tuple[FakeBotApiServer, UpdateFactory, BotProcess]]:
    with running_bot(tmp_path, MILESTONE) as (server, factory, bot):
        yield server, factory, bot
    log = bot.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
    assert server.token not in log  # the token never reaches the log


def _reply(server, chat_id: int, since: int, expect: str) -> str:
    """Wait for the bot's message (or edit) in the chat whose text contains ``expect``."""
    call = server.wait_for(
        lambda c: (
            c.method in ("sendMessage", "editMessageText")
            and c.ok
            and c.params.get("chat_id") == chat_id
            and expect in c.params.get("text", "")
        ),
        timeout=20,
        since=since,
    )
    return call.params["text"]


def _step(server, factory, update, chat_id: int, expect: str) -> str:
    """Deliver one update as Telegram would; return the bot's answer containing ``expect``."""
    factory.now = datetime.now(UTC)
    since = server.mark()
    server.push_update(update)
    return _reply(server, chat_id, since, expect)


def _press(server, factory, user, data: str, expect: str) -> str:
    """Press a button the bot showed this person (waiting for it to be shown)."""
    server.wait_for(lambda c: c.ok and data in str(c.params.get("reply_markup", "")), timeout=20)
    for message in reversed(server.telegram.sent_messages(user["id"])):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if any(b.get("callback_data") == data for row in rows for b in row):
            update = factory.callback(user, data, message=message)
            return _step(server, factory, update, user["id"], expect)
    raise AssertionError(f"no button {data}")


def test_apply_approve_certify_across_a_restart_over_real_http(world):
    server, factory, bot = world
    leader = factory.user(LEADER, "경위")
    minji = factory.user(MINJI, "민지")

    _step(server, factory, factory.text(leader, "/start"), LEADER, "안녕하세요")
    _step(server, factory, factory.text(minji, "/start"), MINJI, "안녕하세요")
    _press(server, factory, minji, "apply:begin", "이름")
    _step(server, factory, factory.text(minji, "김민지"), MINJI, "어디에 해당")
    _press(server, factory, minji, "apply:category:high", "학교")
    _step(server, factory, factory.text(minji, "익산고등학교"), MINJI, "동")
    _step(server, factory, factory.text(minji, "영등동"), MINJI, "1365")
    _step(server, factory, factory.text(minji, "minji1365"), MINJI, "개인정보")
    since = server.mark()
    _press(server, factory, minji, "apply:consent:yes", "접수")
    card = _reply(server, LEADER, since, "김민지")
    assert "minji1365" in card and "익산고등학교" in card

    _press(server, factory, leader, f"decide:approve:{MINJI}", "승인")
    _reply(server, MINJI, since, "승인됐어요")
    _step(server, factory, factory.text(minji, "/certify"), MINJI, "시작 사진")
    seoul = ZoneInfo("Asia/Seoul")
    start = factory.document_from_bytes(
        server.telegram,
        minji,
        photo_taken_at(11, datetime.now(seoul)),
        file_name="IMG_0001.JPG",
        mime_type="image/jpeg",
    )
    _step(server, factory, start, MINJI, "시작 사진 받았어요")
    assert server.telegram.downloads, "the photo was downloaded over HTTP"

    assert bot.stop() == 0  # a clean stop on SIGTERM
    bot.start()

    yesterday = factory.document_from_bytes(
        server.telegram,
        minji,
        photo_taken_at(12, datetime.now(seoul) - timedelta(days=1)),
        file_name="IMG_0000.JPG",
        mime_type="image/jpeg",
    )
    _step(server, factory, yesterday, MINJI, "찍은 것으로 나와요")
    document = start["message"]["document"]
    resent = factory.document(
        minji,
        document["file_id"],
        document["file_unique_id"],
        file_name="IMG_0001.JPG",
        mime_type="image/jpeg",
        file_size=document["file_size"],
    )
    _step(server, factory, resent, MINJI, "시작 사진과 같은 사진")

    end = factory.photo_from_bytes(server.telegram, minji, scene_photo(7))
    done = _step(server, factory, end, MINJI, "인증 완료")
    assert "누적 1회" in done
    # The milestone badge comes through the outbox, rendered and uploaded over HTTP.
    badge = server.wait_for(
        lambda c: c.method == "sendPhoto" and c.ok and c.params.get("chat_id") == MINJI,
        timeout=20,
    )
    assert "첫 인증 배지" in badge.params["caption"]
    assert next(iter(badge.files.values())).data.startswith(b"\x89PNG")
    me = _step(server, factory, factory.text(minji, "/me"), MINJI, "나의 인증")
    assert "누적 1회" in me and "봉사시간 0시간 30분" in me
