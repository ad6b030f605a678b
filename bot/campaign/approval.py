"""Leaders deciding on applications, and join requests to the campaign group."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime

import aiosqlite

from bot.campaign.conversation import Expecting
from storage import join_requests, outbox, participants, pending_inputs
from storage.database import Database
from storage.outbox import Notice
from storage.participants import Participant

# The applicant's decision message, rendered from the decided row and the join requests it
# settles; planned in the decision's own transaction so a crash cannot lose it.
DecisionNotice = Callable[[Participant, list[int]], Notice]


@dataclass(frozen=True)
class CardPlan:
    """The application card for every leader, planned in the transaction that queues the
    application, so a crash right after it cannot keep the application from the leaders.

    ``render(applicant, leader_id, leader's stored language or None)`` gives one leader's card.
    """

    leader_ids: Collection[int]
    render: Callable[[Participant, int, str | None], Notice]


async def plan_cards(
    conn: aiosqlite.Connection, person: Participant, cards: CardPlan, now: datetime
) -> list[Notice]:
    """Plan the card for each leader (in the caller's transaction); the notices planned."""
    planned: list[Notice] = []
    for leader_id in sorted(cards.leader_ids):
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
    async with db.transaction() as conn:
        return await participants.list_pending(conn)


class JoinRequestOutcome(enum.Enum):
    APPROVE = "approve"  # an approved participant: let them in
    ROUTED = "routed"  # leaders decide; the person is asked to fill in the application


@dataclass(frozen=True)
class JoinRequestResult:
    outcome: JoinRequestOutcome
    person: Participant
    notify_leaders: bool  # a new entry in the leaders' queue (not one they already have)
    cards: list[Notice] = field(default_factory=list)  # planned with it, to deliver now


async def join_requested(
    db: Database,
    user_id: int,
    chat_id: int,
    name: str,
    username: str | None,
    now: datetime,
    cards: CardPlan | None = None,
) -> JoinRequestResult:
    async with db.transaction() as conn:
        person = await participants.ensure(conn, user_id, name, username, now)
        await join_requests.record(conn, user_id, chat_id, now)
        if person.status == "approved":
            await join_requests.settle(conn, user_id, chat_id, approved=True)
            return JoinRequestResult(JoinRequestOutcome.APPROVE, person, False)
        queued = await participants.mark_pending(conn, user_id, now)
        person = await participants.get(conn, user_id)
        assert person is not None
        planned = await plan_cards(conn, person, cards, now) if queued and cards else []
        return JoinRequestResult(JoinRequestOutcome.ROUTED, person, queued, planned)


async def settle_join_request(db: Database, user_id: int, chat_id: int, approved: bool) -> None:
    async with db.transaction() as conn:
        await join_requests.settle(conn, user_id, chat_id, approved)
