"""/settings: a participant's daily reminder time, or reminders off."""

from __future__ import annotations

from datetime import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import rhythm, rules
from bot.context import AnyApplication, CampaignContext
from handlers import CALLBACK_PATTERNS
from handlers.common import button_data, reply
from storage import participants

CHOICES = (time(18, 0), time(19, 0), time(20, 0), time(21, 0))


def _allowed(context: CampaignContext, at: time) -> bool:
    schedule = context.campaign.schedule
    return not rules.in_quiet_hours(at, schedule.quiet_start, schedule.quiet_end)


def _markup(context: CampaignContext, language: str) -> InlineKeyboardMarkup:
    t = context.translator
    default = context.campaign.schedule.reminder_time.strftime("%H:%M")
    times = [
        InlineKeyboardButton(at.strftime("%H:%M"), callback_data=f"set:rem:{at.strftime('%H%M')}")
        for at in CHOICES
        if _allowed(context, at)
    ]
    return InlineKeyboardMarkup(
        [
            times,
            [
                InlineKeyboardButton(
                    t(language, "button-reminder-default", time=default),
                    callback_data="set:rem:default",
                ),
                InlineKeyboardButton(
                    t(language, "button-reminder-off"), callback_data="set:rem:off"
                ),
            ],
        ]
    )


async def _current_text(context: CampaignContext, language: str, user_id: int) -> str | None:
    async with context.db.read() as conn:
        person = await participants.get(conn, user_id)
    if person is None or not person.is_approved:
        return None
    schedule = context.campaign.schedule
    return context.translator(
        language,
        "settings-current",
        on="yes" if person.reminders_on else "no",
        time=person.reminder_time or schedule.reminder_time.strftime("%H:%M"),
        quiet_start=schedule.quiet_start.strftime("%H:%M"),
        quiet_end=schedule.quiet_end.strftime("%H:%M"),
    )


async def settings(update: Update, context: CampaignContext) -> None:
    """Show the reminder setting with buttons to change it."""
    user = update.effective_user
    assert user is not None
    language = context.language
    body = await _current_text(context, language, user.id)
    if body is None:
        await reply(update, context, language, "settings-not-participant")
        return
    await context.bot.send_message(user.id, body, reply_markup=_markup(context, language))


async def reminder_chosen(update: Update, context: CampaignContext) -> None:
    query = update.callback_query
    assert query is not None
    user = query.from_user
    language = context.language
    word, hour, minute = button_data(context, "set:")
    if word == "off":
        on, at = False, None
    elif word == "default":
        on, at = True, None
    elif hour is not None and minute is not None:
        picked = time(int(hour), int(minute))
        if not _allowed(context, picked):
            await query.answer(context.translator(language, "button-stale"), show_alert=True)
            return
        on, at = True, picked.strftime("%H:%M")
    else:  # forged or from an older version of the menu
        await query.answer(context.translator(language, "button-stale"), show_alert=True)
        return
    body = await _current_text(context, language, user.id)
    if body is None:
        await query.answer(context.translator(language, "settings-not-participant"))
        return
    await rhythm.set_reminder(context.db, user.id, on=on, at=at)
    await query.answer(context.translator(language, "settings-saved"))
    body = await _current_text(context, language, user.id)
    assert body is not None
    await query.edit_message_text(body, reply_markup=_markup(context, language))


def register(application: AnyApplication) -> None:
    application.add_handler(CommandHandler("settings", settings, filters=filters.ChatType.PRIVATE))
    application.add_handler(
        CallbackQueryHandler(reminder_chosen, pattern=CALLBACK_PATTERNS["set:"])
    )
