"""Night maintenance: a consistent database copy at 03:00 campaign time (the last 7 kept in
``backups/`` beside the database) and the retention purge of personal data at 03:30, which
also takes the erased people's messages out of the chats."""

from __future__ import annotations

import logging
from datetime import time

from bot.campaign import privacy
from bot.context import AnyApplication, CampaignContext
from bot.notices.risk_news import refresh_cards
from bot.notices.takedowns import take_down_pending
from storage import backups

log = logging.getLogger(__name__)

BACKUP_JOB = "nightly-backup"
PURGE_JOB = "retention-purge"
TAKEDOWN_JOB = "takedowns-after-start"
BACKUP_AT = time(3, 0)
PURGE_AT = time(3, 30)


async def nightly_backup(context: CampaignContext) -> None:
    path = await backups.nightly(context.db.path, context.now())
    log.info("nightly backup written to %s", path)


async def retention_purge(context: CampaignContext) -> None:
    erased = await privacy.purge(context.db, context.campaign, context.now())
    if erased:
        log.info("retention: erased the personal data of %d people", len(erased))
    for erasure in erased:  # their risk reports' cards lose the name, place and description
        for report_id in erasure.risk_reports:
            await refresh_cards(context, report_id)
    # Their feed cards lose the name (far past the 48 hours in which bots may delete, the
    # photos are listed to the leaders), and so do messages an interrupted /delete left queued.
    await take_down_pending(context)


async def takedowns_after_start(context: CampaignContext) -> None:
    # A /delete cut short by a stop must not wait for 03:30: by then its photos may be past
    # the 48 hours in which a bot can still delete them.
    await take_down_pending(context)


def register(application: AnyApplication) -> None:
    assert application.job_queue is not None
    campaign = application.bot_data.campaign
    tz = campaign.timezone if campaign is not None else None
    for name in (BACKUP_JOB, PURGE_JOB, TAKEDOWN_JOB):
        for job in application.job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    database = application.bot_data.database
    if database is not None and database.path != ":memory:":
        application.job_queue.run_daily(
            nightly_backup, BACKUP_AT.replace(tzinfo=tz), name=BACKUP_JOB
        )
    application.job_queue.run_daily(retention_purge, PURGE_AT.replace(tzinfo=tz), name=PURGE_JOB)
    application.job_queue.run_once(takedowns_after_start, when=30, name=TAKEDOWN_JOB)
