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
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import privacy
from bot.context import AnyApplication, CampaignContext
from bot.i18n import format_day, language_for
from bot.notices import risk_news
from bot.outbox_sender import send_or_queue
from handlers.common import button, keyboard, language_of_id, remove_buttons, reply
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
    if query.data not in ("erase:delete:yes", "priv:delete:yes"):  # priv: before 2026-12
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


# Bots may delete their own messages for 48 hours after sending; an hour spare for slow clocks.
DELETABLE_FOR = timedelta(hours=47)
DELETE_BATCH = 100  # deleteMessages takes at most 100 ids
LINKS_PER_MESSAGE = 50  # a leader's list of photos left behind stays far below 4096 characters


async def take_down(context: CampaignContext, messages: list[privacy.ShownMessage]) -> None:
    """Take an erased person's messages out of the leaders' and feed chats, then forget them.

    Texts (cards) are blanked first: bots may edit their own messages at any time, and
    deleteMessages silently skips what it cannot delete, so an edit is the only step that is
    sure to take the name away. Then everything recent enough is deleted. Photos too old to
    delete (or refused) are listed to the leaders to delete by hand. Failures are logged, never
    raised."""
    if not messages:
        return
    now = context.now()
    recent: dict[int, list[privacy.ShownMessage]] = defaultdict(list)
    left: list[privacy.ShownMessage] = []
    for message in messages:
        if message.posted_at is not None and now - message.posted_at < DELETABLE_FOR:
            recent[message.chat_id].append(message)
        elif not message.is_text:
            left.append(message)
    text = context.translator(language_for(None, None), "privacy-message-erased")
    for card in messages:
        if not (card.is_text or card.is_picture):
            continue
        try:
            # No reply_markup: the buttons (Revoke, cheer, approve) go with the name.
            if card.is_picture:
                await context.bot.edit_message_caption(
                    chat_id=card.chat_id, message_id=card.message_id, caption=text
                )
            else:
                await context.bot.edit_message_text(
                    text, chat_id=card.chat_id, message_id=card.message_id
                )
        except TelegramError as error:
            log.info("could not blank message %s/%s: %s", card.chat_id, card.message_id, error)
    for chat_id, found in recent.items():
        for start in range(0, len(found), DELETE_BATCH):
            batch = found[start : start + DELETE_BATCH]
            try:
                await context.bot.delete_messages(chat_id, [m.message_id for m in batch])
            except TelegramError as error:
                log.warning("could not delete %d messages in %s: %s", len(batch), chat_id, error)
                left += [m for m in batch if not m.is_text]
    if left:
        log.info("%d photo messages could not be deleted; leaders are told", len(left))
        await _tell_leaders(context, left)
    try:
        await privacy.taken_down(context.db, messages)
    except Exception:
        log.exception("could not forget %d taken-down messages", len(messages))


async def take_down_pending(context: CampaignContext) -> None:
    """Messages an earlier erasure queued but never took down (the bot stopped meanwhile)."""
    await take_down(context, await privacy.pending_takedowns(context.db))


def message_link(chat_id: int, message_id: int) -> str | None:
    """A t.me link to a message in a supergroup (ids -100...); other chats have none."""
    text = str(chat_id)
    return f"https://t.me/c/{text[4:]}/{message_id}" if text.startswith("-100") else None


async def _tell_leaders(context: CampaignContext, left: list[privacy.ShownMessage]) -> None:
    """Each leader hears which photos are left in the groups and in their own chat."""
    tz = context.campaign.timezone
    now = context.now()
    t = context.translator
    for leader_id in sorted(context.settings.leader_ids):
        language = await language_of_id(context, leader_id)
        lines: list[str] = []
        count = 0
        per_place: dict[tuple[str, str], int] = defaultdict(int)
        for message in left:
            if message.chat_id == leader_id or message.chat_id < 0:
                count += 1
            elif message.chat_id in context.settings.leader_ids:
                continue  # another leader's chat: they hear it themselves
            link = message_link(message.chat_id, message.message_id)
            if link is not None:
                lines.append(link)
                continue
            day = format_day(language, (message.posted_at or now).astimezone(tz).date())
            # A participant's chat (a risk report's picture shown to a follower): nobody but
            # them can delete it now; its caption is gone.
            where = (
                "here"
                if message.chat_id == leader_id
                else "group"
                if message.chat_id < 0
                else "participants"
            )
            per_place[(where, day)] += 1
        lines += [
            t(language, f"privacy-left-behind-{where}", count=number, day=day)
            for (where, day), number in per_place.items()
        ]
        for start in range(0, len(lines), LINKS_PER_MESSAGE):
            body = "\n".join(lines[start : start + LINKS_PER_MESSAGE])
            try:
                await send_or_queue(
                    context.bot,
                    context.db,
                    leader_id,
                    # Without a photo a leader can delete, no "delete them by hand" heading.
                    (t(language, "privacy-left-behind", count=count) + "\n" if count else "")
                    + body,
                    key=f"privacy-left:{leader_id}:{now.isoformat()}:{start}",
                    now=now,
                )
            except TelegramError as error:
                log.warning("could not tell leader %s about photos left: %s", leader_id, error)


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


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("mydata", mydata, filters=private))
    application.add_handler(CommandHandler("delete", delete, filters=private))
    application.add_handler(CommandHandler("backup", backup, filters=private))
    application.add_handler(
        CommandHandler(["mydata", "delete", "backup"], private_only, filters=~private)
    )
    application.add_handler(
        CallbackQueryHandler(delete_pressed, pattern=r"^(?:erase|priv):delete:")
    )
