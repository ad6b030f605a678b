"""The people who noticed a place: "same place" (follow the open report) or "another place",
/myreports with what became of each, and "is it fixed?" with a photo of the place now.

The news they hear (forwarded, fixed, not taken further) is in bot.notices.risk_news."""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import risk_reports
from bot.campaign.risk_reports import JoinOutcome, Outcome
from bot.context import AnyApplication, CampaignContext
from bot.keyboards import keyboard
from bot.notices import risk_news
from bot.notices.participant_files import clean_copy
from handlers import RISK_BUTTONS
from handlers.common import remove_buttons, reply
from handlers.risk_leaders import picture_of, pressed_ids, refuse
from handlers.risk_reporting import ask, when


async def same_place_pressed(update: Update, context: CampaignContext) -> None:
    """ "Same place": follow the open report instead of filing a new one."""
    query = update.callback_query
    assert query is not None
    language = context.language
    await query.answer()
    await remove_buttons(query)
    (draft_id,) = pressed_ids(context)
    user_id = query.from_user.id
    joined = await risk_reports.same_place(
        context.db, user_id, draft_id, context.now(), risk_news.noticed_notices(context, user_id)
    )
    if joined.outcome is JoinOutcome.NO_DRAFT:
        await reply(update, context, language, "risk-no-draft")
        return
    if joined.outcome is JoinOutcome.GONE:
        assert joined.report is not None
        await reply(update, context, language, "risk-nearby-gone")
        await ask(update, context, language, joined.report)
        return
    report = joined.report
    assert report is not None
    key = "risk-joined" if joined.outcome is JoinOutcome.JOINED else "risk-joined-already"
    await reply(update, context, language, key, count=report.noticed)
    if joined.outcome is JoinOutcome.JOINED:
        await risk_news.followed(context, report, user_id)


async def other_place_pressed(update: Update, context: CampaignContext) -> None:
    """ "Another place": a report of its own."""
    query = update.callback_query
    assert query is not None
    language = context.language
    await query.answer()
    await remove_buttons(query)
    (draft_id,) = pressed_ids(context)
    report = await risk_reports.apart(context.db, query.from_user.id, draft_id, context.now())
    if report is None:
        await reply(update, context, language, "risk-no-draft")
        return
    await ask(update, context, language, report)


async def my_reports(update: Update, context: CampaignContext) -> None:
    """/myreports: the person's reports with what became of them; open ones can be checked."""
    user = update.effective_user
    assert user is not None
    language = context.language
    found = await risk_reports.reports_of(context.db, user.id)
    if not found:
        await reply(update, context, language, "risk-mine-none")
        return
    t = context.translator
    lines = [t(language, "risk-mine-title")]
    rows: list[list[InlineKeyboardButton]] = []
    for report in found:
        lines.append(
            t(
                language,
                "risk-mine-line",
                id=report.id,
                category=risk_news.category_name(context, language, report),
                status=t(language, f"risk-status-{report.status}"),
                date=when(context, report),
                count=report.noticed,
            )
        )
        if report.status in risk_reports.OPEN_STATUSES and len(rows) < 10:
            rows.append(
                [
                    InlineKeyboardButton(
                        t(language, "button-risk-check", id=report.id),
                        callback_data=f"risk:check:{report.id}",
                    )
                ]
            )
    await context.bot.send_message(user.id, "\n".join(lines), reply_markup=keyboard(*rows))


async def check_pressed(update: Update, context: CampaignContext) -> None:
    """ "Check whether it is fixed": the next photo shows the place now."""
    query = update.callback_query
    assert query is not None
    language = context.language
    (report_id,) = pressed_ids(context)
    found = await risk_reports.ask_for_check(
        context.db, query.from_user.id, report_id, context.now()
    )
    if found.outcome is not Outcome.DONE:
        await refuse(query, context, language, found.outcome)
        return
    await query.answer()
    assert found.report is not None
    await reply(update, context, language, "risk-ask-check-photo", id=found.report.id)


async def check_photo_received(update: Update, context: CampaignContext, report_id: int) -> None:
    """The reporter's photo of the place now: the leaders decide whether it is fixed."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    file_id = picture_of(message)
    if file_id is None:
        await reply(update, context, language, "risk-invalid-check-photo")
        return
    jpeg = await clean_copy(context.bot, file_id)
    if jpeg is None:
        await reply(update, context, language, "risk-after-photo-unreadable")
        return
    found, photo_id = await risk_reports.propose_after_photo(
        context.db, user.id, report_id, file_id, jpeg, context.now()
    )
    if found.outcome is not Outcome.DONE or photo_id is None:
        key = "risk-already-closed" if found.outcome is Outcome.CLOSED else "risk-unknown"
        await reply(update, context, language, key)
        return
    report = found.report
    assert report is not None
    await reply(update, context, language, "risk-check-sent")
    await risk_news.send_check_to_leaders(context, report, photo_id, jpeg)


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("myreports", my_reports, filters=private))
    application.add_handler(CallbackQueryHandler(same_place_pressed, pattern=RISK_BUTTONS["same"]))
    application.add_handler(
        CallbackQueryHandler(other_place_pressed, pattern=RISK_BUTTONS["apart"])
    )
    application.add_handler(CallbackQueryHandler(check_pressed, pattern=RISK_BUTTONS["check"]))
