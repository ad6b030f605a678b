"""The global error handler: log with the update, apologise to the person, tell the leaders once
per distinct error. The bot keeps running whatever a handler raised."""

from __future__ import annotations

import html
import logging
import traceback
from collections import OrderedDict
from collections.abc import Awaitable
from weakref import WeakKeyDictionary

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot.context import CampaignContext
from bot.i18n import language_for
from storage import error_reports
from storage.database import StoreUnavailable

log = logging.getLogger(__name__)

MAX_REPORT_CHARS = 3500


def signature(error: BaseException) -> str:
    """Where an error comes from (type and innermost project frame), not its changing values."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    where = f"{ours[-1].filename.rsplit('/', 1)[-1]}:{ours[-1].lineno}" if ours else "?"
    return f"{type(error).__name__}@{where}"


async def quietly(call: Awaitable[object], what: str) -> bool:
    """Await a cosmetic Bot API call (a callback answer that stops a button's spinner, buttons
    taken off, a leader's copy of a card refreshed) whose failure must not stop the action it
    belongs to half-way; False (and a log line) if it failed."""
    try:
        await call
    except TelegramError as error:
        log.warning("%s failed; the action goes on: %s", what, error)
        return False
    return True


# update_ids already apologised for, per application: several handler groups may fail on the
# same update (the store is locked for all of them), and the person should read "try again"
# once, not twice.
_APOLOGISED: WeakKeyDictionary[object, OrderedDict[int, None]] = WeakKeyDictionary()
_REMEMBERED = 1000


def _first_error_of(update: Update, application: object) -> bool:
    seen = _APOLOGISED.setdefault(application, OrderedDict())
    if update.update_id in seen:
        return False
    seen[update.update_id] = None
    while len(seen) > _REMEMBERED:
        seen.popitem(last=False)
    return True


async def on_error(update: object, context: CampaignContext) -> None:
    error = context.error
    if error is None:
        return
    if update is None and isinstance(error, NetworkError):
        # getUpdates failed (the network or Telegram is down): PTB tries again with back-off;
        # one line each time, not a traceback.
        log.warning("cannot reach the Bot API while polling (%s); trying again", error)
        return
    log.error("error while handling an update: %s", update, exc_info=error)
    if not isinstance(update, Update):
        return
    user = update.effective_user
    chat = update.effective_chat
    language = language_for(None, user.language_code if user else None)
    if chat is not None and chat.type == "private" and _first_error_of(update, context.application):
        key = "error-store-busy" if isinstance(error, StoreUnavailable) else "error-apology"
        if isinstance(error, StoreUnavailable):
            log.warning("told %s to try again shortly: %s", chat.id, error)
        try:
            await context.bot.send_message(chat.id, context.translator(language, key))
        except TelegramError:
            log.warning("could not send the apology to %s", chat.id)
    if isinstance(error, StoreUnavailable | Forbidden | NetworkError):
        return  # passing conditions: logged, not worth a leader's attention each time
    await _tell_leaders_once(context, error)


async def _tell_leaders_once(context: CampaignContext, error: BaseException) -> None:
    try:
        async with context.db.transaction() as conn:
            first_time = await error_reports.record(conn, signature(error), context.now())
    except Exception:  # the store itself may be the problem; the log already has the error
        log.exception("could not record the error report")
        return
    if not first_time:
        return
    trace = "".join(traceback.format_exception(error))
    trace = trace.replace(context.settings.bot_token, "<BOT_TOKEN>")[-MAX_REPORT_CHARS:]
    language = language_for(None, None)
    for leader_id in context.settings.leader_ids:
        try:
            await context.bot.send_message(
                leader_id,
                context.translator(language, "error-leader-report", error=type(error).__name__)
                + f"\n<pre>{html.escape(trace)}</pre>",
            )
        except TelegramError:
            log.warning("could not tell leader %s about an error", leader_id)
