"""Leaders deciding on applications: the card, Approve / Reject (with a reason), /pending,
and join requests to the campaign group."""

from __future__ import annotations

import html
import logging
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    CommandHandler,
    filters,
)

from bot.campaign import approval, rules
from bot.campaign.approval import Decision, DigestView, JoinRequestOutcome
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.i18n import format_clock, format_day, language_for
from bot.outbox_sender import deliver_planned
from handlers.common import (
    button,
    display_name,
    keyboard,
    language_of_id,
    leader_language,
    leader_press,
    parse_int,
    remove_buttons,
    reply,
    typed_reason,
)
from storage import participants
from storage.outbox import Notice
from storage.participants import Participant

log = logging.getLogger(__name__)


async def _leader_name(context: CampaignContext, leader_id: int | None) -> str:
    if leader_id is None:
        return "?"
    async with context.db.read() as conn:
        leader = await participants.get(conn, leader_id)
    return leader.telegram_name if leader and leader.telegram_name else str(leader_id)


def card_text(context: CampaignContext, language: str, person: Participant) -> str:
    """The application as a leader reads it."""
    tz = context.campaign.timezone
    applied = person.applied_at
    return context.translator(
        language,
        "application-card",
        name=person.full_name or "—",
        submitted="yes" if person.consent_at else "no",
        category=person.category or "none",
        under14="yes" if person.under_14 else "no",
        guardian="yes" if person.guardian_consent else "no",
        affiliation=person.affiliation or "—",
        neighbourhood=person.neighbourhood or "—",
        has_volunteer_id="yes" if person.volunteer_id else "no",
        volunteer_id=person.volunteer_id or "",
        telegram_name=person.telegram_name,
        username=f"@{person.username}" if person.username else "",
        user_id=str(person.user_id),
        applied=f"{format_day(language, applied.astimezone(tz).date())} {format_clock(applied, tz)}"
        if applied
        else "—",
    )


def card_buttons(context: CampaignContext, language: str, person_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(context, language, "button-approve", f"decide:approve:{person_id}"),
            button(context, language, "button-reject", f"decide:reject:{person_id}"),
        ]
    )


def card_plan(context: CampaignContext) -> approval.CardPlan:
    """Every leader's application card, to plan with the application (``approval.plan_cards``).

    Delivered by the outbox, each becomes that applicant's card in the leader's chat
    (``leader_card_of``): refreshed after the decision, taken down by /delete.
    """

    def render(person: Participant, leader_id: int, stored_language: str | None) -> Notice:
        language = language_for(stored_language, None)
        applied = person.applied_at.isoformat() if person.applied_at else ""
        return Notice(
            key=f"card:{person.user_id}:{leader_id}:{applied}:form",
            chat_id=leader_id,
            text=card_text(context, language, person),
            reply_markup=card_buttons(context, language, person.user_id).to_dict(),
            leader_card_of=person.user_id,
        )

    return approval.CardPlan(context.settings.leader_ids, render, digest_plan(context))


def _digest_text(context: CampaignContext, language: str, view: DigestView) -> str:
    names = "\n".join(
        f"• {html.escape(name)}" + (f" (@{html.escape(username)})" if username else "")
        for name, username in view.names
    )
    return context.translator(
        language,
        "join-digest",
        day=format_day(language, view.day),
        joins=min(view.joins, view.join_cap),
        names=names or "—",
        capped="yes" if view.joins > view.join_cap else "no",
        cap=view.join_cap,
        overflow=view.overflow,
        card_cap=view.card_cap,
        declined=view.declined,
    )


def digest_plan(context: CampaignContext) -> approval.DigestPlan:
    """Today's gathering card for every leader (join requests without an application, and the
    applications past the day's card cap), edited through the outbox as it changes."""
    tz = context.campaign.timezone
    day = rules.campaign_day(context.now(), tz)
    start = rules.end_of_day(day - timedelta(days=1), tz)

    def render(
        view: DigestView, leader_id: int, stored_language: str | None
    ) -> tuple[str, dict[str, Any] | None]:
        language = language_for(stored_language, None)
        markup = None
        if view.joins > view.declined:
            markup = keyboard(
                [button(context, language, "button-decline-waiting-joins", "joins:decline")]
            ).to_dict()
        return _digest_text(context, language, view), markup

    caps = context.campaign.leaders
    return approval.DigestPlan(
        context.settings.leader_ids,
        day,
        start,
        rules.end_of_day(day, tz),
        render,
        join_cap=caps.join_requests_listed_per_day,
        card_cap=caps.application_cards_per_day,
    )


async def deliver_cards(context: CampaignContext, cards: list[Notice]) -> None:
    """Send the cards planned with the application now. A leader who never opened the bot
    cannot be messaged (the row fails); the others still are. Telegram being away: later."""
    await deliver_planned(context.services.outbox, [card.key for card in cards])


async def _decision_line(context: CampaignContext, language: str, person: Participant) -> str:
    tz = context.campaign.timezone
    decided = person.decided_at
    line = context.translator(
        language,
        "application-decided",
        decision=person.status,
        leader=await _leader_name(context, person.decided_by),
        when=f"{format_day(language, decided.astimezone(tz).date())} {format_clock(decided, tz)}"
        if decided
        else "",
    )
    if person.rejection_reason:
        line += "\n" + context.translator(
            language, "application-decided-reason", reason=person.rejection_reason
        )
    return line


async def _refresh_cards(context: CampaignContext, result: approval.DecisionResult) -> None:
    """Show the decision on every leader's copy of the card (buttons removed)."""
    person = result.applicant
    assert person is not None
    for chat_id, message_id in result.cards:
        language = await language_of_id(context, chat_id)
        body = (
            card_text(context, language, person)
            + "\n\n"
            + await _decision_line(context, language, person)
        )
        try:
            await context.bot.edit_message_text(body, chat_id=chat_id, message_id=message_id)
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                log.info("could not update card %s/%s: %s", chat_id, message_id, error)
        except TelegramError as error:  # a leader's copy; the decision itself stands
            log.warning("could not update card %s/%s: %s", chat_id, message_id, error)


def _decision_notice(
    context: CampaignContext, person: Participant, join_request_chats: list[int], invite_link: str
) -> Notice:
    """The applicant's message about the decision (planned with it, so it cannot be lost)."""
    language = language_for(person.language, None)
    key = "decision-approved" if person.status == "approved" else "decision-rejected"
    markup = None
    if person.status == "approved":
        markup = keyboard([button(context, language, "button-certify", "cert:begin")]).to_dict()
    return Notice(
        key=f"decision:{person.user_id}:{person.status}:{person.decided_at}",
        chat_id=person.user_id,
        text=context.translator(
            language,
            key,
            name=person.full_name or person.telegram_name,
            reason=person.rejection_reason or "",
            has_reason="yes" if person.rejection_reason else "no",
            link="yes" if invite_link else "no",
            invite_link=invite_link,
            joined="yes" if join_request_chats else "no",
        ),
        reply_markup=markup,
    )


def notice_of(context: CampaignContext) -> approval.DecisionNotice:
    """The applicant's decision message, for ``approval.decide`` (the chat and the console)."""
    return lambda person, chats: _decision_notice(context, person, chats, "")


async def _tell_applicant(context: CampaignContext, result: approval.DecisionResult) -> None:
    """Settle the applicant's join requests, then deliver the decision message planned with it.

    The message was planned without an invite link (one can only be made after the commit):
    if a link is made, it is put into the still-unsent message first. After a crash in between,
    the applicant still hears the decision, without the link.
    """
    person = result.applicant
    assert person is not None
    group_id = context.settings.group_chat_id
    invite_link = ""
    if person.status == "approved" and group_id is not None:
        for chat_id in result.join_request_chats:
            try:
                await context.bot.approve_chat_join_request(chat_id, person.user_id)
                await approval.settle_join_request(context.db, person.user_id, chat_id, True)
            except TelegramError as error:
                log.warning("could not approve the join request of %s: %s", person.user_id, error)
        if group_id not in result.join_request_chats:
            try:
                link = await context.bot.create_chat_invite_link(
                    group_id, member_limit=1, name=f"participant {person.user_id}"
                )
                invite_link = link.invite_link
            except TelegramError as error:
                log.warning("could not create an invite link for %s: %s", group_id, error)
    elif person.status == "rejected":
        for chat_id in result.join_request_chats:
            try:
                await context.bot.decline_chat_join_request(chat_id, person.user_id)
                await approval.settle_join_request(context.db, person.user_id, chat_id, False)
            except TelegramError as error:
                log.warning("could not decline the join request of %s: %s", person.user_id, error)
    notice = result.notice
    if notice is None:
        return
    if invite_link:
        await approval.revise_notice(
            context.db,
            _decision_notice(context, person, result.join_request_chats, invite_link),
        )
    # 400/403 and Telegram being away are the sender's to record (failed, or retried later).
    await deliver_planned(context.services.outbox, [notice.key])


async def _finish_decision(
    update: Update, context: CampaignContext, language: str, result: approval.DecisionResult
) -> None:
    query = update.callback_query
    if result.decision is Decision.NO_CONSENT:
        if query:
            await query.answer(
                context.translator(language, "application-no-consent"), show_alert=True
            )
        else:
            await reply(update, context, language, "application-no-consent")
        return
    if result.decision is Decision.UNKNOWN:
        if query:
            await query.answer(context.translator(language, "application-unknown"), show_alert=True)
        else:
            await reply(update, context, language, "application-unknown")
        return
    person = result.applicant
    assert person is not None
    if result.decision is Decision.ALREADY_DECIDED:
        line = await _decision_line(context, language, person)
        if query:
            # A redelivered press answers the same query twice; Telegram refuses the second.
            await quietly(query.answer(line, show_alert=True), "callback answer")
        else:
            await reply(update, context, language, "application-already-decided", line=line)
        await _refresh_cards(context, result)
        return
    if query:
        await quietly(query.answer(), "callback answer")
    await announce_decision(context, result)
    if not query:
        await reply(update, context, language, "reject-done", name=person.full_name or "")


async def announce_decision(context: CampaignContext, result: approval.DecisionResult) -> None:
    """After a decision (from a card, a typed reason or the console): the applicant hears it,
    then every leader's copy of the card shows it."""
    if result.decision is Decision.DECIDED:
        # The applicant first: a failing leader's copy must not keep the decision from them.
        await _tell_applicant(context, result)
    if result.decision is not Decision.UNKNOWN:
        await _refresh_cards(context, result)


def _applicant_id(data: str | None) -> int | None:
    parts = (data or "").split(":")
    return parse_int(parts[2]) if len(parts) == 3 else None


async def approve_pressed(update: Update, context: CampaignContext) -> None:
    """Approve: only a leader's press counts."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    applicant_id = _applicant_id(query.data)
    if applicant_id is None:
        await query.answer(context.translator(language, "application-unknown"), show_alert=True)
        return
    result = await approval.decide(
        context.db,
        applicant_id,
        query.from_user.id,
        approve=True,
        now=context.now(),
        notice=notice_of(context),
    )
    await _finish_decision(update, context, language, result)


async def reject_pressed(update: Update, context: CampaignContext) -> None:
    """Reject: first ask the leader for an optional reason."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    applicant_id = _applicant_id(query.data)
    if applicant_id is None:
        await query.answer(context.translator(language, "application-unknown"), show_alert=True)
        return
    result = await approval.ask_reject_reason(
        context.db, applicant_id, query.from_user.id, context.now()
    )
    if result.decision is not Decision.DECIDED:
        await _finish_decision(update, context, language, result)
        return
    await query.answer()
    person = result.applicant
    assert person is not None
    await context.bot.send_message(
        query.from_user.id,
        context.translator(language, "reject-ask-reason", name=person.full_name or ""),
        reply_markup=keyboard(
            [
                button(
                    context,
                    language,
                    "button-reject-without-reason",
                    f"decide:noreason:{applicant_id}",
                )
            ],
            [button(context, language, "button-keep-pending", f"decide:keep:{applicant_id}")],
        ),
    )


async def reject_without_reason(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    applicant_id = _applicant_id(query.data)
    if applicant_id is None:
        await query.answer(context.translator(language, "application-unknown"), show_alert=True)
        return
    result = await approval.decide(
        context.db,
        applicant_id,
        query.from_user.id,
        approve=False,
        now=context.now(),
        notice=notice_of(context),
    )
    if result.decision is Decision.DECIDED:
        await quietly(remove_buttons(query), "removing answered buttons")
    await _finish_decision(update, context, language, result)


async def keep_pending(update: Update, context: CampaignContext) -> None:
    """The leader changed their mind about rejecting: the application stays open."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await approval.drop_reason_prompt(context.db, query.from_user.id)
    await query.answer()
    await query.edit_message_text(context.translator(language, "reject-kept"))


async def reason_typed(update: Update, context: CampaignContext, applicant_id: int) -> None:
    """The leader's text after pressing Reject: the reason the applicant will read."""
    typed = await typed_reason(update, context, approval.MAX_REASON_LENGTH)
    if typed is None:
        return
    leader_id, language, reason = typed
    result = await approval.decide(
        context.db,
        applicant_id,
        leader_id,
        approve=False,
        now=context.now(),
        reason=reason,
        notice=notice_of(context),
    )
    await _finish_decision(update, context, language, result)


# Names on one /pending page: one screen on a phone, two name buttons a row.
PENDING_PER_PAGE = 10


def _pending_view(
    context: CampaignContext, language: str, page: approval.PendingPage
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The /pending message: one page of names, a button to open each card, paging, and the
    console (when it is configured)."""
    t = context.translator
    if not page.total:
        return t(language, "pending-none"), None
    lines = [
        t(
            language,
            "pending-line",
            number=page.first + index,
            name=person.full_name or person.telegram_name,
            affiliation=person.affiliation or "",
        )
        for index, person in enumerate(page.people)
    ]
    heading = t(language, "pending-page", count=page.total, page=page.number, pages=page.pages)
    text = heading + "\n\n" + "\n".join(lines)
    opens = [
        InlineKeyboardButton(
            # A button shows plain text: the catalogue's HTML escaping is undone for it.
            html.unescape(
                t(
                    language,
                    "button-pending-open",
                    number=page.first + index,
                    name=person.full_name or person.telegram_name,
                )
            ),
            callback_data=f"pending:open:{person.user_id}",
        )
        for index, person in enumerate(page.people)
    ]
    rows = [opens[i : i + 2] for i in range(0, len(opens), 2)]
    paging = []
    if page.number > 1:
        paging.append(
            button(context, language, "button-pending-previous", f"pending:page:{page.number - 1}")
        )
    if page.number < page.pages:
        paging.append(
            button(context, language, "button-pending-next", f"pending:page:{page.number + 1}")
        )
    rows.append(paging)
    console = context.settings.console
    if console is not None:
        # A web_app button: the console opens inside Telegram with the leader's signed initData.
        rows.append(
            [
                InlineKeyboardButton(
                    t(language, "button-pending-console"), web_app=WebAppInfo(console.url)
                )
            ]
        )
    return text, keyboard(*rows)


async def pending(update: Update, context: CampaignContext) -> None:
    """/pending: the applications waiting for a decision, one message with a page of names."""
    language = await leader_language(update, context)
    if language is None:
        return
    page = await approval.pending_page(context.db, 1, PENDING_PER_PAGE)
    text, markup = _pending_view(context, language, page)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text, reply_markup=markup)


async def pending_page_pressed(update: Update, context: CampaignContext) -> None:
    """◀ / ▶ under /pending: the same message shows another page."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await query.answer()
    number = parse_int((query.data or "").rsplit(":", 1)[-1]) or 1
    page = await approval.pending_page(context.db, number, PENDING_PER_PAGE)
    text, markup = _pending_view(context, language, page)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise  # the same page pressed twice changes nothing; anything else is a fault


async def pending_open_pressed(update: Update, context: CampaignContext) -> None:
    """A name under /pending: that application's card, with its buttons."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    applicant_id = parse_int((query.data or "").rsplit(":", 1)[-1])
    person = None
    if applicant_id is not None:
        async with context.db.read() as conn:
            person = await participants.get(conn, applicant_id)
    if person is None or person.status != "pending":
        await query.answer(context.translator(language, "pending-decided"), show_alert=True)
        return
    await query.answer()
    message = await context.bot.send_message(
        query.from_user.id,
        card_text(context, language, person),
        reply_markup=card_buttons(context, language, person.user_id),
    )
    # This copy is refreshed after the decision and taken down by /delete like the others.
    await approval.remember_cards(
        context.db, person.user_id, [(query.from_user.id, message.message_id)]
    )


async def join_request(update: Update, context: CampaignContext) -> None:
    """A join request to the campaign group: participants are let in; anyone else is led to the
    application (the request waits for its decision) and counted on the leaders' card."""
    request = update.chat_join_request
    if request is None:
        return
    user = request.from_user
    result = await approval.join_requested(
        context.db,
        user.id,
        request.chat.id,
        display_name(user),
        user.username,
        context.now(),
        digest=digest_plan(context),
    )
    if result.outcome is JoinRequestOutcome.APPROVE:
        await request.approve()
        return
    language = language_for(result.person.language, user.language_code)
    # The bot may message a person who asked to join for a few minutes only: tell them now.
    if result.outcome is JoinRequestOutcome.WAITING:
        text, markup = context.translator(language, "join-request-waiting"), None
    else:
        text = context.translator(language, "join-request-apply", campaign=context.campaign.name)
        markup = keyboard([button(context, language, "button-apply", "apply:begin")])
    try:
        await context.bot.send_message(request.user_chat_id, text, reply_markup=markup)
    except TelegramError as error:
        log.info("could not message join requester %s: %s", user.id, error)
    await deliver_cards(context, result.notices)


async def decline_waiting_joins(update: Update, context: CampaignContext) -> None:
    """The gathering card's button: decline every join request from people who have not sent
    an application (those who apply later still get an invite link when approved)."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    await quietly(query.answer(), "callback answer")
    declined = 0
    for user_id, chat_id in await approval.waiting_join_requests(context.db):
        try:
            await context.bot.decline_chat_join_request(chat_id, user_id)
        except BadRequest as error:  # already approved or declined in Telegram itself
            log.info("join request of %s in %s is gone: %s", user_id, chat_id, error)
        except TelegramError as error:
            log.warning("could not decline the join request of %s: %s", user_id, error)
            continue
        else:
            declined += 1
        await approval.settle_join_request(context.db, user_id, chat_id, False)
    notices = await approval.declined_from_digest(
        context.db, query.from_user.id, declined, digest_plan(context), context.now()
    )
    await deliver_cards(context, notices)
    await reply(update, context, language, "join-decline-done", count=declined)


def register(application: AnyApplication) -> None:
    application.add_handler(
        CallbackQueryHandler(approve_pressed, pattern=r"^(?:decide|app):approve:")
    )
    application.add_handler(
        CallbackQueryHandler(reject_pressed, pattern=r"^(?:decide|app):reject:")
    )
    application.add_handler(
        CallbackQueryHandler(reject_without_reason, pattern=r"^(?:decide|app):noreason:")
    )
    application.add_handler(CallbackQueryHandler(keep_pending, pattern=r"^(?:decide|app):keep:"))
    application.add_handler(
        CallbackQueryHandler(decline_waiting_joins, pattern=r"^(?:joins|jr):decline$")
    )
    application.add_handler(CommandHandler("pending", pending, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(pending_page_pressed, pattern=r"^pending:page:"))
    application.add_handler(CallbackQueryHandler(pending_open_pressed, pattern=r"^pending:open:"))
    settings = application.bot_data.settings
    if settings is not None and settings.group_chat_id is not None:
        application.add_handler(
            ChatJoinRequestHandler(join_request, chat_id=settings.group_chat_id)
        )
