"""``python -m bot`` killed with SIGKILL at random points of a scripted campaign evening (over
real HTTP against the fake Bot API), restarted each time, and what must survive did.

The script: four people apply, a leader approves each, each certifies (start photo, end photo),
the leader broadcasts a notice. Kills land (seeded, so a failure can be replayed) a random few
milliseconds after a step was sent: while the update is being handled, while the outbox sends,
or between two steps. One kill always falls between a start photo and its end photo. After a
kill the person does what a person would: if the step did not take (the store does not show
it), they send it again.

Guaranteed and checked at the end:

* ``PRAGMA integrity_check`` is ``ok``;
* every certification the bot confirmed ("인증 완료") is in the store, accepted, once;
* a start photo confirmed before a kill is still the pending step after the restart (the end
  photo completes it);
* every applicant hears the decision and every application reaches the leader: both are planned
  in the outbox in the transaction that makes them, so a kill right after the commit only delays
  them until the restarted bot's outbox sends them;
* outbox messages: never delivered twice. Exactly once for every row marked ``sent``; a row a
  kill caught between claiming it and recording Telegram's answer is marked ``failed`` with the
  reason "interrupted" and not sent again (the Bot API has no idempotency key, so the bot cannot
  know whether such a message arrived; at-most-once is the design, see ``storage.outbox``).
  Exactly-once for those few rows cannot be proven, and is not claimed.

``SOAK=1`` runs a longer campaign with more kills.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from storage.outbox import INTERRUPTED
from tests.fakes import FakeBotApiServer, UpdateFactory
from tests.fakes.process import LEADER, BotProcess, running_bot
from tests.support import scene_photo

SOAK = bool(os.environ.get("SOAK"))
PEOPLE = 12 if SOAK else 4
KILLS = 12 if SOAK else 3
SEED = int(os.environ.get("KILL_SEED", "20270816"))
NEWS = "토요일 오후 2시, 영등동 주민센터 앞에서 안전 캠페인을 해요"


QUIET_AT_FOUR = """
[schedule]
quiet_start = "04:00"
quiet_end = "04:01"
"""


@pytest.fixture
def world(tmp_path) -> Iterator[tuple[FakeBotApiServer, UpdateFactory, BotProcess]]:
    with running_bot(tmp_path, QUIET_AT_FOUR) as (server, factory, bot):
        yield server, factory, bot


class Script:
    """Steps of the evening; after some of them, a SIGKILL and a restart."""

    def __init__(self, server: FakeBotApiServer, factory: UpdateFactory, bot: BotProcess) -> None:
        self.server, self.factory, self.bot = server, factory, bot
        self.rng = random.Random(SEED)
        self.kill_after: set[int] = set()
        self.step_no = 0
        self.confirmed_certifications: dict[int, int] = {}
        self.photo_seed = 0

    def _deliver(self, update: dict[str, Any]) -> int:
        self.factory.now = datetime.now(UTC)
        since = self.server.mark()
        self.server.push_update(update)
        return since

    def _maybe_kill(self) -> bool:
        """Kill after the n-th step that changes the store (where a kill can lose something)."""
        self.step_no += 1
        if self.step_no not in self.kill_after:
            return False
        time.sleep(self.rng.uniform(0.0, 0.2))  # handling one takes some tens of ms
        self.bot.kill()
        self.bot.start()
        return True

    def wait_reply(self, chat_id: int, since: int, expect: str, timeout: float = 20) -> bool:
        try:
            self.server.wait_for(
                lambda c: (
                    c.method in ("sendMessage", "editMessageText")
                    and c.ok
                    and c.params.get("chat_id") == chat_id
                    and expect in c.params.get("text", "")
                ),
                timeout=timeout,
                since=since,
            )
        except (AssertionError, TimeoutError):
            return False
        return True

    def step(
        self,
        make: Callable[[], dict[str, Any]],
        chat_id: int,
        expect: str,
        took: Callable[[], bool] | None = None,
    ) -> None:
        """Send; maybe get killed; if the step did not take, send it again (as a person would)."""
        since = self._deliver(make())
        killed = took is not None and self._maybe_kill()
        if not killed and self.wait_reply(chat_id, since, expect):
            return
        for _ in range(3):
            if took is not None and took():
                return
            if took is None and self.wait_reply(chat_id, since, expect, timeout=3):
                return
            since = self._deliver(make())
            if self.wait_reply(chat_id, since, expect, timeout=10):
                return
        raise AssertionError(f"step {self.step_no} never took: {expect}")

    def press(self, user: dict[str, Any], data: str) -> Callable[[], dict[str, Any]]:
        def make() -> dict[str, Any]:
            for message in reversed(self.server.telegram.sent_messages(user["id"])):
                rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
                if any(b.get("callback_data") == data for row in rows for b in row):
                    return self.factory.callback(user, data, message=message)
            raise AssertionError(f"no button {data} for {user['id']}")

        return make

    def photo(self, user: dict[str, Any]) -> Callable[[], dict[str, Any]]:
        self.photo_seed += 1
        data = scene_photo(100 + self.photo_seed)
        return lambda: self.factory.photo_from_bytes(self.server.telegram, user, data)


def _status(bot: BotProcess, user_id: int) -> str | None:
    rows = bot.query("SELECT status FROM participants WHERE user_id = ?", user_id)
    return rows[0][0] if rows else None


def _open_step(bot: BotProcess, user_id: int) -> str | None:
    rows = bot.query(
        "SELECT status FROM certifications WHERE participant_id = ? ORDER BY id DESC LIMIT 1",
        user_id,
    )
    return rows[0][0] if rows else None


def _interrupted(bot: BotProcess, key_like: str, chat_id: int) -> bool:
    """The outbox row was caught in flight by a kill (the one way a message may be lost)."""
    rows = bot.query(
        "SELECT last_error FROM outbox WHERE key LIKE ? AND chat_id = ?", key_like, chat_id
    )
    return bool(rows) and all(error == INTERRUPTED for (error,) in rows)


def test_killed_at_random_points_the_campaign_loses_nothing_and_sends_nothing_twice(world):
    server, factory, bot = world
    script = Script(server, factory, bot)
    f = factory
    leader = f.user(LEADER, "경위")
    people = [f.user(1001 + i, f"참가자{i}") for i in range(PEOPLE)]
    # Steps that change the store (consent, approve, photos, broadcast) are where kills land.
    killable = PEOPLE * 4 + 1
    chosen = script.rng.sample(range(1, killable + 1), KILLS)
    script.kill_after = set(chosen)

    script.step(lambda: f.text(leader, "/start"), LEADER, "안녕하세요")
    for person in people:
        uid = person["id"]
        script.step(lambda p=person: f.text(p, "/start"), uid, "안녕하세요")
        script.step(script.press(person, "apply:begin"), uid, "이름")
        script.step(lambda p=person: f.text(p, "김" + p["first_name"]), uid, "어디에 해당")
        script.step(script.press(person, "apply:category:high"), uid, "학교")
        script.step(lambda p=person: f.text(p, "익산고등학교"), uid, "동")
        script.step(lambda p=person: f.text(p, "영등동"), uid, "1365")
        script.step(lambda p=person: f.text(p, f"id{p['id']}"), uid, "개인정보")
        script.step(
            script.press(person, "apply:consent:yes"),
            uid,
            "접수",
            took=lambda u=uid: _status(bot, u) in ("pending", "approved"),
        )
    for person in people:
        uid = person["id"]
        card = f"decide:approve:{uid}"
        try:
            # The cards are planned with the application: a kill right after it only delays
            # them until the restarted bot's outbox sends them.
            server.wait_for(
                lambda c, d=card: c.ok and d in str(c.params.get("reply_markup")), timeout=15
            )
        except (AssertionError, TimeoutError):
            # Only a kill while the card itself was in flight may lose it (at most once):
            # /pending lists the application again, as a leader would ask; its name opens the card.
            assert _interrupted(bot, f"card:{uid}:{LEADER}:%", LEADER), f"no card for {uid}"
            name = "김" + person["first_name"]
            script.step(lambda: f.text(leader, "/pending"), LEADER, name)
            script.step(script.press(leader, f"pending:open:{uid}"), LEADER, name)
        script.step(
            script.press(leader, f"decide:approve:{uid}"),
            LEADER,
            "",
            took=lambda u=uid: _status(bot, u) == "approved",
        )
    for person in people:
        # The decision is planned with it: the teenager hears it, even after a kill.
        uid = person["id"]
        if not script.wait_reply(uid, 0, "참여가 승인됐어요", timeout=15):
            assert _interrupted(bot, f"decision:{uid}:approved:%", uid), f"{uid} never told"
    for index, person in enumerate(people):
        uid = person["id"]
        script.step(lambda p=person: f.text(p, "/certify"), uid, "시작 사진")
        script.step(
            script.photo(person),
            uid,
            "시작 사진 받았어요",
            took=lambda u=uid: _open_step(bot, u) == "awaiting_end",
        )
        if index == 0:  # the confirmed start photo must survive a kill as the pending step
            bot.kill()
            bot.start()
            assert _open_step(bot, uid) == "awaiting_end"
        end = script.photo(person)
        since = server.mark()
        script.step(end, uid, "인증 완료", took=lambda u=uid: _open_step(bot, u) == "accepted")
        if script.wait_reply(uid, since, "인증 완료", timeout=1):
            script.confirmed_certifications[uid] = 1

    script.step(lambda: f.text(leader, "/broadcast"), LEADER, "")
    script.step(lambda: f.text(leader, NEWS), LEADER, NEWS)
    script.step(
        script.press(leader, "broadcast:send"),
        LEADER,
        "",
        took=lambda: (
            bot.query("SELECT COUNT(*) FROM outbox WHERE key LIKE 'broadcast:%'")[0][0] > 0
        ),
    )
    time.sleep(script.rng.uniform(0.0, 1.5))  # one more kill, perhaps while the outbox sends
    bot.kill()
    bot.start()
    deadline = time.monotonic() + 20
    while bot.query("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")[0][0]:
        assert time.monotonic() < deadline, "the outbox never drained"
        time.sleep(0.2)
    assert bot.stop() == 0

    # ---- what survived ----------------------------------------------------------------------
    assert bot.query("PRAGMA integrity_check") == [("ok",)]
    accepted = dict(
        bot.query(
            "SELECT participant_id, COUNT(*) FROM certifications WHERE status = 'accepted' "
            "GROUP BY participant_id"
        )
    )
    for uid in script.confirmed_certifications:
        assert accepted.get(uid) == 1, f"the confirmed certification of {uid} was lost"
    assert accepted == {p["id"]: 1 for p in people}  # every one certified, none twice

    sent_texts = [
        (c.params.get("chat_id"), c.params.get("text") or c.params.get("caption"))
        for c in server.telegram.calls
        if c.ok and c.method in ("sendMessage", "sendPhoto")
    ]
    rows = bot.query("SELECT chat_id, kind, payload, status, last_error FROM outbox")
    interrupted = 0
    for chat_id, kind, payload, status, last_error in rows:
        body = json.loads(payload)
        text = body.get("text") or body.get("caption")
        if kind not in ("text", "photo") or not text:
            continue
        delivered = sent_texts.count((chat_id, text))
        assert delivered <= 1, f"delivered {delivered} times: {chat_id} {text[:40]}"
        if status == "sent":
            assert delivered == 1, f"marked sent but not delivered: {chat_id} {text[:40]}"
        elif last_error == INTERRUPTED:
            interrupted += 1  # at most once: delivered or not, never again
        else:
            assert status != "sending", "a row was left in flight after a clean stop"
    for person in people:  # every decision was planned with it, and went out (or was in flight)
        decided = bot.query(
            "SELECT status, last_error FROM outbox WHERE key LIKE ?",
            f"decision:{person['id']}:approved:%",
        )
        assert len(decided) == 1, f"decision rows of {person['id']}: {decided}"
        assert decided[0][0] == "sent" or decided[0][1] == INTERRUPTED, decided
    broadcast = [c for c, t in sent_texts if t == NEWS]
    assert len(broadcast) == len(set(broadcast)), "a broadcast reached someone twice"
    print(f"kills={bot.kills} seed={SEED} people={PEOPLE} interrupted_outbox_rows={interrupted}")


def test_a_message_caught_in_flight_by_a_kill_is_marked_interrupted_and_never_sent_again(world):
    """The one case exactly-once cannot be had: Telegram delivered the broadcast, its answer
    never came back, and the bot was killed while waiting. After the restart the row is marked
    interrupted (and logged), not sent again: the participant has it once."""
    server, factory, bot = world
    script = Script(server, factory, bot)
    f = factory
    leader = f.user(LEADER, "경위")
    minji = f.user(1001, "민지")
    script.step(lambda: f.text(leader, "/start"), LEADER, "안녕하세요")
    script.step(lambda: f.text(minji, "/start"), 1001, "안녕하세요")
    script.step(script.press(minji, "apply:begin"), 1001, "이름")
    script.step(lambda: f.text(minji, "김민지"), 1001, "어디에 해당")
    script.step(script.press(minji, "apply:category:high"), 1001, "학교")
    script.step(lambda: f.text(minji, "익산고등학교"), 1001, "동")
    script.step(lambda: f.text(minji, "영등동"), 1001, "1365")
    script.step(lambda: f.text(minji, "minji1365"), 1001, "개인정보")
    script.step(script.press(minji, "apply:consent:yes"), 1001, "접수")
    server.wait_for(lambda c: c.ok and "decide:approve:1001" in str(c.params.get("reply_markup")))
    since = server.mark()
    script.step(script.press(leader, "decide:approve:1001"), LEADER, "")
    assert script.wait_reply(1001, since, "승인됐어요")
    script.step(lambda: f.text(leader, "/broadcast"), LEADER, "")
    script.step(lambda: f.text(leader, NEWS), LEADER, NEWS)

    # Telegram takes the broadcast to 민지 but its answer is lost; the bot is killed waiting.
    server.telegram.inject_fault("lost_answer", method="sendMessage", chat_id=1001)
    script.step(script.press(leader, "broadcast:send"), LEADER, "")
    deadline = time.monotonic() + 20
    while not server.telegram.faults_fired:
        assert time.monotonic() < deadline, "the outbox never sent the broadcast"
        time.sleep(0.02)
    bot.kill()
    bot.start()
    deadline = time.monotonic() + 20
    while bot.query("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")[0][0]:
        assert time.monotonic() < deadline, "the interrupted row was never settled"
        time.sleep(0.1)
    time.sleep(1.5)  # a few more outbox ticks: nothing may be sent again
    assert bot.stop() == 0

    rows = bot.query("SELECT status, last_error FROM outbox WHERE chat_id = 1001")
    assert ("failed", INTERRUPTED) in rows
    got = [
        c
        for c in server.telegram.calls_of("sendMessage")
        if c.params.get("text") == NEWS and c.params.get("chat_id") == 1001
    ]
    assert len(got) == 1  # delivered once (its answer lost), never again
    assert "interrupted" in bot.log.read_text(encoding="utf-8")


def test_polling_carries_on_when_telegram_fails_get_updates(world):
    """getUpdates answered with 500, 429 or a cut connection: PTB's polling loop tries again
    and the update is handled, without a restart."""
    server, factory, bot = world
    leader = factory.user(LEADER, "경위")
    script = Script(server, factory, bot)
    for kind in ("500", "429", "drop"):
        server.telegram.inject_fault(kind, method="getUpdates")
        since = script._deliver(factory.text(leader, "/start"))
        assert script.wait_reply(LEADER, since, "안녕하세요", timeout=30), kind
    assert [k for k, _ in server.telegram.faults_fired] == ["500", "429", "drop"]
    assert bot.process is not None and bot.process.poll() is None


REDELIVERY_KILLS = 5


def test_a_start_photo_redelivered_after_a_kill_is_not_answered_again(world):
    """Killed after answering a start photo, before the next getUpdates confirmed it: the
    restarted bot is given the same photo again and must neither refuse it as "the same photo
    as your start photo" nor answer it twice. Five times in a row (once failed 4 runs in 6)."""
    server, factory, bot = world
    script = Script(server, factory, bot)
    f = factory
    leader = f.user(LEADER, "경위")
    minji = f.user(1001, "민지")
    uid = minji["id"]
    script.step(lambda: f.text(leader, "/start"), LEADER, "안녕하세요")
    script.step(lambda: f.text(minji, "/start"), uid, "안녕하세요")
    script.step(script.press(minji, "apply:begin"), uid, "이름")
    script.step(lambda: f.text(minji, "김민지"), uid, "어디에 해당")
    script.step(script.press(minji, "apply:category:high"), uid, "학교")
    script.step(lambda: f.text(minji, "익산고등학교"), uid, "동")
    script.step(lambda: f.text(minji, "영등동"), uid, "1365")
    script.step(lambda: f.text(minji, "minji1365"), uid, "개인정보")
    script.step(script.press(minji, "apply:consent:yes"), uid, "접수")
    server.wait_for(lambda c: c.ok and "decide:approve:1001" in str(c.params.get("reply_markup")))
    since = server.mark()
    script.step(script.press(leader, "decide:approve:1001"), LEADER, "")
    assert script.wait_reply(uid, since, "승인됐어요")

    for round_no in range(1, REDELIVERY_KILLS + 1):
        script.step(lambda: f.text(minji, "/certify"), uid, "시작 사진")
        # The confirming getUpdates does not reach Telegram before the kill (in real life the
        # 0.3 s poll interval plus the handling; here held back so every round is that case).
        server.telegram.hold_confirmations()
        since = script._deliver(script.photo(minji)())
        assert script.wait_reply(uid, since, "시작 사진 받았어요"), round_no
        bot.kill()
        assert server.pending_updates() >= 1, "the start photo was confirmed before the kill"
        server.telegram.release_confirmations()
        after_kill = server.mark()
        bot.start()
        deadline = time.monotonic() + 20
        while server.pending_updates():  # the restarted bot fetched the photo again
            assert time.monotonic() < deadline, "the redelivered photo was never fetched"
            time.sleep(0.05)
        last = round_no == REDELIVERY_KILLS
        if last:  # the kept start photo is completed by the end photo
            script.step(script.photo(minji), uid, "인증 완료")
        else:  # this person's updates run in order: the redelivery was handled before this
            script.step(script.press(minji, "cert:cancel"), uid, "그만뒀어요")
        answers = [
            c.params.get("text", "")
            for c in server.telegram.api_calls(after_kill)
            if c.ok and c.method == "sendMessage" and c.params.get("chat_id") == uid
        ]
        assert len(answers) == 1, f"round {round_no}: {answers}"
        assert ("인증 완료" if last else "그만뒀어요") in answers[0]
        assert all("시작 사진과 같은" not in a for a in answers)
    assert bot.stop() == 0
    kept = bot.query(
        "SELECT status, COUNT(*) FROM certifications WHERE participant_id = ? GROUP BY status", uid
    )
    assert dict(kept).get("accepted") == 1
    assert bot.kills == REDELIVERY_KILLS
