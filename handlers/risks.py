"""Risk reports in chat: /report (category buttons, location or address, photo or skip,
description), the leaders' buttons (forward to an agency, resolve with a note, reject with a
reason), and /export reports (xlsx and GeoJSON) for leaders.

Exact locations go to the leaders' private chats only, never to the campaign group."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    MaybeInaccessibleMessage,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot.campaign import risk_reports
from bot.campaign.conversation import Expecting
from bot.campaign.rhythm import Planned
from bot.campaign.risk_reports import Answer, DraftStep, InvalidAnswer, JoinOutcome, Outcome
from bot.client_input import parse_int
from bot.context import AnyApplication, CampaignContext
from bot.i18n import language_for
from bot.keyboards import button, keyboard
from bot.media import reencode
from bot.media.photo_check import decode_in_turn
from bot.notices.participant_files import clean_copy
from bot.outbox_sender import deliver_planned
from handlers.common import leader_language, leader_press, remove_buttons, reply, typed_reason
from storage import risks
from storage.outbox import Notice
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
        return t(language, "risk-ask-location"), None  # with the reply keyboard (_ask)
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


async def _ask(update: Update, context: CampaignContext, language: str, report: RiskReport) -> None:
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


def _when(context: CampaignContext, report: RiskReport) -> str:
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
        category=_category(context, language, found),
        distance=distance,
        date=_when(context, found),
        status=t(language, f"risk-status-{found.status}"),
        count=found.noticed,
    )
    markup = keyboard(
        [button(context, language, "button-risk-same-place", f"risk:same:{draft.id}")],
        [button(context, language, "button-risk-other-place", f"risk:apart:{draft.id}")],
    )
    if nearby.photo is not None:
        await context.bot.send_photo(
            chat_id,
            InputFile(nearby.photo, filename="report.jpg"),
            caption=text,
            reply_markup=markup,
        )
    else:
        await context.bot.send_message(chat_id, text, reply_markup=markup)


async def same_place_pressed(update: Update, context: CampaignContext) -> None:
    """ "Same place": follow the open report instead of filing a new one."""
    query = update.callback_query
    assert query is not None
    language = context.language
    await query.answer()
    await remove_buttons(query)
    draft_id = _report_id(query.data)
    leader_language_ = language_for(None, None)

    def tell_leaders(report: RiskReport) -> list[Notice]:
        text = context.translator(
            leader_language_,
            "risk-noticed-leader",
            id=report.id,
            category=_category(context, leader_language_, report),
            count=report.noticed,
        )
        return [
            Notice(risk_reports.noticed_key(report.id, query.from_user.id, leader), leader, text)
            for leader in sorted(context.settings.leader_ids)
        ]

    joined = await risk_reports.same_place(
        context.db, query.from_user.id, draft_id, context.now(), tell_leaders
    )
    if joined.outcome is JoinOutcome.NO_DRAFT:
        await reply(update, context, language, "risk-no-draft")
        return
    if joined.outcome is JoinOutcome.GONE:
        assert joined.report is not None
        await reply(update, context, language, "risk-nearby-gone")
        await _ask(update, context, language, joined.report)
        return
    report = joined.report
    assert report is not None
    key = "risk-joined" if joined.outcome is JoinOutcome.JOINED else "risk-joined-already"
    await reply(update, context, language, key, count=report.noticed)
    if joined.outcome is JoinOutcome.JOINED:
        await deliver_planned(
            context.services.outbox,
            [
                risk_reports.noticed_key(report.id, query.from_user.id, leader)
                for leader in sorted(context.settings.leader_ids)
            ],
        )


async def other_place_pressed(update: Update, context: CampaignContext) -> None:
    """ "Another place": a report of its own."""
    query = update.callback_query
    assert query is not None
    language = context.language
    await query.answer()
    await remove_buttons(query)
    report = await risk_reports.apart(
        context.db, query.from_user.id, _report_id(query.data), context.now()
    )
    if report is None:
        await reply(update, context, language, "risk-no-draft")
        return
    await _ask(update, context, language, report)


async def _begin(update: Update, context: CampaignContext) -> None:
    user = update.effective_user
    assert user is not None
    language = context.language
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
    language = context.language
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
    language = context.language
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
    language = context.language
    before = await risk_reports.draft_step(context.db, user.id)
    if message.location is not None and before in (DraftStep.PHOTO, DraftStep.DESCRIPTION):
        await _another_place(update, context, language)
        return
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
        await reply(update, context, language, problem.reason, None, **problem.args_for_message)
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
    await _ask(update, context, language, report)
    if report.status == "submitted":
        filed = await risk_reports.patrol_of(context.db, report)
        copies = await _clean_copies(context, filed)
        for each in filed:
            await _send_to_leaders(context, each, copies.get(each.photo_file_id or ""))
        await _keep_before_photo(context, filed, copies)


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
            context.db, user.id, location.latitude, location.longitude, context.now()
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
        await _ask(update, context, language, draft)


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
        count=report.noticed,
    )


def _card_buttons(
    context: CampaignContext, language: str, report: RiskReport
) -> InlineKeyboardMarkup | None:
    """The buttons that still apply: all while new, no forward once forwarded, none once
    closed (resolved, rejected or merged)."""
    if report.status not in risk_reports.OPEN_STATUSES:
        return None
    rows = [
        [
            button(context, language, "button-risk-resolve", f"risk:resolve:{report.id}"),
            button(context, language, "button-risk-reject", f"risk:reject:{report.id}"),
        ],
        [button(context, language, "button-risk-merge", f"risk:merge:{report.id}")],
    ]
    if report.status == "submitted":
        rows.insert(0, [button(context, language, "button-risk-forward", f"risk:fwd:{report.id}")])
    return keyboard(*rows)


async def refresh_cards(context: CampaignContext, report_id: int) -> None:
    """Show the report as it is now on every leader's copy of its card, with the buttons that
    still apply (after a change from the chat or the console). A copy that cannot be edited
    (deleted, too old) is logged: the change itself stands."""
    async with context.db.read() as conn:
        report = await risks.get(conn, report_id)
        copies = await risks.cards(conn, report_id)
    if report is None:
        return
    language = language_for(None, None)
    text = _card_text(context, language, report)
    markup = _card_buttons(context, language, report)
    for chat_id, message_id in copies:
        try:
            await context.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                log.info("could not update risk card %s/%s: %s", chat_id, message_id, error)
        except TelegramError as error:
            log.warning("could not update risk card %s/%s: %s", chat_id, message_id, error)


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


async def _keep_before_photo(
    context: CampaignContext, filed: list[RiskReport], copies: dict[str, bytes]
) -> None:
    """Keep the reports' shared photo as the bot re-encoded it, so that others only ever see
    the bot's copy."""
    jpeg = copies.get(filed[0].photo_file_id or "") if filed else None
    if jpeg is not None:
        for report in filed:
            await risk_reports.keep_before_photo(context.db, report.id, jpeg, context.now())


async def _send_to_leaders(
    context: CampaignContext, report: RiskReport, copy: bytes | None
) -> None:
    """Every leader's private chat: the photo (``copy``, re-encoded), the exact location, the
    card."""
    language = language_for(None, None)
    # Never the participant's own file (a document keeps its GPS and phone data): a copy the
    # bot re-encoded, uploaded once and then re-used by the id Telegram gave the bot's upload.
    picture: bytes | str | None = copy
    cards: list[tuple[int, int]] = []
    for leader_id in sorted(context.settings.leader_ids):
        try:
            if picture is not None:
                sent = await context.bot.send_photo(leader_id, picture)
                if sent.photo:
                    picture = sent.photo[-1].file_id
            if report.latitude is not None and report.longitude is not None:
                await context.bot.send_location(
                    leader_id, latitude=report.latitude, longitude=report.longitude
                )
            card = await context.bot.send_message(
                leader_id,
                _card_text(context, language, report),
                reply_markup=_card_buttons(context, language, report),
            )
            cards.append((leader_id, card.message_id))
        except TelegramError as error:
            log.warning("risk report %s to leader %s failed: %s", report.id, leader_id, error)
    # Remembered so that a forward, resolve or reject shows on every copy (refresh_cards).
    await risk_reports.remember_cards(context.db, report.id, cards)


def _report_id(data: str | None, parts: int = 3) -> int | None:
    pieces = (data or "").split(":")
    return parse_int(pieces[2]) if len(pieces) == parts else None


async def _refuse(
    query: CallbackQuery, context: CampaignContext, language: str, outcome: Outcome
) -> None:
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
    done = await forward_report(context, report_id, agency, query.from_user.id)
    if done.outcome is not Outcome.DONE:
        await _refuse(query, context, language, done.outcome)
        return
    await query.answer()
    await remove_buttons(query)
    report = done.report
    assert report is not None
    await _send_handoff(context, query.from_user.id, language, report)
    await reply(
        update,
        context,
        language,
        "risk-forwarded-done",
        id=report.id,
        agency=_agency(context, language, agency),
    )


async def forward_report(
    context: CampaignContext, report_id: int | None, agency: str | None, leader_id: int
) -> risk_reports.Decision:
    """Forward to an agency, with the news to everyone who noticed the place planned with it and
    sent at once, and every leader's card updated (the chat's buttons and the console)."""
    changed = await risk_reports.forward(
        context.db,
        report_id,
        agency,
        leader_id,
        context.now(),
        news=lambda report, people: _forward_news(context, report, people),
    )
    await deliver_planned(context.services.outbox, changed.deliver_now)
    found = changed.decision.report
    if changed.decision.outcome is Outcome.DONE and found is not None:
        await refresh_cards(context, found.id)
    return changed.decision


def _forward_news(
    context: CampaignContext, report: RiskReport, people: list[tuple[int, str | None]]
) -> list[Planned]:
    """ "Your report was passed to ...": one message per person and agency, so that a press
    delivered twice tells them once."""
    messages = []
    for user_id, stored_language in people:
        language = language_for(stored_language, None)
        text = context.translator(
            language,
            "risk-told-forwarded",
            category=_category(context, language, report),
            place=_place(context, language, report),
            agency=_agency(context, language, report.agency),
        )
        key = f"risk-news:{report.id}:forwarded:{report.agency}:{user_id}"
        messages.append(Planned(key, user_id, "text", {"text": text}))
    return messages


# The official channels have no public submission API: the leader files the report by hand.
SAFETY_REPORT_URL = "https://www.safetyreport.go.kr"  # Safety e-Report (Ministry of the Interior)
PATROL_REPORT_URL = (
    "https://www.police.go.kr"  # the patrol request board is on the National Police Agency site
)


async def _send_handoff(
    context: CampaignContext, chat_id: int, language: str, report: RiskReport
) -> None:
    """A block to copy into the official sites (category, address, coordinates, dates,
    description), the photo to attach (the bot's copy, no metadata) and links to the sites."""
    t = context.translator
    tz = context.campaign.timezone
    coordinates = (
        f"{report.latitude:.6f}, {report.longitude:.6f}"
        if report.latitude is not None and report.longitude is not None
        else t(language, "risk-handoff-none")
    )
    forwarded = report.forwarded_at or context.now()
    text = t(
        language,
        "risk-handoff",
        id=report.id,
        category=_category(context, language, report),
        address=report.address or t(language, "risk-handoff-none"),
        coordinates=coordinates,
        found=(report.submitted_at or report.created_at).astimezone(tz).strftime("%Y-%m-%d"),
        forwarded=forwarded.astimezone(tz).strftime("%Y-%m-%d"),
        description=report.description or "",
        count=report.noticed,
    )
    links = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t(language, "button-risk-safety-report"), url=SAFETY_REPORT_URL)],
            [InlineKeyboardButton(t(language, "button-risk-patrol-report"), url=PATROL_REPORT_URL)],
        ]
    )
    try:
        photo = await risk_reports.before_photo(context.db, report.id)
        if photo is not None:
            await context.bot.send_photo(
                chat_id, InputFile(photo, filename=f"report-{report.id}.jpg")
            )
        await context.bot.send_message(chat_id, text, reply_markup=links)
    except TelegramError as error:
        log.warning("handoff of report %s failed: %s", report.id, error)


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
    rows = [[button(context, language, "button-risk-keep", "risk:keep")]]
    if kind == Expecting.RISK_RESOLVE_NOTE:
        rows.insert(
            0,
            [
                button(
                    context, language, "button-risk-resolve-bare", f"risk:fixed:{found.report.id}"
                )
            ],
        )
    await context.bot.send_message(
        query.from_user.id,
        context.translator(language, key, id=found.report.id),
        reply_markup=keyboard(*rows),
    )


async def resolve_pressed(update: Update, context: CampaignContext) -> None:
    """Resolve: the leader's next message is the after photo (its caption the note) or a note."""
    await _ask_text(update, context, Expecting.RISK_RESOLVE_NOTE, "risk-ask-resolve-note")


async def resolve_bare_pressed(update: Update, context: CampaignContext) -> None:
    """Resolved, with neither photo nor note."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await query.answer()
    await remove_buttons(query)
    report_id = _report_id(query.data)
    if report_id is None:
        return
    await _close(update, context, language, report_id, Expecting.RISK_RESOLVE_NOTE, None, None)


async def reject_pressed(update: Update, context: CampaignContext) -> None:
    await _ask_text(update, context, Expecting.RISK_REJECT_REASON, "risk-ask-reject-reason")


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
    """The leader's answer to resolve (an after photo, its caption the note, or a note) or to
    reject (the reason); the inbox routes it here."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    after: risk_reports.AfterPhoto | None = None
    note: str | None
    picture = _picture_of(message)
    if kind == Expecting.RISK_RESOLVE_NOTE and picture is not None:
        note = (message.caption or "").strip()[: risk_reports.MAX_NOTE] or None
        after = await _after_photo(context, ref, picture, user.id)
        if after is None:
            await reply(update, context, language, "risk-after-photo-unreadable")
            return
    else:
        typed = await typed_reason(update, context, risk_reports.MAX_NOTE)
        if typed is None:
            return
        note = typed[2]
    await _close(update, context, language, ref, kind, note, after)


def _picture_of(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    if message.document is not None and (message.document.mime_type or "").startswith("image/"):
        return message.document.file_id
    return None


async def _after_photo(
    context: CampaignContext, report_id: int, file_id: str, taken_by: int
) -> risk_reports.AfterPhoto | None:
    """The after photo re-encoded, and the before/after pair the followers are shown."""
    jpeg = await clean_copy(context.bot, file_id)
    if jpeg is None:
        return None
    return risk_reports.AfterPhoto(file_id, taken_by, jpeg, await _pair(context, report_id, jpeg))


async def _pair(context: CampaignContext, report_id: int, after: bytes) -> bytes:
    """The report's before photo and ``after`` (both the bot's re-encoded copies) side by side,
    drawn on the photo threads."""
    before = await risk_reports.before_photo(context.db, report_id)
    t = context.translator
    labels = (t("ko", "risk-photo-before"), t("ko", "risk-photo-after"))
    return await decode_in_turn(partial(reencode.before_after, before, labels=labels), after)


async def _close(
    update: Update,
    context: CampaignContext,
    language: str,
    report_id: int,
    kind: str,
    note: str | None,
    after: risk_reports.AfterPhoto | None,
) -> None:
    leader_id = update.effective_user.id if update.effective_user else 0
    done = await close_report(context, report_id, kind, leader_id, note, after)
    if done.outcome is not Outcome.DONE:
        key = "risk-already-closed" if done.outcome is Outcome.CLOSED else "risk-unknown"
        await reply(update, context, language, key)
        return
    report = done.report
    assert report is not None
    key = "risk-resolved-done" if report.status == "resolved" else "risk-rejected-done"
    await reply(update, context, language, key, id=report.id)


async def close_report(
    context: CampaignContext,
    report_id: int,
    kind: str,
    leader_id: int,
    note: str | None,
    after: risk_reports.AfterPhoto | None = None,
) -> risk_reports.Decision:
    """Resolve or reject, with the news to everyone who noticed the place planned with it and
    sent at once (the chat's buttons and the console)."""
    closed = await risk_reports.close(
        context.db,
        report_id,
        kind,
        leader_id,
        note,
        context.now(),
        after=after,
        news=lambda report, people, pair_id, after_id: _news(
            context, report, people, note, pair_id, after_id
        ),
    )
    await deliver_planned(context.services.outbox, closed.deliver_now)
    if closed.decision.outcome is Outcome.DONE:
        await refresh_cards(context, report_id)
    return closed.decision


def _news(
    context: CampaignContext,
    report: RiskReport,
    people: list[tuple[int, str | None]],
    note: str | None,
    pair_id: int | None,
    after_id: int | None,
) -> list[Planned]:
    """What the people who noticed the place hear (the before/after pair when there is an after
    photo), and the group's short "fixed" post: category and area (dong) only."""
    t = context.translator
    messages = []
    for user_id, stored_language in people:
        language = language_for(stored_language, None)
        args: dict[str, Any] = {
            "category": _category(context, language, report),
            "place": _place(context, language, report),
        }
        if report.status == "resolved":
            text = t(language, "risk-told-resolved", note=note or "", **args)
        else:
            text = t(language, "risk-told-rejected", reason=note or "", **args)
        key = f"risk-news:{report.id}:{report.status}:{user_id}"
        if pair_id is not None:
            payload: dict[str, Any] = {
                "render": {"name": "risk_photo", "params": {"photo_id": pair_id}},
                "caption": text[:1024],
            }
            messages.append(Planned(key, user_id, "photo", payload))
        else:
            messages.append(Planned(key, user_id, "text", {"text": text}))
    group = context.settings.group_chat_id
    if group is not None and after_id is not None and report.status == "resolved":
        language = language_for(None, None)
        caption = t(
            language,
            "risk-fixed-group",
            category=_category(context, language, report),
            area=report.area or t(language, "risk-area-unknown"),
        )
        messages.append(
            Planned(
                f"risk-fixed:{report.id}",
                group,
                "photo",
                {
                    "render": {"name": "risk_photo", "params": {"photo_id": after_id}},
                    "caption": caption,
                },
            )
        )
    return messages


# ---- the reporter's list: "is it fixed?" on a later patrol --------------------------------------


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
                category=_category(context, language, report),
                status=t(language, f"risk-status-{report.status}"),
                date=_when(context, report),
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
    found = await risk_reports.ask_for_check(
        context.db, query.from_user.id, _report_id(query.data), context.now()
    )
    if found.outcome is not Outcome.DONE:
        await _refuse(query, context, language, found.outcome)
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
    file_id = _picture_of(message)
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
    leader_language_ = language_for(None, None)
    t = context.translator
    markup = keyboard(
        [
            button(
                context, leader_language_, "button-risk-confirm", f"risk:ok:{report.id}:{photo_id}"
            )
        ],
        [button(context, leader_language_, "button-risk-not-yet", f"risk:notyet:{report.id}")],
    )
    caption = t(
        leader_language_,
        "risk-check-leader",
        id=report.id,
        category=_category(context, leader_language_, report),
        place=_place(context, leader_language_, report),
    )
    for leader_id in sorted(context.settings.leader_ids):
        try:
            await context.bot.send_photo(
                leader_id,
                InputFile(jpeg, filename="now.jpg"),
                caption=caption,
                reply_markup=markup,
            )
        except TelegramError as error:
            log.warning("check of report %s to leader %s failed: %s", report.id, leader_id, error)


async def confirm_pressed(update: Update, context: CampaignContext) -> None:
    """A leader agrees the reporter's photo shows the place fixed: resolved with it."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    pieces = (query.data or "").split(":")
    report_id = parse_int(pieces[2]) if len(pieces) == 4 else None
    photo_id = parse_int(pieces[3]) if len(pieces) == 4 else None
    stored = (
        None
        if report_id is None or photo_id is None
        else await risk_reports.proposed_photo(context.db, report_id, photo_id)
    )
    if report_id is None or stored is None:
        await _refuse(query, context, language, Outcome.UNKNOWN)
        return
    await query.answer()
    await remove_buttons(query)
    pair = await _pair(context, report_id, stored.jpeg)
    after = risk_reports.AfterPhoto(
        stored.file_id or "", stored.taken_by or query.from_user.id, stored.jpeg, pair
    )
    await _close(update, context, language, report_id, Expecting.RISK_RESOLVE_NOTE, None, after)


async def not_yet_pressed(update: Update, context: CampaignContext) -> None:
    """Not fixed yet: the report stays open (and counts as looked at today)."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    done = await risk_reports.still_open(
        context.db, _report_id(query.data), query.from_user.id, context.now()
    )
    if done.outcome is not Outcome.DONE:
        await _refuse(query, context, language, done.outcome)
        return
    await query.answer()
    await remove_buttons(query)
    assert done.report is not None
    await reply(update, context, language, "risk-still-open-done", id=done.report.id)


# ---- merging two reports of one place ---------------------------------------------------------


async def merge_pressed(update: Update, context: CampaignContext) -> None:
    """Merge: the open reports nearby (or at the same typed address) to merge this one into."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    report_id = _report_id(query.data)
    found = await risk_reports.report_for_leader(context.db, report_id)
    if found.outcome is not Outcome.DONE:
        await _refuse(query, context, language, found.outcome)
        return
    await query.answer()
    assert found.report is not None
    candidates = await risk_reports.merge_candidates(context.db, found.report.id)
    if not candidates:
        await reply(update, context, language, "risk-merge-none", id=found.report.id)
        return
    t = context.translator
    rows = [
        [
            InlineKeyboardButton(
                t(
                    language,
                    "button-risk-merge-into",
                    id=other.id,
                    category=_category(context, language, other),
                    distance=(
                        t(language, "risk-nearby-metres", metres=round(metres))
                        if metres is not None
                        else t(language, "risk-nearby-same-address")
                    ),
                ),
                callback_data=f"risk:into:{found.report.id}:{other.id}",
            )
        ]
        for other, metres in candidates
    ]
    await context.bot.send_message(
        query.from_user.id,
        t(language, "risk-ask-merge", id=found.report.id),
        reply_markup=keyboard(*rows),
    )


async def merge_into_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    pieces = (query.data or "").split(":")
    source = parse_int(pieces[2]) if len(pieces) == 4 else None
    target = parse_int(pieces[3]) if len(pieces) == 4 else None
    done = await risk_reports.merge(context.db, source, target, query.from_user.id, context.now())
    if done.outcome is not Outcome.DONE:
        await _refuse(query, context, language, done.outcome)
        return
    await query.answer()
    await remove_buttons(query)
    assert done.report is not None
    for changed in (source, done.report.id):
        if changed is not None:
            await refresh_cards(context, changed)
    await reply(
        update,
        context,
        language,
        "risk-merged-done",
        source=source or 0,
        id=done.report.id,
        count=done.report.noticed,
    )


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
    "noticed",
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
    stem = report_file_stem(context)
    await context.bot.send_document(
        user.id,
        InputFile(workbook, filename=f"{stem}.xlsx"),
        caption=context.translator(language, "risk-export-caption", count=count),
    )
    await context.bot.send_document(user.id, InputFile(geojson, filename=f"{stem}.geojson"))


def report_file_stem(context: CampaignContext) -> str:
    """The exported reports' file name without extension (chat and console alike)."""
    stamp = context.now().astimezone(context.campaign.timezone).strftime("%Y%m%d")
    return f"risk-reports-{stamp}"


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
    return (
        risk_reports.workbook_bytes(rows, headers),
        risk_reports.geojson_bytes(rows, context.campaign.timezone),
        len(rows),
    )


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("report", report_command, filters=private))
    application.add_handler(CommandHandler("myreports", my_reports, filters=private))
    application.add_handler(CallbackQueryHandler(begin_pressed, pattern=r"^risk:begin$"))
    application.add_handler(CallbackQueryHandler(category_pressed, pattern=r"^risk:cat:"))
    application.add_handler(CallbackQueryHandler(skip_photo_pressed, pattern=r"^risk:skipphoto$"))
    application.add_handler(CallbackQueryHandler(forward_pressed, pattern=r"^risk:fwd:"))
    application.add_handler(CallbackQueryHandler(agency_pressed, pattern=r"^risk:to:"))
    application.add_handler(CallbackQueryHandler(resolve_pressed, pattern=r"^risk:resolve:"))
    application.add_handler(CallbackQueryHandler(reject_pressed, pattern=r"^risk:reject:"))
    application.add_handler(CallbackQueryHandler(keep_pressed, pattern=r"^risk:keep$"))
    application.add_handler(CallbackQueryHandler(same_place_pressed, pattern=r"^risk:same:"))
    application.add_handler(CallbackQueryHandler(other_place_pressed, pattern=r"^risk:apart:"))
    application.add_handler(CallbackQueryHandler(resolve_bare_pressed, pattern=r"^risk:fixed:"))
    application.add_handler(CallbackQueryHandler(merge_pressed, pattern=r"^risk:merge:"))
    application.add_handler(CallbackQueryHandler(merge_into_pressed, pattern=r"^risk:into:"))
    application.add_handler(CallbackQueryHandler(check_pressed, pattern=r"^risk:check:"))
    application.add_handler(CallbackQueryHandler(more_place_pressed, pattern=r"^risk:more$"))
    application.add_handler(CallbackQueryHandler(confirm_pressed, pattern=r"^risk:ok:"))
    application.add_handler(CallbackQueryHandler(not_yet_pressed, pattern=r"^risk:notyet:"))
