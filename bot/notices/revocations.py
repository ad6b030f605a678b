"""What follows a leader's revocation or restore of a certification: the participant's
message with their new progress and the other leaders' (both planned with the change), every
feed copy redrawn, and a reward the participant fell below flagged to the leaders."""

from __future__ import annotations

from bot.campaign import review
from bot.campaign.certify import Progress
from bot.campaign.feed import FeedItem
from bot.campaign.review import Outcome
from bot.context import CampaignContext
from bot.errors import quietly
from bot.i18n import format_day, language_for
from bot.notices import rewards
from bot.notices.feed_posts import feed_planner, refresh_posts
from bot.notices.progress import progress_text
from bot.outbox_sender import deliver_planned
from storage.outbox import Notice


async def revoke(
    context: CampaignContext, cert_id: int, leader_id: int, reason: str
) -> review.ReviewResult:
    """The step (``review.revoke``) with the messages that follow it planned into its own write,
    so they cannot be lost; both doors call this, then ``after_revoke``."""
    return await review.revoke(
        context.db,
        context.campaign,
        cert_id,
        leader_id,
        reason,
        context.now(),
        notice=_notice(context, "review-told-revoked", reason),
        leader_notices=_leaders_told(context, leader_id, reason),
    )


async def after_revoke(context: CampaignContext, result: review.ReviewResult) -> None:
    """Tell the participant, update every feed copy, flag a reward they fell below."""
    if result.outcome is not Outcome.DONE or result.item is None:
        return
    await _tell_participant(context, result)
    await quietly(refresh_posts(context, result.item.certification.id), "refreshing the feed")
    await rewards.flag_after_revocation(context, result.item.participant.user_id)


async def restore(context: CampaignContext, cert_id: int, leader_id: int) -> review.ReviewResult:
    """The step (``review.restore``) with the participant's message (and a feed post that never
    went out) planned into its write; both doors call this, then ``after_restore``."""
    return await review.restore(
        context.db,
        context.campaign,
        cert_id,
        leader_id,
        context.now(),
        notice=_notice(context, "review-told-restored"),
        feed_post=feed_planner(context),
    )


async def after_restore(context: CampaignContext, result: review.ReviewResult) -> None:
    if result.outcome is not Outcome.DONE or result.item is None:
        return
    await refresh_posts(context, result.item.certification.id)
    await _tell_participant(context, result)


def _notice(context: CampaignContext, key: str, reason: str = "") -> review.ReviewNotice:
    """The participant's message about a revocation or restore, with their new progress."""
    moment = context.now().isoformat()

    def render(item: FeedItem, progress: Progress) -> Notice:
        person = item.participant
        language = language_for(person.language, None)
        text = context.translator(
            language,
            key,
            mission=item.mission.title,
            day=format_day(language, item.certification.campaign_day)
            if item.certification.campaign_day
            else "",
            reason=reason,
        )
        return Notice(
            key=f"review:{item.certification.id}:{key}:{moment}",
            chat_id=person.user_id,
            text=text + "\n\n" + progress_text(context, language, progress),
        )

    return render


def _leaders_told(
    context: CampaignContext, revoker_id: int, reason: str
) -> review.LeaderNotices | None:
    """With a group, the feed there shows no reason: the other leaders hear it in private.
    (Without one, the feed is in the leaders' own chats, where the caption shows it.)"""
    if context.settings.group_chat_id is None:
        return None
    moment = context.now().isoformat()
    leaders = sorted(context.settings.leader_ids)

    def render(item: FeedItem) -> list[Notice]:
        language = language_for(None, None)
        person = item.participant
        last = item.last_review
        text = context.translator(
            language,
            "review-leaders-revoked",
            leader=last.leader_name if last else str(revoker_id),
            name=person.full_name or person.telegram_name,
            mission=item.mission.title,
            day=format_day(language, item.certification.campaign_day)
            if item.certification.campaign_day
            else "",
            reason=reason,
        )
        return [
            Notice(
                key=f"review:{item.certification.id}:leaders-revoked:{leader}:{moment}",
                chat_id=leader,
                text=text,
            )
            for leader in leaders
            if leader != revoker_id
        ]

    return render


async def _tell_participant(context: CampaignContext, result: review.ReviewResult) -> None:
    """Deliver the messages planned with the change (Telegram away: the outbox retries them)."""
    keys = [result.notice.key] if result.notice is not None else []
    keys += [notice.key for notice in result.leader_notices]
    await deliver_planned(context.services.outbox, keys)
