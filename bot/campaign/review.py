"""Leaders reviewing accepted certifications: the feed item, revoke with a reason, restore,
and the audit trail of refusals and revocations."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.campaign.certify import Progress, progress_in
from bot.campaign.config import Campaign
from bot.campaign.conversation import Expecting
from storage import (
    certifications,
    lookalikes,
    missions,
    outbox,
    participants,
    pending_inputs,
    photos,
    refusals,
    reviews,
)
from storage.certifications import Certification
from storage.database import Database
from storage.lookalikes import RecordedLookalike
from storage.missions import Mission
from storage.outbox import Notice
from storage.participants import Participant
from storage.photos import Photo
from storage.refusals import RecordedRefusal
from storage.reviews import Review

MAX_REASON_LENGTH = 300


@dataclass(frozen=True)
class FeedItem:
    certification: Certification
    mission: Mission
    participant: Participant
    photos: list[Photo]
    last_review: Review | None
    posts: list[tuple[int, int]]


async def _item(conn: aiosqlite.Connection, cert_id: int) -> FeedItem | None:
    cert = await certifications.get(conn, cert_id)
    if cert is None or cert.status not in ("accepted", "revoked"):
        return None
    mission = await missions.get(conn, cert.mission_id)
    person = await participants.get(conn, cert.participant_id)
    assert mission is not None and person is not None
    return FeedItem(
        certification=cert,
        mission=mission,
        participant=person,
        photos=await photos.of_certification(conn, cert_id),
        last_review=await reviews.last_for(conn, cert_id),
        posts=await reviews.posts(conn, cert_id),
    )


async def feed_item(db: Database, cert_id: int) -> FeedItem | None:
    async with db.transaction() as conn:
        return await _item(conn, cert_id)


async def remember_posts(
    db: Database,
    cert_id: int,
    sent: list[tuple[int, int]],
    photos_sent: list[tuple[int, list[int]]],
) -> None:
    """The cards (chat, message) and, per chat, the photo messages posted before each card."""
    async with db.transaction() as conn:
        for chat_id, message_id in sent:
            await reviews.remember_post(conn, cert_id, chat_id, message_id)
        for chat_id, message_ids in photos_sent:
            await reviews.remember_photo_posts(conn, cert_id, chat_id, message_ids)


class Outcome(enum.Enum):
    DONE = "done"
    UNCHANGED = "unchanged"  # already revoked / not revoked: someone else was first
    UNKNOWN = "unknown"  # no such accepted or revoked certification (forged or stale button)


@dataclass(frozen=True)
class ReviewResult:
    outcome: Outcome
    item: FeedItem | None = None
    progress: Progress | None = None
    notice: Notice | None = None  # the participant's message, planned with the change


# The participant's message about a revocation or restore, rendered from the changed item and
# their new progress; planned in the change's own transaction so a crash cannot lose it.
ReviewNotice = Callable[[FeedItem, Progress], Notice]


async def _planned(
    conn: aiosqlite.Connection,
    item: FeedItem,
    progress: Progress,
    notice: ReviewNotice | None,
    now: datetime,
) -> Notice | None:
    if notice is None:
        return None
    planned = notice(item, progress)
    await outbox.plan_notice(conn, planned, now)
    return planned


async def ask_revoke_reason(
    db: Database, cert_id: int, leader_id: int, now: datetime
) -> ReviewResult:
    async with db.transaction() as conn:
        item = await _item(conn, cert_id)
        if item is None:
            return ReviewResult(Outcome.UNKNOWN)
        if item.certification.status != "accepted":
            return ReviewResult(Outcome.UNCHANGED, item)
        await pending_inputs.expect(conn, leader_id, Expecting.REVOKE_REASON, cert_id, now)
        return ReviewResult(Outcome.DONE, item)


async def drop_reason_prompt(db: Database, leader_id: int) -> None:
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)


async def _result(
    conn: aiosqlite.Connection,
    campaign: Campaign,
    cert_id: int,
    changed: bool,
    notice: ReviewNotice | None,
    now: datetime,
) -> ReviewResult:
    """What a revoke or restore did, with the participant's new progress and, when it changed
    something, their message planned in the same transaction."""
    item = await _item(conn, cert_id)
    if item is None:
        return ReviewResult(Outcome.UNKNOWN)
    progress = await progress_in(conn, campaign, item.participant.user_id, now)
    if not changed:
        return ReviewResult(Outcome.UNCHANGED, item, progress)
    planned = await _planned(conn, item, progress, notice, now)
    return ReviewResult(Outcome.DONE, item, progress, planned)


async def revoke(
    db: Database,
    campaign: Campaign,
    cert_id: int,
    leader_id: int,
    reason: str,
    now: datetime,
    notice: ReviewNotice | None = None,
) -> ReviewResult:
    """Mark it revoked (never deleted); the participant's counts drop with it. With ``notice``,
    the participant's message is planned in the same transaction."""
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)
        changed = await reviews.revoke(conn, cert_id, leader_id, reason, now)
        return await _result(conn, campaign, cert_id, changed, notice, now)


async def restore(
    db: Database,
    campaign: Campaign,
    cert_id: int,
    leader_id: int,
    now: datetime,
    notice: ReviewNotice | None = None,
) -> ReviewResult:
    """Count it again; with ``notice``, the participant's message is planned with it."""
    async with db.transaction() as conn:
        changed = await reviews.restore(conn, cert_id, leader_id, now)
        return await _result(conn, campaign, cert_id, changed, notice, now)


@dataclass(frozen=True)
class Audit:
    refusals: list[RecordedRefusal]
    reviews: list[Review]
    lookalikes: list[RecordedLookalike]


async def audit(db: Database, limit: int = 15) -> Audit:
    async with db.transaction() as conn:
        return Audit(
            await refusals.latest(conn, limit),
            await reviews.latest(conn, limit),
            await lookalikes.latest(conn, limit),
        )
