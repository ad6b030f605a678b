"""What Telegram shows about the bot: the command menus (one for everyone, a longer one in each
leader's chat) and the bot's description before the first /start."""

from __future__ import annotations

import html
import logging

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.campaign.config import Campaign
from bot.i18n import Translator
from locales import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)

PARTICIPANT_COMMANDS = (
    "start",
    "certify",
    "me",
    "report",
    "myreports",
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


# Telegram's limits for setMyDescription and setMyShortDescription.
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120


def description(
    translator: Translator, language: str, campaign: Campaign, *, short: bool = False
) -> str:
    """The profile text in one language; plain text (no HTML), cut to Telegram's limit when a
    long campaign or station name would overflow it."""
    key, limit = (
        ("bot-short-description", SHORT_DESCRIPTION_LIMIT)
        if short
        else ("bot-description", DESCRIPTION_LIMIT)
    )
    text = html.unescape(
        translator(language, key, campaign=campaign.name, station=campaign.station)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def introduce(bot: Bot, translator: Translator, campaign: Campaign) -> None:
    """Set the "What can this bot do?" text and the short about text, per language."""
    for language in LANGUAGES:
        code = None if language == DEFAULT_LANGUAGE else language
        try:
            await bot.set_my_description(
                description(translator, language, campaign), language_code=code
            )
            await bot.set_my_short_description(
                description(translator, language, campaign, short=True), language_code=code
            )
        except TelegramError as error:
            # Cosmetic: a bot without a description still works.
            log.warning("description (%s) not set: %s", language, error)
