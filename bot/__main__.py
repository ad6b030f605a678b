"""Entry point: ``python -m bot`` runs the bot (practice mode while there is no token yet);
``python -m bot run`` runs it live only (a server's way: no token is an error, never practice);
``python -m bot check`` validates the set-up; ``python -m bot practice`` is practice mode."""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from bot import preflight, setup_check
from bot import webhook as webhook_server
from bot.app import ALLOWED_UPDATES, build_application, run_polling
from bot.campaign.config import load_campaign
from bot.config_error import ConfigError
from bot.context import utc_now
from bot.settings import Settings, load_settings, wants_practice
from bot.startup import summarise, sync_missions


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


async def _preflight(settings: Settings) -> None:
    """The store opens (and is migrated) and Telegram accepts the token, before PTB starts."""
    database = await preflight.open_database(settings)
    await database.close()
    username = await preflight.wait_for_telegram(settings)
    logging.getLogger(__name__).info("Telegram knows this bot as @%s", username)


async def _check() -> int:
    settings = load_settings()
    campaign = load_campaign(settings.campaign_file)
    existed = settings.database_path.is_file()
    # Before opening: the files as the bot found them (opening may create or change them).
    problems = setup_check.warnings(settings)
    # check opens the store as the bot would: it creates it (and its folder) if missing and
    # applies pending migrations, so a path the bot cannot write fails here, not at start-up.
    database = await preflight.open_database(settings)
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
    lines.append(
        "database: "
        + ("existing" if existed else "created now by this check")
        + "; check applies pending migrations, as start-up does"
    )
    lines.extend(f"warning: {problem}" for problem in problems)
    lines.append(f"{len(problems)} warning(s)")
    # A webhook URL may carry the token in its path (a common recipe): never print it.
    print(_redact("\n".join(lines), settings))
    return 0 if summary.integrity == "ok" else 1


# Files the bot creates hold minors' data: owner-only however it is started (the store and the
# backups also set their modes explicitly, see storage/file_modes.py).
PRIVATE_UMASK = 0o077


def main(argv: list[str]) -> int:
    os.umask(PRIVATE_UMASK)
    command = argv[0] if argv else "run"
    if command not in ("run", "check", "practice"):
        print("usage: python -m bot [run|check|practice]", file=sys.stderr)
        return 2
    # Only the bare command falls back to practice mode: a service or a container that says
    # ``run`` must stop on a missing token, not serve a practice page nobody sees.
    if command == "practice" or (not argv and wants_practice()):
        return _practice(argv[1:], on_purpose=command == "practice")
    try:
        settings = load_settings()
        _configure_logging(settings)
        if command == "check":
            return asyncio.run(_check())
        campaign = load_campaign(settings.campaign_file)
        preflight.refuse_example_token(settings)
        asyncio.run(_preflight(settings))
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # stopped while waiting for the network
        return 130
    application = build_application(settings, campaign)
    webhook = settings.webhook
    if webhook is None:
        # The network may drop between the pre-flight and PTB's own start: wait, don't abort.
        run_polling(application)
        return 0
    # Our own server (bot/webhook.py): the secret and the size are checked before the body is
    # read; PTB's reads up to 100 MB first.
    logging.getLogger(__name__).info(
        "webhook mode: listening on %s:%s%s for %s",
        webhook.host,
        webhook.port,
        webhook.path,
        webhook.url,
    )
    webhook_server.run(application, webhook, ALLOWED_UPDATES)
    return 0


def _practice(argv: list[str], *, on_purpose: bool) -> int:
    """The real bot against the Bot API stand-in on this computer (bot/practice/)."""
    from bot.practice import launcher

    level = os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if not isinstance(logging.getLevelName(level), int):
        level = "INFO"
    logging.basicConfig(level=level, stream=sys.stderr)
    for noisy in ("httpx", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return launcher.main(argv, on_purpose=on_purpose, log_level=level)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
