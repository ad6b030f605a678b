"""The typed context handlers receive: the campaign's services instead of loose ``bot_data``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeAlias

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.campaign.config import Campaign
from bot.i18n import Translator, language_for
from bot.settings import Settings
from storage import participants
from storage.database import Database
from storage.participants import Participant


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
    """``context`` in every callback: typed access to the services, and who sent the update.

    PTB builds one context per update and hands it to every group's handler, so the person
    loaded by the preamble (``handlers.common.load_person``, the first group) is read once.
    """

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self._person: Participant | None = None
        self._language: str | None = None
        self._unknown: BaseException | None = None

    def know_person(self, person: Participant | None, language: str) -> None:
        """The preamble's answer: the sender's participant row (None: a visitor) and language."""
        self._person, self._language, self._unknown = person, language, None

    def person_unknown(self, error: BaseException) -> None:
        """The preamble could not read the store: handlers asking for the person fail alike."""
        self._unknown = error

    @property
    def person(self) -> Participant | None:
        """The sender's participant row as the update began (None for a visitor or a leader
        who never applied); a handler that changes the row uses what its write returned."""
        self._check_known()
        return self._person

    @property
    def language(self) -> str:
        """The language to answer the sender in (their /lang choice, else Telegram's)."""
        self._check_known()
        assert self._language is not None
        return self._language

    def _check_known(self) -> None:
        if self._unknown is not None:
            raise self._unknown
        if self._language is None:
            raise RuntimeError("the person is loaded by the preamble handler of every update")

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

    async def language_of(self, user_id: int) -> str:
        """The language of someone other than the sender (a leader, an applicant): the one they
        chose or Telegram gave at first contact."""
        async with self.db.read() as conn:
            person = await participants.get(conn, user_id)
        return language_for(person.language if person else None, None)


CONTEXT_TYPES = ContextTypes(context=CampaignContext, bot_data=Services)
CampaignApplication = Application[
    Any, CampaignContext, dict[Any, Any], dict[Any, Any], Services, Any
]

# The application as handlers' register() functions receive it (its type parameters are the
# context types above; register() only adds handlers, so it needs none of them).
AnyApplication: TypeAlias = Application[Any, Any, Any, Any, Any, Any]
