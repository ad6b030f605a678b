"""The only wiring point: ``build_application`` puts settings, store, handlers and jobs together."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot import commands, startup
from bot.campaign.config import Campaign
from bot.console import server as console
from bot.context import CONTEXT_TYPES, Services
from bot.errors import on_error
from bot.i18n import Translator
from bot.redelivery import CampaignApplication
from bot.settings import Settings
from bot.update_processor import PerPersonUpdateProcessor
from handlers import register_all
from scheduler import jobs
from storage.database import Database

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.CHAT_JOIN_REQUEST,
    Update.CHAT_MEMBER,
    Update.MY_CHAT_MEMBER,
]

# Long polling: each getUpdates waits up to POLL_TIMEOUT seconds for the first update and
# returns at once when one arrives (a quiet bot answers without delay); after each answer the
# bot waits POLL_INTERVAL seconds before asking again, so on a busy evening the updates that
# arrived meanwhile come in one batch instead of one round trip per update (measured in
# bench.load: about one update per getUpdates without it). Busier campaigns can use a webhook.
POLL_TIMEOUT = 30
POLL_INTERVAL = 0.3


def run_polling(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Poll Telegram until stopped, keeping unconfirmed updates (redelivery is handled)."""
    application.run_polling(
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
        poll_interval=POLL_INTERVAL,
        timeout=POLL_TIMEOUT,
        bootstrap_retries=-1,  # the network may come up after the bot: wait, don't abort
    )


def build_application(
    settings: Settings,
    campaign: Campaign,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    translator: Translator | None = None,
    rate_limit: bool = True,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the bot; ``request`` swaps the network (tests use a fake Bot API)."""
    builder = (
        ApplicationBuilder()
        .application_class(CampaignApplication)
        .token(settings.bot_token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(CONTEXT_TYPES)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=campaign.timezone))
        .concurrent_updates(PerPersonUpdateProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limit:
        # The builder's rate-limiter type parameter changes with this call; PTB's annotations
        # cannot express that on a re-assigned builder.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    services: Services = application.bot_data
    services.settings = settings
    services.campaign = campaign
    services.translator = translator or Translator()
    register_all(application)
    application.add_error_handler(on_error)
    return application


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services: Services = application.bot_data
    assert services.settings is not None and services.campaign is not None
    if services.database is None:
        services.database = await Database.open(services.settings.database_path)
    await startup.sync_missions(services.database, services.campaign, services.clock())
    assert services.translator is not None
    await commands.publish(application.bot, services.translator, services.settings.leader_ids)
    await commands.introduce(application.bot, services.translator, services.campaign)
    jobs.start(application)
    services.console = await console.start(application)


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services: Services = application.bot_data
    await console.stop(services.console)
    services.console = None
    if services.database is not None:
        await services.database.close()
        services.database = None
