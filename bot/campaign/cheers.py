"""Cheering in the community feed as plain functions over the store: one cheer per person per
post, the evening digest for authors, and the weekly top list for the group."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.campaign import rhythm, rules
from bot.campaign.config import Campaign
from bot.campaign.rhythm import Planned
from storage import certifications, cheers, participants, reviews
from storage.database import Database

TOP_SIZE = 5


class Outcome(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # this person cheered this post before
    OWN = "own"  # the author pressed their own post
    UNKNOWN = "unknown"  # no such accepted certification in the group feed (forged, revoked)
    NOT_IN_GROUP = "not_in_group"  # pressed anywhere but on the group's post (a forged button)
    NOT_ALLOWED = "not_allowed"  # neither a participant nor (as far as we know) a group member


@dataclass(frozen=True)
class CheerResult:
    outcome: Outcome
    count: int = 0
    group_post: int | None = None  # the message id of the post in the group


def first_name(telegram_name: str) -> str:
    """What the group sees of a person: the first name only."""
    return (telegram_name or "").split(" ")[0]


async def cheer(
    db: Database,
    cert_id: int,
    user_id: int,
    group_chat_id: int,
    now: datetime,
    *,
    pressed_in: int | None,
    group_member: bool = False,
) -> CheerResult:
    """One cheer, counted only from someone who can see the post: pressed in the group
    (``pressed_in``, the chat of the message the button is on) by an approved participant, or
    by someone Telegram says is a member of the group (``group_member``, asked only when the
    first answer is NOT_ALLOWED)."""
    if pressed_in != group_chat_id:
        return CheerResult(Outcome.NOT_IN_GROUP)
    async with db.transaction() as conn:
        cert = await certifications.get(conn, cert_id)
        posted = dict(await reviews.posts(conn, cert_id))
        if cert is None or cert.status != "accepted" or group_chat_id not in posted:
            return CheerResult(Outcome.UNKNOWN)
        post = posted[group_chat_id]
        person = await participants.get(conn, user_id)
        if not group_member and (person is None or person.status != "approved"):
            return CheerResult(Outcome.NOT_ALLOWED)
        if cert.participant_id == user_id:
            return CheerResult(Outcome.OWN, await cheers.count(conn, cert_id), post)
        added = await cheers.add(conn, cert_id, user_id, now)
        return CheerResult(
            Outcome.DONE if added else Outcome.ALREADY, await cheers.count(conn, cert_id), post
        )


async def count(db: Database, cert_id: int) -> int:
    async with db.transaction() as conn:
        return await cheers.count(conn, cert_id)


def digest_key(user_id: int, day: date) -> str:
    return f"cheers:{user_id}:{day}"


async def digests_due(db: Database, campaign: Campaign, now: datetime) -> list[cheers.DigestDue]:
    """Authors to tell about today's new cheers: from the reminder time on, never in the quiet
    hours, once a day (``plan_digests`` marks them told)."""
    if not rules.awake_from(campaign, now, campaign.schedule.reminder_time):
        return []
    async with db.transaction() as conn:
        return await cheers.digests_due(conn, rules.campaign_day(now, campaign.timezone))


async def plan_digests(
    db: Database, digests: list[tuple[cheers.DigestDue, Planned]], day: date, now: datetime
) -> int:
    """Plan the digests and mark their authors told, in one transaction (so a cheer is told
    once and never lost between the two)."""
    async with db.transaction() as conn:
        new = await rhythm.plan_in(conn, [message for _, message in digests], now)
        for due, _ in digests:
            await cheers.mark_told(conn, due.user_id, day, due.last_cheer)
        return new


@dataclass(frozen=True)
class TopEntry:
    rank: int
    name: str  # first name only
    certifications: int
    streak: int


@dataclass(frozen=True)
class WeeklyTop:
    round_name: str
    week: str  # ISO week, e.g. 2027-W33
    first: date
    last: date
    entries: list[TopEntry]


def top_key(top: WeeklyTop) -> str:
    return f"top:{top.round_name}:{top.week}"


def is_top_time(campaign: Campaign, now: datetime) -> bool:
    """The configured weekday (``[schedule] weekly_top_day``) from the morning time on, never in
    the quiet hours."""
    schedule = campaign.schedule
    return now.astimezone(campaign.timezone).weekday() == schedule.weekly_top_day and (
        rules.awake_from(campaign, now, schedule.morning_time)
    )


async def weekly_top(db: Database, campaign: Campaign, now: datetime) -> WeeklyTop | None:
    """The top of the seven campaign days ending today (Monday to Sunday when posted on a
    Sunday): accepted certifications in them, ties broken by the current streak. None outside
    any round or when nobody certified."""
    today = rules.campaign_day(now, campaign.timezone)
    first = today - timedelta(days=6)
    last = today
    days = [first + timedelta(days=i) for i in range(7)]
    current = campaign.round_on(today) or next(
        (r for r in (campaign.round_on(d) for d in reversed(days)) if r is not None), None
    )
    if current is None:
        return None
    async with db.transaction() as conn:
        counts = await cheers.accepted_between(conn, first, last)
        ranked = []
        for row in counts:
            certified = await certifications.certified_days(conn, row.user_id, current.start)
            ranked.append((row, rules.streak(certified, today)))
    if not ranked:
        return None
    ranked.sort(key=lambda item: (-item[0].certifications, -item[1], item[0].user_id))
    year, week, _ = today.isocalendar()
    entries = [
        TopEntry(i + 1, first_name(row.name), row.certifications, streak)
        for i, (row, streak) in enumerate(ranked[:TOP_SIZE])
    ]
    return WeeklyTop(current.name, f"{year}-W{week:02d}", first, last, entries)
