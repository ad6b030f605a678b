"""The outbox: planning is idempotent, the sender paces, retries, gives up and skips as promised.

The sender runs against the fake Bot API through a plain PTB ``Bot`` and a real store in
``tmp_path``; its clocks and sleep are a fake that only moves when the sender sleeps, so pacing
is checked on exact timestamps without waiting for them.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PIL import Image
from telegram import Bot
from telegram.error import BadRequest
from telegram.ext import AIORateLimiter, ApplicationBuilder
from telegram.request import RequestData

from bot.outbox_sender import OutboxSender, send_or_queue
from storage import outbox
from storage.database import Database
from tests.fakes import DEFAULT_TOKEN, FakeRequest, FakeTelegram

START = datetime(2027, 8, 16, 10, 0, tzinfo=UTC)  # 19:00 in Seoul
MINJI, JIHO, SEOYEON, HARIN = 1001, 1002, 1003, 1004
GROUP = -1001234567890

# PTB's own RetryAfter constructor reads its deprecated int ``retry_after``; nothing to fix here.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


class FakeClock:
    """Wall clock and monotonic clock that advance only when the sender sleeps."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.elapsed = 0.0

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    async def sleep(self, seconds: float) -> None:
        self.elapsed += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass(frozen=True)
class Attempt:
    at: float
    method: str
    chat_id: int | None


class TimedRequest(FakeRequest):
    """The fake Bot API, noting when (on the fake clock) each call was made."""

    __slots__ = ("attempts", "clock")

    def __init__(self, telegram: FakeTelegram, clock: FakeClock) -> None:
        super().__init__(telegram)
        self.clock = clock
        self.attempts: list[Attempt] = []

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        params = request_data.json_parameters if request_data else {}
        chat_id = int(params["chat_id"]) if "chat_id" in params else None
        self.attempts.append(Attempt(self.clock.monotonic(), url.rsplit("/", 1)[-1], chat_id))
        return await super().do_request(url, method, request_data, **kwargs)


@dataclass
class World:
    tg: FakeTelegram
    clock: FakeClock
    request: TimedRequest
    bot: Bot
    db: Database
    blocked: list[int] = field(default_factory=list)

    def sender(self, **options: Any) -> OutboxSender:
        async def on_blocked(chat_id: int) -> None:
            self.blocked.append(chat_id)

        # One send in flight: the fake clock then moves exactly as a real one would.
        options = {"max_in_flight": 1, **options}
        return OutboxSender(
            self.db,
            self.bot,
            on_blocked=on_blocked,
            clock=self.clock.now,
            monotonic=self.clock.monotonic,
            sleep=self.clock.sleep,
            **options,
        )

    async def plan(
        self,
        key: str,
        chat_id: int,
        payload: dict[str, Any] | None = None,
        *,
        kind: str = "text",
        after: float = 0.0,
    ) -> bool:
        async with self.db.transaction() as conn:
            return await outbox.plan(
                conn,
                key=key,
                chat_id=chat_id,
                kind=kind,
                payload=payload if payload is not None else {"text": f"안내 {key}"},
                not_before=self.clock.now() + timedelta(seconds=after),
                now=self.clock.now(),
            )

    async def row(self, key: str) -> outbox.OutboxMessage:
        async with self.db.transaction() as conn:
            found = await outbox.by_key(conn, key)
        assert found is not None
        return found

    async def counts(self) -> dict[str, int]:
        async with self.db.transaction() as conn:
            return await outbox.counts(conn)

    def sends(self, chat_id: int | None = None, method: str = "sendMessage") -> list[float]:
        return [
            a.at
            for a in self.request.attempts
            if a.method == method and (chat_id is None or a.chat_id == chat_id)
        ]

    def delivered(self, chat_id: int, method: str = "sendMessage") -> int:
        return sum(1 for c in self.tg.calls_of(method) if c.ok and c.params["chat_id"] == chat_id)


@pytest.fixture
async def world(tmp_path) -> AsyncIterator[World]:
    tg = FakeTelegram()
    for user_id in (MINJI, JIHO, SEOYEON, HARIN):
        tg.add_chat({"id": user_id, "type": "private", "first_name": f"참여자{user_id}"})
    tg.add_chat({"id": GROUP, "type": "supergroup", "title": "치안협력관 단체방"})
    clock = FakeClock(START)
    request = TimedRequest(tg, clock)
    database = await Database.open(tmp_path / "outbox.sqlite3")
    yield World(tg, clock, request, Bot(DEFAULT_TOKEN, request=request), database)
    await database.close()


def png(width: int = 320, height: int = 200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


# ---- planning ---------------------------------------------------------------------------------


async def test_a_reminder_planned_twice_is_sent_once(world: World) -> None:
    key = f"reminder:{MINJI}:2027-08-16"
    assert await world.plan(key, MINJI, {"text": "오늘 인증을 잊지 마세요"}) is True
    assert await world.plan(key, MINJI, {"text": "다른 문구"}) is False

    report = await world.sender().drain()

    assert report.sent == 1
    assert world.tg.sent_texts(MINJI) == ["오늘 인증을 잊지 마세요"]
    row = await world.row(key)
    assert row.status == "sent" and row.sent_message_id is not None and row.sent_at is not None
    assert (await world.counts())["sent"] == 1


async def test_only_messages_whose_time_has_come_are_due_oldest_first(world: World) -> None:
    await world.plan("later", MINJI, after=600)
    await world.plan("first", JIHO)
    await world.plan("second", SEOYEON)
    async with world.db.transaction() as conn:
        now = [m.key for m in await outbox.due(conn, world.clock.now(), 10)]
        then = await outbox.due(conn, world.clock.now() + timedelta(minutes=10), 10)
        without_jiho = await outbox.due(conn, world.clock.now(), 10, exclude_chat_ids={JIHO})
    assert now == ["first", "second"]
    assert [m.key for m in then] == ["first", "second", "later"]
    assert [m.key for m in without_jiho] == ["second"]

    sender = world.sender()
    first = await sender.drain()
    assert first.sent == 2 and world.delivered(MINJI) == 0
    await sender.drain(until_empty=True)
    assert world.sends(MINJI) == [pytest.approx(600, abs=1)]


# ---- what is sent -----------------------------------------------------------------------------


async def test_a_text_goes_out_as_html_with_its_buttons_and_silently(world: World) -> None:
    markup = {"inline_keyboard": [[{"text": "지금 인증하기", "callback_data": "cert:begin"}]]}
    await world.plan(
        "notice:1",
        MINJI,
        {
            "text": "<b>오늘의 미션</b> 골목 순찰",
            "reply_markup": markup,
            "disable_notification": True,
        },
    )
    await world.plan("notice:plain", JIHO, {"text": "<b>그대로</b>", "parse_mode": None})

    await world.sender().drain()

    message = world.tg.last_sent_message(MINJI)
    assert message is not None
    assert message["text"] == "오늘의 미션 골목 순찰"
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 6}]
    assert message["reply_markup"] == markup
    (call,) = [c for c in world.tg.calls_of("sendMessage") if c.params["chat_id"] == MINJI]
    assert call.params["disable_notification"] is True
    assert world.tg.sent_texts(JIHO) == ["<b>그대로</b>"]


async def test_a_progress_card_is_drawn_in_a_worker_thread_and_sent_with_its_caption(
    world: World,
) -> None:
    drawn_on: list[int] = []
    image = png()

    def progress_card(params: dict[str, Any]) -> bytes:
        drawn_on.append(threading.get_ident())
        assert params == {"user": MINJI, "count": 20}
        return image

    sender = world.sender()
    sender.add_renderer("progress_card", progress_card)
    markup = {"inline_keyboard": [[{"text": "내 기록", "callback_data": "me:show"}]]}
    await world.plan(
        f"milestone:{MINJI}:20",
        MINJI,
        {
            "render": {"name": "progress_card", "params": {"user": MINJI, "count": 20}},
            "caption": "<b>20회</b> 달성!",
            "reply_markup": markup,
        },
        kind="photo",
    )

    report = await sender.drain()

    assert report.sent == 1
    assert drawn_on and drawn_on[0] != threading.get_ident()
    (call,) = world.tg.calls_of("sendPhoto")
    assert call.ok and call.files["photo"].data == image
    message = world.tg.last_sent_message(MINJI)
    assert message is not None
    assert message["caption"] == "20회 달성!" and message["reply_markup"] == markup
    assert (await world.row(f"milestone:{MINJI}:20")).sent_message_id == message["message_id"]


async def test_a_card_whose_renderer_is_missing_or_breaks_fails_with_the_reason(
    world: World,
) -> None:
    def broken(params: dict[str, Any]) -> bytes:
        raise ValueError("no font")

    sender = world.sender()
    sender.add_renderer("broken", broken)
    await world.plan("card:a", MINJI, {"render": {"name": "nowhere"}}, kind="photo")
    await world.plan("card:b", JIHO, {"render": {"name": "broken"}}, kind="photo")
    await world.plan("odd", SEOYEON, {"text": "x"}, kind="sticker")

    report = await sender.drain()

    assert report.failed == 3 and world.tg.calls_of("sendPhoto") == []
    assert (await world.row("card:a")).last_error == "no renderer 'nowhere'"
    assert "no font" in str((await world.row("card:b")).last_error)
    assert "unknown kind 'sticker'" in str((await world.row("odd")).last_error)


async def test_a_pin_waits_for_its_message_and_pins_what_was_sent(world: World) -> None:
    # Planned pin first, message 5 s later: the pin must wait for the message, not fail.
    await world.plan("notice:pin", GROUP, {"message_key": "notice"}, kind="pin")
    await world.plan("notice", GROUP, {"text": "3차 캠페인 시작"}, after=5)

    report = await world.sender().drain(until_empty=True)

    assert report.sent == 2
    message = world.tg.last_sent_message(GROUP)
    assert message is not None
    (pin,) = world.tg.calls_of("pinChatMessage")
    assert pin.ok and pin.params["message_id"] == message["message_id"]
    assert world.sends(GROUP, "pinChatMessage")[0] >= world.sends(GROUP)[0] + 3  # group pace


async def test_an_expired_reminder_is_skipped(world: World) -> None:
    expired = (START - timedelta(minutes=1)).isoformat()
    await world.plan("reminder:late", MINJI, {"text": "늦은 알림", "expires_at": expired})

    report = await world.sender().drain()

    assert report.skipped == 1 and world.tg.calls_of("sendMessage") == []
    assert (await world.row("reminder:late")).status == "skipped"


# ---- when Telegram says no --------------------------------------------------------------------


async def test_a_429_is_waited_out_and_the_message_is_sent_once(world: World) -> None:
    world.tg.fail_next("sendMessage", 429, retry_after=3)
    await world.plan("broadcast:1", MINJI)
    await world.plan("broadcast:2", JIHO)

    report = await world.sender().drain(until_empty=True)

    assert report.rate_limited == 1 and report.sent == 2
    first, second = world.sends(MINJI)
    assert second - first >= 3
    assert world.sends(JIHO)[0] - first >= 3  # everything paused, not only the one chat
    assert world.delivered(MINJI) == 1
    row = await world.row("broadcast:1")
    assert row.status == "sent" and row.attempts == 1


async def test_a_server_error_is_retried_after_a_backoff(world: World) -> None:
    world.tg.fail_next("sendMessage", 500)
    await world.plan("broadcast:1", MINJI)

    report = await world.sender(backoff_seconds=2).drain(until_empty=True)

    assert report.retried == 1 and report.sent == 1
    first, second = world.sends(MINJI)
    assert second - first >= 2
    row = await world.row("broadcast:1")
    assert row.status == "sent" and row.attempts == 1 and row.last_error is not None
    assert "Internal Server Error" in row.last_error


async def test_a_server_error_that_persists_fails_after_the_last_try(world: World) -> None:
    world.tg.fail_next("sendMessage", 502, times=10)
    await world.plan("broadcast:1", MINJI)

    report = await world.sender(max_attempts=3, backoff_seconds=1).drain(until_empty=True)

    assert report.failed == 1 and report.retried == 2
    tries = world.sends(MINJI)
    assert [round(b - a) for a, b in itertools.pairwise(tries)] == [1, 2]
    row = await world.row("broadcast:1")
    assert row.status == "failed" and row.attempts == 3
    assert row.last_error == "NetworkError: Bad Gateway (after 3 tries)"


async def test_a_bad_request_fails_at_once_with_telegrams_reason(world: World) -> None:
    await world.plan("broken", MINJI, {"text": "<b>닫히지 않은 태그"})

    report = await world.sender().drain(until_empty=True)

    assert report.failed == 1 and report.retried == 0
    assert len(world.sends(MINJI)) == 1
    row = await world.row("broken")
    assert row.status == "failed" and row.last_error is not None
    assert row.last_error.startswith("BadRequest: Can't parse entities")


async def test_a_participant_who_blocked_the_bot_is_reported_once_and_skipped(
    world: World,
) -> None:
    world.tg.blocked_chat_ids.add(MINJI)
    for day in ("08-16", "08-17", "08-18"):
        await world.plan(f"reminder:{MINJI}:2027-{day}", MINJI)
    await world.plan(f"reminder:{JIHO}:2027-08-16", JIHO)

    report = await world.sender(max_in_flight=4).drain(until_empty=True)

    assert world.blocked == [MINJI]
    assert report.blocked_chats == (MINJI,) and report.failed == 1 and report.skipped == 2
    assert len(world.sends(MINJI)) == 1 and world.delivered(JIHO) == 1
    first = await world.row(f"reminder:{MINJI}:2027-08-16")
    assert first.status == "failed" and first.last_error == "Forbidden: bot was blocked by the user"
    assert (await world.row(f"reminder:{MINJI}:2027-08-18")).status == "skipped"
    assert await world.counts() == {
        "pending": 0,
        "sending": 0,
        "sent": 1,
        "failed": 1,
        "skipped": 2,
    }


# ---- pace -------------------------------------------------------------------------------------


async def test_sends_never_beat_the_configured_pace(world: World) -> None:
    chats = (MINJI, JIHO, SEOYEON, HARIN)
    for round_number in range(5):
        for chat in chats:
            await world.plan(f"b:{chat}:{round_number}", chat)
    for number in range(4):
        await world.plan(f"g:{number}", GROUP)

    report = await world.sender(per_second=5, per_group_per_minute=20).drain(until_empty=True)

    assert report.sent == 24
    everything = sorted(world.sends())
    assert min(b - a for a, b in itertools.pairwise(everything)) >= 0.2 - 1e-9
    for chat in chats:
        times = world.sends(chat)
        assert min(b - a for a, b in itertools.pairwise(times)) >= 1 - 1e-9
    group = world.sends(GROUP)
    assert min(b - a for a, b in itertools.pairwise(group)) >= 3 - 1e-9
    # ... and no slower than needed: the group's first message goes out in the first round of
    # chats (oldest first), its other three 3 s apart, the private ones fit around them.
    assert group[0] <= 1.0 and everything[-1] == pytest.approx(group[0] + 9)
    assert everything[19] <= 19 * 0.2 + 1.0


async def test_a_429_slows_the_overall_pace_for_a_while(world: World) -> None:
    sender = world.sender(per_second=10)
    world.tg.fail_next("sendMessage", 429, retry_after=1)
    await world.plan("a", MINJI)
    await sender.drain(until_empty=True)
    assert sender.pacer.scale == pytest.approx(0.8)


# ---- crashes and the rate limiter -------------------------------------------------------------


async def test_a_send_interrupted_by_a_crash_is_not_repeated_after_a_restart(
    world: World, tmp_path
) -> None:
    await world.plan("notice", GROUP, {"text": "공지"})
    await world.sender().drain()
    await world.plan("broadcast:minji", MINJI)
    await world.plan("broadcast:jiho", JIHO)
    await world.plan("notice:pin", GROUP, {"message_key": "notice"}, kind="pin")
    async with world.db.transaction() as conn:  # the process dies after claiming these
        for key in ("broadcast:minji", "notice:pin"):
            assert await outbox.claim(conn, (await outbox.by_key(conn, key)).id)  # type: ignore[union-attr]
    await world.db.close()
    world.db = await Database.open(tmp_path / "outbox.sqlite3")

    report = await world.sender().drain(until_empty=True)

    assert report.recovered == 2
    minji = await world.row("broadcast:minji")
    assert minji.status == "failed" and minji.last_error == outbox.INTERRUPTED
    assert world.delivered(MINJI) == 0  # never sent twice: it may have arrived before the crash
    assert world.delivered(JIHO) == 1
    assert (await world.row("notice:pin")).status == "sent"  # pinning twice is harmless
    assert len(world.tg.calls_of("pinChatMessage")) == 1


async def test_an_app_with_aio_rate_limiter_lets_the_429_reach_the_outbox(world: World) -> None:
    application = (
        ApplicationBuilder()
        .token(DEFAULT_TOKEN)
        .request(world.request)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .build()
    )
    sender = OutboxSender(
        world.db,
        application.bot,
        clock=world.clock.now,
        monotonic=world.clock.monotonic,
        sleep=world.clock.sleep,
    )
    assert sender.bot is not application.bot and sender.bot.request is application.bot.request
    world.tg.fail_next("sendMessage", 429, retry_after=2)
    await world.plan("broadcast:1", MINJI)

    report = await sender.drain(until_empty=True)

    # AIORateLimiter would have retried on its own, sleeping for real and hiding the 429.
    assert report.rate_limited == 1 and report.sent == 1
    assert [c.status for c in world.tg.calls_of("sendMessage")] == [429, 200]


async def test_the_outbox_job_drains_while_the_bot_runs(world: World) -> None:
    application = ApplicationBuilder().token(DEFAULT_TOKEN).request(FakeRequest(world.tg)).build()
    sender = OutboxSender(world.db, application.bot)  # real clocks: the job queue is real
    job = sender.register(application, interval_seconds=0.2)
    assert job.name == "outbox"
    assert [j.name for j in application.job_queue.get_jobs_by_name("outbox")] == ["outbox"]  # type: ignore[union-attr]
    async with world.db.transaction() as conn:
        await outbox.plan(
            conn,
            key="broadcast:1",
            chat_id=MINJI,
            kind="text",
            payload={"text": "안녕하세요"},
            not_before=datetime.now(UTC),
            now=datetime.now(UTC),
        )

    async with application:
        await application.start()
        await world.tg.wait_for_async("sendMessage", timeout=5)
        await application.stop()

    assert world.delivered(MINJI) == 1
    assert (await world.counts())["sent"] == 1


async def test_a_message_telegram_refuses_for_good_is_not_queued_for_retries(world: World) -> None:
    # PTB's BadRequest is a NetworkError: it must not be mistaken for Telegram being unreachable.
    with pytest.raises(BadRequest):
        await send_or_queue(world.bot, world.db, MINJI, "", key="empty", now=START)
    with pytest.raises(BadRequest):
        await send_or_queue(world.bot, world.db, MINJI, "가" * 5000, key="too-long", now=START)
    assert sum((await world.counts()).values()) == 0

    world.tg.inject_fault("500", method="sendMessage")
    assert await send_or_queue(world.bot, world.db, MINJI, "안녕", key="down", now=START) is None
    assert (await world.row("down")).status == "pending"  # a 500 is worth another try


# ---- a notice planned with its change, delivered at once ---------------------------------------


async def test_a_notice_planned_with_its_change_goes_out_at_once_and_is_recorded(
    world: World,
) -> None:
    notice = outbox.Notice(key=f"decision:{MINJI}", chat_id=MINJI, text="승인됐어요")
    async with world.db.transaction() as conn:
        assert await outbox.plan_notice(conn, notice, world.clock.now())
    sender = world.sender()

    assert await sender.deliver_now(notice.key) is True
    assert world.tg.sent_texts(MINJI) == ["승인됐어요"]
    assert (await world.row(notice.key)).status == "sent"
    # Already settled: neither a second call nor a drain sends it again.
    assert await sender.deliver_now(notice.key) is False
    assert (await sender.drain(until_empty=True)).sent == 0
    assert world.delivered(MINJI) == 1


async def test_a_notice_telegram_cannot_take_now_is_sent_by_the_next_drain_once(
    world: World,
) -> None:
    world.tg.fail_next("sendMessage", 500)
    async with world.db.transaction() as conn:
        await outbox.plan_notice(
            conn, outbox.Notice(key="review:1", chat_id=MINJI, text="다시 인정"), world.clock.now()
        )
    sender = world.sender()

    assert await sender.deliver_now("review:1") is False
    row = await world.row("review:1")
    assert row.status == "pending" and row.attempts == 1 and row.not_before <= world.clock.now()
    assert (await sender.drain(until_empty=True)).sent == 1
    assert world.delivered(MINJI) == 1


async def test_delivering_a_notice_first_settles_what_a_crash_left_in_flight(
    world: World,
) -> None:
    await world.plan("broadcast:minji", MINJI)
    async with world.db.transaction() as conn:  # the previous process died sending this
        assert await outbox.claim(conn, (await outbox.by_key(conn, "broadcast:minji")).id)  # type: ignore[union-attr]
        await outbox.plan_notice(
            conn, outbox.Notice(key="decision:jiho", chat_id=JIHO, text="승인"), world.clock.now()
        )
    sender = world.sender()  # a fresh process: its first act is the notice, before any drain

    assert await sender.deliver_now("decision:jiho") is True
    assert (await world.row("broadcast:minji")).last_error == outbox.INTERRUPTED
    assert (await world.row("decision:jiho")).status == "sent"  # not taken for interrupted
    await sender.drain(until_empty=True)
    assert world.delivered(MINJI) == 0 and world.delivered(JIHO) == 1
