"""Private messages that are not commands: route each to what the person is in the middle of."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.campaign import rhythm
from bot.campaign.conversation import Expectation, Expecting, cancel_everything, expectation
from bot.context import AnyApplication, CampaignContext
from bot.keyboards import button, keyboard
from handlers import (
    approval,
    broadcast,
    certify,
    review,
    risk_followers,
    risk_leaders,
    risk_reporting,
    signup,
    themes,
)
from handlers import participants as participant_console
from handlers.common import answer_stale, reply

# What takes a private message at each step. ``text_only``: anything else is answered with
# ``retry`` (or, without one, handled as if nothing were expected: a photo starts a
# certification, text gets a hint). The precedence between steps is in ``expectation``.
Answer = Callable[[Update, CampaignContext, Expectation], Awaitable[None]]


@dataclass(frozen=True)
class Route:
    answer: Answer
    text_only: bool = False
    retry: str | None = None
    or_picture: bool = False  # with text_only: a photo or image file is taken too


def _plain(handler: Callable[[Update, CampaignContext], Awaitable[None]]) -> Answer:
    async def answer(update: Update, context: CampaignContext, expected: Expectation) -> None:
        await handler(update, context)

    return answer


def _with_ref(handler: Callable[[Update, CampaignContext, int], Awaitable[None]]) -> Answer:
    async def answer(update: Update, context: CampaignContext, expected: Expectation) -> None:
        await handler(update, context, expected.ref or 0)

    return answer


def _with_step(handler: Callable[[Update, CampaignContext, str, int], Awaitable[None]]) -> Answer:
    async def answer(update: Update, context: CampaignContext, expected: Expectation) -> None:
        await handler(update, context, expected.expecting.value, expected.ref or 0)

    return answer


async def _photo(update: Update, context: CampaignContext, expected: Expectation) -> None:
    message = update.effective_message
    if message is not None and (message.photo or message.document):
        await certify.photo_received(update, context)
    else:
        await certify.not_a_photo(update, context, context.language)


async def _anything(update: Update, context: CampaignContext, expected: Expectation) -> None:
    message = update.effective_message
    if message is not None and (message.photo or message.document):
        await certify.photo_received(update, context)
    else:
        await _nothing_expected(update, context)


REASON_RETRY = "reject-reason-invalid"
ROUTES: dict[Expecting, Route] = {
    Expecting.REJECT_REASON: Route(_with_ref(approval.reason_typed), True, REASON_RETRY),
    Expecting.REVOKE_REASON: Route(_with_ref(review.reason_typed), True, REASON_RETRY),
    # Resolving also takes the after photo (its caption is the note).
    Expecting.RISK_RESOLVE_NOTE: Route(
        _with_step(risk_leaders.leader_text_typed), True, REASON_RETRY, or_picture=True
    ),
    Expecting.RISK_REJECT_REASON: Route(
        _with_step(risk_leaders.leader_text_typed), True, REASON_RETRY
    ),
    Expecting.PAUSE_REASON: Route(_with_step(participant_console.text_typed)),
    Expecting.REMOVE_REASON: Route(_with_step(participant_console.text_typed)),
    Expecting.FIX_NAME: Route(_with_step(participant_console.text_typed)),
    Expecting.FIX_VOLUNTEER_ID: Route(_with_step(participant_console.text_typed)),
    Expecting.BROADCAST: Route(_plain(broadcast.content_received)),
    Expecting.THEME_DRAFT: Route(_plain(themes.draft_typed), text_only=True),
    Expecting.IDEA: Route(_plain(themes.idea_typed), text_only=True),
    Expecting.RISK_DRAFT: Route(_plain(risk_reporting.draft_message)),
    Expecting.RISK_CHECK: Route(_with_ref(risk_followers.check_photo_received)),
    Expecting.APPLICATION: Route(_plain(signup.answer_text)),
    Expecting.PHOTO: Route(_photo),
    Expecting.NOTE: Route(_plain(certify.note_typed), text_only=True),
    Expecting.NOTHING: Route(_anything),
}


async def private_message(update: Update, context: CampaignContext) -> None:
    """Text, photos, files, stickers... sent to the bot in private."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    expected = await expectation(context.db, user.id, is_leader=context.is_leader(user.id))
    route = ROUTES[expected.expecting]
    is_picture = bool(message.photo or message.document)
    if route.text_only and not message.text and not (route.or_picture and is_picture):
        if route.retry is None:
            await _anything(update, context, expected)
        else:
            language = context.language
            await reply(update, context, language, route.retry, limit=300)
        return
    await route.answer(update, context, expected)


async def _nothing_expected(update: Update, context: CampaignContext) -> None:
    language, person = context.language, context.person
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
    language = context.language
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
            language = context.language
            await reply(update, context, language, "edited-not-used")
    raise ApplicationHandlerStop


async def stale_button(update: Update, context: CampaignContext) -> None:
    """A press no feature claims (a button from an older version, or forged data)."""
    await answer_stale(update, context)


async def unknown_command(update: Update, context: CampaignContext) -> None:
    language = context.language
    await reply(update, context, language, "unknown-command")


def register(application: AnyApplication) -> None:
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
    """Anyone who writes to the bot can be reached again (undo an earlier 'blocked').

    A change of the bot's membership is not writing to it: blocking the bot is one
    (``handlers.membership`` decides those)."""
    user = update.effective_user
    chat = update.effective_chat
    if update.my_chat_member is not None:
        return
    if user is not None and chat is not None and chat.type == "private":
        await rhythm.mark_reachable(context.db, context.person)
