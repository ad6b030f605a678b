"""Theme missions: on a theme's first day at the morning time, tell every participant, and post
and pin it in the campaign group (all through the outbox, once)."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.campaign import rhythm, rules
from bot.campaign.rhythm import Planned
from bot.context import CampaignContext
from bot.i18n import format_day, language_for
from scheduler.reminders import certify_now_markup
from scheduler.repeat import run_every

JOB_NAME = "theme_missions"


async def announce_themes(context: CampaignContext) -> None:
    campaign, t, now = context.campaign, context.translator, context.now()
    launches = await rhythm.themes_to_announce(context.db, campaign, now)
    messages: list[Planned] = []
    tz = campaign.timezone
    expires = rules.lapses_at(rules.campaign_day(now, tz), now, campaign.schedule.quiet_start, tz)
    for launch in launches:
        mission = launch.mission

        def text(language: str, mission: Any = mission) -> str:
            return t(
                language,
                "theme-announcement",
                title=mission.title,
                description=mission.description,
                days=mission.days,
                end=format_day(language, mission.end),
            )

        for person in launch.recipients:
            language = language_for(person.language, None)
            messages.append(
                Planned(
                    key=f"theme:{mission.id}:{person.user_id}",
                    chat_id=person.user_id,
                    kind="text",
                    payload={
                        "text": text(language),
                        "reply_markup": certify_now_markup(t(language, "button-certify")),
                        "expires_at": expires.isoformat(),
                    },
                )
            )
        group = context.settings.group_chat_id
        if group is not None:
            language = language_for(None, None)
            post_key = f"theme:{mission.id}:group"
            messages.append(Planned(post_key, group, "text", {"text": text(language)}))
            messages.append(
                Planned(f"theme:{mission.id}:pin", group, "pin", {"message_key": post_key})
            )
    if messages:
        await rhythm.plan(context.db, messages, now)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    run_every(application, announce_themes, name=JOB_NAME, first=2)
