"""A participant's file from Telegram: downloaded within the Bot API's limit, and the clean copy
(re-encoded without metadata) that is the one way others see their pictures: risk cards, the
console."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.media import feed_picture
from bot.media.photo_check import decode_in_turn, decode_photo

log = logging.getLogger(__name__)

# Telegram's Bot API serves files up to 20 MB to bots.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


class PhotoRefused(Exception):
    """The picture cannot be used; ``reason`` is the catalogue key that says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def fetch(bot: Bot, file_id: str) -> bytes:
    """A participant's file from Telegram within MAX_DOWNLOAD_BYTES, or PhotoRefused."""
    try:
        telegram_file = await bot.get_file(file_id)
        if telegram_file.file_size is not None and telegram_file.file_size > MAX_DOWNLOAD_BYTES:
            raise PhotoRefused("photo-too-big")
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:
        log.warning("download of a participant's picture failed: %s", error)
        raise PhotoRefused("photo-download-failed") from error
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise PhotoRefused("photo-too-big")
    return data


def _checked_copy(data: bytes) -> bytes:
    # One decode, with the same limits as a certification photo (bombs, truncation, formats),
    # at the size the copy is shown.
    side = feed_picture.SHOWN_SIDE
    return feed_picture.shown(decode_photo(data, side=side).image, side)


async def clean_copy(bot: Bot, file_id: str) -> bytes | None:
    """A participant's picture as others may see it: downloaded, checked and re-encoded without
    metadata (GPS, phone model, capture time) on the photo threads; None if it cannot be had
    or is not a picture. The one way a risk report's or the console's picture is shown."""
    try:
        data = await fetch(bot, file_id)
        return await decode_in_turn(_checked_copy, data)
    except PhotoRefused:
        return None
    except Exception as error:  # PhotoError or a decoder's own: shown to nobody
        log.warning("no clean copy of a participant's picture: %r", error)
        return None
