"""Applying to join: which question comes next, what a valid answer is, and recording answers.

The application lives in the participant's row (status ``applying``), so the next question is
derived from what is already answered: a restart never loses a half-filled form.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from bot.campaign.approval import CardPlan, plan_cards
from storage import participants
from storage.database import Database
from storage.outbox import Notice
from storage.participants import Participant

CATEGORIES = ("middle", "high", "university", "adult")


class Step(enum.Enum):
    NAME = "name"
    CATEGORY = "category"
    UNDER_14 = "under_14"
    GUARDIAN = "guardian"
    AFFILIATION = "affiliation"
    NEIGHBOURHOOD = "neighbourhood"
    VOLUNTEER_ID = "volunteer_id"
    CONSENT = "consent"
    DONE = "done"


# The questions answered by typing, and the application field each answer fills.
TEXT_STEPS = {
    Step.NAME: "full_name",
    Step.AFFILIATION: "affiliation",
    Step.NEIGHBOURHOOD: "neighbourhood",
    Step.VOLUNTEER_ID: "volunteer_id",
}


def next_step(p: Participant) -> Step:
    if p.full_name is None:
        return Step.NAME
    if p.category is None:
        return Step.CATEGORY
    if p.category == "middle" and p.under_14 is None:
        return Step.UNDER_14
    if p.under_14 and not p.guardian_consent:
        return Step.GUARDIAN
    if p.affiliation is None:
        return Step.AFFILIATION
    if p.neighbourhood is None:
        return Step.NEIGHBOURHOOD
    if p.volunteer_id is None and not p.volunteer_id_skipped:
        return Step.VOLUNTEER_ID
    if p.consent_at is None:
        return Step.CONSENT
    return Step.DONE


class InvalidAnswer(Exception):
    """An answer that cannot be used; ``reason`` is the catalogue key that explains why."""

    def __init__(self, reason: str, **args: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.args_for_message = args


_VOLUNTEER_ID = re.compile(r"^[A-Za-z0-9._@-]{3,30}$")
_LIMITS = {Step.NAME: 40, Step.AFFILIATION: 60, Step.NEIGHBOURHOOD: 30}


def _has_control_characters(text: str) -> bool:
    # Zero-width joiners and the like (Cf) are allowed: they occur in real names and emoji.
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def clean_answer(step: Step, text: str) -> str:
    """Validate a typed answer; the value is kept exactly as typed apart from outer spaces."""
    value = text.strip()
    if not value:
        raise InvalidAnswer("signup-invalid-empty")
    if value.startswith("/"):
        raise InvalidAnswer("signup-invalid-command")
    if "\n" in value or _has_control_characters(value):
        raise InvalidAnswer("signup-invalid-one-line")
    if step is Step.VOLUNTEER_ID:
        if not _VOLUNTEER_ID.match(value):
            raise InvalidAnswer("signup-invalid-volunteer-id")
        return value
    limit = _LIMITS[step]
    if len(value) > limit:
        raise InvalidAnswer("signup-invalid-too-long", limit=limit)
    if step is Step.NAME and not any(ch.isalpha() for ch in value):
        raise InvalidAnswer("signup-invalid-name")
    return value


class Outcome(enum.Enum):
    STARTED = "started"
    NEXT_QUESTION = "next_question"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ALREADY_APPROVED = "already_approved"
    ALREADY_PENDING = "already_pending"
    NOT_APPLYING = "not_applying"
    STALE_BUTTON = "stale_button"  # a button of a question that is no longer the current one


@dataclass(frozen=True)
class SignupResult:
    outcome: Outcome
    participant: Participant | None
    step: Step | None = None
    cards: list[Notice] = field(default_factory=list)  # leaders' cards planned with a submission


async def begin(
    db: Database,
    user_id: int,
    name: str,
    username: str | None,
    now: datetime,
    language: str | None = None,
) -> SignupResult:
    async with db.transaction() as conn:
        person = await participants.ensure(conn, user_id, name, username, now, language)
        if person.status == "approved":
            return SignupResult(Outcome.ALREADY_APPROVED, person)
        if person.status == "pending" and person.consent_at is not None:
            return SignupResult(Outcome.ALREADY_PENDING, person)
        if person.status != "applying":
            await participants.begin_application(conn, user_id, now)
        started = await participants.get(conn, user_id)
        assert started is not None  # ensure() created the row in this transaction
        return SignupResult(Outcome.STARTED, started, next_step(started))


async def answer_text(db: Database, user_id: int, text: str, now: datetime) -> SignupResult:
    """A typed answer to the current question. Raises InvalidAnswer with the reason."""
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None or person.status != "applying":
            raise LookupError("not applying")
        step = next_step(person)
        if step not in TEXT_STEPS:
            raise InvalidAnswer("signup-invalid-press-button")
        value = clean_answer(step, text)
        await participants.set_answer(conn, user_id, TEXT_STEPS[step], value, now)
        person = await participants.get(conn, user_id)
        assert person is not None
        return SignupResult(Outcome.NEXT_QUESTION, person, next_step(person))


async def answer_choice(
    db: Database,
    user_id: int,
    step: Step,
    choice: str,
    now: datetime,
    cards: CardPlan | None = None,
) -> SignupResult:
    """A button answer. Buttons of an earlier question are answered as stale, changing nothing.

    The consent submits the application; with ``cards``, the leaders' cards are planned with it.
    """
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None or person.status != "applying":
            status = person.status if person else "visitor"
            outcome = {
                "approved": Outcome.ALREADY_APPROVED,
                "pending": Outcome.ALREADY_PENDING,
            }.get(status, Outcome.NOT_APPLYING)
            return SignupResult(outcome, person)
        current = next_step(person)
        if current is not step:
            return SignupResult(Outcome.STALE_BUTTON, person, current)
        if step is Step.CATEGORY and choice in CATEGORIES:
            await participants.set_answer(conn, user_id, "category", choice, now)
            if choice != "middle":
                await participants.set_answer(conn, user_id, "under_14", 0, now)
        elif step is Step.UNDER_14 and choice in ("yes", "no"):
            await participants.set_answer(conn, user_id, "under_14", int(choice == "yes"), now)
        elif step is Step.GUARDIAN and choice == "yes":
            await participants.set_answer(conn, user_id, "guardian_consent", 1, now)
        elif step is Step.VOLUNTEER_ID and choice == "skip":
            await participants.set_answer(conn, user_id, "volunteer_id_skipped", 1, now)
        elif step is Step.CONSENT and choice == "yes":
            await participants.set_answer(conn, user_id, "consent_at", now, now)
            await participants.submit_application(conn, user_id, now)
            person = await participants.get(conn, user_id)
            assert person is not None
            planned = await plan_cards(conn, person, cards, now) if cards else []
            return SignupResult(Outcome.SUBMITTED, person, Step.DONE, planned)
        elif step in (Step.CONSENT, Step.GUARDIAN) and choice == "no":
            await participants.abandon_application(conn, user_id, now)
            person = await participants.get(conn, user_id)
            assert person is not None
            return SignupResult(Outcome.WITHDRAWN, person)
        else:
            return SignupResult(Outcome.STALE_BUTTON, person, current)
        person = await participants.get(conn, user_id)
        assert person is not None
        return SignupResult(Outcome.NEXT_QUESTION, person, next_step(person))


async def current(db: Database, user_id: int) -> SignupResult:
    """Where this person's application stands now (to repeat the question)."""
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
    if person is None or person.status != "applying":
        return SignupResult(Outcome.NOT_APPLYING, person)
    return SignupResult(Outcome.NEXT_QUESTION, person, next_step(person))
