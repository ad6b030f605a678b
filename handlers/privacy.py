"""Privacy commands: /mydata (your data as a file), /delete (erase it after a confirmation) and
/backup (a fresh database copy for a leader, in private only)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import privacy
from bot.context import CampaignContext
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
    if query.data == "priv:delete:yes":
        erased = await privacy.erase(context.db, query.from_user.id, context.now())
        key = "privacy-deleted" if erased else "privacy-nothing-stored"
        log.info("personal data erased on request (%s)", "done" if erased else "nothing")
    else:
        key = "privacy-delete-kept"
    await context.bot.send_message(message.chat.id, context.translator(language, key))


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
