"""Shared fixtures: a campaign with a running round, a store in tmp_path, and a bot wired to
a fake Bot API (no network)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.campaign.config import Campaign, parse_campaign
from storage.database import Database
from tests.support import campaign_document


@pytest.fixture
def campaign() -> Campaign:
    return parse_campaign(campaign_document())


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "campaign.sqlite3")
    yield database
    await database.close()


@pytest.fixture
async def bot(tmp_path, campaign):
    """The bot on the first Monday of round 3, 19:00 in Seoul, with no errors expected."""
    from tests.harness import start_harness, stop_harness
    from tests.support import kst

    harness = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"))
    yield harness
    await stop_harness(harness)
    assert harness.errors == [], "a handler raised"
