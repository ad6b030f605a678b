"""The camera page: a participant takes the start or end photo with the phone's live camera
inside Telegram, and the certification goes on in the chat exactly as with a chat photo.

The page is a Mini App opened from the "📷" button of a photo step. It asks ``open`` for a
ticket (bound to the person and the step, valid 5 minutes, single use), shows the camera,
takes one picture on a tap and uploads it to ``photo`` with the same initData. The server
stamps the photo with its own clock on arrival; the ticket, the size limit and the signature
are checked before the body is read, and the type by decoding it (bot.media.photo_check). The
photo is posted into the participant's chat by the bot (so the chat, the console and the
exports see it as any photo), then the chat's own step takes it: the same checks, replies and
feed (bot.notices.certification_replies). Nothing is written to disk but the database.
"""

from __future__ import annotations

import asyncio
import html
import logging
import math
import re
import time
import weakref
from datetime import datetime

from aiohttp import web
from telegram import Message
from telegram.error import TelegramError

from bot.campaign import camera, certify
from bot.campaign.certify import IncomingPhoto, Status
from bot.client_input import parse_int
from bot.console import auth
from bot.console.state import STATIC, ConsoleState, language_of, opener_of, refuse, state_of
from bot.media import feed_picture
from bot.media.photo_check import DecodedPhoto, PhotoError, decode_in_turn, decode_photo_in_turn
from bot.notices import certification_replies
from locales import LANGUAGES

log = logging.getLogger(__name__)

# Telegram takes photos up to 10 MB (sendPhoto); a phone's canvas capture is well under 1 MB.
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Uploads read and not yet inspected, at most (next to the chat's photos in hand): part of the
# memory budget in bot.media.photo_check.
PHOTOS_IN_HAND = 2
NONCE_HEADER = "X-Camera-Nonce"
LOCATION_HEADER = "X-Camera-Location"
PAGE_TEXTS = "camera-page-"
_TAG = re.compile(r"<[^>]+>")
_in_hand: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)
_TICKET_REFUSALS = {
    camera.Refused.UNKNOWN: (409, "unknown ticket"),
    camera.Refused.NOT_YOURS: (403, "not your ticket"),
    camera.Refused.USED: (409, "ticket used"),
    camera.Refused.EXPIRED: (409, "ticket expired"),
    camera.Refused.STEP_MOVED: (409, "step moved on"),
}


def _hands() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    hands = _in_hand.get(loop)
    if hands is None:
        hands = _in_hand[loop] = asyncio.Semaphore(PHOTOS_IN_HAND)
    return hands


async def page(request: web.Request) -> web.StreamResponse:
    """The page holds no data; it asks ``api/open`` with the initData Telegram gave it."""
    return web.FileResponse(STATIC / "camera.html", headers={"Cache-Control": "no-cache"})


async def texts(request: web.Request) -> web.Response:
    """The page's words in every language (the same for everyone: no data)."""
    translator = state_of(request).services.translator
    assert translator is not None
    return web.json_response(
        {
            language: {
                key: html.unescape(_TAG.sub("", translator(language, key)))
                for key in sorted(translator.keys(language))
                if key.startswith(PAGE_TEXTS)
            }
            for language in LANGUAGES
        }
    )


def _opener(request: web.Request) -> auth.Opener | web.Response:
    """A genuine, fresh initData within its owner's rate (whoever it is: the step decides)."""
    state = state_of(request)
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "tma":
        return refuse(401, "initData required")
    try:
        opener = auth.verify(
            raw.strip(), state.settings.bot_token, state.clock(), state.console.max_age
        )
    except auth.Refused as refused:
        return refuse(refused.status, refused.why)
    if not state.limiter.allow(opener.user_id, time.monotonic()):
        return refuse(429, "too many requests")
    return opener


async def open_page(request: web.Request) -> web.Response:
    """The page opened: a ticket for the photo the person's certification waits for."""
    opener = _opener(request)
    if isinstance(opener, web.Response):
        return opener
    state = state_of(request)
    context = state.context()
    opened = await camera.open_page(context.db, context.campaign, opener.user_id, context.now())
    if isinstance(opened, camera.Closed):
        status = 403 if opened is camera.Closed.NOT_PARTICIPANT else 409
        return web.json_response({"error": opened.value}, status=status)
    fairness = context.campaign.fairness
    return web.json_response(
        {
            "nonce": opened.nonce,
            "role": opened.role,
            "mission": opened.mission,
            "language": await language_of(state, opener),
            "location": fairness.camera_location,
            "required": fairness.camera == "required",
        }
    )


def _location(request: web.Request, state: ConsoleState) -> tuple[float, float] | None:
    campaign = state.services.campaign
    if campaign is None or not campaign.fairness.camera_location:
        return None
    parts = request.headers.get(LOCATION_HEADER, "").split(",")
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except (ValueError, IndexError):
        return None
    finite = math.isfinite(latitude) and math.isfinite(longitude)
    if not finite or abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return round(latitude, 6), round(longitude, 6)


async def take_photo(request: web.Request) -> web.Response:
    """One capture: checked before its body is read, then the chat's own certification step."""
    state = state_of(request)
    context = state.context()
    arrival = context.now()  # the photo's time: the server's clock, never the phone's
    length = request.content_length
    if length is None:
        return refuse(411, "length required")
    if length > MAX_PHOTO_BYTES:
        return refuse(413, "too big")
    opener = _opener(request)
    if isinstance(opener, web.Response):
        return opener
    nonce = request.headers.get(NONCE_HEADER, "")
    if not nonce or len(nonce) > 64:
        return refuse(400, "ticket required")
    ticket = await camera.use_ticket(context.db, opener.user_id, nonce, arrival)
    if isinstance(ticket, camera.Refused):
        status, why = _TICKET_REFUSALS[ticket]
        return refuse(status, why)
    received = await _read_and_check(request, length)
    if isinstance(received, web.Response):
        return received
    data, decoded = received
    facts = decoded.facts
    language = await language_of(state, opener)
    try:
        shown = await _post_into_chat(state, opener.user_id, language, data, arrival)
    except TelegramError as error:
        log.warning("camera photo not posted into the chat: %s", error)
        return refuse(502, "telegram unreachable")
    largest = shown.photo[-1] if shown.photo else None
    if largest is None:
        return refuse(502, "telegram kept no photo")
    photo = IncomingPhoto(
        kind="photo",
        file_id=largest.file_id,
        file_unique_id=largest.file_unique_id,
        mime_type="image/jpeg",
        file_size=len(data),
        width=facts.width,
        height=facts.height,
        message_id=shown.message_id,
        message_date=arrival,
        phash=facts.phash,
        dhash=facts.dhash,
        taken_at=None,  # whatever the bytes claim, the server's arrival time is the photo's
        thumbnail=facts.thumbnail,
        alignment=facts.alignment,
        crop_hashes=facts.crop_hashes,
        from_camera=True,
        location=_location(request, state),
    )
    step = await certify.receive_photo(context.db, context.campaign, opener.user_id, photo, arrival)
    await certification_replies.reply_to_step(
        context, opener.user_id, language, step, key=f"camera:{ticket.nonce}"
    )
    kept = step.status in (Status.START_RECORDED, Status.ACCEPTED)
    preview = await _preview(decoded) if kept else None
    await certification_replies.after_photo(context, opener.user_id, step, preview)
    return web.json_response({"status": step.status.value})


async def _read_and_check(
    request: web.Request, length: int
) -> tuple[bytes, DecodedPhoto] | web.Response:
    """The body, decoded as a JPEG within the photo check's limits. Like a chat photo's download,
    at most PHOTOS_IN_HAND are read and waiting for the photo threads at once."""
    async with _hands():
        try:
            data = await request.content.readexactly(length)
        except asyncio.IncompleteReadError:
            return refuse(400, "upload cut short")
        try:
            decoded = await decode_photo_in_turn(data)
        except PhotoError:
            return refuse(415, "not a photo")
    if decoded.facts.format != "JPEG":
        return refuse(415, "not a camera capture")
    return data, decoded


async def _post_into_chat(
    state: ConsoleState, user_id: int, language: str, data: bytes, arrival: datetime
) -> Message:
    """The capture in the participant's chat, stamped like the feed picture: their record of
    it, and a Telegram file the console and the exports show like any photo."""
    context = state.context()
    caption = certification_replies.camera_stamp(context, language, arrival)
    return await context.bot.send_photo(user_id, data, caption=caption)


async def _preview(decoded: DecodedPhoto) -> bytes | None:
    # From the photo check's one decoded picture: the upload is not decoded again.
    try:
        return await decode_in_turn(feed_picture.preview_of, decoded.image)
    except Exception:  # the photo itself is fine; the feed shows a plain panel instead
        log.warning("could not make a feed preview of a camera photo", exc_info=True)
        return None


async def chat_photos(request: web.Request) -> web.Response:
    """A person's page in the console: may they send chat photos (where the camera is required)?"""
    state = state_of(request)
    context = state.context()
    user_id = parse_int(request.match_info["user_id"])
    allowed = user_id is not None and await camera.may_send_chat_photos(context.db, user_id)
    required = context.campaign.fairness.camera == "required"
    return web.json_response({"required": required, "allowed": allowed})


async def allow_chat_photos(request: web.Request) -> web.Response:
    """The person page's button: as the chat card's (handlers.participants)."""
    state = state_of(request)
    context = state.context()
    user_id = parse_int(request.match_info["user_id"])
    allowed = request.match_info["verb"] == "allow"
    done = user_id is not None and await camera.allow_chat_photos(
        context.db, user_id, opener_of(request).user_id, allowed, context.now()
    )
    return web.json_response({"outcome": "done" if done else "unknown"})


def routes(app: web.Application, base: str) -> None:
    """The participant's camera page (its own checks: see take_photo), and the leaders' switch
    under the console's api/ (leaders only, by its middleware)."""
    app.router.add_get(base + "/camera/", page)
    app.router.add_get(base + "/camera/texts.json", texts)
    app.router.add_post(base + "/camera/api/open", open_page)
    app.router.add_post(base + "/camera/api/photo", take_photo)
    app.router.add_get(base + "/api/participants/{user_id}/chat-photos", chat_photos)
    app.router.add_post(
        base + "/api/participants/{user_id}/chat-photos/{verb:allow|withdraw}", allow_chat_photos
    )
