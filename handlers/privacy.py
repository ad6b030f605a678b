"""Privacy commands: /mydata (your data as a file), /delete (erase it after a confirmation) and
/backup (a fresh database copy for a leader, in private only)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import privacy
from bot.context import AnyApplication, CampaignContext
from bot.keyboards import button, keyboard
from bot.notices import risk_news
from bot.notices.takedowns import take_down
from bot.outbox_sender import send_or_queue
from handlers import CALLBACK_PATTERNS
from handlers.common import answer_stale, button_data, remove_buttons, reply
from storage import backups

log = logging.getLogger(__name__)

# Telegram bots may upload files up to 50 MB.
MAX_UPLOAD = 50 * 1024 * 1024


async def mydata(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    language = context.language
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
    language = context.language
    await reply(
        update,
        context,
        language,
        "privacy-delete-confirm",
        keyboard(
            [
                button(context, language, "privacy-button-delete", "erase:delete:yes"),
                button(context, language, "privacy-button-keep", "erase:delete:no"),
            ]
        ),
    )


async def delete_pressed(update: Update, context: CampaignContext) -> None:
    """The button erases the presser's own data (a forwarded button cannot reach anyone else)."""
    query = update.callback_query
    assert query is not None
    language = context.language
    await query.answer()
    await remove_buttons(query)
    message = query.message
    if message is None or message.chat.type != "private":
        return
    if button_data(context, "erase:")[1] != "yes":
        await context.bot.send_message(
            message.chat.id, context.translator(language, "privacy-delete-kept")
        )
        return
    erasure = await privacy.erase(context.db, query.from_user.id, context.now())
    key = "privacy-deleted" if erasure.erased else "privacy-nothing-stored"
    log.info("personal data erased on request (%s)", "done" if erasure.erased else "nothing")
    # The chats first: the erasure queued the messages, take_down never raises, and a failed
    # confirmation below then leaves nothing showing the person behind.
    await take_down(context, erasure.messages)
    for report_id in erasure.risk_reports:  # the name, place and description leave the cards
        await risk_news.refresh_cards(context, report_id)
    await send_or_queue(
        context.bot,
        context.db,
        message.chat.id,
        context.translator(language, key),
        key=f"privacy-deleted:{message.chat.id}:{update.update_id}",
        now=context.now(),
    )


async def backup(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    language = context.language
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
    language = context.language
    await reply(update, context, language, "privacy-private-only")


async def erase_pressed(update: Update, context: CampaignContext) -> None:
    """``erase:delete:yes`` erases, ``erase:delete:no`` keeps (the /delete question)."""
    if button_data(context, "erase:")[0] is None:
        await answer_stale(update, context)
        return
    await delete_pressed(update, context)


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("mydata", mydata, filters=private))
    application.add_handler(CommandHandler("delete", delete, filters=private))
    application.add_handler(CommandHandler("backup", backup, filters=private))
    application.add_handler(
        CommandHandler(["mydata", "delete", "backup"], private_only, filters=~private)
    )
    application.add_handler(
        CallbackQueryHandler(erase_pressed, pattern=CALLBACK_PATTERNS["erase:"])
    )
