"""Privacy commands: /mydata (your data as a file), /delete (erase it after a confirmation) and
/backup (a fresh database copy for a leader, in private only)."""

from __future__ import annotations

import logging
import tempfile
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import privacy
from bot.context import CampaignContext
from bot.i18n import language_for
from handlers.common import button, keyboard, language_of, remove_buttons, reply
from storage import backups

log = logging.getLogger(__name__)

# Telegram bots may upload files up to 50 MB.
MAX_UPLOAD = 50 * 1024 * 1024


async def mydata(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    language = await language_of(context, user)
    now = context.now()
    data = await privacy.export_json(context.db, user.id, now)
    if data is None:
        await reply(update, context, language, "privacy-nothing-stored")
        return
    day = now.astimezone(context.campaign.timezone).date().isoformat()
    await context.bot.send_document(
        chat.id,
        InputFile(data, filename=f"mydata-{day}.json"),
        caption=context.translator(language, "privacy-mydata-caption"),
    )


async def delete(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    if user is None:
        return
    language = await language_of(context, user)
    await reply(
        update,
        context,
        language,
        "privacy-delete-confirm",
        keyboard(
            [
                button(context, language, "privacy-button-delete", "priv:delete:yes"),
                button(context, language, "privacy-button-keep", "priv:delete:no"),
            ]
        ),
    )


async def delete_pressed(update: Update, context: CampaignContext) -> None:
    """The button erases the presser's own data (a forwarded button cannot reach anyone else)."""
    query = update.callback_query
    assert query is not None
    language = await language_of(context, query.from_user)
    await query.answer()
    await remove_buttons(query)
    message = query.message
    if message is None or message.chat.type != "private":
        return
    if query.data != "priv:delete:yes":
        await context.bot.send_message(
            message.chat.id, context.translator(language, "privacy-delete-kept")
        )
        return
    erasure = await privacy.erase(context.db, query.from_user.id, context.now())
    key = "privacy-deleted" if erasure.erased else "privacy-nothing-stored"
    log.info("personal data erased on request (%s)", "done" if erasure.erased else "nothing")
    await context.bot.send_message(message.chat.id, context.translator(language, key))
    # The store is already clean; taking the messages out of the chats may partly fail.
    await take_down(context, erasure.messages)


# Bots may delete their own messages for 48 hours after sending; an hour spare for slow clocks.
DELETABLE_FOR = timedelta(hours=47)
DELETE_BATCH = 100  # deleteMessages takes at most 100 ids


async def take_down(context: CampaignContext, messages: list[privacy.ShownMessage]) -> None:
    """Take an erased person's messages out of the leaders' and feed chats: recent ones are
    deleted; a text too old to delete is edited to say it was removed (bots may edit their own
    messages at any time), so the name goes at least. Failures are logged, never raised."""
    now = context.now()
    recent: dict[int, list[privacy.ShownMessage]] = defaultdict(list)
    to_edit: list[privacy.ShownMessage] = []
    old_photos = 0
    for message in messages:
        if message.posted_at is not None and now - message.posted_at < DELETABLE_FOR:
            recent[message.chat_id].append(message)
        elif message.is_text:
            to_edit.append(message)
        else:
            old_photos += 1
    for chat_id, found in recent.items():
        for start in range(0, len(found), DELETE_BATCH):
            batch = found[start : start + DELETE_BATCH]
            try:
                await context.bot.delete_messages(chat_id, [m.message_id for m in batch])
            except TelegramError as error:
                log.warning("could not delete %d messages in %s: %s", len(batch), chat_id, error)
                to_edit += [m for m in batch if m.is_text]
                old_photos += sum(not m.is_text for m in batch)
    text = context.translator(language_for(None, None), "privacy-message-erased")
    for card in to_edit:
        try:
            # No reply_markup: the buttons (Revoke, cheer, approve) go with the name.
            await context.bot.edit_message_text(
                text, chat_id=card.chat_id, message_id=card.message_id
            )
        except TelegramError as error:
            log.info("could not blank message %s/%s: %s", card.chat_id, card.message_id, error)
    if old_photos:
        log.info("%d photo messages were too old to delete and stay in their chats", old_photos)


async def backup(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    language = await language_of(context, user)
    if not context.is_leader(user.id):
        await reply(update, context, language, "leaders-only")
        return
    now = context.now()
    name = backups.name_for(now)
    with tempfile.TemporaryDirectory() as folder:
        path = await backups.copy_to(context.db.path, Path(folder) / name)
        size = path.stat().st_size
        if size > MAX_UPLOAD:
            await reply(
                update,
                context,
                language,
                "privacy-backup-too-big",
                folder=str(backups.folder_for(context.db.path)),
            )
            return
        await context.bot.send_document(
            chat.id,
            InputFile(path.read_bytes(), filename=name),
            caption=context.translator(language, "privacy-backup-caption"),
        )
    log.info("backup sent to leader %s", user.id)


async def private_only(update: Update, context: CampaignContext) -> None:
    """Privacy commands in a group: answer in private terms, never show data there."""
    language = await language_of(context, update.effective_user)
    await reply(update, context, language, "privacy-private-only")


def register(application: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("mydata", mydata, filters=private))
    application.add_handler(CommandHandler("delete", delete, filters=private))
    application.add_handler(CommandHandler("backup", backup, filters=private))
    application.add_handler(
        CommandHandler(["mydata", "delete", "backup"], private_only, filters=~private)
    )
    application.add_handler(CallbackQueryHandler(delete_pressed, pattern=r"^priv:delete:"))
