"""The 👏 button on the group's copy of each certification: one cheer per person per post, the
count shown on the button (beside the leaders' Revoke button)."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberRestricted, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler

from bot.campaign import cheers, review
from bot.campaign.cheers import Outcome
from bot.context import AnyApplication, CampaignContext
from bot.i18n import language_for
from bot.notices.feed_posts import card_buttons
from handlers import CALLBACK_PATTERNS
from handlers.common import button_data, number

log = logging.getLogger(__name__)

ANSWERS = {
    Outcome.DONE: "cheers-thanks",
    Outcome.ALREADY: "cheers-already",
    Outcome.OWN: "cheers-own",
    Outcome.UNKNOWN: "cheers-unknown",
    Outcome.NOT_IN_GROUP: "cheers-not-in-group",
    Outcome.NOT_ALLOWED: "cheers-participants-only",
}
# Statuses of someone who can read the group (ChatMemberRestricted also needs is_member).
_MEMBER_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)


async def cheer_pressed(update: Update, context: CampaignContext) -> None:
    query = update.callback_query
    assert query is not None
    language = context.language
    group = context.settings.group_chat_id
    cert_id = number(button_data(context, "cheer:")[0])
    message = query.message
    pressed_in = message.chat.id if message is not None else None
    result = cheers.CheerResult(Outcome.UNKNOWN)
    if cert_id is not None and group is not None:
        result = await cheers.cheer(
            context.db, cert_id, query.from_user.id, group, context.now(), pressed_in=pressed_in
        )
        if result.outcome is Outcome.NOT_ALLOWED and await _member_of(
            context, group, query.from_user.id
        ):
            result = await cheers.cheer(
                context.db,
                cert_id,
                query.from_user.id,
                group,
                context.now(),
                pressed_in=pressed_in,
                group_member=True,
            )
    await query.answer(
        context.translator(language, ANSWERS[result.outcome]),
        show_alert=result.outcome
        in (Outcome.OWN, Outcome.UNKNOWN, Outcome.NOT_IN_GROUP, Outcome.NOT_ALLOWED),
    )
    if result.outcome is Outcome.DONE and result.group_post is not None:
        assert cert_id is not None and group is not None
        await _show_count(context, cert_id, group, result.group_post)


async def _member_of(context: CampaignContext, group: int, user_id: int) -> bool:
    """Whether Telegram counts this person as a member of the group (a leader, a guest)."""
    try:
        member = await context.bot.get_chat_member(group, user_id)
    except TelegramError as error:
        log.info("could not look up %s in %s: %s", user_id, group, error)
        return False
    if isinstance(member, ChatMemberRestricted):
        return member.is_member
    return member.status in _MEMBER_STATUSES


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


def register(application: AnyApplication) -> None:
    application.add_handler(
        CallbackQueryHandler(cheer_pressed, pattern=CALLBACK_PATTERNS["cheer:"])
    )
