"""The review feed's job: posts whose note step ended without a note (a new /certify, /cancel)
or lapsed (``bot.campaign.feed.NOTE_WAIT``) are planned in the outbox, which sends them at the
group's pace. Posts ended by a note or its skip button are planned at once by that step, and
so is one a restore brings back after a revocation kept it from going out."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

from bot.campaign import feed
from bot.context import AnyApplication, CampaignContext
from bot.media import feed_picture
from bot.notices.feed_posts import feed_planner
from bot.outbox_sender import AsyncRenderer
from scheduler.repeat import run_every
from storage.database import Database

log = logging.getLogger(__name__)

JOB_NAME = "feed"
INTERVAL_SECONDS = 15
# Feed pictures kept once drawn (~100 kB each): one post goes to every leader (and the group),
# each its own outbox row, and they follow each other; drawing it again for each is the same
# work for the same bytes.
DRAWN_KEPT = 8


async def plan_lapsed(context: CampaignContext) -> None:
    planned = await feed.plan_due(context.db, feed_planner(context), context.now())
    if planned:
        log.info("planned %d feed posts whose note step ended", planned)


def renderer(database: Database) -> AsyncRenderer:
    """The outbox renderer of the feed picture: the previews from the store, drawn in a thread
    once for all the post's destinations."""
    drawn: OrderedDict[str, asyncio.Task[bytes]] = OrderedDict()

    async def render(params: dict[str, Any]) -> bytes:
        # The rows of one post may be sent at once: the second waits for the first's drawing.
        key = repr(sorted((str(name), str(value)) for name, value in params.items()))
        drawing = drawn.get(key)
        if drawing is None or (drawing.done() and drawing.exception() is not None):
            drawing = drawn[key] = asyncio.ensure_future(_draw(params))
            while len(drawn) > DRAWN_KEPT:
                drawn.popitem(last=False)
        drawn.move_to_end(key)
        return await asyncio.shield(drawing)

    async def _draw(params: dict[str, Any]) -> bytes:
        start, end = await feed.previews(database, int(params["certification"]))
        if start is None and end is None:
            raise LookupError("no previews: the post's photos are gone")
        labels = feed_picture.FeedLabels(
            title=str(params["title"]),
            start_role=str(params["start_role"]),
            end_role=str(params["end_role"]),
            start_stamp=str(params["start_stamp"]),
            end_stamp=str(params["end_stamp"]),
            # Posts planned before the camera page have no camera stamps.
            start_camera=str(params.get("start_camera", "")),
            end_camera=str(params.get("end_camera", "")),
        )
        return await asyncio.to_thread(feed_picture.compose, start, end, labels)

    return render


def register(application: AnyApplication) -> None:
    run_every(
        application, plan_lapsed, name=JOB_NAME, first=INTERVAL_SECONDS, interval=INTERVAL_SECONDS
    )
