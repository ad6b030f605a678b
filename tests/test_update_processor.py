"""The per-person update processor: one person's updates in order, others not held up."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.practice.updates import UpdateFactory
from bot.update_processor import PerPersonUpdateProcessor


def _text_from(factory: UpdateFactory, user_id: int, text: str) -> Update:
    person = {"id": user_id, "is_bot": False, "first_name": "참여자"}
    return Update.de_json(factory.text(person, text), None)


async def test_a_persons_queued_updates_do_not_hold_the_slots_others_need():
    processor = PerPersonUpdateProcessor(max_concurrent_updates=2)
    factory = UpdateFactory()
    release = asyncio.Event()
    done: list[str] = []

    async def work(name: str, wait: bool) -> None:
        if wait:
            await release.wait()
        done.append(name)

    busy = [
        asyncio.create_task(
            processor.process_update(_text_from(factory, 1, f"/me {n}"), work(f"a{n}", n == 0))
        )
        for n in range(4)
    ]
    other = asyncio.create_task(
        processor.process_update(_text_from(factory, 2, "/me"), work("b", False))
    )
    await asyncio.wait_for(other, timeout=2)  # answered while the first person's update waits
    assert done == ["b"]
    release.set()
    await asyncio.gather(*busy)
    assert done == ["b", "a0", "a1", "a2", "a3"]  # the first person's, still in order


async def test_at_most_the_configured_number_of_updates_run_at_once():
    processor = PerPersonUpdateProcessor(max_concurrent_updates=2)
    factory = UpdateFactory()
    running = 0
    most = 0

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1

    await asyncio.gather(
        *(processor.process_update(_text_from(factory, 100 + n, "/me"), work()) for n in range(6))
    )
    assert most == 2
