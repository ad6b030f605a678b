"""/start, /help and /lang: the welcome, what the campaign is, and the language switch."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import AnyApplication, CampaignContext
from bot.i18n import telegram_language
from bot.keyboards import button, keyboard
from handlers import CALLBACK_PATTERNS, signup
from handlers.common import button_data, display_name, reply
from locales import LANGUAGES
from storage import participants


async def start(update: Update, context: CampaignContext) -> None:
    """Welcome a person, or go straight to the application from a ``?start=join`` link."""
    user = update.effective_user
    if user is None:
        return
    async with context.db.transaction() as conn:
        person = await participants.ensure(
            conn,
            user.id,
            display_name(user),
            user.username,
            context.now(),
            telegram_language(user.language_code),
        )
    if context.args and context.args[0] in ("join", "apply") and person.status != "approved":
        await signup.begin_application(update, context)
        return
    language = context.language
    campaign = context.campaign
    if person.status == "approved":
        markup = keyboard([button(context, language, "button-certify", "cert:begin")])
    elif person.status == "pending" and person.consent_at is not None:
        markup = None
    else:
        markup = keyboard([button(context, language, "button-apply", "apply:begin")])
    await reply(
        update,
        context,
        language,
        "welcome",
        markup,
        name=user.first_name,
        campaign=campaign.name,
        station=campaign.station,
        minutes=campaign.rules.minutes_per_certification,
        status=person.status,
    )


async def help_command(update: Update, context: CampaignContext) -> None:
    """What each command does."""
    language = context.language
    is_leader = context.is_leader(update.effective_user.id if update.effective_user else None)
    await reply(update, context, language, "help-leader" if is_leader else "help")


async def lang(update: Update, context: CampaignContext) -> None:
    """Offer the languages as buttons."""
    language = context.language
    markup = keyboard(
        [button(context, language, f"language-name-{code}", f"lang:{code}") for code in LANGUAGES]
    )
    await reply(update, context, language, "lang-choose", markup)


async def lang_chosen(update: Update, context: CampaignContext) -> None:
    """Store the chosen language and confirm in it."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    (code,) = button_data(context, "lang:")
    if code not in LANGUAGES:
        return
    async with context.db.transaction() as conn:
        await participants.ensure(
            conn,
            query.from_user.id,
            display_name(query.from_user),
            query.from_user.username,
            context.now(),
        )
        await participants.set_language(conn, query.from_user.id, code)
    # Edit the language menu itself; forged data on any other message (a certification, a
    # card) must not overwrite it, so then the confirmation comes as a new message.
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    menu = markup is not None and any(
        str(button.callback_data or "").startswith("lang:")
        for row in markup.inline_keyboard
        for button in row
    )
    if menu:
        await query.edit_message_text(context.translator(code, "lang-set"))
    else:
        await reply(update, context, code, "lang-set")


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", start, filters=private))
    application.add_handler(CommandHandler("help", help_command, filters=private))
    application.add_handler(CommandHandler("lang", lang, filters=private))
    application.add_handler(CallbackQueryHandler(lang_chosen, pattern=CALLBACK_PATTERNS["lang:"]))
