"""The files holding minors' data are the bot user's alone: the database, its -wal and -shm,
the backups (nightly and /backup's temporary copy) are created 0600 in 0700 folders, even when
the bot is started with a permissive umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import main
from storage import backups
from storage.database import Database
from tests.support import kst


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def lax_umask() -> Iterator[None]:
    """The umask a plain shell or a careless service manager gives (files 0644)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_a_new_database_and_its_wal_and_shm_are_owner_only(tmp_path, lax_umask):
    path = tmp_path / "data" / "nested" / "bot.sqlite3"
    database = await Database.open(path)
    try:
        async with database.transaction() as conn:
            await conn.execute(
                "INSERT INTO participants (user_id, telegram_name, created_at, updated_at) "
                "VALUES (1, 'x', '2027-08-16T10:00:00+00:00', '2027-08-16T10:00:00+00:00')"
            )
        sides = [path.with_name(path.name + side) for side in ("-wal", "-shm")]
        assert all(side.exists() for side in sides)
        for file in (path, *sides):
            assert _mode(file) == 0o600, file
        assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
    finally:
        await database.close()


async def test_an_existing_readable_database_is_made_owner_only(tmp_path, lax_umask):
    path = tmp_path / "bot.sqlite3"
    database = await Database.open(path)
    await database.close()
    os.chmod(path, 0o644)
    database = await Database.open(path)
    try:
        assert _mode(path) == 0o600
    finally:
        await database.close()


async def test_backups_are_owner_only(tmp_path, lax_umask):
    path = tmp_path / "bot.sqlite3"
    database = await Database.open(path)
    try:
        nightly = await backups.nightly(path, kst("2027-08-17", "03:00"))
        assert _mode(nightly) == 0o600 and _mode(nightly.parent) == 0o700
        # /backup's copy goes to a temporary folder first: owner-only there too.
        elsewhere = tmp_path / "tmp-backup" / "copy.sqlite3"
        copied = await backups.copy_to(path, elsewhere)
        assert _mode(copied) == 0o600 and _mode(copied.parent) == 0o700
    finally:
        await database.close()


def test_the_bot_sets_an_owner_only_umask_however_it_is_started(lax_umask, capsys):
    assert main(["no-such-command"]) == 2  # the umask is set before anything else
    current = os.umask(0o022)
    assert current == 0o077
