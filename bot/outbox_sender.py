"""The outbox sender: drains ``storage.outbox`` at Telegram's pace and records every outcome.

Pacing is done here, not by PTB: one send every ``1/per_second`` s overall, one every
``1/per_chat_per_second`` s per private chat and one every ``60/per_group_per_minute`` s per
group (chat ids < 0). Each limit is a token bucket holding one token, so the spacing is strict:
no burst ever exceeds the configured rate, which stays under Telegram's (30/s overall,
1/s per chat, 20/min per group). A chat's interval counts from the answer to its previous
message, so Telegram sees them that far apart however slow the network was.

Outcomes: sent → ``sent`` with the message id; 429 → back to ``pending`` after ``retry_after``,
everything paused that long and the overall rate lowered for a while; 5xx, network errors and
time-outs → back to ``pending`` with exponential backoff, ``failed`` after ``max_attempts``
tries; 400 → ``failed`` (not retryable); 403 → ``failed``, the chat's other pending rows
``skipped`` and ``on_blocked(chat_id)`` awaited. What happens to rows a crash leaves in
``sending`` is decided (and explained) in ``storage.outbox``. A time-out is retried although
Telegram may have delivered the message before the answer was lost; no bot can know.

An ``Application`` built with ``AIORateLimiter`` would retry a 429 itself (up to its
``max_retries``, holding every other request meanwhile) and add its own throttle; its
``rate_limit_args`` cannot turn that off (0 falls back to the default). The sender therefore
talks through a twin ``Bot`` without a rate limiter that shares the application's connection
pool (``outbox_bot``), so every 429 reaches this code.

A message that reports a committed change (a decision to the applicant, the leaders'
application cards, a revocation or restore) is a ``storage.outbox.Notice`` planned in the
change's own transaction, then handed to ``deliver_now``: the same claim → send → record path
as a drain, at once. A crash between the commit and the send leaves the row pending, and the
next drain (at start-up, then every second) sends it; the claim makes sure only one of them
does. ``send_or_queue`` is the older way, still used where the message is the step's answer
(a certification's reply): sent at once, planned here only when Telegram cannot be reached.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import warnings
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, CallbackContext, ExtBot, Job
from telegram.warnings import PTBDeprecationWarning

from storage import outbox
from storage.database import Database
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

JOB_NAME = "outbox"

Renderer = Callable[[dict[str, Any]], bytes]
# A renderer that reads the store first (e.g. the feed picture's previews); it does its CPU
# work in a worker thread itself.
AsyncRenderer = Callable[[dict[str, Any]], Awaitable[bytes]]
BlockedCallback = Callable[[int], Awaitable[None]]
_Send = Callable[[], Awaitable[int | None]]

# After a 429 the overall rate drops to this share of what it was, and climbs back by
# _RECOVERY_STEP of the configured rate every _RECOVERY_SECONDS without another 429.
_SLOWDOWN = 0.8
_MIN_SCALE = 0.1
_RECOVERY_STEP = 0.1
_RECOVERY_SECONDS = 10.0
# While Telegram keeps failing (5xx, network), everything pauses this long at most between
# probes, so an outage does not burn every row's tries at full speed.
_MAX_PAUSE_SECONDS = 30.0
# Long waits (a 429's retry_after) look this often whether the application is stopping.
_STOP_POLL_SECONDS = 1.0
# A pin whose message is still being sent looks again this much later.
_PIN_WAIT = timedelta(seconds=1)


def utc_now() -> datetime:
    return datetime.now(UTC)


def outbox_bot(bot: Bot) -> Bot:
    """``bot`` itself if it has no rate limiter, else a twin without one on the same connections.

    The twin is never initialised or shut down on its own: the application's bot owns the
    request objects they share.
    """
    if not isinstance(bot, ExtBot) or bot.rate_limiter is None:
        return bot
    return Bot(
        bot.token,
        base_url=lambda _token: bot.base_url,
        base_file_url=lambda _token: bot.base_file_url,
        request=bot.request,
        get_updates_request=bot.request,  # never used; avoids creating an idle client
        local_mode=bot.local_mode,
    )


async def send_or_queue(
    bot: Bot,
    db: Database,
    chat_id: int,
    text: str,
    *,
    key: str,
    now: datetime,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send now; if Telegram cannot be reached just now (5xx, 429, a dropped connection, a
    time-out), plan the same message in the outbox under ``key`` and return None. A 400
    (``BadRequest``: chat not found, text too long, bad markup) and a 403 (``Forbidden``) are
    raised: sending again later would fail the same way.

    For a message that reports something already committed (a decision, an accepted
    certification): the action must not look undone, or be half-done, because its report
    failed. The sender retries the row. A time-out may hide a message Telegram did deliver; it
    is then delivered twice rather than risk never arriving (no bot can tell the two apart).
    """
    try:
        return await bot.send_message(chat_id, text, reply_markup=reply_markup)
    except BadRequest:
        raise  # a NetworkError subclass in PTB, but Telegram's final answer to this message
    except (NetworkError, RetryAfter) as error:
        log.warning("message to %s queued in the outbox (%s): %s", chat_id, key, error)
    payload: dict[str, Any] = {"text": text}
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup.to_dict()
    async with db.transaction() as conn:
        await outbox.plan(
            conn, key=key, chat_id=chat_id, kind="text", payload=payload, not_before=now, now=now
        )
    return None


@dataclass(frozen=True)
class DrainReport:
    """What one ``drain`` did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0  # expired, or their chat blocked the bot
    retried: int = 0  # put back to pending for a later try (429s included)
    rate_limited: int = 0  # 429 answers
    blocked_chats: tuple[int, ...] = ()
    recovered: int = 0  # rows a crash had left in 'sending', settled at the first drain
    seconds: float = 0.0


@dataclass
class _Tally:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    rate_limited: int = 0
    blocked_chats: list[int] = field(default_factory=list)
    recovered: int = 0

    def report(self, seconds: float) -> DrainReport:
        return DrainReport(
            self.sent,
            self.failed,
            self.skipped,
            self.retried,
            self.rate_limited,
            tuple(self.blocked_chats),
            self.recovered,
            seconds,
        )


class Pacer:
    """Token buckets of one token: the overall send slot and each chat's next free moment.

    Times are seconds of the injected monotonic clock. The overall slot is reserved (FIFO) so
    concurrent senders get evenly spaced slots; a chat's moment is set when a send to it ends
    (the sender never has two sends to one chat in flight).
    """

    def __init__(
        self,
        *,
        per_second: float,
        per_chat_per_second: float,
        per_group_per_minute: float,
        monotonic: Callable[[], float],
    ) -> None:
        if min(per_second, per_chat_per_second, per_group_per_minute) <= 0:
            raise ValueError("rates must be positive")
        self._interval = 1.0 / per_second
        self._chat_interval = 1.0 / per_chat_per_second
        self._group_interval = max(60.0 / per_group_per_minute, self._chat_interval)
        self._monotonic = monotonic
        self._next_slot = -math.inf
        self._hold_until = -math.inf
        self._chat_free: dict[int, float] = {}
        self.scale = 1.0
        self._scaled_at = 0.0

    def chat_interval(self, chat_id: int) -> float:
        return self._group_interval if chat_id < 0 else self._chat_interval

    def waiting_chats(self, now: float) -> dict[int, float]:
        """Chats that may not be sent to yet, with the moment they may (forgets the others)."""
        expired = [chat for chat, free in self._chat_free.items() if free <= now]
        for chat in expired:
            del self._chat_free[chat]
        return dict(self._chat_free)

    def chat_free_at(self, chat_id: int) -> float:
        return self._chat_free.get(chat_id, -math.inf)

    def reserve(self, now: float) -> float:
        """Take the next overall slot (>= now) and return it."""
        if self.scale < 1.0 and now - self._scaled_at >= _RECOVERY_SECONDS:
            self.scale = min(1.0, self.scale + _RECOVERY_STEP)
            self._scaled_at = now
        slot = max(now, self._next_slot, self._hold_until)
        self._next_slot = slot + self._interval / self.scale
        return slot

    def held_after(self, slot: float) -> bool:
        """A pause decided after ``slot`` was reserved covers it: reserve again."""
        return self._hold_until > slot

    def finished(self, chat_id: int, now: float) -> None:
        """A send to the chat got its answer: the next may start one chat interval later.

        Counting from the answer rather than the start means Telegram sees the two requests at
        least that far apart however long the first one travelled.
        """
        self._chat_free[chat_id] = max(
            self.chat_free_at(chat_id), now + self.chat_interval(chat_id)
        )

    def pause(self, seconds: float, chat_id: int | None = None) -> None:
        now = self._monotonic()
        self._hold_until = max(self._hold_until, now + seconds)
        if chat_id is not None:
            self._chat_free[chat_id] = max(self.chat_free_at(chat_id), now + seconds)

    def slow_down(self) -> None:
        self.scale = max(_MIN_SCALE, self.scale * _SLOWDOWN)
        self._scaled_at = self._monotonic()


class OutboxSender:
    """Sends the outbox's due rows through ``bot`` at the configured pace; one drain at a time.

    One sender per database: rows found in ``sending`` when its first drain starts are taken
    to be left over from a crash.
    """

    def __init__(
        self,
        database: Database,
        bot: Bot,
        *,
        on_blocked: BlockedCallback | None = None,
        per_second: float = 25.0,
        per_chat_per_second: float = 1.0,
        per_group_per_minute: float = 20.0,
        max_attempts: int = 5,
        backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 300.0,
        max_in_flight: int = 16,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._db = database
        self._bot = outbox_bot(bot)
        self._on_blocked = on_blocked
        self._max_attempts = max_attempts
        self._backoff = backoff_seconds
        self._max_backoff = max_backoff_seconds
        self._max_in_flight = max(1, max_in_flight)
        self._clock = clock
        self._monotonic = monotonic
        self._sleep = sleep
        self.pacer = Pacer(
            per_second=per_second,
            per_chat_per_second=per_chat_per_second,
            per_group_per_minute=per_group_per_minute,
            monotonic=monotonic,
        )
        self._renderers: dict[str, AsyncRenderer] = {}
        self._lock = asyncio.Lock()
        self._recovered = False
        self._failures_in_a_row = 0
        self._task: asyncio.Task[DrainReport] | None = None

    @property
    def bot(self) -> Bot:
        """The bot the sender talks through (never one with a rate limiter)."""
        return self._bot

    def add_renderer(self, name: str, renderer: Renderer) -> None:
        """``photo`` rows name a renderer: ``fn(params) -> image bytes``, run in a worker thread
        (drawing is CPU work: the bot keeps answering meanwhile)."""

        async def in_thread(params: dict[str, Any]) -> bytes:
            return await asyncio.to_thread(renderer, params)

        self._renderers[name] = in_thread

    def add_async_renderer(self, name: str, renderer: AsyncRenderer) -> None:
        """``photo`` rows may name an async renderer: ``await fn(params) -> image bytes``."""
        self._renderers[name] = renderer

    def register(
        self, application: Application[Any, Any, Any, Any, Any, Any], interval_seconds: float = 1.0
    ) -> Job[Any]:
        """Look at the outbox every ``interval_seconds`` (job "outbox") while the bot runs.

        A tick starts a drain in the background unless one is still running, so a long
        broadcast is one continuous drain and the scheduler never skips a busy tick noisily.
        The drain stops taking rows once the application stops; sends in flight are recorded.
        """
        job_queue = application.job_queue
        if job_queue is None:
            raise RuntimeError("the outbox needs python-telegram-bot[job-queue]")
        for job in job_queue.get_jobs_by_name(JOB_NAME):
            job.schedule_removal()
        return job_queue.run_repeating(
            self._tick, interval=interval_seconds, first=0, name=JOB_NAME
        )

    async def _tick(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        if self._task is not None and not self._task.done():
            return
        application = context.application
        self._task = application.create_task(
            self._drain(until_empty=False, should_stop=lambda: not application.running),
            name="outbox-drain",
        )

    async def recover(self) -> int:
        """Settle rows a crash left in ``sending`` (``storage.outbox.recover_interrupted``)."""
        async with self._db.transaction() as conn:
            settled = await outbox.recover_interrupted(conn)
        if settled:
            log.warning("outbox: %d rows were interrupted by a stop; see storage.outbox", settled)
        self._recovered = True
        return settled

    async def drain(self, *, until_empty: bool = False) -> DrainReport:
        """Send every due row; with ``until_empty``, also wait for rows due later (retries,
        future ``not_before``) until nothing is pending."""
        return await self._drain(until_empty=until_empty, should_stop=lambda: False)

    async def deliver_now(self, key: str) -> bool:
        """Deliver the pending row ``key`` at once, through the same claim → send → record path
        as a drain; True if Telegram took it.

        For a notice planned in the transaction of the change it reports (``plan_notice``): the
        person hears at once, as if it had been sent directly, while the row guarantees that a
        crash right after the commit only delays the message until the next drain. Any other
        outcome is the drain's (failed, the chat's rows skipped), except that a retryable
        failure leaves the row due at once: the drain's pacer, not a backoff, decides when it
        goes again (as when such a message used to be queued only after failing). The pace is
        not waited for: one message answering a person's action, as a reply would be.
        """
        if not self._recovered:
            # A row left in 'sending' by a crash must be settled before anything is claimed,
            # or the first drain would take this send for an interrupted one.
            async with self._lock:
                if not self._recovered:
                    await self.recover()
        async with self._db.transaction() as conn:
            row = await outbox.by_key(conn, key)
        if row is None or row.status != "pending" or row.not_before > self._clock():
            return False
        tally = _Tally()
        send = await self._prepare(row, tally)
        if send is None:
            return False
        await self._claim_and_send(row, send, tally, retry_now=True)
        return tally.sent == 1

    # ---- the loop ------------------------------------------------------------------------------

    async def _drain(self, *, until_empty: bool, should_stop: Callable[[], bool]) -> DrainReport:
        async with self._lock:
            started = self._monotonic()
            tally = _Tally()
            if not self._recovered:
                tally.recovered = await self.recover()
            in_flight: dict[int, asyncio.Task[None]] = {}  # one per chat keeps a chat's order
            try:
                while not should_stop():
                    _reap(in_flight)
                    if len(in_flight) >= self._max_in_flight:
                        await self._wait(in_flight.values(), None)
                        continue
                    now = self._monotonic()
                    waiting = self.pacer.waiting_chats(now)
                    row = await self._next_row({*in_flight, *waiting})
                    if row is not None:
                        in_flight[row.chat_id] = asyncio.create_task(
                            self._deliver(row, tally, should_stop)
                        )
                        continue
                    timeout: float | None = None
                    if waiting and await self._next_row(in_flight) is not None:
                        timeout = min(waiting.values()) - now  # a paced chat has rows due
                    elif in_flight:
                        pass  # their outcome may make rows due (or free a chat): wait for it
                    elif until_empty:
                        later = await self._next_not_before()
                        if later is None:
                            break
                        timeout = max(0.0, (later - self._clock()).total_seconds())
                    else:
                        break
                    await self._wait(in_flight.values(), timeout)
            finally:
                # Sends already claimed finish and are recorded whatever ended the loop.
                errors = await _settle(in_flight)
            if errors:
                raise errors[0]
            report = tally.report(self._monotonic() - started)
        if report.sent or report.failed or report.skipped or report.retried:
            log.info(
                "outbox: %d sent, %d failed, %d skipped, %d to retry (%d × 429) in %.1f s",
                report.sent,
                report.failed,
                report.skipped,
                report.retried,
                report.rate_limited,
                report.seconds,
            )
        return report

    async def _next_row(self, exclude: Iterable[int]) -> OutboxMessage | None:
        async with self._db.transaction() as conn:
            rows = await outbox.due(conn, self._clock(), 1, exclude_chat_ids=set(exclude))
        return rows[0] if rows else None

    async def _next_not_before(self) -> datetime | None:
        async with self._db.transaction() as conn:
            return await outbox.next_not_before(conn)

    async def _wait(self, tasks: Iterable[asyncio.Task[None]], timeout: float | None) -> None:
        waiters: set[asyncio.Future[Any]] = set(tasks)
        timer = None
        if timeout is not None:
            timer = asyncio.ensure_future(self._sleep(max(0.0, timeout)))
            waiters.add(timer)
        if not waiters:
            return
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        if timer is not None and not timer.done():
            timer.cancel()
            await asyncio.gather(timer, return_exceptions=True)

    # ---- one row -------------------------------------------------------------------------------

    async def _deliver(
        self, row: OutboxMessage, tally: _Tally, should_stop: Callable[[], bool]
    ) -> None:
        send = await self._prepare(row, tally)
        if send is None or not await self._acquire(row.chat_id, should_stop):
            return
        await self._claim_and_send(row, send, tally)

    async def _claim_and_send(
        self, row: OutboxMessage, send: _Send, tally: _Tally, *, retry_now: bool = False
    ) -> None:
        """Claim, send, record the answer. ``retry_now``: a retryable failure puts the row back
        due at once (the pacer still holds the chat after a 429) instead of after a backoff,
        like a first try that never reached the drain's schedule."""
        async with self._db.transaction() as conn:
            if not await outbox.claim(conn, row.id):
                return  # someone else has it, or it is settled: never send twice
        try:
            message_id = await send()
        except RetryAfter as exc:
            await self._rate_limited(row, exc, tally, retry_now=retry_now)
        except Forbidden as exc:
            await self._blocked(row, exc, tally)
        except ChatMigrated as exc:
            await self._fail(row, f"ChatMigrated: the group is now {exc.new_chat_id}", tally)
        except BadRequest as exc:
            await self._fail(row, _reason(exc), tally)
        except InvalidToken as exc:
            await self._retry(row, _reason(exc), tally)
            raise  # every send would fail the same way: let the error handler tell someone
        except TelegramError as exc:  # NetworkError: 5xx, TimedOut, connection errors
            if retry_now:
                await self._retry(row, _reason(exc), tally)
            else:
                await self._transient(row, exc, tally)
        else:
            self._failures_in_a_row = 0
            async with self._db.transaction() as conn:
                now = self._clock()
                if await outbox.mark_sent(conn, row.id, message_id, now):
                    await outbox.record_delivery(conn, row, message_id, now)
            tally.sent += 1
        finally:
            self.pacer.finished(row.chat_id, self._monotonic())

    async def _acquire(self, chat_id: int, should_stop: Callable[[], bool]) -> bool:
        """Wait for the chat and an overall slot; False if the drain is stopping meanwhile."""
        while not should_stop():
            now = self._monotonic()
            chat_free = self.pacer.chat_free_at(chat_id)
            if chat_free > now:
                await self._sleep(min(chat_free - now, _STOP_POLL_SECONDS))
                continue
            slot = self.pacer.reserve(now)
            while slot > (now := self._monotonic()):
                if should_stop():
                    return False
                await self._sleep(min(slot - now, _STOP_POLL_SECONDS))
            if not self.pacer.held_after(slot) and self.pacer.chat_free_at(chat_id) <= slot:
                return not should_stop()
        return False

    async def _prepare(self, row: OutboxMessage, tally: _Tally) -> _Send | None:
        """What to call for this row, with everything slow done before the row is claimed."""
        try:
            expires = row.payload.get("expires_at")
            if expires and self._clock() >= datetime.fromisoformat(expires):
                async with self._db.transaction() as conn:
                    if await outbox.skip(conn, row.id, f"expired at {expires}"):
                        tally.skipped += 1
                return None
            if row.kind == "text":
                return self._text(row)
            if row.kind == "photo":
                return await self._photo(row)
            if row.kind == "pin":
                return await self._pin(row, tally)
            if row.kind == outbox.EDIT_TEXT:
                return await self._edit_text(row, tally)
            raise ValueError(f"unknown kind {row.kind!r}")
        except (KeyError, TypeError, ValueError) as exc:
            await self._fail(row, f"bad payload: {exc!r}", tally)
            return None
        except _RenderFailed as exc:
            await self._fail(row, str(exc), tally)
            return None

    def _text(self, row: OutboxMessage) -> _Send:
        payload = row.payload
        text = payload["text"]
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        markup = _markup(payload, self._bot)

        async def send() -> int:
            message = await self._bot.send_message(
                row.chat_id,
                text,
                parse_mode=payload.get("parse_mode", ParseMode.HTML),
                reply_markup=markup,
                disable_notification=bool(payload.get("disable_notification", False)),
            )
            return message.message_id

        return send

    async def _photo(self, row: OutboxMessage) -> _Send:
        payload = row.payload
        data: bytes | str
        if "file_id" in payload:
            # A photo Telegram already has (a leader's broadcast): sent again by its file id.
            data, name = str(payload["file_id"]), "photo"
        else:
            render = payload["render"]
            name, params = render["name"], render.get("params", {})
            renderer = self._renderers.get(name)
            if renderer is None:
                raise _RenderFailed(f"no renderer {name!r}")
            try:
                data = await renderer(params)
            except Exception as exc:
                raise _RenderFailed(f"renderer {name!r} failed: {exc!r}") from exc
        markup = _markup(payload, self._bot)
        caption = payload.get("caption")

        async def send() -> int:
            message = await self._bot.send_photo(
                row.chat_id,
                data,
                caption=caption,
                parse_mode=payload.get("parse_mode", ParseMode.HTML) if caption else None,
                reply_markup=markup,
                disable_notification=bool(payload.get("disable_notification", False)),
                filename=f"{name}{_extension(data)}" if isinstance(data, bytes) else None,
            )
            return message.message_id

        return send

    async def _target_message(self, row: OutboxMessage, verb: str, tally: _Tally) -> int | None:
        """The Telegram id of the message another row (``payload["message_key"]``) sent, for a
        pin or an edit; None once this row is postponed (the target is not sent yet) or failed."""
        key = row.payload["message_key"]
        async with self._db.transaction() as conn:
            target = await outbox.by_key(conn, key)
            if target is not None and target.status in ("pending", "sending"):
                # Its message is not sent yet: look again once it may have been.
                later = max(target.not_before, self._clock()) + _PIN_WAIT
                await outbox.postpone(conn, row.id, later)
                return None
        if target is None or target.status != "sent" or target.sent_message_id is None:
            status = "missing" if target is None else target.status
            await self._fail(row, f"message to {verb} {key!r} is {status}", tally)
            return None
        if target.chat_id != row.chat_id:
            raise ValueError(f"message to {verb} {key!r} is in another chat")
        return target.sent_message_id

    async def _pin(self, row: OutboxMessage, tally: _Tally) -> _Send | None:
        message_id = await self._target_message(row, "pin", tally)
        if message_id is None:
            return None
        silent = bool(row.payload.get("disable_notification", False))

        async def send() -> None:
            await self._bot.pin_chat_message(row.chat_id, message_id, disable_notification=silent)

        return send

    async def _edit_text(self, row: OutboxMessage, tally: _Tally) -> _Send | None:
        """Edit the message another row sent (a card that changes); waits for it like a pin."""
        text = row.payload["text"]
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        message_id = await self._target_message(row, "edit", tally)
        if message_id is None:
            return None
        markup = _markup(row.payload, self._bot)

        async def send() -> int:
            try:
                await self._bot.edit_message_text(
                    text,
                    chat_id=row.chat_id,
                    message_id=message_id,
                    parse_mode=row.payload.get("parse_mode", ParseMode.HTML),
                    reply_markup=markup,
                )
            except BadRequest as exc:
                # Sent twice after a crash, or nothing changed: the message shows it already.
                if "not modified" not in str(exc).lower():
                    raise
            return message_id

        return send

    # ---- outcomes ------------------------------------------------------------------------------

    async def _fail(self, row: OutboxMessage, reason: str, tally: _Tally) -> None:
        async with self._db.transaction() as conn:
            if await outbox.mark_failed(conn, row.id, reason, self._clock()):
                tally.failed += 1
        log.warning("outbox: %s to %s failed: %s", row.key, row.chat_id, reason)

    async def _retry(
        self, row: OutboxMessage, reason: str, tally: _Tally, delay: float = 0.0
    ) -> None:
        # The store keeps whole seconds: round up so a retry never comes before it may.
        not_before = _ceil_second(self._clock() + timedelta(seconds=delay))
        async with self._db.transaction() as conn:
            if await outbox.reschedule(conn, row.id, not_before, reason):
                tally.retried += 1

    async def _rate_limited(
        self, row: OutboxMessage, exc: RetryAfter, tally: _Tally, *, retry_now: bool = False
    ) -> None:
        seconds = _retry_after_seconds(exc)
        tally.rate_limited += 1
        # Telegram does not say whether the limit was the chat's or the bot's: hold both.
        self.pacer.pause(seconds, row.chat_id)
        self.pacer.slow_down()
        log.warning(
            "outbox: 429 for %s, waiting %.0f s; overall rate now %.0f%%",
            row.chat_id,
            seconds,
            self.pacer.scale * 100,
        )
        delay = 0.0 if retry_now else seconds
        await self._retry(row, f"RetryAfter: retry after {seconds:g} s", tally, delay)

    async def _blocked(self, row: OutboxMessage, exc: Forbidden, tally: _Tally) -> None:
        reason = _reason(exc)
        async with self._db.transaction() as conn:
            if await outbox.mark_failed(conn, row.id, reason, self._clock()):
                tally.failed += 1
            tally.skipped += await outbox.skip_chat(conn, row.chat_id, reason)
        tally.blocked_chats.append(row.chat_id)
        log.info("outbox: chat %s refuses messages (%s)", row.chat_id, reason)
        if self._on_blocked is not None:
            try:
                await self._on_blocked(row.chat_id)
            except Exception:
                log.exception("outbox: on_blocked(%s) failed", row.chat_id)

    async def _transient(self, row: OutboxMessage, exc: TelegramError, tally: _Tally) -> None:
        reason = _reason(exc)
        self._failures_in_a_row += 1
        self.pacer.pause(
            min(self._backoff * 2 ** (self._failures_in_a_row - 1), _MAX_PAUSE_SECONDS)
        )
        if row.attempts + 1 >= self._max_attempts:
            await self._fail(row, f"{reason} (after {row.attempts + 1} tries)", tally)
            return
        delay = min(self._backoff * 2**row.attempts, self._max_backoff)
        log.info("outbox: %s to %s: %s; again in %.0f s", row.key, row.chat_id, reason, delay)
        await self._retry(row, reason, tally, delay)


class _RenderFailed(Exception):
    pass


def _reap(in_flight: dict[int, asyncio.Task[None]]) -> None:
    """Forget finished sends; an unexpected error in one (the store failing) ends the drain."""
    for chat_id, task in list(in_flight.items()):
        if task.done():
            del in_flight[chat_id]
            task.result()


async def _settle(in_flight: dict[int, asyncio.Task[None]]) -> list[BaseException]:
    """Wait for every send still in flight; their unexpected errors, the first one raised."""
    results = await asyncio.gather(*in_flight.values(), return_exceptions=True)
    in_flight.clear()
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors[1:]:
        log.error("outbox: another send failed too", exc_info=error)
    return errors


def _markup(payload: dict[str, Any], bot: Bot) -> InlineKeyboardMarkup | None:
    value = payload.get("reply_markup")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError("reply_markup must be InlineKeyboardMarkup JSON")
    return InlineKeyboardMarkup.de_json(value, bot)


def _reason(exc: TelegramError) -> str:
    name, text = type(exc).__name__, str(exc)
    return text if text.startswith(name) else f"{name}: {text}"


def _retry_after_seconds(exc: RetryAfter) -> float:
    # The public attribute warns (int now, timedelta in a future PTB); read it quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _ceil_second(moment: datetime) -> datetime:
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment


def _extension(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return ".webp"
    return ".jpg"


async def deliver_planned(sender: OutboxSender | None, keys: Iterable[str]) -> None:
    """Deliver notices planned with a state change now, one by one (``deliver_now``).

    Without a sender (the bot not started yet) they wait for the first drain.
    """
    if sender is None:
        return
    for key in keys:
        await sender.deliver_now(key)
