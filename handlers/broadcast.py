"""/broadcast: a leader sends a text or a photo to every participant — preview, confirm, and the
outbox delivers it at Telegram's pace (quiet hours respected, once per person)."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import rhythm, rules
from bot.campaign.conversation import Expecting
from bot.campaign.rhythm import Planned
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.keyboards import button, keyboard
from handlers import CALLBACK_PATTERNS
from handlers.common import (
    answer_stale,
    button_data,
    leader_language,
    leader_press,
    remove_buttons,
    reply,
)
from storage import participants, pending_inputs


async def broadcast_command(update: Update, context: CampaignContext) -> None:
    """/broadcast: the leader's next message (text, or a photo with a caption) is the content."""
    language = await leader_language(update, context)
    if language is None:
        return
    user = update.effective_user
    assert user is not None
    async with context.db.transaction() as conn:
        await pending_inputs.expect(conn, user.id, Expecting.BROADCAST, 0, context.now())
    await reply(update, context, language, "broadcast-ask")


# Telegram's limits, counted in UTF-16 code units like Telegram does.
MAX_TEXT = 4096
MAX_CAPTION = 1024


def _too_long(text: str | None, limit: int) -> bool:
    return text is not None and len(text.encode("utf-16-le")) // 2 > limit


async def content_received(update: Update, context: CampaignContext) -> None:
    """Show the leader exactly what participants will get, with Send / Cancel."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    if _too_long(message.text, MAX_TEXT) or _too_long(message.caption, MAX_CAPTION):
        # Still waiting for the content: the leader can send a shorter version right away.
        limit = MAX_TEXT if message.text else MAX_CAPTION
        await reply(update, context, language, "broadcast-too-long", limit=limit)
        return
    async with context.db.transaction() as conn:
        await pending_inputs.clear(conn, user.id)
        count = len(await participants.reachable(conn))
    markup = keyboard(
        [button(context, language, "button-broadcast-send", "broadcast:send")],
        [button(context, language, "button-broadcast-cancel", "broadcast:cancel")],
    )
    await reply(update, context, language, "broadcast-preview", count=count)
    if message.photo:
        await context.bot.send_photo(
            user.id, message.photo[-1].file_id, caption=message.caption_html, reply_markup=markup
        )
    elif message.text:
        await context.bot.send_message(user.id, message.text_html, reply_markup=markup)
    else:
        await reply(update, context, language, "broadcast-unsupported")


async def send_pressed(update: Update, context: CampaignContext) -> None:
    """Plan the preview's content for every reachable participant (a second press adds none)."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    preview = query.message
    # Cosmetic, and refused for a redelivered press (the query was answered already).
    await quietly(query.answer(), "callback answer")
    if not isinstance(preview, Message):  # gone, or too old for Telegram to show the bot
        return
    campaign, now = context.campaign, context.now()
    schedule = campaign.schedule
    when = rules.next_allowed(now, campaign.timezone, schedule.quiet_start, schedule.quiet_end)
    if preview.photo:
        kind = "photo"
        payload = {"file_id": preview.photo[-1].file_id}
        if preview.caption:
            payload["caption"] = preview.caption_html
    else:
        kind, payload = "text", {"text": preview.text_html}
    async with context.db.transaction() as conn:
        recipients = await participants.reachable(conn)
    base = f"broadcast:{preview.chat.id}:{preview.message_id}"
    planned = await rhythm.plan(
        context.db,
        [
            Planned(f"{base}:{person.user_id}", person.user_id, kind, payload, when)
            for person in recipients
        ],
        now,
    )
    await remove_buttons(query)
    await reply(update, context, language, "broadcast-queued", count=planned)


async def cancel_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await query.answer()
    await remove_buttons(query)
    await reply(update, context, language, "broadcast-cancelled")


async def broadcast_pressed(update: Update, context: CampaignContext) -> None:
    """``broadcast:send`` and ``broadcast:cancel`` under the preview."""
    (verb,) = button_data(context, "broadcast:")
    if verb is None:
        await answer_stale(update, context)
        return
    await (send_pressed if verb == "send" else cancel_pressed)(update, context)


def register(application: AnyApplication) -> None:
    application.add_handler(
        CommandHandler("broadcast", broadcast_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(
        CallbackQueryHandler(broadcast_pressed, pattern=CALLBACK_PATTERNS["broadcast:"])
    )
