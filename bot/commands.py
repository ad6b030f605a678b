"""The command menus Telegram shows: one for everyone, a longer one in each leader's chat."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import Translator
from locales import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)

PARTICIPANT_COMMANDS = (
    "start",
    "certify",
    "me",
    "report",
    "settings",
    "idea",
    "mydata",
    "delete",
    "cancel",
    "lang",
    "help",
)
LEADER_COMMANDS = (
    *PARTICIPANT_COMMANDS,
    "pending",
    "audit",
    "theme",
    "ideas",
    "stats",
    "top",
    "leaders",
    "broadcast",
    "participant",
    "export",
    "backup",
    "console",
)


def commands(translator: Translator, language: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, translator(language, f"command-{name}")) for name in names]


async def publish(bot: Bot, translator: Translator, leader_ids: frozenset[int]) -> None:
    """Register both menus, per language (Korean is the default for every other language)."""
    for language in LANGUAGES:
        code = None if language == DEFAULT_LANGUAGE else language
        await bot.set_my_commands(
            commands(translator, language, PARTICIPANT_COMMANDS),
            scope=BotCommandScopeAllPrivateChats(),
            language_code=code,
        )
        for leader_id in sorted(leader_ids):
            try:
                await bot.set_my_commands(
                    commands(translator, language, LEADER_COMMANDS),
                    scope=BotCommandScopeChat(leader_id),
                    language_code=code,
                )
            except TelegramError as error:
                # "chat not found" until the leader has opened the bot once; not fatal.
                log.warning("leader %s: commands not set (%s)", leader_id, error)
