"""The bot's own membership of a private chat: a person blocking or unblocking the bot."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler

from bot.campaign import rhythm
from bot.context import AnyApplication, CampaignContext


async def private_membership_changed(update: Update, context: CampaignContext) -> None:
    """Telegram says at once when someone blocks the bot (``kicked``) or unblocks it
    (``member``): /stats and the broadcast preview count them right without a failed send."""
    changed = update.my_chat_member
    if changed is None or changed.chat.type != "private":
        return
    user_id = changed.chat.id
    status = changed.new_chat_member.status
    if status == ChatMember.BANNED:
        await rhythm.blocked_the_bot(context.db, user_id, context.now())
    elif status == ChatMember.MEMBER:
        await rhythm.mark_reachable(context.db, context.person)


def register(application: AnyApplication) -> None:
    application.add_handler(
        ChatMemberHandler(private_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
