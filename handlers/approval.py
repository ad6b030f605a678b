"""Leaders deciding on applications: Approve / Reject (with a reason) on the card, /pending,
and join requests to the campaign group (the card itself and what follows a decision:
``bot.notices.decisions``)."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    CommandHandler,
    filters,
)

from bot.campaign import approval
from bot.campaign.approval import Decision, JoinRequestOutcome
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.i18n import language_for
from bot.keyboards import button, keyboard
from bot.notices.decisions import (
    announce_decision,
    card_buttons,
    card_text,
    decision_line,
    deliver_cards,
    digest_plan,
    notice_of,
)
from handlers import CALLBACK_PATTERNS
from handlers.common import (
    answer_stale,
    button_data,
    display_name,
    leader_language,
    leader_press,
    number,
    remove_buttons,
    reply,
    typed_reason,
)
from storage import participants

log = logging.getLogger(__name__)


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
        line = await decision_line(context, language, person)
        if query:
            # A redelivered press answers the same query twice; Telegram refuses the second.
            await quietly(query.answer(line, show_alert=True), "callback answer")
        else:
            await reply(update, context, language, "application-already-decided", line=line)
        await announce_decision(context, result)  # the cards show who decided first
        return
    if query:
        await quietly(query.answer(), "callback answer")
    await announce_decision(context, result)
    if not query:
        await reply(update, context, language, "reject-done", name=person.full_name or "")


async def decision_pressed(update: Update, context: CampaignContext) -> None:
    """``decide:<verb>:<applicant>``: the card's Approve and Reject, and under the question for a
    reason, Reject without one and Keep it pending."""
    verb, _ = button_data(context, "decide:")
    if verb is None:
        await answer_stale(update, context)
        return
    await DECISION_BUTTONS[verb](update, context)


def _applicant_id(context: CampaignContext) -> int | None:
    return number(button_data(context, "decide:")[1])


async def approve_pressed(update: Update, context: CampaignContext) -> None:
    """Approve: only a leader's press counts."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    applicant_id = _applicant_id(context)
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
    applicant_id = _applicant_id(context)
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
    applicant_id = _applicant_id(context)
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
    number = int(button_data(context, "pending:")[1] or 1)
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
    applicant_id = number(button_data(context, "pending:")[1])
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


async def pending_pressed(update: Update, context: CampaignContext) -> None:
    """``pending:page:<page>`` turns the /pending list's page; ``pending:open:<applicant>``
    opens that application's card."""
    verb, _ = button_data(context, "pending:")
    if verb is None:
        await answer_stale(update, context)
        return
    await (pending_page_pressed if verb == "page" else pending_open_pressed)(update, context)


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


DECISION_BUTTONS = {
    "approve": approve_pressed,
    "reject": reject_pressed,
    "noreason": reject_without_reason,
    "keep": keep_pending,
}


async def joins_pressed(update: Update, context: CampaignContext) -> None:
    """``joins:decline``: the gathering card's one button."""
    if button_data(context, "joins:")[0] is None:
        await answer_stale(update, context)
        return
    await decline_waiting_joins(update, context)


def register(application: AnyApplication) -> None:
    application.add_handler(
        CallbackQueryHandler(decision_pressed, pattern=CALLBACK_PATTERNS["decide:"])
    )
    application.add_handler(
        CallbackQueryHandler(joins_pressed, pattern=CALLBACK_PATTERNS["joins:"])
    )
    application.add_handler(CommandHandler("pending", pending, filters=filters.ChatType.PRIVATE))
    application.add_handler(
        CallbackQueryHandler(pending_pressed, pattern=CALLBACK_PATTERNS["pending:"])
    )
    settings = application.bot_data.settings
    if settings is not None and settings.group_chat_id is not None:
        application.add_handler(
            ChatJoinRequestHandler(join_request, chat_id=settings.group_chat_id)
        )
