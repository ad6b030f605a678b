"""The typed context handlers receive: the campaign's services instead of loose ``bot_data``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.campaign.config import Campaign
from bot.i18n import Translator
from bot.settings import Settings
from storage.database import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


class Services:
    """What every handler needs; filled in by ``build_application`` and ``post_init``."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.campaign: Campaign | None = None
        self.translator: Translator | None = None
        self.database: Database | None = None
        # The outbox sender (scheduler.outbox.OutboxSender), started in post_init.
        self.outbox: Any = None
        # The leaders' console web server (bot.console.server.RunningConsole) when configured.
        self.console: Any = None
        # Button presses carry no server date; tests replace this to control "now".
        self.clock: Callable[[], datetime] = utc_now


class CampaignContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]):
    """``context`` in every callback: typed access to the services."""

    @property
    def services(self) -> Services:
        return self.bot_data

    @property
    def db(self) -> Database:
        database = self.bot_data.database
        if database is None:
            raise RuntimeError("the database is opened in post_init")
        return database

    @property
    def campaign(self) -> Campaign:
        assert self.bot_data.campaign is not None
        return self.bot_data.campaign

    @property
    def settings(self) -> Settings:
        assert self.bot_data.settings is not None
        return self.bot_data.settings

    @property
    def translator(self) -> Translator:
        assert self.bot_data.translator is not None
        return self.bot_data.translator

    def now(self) -> datetime:
        return self.bot_data.clock()

    def is_leader(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.leader_ids


CONTEXT_TYPES = ContextTypes(context=CampaignContext, bot_data=Services)
CampaignApplication = Application[
    Any, CampaignContext, dict[Any, Any], dict[Any, Any], Services, Any
]
