"""The review feed: each accepted certification's photos as an album with a Revoke button,
revoke with a reason, restore, and /audit for leaders."""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    Message,
    Update,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.campaign import cheers, review
from bot.campaign.certify import Progress
from bot.campaign.review import FeedItem, Outcome
from bot.context import CampaignContext
from bot.errors import quietly
from bot.i18n import format_clock, format_day, language_for
from bot.outbox_sender import deliver_planned
from handlers import milestones
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
from handlers.progress import progress_text
from storage.outbox import Notice

log = logging.getLogger(__name__)


def destinations(context: CampaignContext) -> list[int]:
    """The campaign group when configured, else every leader's private chat."""
    group = context.settings.group_chat_id
    return [group] if group is not None else sorted(context.settings.leader_ids)


def _when(context: CampaignContext, language: str, moment) -> str:  # type: ignore[no-untyped-def]
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
    if cert.status == "revoked" and last is not None:
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


async def post_to_feed(context: CampaignContext, cert_id: int) -> None:
    """Post the start and end photos as one album, then the details with the Revoke button."""
    item = await review.feed_item(context.db, cert_id)
    if item is None:
        return
    language = language_for(None, None)
    group = context.settings.group_chat_id
    sent: list[tuple[int, int]] = []
    photos_sent: list[tuple[int, list[int]]] = []
    for chat_id in destinations(context):
        pictures: list[Message] = []
        try:
            await _send_photos(context, chat_id, item, pictures)
            message = await context.bot.send_message(
                chat_id,
                card_text(context, language, item, public=chat_id == group),
                reply_markup=card_buttons(
                    context, language, item, cheer_count=0 if chat_id == group else None
                ),
                reply_to_message_id=pictures[0].message_id if pictures else None,
            )
            sent.append((chat_id, message.message_id))
        except TelegramError as error:
            # The participant's certification stands; the feed copy is what failed.
            log.warning("review feed post to %s failed for %s: %s", chat_id, cert_id, error)
        # Every photo that did go out is remembered, whatever failed after it: /delete takes
        # them down.
        if pictures:
            photos_sent.append((chat_id, [m.message_id for m in pictures]))
    await review.remember_posts(context.db, cert_id, sent, photos_sent)


async def _send_photos(
    context: CampaignContext, chat_id: int, item: FeedItem, sent: list[Message]
) -> None:
    """Send the certification's photos to the chat, each message appended to ``sent`` as soon
    as Telegram answers (so the caller knows what went out even if a later one fails)."""
    kinds = {p.kind for p in item.photos}
    if kinds == {"photo"}:
        media = [InputMediaPhoto(p.file_id) for p in item.photos]
    elif kinds == {"document"}:
        media = [InputMediaDocument(p.file_id) for p in item.photos]  # type: ignore[misc]
    else:
        # Telegram albums cannot mix photos and files: send them one after the other.
        for p in item.photos:
            send = context.bot.send_photo if p.kind == "photo" else context.bot.send_document
            sent.append(await send(chat_id, p.file_id))
        return
    sent.extend(await context.bot.send_media_group(chat_id, media))


async def refresh_posts(context: CampaignContext, cert_id: int) -> None:
    """Show the current state (note, revoked, restored) on every feed copy."""
    item = await review.feed_item(context.db, cert_id)
    if item is None:
        return
    language = language_for(None, None)
    group = context.settings.group_chat_id
    cheer_count = await cheers.count(context.db, cert_id)
    for chat_id, message_id in item.posts:
        try:
            await context.bot.edit_message_text(
                card_text(context, language, item, public=chat_id == group),
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=card_buttons(
                    context, language, item, cheer_count=cheer_count if chat_id == group else None
                ),
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
    )


async def after_revoke(context: CampaignContext, result: review.ReviewResult) -> None:
    """Tell the participant, update every feed copy, flag a reward they fell below."""
    if result.outcome is not Outcome.DONE or result.item is None:
        return
    await _tell_participant(context, result)
    await quietly(refresh_posts(context, result.item.certification.id), "refreshing the feed")
    await milestones.flag_after_revocation(context, result.item.participant.user_id)


async def restore(context: CampaignContext, cert_id: int, leader_id: int) -> review.ReviewResult:
    """Count it again, the participant's message planned with it (the chat and the console)."""
    return await review.restore(
        context.db,
        context.campaign,
        cert_id,
        leader_id,
        context.now(),
        notice=_notice(context, "review-told-restored"),
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


async def _tell_participant(context: CampaignContext, result: review.ReviewResult) -> None:
    """Deliver the message planned with the change (Telegram away: the outbox retries it)."""
    if result.notice is not None:
        await deliver_planned(context.services.outbox, [result.notice.key])


CHECK_KEYS = {
    "forwarded": "audit-check-forwarded",
    "same_file": "audit-check-same-file",
    "reused_picture": "audit-check-reused-picture",
    "not_today": "audit-check-not-today",
}


async def audit(update: Update, context: CampaignContext) -> None:
    """/audit: the latest refusals by the checks, and revocations, for leaders."""
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
    await context.bot.send_message(user.id, "\n".join(lines))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(revoke_pressed, pattern=r"^rev:revoke:"))
    application.add_handler(CallbackQueryHandler(restore_pressed, pattern=r"^rev:restore:"))
    application.add_handler(CallbackQueryHandler(keep_pressed, pattern=r"^rev:keep:"))
    application.add_handler(CommandHandler("audit", audit, filters=filters.ChatType.PRIVATE))
