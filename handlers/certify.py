"""Certifying a mission in chat: /certify, the mission buttons, the two photos, the note, /me."""

from __future__ import annotations

import dataclasses

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import certify
from bot.campaign.certify import Status, Step
from bot.campaign.fairness import Check, Whose
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.i18n import format_day
from bot.keyboards import button, keyboard
from bot.notices import rewards
from bot.notices.feed_posts import feed_planner, refresh_posts
from bot.notices.participant_files import PhotoRefused
from bot.notices.progress import progress_text
from bot.outbox_sender import send_or_queue
from handlers import CALLBACK_PATTERNS
from handlers.common import answer_stale, button_data, number, remove_buttons, reply
from handlers.photos import feed_preview, fetch_and_inspect, incoming_photo

REFUSAL_MESSAGES = {
    (Check.FORWARDED, None): "fair-forwarded",
    (Check.SAME_FILE, Whose.OWN): "fair-same-file-own",
    (Check.SAME_FILE, Whose.OTHER): "fair-same-file-other",
    (Check.SAME_FILE, Whose.THIS_CERTIFICATION): "fair-same-as-start",
    (Check.REUSED_PICTURE, Whose.OWN): "fair-reused-own",
    (Check.REUSED_PICTURE, Whose.OTHER): "fair-reused-other",
    (Check.REUSED_PICTURE, Whose.THIS_CERTIFICATION): "fair-same-as-start",
    (Check.NOT_TODAY, None): "fair-not-today",
}


def _certify_button(context: CampaignContext, language: str) -> InlineKeyboardMarkup:
    return keyboard([button(context, language, "button-certify", "cert:begin")])


def _cancel_button(context: CampaignContext, language: str) -> InlineKeyboardMarkup:
    return keyboard([button(context, language, "button-cancel-certification", "cert:cancel")])


async def render(update: Update, context: CampaignContext, language: str, step: Step) -> None:
    """Say what happened and what to send next."""
    t = context.translator
    chat = update.effective_chat
    assert chat is not None
    lines: list[str] = []
    if step.expired_day is not None and step.status is not Status.START_EXPIRED:
        lines.append(
            t(language, "cert-earlier-start-expired", day=format_day(language, step.expired_day))
        )
    markup: InlineKeyboardMarkup | None = None
    mission = step.mission.title if step.mission else ""
    status = step.status
    if status is Status.NOT_PARTICIPANT:
        lines.append(t(language, "cert-not-participant"))
        markup = keyboard([button(context, language, "button-apply", "apply:begin")])
    elif status is Status.NO_ROUND:
        nxt = step.next_round
        lines.append(
            t(
                language,
                "cert-no-round",
                has_next="yes" if nxt else "no",
                next_round=nxt.name if nxt else "",
                next_start=format_day(language, nxt.start) if nxt else "",
            )
        )
    elif status is Status.DAILY_LIMIT:
        lines.append(
            t(language, "cert-daily-limit", limit=context.campaign.rules.max_per_mission_per_day)
        )
    elif status is Status.CHOOSE_MISSION:
        lines.append(t(language, "cert-choose-mission"))
        # Mission titles are the campaign's own words, not catalogue text: shown as written.
        markup = keyboard(
            *[
                [InlineKeyboardButton(m.title[:60], callback_data=f"cert:mission:{m.id}")]
                for m in step.missions
            ]
        )
    elif status is Status.AWAITING_START:
        description = step.mission.description if step.mission else ""
        lines.append(t(language, "cert-send-start", mission=mission, description=description))
        markup = _cancel_button(context, language)
    elif status is Status.AWAITING_END:
        lines.append(t(language, "cert-send-end", mission=mission))
        markup = _cancel_button(context, language)
    elif status is Status.START_RECORDED:
        lines.append(
            t(
                language,
                "cert-start-recorded",
                mission=mission,
                minutes=context.campaign.rules.min_minutes_between_photos,
            )
        )
        markup = _cancel_button(context, language)
    elif status is Status.TOO_SOON:
        lines.append(t(language, "cert-too-soon", minutes=step.minutes_to_wait))
    elif status is Status.END_BEFORE_START:
        lines.append(t(language, "cert-end-before-start"))
    elif status is Status.START_EXPIRED:
        day = step.expired_day
        lines.append(
            t(language, "cert-start-expired", day=format_day(language, day) if day else "")
        )
        markup = _certify_button(context, language)
    elif status is Status.ACCEPTED:
        assert step.progress is not None and step.certification is not None
        lines.append(t(language, "cert-accepted", mission=mission))
        lines.append(progress_text(context, language, step.progress))
        lines.append(t(language, "cert-ask-note"))
        markup = keyboard(
            [
                button(
                    context, language, "button-skip-note", f"cert:skipnote:{step.certification.id}"
                ),
                button(context, language, "button-risk-report", "risk:begin"),
            ]
        )
    elif status is Status.NOTHING_OPEN:
        lines.append(t(language, "cert-nothing-open"))
        markup = _certify_button(context, language)
    elif status is Status.REFUSED:
        assert step.refusal is not None
        refusal = step.refusal
        first_used = format_day(language, refusal.day) if refusal.day else ""
        lines.append(t(language, REFUSAL_MESSAGES[(refusal.check, refusal.whose)], day=first_used))
        role = (
            "end" if step.certification and step.certification.status == "awaiting_end" else "start"
        )
        lines.append(t(language, f"cert-send-again-{role}"))
        markup = _cancel_button(context, language)
    elif status is Status.UNKNOWN_MISSION:
        lines.append(t(language, "cert-unknown-mission"))
        markup = _certify_button(context, language)
    # A step already stored (a start photo kept, a certification accepted) must not look lost
    # because its answer failed: Telegram unreachable just now, the outbox answers later.
    await send_or_queue(
        context.bot,
        context.db,
        chat.id,
        "\n\n".join(lines),
        key=f"reply:{chat.id}:{update.update_id}",
        now=context.now(),
        reply_markup=markup,
    )


async def certify_command(update: Update, context: CampaignContext) -> None:
    """/certify: start (or resume) a certification."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    language = context.language
    step = await certify.begin(context.db, context.campaign, user.id, message.date)
    await render(update, context, language, step)


async def certify_pressed(update: Update, context: CampaignContext) -> None:
    """The "certify now" button."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    language = context.language
    step = await certify.begin(context.db, context.campaign, query.from_user.id, context.now())
    await render(update, context, language, step)


async def mission_pressed(update: Update, context: CampaignContext) -> None:
    """A mission chosen from the list."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    language = context.language
    # Malformed: no mission has the id 0, so the list is shown again.
    mission_id = number(button_data(context, "cert:")[2]) or 0
    step = await certify.choose(
        context.db, context.campaign, query.from_user.id, mission_id, context.now()
    )
    if step.status in (Status.AWAITING_START, Status.AWAITING_END):
        await remove_buttons(query)
    await render(update, context, language, step)


async def cancel_pressed(update: Update, context: CampaignContext) -> None:
    """The cancel button under a photo prompt."""
    from bot.campaign.conversation import cancel_everything

    query = update.callback_query
    assert query is not None
    await query.answer()
    language = context.language
    cancelled = await cancel_everything(context.db, query.from_user.id, context.now())
    await remove_buttons(query)
    key = "cert-cancelled" if cancelled.certification else "cancel-nothing"
    await reply(update, context, language, key)


async def photo_received(update: Update, context: CampaignContext) -> None:
    """A picture while a certification waits for its start or end photo."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    expected = await certify.expected_photo(context.db, context.campaign, user.id, message.date)
    if expected.status in (Status.NOTHING_OPEN, Status.START_EXPIRED):
        await render(update, context, language, expected)
        return
    photo = incoming_photo(message)
    if photo is None:
        await not_a_photo(update, context, language, expected)
        return
    refused = await certify.precheck(context.db, context.campaign, user.id, photo)
    if refused is not None:
        await render(update, context, language, refused)
        return
    try:
        facts, data = await fetch_and_inspect(context, photo)
    except PhotoRefused as refusal:
        await reply(update, context, language, refusal.reason)
        await render(update, context, language, expected)
        return
    photo = dataclasses.replace(
        photo,
        width=facts.width,
        height=facts.height,
        phash=facts.phash,
        dhash=facts.dhash,
        taken_at=facts.taken_at,
        thumbnail=facts.thumbnail,
    )
    step = await certify.receive_photo(context.db, context.campaign, user.id, photo, context.now())
    await render(update, context, language, step)
    kept = {Status.START_RECORDED: "start", Status.ACCEPTED: "end"}.get(step.status)
    if kept is not None and step.certification is not None:
        # After the reply, so the participant never waits for it; before this person's next
        # update (theirs run in order), so the feed post planned by the note has it.
        preview = await feed_preview(data)
        if preview is not None:
            await certify.keep_preview(
                context.db, step.certification.id, kept, preview, context.now()
            )
    if step.status is Status.ACCEPTED and step.certification is not None:
        # The feed post waits for the note step (see bot.campaign.feed); nothing here waits for
        # the group.
        await rewards.announce(context, user.id, step.certification.round_name)


async def not_a_photo(
    update: Update, context: CampaignContext, language: str, expected: Step | None = None
) -> None:
    """Text, a sticker, a voice note... at a photo step: ask again, kindly."""
    user = update.effective_user
    assert user is not None
    message = update.effective_message
    if expected is None:
        expected = await certify.expected_photo(
            context.db, context.campaign, user.id, message.date if message else context.now()
        )
    await reply(update, context, language, "photo-expected")
    await render(update, context, language, expected)


async def note_typed(update: Update, context: CampaignContext) -> None:
    """The optional one-line note after an accepted certification."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    note = (message.text or "").strip()
    if not note or "\n" in note or len(note) > certify.MAX_NOTE_LENGTH:
        await reply(update, context, language, "note-invalid", limit=certify.MAX_NOTE_LENGTH)
        return
    saved = await certify.add_note(context.db, user.id, note, feed_planner(context), context.now())
    await reply(update, context, language, "note-saved" if saved else "cert-nothing-open")
    if saved is not None and saved.posted_before:
        await quietly(refresh_posts(context, saved.certification.id), "showing the note")


async def skip_note_pressed(update: Update, context: CampaignContext) -> None:
    query = update.callback_query
    assert query is not None
    language = context.language
    cert_id = number(button_data(context, "cert:")[2])
    # Someone else's certification, an older one, or forged data: nothing to skip.
    skipped = cert_id is not None and await certify.skip_note(
        context.db, query.from_user.id, cert_id, feed_planner(context), context.now()
    )
    if not skipped:
        await query.answer(context.translator(language, "button-stale"), show_alert=True)
        return
    await query.answer()
    said = context.translator(language, "note-skipped")
    message = query.message
    if isinstance(message, Message) and message.text:
        # One edit of the "accepted" message (its buttons go, the line is added) instead of a
        # new message and an edit: a certification costs one call less against the limits.
        try:
            await query.edit_message_text(f"{message.text_html}\n\n{said}")
            return
        except BadRequest:
            pass  # gone or too old to edit: say it in a message of its own
    await remove_buttons(query)
    await reply(update, context, language, "note-skipped")


async def me(update: Update, context: CampaignContext) -> None:
    """/me: today's, this round's and the total count, hours and the next reward."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    language, person = context.language, context.person
    if person is None or not person.is_approved:
        await reply(
            update,
            context,
            language,
            "me-not-participant",
            status=person.status if person else "visitor",
        )
        return
    progress = await certify.progress(context.db, context.campaign, user.id, message.date)
    await context.bot.send_message(
        message.chat_id,
        context.translator(language, "me-title", name=person.full_name or person.telegram_name)
        + "\n\n"
        + progress_text(context, language, progress),
        reply_markup=_certify_button(context, language),
    )


async def cert_pressed(update: Update, context: CampaignContext) -> None:
    """``cert:begin``, ``cert:cancel``, ``cert:mission:<id>``, ``cert:skipnote:<certification>``."""
    word, step, _ = button_data(context, "cert:")
    pressed = CERT_BUTTONS.get(word or step or "")
    if pressed is None:
        await answer_stale(update, context)
        return
    await pressed(update, context)


CERT_BUTTONS = {
    "begin": certify_pressed,
    "cancel": cancel_pressed,
    "mission": mission_pressed,
    "skipnote": skip_note_pressed,
}


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("certify", certify_command, filters=private))
    application.add_handler(CommandHandler("me", me, filters=private))
    application.add_handler(CallbackQueryHandler(cert_pressed, pattern=CALLBACK_PATTERNS["cert:"]))
