"""Small pieces every handler module shares: the person and their language, replies, buttons."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable, Mapping

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.error import BadRequest

from bot.context import CampaignContext
from bot.i18n import Arg, language_for
from handlers import CALLBACK_PATTERNS
from locales import DEFAULT_LANGUAGE
from storage import participants
from storage.database import StoreUnavailable


async def load_person(update: object, context: CampaignContext) -> None:
    """Before any handler: the sender's participant row and language, read once per update
    (``context.person``, ``context.language``) on a read connection."""
    user = update.effective_user if isinstance(update, Update) else None
    if user is None:
        context.know_person(None, DEFAULT_LANGUAGE)
        return
    try:
        async with context.db.read() as conn:
            person = await participants.get(conn, user.id)
    except StoreUnavailable as error:
        # The error handler says "try again shortly" once; handlers asking for the person
        # fail the same way, as they would have reading it themselves.
        context.person_unknown(error)
        raise
    context.know_person(
        person, language_for(person.language if person else None, user.language_code)
    )


def text(context: CampaignContext, language: str, key: str, **args: Arg) -> str:
    return context.translator(language, key, **args)


async def reply(
    update: Update,
    context: CampaignContext,
    language: str,
    key: str,
    markup: InlineKeyboardMarkup | None = None,
    **args: Arg,
) -> Message | None:
    """Answer in the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await context.bot.send_message(
        chat.id, context.translator(language, key, **args), reply_markup=markup
    )


def display_name(user: User) -> str:
    return user.full_name or user.username or str(user.id)


def button_data(context: CampaignContext, prefix: str) -> tuple[str | None, ...]:
    """What followed the pressed button's ``prefix``, as the groups of its pattern
    (``CALLBACK_DATA`` in ``handlers/__init__.py``): None where the data does not fit it.

    A press without data reaches the first button handler whatever its pattern (PTB matches
    no pattern then): every group is None."""
    match = context.matches[0] if context.matches else None
    if isinstance(match, re.Match):
        return match.groups()
    return (None,) * CALLBACK_PATTERNS[prefix].groups


def number(group: str | None) -> int | None:
    """A group of digits from ``button_data`` as a number (the pattern checked it)."""
    return None if group is None else int(group)


async def answer_stale(update: Update, context: CampaignContext) -> None:
    """A press that nothing can be done with: forged, malformed, or from an older version."""
    query = update.callback_query
    assert query is not None
    await query.answer(context.translator(context.language, "button-stale"), show_alert=True)


async def dispatch_step(
    update: Update,
    context: CampaignContext,
    prefix: str,
    steps: Mapping[str, Callable[[Update, CampaignContext], Awaitable[None]]],
) -> None:
    """A button whose pattern names its step in one of two groups (``<step>`` alone or
    ``<step>:<id>``): run that step's handler, or answer a press no step fits as stale."""
    word, step, *_ = button_data(context, prefix)
    pressed = steps.get(word or step or "")
    if pressed is None:
        await answer_stale(update, context)
        return
    await pressed(update, context)


async def remove_buttons(query: CallbackQuery) -> None:
    """Take the buttons off an answered question so they cannot be pressed again."""
    # The message may be gone or already bare; either way there is nothing left to tidy.
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(None)


async def leader_press(
    update: Update, context: CampaignContext
) -> tuple[CallbackQuery, str] | None:
    """The pressed button and the presser's language, if a leader pressed it.

    Anyone else (a copied or forwarded button) is told so and nothing happens: rights come from
    LEADER_IDS on every press, not from who was shown the button.
    """
    query = update.callback_query
    assert query is not None
    language = context.language
    if not context.is_leader(query.from_user.id):
        await query.answer(context.translator(language, "leaders-only"), show_alert=True)
        return None
    return query, language


async def typed_reason(
    update: Update, context: CampaignContext, limit: int
) -> tuple[int, str, str] | None:
    """A leader's typed reason as (user id, language, reason); None after saying what a
    reason must be (some text, at most ``limit`` characters)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    reason = (message.text or "").strip()
    if not reason or len(reason) > limit:
        await reply(update, context, language, "reject-reason-invalid", limit=limit)
        return None
    return user.id, language, reason


async def leader_language(update: Update, context: CampaignContext) -> str | None:
    """The language of a leader's command; None (after saying so) for anyone else."""
    user = update.effective_user
    language = context.language
    if user is None or not context.is_leader(user.id):
        await reply(update, context, language, "leaders-only")
        return None
    return language
