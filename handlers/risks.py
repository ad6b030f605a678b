"""Risk reports in chat: /report (category buttons, location or address, photo or skip,
description), the leaders' buttons (forward to an agency, resolve with a note, reject with a
reason), and /export reports (xlsx and GeoJSON) for leaders.

Exact locations go to the leaders' private chats only, never to the campaign group."""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot.campaign import risk_reports
from bot.campaign.risk_reports import Answer, DraftStep, InvalidAnswer, Outcome
from bot.context import CampaignContext
from bot.i18n import language_for
from handlers.common import (
    button,
    keyboard,
    language_of,
    leader_language,
    leader_press,
    parse_int,
    remove_buttons,
    reply,
    typed_reason,
)
from storage import participants
from storage.risks import RiskReport

log = logging.getLogger(__name__)


def _category(context: CampaignContext, language: str, report: RiskReport) -> str:
    return context.translator(language, f"risk-category-{report.category or 'other'}")


def _place(context: CampaignContext, language: str, report: RiskReport) -> str:
    if report.latitude is not None and report.longitude is not None:
        return context.translator(
            language,
            "risk-place-coordinates",
            latitude=f"{report.latitude:.5f}",
            longitude=f"{report.longitude:.5f}",
        )
    return report.address or ""


def _agency(context: CampaignContext, language: str, agency: str | None) -> str:
    """The recorded agency name (older reports recorded a catalogue code instead)."""
    if agency in risk_reports.LEGACY_AGENCY_CODES:
        return context.translator(language, f"risk-agency-{agency}")
    return agency or ""


# ---- the participant's draft -----------------------------------------------------------------


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
        return t(language, "risk-ask-location"), None
    if step is DraftStep.PHOTO:
        return t(language, "risk-ask-photo"), keyboard(
            [button(context, language, "button-risk-skip-photo", "risk:skipphoto")]
        )
    if step is DraftStep.DESCRIPTION:
        return t(language, "risk-ask-description"), None
    return t(language, "risk-submitted"), None


async def _ask(update: Update, context: CampaignContext, language: str, report: RiskReport) -> None:
    user = update.effective_user
    assert user is not None
    body, markup = _question(context, language, report)
    await context.bot.send_message(user.id, body, reply_markup=markup)


async def _begin(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    assert user is not None
    language = await language_of(context, user)
    report = await risk_reports.begin(context.db, user.id, context.now())
    if report is None:
        await reply(update, context, language, "risk-not-participant")
        return
    await _ask(update, context, language, report)


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
    assert query is not None
    language = await language_of(context, query.from_user)
    code = (query.data or "").removeprefix("risk:cat:")
    report = await risk_reports.choose_category(context.db, query.from_user.id, code, context.now())
    await query.answer()
    if report is None:
        await remove_buttons(query)
        await reply(update, context, language, "risk-no-draft")
        return
    await remove_buttons(query)
    await _ask(update, context, language, report)


async def skip_photo_pressed(update: Update, context: CampaignContext) -> None:
    query = update.callback_query
    assert query is not None
    language = await language_of(context, query.from_user)
    report = await risk_reports.skip_photo(context.db, query.from_user.id, context.now())
    await query.answer()
    await remove_buttons(query)
    if report is None:
        await reply(update, context, language, "risk-no-draft")
        return
    await _ask(update, context, language, report)


async def draft_message(update: Update, context: CampaignContext) -> None:
    """A message while the person's report is open (the inbox routes it here)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = await language_of(context, user)
    given = Answer(text=message.text)
    if message.location is not None:
        given = Answer(latitude=message.location.latitude, longitude=message.location.longitude)
    elif message.photo:
        given = Answer(photo_file_id=message.photo[-1].file_id, photo_kind="photo")
    elif message.document is not None and (message.document.mime_type or "").startswith("image/"):
        given = Answer(photo_file_id=message.document.file_id, photo_kind="document")
    try:
        report = await risk_reports.answer(context.db, user.id, given, context.now())
    except InvalidAnswer as problem:
        await reply(update, context, language, problem.reason, **problem.args_for_message)
        return
    if report is None:
        await reply(update, context, language, "risk-no-draft")
        return
    await _ask(update, context, language, report)
    if report.status == "submitted":
        await _send_to_leaders(context, report)


# ---- the leaders -----------------------------------------------------------------------------


def _card_text(context: CampaignContext, language: str, report: RiskReport) -> str:
    return context.translator(
        language,
        "risk-card",
        id=report.id,
        status=context.translator(language, f"risk-status-{report.status}"),
        name=report.reporter_name,
        category=_category(context, language, report),
        place=_place(context, language, report),
        description=report.description or "",
    )


def _card_buttons(context: CampaignContext, language: str, report_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [button(context, language, "button-risk-forward", f"risk:fwd:{report_id}")],
        [
            button(context, language, "button-risk-resolve", f"risk:resolve:{report_id}"),
            button(context, language, "button-risk-reject", f"risk:reject:{report_id}"),
        ],
    )


async def _send_to_leaders(context: CampaignContext, report: RiskReport) -> None:
    """Every leader's private chat: the photo, the exact location, the card with its buttons."""
    language = language_for(None, None)
    for leader_id in sorted(context.settings.leader_ids):
        try:
            if report.photo_file_id:
                send = (
                    context.bot.send_document
                    if report.photo_kind == "document"
                    else context.bot.send_photo
                )
                await send(leader_id, report.photo_file_id)
            if report.latitude is not None and report.longitude is not None:
                await context.bot.send_location(
                    leader_id, latitude=report.latitude, longitude=report.longitude
                )
            await context.bot.send_message(
                leader_id,
                _card_text(context, language, report),
                reply_markup=_card_buttons(context, language, report.id),
            )
        except TelegramError as error:
            log.warning("risk report %s to leader %s failed: %s", report.id, leader_id, error)


def _report_id(data: str | None, parts: int = 3) -> int | None:
    pieces = (data or "").split(":")
    return parse_int(pieces[2]) if len(pieces) == parts else None


async def _refuse(query, context: CampaignContext, language: str, outcome: Outcome) -> None:  # type: ignore[no-untyped-def]
    key = "risk-already-closed" if outcome is Outcome.CLOSED else "risk-unknown"
    await query.answer(context.translator(language, key), show_alert=True)


async def forward_pressed(update: Update, context: CampaignContext) -> None:
    """Forward: leaders only; shows the agencies to choose from."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    found = await risk_reports.report_for_leader(context.db, _report_id(query.data))
    if found.outcome is not Outcome.DONE:
        await _refuse(query, context, language, found.outcome)
        return
    await query.answer()
    assert found.report is not None
    report_id = found.report.id
    # The position, not the name, travels in the button: names may be longer than the 64 bytes
    # of callback data.
    rows = [
        [InlineKeyboardButton(name, callback_data=f"risk:to:{report_id}:{index}")]
        for index, name in enumerate(context.campaign.risk_agencies)
    ]
    await context.bot.send_message(
        query.from_user.id,
        context.translator(language, "risk-ask-agency", id=report_id),
        reply_markup=keyboard(*rows),
    )


def _label_of(message: MaybeInaccessibleMessage | None, data: str | None) -> str | None:
    """The text of the pressed button as the leader saw it (None if it cannot be found)."""
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for key in row:
            if key.callback_data == data:
                return key.text
    return None


async def agency_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    pieces = (query.data or "").split(":")
    report_id = _report_id(query.data, parts=4)
    choice = parse_int(pieces[3]) if len(pieces) == 4 else None
    agency = risk_reports.agency_at(context.campaign.risk_agencies, choice)
    shown = _label_of(query.message, query.data)
    if agency is not None and shown is not None and shown != agency:
        # The campaign file's list changed since these buttons were sent: the position no longer
        # names the agency the leader saw.
        await query.answer(context.translator(language, "risk-agencies-changed"), show_alert=True)
        await remove_buttons(query)
        return
    done = await risk_reports.forward(
        context.db, report_id, agency, query.from_user.id, context.now()
    )
    if done.outcome is not Outcome.DONE:
        await _refuse(query, context, language, done.outcome)
        return
    await query.answer()
    await remove_buttons(query)
    report = done.report
    assert report is not None
    await reply(
        update,
        context,
        language,
        "risk-forwarded-done",
        id=report.id,
        agency=_agency(context, language, agency),
    )
    await tell_reporter(context, report, "risk-told-forwarded", agency=agency)


async def _ask_text(update: Update, context: CampaignContext, kind: str, key: str) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    found = await risk_reports.ask_for_text(
        context.db, _report_id(query.data), kind, query.from_user.id, context.now()
    )
    if found.outcome is not Outcome.DONE:
        await _refuse(query, context, language, found.outcome)
        return
    await query.answer()
    assert found.report is not None
    await context.bot.send_message(
        query.from_user.id,
        context.translator(language, key, id=found.report.id),
        reply_markup=keyboard([button(context, language, "button-risk-keep", "risk:keep")]),
    )


async def resolve_pressed(update: Update, context: CampaignContext) -> None:
    await _ask_text(update, context, risk_reports.RISK_RESOLVE_NOTE, "risk-ask-resolve-note")


async def reject_pressed(update: Update, context: CampaignContext) -> None:
    await _ask_text(update, context, risk_reports.RISK_REJECT_REASON, "risk-ask-reject-reason")


async def keep_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await risk_reports.drop_text_prompt(context.db, query.from_user.id)
    await query.answer()
    await remove_buttons(query)
    await reply(update, context, language, "risk-kept")


async def leader_text_typed(update: Update, context: CampaignContext, kind: str, ref: int) -> None:
    """The leader's note (resolve) or reason (reject); the inbox routes it here."""
    typed = await typed_reason(update, context, risk_reports.MAX_NOTE)
    if typed is None:
        return
    leader_id, language, text = typed
    done = await risk_reports.close(context.db, ref, kind, leader_id, text, context.now())
    if done.outcome is not Outcome.DONE:
        key = "risk-already-closed" if done.outcome is Outcome.CLOSED else "risk-unknown"
        await reply(update, context, language, key)
        return
    report = done.report
    assert report is not None
    if report.status == "resolved":
        await reply(update, context, language, "risk-resolved-done", id=report.id)
        await tell_reporter(context, report, "risk-told-resolved", note=text)
    else:
        await reply(update, context, language, "risk-rejected-done", id=report.id)
        await tell_reporter(context, report, "risk-told-rejected", reason=text)


async def tell_reporter(
    context: CampaignContext, report: RiskReport, key: str, agency: str = "", **args: str
) -> None:
    """The reporter hears what a leader did with their report (the chat and the console)."""
    if report.reporter_id < 0:  # the reporter erased their data: nobody to tell
        return
    language = await language_of_id(context, report.reporter_id)
    text = context.translator(
        language,
        key,
        category=_category(context, language, report),
        place=_place(context, language, report),
        agency=_agency(context, language, agency),
        **args,
    )
    try:
        await context.bot.send_message(report.reporter_id, text)
    except TelegramError as error:
        log.info(
            "could not tell reporter %s about report %s: %s", report.reporter_id, report.id, error
        )


async def language_of_id(context: CampaignContext, user_id: int) -> str:
    async with context.db.transaction() as conn:
        person = await participants.get(conn, user_id)
    return language_for(person.language if person else None, None)


# ---- /export reports -------------------------------------------------------------------------

COLUMNS = (
    "id",
    "status",
    "category",
    "latitude",
    "longitude",
    "address",
    "description",
    "agency",
    "note",
    "submitted",
    "updated",
)


async def export_reports(update: Update, context: CampaignContext) -> None:
    """/export reports: the reports as a spreadsheet and as GeoJSON (leaders only)."""
    language = await leader_language(update, context)
    if language is None:
        return
    user = update.effective_user
    assert user is not None
    files = await report_files(context, language)
    if files is None:
        await reply(update, context, language, "risk-export-none")
        return
    workbook, geojson, count = files
    stamp = context.now().astimezone(context.campaign.timezone).strftime("%Y%m%d")
    await context.bot.send_document(
        user.id,
        InputFile(workbook, filename=f"risk-reports-{stamp}.xlsx"),
        caption=context.translator(language, "risk-export-caption", count=count),
    )
    await context.bot.send_document(
        user.id, InputFile(geojson, filename=f"risk-reports-{stamp}.geojson")
    )


async def report_files(context: CampaignContext, language: str) -> tuple[bytes, bytes, int] | None:
    """The reports as .xlsx and GeoJSON and how many (None: no report yet); the chat's
    /export reports and the console's downloads."""
    found = await risk_reports.export_rows(context.db)
    if not found:
        return None
    t = context.translator
    rows = [
        risk_reports.ExportRow(
            report=report,
            category_name=_category(context, language, report),
            status_name=t(language, f"risk-status-{report.status}"),
            agency_name=_agency(context, language, report.agency),
            note=note or "",
        )
        for report, note in found
    ]
    headers = [t(language, f"risk-export-col-{column}") for column in COLUMNS]
    return risk_reports.workbook_bytes(rows, headers), risk_reports.geojson_bytes(rows), len(rows)


def register(application: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("report", report_command, filters=private))
    application.add_handler(CallbackQueryHandler(begin_pressed, pattern=r"^risk:begin$"))
    application.add_handler(CallbackQueryHandler(category_pressed, pattern=r"^risk:cat:"))
    application.add_handler(CallbackQueryHandler(skip_photo_pressed, pattern=r"^risk:skipphoto$"))
    application.add_handler(CallbackQueryHandler(forward_pressed, pattern=r"^risk:fwd:"))
    application.add_handler(CallbackQueryHandler(agency_pressed, pattern=r"^risk:to:"))
    application.add_handler(CallbackQueryHandler(resolve_pressed, pattern=r"^risk:resolve:"))
    application.add_handler(CallbackQueryHandler(reject_pressed, pattern=r"^risk:reject:"))
    application.add_handler(CallbackQueryHandler(keep_pressed, pattern=r"^risk:keep$"))
