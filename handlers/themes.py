"""Theme missions in chat: leaders draft one with /theme (or from an idea) and confirm a preview;
participants propose ideas with /idea; leaders list them with /ideas."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import themes
from bot.campaign.themes import DraftStep, InvalidDraft
from bot.context import AnyApplication, CampaignContext
from bot.i18n import format_day
from bot.keyboards import button, keyboard
from handlers import CALLBACK_PATTERNS
from handlers.common import (
    answer_stale,
    button_data,
    dispatch_step,
    leader_language,
    leader_press,
    number,
    remove_buttons,
    reply,
)
from storage.ideas import ThemeDraft


def _question(
    context: CampaignContext, language: str, draft: ThemeDraft
) -> tuple[str, InlineKeyboardMarkup | None]:
    t = context.translator
    step = themes.next_draft_step(draft)
    if step is DraftStep.TITLE:
        return t(language, "theme-ask-title"), None
    if step is DraftStep.DESCRIPTION:
        return t(language, "theme-ask-description", title=draft.title or ""), None
    if step is DraftStep.START:
        return t(language, "theme-ask-start"), None
    if step is DraftStep.DAYS:
        return t(language, "theme-ask-days"), keyboard(
            [InlineKeyboardButton("7", callback_data="theme:days:7")]
        )
    end = themes.end_of(draft)
    return t(
        language,
        "theme-preview",
        title=draft.title or "",
        description=draft.description or "",
        start=format_day(language, draft.start) if draft.start else "",
        end=format_day(language, end) if end else "",
        days=draft.days or 0,
    ), keyboard(
        [button(context, language, "button-theme-confirm", "theme:confirm")],
        [button(context, language, "button-theme-cancel", "theme:cancel")],
    )


async def _ask(update: Update, context: CampaignContext, language: str, draft: ThemeDraft) -> None:
    body, markup = _question(context, language, draft)
    user = update.effective_user
    assert user is not None
    await context.bot.send_message(user.id, body, reply_markup=markup)


async def theme_command(update: Update, context: CampaignContext) -> None:
    """/theme: start drafting a theme mission (leaders only)."""
    language = await leader_language(update, context)
    if language is None:
        return
    user = update.effective_user
    assert user is not None
    draft = await themes.begin_draft(context.db, user.id, context.now())
    assert draft is not None  # a draft without an idea always starts
    await _ask(update, context, language, draft)


async def draft_typed(update: Update, context: CampaignContext) -> None:
    """A leader's typed answer while a draft is open (the inbox routes it here)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    try:
        draft = await themes.draft_answer(
            context.db, context.campaign, user.id, message.text or "", context.now()
        )
    except InvalidDraft as problem:
        await reply(update, context, language, problem.reason, None, **problem.args_for_message)
        return
    await _ask(update, context, language, draft)


async def days_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    days = number(button_data(context, "theme:")[2])
    draft = (
        await themes.set_days(context.db, query.from_user.id, days, context.now())
        if days is not None and 1 <= days <= themes.MAX_DAYS
        else None
    )
    if draft is None:  # forged days, or no draft waiting for them any more
        await query.answer(context.translator(language, "button-stale"), show_alert=True)
        return
    await query.answer()
    await remove_buttons(query)
    await _ask(update, context, language, draft)


async def confirm_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await query.answer()
    created = await themes.confirm(context.db, context.campaign, query.from_user.id, context.now())
    await remove_buttons(query)
    if created is None:
        await reply(update, context, language, "theme-no-draft")
        return
    start = created.draft.start
    await reply(
        update,
        context,
        language,
        "theme-created",
        title=created.draft.title or "",
        start=format_day(language, start) if start else "",
        time=context.campaign.schedule.morning_time.strftime("%H:%M"),
    )


async def cancel_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await query.answer()
    await themes.abandon(context.db, query.from_user.id)
    await remove_buttons(query)
    await reply(update, context, language, "theme-cancelled")


async def idea_command(update: Update, context: CampaignContext) -> None:
    """/idea [text]: propose a theme mission."""
    user = update.effective_user
    assert user is not None
    language = context.language
    text = " ".join(context.args or [])
    if text:
        await _save_idea(update, context, language, text)
        return
    if not await themes.ask_idea(context.db, user.id, context.now()):
        await reply(update, context, language, "idea-not-participant")
        return
    await reply(update, context, language, "idea-ask")


async def idea_typed(update: Update, context: CampaignContext) -> None:
    message = update.effective_message
    assert message is not None
    language = context.language
    await _save_idea(update, context, language, message.text or "")


async def _save_idea(update: Update, context: CampaignContext, language: str, text: str) -> None:
    user = update.effective_user
    assert user is not None
    try:
        idea_id = await themes.add_idea(context.db, user.id, text, context.now())
    except InvalidDraft as problem:
        await reply(update, context, language, problem.reason, None, **problem.args_for_message)
        return
    key = "idea-saved" if idea_id is not None else "idea-not-participant"
    await reply(update, context, language, key)


async def ideas_command(update: Update, context: CampaignContext) -> None:
    """/ideas: the latest ideas with who proposed them, each with a button to use it."""
    language = await leader_language(update, context)
    if language is None:
        return
    user = update.effective_user
    assert user is not None
    latest = await themes.latest_ideas(context.db)
    if not latest:
        await reply(update, context, language, "ideas-none")
        return
    for idea in latest:
        markup = None
        if idea.mission_id is None:
            markup = keyboard([button(context, language, "button-idea-use", f"idea:use:{idea.id}")])
        await context.bot.send_message(
            user.id,
            context.translator(
                language,
                "idea-card",
                name=idea.participant_name,
                text=idea.text,
                used="yes" if idea.mission_id else "no",
            ),
            reply_markup=markup,
        )


async def use_idea_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await query.answer()
    idea_id = number(button_data(context, "idea:")[1])
    draft = (
        await themes.begin_draft(context.db, query.from_user.id, context.now(), idea_id)
        if idea_id is not None
        else None
    )
    if draft is None:
        await reply(update, context, language, "idea-gone")
        return
    await _ask(update, context, language, draft)


async def theme_pressed(update: Update, context: CampaignContext) -> None:
    """``theme:days:<days>``, ``theme:confirm``, ``theme:cancel``: the draft's steps."""
    await dispatch_step(update, context, "theme:", THEME_BUTTONS)


THEME_BUTTONS = {"days": days_pressed, "confirm": confirm_pressed, "cancel": cancel_pressed}


async def idea_pressed(update: Update, context: CampaignContext) -> None:
    """``idea:use:<idea>``: turn a proposed idea into a draft."""
    if button_data(context, "idea:")[0] is None:
        await answer_stale(update, context)
        return
    await use_idea_pressed(update, context)


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("theme", theme_command, filters=private))
    application.add_handler(CommandHandler("idea", idea_command, filters=private))
    application.add_handler(CommandHandler("ideas", ideas_command, filters=private))
    application.add_handler(
        CallbackQueryHandler(theme_pressed, pattern=CALLBACK_PATTERNS["theme:"])
    )
    application.add_handler(CallbackQueryHandler(idea_pressed, pattern=CALLBACK_PATTERNS["idea:"]))
