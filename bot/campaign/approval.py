"""Leaders deciding on applications, and join requests to the campaign group.

Only an application with its consent (and a guardian's under 14) reaches a leader as a card
to approve. A join request from anyone else waits: the person is led to the application, and
the request is approved with their application (or declined). So that floods do not bury the
leaders, such join requests, and applications past the day's card cap, are gathered on one card
per leader and day (``DigestPlan``), edited through the outbox as it changes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import aiosqlite

from bot.campaign.conversation import Expecting
from storage import join_requests, leader_digests, outbox, participants, pending_inputs
from storage.database import Database
from storage.outbox import Notice
from storage.participants import Participant

# The applicant's decision message, rendered from the decided row and the join requests it
# settles; planned in the decision's own transaction so a crash cannot lose it.
DecisionNotice = Callable[[Participant, list[int]], Notice]


@dataclass(frozen=True)
class DigestView:
    """What a leader's gathering card shows."""

    day: date
    joins: int
    names: list[tuple[str, str | None]]  # (Telegram name, username), at most the cap
    join_cap: int
    overflow: int
    card_cap: int
    declined: int
    declined_by: int | None


@dataclass(frozen=True)
class DigestPlan:
    """The day's gathering card for each leader: ``render(view, leader_id, stored language)``
    gives its text and buttons (InlineKeyboardMarkup JSON); [start, end) is the day in UTC.

    Per leader and day (the campaign file's ``[leaders]``): ``join_cap`` join requests listed by
    name (the card is not edited for more; it says the cap was reached) and ``card_cap``
    applications sent as cards of their own (the rest are counted there, for /pending).
    """

    leader_ids: Collection[int]
    day: date
    start: datetime
    end: datetime
    render: Callable[[DigestView, int, str | None], tuple[str, dict[str, Any] | None]]
    join_cap: int
    card_cap: int


def digest_key(leader_id: int, day: date) -> str:
    return f"digest:{leader_id}:{day.isoformat()}"


async def _show_digest(
    conn: aiosqlite.Connection, plan: DigestPlan, digest: leader_digests.LeaderDigest, now: datetime
) -> Notice | None:
    """Plan the card's new version: the first one is a message (returned, to deliver now);
    later ones edit it. An edit not sent yet is replaced by the newer one, so a burst of
    changes costs the leader one message and a few edits at the sender's pace."""
    names = await join_requests.names_between(conn, plan.start, plan.end, plan.join_cap)
    view = DigestView(
        digest.day,
        digest.joins,
        names,
        plan.join_cap,
        digest.overflow,
        plan.card_cap,
        digest.declined,
        digest.declined_by,
    )
    leader = await participants.get(conn, digest.leader_id)
    text, markup = plan.render(view, digest.leader_id, leader.language if leader else None)
    key = digest_key(digest.leader_id, digest.day)
    notice = Notice(key=key, chat_id=digest.leader_id, text=text, reply_markup=markup)
    if await outbox.plan_notice(conn, notice, now):
        return notice
    if await outbox.revise_pending(conn, notice):
        return None  # the message itself has not gone yet: it goes with the news
    await outbox.supersede(conn, f"{key}:v{digest.version - 1}")
    payload: dict[str, Any] = {"message_key": key, "text": text}
    if markup is not None:
        payload["reply_markup"] = markup
    await outbox.plan(
        conn,
        key=f"{key}:v{digest.version}",
        chat_id=digest.leader_id,
        kind=outbox.EDIT_TEXT,
        payload=payload,
        not_before=now,
        now=now,
    )
    return None


@dataclass(frozen=True)
class CardPlan:
    """The application card for every leader, planned in the transaction that queues the
    application, so a crash right after it cannot keep the application from the leaders.

    ``render(applicant, leader_id, leader's stored language or None)`` gives one leader's card;
    with ``digest``, each leader gets at most its ``card_cap`` cards a day and the rest are
    counted on their gathering card.
    """

    leader_ids: Collection[int]
    render: Callable[[Participant, int, str | None], Notice]
    digest: DigestPlan | None = None


async def plan_cards(
    conn: aiosqlite.Connection, person: Participant, cards: CardPlan, now: datetime
) -> list[Notice]:
    """Plan the card for each leader (in the caller's transaction); the notices to deliver."""
    if not person.has_consent:
        return []  # never a card to approve without the consent
    planned: list[Notice] = []
    for leader_id in sorted(cards.leader_ids):
        if cards.digest is not None:
            day = cards.digest.day
            today = await leader_digests.get(conn, leader_id, day)
            if today.cards >= cards.digest.card_cap:
                digest = await leader_digests.add(
                    conn, leader_id, day, overflow=1, new_version=True
                )
                shown = await _show_digest(conn, cards.digest, digest, now)
                planned.extend([shown] if shown else [])
                continue
            await leader_digests.add(conn, leader_id, day, cards=1)
        leader = await participants.get(conn, leader_id)
        notice = cards.render(person, leader_id, leader.language if leader else None)
        if await outbox.plan_notice(conn, notice, now):
            planned.append(notice)
    return planned


MAX_REASON_LENGTH = 300


class Decision(enum.Enum):
    DECIDED = "decided"
    ALREADY_DECIDED = "already_decided"
    UNKNOWN = "unknown"  # no such application (forged or stale button)
    NO_CONSENT = "no_consent"  # pending without the recorded consent: cannot be approved


@dataclass(frozen=True)
class DecisionResult:
    decision: Decision
    applicant: Participant | None
    cards: list[tuple[int, int]]  # (chat_id, message_id) of every leader's copy of the card
    join_request_chats: list[int]  # group join requests waiting on this decision
    notice: Notice | None = None  # the applicant's message, planned with the decision


async def decide(
    db: Database,
    applicant_id: int,
    leader_id: int,
    *,
    approve: bool,
    now: datetime,
    reason: str | None = None,
    notice: DecisionNotice | None = None,
) -> DecisionResult:
    """Record the leader's decision; with ``notice``, plan the applicant's message with it."""
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)
        applicant = await participants.get(conn, applicant_id)
        if applicant is None or applicant.status in ("visitor", "applying"):
            return DecisionResult(Decision.UNKNOWN, applicant, [], [])
        if approve and applicant.status == "pending" and not applicant.has_consent:
            return DecisionResult(Decision.NO_CONSENT, applicant, [], [])
        changed = await participants.decide(
            conn, applicant_id, approve=approve, leader_id=leader_id, now=now, reason=reason
        )
        applicant = await participants.get(conn, applicant_id)
        cards = await participants.leader_cards(conn, applicant_id)
        chats = await join_requests.pending_chats(conn, applicant_id) if changed else []
        planned = None
        if changed and notice is not None and applicant is not None:
            planned = notice(applicant, chats)
            await outbox.plan_notice(conn, planned, now)
        return DecisionResult(
            Decision.DECIDED if changed else Decision.ALREADY_DECIDED,
            applicant,
            cards,
            chats,
            planned,
        )


async def revise_notice(db: Database, notice: Notice) -> bool:
    """Put what was learnt after the commit (an invite link) into a planned, unsent notice."""
    async with db.transaction() as conn:
        return await outbox.revise_pending(conn, notice)


async def ask_reject_reason(
    db: Database, applicant_id: int, leader_id: int, now: datetime
) -> DecisionResult:
    """Remember that the leader's next text is the reason for rejecting this applicant."""
    async with db.transaction() as conn:
        applicant = await participants.get(conn, applicant_id)
        if applicant is None or applicant.status in ("visitor", "applying"):
            return DecisionResult(Decision.UNKNOWN, applicant, [], [])
        if applicant.status != "pending":
            return DecisionResult(Decision.ALREADY_DECIDED, applicant, [], [])
        await pending_inputs.expect(conn, leader_id, Expecting.REJECT_REASON, applicant_id, now)
        return DecisionResult(Decision.DECIDED, applicant, [], [])


async def drop_reason_prompt(db: Database, leader_id: int) -> bool:
    async with db.transaction() as conn:
        return await pending_inputs.clear(conn, leader_id)


async def remember_cards(db: Database, applicant_id: int, sent: list[tuple[int, int]]) -> None:
    async with db.transaction() as conn:
        for chat_id, message_id in sent:
            await participants.remember_leader_card(conn, applicant_id, chat_id, message_id)


async def pending_applications(db: Database) -> list[Participant]:
    async with db.read() as conn:
        return await participants.list_pending(conn)


@dataclass(frozen=True)
class PendingPage:
    """One page of the applications waiting, oldest first: ``number`` counts from 1."""

    number: int
    pages: int
    total: int
    first: int  # the position (from 1) of the page's first application in the whole list
    people: list[Participant]


async def pending_page(db: Database, number: int, per_page: int) -> PendingPage:
    """The ``number``-th page (clamped to the pages there are) of the applications waiting."""
    async with db.read() as conn:
        total = await participants.count_pending(conn)
        pages = max(1, -(-total // per_page))
        number = min(max(1, number), pages)
        people = await participants.list_pending(
            conn, limit=per_page, offset=(number - 1) * per_page
        )
    return PendingPage(number, pages, total, (number - 1) * per_page + 1, people)


class JoinRequestOutcome(enum.Enum):
    APPROVE = "approve"  # an approved participant: let them in
    WAITING = "waiting"  # their application is with the leaders: approved with it
    ASK_TO_APPLY = "ask_to_apply"  # no application yet: lead them to it; the request waits


@dataclass(frozen=True)
class JoinRequestResult:
    outcome: JoinRequestOutcome
    person: Participant
    notices: list[Notice] = field(default_factory=list)  # gathering cards to deliver now


async def join_requested(
    db: Database,
    user_id: int,
    chat_id: int,
    name: str,
    username: str | None,
    now: datetime,
    digest: DigestPlan | None = None,
) -> JoinRequestResult:
    """A join request to the group. Never a card to approve: only an approved application
    lets someone in. A new request from someone without one is counted on each leader's
    gathering card (named up to the day's cap; past it, the card is no longer edited)."""
    async with db.transaction() as conn:
        person = await participants.ensure(conn, user_id, name, username, now)
        new = await join_requests.record(conn, user_id, chat_id, now)
        if person.status == "approved":
            await join_requests.settle(conn, user_id, chat_id, approved=True)
            return JoinRequestResult(JoinRequestOutcome.APPROVE, person)
        if person.status == "pending":
            return JoinRequestResult(JoinRequestOutcome.WAITING, person)
        notices: list[Notice] = []
        if new and digest is not None:
            for leader_id in sorted(digest.leader_ids):
                counted = await leader_digests.add(conn, leader_id, digest.day, joins=1)
                if counted.joins > digest.join_cap + 1:
                    continue  # the card already says the cap was reached
                shown = await _show_digest(
                    conn,
                    digest,
                    await leader_digests.add(conn, leader_id, digest.day, new_version=True),
                    now,
                )
                notices.extend([shown] if shown else [])
        return JoinRequestResult(JoinRequestOutcome.ASK_TO_APPLY, person, notices)


async def settle_join_request(db: Database, user_id: int, chat_id: int, approved: bool) -> None:
    async with db.transaction() as conn:
        await join_requests.settle(conn, user_id, chat_id, approved)


async def waiting_join_requests(db: Database) -> list[tuple[int, int]]:
    """(user_id, chat_id) of join requests from people without a submitted application."""
    async with db.transaction() as conn:
        return await join_requests.waiting_without_application(conn)


async def declined_from_digest(
    db: Database,
    leader_id: int,
    count: int,
    digest: DigestPlan,
    now: datetime,
) -> list[Notice]:
    """A leader declined ``count`` waiting join requests: every leader's card says so."""
    async with db.transaction() as conn:
        notices: list[Notice] = []
        for other in sorted(digest.leader_ids):
            changed = await leader_digests.add(
                conn,
                other,
                digest.day,
                declined=count,
                declined_by=leader_id,
                new_version=True,
            )
            shown = await _show_digest(conn, digest, changed, now)
            notices.extend([shown] if shown else [])
        return notices
