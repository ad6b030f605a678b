"""What follows an application and a leader's decision on it: the application card every
leader gets (planned in the outbox with the application), today's gathering card, the
applicant's decision message, and every leader's copy of the card redrawn to show the decision.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError

from bot.campaign import approval, rules
from bot.campaign.approval import Decision, DigestView
from bot.context import CampaignContext
from bot.i18n import format_day, format_moment, language_for
from bot.keyboards import button, keyboard
from bot.outbox_sender import deliver_planned
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
        applied=format_moment(language, applied, tz) if applied else "—",
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


async def decision_line(context: CampaignContext, language: str, person: Participant) -> str:
    tz = context.campaign.timezone
    decided = person.decided_at
    line = context.translator(
        language,
        "application-decided",
        decision=person.status,
        leader=await _leader_name(context, person.decided_by),
        when=format_moment(language, decided, tz) if decided else "",
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
        language = await context.language_of(chat_id)
        body = (
            card_text(context, language, person)
            + "\n\n"
            + await decision_line(context, language, person)
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
        await _settle_join_requests(context, person.user_id, result.join_request_chats, True)
        if group_id not in result.join_request_chats:
            try:
                link = await context.bot.create_chat_invite_link(
                    group_id, member_limit=1, name=f"participant {person.user_id}"
                )
                invite_link = link.invite_link
            except TelegramError as error:
                log.warning("could not create an invite link for %s: %s", group_id, error)
    elif person.status == "rejected":
        await _settle_join_requests(context, person.user_id, result.join_request_chats, False)
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


async def announce_decision(context: CampaignContext, result: approval.DecisionResult) -> None:
    """After a decision (from a card, a typed reason or the console): the applicant hears it,
    then every leader's copy of the card shows it."""
    if result.decision is Decision.DECIDED:
        # The applicant first: a failing leader's copy must not keep the decision from them.
        await _tell_applicant(context, result)
    if result.decision is not Decision.UNKNOWN:
        await _refresh_cards(context, result)


async def _settle_join_requests(
    context: CampaignContext, user_id: int, chats: Iterable[int], approved: bool
) -> None:
    """Approve or decline the applicant's pending join requests, recording each one settled."""
    for chat_id in chats:
        try:
            if approved:
                await context.bot.approve_chat_join_request(chat_id, user_id)
            else:
                await context.bot.decline_chat_join_request(chat_id, user_id)
            await approval.settle_join_request(context.db, user_id, chat_id, approved)
        except TelegramError as error:
            verb = "approve" if approved else "decline"
            log.warning("could not %s the join request of %s: %s", verb, user_id, error)
