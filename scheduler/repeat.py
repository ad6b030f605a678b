"""The scheduler's repeating jobs: what is due always comes from the store, so each job only
needs to run again and again, one of each name at a time."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from bot.context import AnyApplication, CampaignContext


def run_every(
    application: AnyApplication,
    callback: Callable[[CampaignContext], Coroutine[Any, Any, None]],
    *,
    name: str,
    first: float,
    interval: float = 60,
) -> None:
    """Run ``callback`` every ``interval`` seconds from ``first`` on, replacing a job of that name
    registered before (registering twice never runs it twice)."""
    assert application.job_queue is not None
    for job in application.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    application.job_queue.run_repeating(callback, interval=interval, first=first, name=name)
