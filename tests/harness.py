"""A campaign bot wired to the fake Bot API, driven update by update through
``Application.process_update``, with helpers that walk a participant through the campaign."""

from __future__ import annotations

import asyncio
import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.campaign.config import Campaign
from bot.context import Services
from bot.i18n import Translator
from bot.settings import Settings
from scheduler import jobs
from tests.fakes import DEFAULT_TOKEN, FakeRequest, FakeTelegram, UpdateFactory
from tests.support import scene_photo

JSON = dict[str, Any]
LEADER_IDS = (9001, 9002)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": DEFAULT_TOKEN,
        "bot_api_url": "http://fake-bot-api.invalid",
        "database_path": tmp_path / "bot.sqlite3",
        "leader_ids": frozenset(LEADER_IDS),
        "group_chat_id": None,
        "campaign_file": tmp_path / "campaign.toml",
        "log_level": "INFO",
    }
    values.update(overrides)
    return Settings(**values)


class VirtualClock:
    """Monotonic time that passes only when the outbox sender sleeps."""

    def __init__(self) -> None:
        self.elapsed = 0.0

    def monotonic(self) -> float:
        return self.elapsed

    async def sleep(self, seconds: float) -> None:
        self.elapsed += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass
class Harness:
    tg: FakeTelegram
    factory: UpdateFactory
    app: Application  # type: ignore[type-arg]
    errors: list[BaseException] = field(default_factory=list)
    _seed: int = 0

    # ---- plumbing --------------------------------------------------------------------------

    @property
    def services(self) -> Services:
        return self.app.bot_data

    @property
    def now(self) -> datetime:
        return self.factory.now

    @now.setter
    def now(self, value: datetime) -> None:
        self.factory.now = value

    def advance(self, **kwargs: float) -> datetime:
        return self.factory.advance(timedelta(**kwargs))

    async def send(self, update: JSON) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    def t(self, key: str, language: str = "ko", **args: Any) -> str:
        """A catalogue message as the person reads it (formatting tags removed)."""
        rendered = self.services.translator(language, key, **args)
        return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()

    def texts(self, chat_id: int) -> list[str]:
        return self.tg.sent_texts(chat_id)

    def last_text(self, chat_id: int) -> str:
        texts = self.texts(chat_id)
        assert texts, f"nothing was sent to {chat_id}"
        return texts[-1]

    def message_with_button(self, chat_id: int, data: str) -> JSON:
        """The newest message in the chat that shows a button with this callback data."""
        for message in reversed(self.tg.sent_messages(chat_id)):
            markup = message.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                if any(button.get("callback_data") == data for button in row):
                    return message
        raise AssertionError(f"no button {data!r} in chat {chat_id}")

    def buttons(self, chat_id: int) -> list[str]:
        """Callback data of the buttons on the last message sent to the chat."""
        message = self.tg.last_sent_message(chat_id)
        markup = (message or {}).get("reply_markup") or {}
        rows = markup.get("inline_keyboard", [])
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]

    async def press(self, user: JSON, data: str, *, message: JSON | None = None) -> None:
        """Press a button the bot showed this person (or ``message``'s button, e.g. forged)."""
        if message is None:
            message = self.message_with_button(user["id"], data)
        await self.send(self.factory.callback(user, data, message=message))

    async def say(self, user: JSON, text: str) -> None:
        await self.send(self.factory.text(user, text))

    def next_photo(self) -> bytes:
        self._seed += 1
        return scene_photo(self._seed)

    async def send_photo(self, user: JSON, data: bytes | None = None) -> None:
        await self.send(self.factory.photo_from_bytes(self.tg, user, data or self.next_photo()))

    async def send_file(
        self, user: JSON, data: bytes, file_name: str = "photo.jpg", mime: str = "image/jpeg"
    ) -> None:
        await self.send(
            self.factory.document_from_bytes(
                self.tg, user, data, file_name=file_name, mime_type=mime
            )
        )

    # ---- the campaign, step by step --------------------------------------------------------

    def person(self, user_id: int, name: str = "민지", language: str = "ko") -> JSON:
        return self.factory.user(user_id, name, language_code=language)

    async def open_leader_chats(self) -> list[JSON]:
        leaders = [self.person(leader_id, f"경위{leader_id}") for leader_id in LEADER_IDS]
        for leader in leaders:
            await self.say(leader, "/start")
        return leaders

    async def apply(
        self,
        user: JSON,
        *,
        name: str = "김민지",
        category: str = "high",
        under_14: bool = False,
        affiliation: str = "익산고등학교",
        neighbourhood: str = "영등동",
        volunteer_id: str | None = "minji1365",
    ) -> None:
        await self.say(user, "/start")
        await self.press(user, "apply:begin")
        await self.say(user, name)
        await self.press(user, f"apply:category:{category}")
        if category == "middle":
            await self.press(user, f"apply:under_14:{'yes' if under_14 else 'no'}")
            if under_14:
                await self.press(user, "apply:guardian:yes")
        await self.say(user, affiliation)
        await self.say(user, neighbourhood)
        if volunteer_id is None:
            await self.press(user, "apply:volunteer_id:skip")
        else:
            await self.say(user, volunteer_id)
        await self.press(user, "apply:consent:yes")

    async def approve(self, user: JSON, leader: JSON) -> None:
        await self.press(leader, f"decide:approve:{user['id']}")

    async def join(self, user: JSON, leader: JSON, **answers: Any) -> None:
        await self.apply(user, **answers)
        await self.approve(user, leader)

    async def certify(
        self,
        user: JSON,
        *,
        gap_minutes: int = 15,
        note: str | None = None,
        skip_note: bool = True,
    ) -> None:
        """A whole certification of the only mission running: start, end, then the ``note`` or
        (``skip_note``) its skip button, and the review-feed post that follows sent. With
        ``skip_note=False`` the note step stays open and nothing is posted yet."""
        await self.say(user, "/certify")
        await self.send_photo(user)
        self.advance(minutes=gap_minutes)
        await self.send_photo(user)
        skip = [d for d in self.buttons(user["id"]) if d.startswith("cert:skipnote:")]
        if not skip:
            return  # not accepted: no note step, no post
        if note is not None:
            await self.say(user, note)
        elif skip_note:
            await self.press(user, skip[0])
        else:
            return
        await self.post_feed()

    async def post_feed(self) -> None:
        """Send what the outbox holds now (the feed posts planned so far) at Telegram's pace,
        in virtual time: a group's 20 messages a minute cost the test no real waiting."""
        clock = VirtualClock()
        sender = jobs.outbox_sender(self.app, monotonic=clock.monotonic, sleep=clock.sleep)
        await sender.drain()


async def start_harness(
    tmp_path: Path,
    campaign: Campaign,
    now: datetime,
    *,
    rate_limit: bool = False,
    continuing: Harness | None = None,
    **settings: Any,
) -> Harness:
    """The bot on a fake Bot API; ``rate_limit`` builds it like production, with PTB's
    AIORateLimiter. ``continuing``: a restart after that harness, whose Telegram goes on (it
    never repeats an update id or a chat's message id; the bot skips one it has handled)."""
    tg = FakeTelegram()
    factory = UpdateFactory(tg, now=now)
    if continuing is not None:
        factory.continue_from(continuing.factory)
        tg.continue_from(continuing.tg)
    app = build_application(
        make_settings(tmp_path, **settings),
        campaign,
        request=FakeRequest(tg),
        get_updates_request=FakeRequest(tg),
        translator=Translator(strict=True),
        rate_limit=rate_limit,
    )
    harness = Harness(tg, factory, app)
    app.bot_data.clock = lambda: factory.now

    async def record(update: object, context: Any) -> None:
        harness.errors.append(context.error)

    app.add_error_handler(record)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    return harness


async def stop_harness(harness: Harness) -> None:
    await harness.app.shutdown()
    if harness.app.post_shutdown is not None:
        await harness.app.post_shutdown(harness.app)
