"""/export hours [round]: the 1365 volunteer hours as .xlsx and .csv, for leaders in private."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler

from bot.campaign.rules import campaign_day
from bot.context import CampaignContext
from bot.i18n import format_day
from bot.media import hours_export
from handlers import risks
from handlers.common import reply
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
        await risks.export_reports(update, context)
        return
    if not args or args[0].lower() != "hours":
        await reply(update, context, language, "export-usage")
        return
    campaign = context.campaign
    rounds = ", ".join(r.name for r in campaign.rounds)
    today = campaign_day(context.now(), campaign.timezone)
    name = " ".join(args[1:]).strip()
    if name:
        chosen = campaign.round_named(name)
        if chosen is None:
            await reply(update, context, language, "export-unknown-round", name=name, rounds=rounds)
            return
    else:
        chosen = campaign.round_on(today) or campaign.latest_round_before(today)
        if chosen is None:
            await reply(update, context, language, "export-no-round", rounds=rounds)
            return
    async with context.db.read() as conn:
        people = await stored.round_activity(conn, chosen.name)
    if not people:
        await reply(update, context, language, "export-empty", round=chosen.name)
        return

    def label(key: str) -> str:
        return context.translator(language, key)

    round_name, minutes_per = chosen.name, campaign.rules.minutes_per_certification

    def build() -> tuple[hours_export.HoursExport, bytes, bytes]:
        data = hours_export.hours_export(round_name, people, minutes_per)
        return (data, *hours_export.files(data, label))

    # Seconds of CPU for a busy round: in a worker thread, so everyone else's updates (and the
    # scheduler's jobs) are answered meanwhile. The rows are plain data nobody else mutates.
    data, xlsx, csv = await asyncio.to_thread(build)
    base = context.translator(language, "export-file-name", round=chosen.name)
    for content, extension in ((xlsx, "xlsx"), (csv, "csv")):
        await context.bot.send_document(
            user.id,
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
    await context.bot.send_message(user.id, "\n\n".join(lines))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("export", export))
