"""A redelivered update (the bot stopped before confirming it) is skipped: no second effect,
no second answer (see ``storage.handled_updates`` for where the mark is written and why)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application

from bot.context import Services
from storage import handled_updates
from storage.database import StoreUnavailable

log = logging.getLogger(__name__)


def keys_of(update: Update) -> tuple[str, ...]:
    """What the update is known by: its id, a new message's chat and id, a button press."""
    message = update.message  # not an edit: an edited message is a new update of the same id
    return handled_updates.keys_of(
        update.update_id,
        message=(message.chat_id, message.message_id) if message is not None else None,
        callback_query_id=update.callback_query.id if update.callback_query else None,
    )


# PTB's Application is generic in six types the campaign does not narrow.
class CampaignApplication(Application):  # type: ignore[type-arg]
    """PTB's Application that handles each update at most once, across restarts."""

    async def process_update(self, update: object) -> None:
        services: Services = self.bot_data
        database = services.database
        if not isinstance(update, Update) or database is None:
            await super().process_update(update)
            return
        keys = keys_of(update)
        try:
            async with database.read() as conn:
                done = await handled_updates.seen(conn, keys)
        except StoreUnavailable:
            done = False  # handling it tells the person to try again; skipping would not
        if done:
            log.info("update %s was handled before a restart: skipped", update.update_id)
            return
        with handled_updates.handling(keys, services.clock()) as handling:
            await super().process_update(update)
        if not handling.marked:
            # Nothing was written (an answer only, like /me): marked now, so a redelivery is
            # not answered twice. A kill between that answer and this mark answers it again.
            try:
                async with database.transaction() as conn:
                    await handled_updates.mark(conn, keys, services.clock())
            except StoreUnavailable:
                log.warning("update %s not marked as handled (store busy)", update.update_id)
