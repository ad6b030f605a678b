"""Private messages that are not commands: route each to what the person is in the middle of."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.campaign import rhythm
from bot.campaign.conversation import Expecting, cancel_everything, expectation
from bot.context import CampaignContext
from handlers import approval, broadcast, certify, review, risks, signup, themes
from handlers import participants as participant_console
from handlers.common import button, keyboard, language_of, reply
from storage import participants


async def private_message(update: Update, context: CampaignContext) -> None:
    """Text, photos, files, stickers... sent to the bot in private."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    expected = await expectation(context.db, user.id, is_leader=context.is_leader(user.id))
    is_picture = bool(message.photo or message.document)
    if expected.expecting is Expecting.REJECT_REASON and expected.ref is not None:
        if message.text:
            await approval.reason_typed(update, context, expected.ref)
        else:
            language = await language_of(context, user)
            await reply(update, context, language, "reject-reason-invalid", limit=300)
    elif expected.expecting is Expecting.REVOKE_REASON and expected.ref is not None:
        if message.text:
            await review.reason_typed(update, context, expected.ref)
        else:
            language = await language_of(context, user)
            await reply(update, context, language, "reject-reason-invalid", limit=300)
    elif expected.expecting is Expecting.PARTICIPANT_EDIT and expected.ref is not None:
        assert expected.kind is not None
        await participant_console.text_typed(update, context, expected.kind, expected.ref)
    elif expected.expecting is Expecting.BROADCAST:
        await broadcast.content_received(update, context)
    elif expected.expecting is Expecting.THEME_DRAFT and message.text:
        await themes.draft_typed(update, context)
    elif expected.expecting is Expecting.IDEA and message.text:
        await themes.idea_typed(update, context)
    elif expected.expecting is Expecting.RISK_DRAFT:
        await risks.draft_message(update, context)
    elif expected.expecting is Expecting.RISK_CHECK and expected.ref is not None:
        await risks.check_photo_received(update, context, expected.ref)
    elif expected.expecting in (Expecting.RISK_RESOLVE_NOTE, Expecting.RISK_REJECT_REASON):
        # Resolving also takes the after photo (its caption is the note).
        after_photo = expected.expecting is Expecting.RISK_RESOLVE_NOTE and is_picture
        if (message.text or after_photo) and expected.ref is not None:
            await risks.leader_text_typed(update, context, expected.expecting.value, expected.ref)
        else:
            language = await language_of(context, user)
            await reply(update, context, language, "reject-reason-invalid", limit=300)
    elif expected.expecting is Expecting.APPLICATION:
        await signup.answer_text(update, context)
    elif expected.expecting is Expecting.PHOTO:
        if is_picture:
            await certify.photo_received(update, context)
        else:
            await certify.not_a_photo(update, context, await language_of(context, user))
    elif expected.expecting is Expecting.NOTE and message.text:
        await certify.note_typed(update, context)
    elif is_picture:
        await certify.photo_received(update, context)
    else:
        await _nothing_expected(update, context)


async def _nothing_expected(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    assert user is not None
    language = await language_of(context, user)
    async with context.db.transaction() as conn:
        person = await participants.get(conn, user.id)
    if person is not None and person.is_approved:
        markup = keyboard([button(context, language, "button-certify", "cert:begin")])
    elif person is not None and person.status == "pending":
        markup = None
    else:
        markup = keyboard([button(context, language, "button-apply", "apply:begin")])
    await reply(update, context, language, "not-understood", markup)


async def cancel(update: Update, context: CampaignContext) -> None:
    """/cancel: back to the start from anywhere."""
    user = update.effective_user
    if user is None:
        return
    language = await language_of(context, user)
    cancelled = await cancel_everything(context.db, user.id, context.now())
    key = "cancel-done" if cancelled.anything else "cancel-nothing"
    # Also takes away a reply keyboard left by a step (the risk report's location button).
    await context.bot.send_message(
        user.id, context.translator(language, key), reply_markup=ReplyKeyboardRemove()
    )


async def edited_message(update: Update, context: CampaignContext) -> None:
    """An edited message is never acted on: the original was already answered.

    Edits would otherwise re-run commands (PTB's CommandHandler sees edits too) or be mistaken
    for a later answer. When the bot waits for a typed answer (a form question, a note, a
    reason) the person is told to send it again; other edits, live-location updates and edits
    in groups need no reply.
    """
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if (
        message is not None
        and user is not None
        and chat is not None
        and chat.type == "private"
        and message.location is None
    ):
        expected = await expectation(context.db, user.id, is_leader=context.is_leader(user.id))
        if expected.expecting is not Expecting.NOTHING:
            language = await language_of(context, user)
            await reply(update, context, language, "edited-not-used")
    raise ApplicationHandlerStop


async def stale_button(update: Update, context: CampaignContext) -> None:
    """A press no feature claims (a button from an older version, or forged data)."""
    query = update.callback_query
    assert query is not None
    language = await language_of(context, query.from_user)
    await query.answer(context.translator(language, "button-stale"), show_alert=True)


async def unknown_command(update: Update, context: CampaignContext) -> None:
    language = await language_of(context, update.effective_user)
    await reply(update, context, language, "unknown-command")


def register(application: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    # A group of its own, before every feature handler: it sees every update and stops none.
    application.add_handler(TypeHandler(Update, presence), group=PRESENCE_GROUP)
    # Before every feature handler: an edit never re-runs a command or answers a question.
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED, edited_message), group=EDITS_GROUP
    )
    application.add_handler(CommandHandler("cancel", cancel, filters=private))
    application.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    application.add_handler(
        MessageHandler(private & ~filters.COMMAND & ~filters.UpdateType.EDITED, private_message)
    )
    application.add_handler(CallbackQueryHandler(stale_button))


PRESENCE_GROUP = -100
EDITS_GROUP = -50


async def presence(update: Update, context: CampaignContext) -> None:
    """Anyone who writes to the bot can be reached again (undo an earlier 'blocked')."""
    user = update.effective_user
    chat = update.effective_chat
    if user is not None and chat is not None and chat.type == "private":
        await rhythm.mark_reachable(context.db, user.id)
