"""Process settings from the environment (and an optional ``.env`` file)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from bot.config_error import ConfigError

DEFAULT_API_URL = "https://api.telegram.org"
_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
_SOURCE = "environment"


@dataclass(frozen=True)
class Settings:
    bot_token: str
    bot_api_url: str
    database_path: Path
    leader_ids: frozenset[int]
    group_chat_id: int | None
    campaign_file: Path
    log_level: str

    @property
    def api_base_url(self) -> str:
        """PTB appends the token: ``{root}/bot{token}/{method}``."""
        return f"{self.bot_api_url}/bot"

    @property
    def file_base_url(self) -> str:
        return f"{self.bot_api_url}/file/bot"


def load_settings(
    environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = ".env"
) -> Settings:
    """Read settings; values in the real environment win over the ``.env`` file."""
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

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
    )
