"""The leaders' buttons on a risk report: forward to an agency, resolve (with an after photo or
a note), reject with a reason, merge two reports of one place, confirm a reporter's "is it
fixed?" photo; and /export reports (xlsx and GeoJSON).

What follows each step (the news, every copy of the card) is in bot.notices.risk_news."""

from __future__ import annotations

from functools import partial

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InputFile,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.ext import CallbackQueryHandler

from bot.campaign import risk_reports
from bot.campaign.conversation import Expecting
from bot.campaign.risk_reports import Outcome
from bot.context import AnyApplication, CampaignContext
from bot.keyboards import button, keyboard
from bot.media import reencode
from bot.media.photo_check import decode_in_turn
from bot.notices import risk_news
from bot.notices.participant_files import clean_copy
from handlers import RISK_BUTTONS
from handlers.common import leader_language, leader_press, remove_buttons, reply, typed_reason
from storage.risks import RiskReport


def pressed_ids(context: CampaignContext) -> tuple[int, ...]:
    """The numbers a risk button carries, as its pattern (``RISK_BUTTONS``) captured them."""
    match = context.match
    assert match is not None
    return tuple(int(value) for value in match.groups())


async def refuse(
    query: CallbackQuery, context: CampaignContext, language: str, outcome: Outcome
) -> None:
    key = "risk-already-closed" if outcome is Outcome.CLOSED else "risk-unknown"
    await query.answer(context.translator(language, key), show_alert=True)


def picture_of(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    if message.document is not None and (message.document.mime_type or "").startswith("image/"):
        return message.document.file_id
    return None


async def _open_report_pressed(
    update: Update, context: CampaignContext
) -> tuple[CallbackQuery, str, RiskReport] | None:
    """A leader's press on an open report's button: the press (answered), language and report.

    Anyone else, or a report gone or closed, is told so on the button and gets None."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return None
    query, language = pressed
    (report_id,) = pressed_ids(context)
    found = await risk_reports.report_for_leader(context.db, report_id)
    if found.outcome is not Outcome.DONE:
        await refuse(query, context, language, found.outcome)
        return None
    await query.answer()
    assert found.report is not None
    return query, language, found.report


async def forward_pressed(update: Update, context: CampaignContext) -> None:
    """Forward: leaders only; shows the agencies to choose from."""
    opened = await _open_report_pressed(update, context)
    if opened is None:
        return
    query, language, report = opened
    report_id = report.id
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
    report_id, choice = pressed_ids(context)
    agency = risk_reports.agency_at(context.campaign.risk_agencies, choice)
    shown = _label_of(query.message, query.data)
    if agency is not None and shown is not None and shown != agency:
        # The campaign file's list changed since these buttons were sent: the position no longer
        # names the agency the leader saw.
        await query.answer(context.translator(language, "risk-agencies-changed"), show_alert=True)
        await remove_buttons(query)
        return
    done = await risk_news.forward_report(context, report_id, agency, query.from_user.id)
    if done.outcome is not Outcome.DONE:
        await refuse(query, context, language, done.outcome)
        return
    await query.answer()
    await remove_buttons(query)
    report = done.report
    assert report is not None
    await risk_news.send_handoff(context, query.from_user.id, language, report)
    await reply(
        update,
        context,
        language,
        "risk-forwarded-done",
        id=report.id,
        agency=risk_news.agency_name(context, language, agency),
    )


async def _ask_text(update: Update, context: CampaignContext, kind: str, key: str) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    (report_id,) = pressed_ids(context)
    found = await risk_reports.ask_for_text(
        context.db, report_id, kind, query.from_user.id, context.now()
    )
    if found.outcome is not Outcome.DONE:
        await refuse(query, context, language, found.outcome)
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
    (report_id,) = pressed_ids(context)
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
    picture = picture_of(message)
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
    done = await risk_news.close_report(context, report_id, kind, leader_id, note, after)
    if done.outcome is not Outcome.DONE:
        key = "risk-already-closed" if done.outcome is Outcome.CLOSED else "risk-unknown"
        await reply(update, context, language, key)
        return
    report = done.report
    assert report is not None
    key = "risk-resolved-done" if report.status == "resolved" else "risk-rejected-done"
    await reply(update, context, language, key, id=report.id)


async def confirm_pressed(update: Update, context: CampaignContext) -> None:
    """A leader agrees the reporter's photo shows the place fixed: resolved with it."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    report_id, photo_id = pressed_ids(context)
    stored = await risk_reports.proposed_photo(context.db, report_id, photo_id)
    if stored is None:
        await refuse(query, context, language, Outcome.UNKNOWN)
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
    (report_id,) = pressed_ids(context)
    done = await risk_reports.still_open(context.db, report_id, query.from_user.id, context.now())
    if done.outcome is not Outcome.DONE:
        await refuse(query, context, language, done.outcome)
        return
    await query.answer()
    await remove_buttons(query)
    assert done.report is not None
    await reply(update, context, language, "risk-still-open-done", id=done.report.id)


# ---- merging two reports of one place ---------------------------------------------------------


async def merge_pressed(update: Update, context: CampaignContext) -> None:
    """Merge: the open reports nearby (or at the same typed address) to merge this one into."""
    opened = await _open_report_pressed(update, context)
    if opened is None:
        return
    query, language, report = opened
    candidates = await risk_reports.merge_candidates(context.db, report.id)
    if not candidates:
        await reply(update, context, language, "risk-merge-none", id=report.id)
        return
    t = context.translator
    rows = [
        [
            InlineKeyboardButton(
                t(
                    language,
                    "button-risk-merge-into",
                    id=other.id,
                    category=risk_news.category_name(context, language, other),
                    distance=(
                        t(language, "risk-nearby-metres", metres=round(metres))
                        if metres is not None
                        else t(language, "risk-nearby-same-address")
                    ),
                ),
                callback_data=f"risk:into:{report.id}:{other.id}",
            )
        ]
        for other, metres in candidates
    ]
    await context.bot.send_message(
        query.from_user.id,
        t(language, "risk-ask-merge", id=report.id),
        reply_markup=keyboard(*rows),
    )


async def merge_into_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    source, target = pressed_ids(context)
    done = await risk_reports.merge(context.db, source, target, query.from_user.id, context.now())
    if done.outcome is not Outcome.DONE:
        await refuse(query, context, language, done.outcome)
        return
    await query.answer()
    await remove_buttons(query)
    assert done.report is not None
    for changed in (source, done.report.id):
        await risk_news.refresh_cards(context, changed)
    await reply(
        update,
        context,
        language,
        "risk-merged-done",
        source=source,
        id=done.report.id,
        count=done.report.noticed,
    )


# ---- /export reports -------------------------------------------------------------------------


async def export_reports(update: Update, context: CampaignContext) -> None:
    """/export reports: the reports as a spreadsheet and as GeoJSON (leaders only)."""
    language = await leader_language(update, context)
    if language is None:
        return
    user = update.effective_user
    assert user is not None
    files = await risk_news.report_files(context, language)
    if files is None:
        await reply(update, context, language, "risk-export-none")
        return
    workbook, geojson, count = files
    stem = risk_news.report_file_stem(context)
    await context.bot.send_document(
        user.id,
        InputFile(workbook, filename=f"{stem}.xlsx"),
        caption=context.translator(language, "risk-export-caption", count=count),
    )
    await context.bot.send_document(user.id, InputFile(geojson, filename=f"{stem}.geojson"))


def register(application: AnyApplication) -> None:
    for name, pressed in (
        ("fwd", forward_pressed),
        ("to", agency_pressed),
        ("resolve", resolve_pressed),
        ("reject", reject_pressed),
        ("keep", keep_pressed),
        ("fixed", resolve_bare_pressed),
        ("merge", merge_pressed),
        ("into", merge_into_pressed),
        ("ok", confirm_pressed),
        ("notyet", not_yet_pressed),
    ):
        application.add_handler(CallbackQueryHandler(pressed, pattern=RISK_BUTTONS[name]))
