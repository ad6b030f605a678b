"""What follows a leader pausing, resuming or removing a participant: the participant is told
(with the leader's reason), from the chat's /participant or the console alike."""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bot.campaign import participants_admin as admin
from bot.campaign.conversation import Expecting
from bot.context import CampaignContext
from bot.i18n import language_for

log = logging.getLogger(__name__)


async def after_resume(context: CampaignContext, user_id: int) -> None:
    """Tell a resumed participant they can certify again."""
    await _tell(context, user_id, "participant-told-resumed", "")


async def after_change(context: CampaignContext, kind: str, user_id: int, reason: str) -> None:
    """Tell the participant about a pause or a removal (a fixed name or ID is not news)."""
    if kind == Expecting.PAUSE_REASON:
        await _tell(context, user_id, "participant-told-paused", reason)
    elif kind == Expecting.REMOVE_REASON:
        await _tell(context, user_id, "participant-told-removed", reason)


async def _tell(context: CampaignContext, user_id: int, key: str, reason: str) -> None:
    profile = await admin.profile(context.db, context.campaign, user_id, context.now())
    language = language_for(profile.person.language if profile else None, None)
    try:
        await context.bot.send_message(user_id, context.translator(language, key, reason=reason))
    except TelegramError as error:
        log.info("could not tell participant %s: %s", user_id, error)
