"""The scheduler's one wiring point: the outbox sender with its renderers, and every job."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot import images, rhythm
from bot.context import Services
from scheduler import cheers, maintenance, reminders, reports, themes
from scheduler.outbox import OutboxSender


def _badge(params: dict[str, Any]) -> bytes:
    """Outbox payloads are JSON: rebuild the badge's arguments from it."""
    arguments = {k: v for k, v in params.items() if k != "labels"}
    return images.render_badge(labels=images.BadgeLabels(**params["labels"]), **arguments)


def start(application: Application[Any, Any, Any, Any, Any, Any]) -> OutboxSender:
    """Create the sender (kept in ``bot_data.outbox``) and register the jobs (in the campaign's
    time zone, via ``Defaults``). What is due is always re-planned from the database."""
    services: Services = application.bot_data
    database = services.database
    assert database is not None

    async def on_blocked(chat_id: int) -> None:
        if chat_id > 0:
            await rhythm.mark_blocked(database, chat_id, services.clock())

    sender = OutboxSender(
        database, application.bot, on_blocked=on_blocked, clock=lambda: services.clock()
    )
    sender.add_renderer("badge", _badge)
    sender.add_renderer("calendar", reports.render_calendar)
    sender.add_renderer("chart", reports.render_chart)
    services.outbox = sender
    if application.job_queue is not None:
        sender.register(application)
        reminders.register(application)
        themes.register(application)
        reports.register(application)
        cheers.register(application)
        maintenance.register(application)
    return sender
