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
from bot.campaign.feed import FeedItem, FeedPlanner, load_item, plan_post
from storage import (
    lookalikes,
    outbox,
    pending_inputs,
    refusals,
    reviews,
)
from storage.database import Database
from storage.lookalikes import RecordedLookalike
from storage.outbox import Notice
from storage.refusals import RecordedRefusal
from storage.reviews import Review

MAX_REASON_LENGTH = 300


async def _item(conn: aiosqlite.Connection, cert_id: int) -> FeedItem | None:
    return await load_item(conn, cert_id)


async def feed_item(db: Database, cert_id: int) -> FeedItem | None:
    async with db.transaction() as conn:
        return await _item(conn, cert_id)


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
    # The leaders' private messages (a revocation's reason, when the feed is in the group and
    # so shows no reason), planned with the change.
    leader_notices: tuple[Notice, ...] = ()


# The participant's message about a revocation or restore, rendered from the changed item and
# their new progress; planned in the change's own transaction so a crash cannot lose it.
ReviewNotice = Callable[[FeedItem, Progress], Notice]
LeaderNotices = Callable[[FeedItem], list[Notice]]


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
    leader_notices: LeaderNotices | None = None,
) -> ReviewResult:
    """What a revoke or restore did, with the participant's new progress and, when it changed
    something, their message (and the leaders') planned in the same transaction."""
    item = await _item(conn, cert_id)
    if item is None:
        return ReviewResult(Outcome.UNKNOWN)
    progress = await progress_in(conn, campaign, item.participant.user_id, now)
    if not changed:
        return ReviewResult(Outcome.UNCHANGED, item, progress)
    planned = await _planned(conn, item, progress, notice, now)
    to_leaders = leader_notices(item) if leader_notices is not None else []
    for leader_notice in to_leaders:
        await outbox.plan_notice(conn, leader_notice, now)
    return ReviewResult(Outcome.DONE, item, progress, planned, tuple(to_leaders))


async def revoke(
    db: Database,
    campaign: Campaign,
    cert_id: int,
    leader_id: int,
    reason: str,
    now: datetime,
    notice: ReviewNotice | None = None,
    leader_notices: LeaderNotices | None = None,
) -> ReviewResult:
    """Mark it revoked (never deleted); the participant's counts drop with it. With ``notice``
    and ``leader_notices``, the participant's and the leaders' messages are planned in the same
    transaction."""
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)
        changed = await reviews.revoke(conn, cert_id, leader_id, reason, now)
        return await _result(conn, campaign, cert_id, changed, notice, now, leader_notices)


async def restore(
    db: Database,
    campaign: Campaign,
    cert_id: int,
    leader_id: int,
    now: datetime,
    notice: ReviewNotice | None = None,
    feed_post: FeedPlanner | None = None,
) -> ReviewResult:
    """Count it again; with ``notice``, the participant's message is planned with it, and with
    ``feed_post`` the feed post, if it never went out: a revocation before the post (from the
    console) ended the note step and kept it back, so it is due now, not at the feed job's
    next look."""
    async with db.transaction() as conn:
        changed = await reviews.restore(conn, cert_id, leader_id, now)
        if changed and feed_post is not None:
            await plan_post(conn, cert_id, feed_post, now)  # nothing if planned before
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
