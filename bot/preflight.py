"""Before the bot starts: the database opens and Telegram accepts the token. Each problem is one
line naming its setting (no traceback); an unreachable Bot API is waited for, with back-off,
because a bot on a station PC often starts before the network is up."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.config_error import ConfigError
from bot.settings import EXAMPLE_TOKEN, Settings
from storage.database import Database

log = logging.getLogger(__name__)

SOURCE = "environment"
FIRST_WAIT = 1.0  # seconds before the second attempt; doubled each time
LONGEST_WAIT = 60.0


async def open_database(settings: Settings) -> Database:
    """The store, opened and migrated; a path the bot cannot write is a ConfigError."""
    path = settings.database_path
    try:
        return await Database.open(path)
    except (OSError, sqlite3.Error) as error:
        # OSError's words name the part of the path at fault ("File exists: 'data'").
        reason = " ".join(str(error).split())
        raise ConfigError(
            SOURCE,
            "DATABASE_PATH",
            f"cannot create or open {str(path)!r} ({reason}); choose a folder this user may "
            "write to",
        ) from None


def refuse_example_token(settings: Settings) -> None:
    if settings.bot_token == EXAMPLE_TOKEN:
        raise ConfigError(
            SOURCE,
            "BOT_TOKEN",
            "is still the example from .env.example; put the token @BotFather gave you",
        )


async def wait_for_telegram(
    settings: Settings,
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> str:
    """Ask ``getMe`` until Telegram answers; returns the bot's username.

    A refused token is a ConfigError at once (retrying cannot fix it); a network failure is one
    warning line per attempt, then a longer wait (1, 2, 4 ... 60 s), for as long as it takes.
    """
    wait = FIRST_WAIT
    while True:
        bot = Bot(settings.bot_token, base_url=settings.api_base_url)
        try:
            async with bot:
                return bot.username
        except InvalidToken:
            # Not the error's own words: they quote the token.
            raise ConfigError(
                SOURCE,
                "BOT_TOKEN",
                "Telegram refused this token (401 Unauthorized); copy it again from @BotFather "
                f"(or check BOT_API_URL, {settings.bot_api_url})",
            ) from None
        except NetworkError as error:
            log.warning(
                "cannot reach the Bot API at BOT_API_URL=%s (%s); trying again in %.0f s",
                settings.bot_api_url,
                _reason(error),
                wait,
            )
        except TelegramError as error:
            log.warning(
                "the Bot API at BOT_API_URL=%s answered %s; trying again in %.0f s",
                settings.bot_api_url,
                _reason(error),
                wait,
            )
        await sleep(wait)
        wait = min(wait * 2, LONGEST_WAIT)


def _reason(error: BaseException) -> str:
    """The error's words on one line (PTB's already name the cause)."""
    return " ".join(str(error).split())[:200]
