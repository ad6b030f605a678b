"""The reporter's conversation: /report, then category buttons, location (one tap) or a typed
address, a photo or "skip", a description, and more places from the same patrol.

What follows a filed report (the leaders' copies) is in bot.notices.risk_news."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import (
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import risk_reports
from bot.campaign.risk_reports import Answer, DraftStep, InvalidAnswer
from bot.context import AnyApplication, CampaignContext
from bot.keyboards import button, keyboard
from bot.notices import risk_news
from bot.notices.participant_files import PhotoRefused, clean_copy
from handlers import RISK_BUTTONS
from handlers.common import remove_buttons, reply
from handlers.photos import fetch_and_inspect, incoming_photo
from storage.risks import RiskReport

log = logging.getLogger(__name__)


def _question(
    context: CampaignContext, language: str, report: RiskReport
) -> tuple[str, InlineKeyboardMarkup | None]:
    t = context.translator
    step = risk_reports.next_step(report)
    if step is DraftStep.CATEGORY:
        rows = [
            [button(context, language, f"risk-category-{code}", f"risk:cat:{code}")]
            for code in risk_reports.CATEGORIES
        ]
        return t(language, "risk-ask-category"), keyboard(*rows)
    if step is DraftStep.LOCATION:
        return t(language, "risk-ask-location"), None  # with the reply keyboard (ask)
    more = [button(context, language, "button-risk-more-place", "risk:more")]
    if step is DraftStep.PHOTO:
        return t(language, "risk-ask-photo"), keyboard(
            [button(context, language, "button-risk-skip-photo", "risk:skipphoto")], more
        )
    if step is DraftStep.DESCRIPTION:
        return t(language, "risk-ask-description"), keyboard(more)
    return t(language, "risk-submitted"), None


def _location_keyboard(context: CampaignContext, language: str) -> ReplyKeyboardMarkup:
    """One tap sends where the person stands; typing an address still works (the field stays)."""
    return ReplyKeyboardMarkup(
        [
            [
                KeyboardButton(
                    context.translator(language, "button-risk-send-location"), request_location=True
                )
            ]
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=context.translator(language, "risk-location-placeholder"),
    )


async def ask(update: Update, context: CampaignContext, language: str, report: RiskReport) -> None:
    """The draft's next question."""
    user = update.effective_user
    assert user is not None
    step = risk_reports.next_step(report)
    if step is DraftStep.LOCATION:
        await context.bot.send_message(
            user.id,
            context.translator(language, "risk-ask-location"),
            reply_markup=_location_keyboard(context, language),
        )
        return
    if step is DraftStep.SAME_PLACE:
        await _show_nearby(context, user.id, language, report)
        return
    body, markup = _question(context, language, report)
    await context.bot.send_message(user.id, body, reply_markup=markup)


def when(context: CampaignContext, report: RiskReport) -> str:
    moment = report.submitted_at or report.created_at
    return moment.astimezone(context.campaign.timezone).strftime("%Y-%m-%d")


async def _show_nearby(
    context: CampaignContext, chat_id: int, language: str, draft: RiskReport
) -> None:
    """The open report this place matched: its photo (re-encoded by the bot), when, status and
    how many noticed it; never who reported it."""
    nearby = await risk_reports.nearby_of(context.db, draft)
    if nearby is None:  # gone meanwhile: carry on as a new report
        await risk_reports.apart(context.db, chat_id, draft.id, context.now())
        refreshed = replace(draft, nearby_id=None)
        body, markup = _question(context, language, refreshed)
        await context.bot.send_message(chat_id, body, reply_markup=markup)
        return
    t = context.translator
    found = nearby.report
    distance = (
        t(language, "risk-nearby-metres", metres=round(nearby.metres))
        if nearby.metres is not None
        else t(language, "risk-nearby-same-address")
    )
    text = t(
        language,
        "risk-nearby",
        category=risk_news.category_name(context, language, found),
        distance=distance,
        date=when(context, found),
        status=t(language, f"risk-status-{found.status}"),
        count=found.noticed,
    )
    markup = keyboard(
        [button(context, language, "button-risk-same-place", f"risk:same:{draft.id}")],
        [button(context, language, "button-risk-other-place", f"risk:apart:{draft.id}")],
    )
    if nearby.photo is not None:
        sent = await context.bot.send_photo(
            chat_id,
            InputFile(nearby.photo, filename="report.jpg"),
            caption=text,
            reply_markup=markup,
        )
        # The found report's picture in someone else's chat: its reporter's /delete takes it.
        await risk_news.remember_picture(context, found.id, sent, "nearby")
    else:
        await context.bot.send_message(chat_id, text, reply_markup=markup)


async def _begin(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    assert user is not None
    language = context.language
    report = await risk_reports.begin(context.db, user.id, context.now())
    if report is None:
        await reply(update, context, language, "risk-not-participant")
        return
    await ask(update, context, language, report)


async def report_command(update: Update, context: CampaignContext) -> None:
    """/report: start a risk report (approved participants)."""
    await _begin(update, context)


async def begin_pressed(update: Update, context: CampaignContext) -> None:
    """The "report a risk" button under an accepted certification."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await _begin(update, context)


async def category_pressed(update: Update, context: CampaignContext) -> None:
    query = update.callback_query
    assert query is not None and context.match is not None
    language = context.language
    code = context.match.group("category")
    report = await risk_reports.choose_category(context.db, query.from_user.id, code, context.now())
    await query.answer()
    if report is None:
        await remove_buttons(query)
        await reply(update, context, language, "risk-no-draft")
        return
    await remove_buttons(query)
    await ask(update, context, language, report)


async def skip_photo_pressed(update: Update, context: CampaignContext) -> None:
    query = update.callback_query
    assert query is not None
    language = context.language
    report = await risk_reports.skip_photo(context.db, query.from_user.id, context.now())
    await query.answer()
    await remove_buttons(query)
    if report is None:
        await reply(update, context, language, "risk-no-draft")
        return
    await ask(update, context, language, report)


async def draft_message(update: Update, context: CampaignContext) -> None:
    """A message while the person's report is open (the inbox routes it here)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    before = await risk_reports.draft_step(context.db, user.id)
    if message.location is not None and before in (DraftStep.PHOTO, DraftStep.DESCRIPTION):
        await _another_place(update, context, language)
        return
    given = Answer(text=message.text)
    picture = incoming_photo(message)
    if message.location is not None:
        given = Answer(latitude=message.location.latitude, longitude=message.location.longitude)
    elif picture is not None:
        if before is DraftStep.PHOTO:
            # Checked as a certification photo is (the same download limits, decode and memory
            # budget), so a file that only claims to be a picture is answered, not filed.
            try:
                await fetch_and_inspect(context, picture)
            except PhotoRefused as refusal:
                await reply(update, context, language, refusal.reason)
                draft = await risk_reports.current_draft(context.db, user.id)
                if draft is not None:
                    await ask(update, context, language, draft)
                return
        given = Answer(photo_file_id=picture.file_id, photo_kind=picture.kind)
    try:
        report = await risk_reports.answer(
            context.db, user.id, given, context.now(), area=context.campaign.risk_area
        )
    except InvalidAnswer as problem:
        # At the location step the location button comes back with the reason.
        markup = _location_keyboard(context, language) if before is DraftStep.LOCATION else None
        await context.bot.send_message(
            user.id,
            context.translator(language, problem.reason, **problem.args_for_message),
            reply_markup=markup,
        )
        return
    if report is None:
        await reply(update, context, language, "risk-no-draft")
        return
    if before is DraftStep.LOCATION:
        # The place is known: take the location keyboard away (Telegram keeps a reply keyboard
        # until a message removes it).
        await context.bot.send_message(
            user.id,
            context.translator(language, "risk-location-received"),
            reply_markup=ReplyKeyboardRemove(),
        )
    await ask(update, context, language, report)
    if report.status == "submitted":
        filed = await risk_reports.patrol_of(context.db, report)
        await risk_news.file_with_leaders(context, filed, await _clean_copies(context, filed))


async def _clean_copies(context: CampaignContext, filed: list[RiskReport]) -> dict[str, bytes]:
    """The clean copy of each photo of a patrol's reports (they share one), made once: the
    leaders are sent it and it is kept as the before photo."""
    copies: dict[str, bytes] = {}
    for report in filed:
        file_id = report.photo_file_id
        if file_id and file_id not in copies:
            copy = await clean_copy(context.bot, file_id)
            if copy is not None:
                copies[file_id] = copy
    return copies


async def more_place_pressed(update: Update, context: CampaignContext) -> None:
    """ "One more place": the location button again, for the next spot of the same patrol."""
    query = update.callback_query
    assert query is not None
    language = context.language
    await query.answer()
    await context.bot.send_message(
        query.from_user.id,
        context.translator(language, "risk-ask-more-place"),
        reply_markup=_location_keyboard(context, language),
    )


async def _another_place(update: Update, context: CampaignContext, language: str) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.location is not None and user is not None
    location = message.location
    try:
        count = await risk_reports.add_place(
            context.db,
            user.id,
            location.latitude,
            location.longitude,
            context.now(),
            area=context.campaign.risk_area,
        )
    except InvalidAnswer as problem:
        await context.bot.send_message(
            user.id,
            context.translator(language, problem.reason, **problem.args_for_message),
            reply_markup=ReplyKeyboardRemove(),
        )
        return
    if count is None:
        await reply(update, context, language, "risk-no-draft")
        return
    await context.bot.send_message(
        user.id,
        context.translator(language, "risk-place-added", count=count),
        reply_markup=ReplyKeyboardRemove(),
    )
    draft = await risk_reports.current_draft(context.db, user.id)
    if draft is not None:
        await ask(update, context, language, draft)


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("report", report_command, filters=private))
    application.add_handler(CallbackQueryHandler(begin_pressed, pattern=RISK_BUTTONS["begin"]))
    application.add_handler(CallbackQueryHandler(category_pressed, pattern=RISK_BUTTONS["cat"]))
    application.add_handler(
        CallbackQueryHandler(skip_photo_pressed, pattern=RISK_BUTTONS["skipphoto"])
    )
    application.add_handler(CallbackQueryHandler(more_place_pressed, pattern=RISK_BUTTONS["more"]))
