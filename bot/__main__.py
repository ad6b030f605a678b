"""Entry point: ``python -m bot`` runs the bot; ``python -m bot check`` validates the set-up."""

from __future__ import annotations

import asyncio
import logging
import sys

from bot.app import ALLOWED_UPDATES, build_application
from bot.campaign.config import load_campaign
from bot.config_error import ConfigError
from bot.context import utc_now
from bot.settings import Settings, load_settings
from bot.startup import summarise, sync_missions
from storage.database import Database


class _RedactingFormatter(logging.Formatter):
    """Keep secrets out of every log line, tracebacks included (library URLs contain the token).

    The token's secret half is replaced, so the percent-encoded form (``123%3AAbc...``) that
    appears in file URLs is caught too; so is the webhook secret.
    """

    def __init__(self, fmt: str, secrets: dict[str, str]) -> None:
        super().__init__(fmt)
        self.secrets = {value: name for value, name in secrets.items() if value}

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for value, name in self.secrets.items():
            text = text.replace(value, name)
        return text


def _secrets(settings: Settings) -> dict[str, str]:
    secrets = {settings.bot_token.partition(":")[2] or settings.bot_token: "<BOT_TOKEN>"}
    if settings.webhook is not None:
        secrets[settings.webhook.secret] = "<BOT_WEBHOOK_SECRET>"
    return secrets


def _redact(text: str, settings: Settings) -> str:
    """What ``check`` prints goes to a terminal or a CI log, not through the log formatter."""
    for value, name in _secrets(settings).items():
        if value:
            text = text.replace(value, name)
    return text


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, stream=sys.stderr)
    formatter = _RedactingFormatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s", _secrets(settings)
    )
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)


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
    lines = [f"campaign: {campaign.name} ({campaign.station}), time zone {campaign.timezone.key}"]
    for r in campaign.rounds:
        lines.append(f"round {r.name}: {r.start} .. {r.end} ({r.days} days)")
    lines.append(f"today: {summary.today}, current round: {summary.current_round or '-'}")
    milestones = ", ".join(f"{m.count} -> {m.reward}" for m in campaign.milestones)
    lines.append(f"milestones: {milestones}")
    lines.append(f"leaders: {len(settings.leader_ids)}, group: {settings.group_chat_id or '-'}")
    webhook = settings.webhook
    lines.append(
        "updates: long polling"
        if webhook is None
        else f"updates: webhook {webhook.url} (listening on {webhook.host}:{webhook.port}"
        f"{webhook.path}, secret set)"
    )
    console = settings.console
    lines.append(
        "console: off (no CONSOLE_URL)"
        if console is None
        else f"console: {console.url} (listening on {console.host}:{console.port})"
    )
    lines.append(
        f"database: {settings.database_path} (schema {summary.schema_version}, "
        f"integrity {summary.integrity}), missions {summary.missions}, "
        f"participants {summary.participants or {}}, "
        f"certifications {summary.certifications or {}}"
    )
    # A webhook URL may carry the token in its path (a common recipe): never print it.
    print(_redact("\n".join(lines), settings))
    return 0 if summary.integrity == "ok" else 1


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    if command not in ("run", "check"):
        print("usage: python -m bot [run|check]", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
        _configure_logging(settings)
        if command == "check":
            return asyncio.run(_check())
        campaign = load_campaign(settings.campaign_file)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    application = build_application(settings, campaign)
    webhook = settings.webhook
    if webhook is None:
        application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        return 0
    # PTB's tornado server calls setWebhook with the secret and answers 403 to any request
    # without the matching X-Telegram-Bot-Api-Secret-Token header, before parsing it.
    logging.getLogger(__name__).info(
        "webhook mode: listening on %s:%s%s for %s",
        webhook.host,
        webhook.port,
        webhook.path,
        webhook.url,
    )
    application.run_webhook(
        listen=webhook.host,
        port=webhook.port,
        url_path=webhook.path,
        webhook_url=webhook.url,
        secret_token=webhook.secret,
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
