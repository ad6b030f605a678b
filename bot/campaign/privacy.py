"""Privacy rules (the Personal Information Protection Act): what /mydata exports, and how
long personal data is kept.

Retention, in one place: a person's personal data is kept until ``retention_days`` after the end
of the round they last took part in (the first round ending on or after their last activity; if
no round ends after it, their last activity itself), then the purge job erases it exactly as
/delete does. ``retention_days`` is the campaign file's ``[privacy] retention_days``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot.campaign.config import Campaign
from bot.campaign.feed import PREVIEW_KEEP
from storage import feed, participants, privacy, reviews, risks
from storage.database import Database

# Days personal data is kept after the person's last round ends (about six months).
DEFAULT_RETENTION_DAYS = 180
# Finished outbox rows (texts with names) are kept this long for troubleshooting.
OUTBOX_KEEP_DAYS = 30


def retention_days(campaign: Campaign) -> int:
    return campaign.privacy_retention_days or DEFAULT_RETENTION_DAYS


async def export_json(database: Database, user_id: int, now: datetime) -> bytes | None:
    """The person's data as a readable UTF-8 JSON document; None if nothing is stored."""
    async with database.transaction() as conn:
        data = await privacy.export(conn, user_id)
    if data is None:
        return None
    document: dict[str, Any] = {"exported_at": now.isoformat(timespec="seconds"), **data}
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")


@dataclass(frozen=True)
class ShownMessage:
    """A message the bot sent that shows the person: a review-feed photo or card (in the group or
    the leaders' chats), or the application card with their school and 1365 id."""

    chat_id: int
    message_id: int
    is_text: bool  # a text that can be edited when it is too old to delete
    posted_at: datetime | None
    # The feed picture: its caption (the name) can be edited away, the photos stay if too old.
    is_picture: bool = False


@dataclass(frozen=True)
class Erasure:
    """What /delete did: whether anything was erased, and the messages showing the person that
    should now be taken out of the chats (the store no longer links them to anyone; until they
    are taken down it keeps only their chat and message ids, see ``pending_takedowns``)."""

    erased: bool
    messages: list[ShownMessage] = field(default_factory=list)
    risk_reports: list[int] = field(default_factory=list)  # their reports with cards to redraw


async def erase(database: Database, user_id: int, now: datetime) -> Erasure:
    """Erase the person; their messages in the chats are queued for ``take_down`` in the same
    transaction, so a failure (or a crash) before they are taken down never loses them."""
    async with database.transaction() as conn:
        person = await participants.get(conn, user_id)
        applied_at = person.applied_at if person else None
        shown = [
            ShownMessage(chat_id, message_id, True, applied_at)
            for chat_id, message_id in await participants.leader_cards(conn, user_id)
        ]
        feed = await reviews.feed_messages_of(conn, user_id)
        shown += [
            ShownMessage(
                m.chat_id, m.message_id, m.is_card and not m.is_picture, m.posted_at, m.is_picture
            )
            for m in feed
        ]
        # The cards of their risk reports name them and show the place: redrawn from the
        # anonymised report by the caller (the report stays, and leaders may still close it).
        reports = await risks.reports_with_cards(conn, user_id)
        # The pictures and pins of their reports in leaders' and other people's chats (the photo,
        # the pin, the handoff photo, "same place?", the before/after pair): taken down too.
        pictures = await risks.pictures_of_reporter(conn, user_id)
        shown += [
            ShownMessage(m.chat_id, m.message_id, False, m.posted_at, m.is_photo) for m in pictures
        ]
        await risks.forget_pictures_of_reporter(conn, user_id)
        if not await privacy.erase(conn, user_id, now):
            return Erasure(False)
        await reviews.forget_feed_messages(conn, {m.certification_id for m in feed})
        await privacy.queue_takedowns(
            conn, [(m.chat_id, m.message_id, m.is_text, m.posted_at, m.is_picture) for m in shown]
        )
        return Erasure(True, shown, reports)


async def pending_takedowns(database: Database) -> list[ShownMessage]:
    """Messages of erased people not taken down yet (the bot stopped before it could)."""
    async with database.transaction() as conn:
        return [ShownMessage(*row) for row in await privacy.takedowns(conn)]


async def taken_down(database: Database, messages: list[ShownMessage]) -> None:
    """The bot has done what it can with these messages: forget them."""
    async with database.transaction() as conn:
        await privacy.forget_takedowns(conn, [(m.chat_id, m.message_id) for m in messages])


def _day(value: str, campaign: Campaign) -> date:
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value).astimezone(campaign.timezone).date()


def keep_until(campaign: Campaign, last_activity: date) -> date:
    """The last day personal data of someone last active on ``last_activity`` is kept."""
    ends = [r.end for r in campaign.rounds if r.end >= last_activity]
    base = min(ends) if ends else last_activity
    return base + timedelta(days=retention_days(campaign))


async def expired(database: Database, campaign: Campaign, now: datetime) -> list[int]:
    """People whose personal data is past the retention period today."""
    today = now.astimezone(campaign.timezone).date()
    async with database.transaction() as conn:
        people = await privacy.activity(conn)
    due = []
    for user_id, moments in people:
        if not moments:
            continue
        last = max(_day(value, campaign) for value in moments)
        if keep_until(campaign, last) < today:
            due.append(user_id)
    return due


async def purge(database: Database, campaign: Campaign, now: datetime) -> list[Erasure]:
    """Erase everyone past the retention period (one transaction each); what was erased.
    Their messages wait in ``pending_takedowns`` for the caller to take them down."""
    erased = []
    for user_id in await expired(database, campaign, now):
        erasure = await erase(database, user_id, now)
        if erasure.erased:
            erased.append(erasure)
    async with database.transaction() as conn:
        await privacy.purge_outbox(conn, now - timedelta(days=OUTBOX_KEEP_DAYS))
        await feed.forget_old_previews(conn, now - PREVIEW_KEEP)
    return erased
