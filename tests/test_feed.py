"""The review feed: one picture the bot composes (start and end photo side by side, their times
drawn on it), the card as its caption, sent through the outbox once the note step ends, so a
burst of certifications is answered at once while the group's feed follows at its own pace."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.harness import start_harness, stop_harness
from tests.support import kst

GROUP = -1001234567890
BURST = 12  # more certifications than a group's 20 messages a minute can post at once


@pytest.fixture
async def group_bot(tmp_path, campaign):
    """Built like production: PTB's rate limiter on, the campaign group set."""
    harness = await start_harness(
        tmp_path, campaign, kst("2027-08-16", "19:00"), rate_limit=True, group_chat_id=GROUP
    )
    harness.tg.add_chat(harness.factory.group_chat(GROUP, "group"))
    yield harness
    await stop_harness(harness)
    assert harness.errors == []


async def test_a_burst_of_certifications_is_answered_within_seconds_in_a_campaign_with_a_group(
    group_bot,
):
    bot = group_bot
    leaders = await bot.open_leader_chats()
    people = [bot.factory.user(2000 + i, f"참여자{i}", last_name="김") for i in range(BURST)]
    for i, person in enumerate(people):
        await bot.join(person, leaders[0], name=f"김참여{i}", volunteer_id=f"vol{i:04d}")
    for person in people:
        await bot.say(person, "/certify")
        await bot.send_photo(person)
    bot.advance(minutes=15)
    end_photos = [bot.next_photo() for _ in people]
    started = time.monotonic()

    async def finish(person: dict, photo: bytes) -> float:
        await bot.send_photo(person, photo)
        return time.monotonic() - started

    # Every person's end photo is handled at once, as the update processor does for different
    # people; a handler that waited for the group's 20 messages a minute would take minutes.
    answered = await asyncio.wait_for(
        asyncio.gather(*(finish(p, photo) for p, photo in zip(people, end_photos, strict=True))),
        timeout=30,
    )
    assert max(answered) < 10, f"slowest answer after {max(answered):.1f} s"
    for person in people:
        assert any(
            bot.t("cert-accepted", mission="우리동네 불안 요소 찾기") in text
            for text in bot.texts(person["id"])
        )
