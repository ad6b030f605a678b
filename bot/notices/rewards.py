"""Milestone messages: a badge image for the participant and a notice for the leaders when a
reward count is reached (once, ever), and a flag for the leaders when a revocation drops a
participant back below one already announced. All of it goes through the outbox."""

from __future__ import annotations

from datetime import datetime

from bot.campaign import rhythm, rules
from bot.campaign.config import Milestone
from bot.campaign.rhythm import Planned
from bot.context import CampaignContext
from bot.i18n import format_date, language_for
from storage import participants
from storage.participants import Participant


def _leader_time(context: CampaignContext, now: datetime) -> datetime:
    schedule = context.campaign.schedule
    return rules.next_allowed(
        now, context.campaign.timezone, schedule.quiet_start, schedule.quiet_end
    )


async def _person(context: CampaignContext, user_id: int) -> Participant | None:
    async with context.db.read() as conn:
        return await participants.get(conn, user_id)


async def announce(context: CampaignContext, user_id: int, round_name: str) -> list[Milestone]:
    """After an accepted certification: announce every newly reached milestone."""
    person = await _person(context, user_id)
    if person is None:
        return []
    campaign, t, now = context.campaign, context.translator, context.now()
    language = language_for(person.language, None)
    name = person.full_name or person.telegram_name
    # The badge of each reward step looks a step richer than the one before.
    steps = sorted(m.count for m in campaign.milestones)
    reached_on = format_date(language, rules.campaign_day(now, campaign.timezone))

    def messages_for(milestone: Milestone, total: int) -> list[Planned]:
        badge = {
            "name": name,
            "reward": milestone.reward,
            "count": milestone.count,
            "round_name": round_name,
            "station": campaign.station,
            "campaign": campaign.name,
            "step": steps.index(milestone.count) + 1,
            "day": reached_on,
            "labels": {
                "headline": t(language, "badge-headline"),
                "name": t(language, "badge-name"),
                "achievement": t(language, "badge-achievement"),
            },
        }
        planned = [
            Planned(
                key=f"milestone:{user_id}:{milestone.count}",
                chat_id=user_id,
                kind="photo",
                payload={
                    "render": {"name": "badge", "params": badge},
                    "caption": t(
                        language,
                        "milestone-congrats",
                        name=name,
                        reward=milestone.reward,
                        count=milestone.count,
                    ),
                },
            )
        ]
        for leader_id in sorted(context.settings.leader_ids):
            planned.append(
                Planned(
                    key=f"milestone:{user_id}:{milestone.count}:leader:{leader_id}",
                    chat_id=leader_id,
                    kind="text",
                    payload={
                        "text": t(
                            language_for(None, None),
                            "milestone-leader",
                            name=name,
                            reward=milestone.reward,
                            count=milestone.count,
                            affiliation=person.affiliation or "—",
                            user_id=str(user_id),
                        ),
                        "reply_markup": {
                            "inline_keyboard": [
                                [
                                    {
                                        "text": t(
                                            language_for(None, None), "button-handout-milestone"
                                        ),
                                        "callback_data": f"handout:m{milestone.count}:{user_id}",
                                    }
                                ]
                            ]
                        },
                    },
                    not_before=_leader_time(context, now),
                )
            )
        return planned

    return await rhythm.announce_milestones(context.db, campaign, user_id, now, messages_for)


async def flag_after_revocation(context: CampaignContext, user_id: int) -> list[Milestone]:
    person = await _person(context, user_id)
    if person is None:
        return []
    t, now = context.translator, context.now()
    name = person.full_name or person.telegram_name

    def messages_for(milestone: Milestone, total: int) -> list[Planned]:
        return [
            Planned(
                key=f"milestone-flag:{user_id}:{milestone.count}:leader:{leader_id}",
                chat_id=leader_id,
                kind="text",
                payload={
                    "text": t(
                        language_for(None, None),
                        "milestone-flag-leader",
                        name=name,
                        reward=milestone.reward,
                        count=milestone.count,
                        total=total,
                    )
                },
                not_before=_leader_time(context, now),
            )
            for leader_id in sorted(context.settings.leader_ids)
        ]

    return await rhythm.flag_dropped_milestones(
        context.db, context.campaign, user_id, now, messages_for
    )
