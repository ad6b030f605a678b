"""Cheering jobs: the evening digest (each author hears about the day's cheers once, at the
reminder time) and the weekly top list posted to the campaign group.

The top list goes out on ``[schedule] weekly_top_day`` (default Sunday) at the morning time and
covers the seven days ending that day, so certifications made later that day are not in it.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application

from bot.campaign import cheers, rhythm, risk_reports, rules
from bot.campaign.rhythm import Planned
from bot.context import CampaignContext
from bot.i18n import format_day, language_for
from scheduler.repeat import run_every

log = logging.getLogger(__name__)

DIGEST_JOB = "cheer_digests"
TOP_JOB = "weekly_top"


async def plan_digests(context: CampaignContext) -> None:
    """Plan one message per author with new cheers since their last digest (once a day)."""
    campaign, t, now = context.campaign, context.translator, context.now()
    due = await cheers.digests_due(context.db, campaign, now)
    if not due:
        return
    tz = campaign.timezone
    day = rules.campaign_day(now, tz)
    expires = rules.lapses_at(day, now, campaign.schedule.quiet_start, tz)
    messages = []
    for author in due:
        language = language_for(author.language, None)
        text = t(
            language,
            "cheers-digest",
            name=cheers.first_name(author.name),
            count=author.cheers,
            posts=author.posts,
        )
        messages.append(
            (
                author,
                Planned(
                    key=cheers.digest_key(author.user_id, day),
                    chat_id=author.user_id,
                    kind="text",
                    payload={"text": text, "quiet_hours": True, "expires_at": expires.isoformat()},
                ),
            )
        )
    planned = await cheers.plan_digests(context.db, messages, day, now)
    log.info("planned %d cheer digests for %s", planned, day)


async def post_weekly_top(context: CampaignContext) -> None:
    """On the top list's day and time, post the week's top to the group (once per week)."""
    group = context.settings.group_chat_id
    campaign, t, now = context.campaign, context.translator, context.now()
    if group is None or not cheers.is_top_time(campaign, now):
        return
    top = await cheers.weekly_top(context.db, campaign, now)
    if top is None:
        return
    language = language_for(None, None)
    lines = [
        t(
            language,
            "cheers-top-title",
            count=len(top.entries),
            first=format_day(language, top.first),
            last=format_day(language, top.last),
        )
    ]
    lines += [
        t(
            language,
            "cheers-top-line",
            rank=entry.rank,
            name=entry.name,
            certifications=entry.certifications,
            streak=entry.streak,
        )
        for entry in top.entries
    ]
    round_ = campaign.round_named(top.round_name)
    if round_ is not None:
        found = await risk_reports.patrol_outcomes(context.db, campaign, round_, top.last)
        fixed = risk_reports.outcome_lines(t, language, found, "risk-fixed-title-round")
        if fixed:
            lines += ["", *fixed]
    lines += ["", t(language, "cheers-top-footer")]
    message = Planned(cheers.top_key(top), group, "text", {"text": "\n".join(lines)})
    await rhythm.plan(context.db, [message], now)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Every minute from start-up, like the reminders: what is due comes from the store."""
    for name, callback, first in ((DIGEST_JOB, plan_digests, 3), (TOP_JOB, post_weekly_top, 4)):
        run_every(application, callback, name=name, first=first)
