"""The application conversation: one question at a time, answers validated, then consent.

Where the person is in the form comes from the store (``bot.campaign.signup.next_step``), so a
restart or an old button never confuses it.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.campaign import signup
from bot.campaign.signup import Outcome, Step
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.i18n import telegram_language
from bot.keyboards import button, keyboard
from bot.notices import decisions
from handlers import CALLBACK_PATTERNS
from handlers.common import button_data, display_name, remove_buttons, reply


def question(
    context: CampaignContext, language: str, step: Step, category: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons that ask for ``step``."""
    t = context.translator

    def b(key: str, data: str) -> InlineKeyboardButton:
        return button(context, language, key, data)

    if step is Step.NAME:
        return t(language, "signup-ask-name"), None
    if step is Step.CATEGORY:
        return t(language, "signup-ask-category"), keyboard(
            [
                b("category-middle", "apply:category:middle"),
                b("category-high", "apply:category:high"),
            ],
            [
                b("category-university", "apply:category:university"),
                b("category-adult", "apply:category:adult"),
            ],
        )
    if step is Step.UNDER_14:
        return t(language, "signup-ask-under-14"), keyboard(
            [b("button-yes", "apply:under_14:yes"), b("button-no", "apply:under_14:no")]
        )
    if step is Step.GUARDIAN:
        return t(language, "signup-ask-guardian"), keyboard(
            [b("button-guardian-yes", "apply:guardian:yes")],
            [b("button-guardian-not-yet", "apply:guardian:no")],
        )
    if step is Step.AFFILIATION:
        return t(language, "signup-ask-affiliation", category=category or "adult"), None
    if step is Step.NEIGHBOURHOOD:
        return t(language, "signup-ask-neighbourhood"), None
    if step is Step.VOLUNTEER_ID:
        return t(language, "signup-ask-volunteer-id"), keyboard(
            [b("button-no-volunteer-id", "apply:volunteer_id:skip")]
        )
    if step is Step.CONSENT:
        consent = t(
            language,
            "signup-consent",
            station=context.campaign.station,
            retention_days=context.campaign.privacy_retention_days,
        )
        return consent, keyboard(
            [b("button-consent-yes", "apply:consent:yes")],
            [b("button-consent-no", "apply:consent:no")],
        )
    return t(language, "signup-submitted"), None


async def _ask(
    update: Update, context: CampaignContext, language: str, result: signup.SignupResult
) -> None:
    if result.step is None or result.participant is None:
        return
    body, markup = question(context, language, result.step, result.participant.category)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, body, reply_markup=markup)


async def begin_application(update: Update, context: CampaignContext) -> None:
    """Open a fresh application form (or say why there is no need)."""
    user = update.effective_user
    assert user is not None
    result = await signup.begin(
        context.db,
        user.id,
        display_name(user),
        user.username,
        context.now(),
        telegram_language(user.language_code),
    )
    language = context.language
    if result.outcome is Outcome.ALREADY_APPROVED:
        await reply(update, context, language, "signup-already-approved")
    elif result.outcome is Outcome.ALREADY_PENDING:
        await reply(update, context, language, "signup-already-pending")
    else:
        await reply(update, context, language, "signup-intro")
        await _ask(update, context, language, result)


async def apply_pressed(update: Update, context: CampaignContext) -> None:
    """The "apply" button under the welcome."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await begin_application(update, context)


async def choice_pressed(update: Update, context: CampaignContext) -> None:
    """A button answer (category, under 14, guardian, no 1365 id, consent)."""
    query = update.callback_query
    assert query is not None
    _, name, choice = button_data(context, "apply:")
    language = context.language
    try:
        step = Step(name)
    except ValueError:  # forged, or a step since renamed
        await query.answer()
        return
    assert choice is not None  # the pattern has a choice wherever it has a step
    result = await signup.answer_choice(
        context.db,
        query.from_user.id,
        step,
        choice,
        context.now(),
        cards=decisions.card_plan(context),
    )
    if result.outcome is Outcome.STALE_BUTTON:
        await query.answer(context.translator(language, "signup-stale-button"))
        return
    await quietly(query.answer(), "callback answer")
    await quietly(remove_buttons(query), "removing answered buttons")
    await _after_answer(update, context, language, result)


async def answer_text(update: Update, context: CampaignContext) -> None:
    """A typed answer while the form is open (the inbox routes it here)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    if not message.text:
        result = await signup.current(context.db, user.id)
        await reply(update, context, language, "signup-invalid-not-text")
        await _ask(update, context, language, result)
        return
    try:
        result = await signup.answer_text(context.db, user.id, message.text, context.now())
    except signup.InvalidAnswer as problem:
        current = await signup.current(context.db, user.id)
        await reply(update, context, language, problem.reason, None, **problem.args_for_message)
        await _ask(update, context, language, current)
        return
    await _after_answer(update, context, language, result)


async def _after_answer(
    update: Update, context: CampaignContext, language: str, result: signup.SignupResult
) -> None:
    if result.outcome is Outcome.NEXT_QUESTION:
        await _ask(update, context, language, result)
    elif result.outcome is Outcome.SUBMITTED:
        assert result.participant is not None
        # The leaders' cards first: if the reply below fails, the application still reaches
        # them (a retry then hears "already pending").
        await decisions.deliver_cards(context, result.cards)
        await reply(update, context, language, "signup-submitted")
    elif result.outcome is Outcome.WITHDRAWN:
        await reply(update, context, language, "signup-withdrawn")
    elif result.outcome is Outcome.ALREADY_APPROVED:
        await reply(update, context, language, "signup-already-approved")
    elif result.outcome is Outcome.ALREADY_PENDING:
        await reply(update, context, language, "signup-already-pending")
    else:
        markup = keyboard([button(context, language, "button-apply", "apply:begin")])
        await reply(update, context, language, "signup-not-applying", markup)


async def application_pressed(update: Update, context: CampaignContext) -> None:
    """``apply:begin`` opens the application; ``apply:<step>:<choice>`` answers a step."""
    begin, _, _ = button_data(context, "apply:")
    await (apply_pressed if begin else choice_pressed)(update, context)


def register(application: AnyApplication) -> None:
    application.add_handler(
        CallbackQueryHandler(application_pressed, pattern=CALLBACK_PATTERNS["apply:"])
    )
