"""What follows an erasure (/delete, or the retention purge): the person's messages taken out
of the leaders' and feed chats, and the photos too old to delete listed to the leaders."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from telegram.error import TelegramError

from bot.campaign import privacy
from bot.context import CampaignContext
from bot.i18n import format_day, language_for
from bot.outbox_sender import send_or_queue

log = logging.getLogger(__name__)

# Bots may delete their own messages for 48 hours after sending; an hour spare for slow clocks.
DELETABLE_FOR = timedelta(hours=47)
DELETE_BATCH = 100  # deleteMessages takes at most 100 ids
LINKS_PER_MESSAGE = 50  # a leader's list of photos left behind stays far below 4096 characters


async def take_down(context: CampaignContext, messages: list[privacy.ShownMessage]) -> None:
    """Take an erased person's messages out of the leaders' and feed chats, then forget them.

    Texts (cards) are blanked first: bots may edit their own messages at any time, and
    deleteMessages silently skips what it cannot delete, so an edit is the only step that is
    sure to take the name away. Then everything recent enough is deleted. Photos too old to
    delete (or refused) are listed to the leaders to delete by hand. Failures are logged, never
    raised."""
    if not messages:
        return
    now = context.now()
    recent: dict[int, list[privacy.ShownMessage]] = defaultdict(list)
    left: list[privacy.ShownMessage] = []
    for message in messages:
        if message.posted_at is not None and now - message.posted_at < DELETABLE_FOR:
            recent[message.chat_id].append(message)
        elif not message.is_text:
            left.append(message)
    text = context.translator(language_for(None, None), "privacy-message-erased")
    for card in messages:
        if not (card.is_text or card.is_picture):
            continue
        try:
            # No reply_markup: the buttons (Revoke, cheer, approve) go with the name.
            if card.is_picture:
                await context.bot.edit_message_caption(
                    chat_id=card.chat_id, message_id=card.message_id, caption=text
                )
            else:
                await context.bot.edit_message_text(
                    text, chat_id=card.chat_id, message_id=card.message_id
                )
        except TelegramError as error:
            log.info("could not blank message %s/%s: %s", card.chat_id, card.message_id, error)
    for chat_id, found in recent.items():
        for start in range(0, len(found), DELETE_BATCH):
            batch = found[start : start + DELETE_BATCH]
            try:
                await context.bot.delete_messages(chat_id, [m.message_id for m in batch])
            except TelegramError as error:
                log.warning("could not delete %d messages in %s: %s", len(batch), chat_id, error)
                left += [m for m in batch if not m.is_text]
    if left:
        log.info("%d photo messages could not be deleted; leaders are told", len(left))
        await _tell_leaders(context, left)
    try:
        await privacy.taken_down(context.db, messages)
    except Exception:
        log.exception("could not forget %d taken-down messages", len(messages))


async def take_down_pending(context: CampaignContext) -> None:
    """Messages an earlier erasure queued but never took down (the bot stopped meanwhile)."""
    await take_down(context, await privacy.pending_takedowns(context.db))


def message_link(chat_id: int, message_id: int) -> str | None:
    """A t.me link to a message in a supergroup (ids -100...); other chats have none."""
    text = str(chat_id)
    return f"https://t.me/c/{text[4:]}/{message_id}" if text.startswith("-100") else None


async def _tell_leaders(context: CampaignContext, left: list[privacy.ShownMessage]) -> None:
    """Each leader hears which photos are left in the groups and in their own chat."""
    tz = context.campaign.timezone
    now = context.now()
    t = context.translator
    for leader_id in sorted(context.settings.leader_ids):
        language = await context.language_of(leader_id)
        lines: list[str] = []
        count = 0
        per_place: dict[tuple[str, str], int] = defaultdict(int)
        for message in left:
            if message.chat_id == leader_id or message.chat_id < 0:
                count += 1
            elif message.chat_id in context.settings.leader_ids:
                continue  # another leader's chat: they hear it themselves
            link = message_link(message.chat_id, message.message_id)
            if link is not None:
                lines.append(link)
                continue
            day = format_day(language, (message.posted_at or now).astimezone(tz).date())
            # A participant's chat (a risk report's picture shown to a follower): nobody but
            # them can delete it now; its caption is gone.
            where = (
                "here"
                if message.chat_id == leader_id
                else "group"
                if message.chat_id < 0
                else "participants"
            )
            per_place[(where, day)] += 1
        lines += [
            t(language, f"privacy-left-behind-{where}", count=number, day=day)
            for (where, day), number in per_place.items()
        ]
        for start in range(0, len(lines), LINKS_PER_MESSAGE):
            body = "\n".join(lines[start : start + LINKS_PER_MESSAGE])
            try:
                await send_or_queue(
                    context.bot,
                    context.db,
                    leader_id,
                    # Without a photo a leader can delete, no "delete them by hand" heading.
                    (t(language, "privacy-left-behind", count=count) + "\n" if count else "")
                    + body,
                    key=f"privacy-left:{leader_id}:{now.isoformat()}:{start}",
                    now=now,
                )
            except TelegramError as error:
                log.warning("could not tell leader %s about photos left: %s", leader_id, error)
