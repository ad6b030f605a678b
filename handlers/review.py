"""The review feed's buttons: revoke a certification with a reason, restore it, and /audit for
leaders (the feed posts themselves and what follows a review: ``bot.notices``)."""

from __future__ import annotations

import logging

from telegram import (
    Update,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import review
from bot.campaign.review import Outcome
from bot.context import AnyApplication, CampaignContext
from bot.i18n import format_moment
from bot.keyboards import button, keyboard
from bot.notices.revocations import after_restore, after_revoke, restore, revoke
from handlers import CALLBACK_PATTERNS
from handlers.common import (
    answer_stale,
    button_data,
    leader_language,
    leader_press,
    number,
    remove_buttons,
    reply,
    typed_reason,
)

log = logging.getLogger(__name__)


async def review_pressed(update: Update, context: CampaignContext) -> None:
    """``rev:<verb>:<certification>``: the feed's Revoke and Restore, and Keep it under the
    question for a reason."""
    verb, _ = button_data(context, "rev:")
    if verb is None:
        await answer_stale(update, context)
        return
    await REVIEW_BUTTONS[verb](update, context)


def _cert_id(context: CampaignContext) -> int | None:
    return number(button_data(context, "rev:")[1])


async def revoke_pressed(update: Update, context: CampaignContext) -> None:
    """Revoke: leaders only; asks for the reason the participant will read."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    cert_id = _cert_id(context)
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


async def restore_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    cert_id = _cert_id(context)
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


REVIEW_BUTTONS = {"revoke": revoke_pressed, "restore": restore_pressed, "keep": keep_pressed}

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
    tz = context.campaign.timezone
    t = context.translator
    lines = [t(language, "audit-title")]
    lines.append(t(language, "audit-refusals-title"))
    lines += [
        t(
            language,
            "audit-refusal-line",
            when=format_moment(language, r.at, tz),
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
            when=format_moment(language, v.at, tz),
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
                when=format_moment(language, flagged.at, tz),
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
    application.add_handler(CallbackQueryHandler(review_pressed, pattern=CALLBACK_PATTERNS["rev:"]))
    application.add_handler(CommandHandler("audit", audit, filters=filters.ChatType.PRIVATE))
