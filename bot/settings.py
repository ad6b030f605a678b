"""Process settings from the environment (and an optional ``.env`` file)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.config_error import ConfigError

DEFAULT_API_URL = "https://api.telegram.org"
# The placeholder in .env.example: well-formed, so only its exact value gives it away.
EXAMPLE_TOKEN = "123456789:replace-with-the-token-from-BotFather"
_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
_SOURCE = "environment"
# Telegram allows 1-256 of A-Z, a-z, 0-9, _ and - for setWebhook's secret_token; the secret is
# all that keeps strangers from posting fake updates, so we ask for at least 32 (~190 bits).
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
_MAKE_SECRET = 'make one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
# Only a reverse proxy on the same machine reaches the bot; the Docker image sets 0.0.0.0:8443
# itself (a container must accept connections from outside it).
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1:8443"
# Like the webhook: only the TLS proxy on the same machine reaches it (Docker sets 0.0.0.0).
DEFAULT_CONSOLE_LISTEN = "127.0.0.1:8081"
DEFAULT_CONSOLE_MAX_AGE = 3600
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@dataclass(frozen=True)
class Webhook:
    """Where Telegram sends updates (``url``) and where we listen for them behind a proxy."""

    url: str
    secret: str
    host: str
    port: int

    @property
    def path(self) -> str:
        """The local path is exactly the public URL's path (``/`` for a bare host): Telegram
        posts to that path, and a reverse proxy passes it through unchanged."""
        return urlsplit(self.url).path or "/"


@dataclass(frozen=True)
class Console:
    """The leaders' console (a Telegram Mini App): its public URL and where we serve it."""

    url: str
    host: str
    port: int
    max_age: int  # seconds a signed initData stays valid
    tile_url: str  # the map tiles' URL template ({z}/{x}/{y})


@dataclass(frozen=True)
class Settings:
    bot_token: str
    bot_api_url: str
    database_path: Path
    leader_ids: frozenset[int]
    group_chat_id: int | None
    campaign_file: Path
    log_level: str
    webhook: Webhook | None = None  # None: long polling
    console: Console | None = None  # None: no Mini App (the bot runs as before)

    @property
    def api_base_url(self) -> str:
        """PTB appends the token: ``{root}/bot{token}/{method}``."""
        return f"{self.bot_api_url}/bot"

    @property
    def file_base_url(self) -> str:
        return f"{self.bot_api_url}/file/bot"


def _values(environ: Mapping[str, str] | None, env_file: str | Path | None) -> dict[str, str]:
    """The ``.env`` file's values, overridden by the real environment's."""
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return values


def configured_token(
    environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = ".env"
) -> str:
    """BOT_TOKEN as the bot would read it ("" when missing), without checking anything else."""
    return _values(environ, env_file).get("BOT_TOKEN", "").strip()


def wants_practice(
    environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = ".env"
) -> bool:
    """No token yet (or still the example one): ``python -m bot`` starts practice mode."""
    return configured_token(environ, env_file=env_file) in ("", EXAMPLE_TOKEN)


def load_settings(
    environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = ".env"
) -> Settings:
    """Read settings; values in the real environment win over the ``.env`` file."""
    values = _values(environ, env_file)

    token = values.get("BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError(_SOURCE, "BOT_TOKEN", "is required (the token BotFather gave you)")
    if not _TOKEN.match(token):
        raise ConfigError(_SOURCE, "BOT_TOKEN", "does not look like a bot token (123456:ABC...)")

    api_url = values.get("BOT_API_URL", "").strip().rstrip("/") or DEFAULT_API_URL
    if not re.match(r"^https?://[^\s/]+", api_url):
        raise ConfigError(_SOURCE, "BOT_API_URL", f"must be an http(s) URL, got {api_url!r}")

    leader_ids: set[int] = set()
    for part in values.get("LEADER_IDS", "").replace(" ", "").split(","):
        if not part:
            continue
        if not re.fullmatch(r"\d{1,20}", part):
            raise ConfigError(
                _SOURCE, "LEADER_IDS", f"{part!r} is not a Telegram user id (digits only)"
            )
        leader_ids.add(int(part))

    group_raw = values.get("GROUP_CHAT_ID", "").strip()
    group_chat_id: int | None = None
    if group_raw:
        if not re.fullmatch(r"-?\d{1,20}", group_raw):
            raise ConfigError(
                _SOURCE, "GROUP_CHAT_ID", f"{group_raw!r} is not a chat id (like -1001234567890)"
            )
        group_chat_id = int(group_raw)

    log_level = values.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if not isinstance(logging.getLevelName(log_level), int):
        raise ConfigError(_SOURCE, "LOG_LEVEL", f"{log_level!r} is not DEBUG/INFO/WARNING/ERROR")

    return Settings(
        bot_token=token,
        bot_api_url=api_url,
        database_path=Path(values.get("DATABASE_PATH", "").strip() or "data/bot.sqlite3"),
        leader_ids=frozenset(leader_ids),
        group_chat_id=group_chat_id,
        campaign_file=Path(values.get("CAMPAIGN_FILE", "").strip() or "campaign.toml"),
        log_level=log_level,
        webhook=_webhook(values),
        console=_console(values),
    )


def _webhook(values: Mapping[str, str]) -> Webhook | None:
    url = values.get("BOT_WEBHOOK_URL", "").strip()
    secret = values.get("BOT_WEBHOOK_SECRET", "").strip()
    listen = values.get("BOT_WEBHOOK_LISTEN", "").strip()
    if not url:
        # A listen address alone is the Docker image's default for webhook mode: harmless.
        if secret:
            raise ConfigError(
                _SOURCE, "BOT_WEBHOOK_SECRET", "is set but BOT_WEBHOOK_URL is not (polling is used)"
            )
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            _SOURCE, "BOT_WEBHOOK_URL", f"must be an https:// URL without a query, got {url!r}"
        )
    if not secret:
        raise ConfigError(
            _SOURCE,
            "BOT_WEBHOOK_SECRET",
            f"is required with BOT_WEBHOOK_URL (32-256 of A-Za-z0-9_-; {_MAKE_SECRET})",
        )
    if not _WEBHOOK_SECRET.match(secret):
        raise ConfigError(
            _SOURCE,
            "BOT_WEBHOOK_SECRET",
            f"must be 32-256 characters of A-Z, a-z, 0-9, _ and - ({_MAKE_SECRET})",
        )
    host, _, port_raw = (listen or DEFAULT_WEBHOOK_LISTEN).rpartition(":")
    host = host.strip("[]")  # "[::]:8443" for IPv6
    if not host or not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
        raise ConfigError(
            _SOURCE, "BOT_WEBHOOK_LISTEN", f"must be host:port like 0.0.0.0:8443, got {listen!r}"
        )
    return Webhook(url=url, secret=secret, host=host, port=int(port_raw))


def _listen(key: str, raw: str) -> tuple[str, int]:
    host, _, port_raw = raw.rpartition(":")
    host = host.strip("[]")  # "[::]:8081" for IPv6
    if not host or not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
        raise ConfigError(_SOURCE, key, f"must be host:port like 127.0.0.1:8081, got {raw!r}")
    return host, int(port_raw)


def _console(values: Mapping[str, str]) -> Console | None:
    url = values.get("CONSOLE_URL", "").strip()
    listen = values.get("CONSOLE_LISTEN", "").strip()
    max_age_raw = values.get("CONSOLE_MAX_AGE", "").strip()
    tile_url = values.get("CONSOLE_TILE_URL", "").strip() or DEFAULT_TILE_URL
    if not url:
        if listen:
            raise ConfigError(_SOURCE, "CONSOLE_LISTEN", "is set but CONSOLE_URL is not")
        return None
    parts = urlsplit(url)
    # Telegram opens Mini Apps only from https:// addresses.
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            _SOURCE, "CONSOLE_URL", f"must be an https:// URL without a query, got {url!r}"
        )
    host, port = _listen("CONSOLE_LISTEN", listen or DEFAULT_CONSOLE_LISTEN)
    if max_age_raw and not (max_age_raw.isdigit() and 60 <= int(max_age_raw) <= 86400):
        raise ConfigError(_SOURCE, "CONSOLE_MAX_AGE", "must be seconds between 60 and 86400")
    if not re.match(r"^https?://", tile_url) or not all(
        part in tile_url for part in ("{z}", "{x}", "{y}")
    ):
        raise ConfigError(
            _SOURCE, "CONSOLE_TILE_URL", "must be an http(s) URL with {z}, {x} and {y}"
        )
    return Console(
        url=url,
        host=host,
        port=port,
        max_age=int(max_age_raw) if max_age_raw else DEFAULT_CONSOLE_MAX_AGE,
        tile_url=tile_url,
    )
