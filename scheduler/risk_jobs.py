"""Risk reports on the scheduler's side: the renderer that hands the outbox a picture the bot
re-encoded (stored in ``risk_photos``), and the weekly list of forwarded reports gone silent."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.campaign import cheers, rhythm, risk_reports, rules
from bot.campaign.rhythm import Planned
from bot.context import CampaignContext
from bot.i18n import language_for
from bot.outbox_sender import AsyncRenderer
from scheduler.repeat import run_every
from storage.database import Database


def stored_photo(database: Database) -> AsyncRenderer:
    """A renderer for ``{"photo_id": n}``: the JPEG kept in ``risk_photos``, read on the store's
    read connection (it never waits for the writer)."""

    async def render(params: dict[str, Any]) -> bytes:
        jpeg = await risk_reports.stored_jpeg(database, int(params["photo_id"]))
        if jpeg is None:  # erased since it was planned (/delete): nothing may be shown
            raise LookupError(f"risk photo {params['photo_id']} is gone")
        return jpeg

    return render


JOB_NAME = "risk_silent_reports"
MAX_LISTED = 15  # three buttons each; Telegram allows 100 buttons on a message


async def list_silent_reports(context: CampaignContext) -> None:
    """Once a week, each leader gets the forwarded reports that went silent, each with one-tap
    "still open", "resolved" and "rejected" (planned once per leader and week)."""
    campaign, t, now = context.campaign, context.translator, context.now()
    if not cheers.is_top_time(campaign, now):  # the same weekly moment as the cheers' top
        return
    silent = await risk_reports.silent_reports(context.db, campaign, now)
    if not silent:
        return
    language = language_for(None, None)
    tz = campaign.timezone
    shown = silent[:MAX_LISTED]
    lines = [t(language, "risk-silent-title", count=len(silent), days=campaign.risk_silent_days)]
    rows = []
    for report in shown:
        since = report.checked_at or report.forwarded_at or report.updated_at
        lines.append(
            t(
                language,
                "risk-silent-line",
                id=report.id,
                category=t(language, f"risk-category-{report.category or 'other'}"),
                agency=report.agency or "",
                date=since.astimezone(tz).strftime("%Y-%m-%d"),
                days=(now - since).days,
                count=report.noticed,
            )
        )
        rows.append(
            [
                {
                    "text": t(language, "button-risk-still-open", id=report.id),
                    "callback_data": f"risk:notyet:{report.id}",
                },
                {
                    "text": t(language, "button-risk-resolve"),
                    "callback_data": f"risk:resolve:{report.id}",
                },
                {
                    "text": t(language, "button-risk-reject"),
                    "callback_data": f"risk:reject:{report.id}",
                },
            ]
        )
    if len(silent) > len(shown):
        lines.append(t(language, "risk-silent-more", more=len(silent) - len(shown)))
    expires = rules.lapses_at(now.astimezone(tz).date(), now, campaign.schedule.quiet_start, tz)
    messages = [
        Planned(
            risk_reports.silent_key(leader, now, campaign),
            leader,
            "text",
            {
                "text": "\n".join(lines),
                "reply_markup": {"inline_keyboard": rows},
                "expires_at": expires.isoformat(),
            },
        )
        for leader in sorted(context.settings.leader_ids)
    ]
    await rhythm.plan(context.db, messages, now)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Every minute, like the weekly top: what is due comes from the store."""
    run_every(application, list_silent_reports, name=JOB_NAME, first=5)
