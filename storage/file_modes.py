"""Files that hold minors' data (the database, its -wal and -shm, backups) are the bot user's
alone: created 0600 in folders the bot creates 0700, whatever umask the bot was started with."""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# What SQLite keeps beside a database file (journal_mode=WAL).
SIDE_FILES = ("-wal", "-shm", "-journal")


def private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) owner-only; a folder that already existed keeps
    its mode (it may be shared, e.g. the working directory: ``python -m bot check`` warns)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for created in missing:
        _chmod(created, PRIVATE_FOLDER)


def private_file(path: Path) -> None:
    """Create an empty owner-only file at ``path`` unless one exists; tighten an existing one."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        _chmod(path, PRIVATE_FILE)
    except OSError as error:  # e.g. a read-only folder: SQLite will say what is wrong
        log.warning("could not create %s owner-only: %s", path, error)
    else:
        os.close(descriptor)
        _chmod(path, PRIVATE_FILE)  # os.open's mode passed through the umask; be exact


def tighten_database(path: Path) -> None:
    """The database and whichever of its side files exist: owner-only."""
    for candidate in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        if candidate.exists():
            _chmod(candidate, PRIVATE_FILE)


def _chmod(path: Path, mode: int) -> None:
    try:
        if (path.stat().st_mode & 0o777) != mode:
            os.chmod(path, mode)
    except OSError as error:  # not ours to change (another owner): check reports it
        log.warning("could not make %s private (%o): %s", path, mode, error)


def tighten_folder(folder: Path) -> None:
    """A folder only the bot uses (``backups/``): owner-only even if it was made earlier."""
    _chmod(folder, PRIVATE_FOLDER)
