"""The 👏 button on the group's copy of each certification: one cheer per person per post, the
count shown on the button (beside the leaders' Revoke button)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.campaign import cheers, review
from bot.campaign.cheers import Outcome
from bot.context import CampaignContext
from bot.i18n import language_for
from handlers.common import parse_int
from handlers.review import card_buttons

log = logging.getLogger(__name__)

ANSWERS = {
    Outcome.DONE: "cheers-thanks",
    Outcome.ALREADY: "cheers-already",
    Outcome.OWN: "cheers-own",
    Outcome.UNKNOWN: "cheers-unknown",
}


def _cert_id(data: str | None) -> int | None:
    parts = (data or "").split(":")
    return parse_int(parts[1]) if len(parts) == 2 else None


async def cheer_pressed(update: Update, context: CampaignContext) -> None:
    query = update.callback_query
    assert query is not None
    language = context.language
    group = context.settings.group_chat_id
    cert_id = _cert_id(query.data)
    result = (
        await cheers.cheer(context.db, cert_id, query.from_user.id, group, context.now())
        if cert_id is not None and group is not None
        else cheers.CheerResult(Outcome.UNKNOWN)
    )
    await query.answer(
        context.translator(language, ANSWERS[result.outcome]),
        show_alert=result.outcome in (Outcome.OWN, Outcome.UNKNOWN),
    )
    if result.outcome is Outcome.DONE and result.group_post is not None:
        assert cert_id is not None and group is not None
        await _show_count(context, cert_id, group, result.group_post)


async def _show_count(
    context: CampaignContext, cert_id: int, chat_id: int, message_id: int
) -> None:
    """Edit only the buttons of the group's post (never its text)."""
    item = await review.feed_item(context.db, cert_id)
    if item is None:
        return
    count = await cheers.count(context.db, cert_id)
    markup = card_buttons(context, language_for(None, None), item, cheer_count=count)
    try:
        await context.bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as error:
        # Two presses at once may both show the same count: Telegram says "not modified".
        if "not modified" not in str(error).lower():
            log.info("could not show cheers on %s/%s: %s", chat_id, message_id, error)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(cheer_pressed, pattern=r"^cheer:"))
