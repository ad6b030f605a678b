"""The campaign's rhythm as plain functions over the store: who is due a reminder (and their
streak), which milestones to announce or flag, and planning messages into the outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.campaign import rules
from bot.campaign.config import Campaign, Milestone
from storage import certifications, milestones, missions, outbox, participants
from storage.connection import Connection
from storage.database import Database
from storage.missions import Mission


@dataclass(frozen=True)
class Planned:
    """A message to put in the outbox (sent later, at Telegram's pace)."""

    key: str
    chat_id: int
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    not_before: datetime | None = None


@dataclass(frozen=True)
class ReminderDue:
    user_id: int
    name: str
    language: str | None
    streak: int


def reminder_key(user_id: int, day: object) -> str:
    return f"reminder:{user_id}:{day}"


async def reminders_due(db: Database, campaign: Campaign, now: datetime) -> list[ReminderDue]:
    """Participants whose reminder time has come today and who have not certified yet.

    Only during a round and outside the quiet hours; those already reminded today are left out,
    so a start-up at 19:20 still reminds today and one the next morning does not remind for
    yesterday.
    """
    tz = campaign.timezone
    day = rules.campaign_day(now, tz)
    current = campaign.round_on(day)
    schedule = campaign.schedule
    local = now.astimezone(tz)
    if current is None or rules.in_quiet_hours(
        local.time(), schedule.quiet_start, schedule.quiet_end
    ):
        return []
    async with db.transaction() as conn:
        targets = await participants.to_remind(
            conn, day.isoformat(), schedule.reminder_time.strftime("%H:%M"), local.strftime("%H:%M")
        )
        due = []
        for target in targets:
            days = await certifications.certified_days(conn, target.user_id, current.start)
            due.append(
                ReminderDue(target.user_id, target.name, target.language, rules.streak(days, day))
            )
        return due


async def plan(db: Database, messages: list[Planned], now: datetime) -> int:
    """Put messages in the outbox in one transaction; returns how many were new."""
    async with db.transaction() as conn:
        return await plan_in(conn, messages, now)


async def plan_in(conn: Connection, messages: list[Planned], now: datetime) -> int:
    """Put messages in the outbox inside the caller's transaction; returns how many were new."""
    new = 0
    for message in messages:
        new += await outbox.plan(
            conn,
            key=message.key,
            chat_id=message.chat_id,
            kind=message.kind,
            payload=message.payload,
            not_before=message.not_before or now,
            now=now,
        )
    return new


async def announce_milestones(
    db: Database,
    campaign: Campaign,
    user_id: int,
    now: datetime,
    messages_for: Callable[[Milestone, int], list[Planned]],
) -> list[Milestone]:
    """Announce every milestone the participant's total has reached and that was never
    announced, planning its messages in the same transaction (so it is said exactly once)."""
    day = rules.campaign_day(now, campaign.timezone)
    async with db.read() as conn:
        total = (await certifications.tally(conn, user_id, day, None)).total
        said = await milestones.announced_counts(conn, user_id)
    if all(m.count > total or m.count in said for m in campaign.milestones):
        return []  # most certifications reach none: no write
    async with db.transaction() as conn:
        total = (await certifications.tally(conn, user_id, day, None)).total
        reached = [m for m in campaign.milestones if m.count <= total]
        announced = []
        for milestone in reached:
            if await milestones.announce(conn, user_id, milestone.count, now):
                await plan_in(conn, messages_for(milestone, total), now)
                announced.append(milestone)
        return announced


async def flag_dropped_milestones(
    db: Database,
    campaign: Campaign,
    user_id: int,
    now: datetime,
    messages_for: Callable[[Milestone, int], list[Planned]],
) -> list[Milestone]:
    """After a revocation: milestones announced earlier that the total is now below are
    flagged for the leaders (once), instead of being announced again later."""
    async with db.transaction() as conn:
        day = rules.campaign_day(now, campaign.timezone)
        total = (await certifications.tally(conn, user_id, day, None)).total
        flagged = []
        for count in await milestones.announced_above(conn, user_id, total):
            milestone = next((m for m in campaign.milestones if m.count == count), None)
            await milestones.flag(conn, user_id, count, now)
            if milestone is not None:
                await plan_in(conn, messages_for(milestone, total), now)
                flagged.append(milestone)
        return flagged


async def mark_blocked(db: Database, user_id: int, now: datetime) -> bool:
    async with db.transaction() as conn:
        return await participants.mark_inactive(conn, user_id, now)


async def mark_reachable(db: Database, person: participants.Participant | None) -> bool:
    """They wrote to the bot, so it can reach them again; a write only if it had stopped."""
    if person is None or person.active:
        return False
    async with db.transaction() as conn:
        return await participants.mark_active(conn, person.user_id)


BLOCKED_REASON = "blocked the bot (my_chat_member: kicked)"


async def blocked_the_bot(db: Database, user_id: int, now: datetime) -> bool:
    """The person blocked the bot (Telegram said so at once): unreachable from now on, and
    nothing still waiting in the outbox for them is tried."""
    async with db.transaction() as conn:
        changed = await participants.mark_inactive(conn, user_id, now)
        await outbox.skip_chat(conn, user_id, BLOCKED_REASON)
        return changed


async def set_reminder(db: Database, user_id: int, *, on: bool, at: str | None) -> None:
    async with db.transaction() as conn:
        await participants.set_reminder(conn, user_id, on=on, at=at)


@dataclass(frozen=True)
class ThemeLaunch:
    mission: Mission
    recipients: list[participants.ReminderTarget]


async def themes_to_announce(db: Database, campaign: Campaign, now: datetime) -> list[ThemeLaunch]:
    """Theme missions starting today, once the morning announcement time has come (and never in
    the quiet hours); the outbox keys make the announcement happen once."""
    if not rules.awake_from(campaign, now, campaign.schedule.morning_time):
        return []
    async with db.transaction() as conn:
        starting = await missions.themes_starting(conn, rules.campaign_day(now, campaign.timezone))
        if not starting:
            return []
        recipients = await participants.reachable(conn)
        return [ThemeLaunch(mission, recipients) for mission in starting]
