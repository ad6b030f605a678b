"""Polling as ``python -m bot`` does it, over real HTTP: long polls, and updates in batches
when many people write at once (one getUpdates per update would double the round trips)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.app import POLL_INTERVAL, POLL_TIMEOUT
from tests.fakes import FakeBotApiServer, FakeTelegram, UpdateFactory
from tests.fakes.process import BotProcess


@pytest.fixture
def world(tmp_path) -> Iterator[tuple[FakeBotApiServer, UpdateFactory]]:
    telegram = FakeTelegram()
    factory = UpdateFactory(telegram, now=datetime.now(UTC))
    with FakeBotApiServer(telegram) as server:
        bot = BotProcess(server, tmp_path)
        bot.start()
        try:
            yield server, factory
        finally:
            bot.stop()


def _answered(server: FakeBotApiServer, chat_ids: set[int], since: int) -> None:
    for chat_id in chat_ids:
        server.wait_for(
            lambda c, chat_id=chat_id: c.method == "sendMessage" and c.params["chat_id"] == chat_id,
            timeout=30,
            since=since,
        )


def test_a_quiet_bot_waits_in_a_long_poll_and_answers_at_once(world):
    server, factory = world
    time.sleep(2 * POLL_INTERVAL)  # the bot is idle, waiting in getUpdates
    since = server.mark()
    began = time.monotonic()
    server.push_update(factory.text(factory.user(5000, "민지"), "/help"))
    _answered(server, {5000}, since)
    assert time.monotonic() - began < 2.0
    [poll] = [c for c in server.telegram.calls[since:] if c.method == "getUpdates" and c.result]
    assert int(poll.params["timeout"]) == POLL_TIMEOUT >= 20


def test_a_burst_of_people_arrives_in_a_few_batches(world):
    server, factory = world
    people = [factory.user(5000 + i, f"참여자{i}") for i in range(40)]
    since = server.mark()
    began = time.monotonic()
    for person in people:  # forty people within about a second, as on a busy evening
        factory.now = datetime.now(UTC)
        server.push_update(factory.text(person, "/help"))
        time.sleep(0.025)
    _answered(server, {p["id"] for p in people}, since)
    polls = [
        c for c in server.telegram.calls[since:] if c.method == "getUpdates" and c.ok and c.result
    ]
    assert len(polls) <= len(people) / 4, f"{len(polls)} getUpdates for {len(people)} updates"
    # Batching costs a lone update at most the pause between polls.
    assert time.monotonic() - began < 1 + 10 * POLL_INTERVAL
