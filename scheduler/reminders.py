"""The daily reminder job: every minute, plan a reminder for each participant whose reminder
time has come and who has not certified today (the outbox sends it at Telegram's pace)."""

from __future__ import annotations

import logging
from typing import Any

from bot.campaign import rhythm, rules
from bot.campaign.rhythm import Planned
from bot.context import AnyApplication, CampaignContext
from bot.i18n import language_for
from scheduler.repeat import run_every

log = logging.getLogger(__name__)

JOB_NAME = "reminders"


def certify_now_markup(label: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": label, "callback_data": "cert:begin"}]]}


async def plan_reminders(context: CampaignContext) -> None:
    """Plan today's due reminders (idempotent: one per person per day)."""
    campaign = context.campaign
    now = context.now()
    due = await rhythm.reminders_due(context.db, campaign, now)
    if not due:
        return
    tz = campaign.timezone
    day = rules.campaign_day(now, tz)
    # A reminder nobody could send before the quiet hours is pointless: it lapses then.
    expires = rules.lapses_at(day, now, campaign.schedule.quiet_start, tz)
    messages = []
    for person in due:
        language = language_for(person.language, None)
        messages.append(
            Planned(
                key=rhythm.reminder_key(person.user_id, day),
                chat_id=person.user_id,
                kind="text",
                payload={
                    "text": context.translator(
                        language, "reminder", name=person.name, streak=person.streak
                    ),
                    "reply_markup": certify_now_markup(
                        context.translator(language, "button-certify")
                    ),
                    "quiet_hours": True,
                    "expires_at": expires.isoformat(),
                },
            )
        )
    planned = await rhythm.plan(context.db, messages, now)
    log.info("planned %d reminders for %s", planned, day)


def register(application: AnyApplication) -> None:
    """Run every minute from start-up: what is due is derived from the store each time."""
    run_every(application, plan_reminders, name=JOB_NAME, first=1)
