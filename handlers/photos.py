"""Getting a participant's picture: what counts as a photo, and its inspection (the download
within limits: ``bot.notices.participant_files``).

Each downloaded picture is decoded once (``photo_check.decode_photo``: reduced, upright), and
its facts, the feed's preview and any clean copy come from that one decoded picture. Decoding
and encoding are CPU work, so they run on the photo check's own threads (a few at a time): the
bot keeps answering others while a 12 MP photo is read.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from pathlib import PurePosixPath
from typing import NamedTuple

from PIL import Image
from telegram import Message

from bot.campaign.certify import IncomingPhoto
from bot.context import CampaignContext
from bot.media import feed_picture
from bot.media.photo_check import (
    DamagedImage,
    ImageTooLarge,
    NotAnImage,
    PhotoFacts,
    decode_in_turn,
    decode_photo_in_turn,
)
from bot.notices.participant_files import MAX_DOWNLOAD_BYTES, PhotoRefused, fetch

log = logging.getLogger(__name__)

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
# Photos downloaded and not yet inspected, at most: each may hold up to 20 MB of bytes, and 64
# people's updates run at once. Part of the memory budget in bot.media.photo_check.
PHOTOS_IN_HAND = 4
_in_hand: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def incoming_photo(message: Message) -> IncomingPhoto | None:
    """The picture in a message (a compressed photo or an image sent as a file), if any."""
    forwarded = message.forward_origin is not None or bool(message.is_automatic_forward)
    if message.photo:
        largest = message.photo[-1]
        return IncomingPhoto(
            kind="photo",
            file_id=largest.file_id,
            file_unique_id=largest.file_unique_id,
            mime_type="image/jpeg",
            file_size=largest.file_size,
            width=largest.width,
            height=largest.height,
            message_id=message.message_id,
            message_date=message.date,
            forwarded=forwarded,
        )
    document = message.document
    if document is None:
        return None
    mime = (document.mime_type or "").lower()
    suffix = PurePosixPath(document.file_name or "").suffix.lower()
    if mime not in IMAGE_TYPES and suffix not in IMAGE_SUFFIXES:
        return None
    return IncomingPhoto(
        kind="document",
        file_id=document.file_id,
        file_unique_id=document.file_unique_id,
        mime_type=mime or None,
        file_size=document.file_size,
        width=None,
        height=None,
        message_id=message.message_id,
        message_date=message.date,
        forwarded=forwarded,
    )


def _hands() -> asyncio.Semaphore:
    # One per event loop (an asyncio.Semaphore belongs to the loop that first waits on it).
    loop = asyncio.get_running_loop()
    hands = _in_hand.get(loop)
    if hands is None:
        hands = _in_hand[loop] = asyncio.Semaphore(PHOTOS_IN_HAND)
    return hands


class Inspected(NamedTuple):
    facts: PhotoFacts
    # The one decoded picture (upright, reduced; the downloaded bytes are let go), for the
    # feed's preview once the photo is kept.
    picture: Image.Image


async def feed_preview(picture: Image.Image) -> bytes | None:
    """The feed's preview of a kept photo (re-encoded without metadata), made from its decoded
    picture while it is in memory: the start photo's is gone by the time the end photo
    arrives."""
    try:
        return await decode_in_turn(feed_picture.preview_of, picture)
    except Exception:  # the photo itself is fine; the feed shows a plain panel instead
        log.warning("could not make a feed preview", exc_info=True)
        return None


async def fetch_and_inspect(context: CampaignContext, photo: IncomingPhoto) -> Inspected:
    """Download the picture and read its facts; PhotoRefused says why it cannot be used."""
    if photo.file_size is not None and photo.file_size > MAX_DOWNLOAD_BYTES:
        raise PhotoRefused("photo-too-big")
    async with _hands():
        return await _fetch_and_inspect(context, photo)


async def _fetch_and_inspect(context: CampaignContext, photo: IncomingPhoto) -> Inspected:
    data = await fetch(context.bot, photo.file_id)
    try:
        decoded = await decode_photo_in_turn(data)
        return Inspected(decoded.facts, decoded.image)
    except ImageTooLarge as error:
        raise PhotoRefused("photo-too-many-pixels") from error
    except DamagedImage as error:
        raise PhotoRefused("photo-damaged") from error
    except NotAnImage as error:
        raise PhotoRefused("photo-not-an-image") from error
