"""Random sequences of updates from several people, with the campaign's promises checked after
each one: no handler error, every private message answered, /cancel always back at the start,
no certification without two photos, accepted counts as announced, and nothing a non-leader did
touches what only leaders may change.

Bounded for CI: 25 runs of 25 updates each (``HYPOTHESIS_EXAMPLES`` changes the count).
``HYPOTHESIS_PROFILE=soak`` runs 500 runs of 60 updates (``HYPOTHESIS_SOAK_EXAMPLES``).
"""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from bot.campaign.config import parse_campaign
from bot.campaign.conversation import Expecting, expectation
from bot.i18n import language_for
from tests.harness import Harness, start_harness, stop_harness
from tests.support import campaign_document, kst, real_photo, scene_photo

settings.register_profile(
    "campaign-bounded",
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "25")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "campaign-soak",
    max_examples=int(os.environ.get("HYPOTHESIS_SOAK_EXAMPLES", "500")),
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Own names: Hypothesis itself loads a profile called "ci" when it detects CI.
PROFILE = "campaign-soak" if os.environ.get("HYPOTHESIS_PROFILE") == "soak" else "campaign-bounded"

GROUP = -1001234567890
CHANNEL = -1009876543210
LEADER = 9001
APPROVED, APPROVED_2, PENDING, APPLYING, VISITOR = 1001, 1005, 1002, 1003, 1004
PEOPLE = (LEADER, APPROVED, APPROVED_2, PENDING, APPLYING, VISITOR)

HOSTILE = [
    "<script>alert(1)</script>",
    "<b>굵게</b> & <i>",
    "*굵게* _기울임_ `코드` [링크](http://x.invalid)",
    "'; DROP TABLE participants; --",
    "Robert'); DELETE FROM certifications;--",
    "\u202e거꾸로\u202c 이름",
    "제\u200b로\u200d폭",
    "👮‍♀️🚓💯",
    "가" * 5000,
    "a" * 10_000,
    "",
    " ",
    "\n\n",
    "김민지",
    "익산고등학교",
    "minji_1365",
    "오늘은 골목을 돌았어요",
    "&lt;이미 이스케이프&gt;",
    "</pre></code><a href='x'>",
    "\x00\x07제어문자",
]
COMMANDS = [
    "/start",
    "/start join",
    "/start apply",
    "/cancel",
    "/me",
    "/certify",
    "/theme",
    "/idea",
    "/ideas",
    "/stats",
    "/top",
    "/leaders",
    "/pending",
    "/broadcast",
    "/participant",
    f"/participant {APPROVED}",
    "/export",
    "/export reports",
    "/audit",
    "/report",
    "/help",
    "/lang",
    "/settings",
    "/mydata",
    "/delete",
    "/nonsense",
    "/start@iksan_safety_bot",
    "/me extra words <b>",
]
# Button data a client can forge: templates filled with ids that exist in the store.
FORGED = [
    "decide:approve:{user}",
    "decide:reject:{user}",
    "decide:noreason:{user}",
    "decide:keep:{user}",
    "rev:revoke:{cert}",
    "rev:restore:{cert}",
    "rev:keep:{cert}",
    "cert:skipnote:{cert}",
    "cert:mission:{mission}",
    "cert:begin",
    "cert:cancel",
    "cheer:{cert}",
    "person:pause:{user}",
    "person:resume:{user}",
    "person:remove:{user}",
    "person:name:{user}",
    "person:vid:{user}",
    "handout:letter:{user}",
    "handout:m10:{user}",
    "risk:fwd:{report}",
    "risk:to:{report}:road",
    "risk:resolve:{report}",
    "risk:reject:{report}",
    "theme:days:7",
    "theme:confirm",
    "idea:use:{idea}",
    "broadcast:send",
    "set:rem:20:00",
    "apply:category:adult",
    "apply:consent:yes",
    "apply:under_14:yes",
    "lang:en",
    "lang:xx",
    "",
    "decide:approve:",
    "decide:approve:-1",
    "decide:approve:99999999999999999999999",
    "cert:skipnote:abc",
    "cheer:1:2:3",
    "nonsense",
    "🙂",
]
NEVER_PRESSED = ("erase:delete:",)  # deleting one's own data resets counts on purpose


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", scene_photo(99))
    return buffer.getvalue()


_PHOTOS: list[bytes] = []


def photo_pool(index: int) -> bytes:
    """Distinct photos, made once for the whole test run (each example has a fresh store)."""
    while len(_PHOTOS) <= index:
        _PHOTOS.append(scene_photo(10_000 + len(_PHOTOS)))
    return _PHOTOS[index]


@dataclass
class World:
    """The bot and what the test remembers about each person."""

    bot: Harness
    texts_sent: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    photos_sent: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    accepted: dict[int, int] = field(default_factory=dict)
    photo_count: int = 0


class CampaignMachine(RuleBasedStateMachine):
    """One bot per example; each rule is one update (or a /cancel check) from one person."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.tmp = tempfile.TemporaryDirectory()
        self.world: World | None = None

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def teardown(self) -> None:
        if self.world is not None:
            self.run(stop_harness(self.world.bot))
        self.loop.close()
        self.tmp.cleanup()

    # ---- set-up: a leader, two participants, one pending, one mid-form, one visitor -------

    @initialize()
    def campaign_underway(self) -> None:
        self.world = self.run(self._set_up())

    async def _set_up(self) -> World:
        campaign = parse_campaign(campaign_document())
        bot = await start_harness(
            Path(self.tmp.name), campaign, kst("2027-08-16", "19:00"), group_chat_id=GROUP
        )
        bot.tg.add_chat(bot.factory.group_chat(GROUP, "치안협력관 단체방"))
        world = self.world = World(bot)
        leader = bot.person(LEADER, "경위")
        await bot.say(leader, "/start")
        await bot.say(bot.person(9002, "경사"), "/start")
        await bot.join(bot.person(APPROVED, "민지"), leader, name="김민지")
        await bot.join(self.person(APPROVED_2), leader, name="<i>Alex</i> & Kim")
        await bot.apply(bot.person(PENDING, "서준"), name="이서준")
        applying = bot.person(APPLYING, "하은")
        await bot.say(applying, "/start")
        await bot.press(applying, "apply:begin")
        await bot.say(applying, "박하은")
        await bot.say(self.person(VISITOR), "/start")
        # One accepted certification of the first participant: its buttons exist to be forged.
        await bot.say(bot.person(APPROVED), "/certify")
        await self._photo(world, APPROVED)
        bot.advance(minutes=16)
        await self._photo(world, APPROVED)
        assert bot.errors == []
        world.accepted = await self._accepted_by_person(world)
        return world

    def person(self, user_id: int) -> dict[str, Any]:
        assert self.world is not None
        # Telegram names with markup: everything the bot echoes must be escaped.
        names = {
            LEADER: ("경위", "ko"),
            APPROVED_2: ("<i>Alex</i>", "en"),
            VISITOR: ("<b>Sam</b> & <script>", "en"),
        }
        name, language = names.get(user_id, ("민지", "ko"))
        return self.world.bot.person(user_id, name, language)

    # ---- what the test watches -----------------------------------------------------------

    async def _accepted_by_person(self, world: World) -> dict[int, int]:
        async with world.bot.services.database.transaction() as conn:
            cursor = await conn.execute(
                "SELECT participant_id, COUNT(*) FROM certifications "
                "WHERE status IN ('accepted', 'revoked') GROUP BY participant_id"
            )
            return {row[0]: row[1] for row in await cursor.fetchall()}

    async def _leader_state(self, actor: int) -> dict[str, Any]:
        """Everything only a leader may change (the actor's own form answers excluded)."""
        db = self.world.bot.services.database  # type: ignore[union-attr]
        queries = {
            "others": (
                "SELECT user_id, status, full_name, category, affiliation, neighbourhood, "
                "volunteer_id, paused, paused_reason, active FROM participants "
                "WHERE user_id != ? ORDER BY user_id",
                (actor,),
            ),
            "own": (
                "SELECT status IN ('approved', 'rejected'), paused, paused_reason "
                "FROM participants WHERE user_id = ?",
                (actor,),
            ),
            "missions": ("SELECT * FROM missions ORDER BY id", ()),
            "drafts": ("SELECT * FROM theme_drafts ORDER BY leader_id", ()),
            "reviews": ("SELECT * FROM certification_reviews ORDER BY rowid", ()),
            "revoked": ("SELECT id, status FROM certifications WHERE status = 'revoked'", ()),
            "handouts": ("SELECT * FROM reward_handouts ORDER BY rowid", ()),
            "broadcasts": ("SELECT key FROM outbox WHERE key LIKE 'broadcast:%' ORDER BY key", ()),
            "risk_decisions": (
                "SELECT id, status, agency FROM risk_reports "
                "WHERE status NOT IN ('draft', 'submitted') ORDER BY id",
                (),
            ),
            "leader_inputs": (
                "SELECT * FROM pending_inputs WHERE user_id != ? ORDER BY user_id",
                (actor,),
            ),
        }
        state: dict[str, Any] = {}
        async with db.transaction() as conn:
            for name, (sql, params) in queries.items():
                cursor = await conn.execute(sql, params)
                state[name] = [tuple(row) for row in await cursor.fetchall()]
        return state

    async def _answers(self, chat_id: int) -> int:
        bot = self.world.bot  # type: ignore[union-attr]
        return len(bot.tg.sent_messages(chat_id)) + len(bot.tg.calls_of("editMessageText"))

    async def _step(self, actor: int, send: Any, *, must_answer: bool = False) -> None:
        """Send one update and check that a non-leader changed nothing of the leaders'."""
        world = self.world
        assert world is not None
        before = await self._leader_state(actor) if actor != LEADER else None
        answers = await self._answers(actor)
        accepted_texts = len(self._accepted_messages(actor))
        await send()
        assert world.bot.errors == [], f"a handler raised: {world.bot.errors!r}"
        if before is not None:
            assert await self._leader_state(actor) == before, "a non-leader changed leader state"
        if must_answer:
            assert await self._answers(actor) > answers, "a private message went unanswered"
        world.accepted[actor] = world.accepted.get(actor, 0) + (
            len(self._accepted_messages(actor)) - accepted_texts
        )

    def _accepted_messages(self, chat_id: int) -> list[str]:
        bot = self.world.bot  # type: ignore[union-attr]
        # The headline before the mission's name: "✅ 인증 완료!" / "✅ Certified!".
        marks = {
            bot.t("cert-accepted", lang, mission="@").split("@")[0].rstrip("'").strip()
            for lang in ("ko", "en")
        }
        return [t for t in bot.texts(chat_id) if any(m in t for m in marks)]

    # ---- rules: one update each ----------------------------------------------------------

    @rule(actor=st.sampled_from(PEOPLE), text=st.one_of(st.sampled_from(HOSTILE), st.text()))
    def send_text(self, actor: int, text: str) -> None:
        world = self.world
        assert world is not None
        if not text.strip():
            text = text + "?"  # Telegram never delivers an empty text
        update = world.bot.factory.text(self.person(actor), text)
        world.texts_sent.setdefault(actor, []).append(update)
        self.run(self._step(actor, lambda: world.bot.send(update), must_answer=True))

    @rule(actor=st.sampled_from(PEOPLE), command=st.sampled_from(COMMANDS))
    def send_command(self, actor: int, command: str) -> None:
        world = self.world
        assert world is not None
        update = world.bot.factory.text(self.person(actor), command)
        world.texts_sent.setdefault(actor, []).append(update)
        self.run(self._step(actor, lambda: world.bot.send(update), must_answer=True))

    @rule(
        actor=st.sampled_from(PEOPLE),
        resend=st.booleans(),
        real=st.booleans(),
        variant=st.sampled_from(["plain", "plain", "caption", "forwarded", "album", "in-group"]),
    )
    def send_photo(self, actor: int, resend: bool, real: bool, variant: str) -> None:
        """A new photo, or the same file again (the same Telegram file, as a re-send is)."""
        world = self.world
        assert world is not None
        earlier = world.photos_sent.get(actor) or [
            u for sent in world.photos_sent.values() for u in sent
        ]
        if resend and earlier:
            largest = earlier[-1]["message"]["photo"][-1]
            update = world.bot.factory.photo(
                self.person(actor),
                largest["file_id"],
                largest["file_unique_id"],
                width=largest["width"],
                height=largest["height"],
                file_size=largest["file_size"],
            )
            self.run(self._step(actor, lambda: world.bot.send(update), must_answer=True))
            return
        send = lambda: self._photo(world, actor, real, variant)  # noqa: E731
        self.run(self._step(actor, send, must_answer=variant != "in-group"))

    async def _photo(
        self, world: World, actor: int, real: bool = False, variant: str = "plain"
    ) -> None:
        bot = world.bot
        extra: dict[str, Any] = {
            "plain": {},
            "caption": {"caption": "<b>시작</b> 사진 & 메모 " * 3},
            "forwarded": {"forward_from": self.person(APPROVED_2)},
            "album": {"media_group_id": f"album{world.photo_count // 2}"},
            "in-group": {"chat": bot.factory.group_chat(GROUP)},
        }[variant]
        data = real_photo("Landscape_6.jpg") if real else photo_pool(world.photo_count)
        world.photo_count += 1
        update = bot.factory.photo_from_bytes(bot.tg, self.person(actor), data, **extra)
        if variant != "in-group":
            world.photos_sent.setdefault(actor, []).append(update)
        await bot.send(update)

    @rule(
        actor=st.sampled_from(PEOPLE),
        kind=st.sampled_from(["jpeg", "png", "pdf", "zip", "fake-jpg", "huge", "heic-name"]),
    )
    def send_document(self, actor: int, kind: str) -> None:
        world = self.world
        assert world is not None
        bot, user = world.bot, self.person(actor)
        if kind == "huge":
            update = bot.factory.document(
                user, "BQACAgHuge", "AgADHuge", file_name="big.jpg",
                mime_type="image/jpeg", file_size=30 * 1024 * 1024,
            )  # fmt: skip
        else:
            data, name, mime = {
                "jpeg": (photo_pool(world.photo_count), "IMG_0001.jpg", "image/jpeg"),
                "png": (_png(), "screen.png", "image/png"),
                "pdf": (_pdf(), "안내문.pdf", "application/pdf"),
                "zip": (_zip(), "photos.zip", "application/zip"),
                "fake-jpg": (b"not really a picture", "photo.jpg", "image/jpeg"),
                "heic-name": (b"\x00" * 64, "IMG.HEIC", "application/octet-stream"),
            }[kind]
            world.photo_count += kind == "jpeg"
            update = bot.factory.document_from_bytes(
                bot.tg, user, data, file_name=name, mime_type=mime
            )
        self.run(self._step(actor, lambda: bot.send(update), must_answer=True))

    @rule(
        actor=st.sampled_from(PEOPLE),
        kind=st.sampled_from(
            ["sticker", "voice", "location", "contact-ish", "dice", "contact", "animation", "video"]
        ),
    )
    def send_other(self, actor: int, kind: str) -> None:
        world = self.world
        assert world is not None
        bot, user = world.bot, self.person(actor)
        if kind == "sticker":
            update = bot.factory.sticker(user)
        elif kind == "voice":
            update = bot.factory.voice(user)
        elif kind == "location":
            update = bot.factory.location(user, 35.9483, 126.9576)
        elif kind == "contact-ish":
            update = bot.factory.location(user, -91.0, 500.0)  # nonsense a client could send
        else:
            update = _raw_message(bot, user, kind)
        self.run(self._step(actor, lambda: bot.send(update), must_answer=True))

    @rule(actor=st.sampled_from(PEOPLE), text=st.sampled_from(HOSTILE + COMMANDS[:6]))
    def edit_a_message(self, actor: int, text: str) -> None:
        world = self.world
        assert world is not None
        earlier = world.texts_sent.get(actor)
        if not earlier:
            return
        update = world.bot.factory.edited_text(earlier[-1], text or "수정")
        self.run(self._step(actor, lambda: world.bot.send(update)))

    @rule(actor=st.sampled_from(PEOPLE), pick=st.integers(min_value=0))
    def press_a_shown_button(self, actor: int, pick: int) -> None:
        """Any button the bot ever showed anyone (old, foreign, already answered)."""
        world = self.world
        assert world is not None
        shown = [
            (message, button["callback_data"])
            for message in world.bot.tg.sent_messages()
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
            if "callback_data" in button and not button["callback_data"].startswith(NEVER_PRESSED)
        ]
        if not shown:
            return
        message, data = shown[pick % len(shown)]
        if message["chat"]["type"] == "private" and message["chat"]["id"] != actor:
            # Telegram delivers presses in a private chat only from its owner: someone else's
            # button reaches the bot as forged data on one of the presser's own messages.
            own = world.bot.tg.sent_messages(actor)
            if not own:
                return
            message = own[-1]
        self.run(self._press(actor, data, message))

    @rule(
        actor=st.sampled_from(PEOPLE),
        template=st.one_of(st.sampled_from(FORGED), st.text(max_size=64)),
        pick=st.integers(min_value=0, max_value=50),
    )
    def press_a_forged_button(self, actor: int, template: str, pick: int) -> None:
        world = self.world
        assert world is not None
        ids = self.run(self._ids())
        try:
            data = template.format(**{k: v[pick % len(v)] if v else 0 for k, v in ids.items()})
        except (KeyError, IndexError, ValueError):
            data = template
        if data.startswith(NEVER_PRESSED) or len(data.encode()) > 64:
            return
        messages = world.bot.tg.sent_messages(actor) or world.bot.tg.sent_messages(GROUP)
        if messages:
            self.run(self._press(actor, data, messages[-1]))

    async def _ids(self) -> dict[str, list[int]]:
        db = self.world.bot.services.database  # type: ignore[union-attr]
        found: dict[str, list[int]] = {}
        async with db.transaction() as conn:
            for name, sql in {
                "user": "SELECT user_id FROM participants ORDER BY user_id",
                "cert": "SELECT id FROM certifications ORDER BY id",
                "mission": "SELECT id FROM missions ORDER BY id",
                "report": "SELECT id FROM risk_reports ORDER BY id",
                "idea": "SELECT id FROM ideas ORDER BY id",
            }.items():
                cursor = await conn.execute(sql)
                found[name] = [row[0] for row in await cursor.fetchall()]
        return found

    async def _press(self, actor: int, data: str, message: dict[str, Any]) -> None:
        bot = self.world.bot  # type: ignore[union-attr]
        update = bot.factory.callback(self.person(actor), data, message=message)
        query_id = update["callback_query"]["id"]

        async def send() -> None:
            await bot.send(update)

        await self._step(actor, send)
        answered = [c for c in bot.tg.calls_of("answerCallbackQuery") if c.params.get(
            "callback_query_id") == query_id]  # fmt: skip
        assert answered, f"the press of {data!r} was never answered (the button keeps spinning)"

    @rule(actor=st.sampled_from(PEOPLE))
    def ask_to_join_the_group(self, actor: int) -> None:
        world = self.world
        assert world is not None
        update = world.bot.factory.join_request(self.person(actor), GROUP)
        self.run(self._step(actor, lambda: world.bot.send(update)))

    @rule(
        actor=st.sampled_from(PEOPLE),
        text=st.sampled_from(["/start", "/stats", "/cancel", "/me", "안녕하세요", "<b>hi"]),
        where=st.sampled_from(["group", "channel", "added"]),
    )
    def write_in_a_group_or_channel(self, actor: int, text: str, where: str) -> None:
        world = self.world
        assert world is not None
        factory = world.bot.factory
        if where == "group":
            update = factory.group_text(self.person(actor), GROUP, text)
        elif where == "channel":
            update = factory.channel_post(CHANNEL, text)
        else:
            update = factory.my_chat_member(self.person(actor), factory.group_chat(-100555))
        self.run(self._step(actor, lambda: world.bot.send(update)))

    @rule(
        actor=st.sampled_from((APPROVED, APPROVED, APPROVED_2, PENDING, LEADER)),
        gap=st.integers(min_value=0, max_value=25),
        start=st.sampled_from(["/certify", "/certify", "button", "none"]),
    )
    def try_a_whole_certification(self, actor: int, gap: int, start: str) -> None:
        """/certify (or its button), a photo, some minutes, another photo: often accepted."""
        world = self.world
        assert world is not None
        bot, user = world.bot, self.person(actor)
        if start == "/certify":
            self.run(self._step(actor, lambda: bot.say(user, "/certify"), must_answer=True))
        elif start == "button":
            own = bot.tg.sent_messages(actor)
            if own:
                self.run(self._press(actor, "cert:begin", own[-1]))
        self.run(self._step(actor, lambda: self._photo(world, actor), must_answer=True))
        bot.advance(minutes=gap)
        self.run(self._step(actor, lambda: self._photo(world, actor), must_answer=True))

    @rule(minutes=st.integers(min_value=1, max_value=45))
    def time_passes(self, minutes: int) -> None:
        assert self.world is not None
        self.world.bot.advance(minutes=minutes)

    @rule(actor=st.sampled_from(PEOPLE))
    def cancel_returns_to_the_start(self, actor: int) -> None:
        self.run(self._cancel_check(actor))

    async def _cancel_check(self, actor: int) -> None:
        bot = self.world.bot  # type: ignore[union-attr]
        user = self.person(actor)
        await self._step(actor, lambda: bot.say(user, "/cancel"), must_answer=True)
        language = await self._language(actor)
        assert bot.last_text(actor) in (
            bot.t("cancel-done", language),
            bot.t("cancel-nothing", language),
            bot.t("cert-cancelled", language),
        )
        await self._step(actor, lambda: bot.say(user, "/cancel"), must_answer=True)
        assert bot.last_text(actor) == bot.t("cancel-nothing", language)
        waiting = await expectation(bot.services.database, actor, is_leader=actor == LEADER)
        assert waiting.expecting is Expecting.NOTHING
        before = len(bot.texts(actor))
        await self._step(actor, lambda: bot.say(user, "/start"), must_answer=True)
        welcome = bot.texts(actor)[before:]
        assert len(welcome) == 1 and bot.t("welcome", language, name=user["first_name"],
            campaign=bot.services.campaign.name, station=bot.services.campaign.station,
            minutes=bot.services.campaign.rules.minutes_per_certification,
            status=await self._status(actor)) == welcome[0]  # fmt: skip

    async def _language(self, actor: int) -> str:
        async with self.world.bot.services.database.transaction() as conn:  # type: ignore[union-attr]
            cursor = await conn.execute(
                "SELECT language FROM participants WHERE user_id = ?", (actor,)
            )
            row = await cursor.fetchone()
        return language_for(row[0] if row else None, self.person(actor).get("language_code"))

    async def _status(self, actor: int) -> str:
        async with self.world.bot.services.database.transaction() as conn:  # type: ignore[union-attr]
            cursor = await conn.execute(
                "SELECT status FROM participants WHERE user_id = ?", (actor,)
            )
            row = await cursor.fetchone()
        return row[0] if row else "visitor"

    # ---- invariants after every step -----------------------------------------------------

    @invariant()
    def every_certification_counted_has_two_photos(self) -> None:
        if self.world is None:
            return
        self.run(self._two_photos_and_counts())

    async def _two_photos_and_counts(self) -> None:
        world = self.world
        assert world is not None
        async with world.bot.services.database.transaction() as conn:
            cursor = await conn.execute(
                "SELECT c.id, COUNT(DISTINCT p.role) FROM certifications c "
                "LEFT JOIN photos p ON p.certification_id = c.id "
                "WHERE c.status IN ('accepted', 'revoked') GROUP BY c.id"
            )
            for cert_id, roles in await cursor.fetchall():
                assert roles == 2, f"certification {cert_id} counted without two photos"
        stored = await self._accepted_by_person(world)
        announced = {k: v for k, v in world.accepted.items() if v}
        assert stored == announced, "accepted certifications differ from those announced"


def _raw_message(bot: Harness, user: dict[str, Any], kind: str) -> dict[str, Any]:
    """Message kinds the update factory has no builder for, shaped as Telegram sends them."""
    video = {
        "file_id": f"BAACAgVideo{kind}",
        "file_unique_id": f"AgADVideo{kind}",
        "width": 320,
        "height": 240,
        "duration": 2,
        "mime_type": "video/mp4",
        "file_size": 90_000,
    }
    content: dict[str, Any] = {
        "dice": {"dice": {"emoji": "🎲", "value": 6}},
        "contact": {"contact": {"phone_number": "+82 10-0000-0000", "first_name": "<엄마>"}},
        # A GIF arrives as both an animation and a document.
        "animation": {
            "animation": video,
            "document": {k: video[k] for k in ("file_id", "file_unique_id", "mime_type")},
        },
        "video": {"video": video, "caption": "<영상> 인증"},
    }[kind]
    message = {
        "message_id": bot.tg.allocate_message_id(user["id"]),
        "from": user,
        "chat": bot.factory.private_chat(user),
        "date": bot.factory.timestamp(),
        **content,
    }
    return {"update_id": bot.tg.allocate_message_id(0) + 500_000_000, "message": message}


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((320, 240), 40).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.timeout(1800)  # a failure's shrinking may take minutes; a passing run ~20 s
def test_random_updates_from_everyone_keep_the_campaign_whole() -> None:
    run_state_machine_as_test(CampaignMachine, settings=settings.get_profile(PROFILE))


# ---- plain regression tests for what the machine found ---------------------------------------


async def test_a_forged_idea_button_tells_the_leader_the_idea_is_gone(bot):
    """Found by the machine: ``idea:use:0`` crashed on a foreign key and left nothing."""
    leaders = await bot.open_leader_chats()
    own = bot.tg.last_sent_message(9001)
    for data in ("idea:use:0", "idea:use:424242", "idea:use:x"):
        await bot.press(leaders[0], data, message=own)
        assert bot.last_text(9001) == bot.t("idea-gone")
    async with bot.services.database.transaction() as conn:
        drafts = await (await conn.execute("SELECT COUNT(*) FROM theme_drafts")).fetchone()
        waiting = await (await conn.execute("SELECT COUNT(*) FROM pending_inputs")).fetchone()
    assert drafts[0] == 0 and waiting[0] == 0


def _alert(bot: Harness) -> str:
    return bot.tg.calls_of("answerCallbackQuery")[-1].params.get("text", "")


async def test_forged_reminder_and_theme_day_buttons_are_refused_with_a_note(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.say(minji, "/settings")
    menu = bot.tg.last_sent_message(1001)
    for data in ("set:rem:2330", "set:rem:9999", "set:rem:", "set:rem:<b>"):
        await bot.press(minji, data, message=menu)
        assert _alert(bot) == bot.t("button-stale"), data
    await bot.say(leaders[0], "/theme")
    own = bot.tg.last_sent_message(9001)
    for data in ("theme:days:0", "theme:days:31", "theme:days:x", "theme:days:"):
        await bot.press(leaders[0], data, message=own)
        assert _alert(bot) == bot.t("button-stale"), data
    async with bot.services.database.transaction() as conn:
        (days,) = await (await conn.execute("SELECT days FROM theme_drafts")).fetchone()
    assert days is None
