"""Theme missions added in chat by leaders (a short draft: title, description, start, days,
then confirm), and ideas participants propose with /idea."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.campaign import rules
from bot.campaign.config import Campaign
from bot.campaign.conversation import Expecting
from storage import ideas, missions, participants, pending_inputs
from storage.database import Database
from storage.ideas import Idea, ThemeDraft

MAX_TITLE = 120
MAX_DESCRIPTION = 1000
MAX_IDEA = 500
MAX_DAYS = 30


class DraftStep(enum.Enum):
    TITLE = "title"
    DESCRIPTION = "description"
    START = "start"
    DAYS = "days"
    CONFIRM = "confirm"


def next_draft_step(draft: ThemeDraft) -> DraftStep:
    if draft.title is None:
        return DraftStep.TITLE
    if draft.description is None:
        return DraftStep.DESCRIPTION
    if draft.start is None:
        return DraftStep.START
    if draft.days is None:
        return DraftStep.DAYS
    return DraftStep.CONFIRM


class InvalidDraft(Exception):
    def __init__(self, reason: str, **args: int | str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.args_for_message = args


def parse_start(text: str, today: date, campaign: Campaign) -> date:
    """A start date typed as 2027-08-23 (or 8/23, this year): today or later, inside a round."""
    value = text.strip()
    try:
        if "/" in value:
            month, day = (int(part) for part in value.split("/", 1))
            start = date(today.year, month, day)
        else:
            start = date.fromisoformat(value)
    except ValueError:
        raise InvalidDraft("theme-invalid-date") from None
    if start < today:
        raise InvalidDraft("theme-invalid-past")
    if campaign.round_on(start) is None:
        raise InvalidDraft("theme-invalid-no-round")
    return start


def parse_days(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_DAYS:
        raise InvalidDraft("theme-invalid-days", limit=MAX_DAYS)
    return int(value)


def _one_text(text: str, limit: int, *, one_line: bool) -> str:
    value = text.strip()
    if not value:
        raise InvalidDraft("signup-invalid-empty")
    if one_line and "\n" in value:
        raise InvalidDraft("signup-invalid-one-line")
    if len(value) > limit:
        raise InvalidDraft("signup-invalid-too-long", limit=limit)
    return value


async def begin_draft(
    db: Database, leader_id: int, now: datetime, idea_id: int | None = None
) -> ThemeDraft | None:
    """A fresh draft (from an idea: its text becomes the proposed title).

    None when the idea is gone (an old or forged button): nothing is started.
    """
    async with db.transaction() as conn:
        idea = await ideas.get(conn, idea_id) if idea_id is not None else None
        if idea_id is not None and idea is None:
            return None
        await ideas.start_draft(conn, leader_id, idea_id, now)
        if idea is not None:
            title = idea.text.splitlines()[0][:MAX_TITLE]
            await ideas.set_draft_field(conn, leader_id, "title", title, now)
        await pending_inputs.expect(conn, leader_id, Expecting.THEME_DRAFT, 0, now)
        draft = await ideas.draft(conn, leader_id)
        assert draft is not None
        return draft


async def draft_answer(
    db: Database, campaign: Campaign, leader_id: int, text: str, now: datetime
) -> ThemeDraft:
    """The leader's typed answer to the draft's current question (InvalidDraft: why not)."""
    today = rules.campaign_day(now, campaign.timezone)
    async with db.transaction() as conn:
        draft = await ideas.draft(conn, leader_id)
        if draft is None:
            raise InvalidDraft("theme-no-draft")
        step = next_draft_step(draft)
        if step is DraftStep.TITLE:
            await ideas.set_draft_field(
                conn, leader_id, "title", _one_text(text, MAX_TITLE, one_line=True), now
            )
        elif step is DraftStep.DESCRIPTION:
            value = _one_text(text, MAX_DESCRIPTION, one_line=False)
            await ideas.set_draft_field(conn, leader_id, "description", value, now)
        elif step is DraftStep.START:
            start = parse_start(text, today, campaign)
            await ideas.set_draft_field(conn, leader_id, "start_date", start, now)
        elif step is DraftStep.DAYS:
            await ideas.set_draft_field(conn, leader_id, "days", parse_days(text), now)
        else:
            raise InvalidDraft("theme-press-button")
        draft = await ideas.draft(conn, leader_id)
        assert draft is not None
        return draft


async def set_days(db: Database, leader_id: int, days: int, now: datetime) -> ThemeDraft | None:
    async with db.transaction() as conn:
        draft = await ideas.draft(conn, leader_id)
        if draft is None or next_draft_step(draft) is not DraftStep.DAYS:
            return draft
        await ideas.set_draft_field(conn, leader_id, "days", days, now)
        return await ideas.draft(conn, leader_id)


@dataclass(frozen=True)
class Created:
    mission_id: int
    draft: ThemeDraft


async def confirm(
    db: Database, campaign: Campaign, leader_id: int, now: datetime
) -> Created | None:
    """Create the theme mission from a complete draft (announced on its first morning)."""
    async with db.transaction() as conn:
        draft = await ideas.draft(conn, leader_id)
        if draft is None or next_draft_step(draft) is not DraftStep.CONFIRM:
            return None
        assert draft.start is not None and draft.days is not None and draft.title is not None
        owner = campaign.round_on(draft.start)
        if owner is None:
            return None
        mission_id = await missions.upsert(
            conn,
            kind="theme",
            round_name=owner.name,
            title=draft.title,
            description=draft.description or "",
            start=draft.start,
            days=draft.days,
            source="chat",
            now=now,
        )
        if draft.idea_id is not None:
            await ideas.mark_used(conn, draft.idea_id, mission_id)
        await ideas.drop_draft(conn, leader_id)
        await pending_inputs.clear(conn, leader_id)
        return Created(mission_id, draft)


async def abandon(db: Database, leader_id: int) -> None:
    async with db.transaction() as conn:
        await ideas.drop_draft(conn, leader_id)
        await pending_inputs.clear(conn, leader_id)


def end_of(draft: ThemeDraft) -> date | None:
    if draft.start is None or draft.days is None:
        return None
    return draft.start + timedelta(days=draft.days - 1)


async def ask_idea(db: Database, user_id: int, now: datetime) -> bool:
    """/idea without text: the next message is the idea (approved participants only)."""
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None or not person.is_approved:
            return False
        await pending_inputs.expect(conn, user_id, Expecting.IDEA, 0, now)
        return True


async def add_idea(db: Database, user_id: int, text: str, now: datetime) -> int | None:
    value = _one_text(text, MAX_IDEA, one_line=False)
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None or not person.is_approved:
            return None
        await pending_inputs.clear(conn, user_id)
        return await ideas.add(conn, user_id, value, now)


async def latest_ideas(db: Database) -> list[Idea]:
    async with db.transaction() as conn:
        return await ideas.latest(conn)
