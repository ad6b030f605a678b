"""/export: the 1365 volunteer hours as .xlsx and .csv (or the risk reports), for leaders in
private; which export and which round are buttons (``exp:``), or typed: /export hours [round]."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.campaign.config import Round
from bot.campaign.rules import campaign_day
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.i18n import format_day
from bot.keyboards import button, keyboard
from bot.media import hours_export
from bot.notices.export_files import hours_files
from handlers import CALLBACK_PATTERNS, risk_leaders
from handlers.common import button_data, leader_press, number, reply
from storage import exports as stored


async def export(update: Update, context: CampaignContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    language = context.language
    if user is None or chat is None or not context.is_leader(user.id):
        await reply(update, context, language, "leaders-only")
        return
    if chat.type != ChatType.PRIVATE:
        # Names and 1365 IDs never go to a group, not even a leaders' one.
        await reply(update, context, language, "export-private-only")
        return
    args = context.args or []
    if args and args[0].lower() == "reports":
        await risk_leaders.export_reports(update, context)
        return
    if not args or args[0].lower() != "hours":
        # Which export: a tap, not a word to remember.
        await reply(update, context, language, "export-choose", _kinds(context, language))
        return
    campaign = context.campaign
    name = " ".join(args[1:]).strip()
    if name:
        chosen = campaign.round_named(name)
        if chosen is None:
            rounds = ", ".join(r.name for r in campaign.rounds)
            await reply(update, context, language, "export-unknown-round", name=name, rounds=rounds)
            return
        await _send_hours(update, context, language, user.id, chosen)
        return
    await _hours_default(update, context, language, user.id)


def _kinds(context: CampaignContext, language: str) -> InlineKeyboardMarkup:
    return keyboard(
        [button(context, language, "button-export-hours", "export:hours")],
        [button(context, language, "button-export-reports", "export:reports")],
    )


def _rounds(context: CampaignContext, language: str) -> InlineKeyboardMarkup:
    """One button per round (by its place in the campaign file: names may be long)."""
    return keyboard(
        *[
            [
                InlineKeyboardButton(
                    # Plain text: the catalogue's HTML escaping of the name is undone.
                    html.unescape(
                        context.translator(
                            language,
                            "button-export-round",
                            round=r.name,
                            start=format_day(language, r.start),
                            end=format_day(language, r.end),
                        )
                    ),
                    callback_data=f"export:hours:{index}",
                )
            ]
            for index, r in enumerate(context.campaign.rounds)
        ]
    )


async def pressed(update: Update, context: CampaignContext) -> None:
    """``export:hours``, ``export:hours:<round number>``, ``export:reports``: the same exports
    as typed (``exp:`` buttons from before the rename read the same)."""
    leader = await leader_press(update, context)
    if leader is None:
        return
    query, language = leader
    kind, round_number = button_data(context, "export:")
    campaign = context.campaign
    if kind == "reports":
        await query.answer()
        await risk_leaders.export_reports(update, context)
        return
    if kind == "hours":
        await query.answer()
        if len(campaign.rounds) == 1:
            await _hours_default(update, context, language, query.from_user.id)
        else:
            await quietly(
                query.edit_message_text(
                    context.translator(language, "export-choose-round"),
                    reply_markup=_rounds(context, language),
                ),
                "showing the rounds",
            )
        return
    index = number(round_number)
    if index is None or index >= len(campaign.rounds):
        await query.answer(context.translator(language, "button-stale"), show_alert=True)
        return
    await query.answer()
    await _send_hours(update, context, language, query.from_user.id, campaign.rounds[index])


async def _hours_default(
    update: Update, context: CampaignContext, language: str, leader_id: int
) -> None:
    """The running round's export, or the latest one that ended."""
    campaign = context.campaign
    today = campaign_day(context.now(), campaign.timezone)
    chosen = campaign.round_on(today) or campaign.latest_round_before(today)
    if chosen is None:
        rounds = ", ".join(r.name for r in campaign.rounds)
        await reply(update, context, language, "export-no-round", rounds=rounds)
        return
    await _send_hours(update, context, language, leader_id, chosen)


async def _send_hours(
    update: Update, context: CampaignContext, language: str, user_id: int, chosen: Round
) -> None:
    """The round's 1365 files and a summary, to the leader's private chat."""
    campaign = context.campaign
    today = campaign_day(context.now(), campaign.timezone)
    async with context.db.read() as conn:
        later = [r.name for r in campaign.rounds if r.start > chosen.start]
        people = await stored.round_activity(conn, chosen.name, later)
    if not people:
        await reply(update, context, language, "export-empty", round=chosen.name)
        return

    data, xlsx, csv = await hours_files(context, language, chosen.name, people)
    base = context.translator(language, "export-file-name", round=chosen.name)
    for content, extension in ((xlsx, "xlsx"), (csv, "csv")):
        await context.bot.send_document(
            user_id,
            content,
            filename=f"{base}.{extension}",
            caption=context.translator(
                language, "export-caption", round=chosen.name, kind=extension
            ),
        )
    lines = [
        context.translator(
            language,
            "export-summary",
            round=chosen.name,
            people=len(data.totals),
            rows=data.row_count,
            hours=sum(t.hours for t in data.totals),
            minutes_per=campaign.rules.minutes_per_certification,
        )
    ]
    if data.missing_id:
        lines.append(
            context.translator(language, "export-summary-missing-id", count=len(data.missing_id))
        )
    near = hours_export.dates_near_limit(data.activity_days, today)
    if near:
        lines.append(
            context.translator(
                language,
                "export-deadline-warning",
                count=len(near),
                margin=hours_export.WARN_DAYS_BEFORE_LIMIT,
                first=format_day(language, near[0]),
                limit=format_day(language, hours_export.registration_limit(near[0])),
            )
        )
    await context.bot.send_message(user_id, "\n\n".join(lines))


def register(application: AnyApplication) -> None:
    application.add_handler(CommandHandler("export", export))
    application.add_handler(CallbackQueryHandler(pressed, pattern=CALLBACK_PATTERNS["export:"]))
