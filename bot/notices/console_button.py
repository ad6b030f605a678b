"""The button in each leader's chat that opens the console (a Telegram Mini App): set at start
and again on /console (Telegram refuses it until the leader has opened the bot once)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError

from bot.i18n import language_for
from storage import participants

log = logging.getLogger(__name__)


async def set_menu_button(application: Any, leader_id: int) -> None:
    """The leader's chat menu button opens the console (a button-opened Mini App)."""
    settings, translator = application.bot_data.settings, application.bot_data.translator
    if settings is None or settings.console is None or translator is None:
        return
    database = application.bot_data.database
    language = "ko"
    if database is not None:
        async with database.read() as conn:
            leader = await participants.get(conn, leader_id)
        language = language_for(leader.language if leader else None, None)
    try:
        await application.bot.set_chat_menu_button(
            chat_id=leader_id,
            menu_button=MenuButtonWebApp(
                translator(language, "console-menu-button"), WebAppInfo(settings.console.url)
            ),
        )
    except TelegramError as error:
        # "chat not found" until the leader has opened the bot once; /console sets it then.
        log.info("leader %s: console menu button not set (%s)", leader_id, error)
