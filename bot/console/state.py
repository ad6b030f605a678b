"""What every console request handler shares: the bot application and the console's settings,
who opened the page (checked by the server on arrival), and in which language to answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from bot.console import auth
from bot.context import CampaignApplication, CampaignContext, Services
from bot.i18n import language_for
from bot.settings import Console, Settings
from storage import participants

# The pages and their scripts: the console's, and the camera page's.
STATIC = Path(__file__).parent / "static"


class RateLimiter:
    """A token bucket per leader: ``burst`` requests at once, ``per_second`` after that."""

    def __init__(self, burst: float = 300, per_second: float = 5) -> None:
        self.burst, self.per_second = burst, per_second
        self._buckets: dict[int, tuple[float, float]] = {}

    def allow(self, key: int, now: float) -> bool:
        tokens, since = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - since) * self.per_second)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        return True


@dataclass
class ConsoleState:
    """What the request handlers share: the bot application and the console's settings."""

    application: CampaignApplication
    settings: Settings
    console: Console
    limiter: RateLimiter
    clock: Callable[[], float] = time.time
    photos: dict[str, bytes] = field(default_factory=dict)  # re-encoded, newest last

    @property
    def services(self) -> Services:
        return self.application.bot_data

    def context(self) -> CampaignContext:
        """A handler context without an update: the same services the chat's buttons use."""
        return CampaignContext(self.application)


STATE: web.AppKey[ConsoleState] = web.AppKey("console", ConsoleState)
OPENER: web.RequestKey[auth.Opener] = web.RequestKey("opener", auth.Opener)


def state_of(request: web.Request) -> ConsoleState:
    return request.app[STATE]


def refuse(status: int, why: str) -> web.Response:
    return web.json_response({"error": why}, status=status)


def opener_of(request: web.Request) -> auth.Opener:
    return request[OPENER]


async def language_of(state: ConsoleState, opener: auth.Opener) -> str:
    database = state.services.database
    assert database is not None
    async with database.read() as conn:
        person = await participants.get(conn, opener.user_id)
    return language_for(person.language if person else None, opener.language_code)
