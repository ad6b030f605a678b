"""The review feed: each accepted certification as one picture the bot composed, with the card
as its caption and a Revoke button; revoke with a reason, restore, and /audit for leaders."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import cheers, review
from bot.campaign.certify import Progress
from bot.campaign.feed import FeedItem, FeedPlanner, FeedPost
from bot.campaign.review import Outcome
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.i18n import format_clock, format_day, language_for
from bot.notices import rewards
from bot.notices.certification_replies import camera_stamp
from bot.notices.progress import progress_text
from bot.outbox_sender import deliver_planned
from handlers.common import (
    button,
    keyboard,
    leader_language,
    leader_press,
    parse_int,
    remove_buttons,
    reply,
    typed_reason,
)
from storage.outbox import Notice

log = logging.getLogger(__name__)


def destinations(context: CampaignContext) -> list[int]:
    """The campaign group when configured, else every leader's private chat."""
    group = context.settings.group_chat_id
    return [group] if group is not None else sorted(context.settings.leader_ids)


def _when(context: CampaignContext, language: str, moment: datetime) -> str:
    tz = context.campaign.timezone
    return f"{format_day(language, moment.astimezone(tz).date())} {format_clock(moment, tz)}"


def card_text(context: CampaignContext, language: str, item: FeedItem, *, public: bool) -> str:
    cert, person = item.certification, item.participant
    tz = context.campaign.timezone
    # In the group only a first name is shown: no school, no 1365 id, no full name.
    name = (
        person.telegram_name.split(" ")[0] if public else (person.full_name or person.telegram_name)
    )
    body = context.translator(
        language,
        "review-card",
        name=name,
        mission=item.mission.title,
        day=format_day(language, cert.campaign_day) if cert.campaign_day else "",
        start=format_clock(cert.started_at, tz) if cert.started_at else "",
        end=format_clock(cert.ended_at, tz) if cert.ended_at else "",
        has_note="yes" if cert.note else "no",
        note=cert.note or "",
    )
    last = item.last_review
    if public and cert.status == "revoked":
        # The group learns only that it was withdrawn: never the reason, nor who decided.
        body += "\n\n" + context.translator(language, "review-revoked-public")
    elif public and last is not None and last.action == "restored":
        body += "\n\n" + context.translator(language, "review-restored-public")
    elif cert.status == "revoked" and last is not None:
        body += "\n\n" + context.translator(
            language,
            "review-revoked-line",
            leader=last.leader_name,
            when=_when(context, language, last.at),
            reason=last.reason or "",
        )
    elif last is not None and last.action == "restored":
        body += "\n\n" + context.translator(
            language,
            "review-restored-line",
            leader=last.leader_name,
            when=_when(context, language, last.at),
        )
    return body


def card_buttons(
    context: CampaignContext, language: str, item: FeedItem, *, cheer_count: int | None = None
) -> InlineKeyboardMarkup:
    """Revoke (or Restore); the group's copy also has the cheer button with its count."""
    cert_id = item.certification.id
    if item.certification.status == "revoked":
        return keyboard([button(context, language, "button-restore", f"rev:restore:{cert_id}")])
    revoke = button(context, language, "button-revoke", f"rev:revoke:{cert_id}")
    if cheer_count is None:
        return keyboard([revoke])
    label = context.translator(language, "cheers-button", count=cheer_count)
    return keyboard([InlineKeyboardButton(label, callback_data=f"cheer:{cert_id}"), revoke])


def feed_labels(context: CampaignContext, language: str, item: FeedItem) -> dict[str, str]:
    """The words on the feed picture: the mission, and each photo's role and time, written the
    way a timestamp camera stamps them."""
    cert, tz = item.certification, context.campaign.timezone

    def stamp(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y.%m.%d %H:%M") if moment else ""

    def camera(role: str, moment: datetime | None) -> str:
        if role not in item.camera_roles or moment is None:
            return ""
        return camera_stamp(context, language, moment)

    return {
        "title": item.mission.title,
        "start_role": context.translator(language, "feed-picture-start"),
        "end_role": context.translator(language, "feed-picture-end"),
        "start_stamp": stamp(cert.started_at),
        "end_stamp": stamp(cert.ended_at),
        "start_camera": camera("start", cert.started_at),
        "end_camera": camera("end", cert.ended_at),
    }


def feed_planner(context: CampaignContext) -> FeedPlanner:
    """How a certification's feed post looks in each destination chat (see bot.campaign.feed)."""
    group = context.settings.group_chat_id
    chats = destinations(context)

    def plan(item: FeedItem) -> list[FeedPost]:
        language = language_for(None, None)
        labels = feed_labels(context, language, item)
        return [
            FeedPost(
                chat_id=chat_id,
                caption=card_text(context, language, item, public=chat_id == group),
                reply_markup=card_buttons(
                    context, language, item, cheer_count=0 if chat_id == group else None
                ).to_dict(),
                labels=labels,
            )
            for chat_id in chats
        ]

    return plan


async def refresh_posts(context: CampaignContext, cert_id: int) -> None:
    """Show the current state (note, revoked, restored) on every feed copy."""
    item = await review.feed_item(context.db, cert_id)
    if item is None:
        return
    language = language_for(None, None)
    group = context.settings.group_chat_id
    cheer_count = await cheers.count(context.db, cert_id)
    for chat_id, message_id in item.posts:
        text = card_text(context, language, item, public=chat_id == group)
        markup = card_buttons(
            context, language, item, cheer_count=cheer_count if chat_id == group else None
        )
        try:
            if (chat_id, message_id) in item.picture_posts:
                await context.bot.edit_message_caption(
                    chat_id=chat_id, message_id=message_id, caption=text, reply_markup=markup
                )
            else:  # a text card under an album, from before the feed became one picture
                await context.bot.edit_message_text(
                    text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                log.info("could not update feed post %s/%s: %s", chat_id, message_id, error)


def _cert_id(data: str | None) -> int | None:
    parts = (data or "").split(":")
    return parse_int(parts[2]) if len(parts) == 3 else None


async def revoke_pressed(update: Update, context: CampaignContext) -> None:
    """Revoke: leaders only; asks for the reason the participant will read."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    cert_id = _cert_id(query.data)
    result = (
        await review.ask_revoke_reason(context.db, cert_id, query.from_user.id, context.now())
        if cert_id is not None
        else review.ReviewResult(Outcome.UNKNOWN)
    )
    if result.outcome is Outcome.UNKNOWN:
        await query.answer(context.translator(language, "review-unknown"), show_alert=True)
        return
    if result.outcome is Outcome.UNCHANGED:
        await query.answer(context.translator(language, "review-already-revoked"), show_alert=True)
        return
    await query.answer()
    assert result.item is not None
    await context.bot.send_message(
        query.from_user.id,
        context.translator(
            language,
            "review-ask-reason",
            name=result.item.participant.full_name or result.item.participant.telegram_name,
        ),
        reply_markup=keyboard(
            [button(context, language, "button-keep-certification", f"rev:keep:{cert_id}")]
        ),
    )


async def keep_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await review.drop_reason_prompt(context.db, query.from_user.id)
    await query.answer()
    await remove_buttons(query)
    await reply(update, context, language, "review-kept")


async def reason_typed(update: Update, context: CampaignContext, cert_id: int) -> None:
    """The leader's reason: revoke, update the feed, tell the participant why."""
    typed = await typed_reason(update, context, review.MAX_REASON_LENGTH)
    if typed is None:
        return
    leader_id, language, reason = typed
    result = await revoke(context, cert_id, leader_id, reason)
    if result.outcome is not Outcome.DONE:
        await reply(update, context, language, "review-already-revoked")
        return
    # The participant and the feed first, the leader's confirmation last: if that reply fails,
    # a retry hears "already revoked" and nothing is left undone.
    await after_revoke(context, result)
    await reply(update, context, language, "review-revoke-done")


async def revoke(
    context: CampaignContext, cert_id: int, leader_id: int, reason: str
) -> review.ReviewResult:
    """Revoke with the participant's message planned with it (the chat and the console)."""
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
    """Count it again, the participant's message (and a feed post that never went out) planned
    with it (the chat and the console)."""
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


async def restore_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    cert_id = _cert_id(query.data)
    if cert_id is None:
        await query.answer(context.translator(language, "review-unknown"), show_alert=True)
        return
    result = await restore(context, cert_id, query.from_user.id)
    if result.outcome is Outcome.UNKNOWN:
        await query.answer(context.translator(language, "review-unknown"), show_alert=True)
        return
    if result.outcome is Outcome.UNCHANGED:
        await query.answer(context.translator(language, "review-not-revoked"), show_alert=True)
        return
    await query.answer()
    await after_restore(context, result)


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


CHECK_KEYS = {
    "forwarded": "audit-check-forwarded",
    "same_file": "audit-check-same-file",
    "reused_picture": "audit-check-reused-picture",
    "not_today": "audit-check-not-today",
}


async def audit(update: Update, context: CampaignContext) -> None:
    """/audit: the latest refusals by the checks, revocations, and look-alike photos that were
    accepted, for leaders."""
    language = await leader_language(update, context)
    if language is None:
        return
    user = update.effective_user
    assert user is not None
    trail = await review.audit(context.db)
    t = context.translator
    lines = [t(language, "audit-title")]
    lines.append(t(language, "audit-refusals-title"))
    lines += [
        t(
            language,
            "audit-refusal-line",
            when=_when(context, language, r.at),
            name=r.participant_name,
            check=t(language, CHECK_KEYS.get(r.check_name, "audit-check-other")),
        )
        for r in trail.refusals
    ] or [t(language, "audit-none")]
    lines.append("")
    lines.append(t(language, "audit-reviews-title"))
    lines += [
        t(
            language,
            "audit-review-line",
            when=_when(context, language, v.at),
            action=v.action,
            name=v.participant_name,
            leader=v.leader_name,
            reason=v.reason or "",
        )
        for v in trail.reviews
    ] or [t(language, "audit-none")]
    if trail.lookalikes:
        lines.append("")
        lines.append(t(language, "audit-lookalikes-title"))
        lines += [
            t(
                language,
                "audit-lookalike-line",
                when=_when(context, language, flagged.at),
                name=flagged.participant_name,
                role=flagged.role,
                whose=flagged.whose,
                certification=flagged.certification_id,
                earlier=flagged.earlier_certification_id,
            )
            for flagged in trail.lookalikes
        ]
    await context.bot.send_message(user.id, "\n".join(lines))


def register(application: AnyApplication) -> None:
    application.add_handler(CallbackQueryHandler(revoke_pressed, pattern=r"^rev:revoke:"))
    application.add_handler(CallbackQueryHandler(restore_pressed, pattern=r"^rev:restore:"))
    application.add_handler(CallbackQueryHandler(keep_pressed, pattern=r"^rev:keep:"))
    application.add_handler(CommandHandler("audit", audit, filters=filters.ChatType.PRIVATE))
