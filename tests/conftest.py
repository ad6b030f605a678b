"""Shared fixtures: a campaign with a running round, a store in tmp_path, and a bot wired to
a fake Bot API (no network)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.campaign import Campaign, parse_campaign
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
