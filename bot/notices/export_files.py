"""The files a leader is handed: a round's 1365 volunteer hours as .xlsx and .csv, with the
column names in the leader's language (the chat's /export and the console's download)."""

from __future__ import annotations

import asyncio

from bot.context import CampaignContext
from bot.media import hours_export
from storage import exports as stored


async def hours_files(
    context: CampaignContext,
    language: str,
    round_name: str,
    people: list[stored.ActiveParticipant],
) -> tuple[hours_export.HoursExport, bytes, bytes]:
    """The round's hours as .xlsx and .csv (the chat's /export hours and the console's)."""

    def label(key: str) -> str:
        return context.translator(language, key)

    minutes_per = context.campaign.rules.minutes_per_certification

    def build() -> tuple[hours_export.HoursExport, bytes, bytes]:
        data = hours_export.hours_export(round_name, people, minutes_per)
        return (data, *hours_export.files(data, label))

    # Seconds of CPU for a busy round: in a worker thread, so everyone else's updates (and the
    # scheduler's jobs) are answered meanwhile. The rows are plain data nobody else mutates.
    return await asyncio.to_thread(build)
