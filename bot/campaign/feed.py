"""The review feed: what a certification's post shows, and planning it in the outbox once the
participant's note step is over (note given, skipped, or lapsed).

The post is one picture the bot composes from the two photos' previews (``bot.media
.feed_picture``), drawn when the outbox sends it, with the card as its caption. Planning it in
the transaction that ends the note step means the participant's reply never waits for the
group (Telegram allows a group 20 messages a minute), and a crash cannot lose the post.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from storage import camera, certifications, feed, missions, outbox, participants, reviews
from storage.certifications import Certification
from storage.database import Database
from storage.missions import Mission
from storage.participants import Participant
from storage.reviews import Review

# The outbox renderer that draws the picture (registered in scheduler/jobs.py).
RENDERER = "feed"
# How long an accepted certification waits for its optional note before it is posted without.
NOTE_WAIT = timedelta(minutes=10)
# Previews of posts that have not gone out by then never will (or of unfinished certifications).
PREVIEW_KEEP = timedelta(days=3)


@dataclass(frozen=True)
class FeedItem:
    certification: Certification
    mission: Mission
    participant: Participant
    last_review: Review | None
    posts: list[tuple[int, int]]  # (chat, message) of every copy of the post
    picture_posts: frozenset[tuple[int, int]] = frozenset()  # those that are pictures
    camera_roles: frozenset[str] = frozenset()  # photos taken on the camera page: start, end


async def load_item(conn: aiosqlite.Connection, cert_id: int) -> FeedItem | None:
    cert = await certifications.get(conn, cert_id)
    if cert is None or cert.status not in ("accepted", "revoked"):
        return None
    mission = await missions.get(conn, cert.mission_id)
    person = await participants.get(conn, cert.participant_id)
    if mission is None or person is None:
        return None
    kinds = await reviews.post_kinds(conn, cert_id)
    return FeedItem(
        certification=cert,
        mission=mission,
        participant=person,
        last_review=await reviews.last_for(conn, cert_id),
        posts=[(chat, message) for chat, message, _ in kinds],
        picture_posts=frozenset((chat, message) for chat, message, pic in kinds if pic),
        camera_roles=await camera.camera_roles(conn, cert_id),
    )


@dataclass(frozen=True)
class FeedPost:
    """One chat's copy of the post: the card as caption, its buttons, the words on the picture."""

    chat_id: int
    caption: str
    reply_markup: dict[str, Any]  # InlineKeyboardMarkup JSON
    labels: dict[str, str]  # bot.media.feed_picture.FeedLabels fields


# Renders the copies (one per destination chat) from the item; the Telegram layer knows the
# catalogue, the time zone and where the feed goes.
FeedPlanner = Callable[[FeedItem], list[FeedPost]]


async def plan_post(
    conn: aiosqlite.Connection, cert_id: int, planner: FeedPlanner, now: datetime
) -> list[str] | None:
    """Plan the certification's feed post (once ever; its note step ends with it); the keys
    planned, or None if it was planned (or posted) before."""
    if not await feed.mark_planned(conn, cert_id, now):
        return None
    item = await load_item(conn, cert_id)
    if item is None:
        return []
    keys = []
    for post in planner(item):
        key = feed.post_key(cert_id, post.chat_id)
        payload = {
            "caption": post.caption,
            "reply_markup": post.reply_markup,
            "render": {"name": RENDERER, "params": {"certification": cert_id, **post.labels}},
            "feed_post_of": cert_id,
        }
        await outbox.plan(
            conn,
            key=key,
            chat_id=post.chat_id,
            kind="photo",
            payload=payload,
            not_before=now,
            now=now,
        )
        keys.append(key)
    return keys


async def plan_due(db: Database, planner: FeedPlanner, now: datetime) -> int:
    """Plan the posts whose note step ended without a note or lapsed; how many were planned."""
    planned = 0
    async with db.transaction() as conn:
        for cert_id in await feed.due(conn, now - NOTE_WAIT):
            if await plan_post(conn, cert_id, planner, now) is not None:
                planned += 1
    return planned


async def previews(db: Database, cert_id: int) -> tuple[bytes | None, bytes | None]:
    """Read-only, on the send path of every feed picture: the read connection, not the writer."""
    async with db.read() as conn:
        return await feed.previews(conn, cert_id)


async def forget_old_previews(db: Database, now: datetime) -> int:
    async with db.transaction() as conn:
        return await feed.forget_old_previews(conn, now - PREVIEW_KEEP)
