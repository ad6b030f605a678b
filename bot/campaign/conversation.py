"""What a person's next message answers: a leader's reason, the application, a photo, a note.

Derived from the store on every message, so it is the same before and after a restart.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.campaign import approval, participants_admin
from bot.campaign.review import REVOKE_REASON
from bot.campaign.risk_reports import (
    RISK_CHECK,
    RISK_DRAFT,
    RISK_REJECT_REASON,
    RISK_RESOLVE_NOTE,
)
from bot.campaign.themes import IDEA, THEME_DRAFT
from storage import certifications, participants, pending_inputs
from storage.database import Database

BROADCAST = "broadcast"  # a leader's next message is the content of a /broadcast


class Expecting(enum.Enum):
    REJECT_REASON = "reject_reason"
    REVOKE_REASON = "revoke_reason"
    THEME_DRAFT = "theme_draft"
    BROADCAST = "broadcast"
    PARTICIPANT_EDIT = "participant_edit"
    IDEA = "idea"
    RISK_DRAFT = "risk_draft"
    RISK_CHECK = "risk_check"
    RISK_RESOLVE_NOTE = "risk_resolve_note"
    RISK_REJECT_REASON = "risk_reject_reason"
    APPLICATION = "application"
    PHOTO = "photo"
    NOTE = "note"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Expectation:
    expecting: Expecting
    ref: int | None = None
    kind: str | None = None


async def expectation(db: Database, user_id: int, *, is_leader: bool) -> Expectation:
    async with db.transaction() as conn:
        waiting = await pending_inputs.get(conn, user_id)
        if waiting is not None and is_leader and waiting.kind in participants_admin.LEADER_INPUTS:
            return Expectation(Expecting.PARTICIPANT_EDIT, waiting.ref, waiting.kind)
        if waiting is not None:
            leader_kinds = (
                approval.REJECT_REASON,
                REVOKE_REASON,
                THEME_DRAFT,
                BROADCAST,
                RISK_RESOLVE_NOTE,
                RISK_REJECT_REASON,
            )
            if (is_leader and waiting.kind in leader_kinds) or waiting.kind in (
                IDEA,
                RISK_DRAFT,
                RISK_CHECK,
            ):
                return Expectation(Expecting(waiting.kind), waiting.ref)
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
