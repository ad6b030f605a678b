"""The scheduler's one wiring point: the outbox sender with its renderers, and every job."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.campaign import feed as campaign_feed
from bot.campaign import rhythm
from bot.context import Services
from bot.media import pictures
from bot.outbox_sender import OutboxSender
from scheduler import cheers, feed, maintenance, reminders, risk_jobs, round_report_jobs, themes


def _badge(params: dict[str, Any]) -> bytes:
    """Outbox payloads are JSON: rebuild the badge's arguments from it."""
    arguments = {k: v for k, v in params.items() if k != "labels"}
    return pictures.render_badge(labels=pictures.BadgeLabels(**params["labels"]), **arguments)


def outbox_sender(
    application: Application[Any, Any, Any, Any, Any, Any], **options: Any
) -> OutboxSender:
    """An outbox sender with every renderer; ``options`` go to ``OutboxSender`` (pace, clocks)."""
    services: Services = application.bot_data
    database = services.database
    assert database is not None

    async def on_blocked(chat_id: int) -> None:
        if chat_id > 0:
            await rhythm.mark_blocked(database, chat_id, services.clock())

    options.setdefault("clock", lambda: services.clock())
    sender = OutboxSender(database, application.bot, on_blocked=on_blocked, **options)
    sender.add_renderer("badge", _badge)
    sender.add_renderer("calendar", round_report_jobs.render_calendar)
    sender.add_renderer("chart", round_report_jobs.render_chart)
    sender.add_async_renderer("risk_photo", risk_jobs.stored_photo(database))
    sender.add_async_renderer(campaign_feed.RENDERER, feed.renderer(database))
    return sender


def start(application: Application[Any, Any, Any, Any, Any, Any]) -> OutboxSender:
    """Create the sender (kept in ``bot_data.outbox``) and register the jobs (in the campaign's
    time zone, via ``Defaults``). What is due is always re-planned from the database."""
    services: Services = application.bot_data
    sender = outbox_sender(application)
    services.outbox = sender
    if application.job_queue is not None:
        sender.register(application)
        feed.register(application)
        reminders.register(application)
        themes.register(application)
        round_report_jobs.register(application)
        cheers.register(application)
        risk_jobs.register(application)
        maintenance.register(application)
    return sender
