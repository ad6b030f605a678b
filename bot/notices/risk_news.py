"""What follows a risk-report step: the leaders' copies of the report (photo, pin, card) and
their redraws, the news to the reporter and the followers (planned in the outbox with the
change), the handoff block, and the report files. The chat (handlers/risk_*) and the console
(bot/console) both call it.

Exact locations go to the leaders' private chats only: the news names the category and the dong
(or the address the reporter typed), never coordinates."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.error import BadRequest, TelegramError

from bot.campaign import risk_reports
from bot.campaign.rhythm import Planned
from bot.context import CampaignContext
from bot.i18n import language_for
from bot.outbox_sender import deliver_planned
from storage import risks
from storage.outbox import Notice
from storage.risks import RiskReport

log = logging.getLogger(__name__)


def category_name(context: CampaignContext, language: str, report: RiskReport) -> str:
    return context.translator(language, f"risk-category-{report.category or 'other'}")


def leader_place(context: CampaignContext, language: str, report: RiskReport) -> str:
    """Where the report is, for leaders: the coordinates, or the typed address ("none" once
    the reporter erased it)."""
    if report.latitude is not None and report.longitude is not None:
        return context.translator(
            language,
            "risk-place-coordinates",
            latitude=f"{report.latitude:.5f}",
            longitude=f"{report.longitude:.5f}",
        )
    return report.address or context.translator(language, "risk-handoff-none")


def news_place(context: CampaignContext, language: str, report: RiskReport) -> str:
    """Where the report is, for the people who noticed it: the address the reporter typed, else
    the dong, else "the place you reported" (once the reporter erased their data); never
    coordinates."""
    return report.address or report.area or context.translator(language, "risk-place-unknown")


def agency_name(context: CampaignContext, language: str, agency: str | None) -> str:
    """The recorded agency name (older reports recorded a catalogue code instead)."""
    if agency in risk_reports.LEGACY_AGENCY_CODES:
        return context.translator(language, f"risk-agency-{agency}")
    return agency or ""


# ---- the leaders' card -----------------------------------------------------------------------


def card_text(context: CampaignContext, language: str, report: RiskReport) -> str:
    none = context.translator(language, "risk-handoff-none")
    return context.translator(
        language,
        "risk-card",
        id=report.id,
        status=context.translator(language, f"risk-status-{report.status}"),
        name=report.reporter_name or none,
        category=category_name(context, language, report),
        place=leader_place(context, language, report),
        description=report.description or none,
        count=report.noticed,
    )


def _button(context: CampaignContext, language: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(context.translator(language, key), callback_data=data)


def card_buttons(
    context: CampaignContext, language: str, report: RiskReport
) -> InlineKeyboardMarkup | None:
    """The buttons that still apply: all while new, no forward once forwarded, none once
    closed (resolved, rejected or merged)."""
    if report.status not in risk_reports.OPEN_STATUSES:
        return None
    rows = [
        [
            _button(context, language, "button-risk-resolve", f"risk:resolve:{report.id}"),
            _button(context, language, "button-risk-reject", f"risk:reject:{report.id}"),
        ],
        [_button(context, language, "button-risk-merge", f"risk:merge:{report.id}")],
    ]
    if report.status == "submitted":
        rows.insert(0, [_button(context, language, "button-risk-forward", f"risk:fwd:{report.id}")])
    return InlineKeyboardMarkup(rows)


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
    text = card_text(context, language, report)
    markup = card_buttons(context, language, report)
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


async def remember_picture(
    context: CampaignContext, report_id: int, sent: Message | None, kind: str
) -> None:
    """A message showing the report's picture or place, for a reporter's /delete to take down
    (``risk_reports.remember_pictures``)."""
    if sent is not None:
        await risk_reports.remember_pictures(
            context.db, report_id, [(sent.chat.id, sent.message_id, kind)], context.now()
        )


# ---- a report filed --------------------------------------------------------------------------


async def file_with_leaders(
    context: CampaignContext, filed: list[RiskReport], copies: dict[str, bytes]
) -> None:
    """A submission's reports (one per place) to every leader, and their shared photo kept as
    the before photo (``copies``: the bot's clean copy of each photo, made once)."""
    for report in filed:
        await _send_to_leaders(context, report, copies.get(report.photo_file_id or ""))
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
    shown: list[tuple[int, int, str]] = []
    for leader_id in sorted(context.settings.leader_ids):
        try:
            if picture is not None:
                sent = await context.bot.send_photo(leader_id, picture)
                shown.append((leader_id, sent.message_id, "photo"))
                if sent.photo:
                    picture = sent.photo[-1].file_id
            if report.latitude is not None and report.longitude is not None:
                pin = await context.bot.send_location(
                    leader_id, latitude=report.latitude, longitude=report.longitude
                )
                shown.append((leader_id, pin.message_id, "pin"))
            card = await context.bot.send_message(
                leader_id,
                card_text(context, language, report),
                reply_markup=card_buttons(context, language, report),
            )
            cards.append((leader_id, card.message_id))
        except TelegramError as error:
            log.warning("risk report %s to leader %s failed: %s", report.id, leader_id, error)
    # Remembered so that a forward, resolve or reject shows on every copy (refresh_cards), and
    # so that the reporter's /delete takes the photo and the pin away.
    await risk_reports.remember_cards(context.db, report.id, cards)
    await risk_reports.remember_pictures(context.db, report.id, shown, context.now())


# ---- one more person noticed the place -------------------------------------------------------


def noticed_notices(context: CampaignContext, user_id: int) -> Callable[[RiskReport], list[Notice]]:
    """What the leaders hear when ``user_id`` says "same place" (planned with the follow)."""
    language = language_for(None, None)

    def tell_leaders(report: RiskReport) -> list[Notice]:
        text = context.translator(
            language,
            "risk-noticed-leader",
            id=report.id,
            category=category_name(context, language, report),
            count=report.noticed,
        )
        return [
            Notice(risk_reports.noticed_key(report.id, user_id, leader), leader, text)
            for leader in sorted(context.settings.leader_ids)
        ]

    return tell_leaders


async def followed(context: CampaignContext, report: RiskReport, user_id: int) -> None:
    """After a follow: the leaders' notices go out and every copy of the card shows the new
    count."""
    await deliver_planned(
        context.services.outbox,
        [
            risk_reports.noticed_key(report.id, user_id, leader)
            for leader in sorted(context.settings.leader_ids)
        ],
    )
    await refresh_cards(context, report.id)


# ---- forward ---------------------------------------------------------------------------------


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
    if changed.decision.outcome is risk_reports.Outcome.DONE and found is not None:
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
            category=category_name(context, language, report),
            place=news_place(context, language, report),
            agency=agency_name(context, language, report.agency),
        )
        key = f"risk-news:{report.id}:forwarded:{report.agency}:{user_id}"
        messages.append(Planned(key, user_id, "text", {"text": text}))
    return messages


# The official channels have no public submission API: the leader files the report by hand.
SAFETY_REPORT_URL = "https://www.safetyreport.go.kr"  # Safety e-Report (Ministry of the Interior)
PATROL_REPORT_URL = (
    "https://www.police.go.kr"  # the patrol request board is on the National Police Agency site
)


async def send_handoff(
    context: CampaignContext, chat_id: int, language: str, report: RiskReport
) -> None:
    """A block to copy into the official sites (category, address, coordinates, dates,
    description), the photo to attach (the bot's copy, no metadata) and links to the sites."""
    t = context.translator
    tz = context.campaign.timezone
    none = t(language, "risk-handoff-none")
    coordinates = (
        f"{report.latitude:.6f}, {report.longitude:.6f}"
        if report.latitude is not None and report.longitude is not None
        else none
    )
    forwarded = report.forwarded_at or context.now()
    text = t(
        language,
        "risk-handoff",
        id=report.id,
        category=category_name(context, language, report),
        address=report.address or none,
        coordinates=coordinates,
        found=(report.submitted_at or report.created_at).astimezone(tz).strftime("%Y-%m-%d"),
        forwarded=forwarded.astimezone(tz).strftime("%Y-%m-%d"),
        description=report.description or none,
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
            sent = await context.bot.send_photo(
                chat_id, InputFile(photo, filename=f"report-{report.id}.jpg")
            )
            await remember_picture(context, report.id, sent, "handoff")
        await context.bot.send_message(chat_id, text, reply_markup=links)
    except TelegramError as error:
        log.warning("handoff of report %s failed: %s", report.id, error)


# ---- "is it fixed?" --------------------------------------------------------------------------


async def send_check_to_leaders(
    context: CampaignContext, report: RiskReport, photo_id: int, jpeg: bytes
) -> None:
    """The photo of the place now (the bot's copy) to every leader, with "fixed" and "not yet"."""
    language = language_for(None, None)
    markup = InlineKeyboardMarkup(
        [
            [_button(context, language, "button-risk-confirm", f"risk:ok:{report.id}:{photo_id}")],
            [_button(context, language, "button-risk-not-yet", f"risk:notyet:{report.id}")],
        ]
    )
    caption = context.translator(
        language,
        "risk-check-leader",
        id=report.id,
        category=category_name(context, language, report),
        place=leader_place(context, language, report),
    )
    for leader_id in sorted(context.settings.leader_ids):
        try:
            sent = await context.bot.send_photo(
                leader_id,
                InputFile(jpeg, filename="now.jpg"),
                caption=caption,
                reply_markup=markup,
            )
            await remember_picture(context, report.id, sent, "check")
        except TelegramError as error:
            log.warning("check of report %s to leader %s failed: %s", report.id, leader_id, error)


# ---- resolve or reject -----------------------------------------------------------------------


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
        news=lambda report, people, pair_id, after_id: _close_news(
            context, report, people, note, pair_id, after_id
        ),
    )
    await deliver_planned(context.services.outbox, closed.deliver_now)
    if closed.decision.outcome is risk_reports.Outcome.DONE:
        await refresh_cards(context, report_id)
    return closed.decision


def _closed_text(
    context: CampaignContext, language: str, report: RiskReport, note: str | None
) -> str:
    """ "Fixed" (with the leader's note, if any) or "not taken further" (with the reason, if
    any): no empty line, no dangling "Reason:"."""
    key = "risk-told-resolved" if report.status == "resolved" else "risk-told-rejected"
    args: dict[str, Any] = {
        "category": category_name(context, language, report),
        "place": news_place(context, language, report),
    }
    if not note:
        return context.translator(language, f"{key}-bare", **args)
    if report.status == "resolved":
        return context.translator(language, key, note=note, **args)
    return context.translator(language, key, reason=note, **args)


def _close_news(
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
        text = _closed_text(context, language, report, note)
        key = f"risk-news:{report.id}:{report.status}:{user_id}"
        if pair_id is not None:
            payload: dict[str, Any] = {
                "render": {"name": "risk_photo", "params": {"photo_id": pair_id}},
                "caption": text[:1024],
                # The delivered message is remembered for the reporter's /delete.
                "risk_picture_of": report.id,
                "risk_picture_kind": "pair",
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
            category=category_name(context, language, report),
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
                    "risk_picture_of": report.id,
                    "risk_picture_kind": "after",
                },
            )
        )
    return messages


# ---- the report files ------------------------------------------------------------------------

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
            category_name=category_name(context, language, report),
            status_name=t(language, f"risk-status-{report.status}"),
            agency_name=agency_name(context, language, report.agency),
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
