"""Certifying a mission in chat: /certify, the mission buttons, the two photos, the note, /me."""

from __future__ import annotations

import dataclasses

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import camera, certify
from bot.campaign.certify import Status, Step
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.keyboards import button, keyboard
from bot.notices import certification_replies
from bot.notices.feed_posts import feed_planner, refresh_posts
from bot.notices.participant_files import PhotoRefused
from bot.notices.progress import progress_text
from handlers import CALLBACK_PATTERNS
from handlers.common import (
    button_data,
    dispatch_step,
    number,
    remove_buttons,
    reply,
)
from handlers.photos import feed_preview, fetch_and_inspect, incoming_photo


def _certify_button(context: CampaignContext, language: str) -> InlineKeyboardMarkup:
    return keyboard([button(context, language, "button-certify", "cert:begin")])


async def render(update: Update, context: CampaignContext, language: str, step: Step) -> None:
    """Say what happened and what to send next (bot.notices.certification_replies)."""
    chat = update.effective_chat
    assert chat is not None
    key = f"reply:{chat.id}:{update.update_id}"
    await certification_replies.reply_to_step(context, chat.id, language, step, key)


async def certify_command(update: Update, context: CampaignContext) -> None:
    """/certify: start (or resume) a certification."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    language = context.language
    step = await certify.begin(context.db, context.campaign, user.id, message.date)
    await render(update, context, language, step)


async def certify_pressed(update: Update, context: CampaignContext) -> None:
    """The "certify now" button."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    language = context.language
    step = await certify.begin(context.db, context.campaign, query.from_user.id, context.now())
    await render(update, context, language, step)


async def mission_pressed(update: Update, context: CampaignContext) -> None:
    """A mission chosen from the list."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    language = context.language
    # Malformed: no mission has the id 0, so the list is shown again.
    mission_id = number(button_data(context, "cert:")[2]) or 0
    step = await certify.choose(
        context.db, context.campaign, query.from_user.id, mission_id, context.now()
    )
    if step.status in (Status.AWAITING_START, Status.AWAITING_END):
        await remove_buttons(query)
    await render(update, context, language, step)


async def cancel_pressed(update: Update, context: CampaignContext) -> None:
    """The cancel button under a photo prompt."""
    from bot.campaign.conversation import cancel_everything

    query = update.callback_query
    assert query is not None
    await query.answer()
    language = context.language
    cancelled = await cancel_everything(context.db, query.from_user.id, context.now())
    await remove_buttons(query)
    key = "cert-cancelled" if cancelled.certification else "cancel-nothing"
    await reply(update, context, language, key)


async def photo_received(update: Update, context: CampaignContext) -> None:
    """A picture while a certification waits for its start or end photo."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    expected = await certify.expected_photo(context.db, context.campaign, user.id, message.date)
    if expected.status in (Status.NOTHING_OPEN, Status.START_EXPIRED):
        await render(update, context, language, expected)
        return
    photo = incoming_photo(message)
    if photo is None:
        await not_a_photo(update, context, language, expected)
        return
    if certification_replies.camera_required(context) and not await camera.may_send_chat_photos(
        context.db, user.id
    ):
        chat_id = update.effective_chat.id if update.effective_chat else user.id
        key = f"reply:{chat_id}:{update.update_id}"
        await certification_replies.ask_for_the_camera(context, chat_id, language, key)
        return
    refused = await certify.precheck(context.db, context.campaign, user.id, photo)
    if refused is not None:
        await render(update, context, language, refused)
        return
    try:
        facts, picture = await fetch_and_inspect(context, photo)
    except PhotoRefused as refusal:
        await reply(update, context, language, refusal.reason)
        await render(update, context, language, expected)
        return
    photo = dataclasses.replace(
        photo,
        width=facts.width,
        height=facts.height,
        phash=facts.phash,
        dhash=facts.dhash,
        taken_at=facts.taken_at,
        thumbnail=facts.thumbnail,
        alignment=facts.alignment,
        crop_hashes=facts.crop_hashes,
    )
    step = await certify.receive_photo(context.db, context.campaign, user.id, photo, context.now())
    await render(update, context, language, step)
    kept = step.status in (Status.START_RECORDED, Status.ACCEPTED)
    preview = await feed_preview(picture) if kept else None
    await certification_replies.after_photo(context, user.id, step, preview)


async def not_a_photo(
    update: Update, context: CampaignContext, language: str, expected: Step | None = None
) -> None:
    """Text, a sticker, a voice note... at a photo step: ask again, kindly."""
    user = update.effective_user
    assert user is not None
    message = update.effective_message
    if expected is None:
        expected = await certify.expected_photo(
            context.db, context.campaign, user.id, message.date if message else context.now()
        )
    await reply(update, context, language, "photo-expected")
    await render(update, context, language, expected)


async def note_typed(update: Update, context: CampaignContext) -> None:
    """The optional one-line note after an accepted certification."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    note = (message.text or "").strip()
    if not note or "\n" in note or len(note) > certify.MAX_NOTE_LENGTH:
        await reply(update, context, language, "note-invalid", limit=certify.MAX_NOTE_LENGTH)
        return
    saved = await certify.add_note(context.db, user.id, note, feed_planner(context), context.now())
    await reply(update, context, language, "note-saved" if saved else "cert-nothing-open")
    if saved is not None and saved.posted_before:
        await quietly(refresh_posts(context, saved.certification.id), "showing the note")


async def skip_note_pressed(update: Update, context: CampaignContext) -> None:
    query = update.callback_query
    assert query is not None
    language = context.language
    cert_id = number(button_data(context, "cert:")[2])
    # Someone else's certification, an older one, or forged data: nothing to skip.
    skipped = cert_id is not None and await certify.skip_note(
        context.db, query.from_user.id, cert_id, feed_planner(context), context.now()
    )
    if not skipped:
        await query.answer(context.translator(language, "button-stale"), show_alert=True)
        return
    await query.answer()
    said = context.translator(language, "note-skipped")
    message = query.message
    if isinstance(message, Message) and message.text:
        # One edit of the "accepted" message (its buttons go, the line is added) instead of a
        # new message and an edit: a certification costs one call less against the limits.
        try:
            await query.edit_message_text(f"{message.text_html}\n\n{said}")
            return
        except BadRequest:
            pass  # gone or too old to edit: say it in a message of its own
    await remove_buttons(query)
    await reply(update, context, language, "note-skipped")


async def me(update: Update, context: CampaignContext) -> None:
    """/me: today's, this round's and the total count, hours and the next reward."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    language, person = context.language, context.person
    if person is None or not person.is_approved:
        await reply(
            update,
            context,
            language,
            "me-not-participant",
            status=person.status if person else "visitor",
        )
        return
    progress = await certify.progress(context.db, context.campaign, user.id, message.date)
    await context.bot.send_message(
        message.chat_id,
        context.translator(language, "me-title", name=person.full_name or person.telegram_name)
        + "\n\n"
        + progress_text(context, language, progress),
        reply_markup=_certify_button(context, language),
    )


async def cert_pressed(update: Update, context: CampaignContext) -> None:
    """``cert:begin``, ``cert:cancel``, ``cert:mission:<id>``, ``cert:skipnote:<certification>``."""
    await dispatch_step(update, context, "cert:", CERT_BUTTONS)


CERT_BUTTONS = {
    "begin": certify_pressed,
    "cancel": cancel_pressed,
    "mission": mission_pressed,
    "skipnote": skip_note_pressed,
}


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("certify", certify_command, filters=private))
    application.add_handler(CommandHandler("me", me, filters=private))
    application.add_handler(CallbackQueryHandler(cert_pressed, pattern=CALLBACK_PATTERNS["cert:"]))
