"""Start-up work on the store: missions from the campaign file, and ``python -m bot check``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.campaign import rules
from bot.campaign.config import Campaign
from storage import certifications, missions, participants
from storage.database import Database


async def sync_missions(db: Database, campaign: Campaign, now: datetime) -> int:
    """Make the store's missions match the campaign file (missions added in chat stay)."""
    async with db.transaction() as conn:
        for spec in campaign.mission_specs():
            await missions.upsert(
                conn,
                kind=spec.kind,
                round_name=spec.round_name,
                title=spec.title,
                description=spec.description,
                start=spec.start,
                days=spec.days,
                source="file",
                now=now,
            )
        return await missions.count(conn)


@dataclass(frozen=True)
class Summary:
    schema_version: int
    integrity: str
    participants: dict[str, int]
    certifications: dict[str, int]
    missions: int
    today: str
    current_round: str | None


async def summarise(db: Database, campaign: Campaign, now: datetime) -> Summary:
    day = rules.campaign_day(now, campaign.timezone)
    current = campaign.round_on(day)
    version = await db.schema_version()
    integrity = await db.integrity_check()
    async with db.transaction() as conn:
        return Summary(
            schema_version=version,
            integrity=integrity,
            participants=await participants.count_by_status(conn),
            certifications=await certifications.count_by_status(conn),
            missions=await missions.count(conn),
            today=day.isoformat(),
            current_round=current.name if current else None,
        )
