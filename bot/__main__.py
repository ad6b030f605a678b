"""Entry point: ``python -m bot`` runs the bot; ``python -m bot check`` validates the set-up."""

from __future__ import annotations

import asyncio
import logging
import sys

from bot.app import ALLOWED_UPDATES, build_application
from bot.campaign import load_campaign
from bot.config_error import ConfigError
from bot.context import utc_now
from bot.settings import load_settings
from bot.startup import summarise, sync_missions
from storage.database import Database


class _RedactToken(logging.Filter):
    """Keep the bot token out of every log line (URLs in library logs contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "<BOT_TOKEN>")
            record.args = ()
        return True


def _configure_logging(level: str, token: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(_RedactToken(token))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


async def _check() -> int:
    settings = load_settings()
    campaign = load_campaign(settings.campaign_file)
    database = await Database.open(settings.database_path)
    try:
        now = utc_now()
        await sync_missions(database, campaign, now)
        summary = await summarise(database, campaign, now)
    finally:
        await database.close()
    print(f"campaign: {campaign.name} ({campaign.station}), time zone {campaign.timezone.key}")
    for r in campaign.rounds:
        print(f"round {r.name}: {r.start} .. {r.end} ({r.days} days)")
    print(f"today: {summary.today}, current round: {summary.current_round or '-'}")
    print(f"milestones: {', '.join(f'{m.count} -> {m.reward}' for m in campaign.milestones)}")
    print(f"leaders: {len(settings.leader_ids)}, group: {settings.group_chat_id or '-'}")
    print(
        f"database: {settings.database_path} (schema {summary.schema_version}, "
        f"integrity {summary.integrity}), missions {summary.missions}, "
        f"participants {summary.participants or {}}, "
        f"certifications {summary.certifications or {}}"
    )
    return 0 if summary.integrity == "ok" else 1


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    if command not in ("run", "check"):
        print("usage: python -m bot [run|check]", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
        _configure_logging(settings.log_level, settings.bot_token)
        if command == "check":
            return asyncio.run(_check())
        campaign = load_campaign(settings.campaign_file)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    application = build_application(settings, campaign)
    application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
