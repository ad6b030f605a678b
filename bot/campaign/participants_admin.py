"""Leaders managing one participant: find, pause or resume, remove (with the reason shown to
them), correct the name or 1365 ID, and mark rewards as handed out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.campaign import rules, signup
from bot.campaign.certify import Progress, progress_in
from bot.campaign.config import Campaign
from bot.campaign.conversation import Expecting
from storage import certifications, handouts, participants, pending_inputs
from storage.database import Database
from storage.participants import Participant

# What a leader's next typed text is for, with the participant's id as the reference.
MAX_REASON_LENGTH = 300


@dataclass(frozen=True)
class Profile:
    person: Participant
    progress: Progress
    handed_out: set[str]


async def find(db: Database, query: str) -> list[Participant]:
    async with db.transaction() as conn:
        return await participants.find(conn, query.strip())


async def directory(db: Database, offset: int, limit: int) -> list[Participant]:
    """A page of the leaders' list of people (one more than ``limit`` tells there is a next)."""
    async with db.transaction() as conn:
        return await participants.directory(conn, max(0, offset), limit)


async def profile(db: Database, campaign: Campaign, user_id: int, now: datetime) -> Profile | None:
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None:
            return None
        return Profile(
            person,
            await progress_in(conn, campaign, user_id, now),
            await handouts.of(conn, user_id),
        )


async def expect(db: Database, leader_id: int, kind: str, user_id: int, now: datetime) -> bool:
    async with db.transaction() as conn:
        if await participants.get(conn, user_id) is None:
            return False
        await pending_inputs.expect(conn, leader_id, kind, user_id, now)
        return True


async def apply_text(
    db: Database, leader_id: int, kind: str, user_id: int, text: str, now: datetime
) -> Participant | None:
    """The leader's typed reason or correction. Raises signup.InvalidAnswer if unusable;
    None when the participant was not in a state this applies to."""
    value = text.strip()
    if kind in (Expecting.PAUSE_REASON, Expecting.REMOVE_REASON) and (
        not value or len(value) > MAX_REASON_LENGTH
    ):
        raise signup.InvalidAnswer("reject-reason-invalid", limit=MAX_REASON_LENGTH)
    if kind == Expecting.FIX_NAME:
        value = signup.clean_answer(signup.Step.NAME, text)
    elif kind == Expecting.FIX_VOLUNTEER_ID:
        value = signup.clean_answer(signup.Step.VOLUNTEER_ID, text)
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)
        if kind == Expecting.PAUSE_REASON:
            changed = await participants.set_paused(conn, user_id, True, value, now)
        elif kind == Expecting.REMOVE_REASON:
            changed = await participants.remove(conn, user_id, leader_id, value, now)
        else:
            field = "full_name" if kind == Expecting.FIX_NAME else "volunteer_id"
            changed = await participants.correct(conn, user_id, field, value, now)
        return await participants.get(conn, user_id) if changed else None


async def resume(db: Database, user_id: int, now: datetime) -> bool:
    async with db.transaction() as conn:
        return await participants.set_paused(conn, user_id, False, None, now)


async def hand_out(
    db: Database, campaign: Campaign, user_id: int, reward: str, leader_id: int, now: datetime
) -> bool | None:
    """Mark a reward handed out (True), already marked (False), or not earned/unknown (None)."""
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None:
            return None
        if reward.startswith("milestone:"):
            count = int(reward.split(":", 1)[1])
            day = rules.campaign_day(now, campaign.timezone)
            total = (await certifications.tally(conn, user_id, day, None)).total
            if count not in {m.count for m in campaign.milestones} or total < count:
                return None
        elif reward != "letter":
            return None
        return await handouts.mark(conn, user_id, reward, leader_id, now)
