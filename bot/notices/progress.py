"""How a participant's progress reads: counts, volunteer time, the next reward."""

from __future__ import annotations

from bot.campaign.certify import Progress
from bot.context import CampaignContext


def progress_text(context: CampaignContext, language: str, progress: Progress) -> str:
    reward = progress.next_reward
    return context.translator(
        language,
        "progress",
        today=progress.tally.today,
        round_count=progress.tally.this_round,
        round=progress.round.name if progress.round else "none",
        total=progress.tally.total,
        hours=progress.volunteer.minutes // 60,
        minutes=progress.volunteer.minutes % 60,
        portal_hours=progress.volunteer.portal_hours,
        carried=progress.volunteer.carried_minutes,
        has_reward="yes" if reward else "no",
        reward=reward.milestone.reward if reward else "",
        remaining=reward.remaining if reward else 0,
    )
