"""/console: the leaders' console (a Telegram Mini App) opens from a button; without
CONSOLE_URL the command says how to enable it."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.ext import CommandHandler, filters

from bot.context import AnyApplication, CampaignContext
from bot.notices.console_button import set_menu_button
from handlers.common import leader_language, reply


async def console_command(update: Update, context: CampaignContext) -> None:
    """/console (leaders, private chat): a button that opens the console inside Telegram."""
    language = await leader_language(update, context)
    if language is None:
        return
    console = context.settings.console
    if console is None:
        await reply(update, context, language, "console-not-enabled")
        return
    user = update.effective_user
    assert user is not None
    # Web App buttons work in private chats only; the menu button is set again here because
    # Telegram refuses it for a leader who had not opened the bot yet at start-up.
    await set_menu_button(context.application, user.id)
    # An inline button (not a reply keyboard's): only these and the menu button hand the page
    # the signed initData that says who opened it.
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.translator(language, "console-open-button"),
                    web_app=WebAppInfo(console.url),
                )
            ]
        ]
    )
    await reply(update, context, language, "console-open", markup=markup)


def register(application: AnyApplication) -> None:
    application.add_handler(
        CommandHandler("console", console_command, filters=filters.ChatType.PRIVATE)
    )
