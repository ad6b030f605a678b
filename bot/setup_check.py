"""What ``python -m bot check`` warns about: settings that parse but will go wrong in use, and
data files (minors' personal data) that other users of the machine could read."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

from bot.settings import EXAMPLE_TOKEN, Settings
from storage import backups

# Permission bits that let the group or everyone else read, write or enter.
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def warnings(settings: Settings) -> list[str]:
    """One line per problem, each saying what to do."""
    found = []
    if settings.bot_token == EXAMPLE_TOKEN:
        found.append(
            "BOT_TOKEN is still the example from .env.example: put the token @BotFather gave you"
        )
    if not settings.leader_ids:
        found.append(
            "LEADER_IDS is empty: applications will reach nobody (add the leaders' Telegram "
            "user ids, comma-separated)"
        )
    if settings.group_chat_id is not None and settings.group_chat_id > 0:
        found.append(
            f"GROUP_CHAT_ID {settings.group_chat_id} is a person's id, not a group: a group's "
            "id starts with - (like -1001234567890)"
        )
    found.extend(exposed_data(settings.database_path))
    return found


def exposed_data(database_path: Path) -> Iterator[str]:
    """The data folder, the database with its -wal and -shm, and the backups, where anyone but
    the bot's user may read them."""
    database_path = database_path.resolve()  # absolute: the chmod advice works from anywhere
    folder = database_path.parent
    for path in (folder, backups.folder_for(database_path)):
        if path.is_dir() and _mode(path) & _OTHERS:
            yield (
                f"the folder {path} is open to other users (mode {_mode(path):o}); it holds "
                f"minors' personal data: chmod 700 {path}"
            )
    files = [Path(f"{database_path}{suffix}") for suffix in ("", "-wal", "-shm")]
    files.extend(backups.existing(backups.folder_for(database_path)))
    for path in files:
        if path.is_file() and _mode(path) & _OTHERS:
            yield (
                f"the file {path} is open to other users (mode {_mode(path):o}); it holds "
                f"minors' personal data: chmod 600 {path}"
            )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)
