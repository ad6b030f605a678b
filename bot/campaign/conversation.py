"""Where a person is in a conversation: every step that waits for their next message, in one place.

A step is one ``Expecting`` member. Steps a person is asked for explicitly (a leader's reason, a
draft, an idea) are stored as a pending input whose kind is the member's value; the others (the
application, a start or end photo, a note) follow from the person's rows. Everything is read from
the store on every message, so a restart never loses a step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from storage import certifications, participants, pending_inputs
from storage.database import Database


class Expecting(enum.StrEnum):
    """What a person's next private message answers. Stored values: never rename one."""

    # Leaders' typed inputs, stored in pending_inputs.
    REJECT_REASON = "reject_reason"
    REVOKE_REASON = "revoke_reason"
    THEME_DRAFT = "theme_draft"
    BROADCAST = "broadcast"
    PAUSE_REASON = "participant_pause"
    REMOVE_REASON = "participant_remove"
    FIX_NAME = "participant_name"
    FIX_VOLUNTEER_ID = "participant_vid"
    RISK_RESOLVE_NOTE = "risk_resolve_note"
    RISK_REJECT_REASON = "risk_reject_reason"
    # Anyone's typed inputs, stored in pending_inputs.
    IDEA = "idea"
    RISK_DRAFT = "risk_draft"
    RISK_CHECK = "risk_check"  # a reporter's photo of the place on a later patrol
    # Derived from the person's rows.
    APPLICATION = "application"
    PHOTO = "photo"
    NOTE = "note"
    NOTHING = "nothing"


# Stored steps only a leader can be in (a participant who lost leader rights falls through).
LEADER_STEPS = frozenset(
    {
        Expecting.REJECT_REASON,
        Expecting.REVOKE_REASON,
        Expecting.THEME_DRAFT,
        Expecting.BROADCAST,
        Expecting.PAUSE_REASON,
        Expecting.REMOVE_REASON,
        Expecting.FIX_NAME,
        Expecting.FIX_VOLUNTEER_ID,
        Expecting.RISK_RESOLVE_NOTE,
        Expecting.RISK_REJECT_REASON,
    }
)
STORED_STEPS = LEADER_STEPS | {Expecting.IDEA, Expecting.RISK_DRAFT, Expecting.RISK_CHECK}


@dataclass(frozen=True)
class Expectation:
    expecting: Expecting
    ref: int | None = None


async def expectation(db: Database, user_id: int, *, is_leader: bool) -> Expectation:
    """The step the next message answers. Precedence, first match wins:

    1. a stored prompt (a leader's reason or draft; anyone's idea, risk report draft or
       photo checking whether a reported place is fixed),
    2. the application form while applying,
    3. the end photo of an open certification,
    4. the note after an end photo,
    5. nothing (a photo then starts a certification; text gets a hint).
    """
    # A read: the step it names re-checks when it writes, and the person's own earlier
    # updates are committed before this one runs.
    async with db.read() as conn:
        waiting = await pending_inputs.get(conn, user_id)
        if waiting is not None and waiting.kind in STORED_STEPS:
            step = Expecting(waiting.kind)
            if is_leader or step not in LEADER_STEPS:
                return Expectation(step, waiting.ref)
        person = await participants.get(conn, user_id)
        if person is None:
            return Expectation(Expecting.NOTHING)
        if person.status == "applying":
            return Expectation(Expecting.APPLICATION)
        if await certifications.open_for(conn, user_id) is not None:
            return Expectation(Expecting.PHOTO)
        noted = await certifications.awaiting_note(conn, user_id)
        if noted is not None:
            return Expectation(Expecting.NOTE, noted.id)
        return Expectation(Expecting.NOTHING)


@dataclass(frozen=True)
class Cancelled:
    application: bool
    certification: bool
    reason_prompt: bool

    @property
    def anything(self) -> bool:
        return self.application or self.certification or self.reason_prompt


async def cancel_everything(db: Database, user_id: int, now: datetime) -> Cancelled:
    """/cancel: whatever the person was in the middle of, back to the start."""
    async with db.transaction() as conn:
        reason_prompt = await pending_inputs.clear(conn, user_id)
        application = await participants.abandon_application(conn, user_id, now)
        await certifications.clear_note_prompts(conn, user_id)
        open_cert = await certifications.open_for(conn, user_id)
        certification = open_cert is not None and await certifications.close_open(
            conn, open_cert.id, "cancelled"
        )
    return Cancelled(application, certification, reason_prompt)
