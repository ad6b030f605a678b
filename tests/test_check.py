"""``python -m bot check`` warns about what parses but will go wrong: the example token, no
leaders, a person's id as the group, and data files other users of the machine could read. It
says that it created (and migrated) the database."""

from __future__ import annotations

import os

from bot.settings import EXAMPLE_TOKEN
from tests.test_configuration import ROOT, TOKEN, _run_bot


def _check(tmp_path, **env: str):
    (tmp_path / "campaign.toml").write_text((ROOT / "campaign.example.toml").read_text())
    result = _run_bot(["check"], {"BOT_TOKEN": TOKEN, "LEADER_IDS": "1", **env}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("warning: ")]


def test_a_clean_set_up_has_no_warnings(tmp_path):
    old = os.umask(0o077)  # files owner-only, as the bot's service user should have them
    try:
        assert _check(tmp_path) == []
        result = _run_bot(["check"], {"BOT_TOKEN": TOKEN, "LEADER_IDS": "1"}, tmp_path)
    finally:
        os.umask(old)
    assert "database: existing; check applies pending migrations" in result.stdout
    assert "0 warning(s)" in result.stdout


def test_the_first_check_says_it_created_the_database(tmp_path):
    (tmp_path / "campaign.toml").write_text((ROOT / "campaign.example.toml").read_text())
    result = _run_bot(["check"], {"BOT_TOKEN": TOKEN, "LEADER_IDS": "1"}, tmp_path)
    assert "database: created now by this check" in result.stdout
    assert (tmp_path / "data" / "bot.sqlite3").is_file()


def test_the_example_token_is_a_warning(tmp_path):
    (warning,) = [w for w in _check(tmp_path, BOT_TOKEN=EXAMPLE_TOKEN) if "BOT_TOKEN" in w]
    assert "still the example from .env.example" in warning


def test_no_leaders_means_applications_reach_nobody(tmp_path):
    (warning,) = [w for w in _check(tmp_path, LEADER_IDS="") if "LEADER_IDS" in w]
    assert "applications will reach nobody" in warning


def test_a_positive_group_chat_id_is_a_person_not_a_group(tmp_path):
    (warning,) = [w for w in _check(tmp_path, GROUP_CHAT_ID="123456789") if "GROUP_CHAT_ID" in w]
    assert "a person's id, not a group" in warning
    assert not [w for w in _check(tmp_path, GROUP_CHAT_ID="-1001234567890") if "GROUP" in w]


def test_data_files_other_users_can_read_are_warned_about(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    (data / "backups").mkdir(mode=0o700)
    backup = data / "backups" / "bot-20270816-180000.sqlite3"
    backup.write_bytes(b"")
    backup.chmod(0o644)
    _check(tmp_path)  # creates the database
    (data / "bot.sqlite3").chmod(0o644)
    warnings = _check(tmp_path)
    assert any(f"the folder {data} is open to other users (mode 755)" in w for w in warnings)
    assert any(f"the file {data / 'bot.sqlite3'} is open" in w for w in warnings)
    assert any("chmod 600" in w and "backups" in w for w in warnings)

    for path in (data, data / "bot.sqlite3", backup):
        path.chmod(0o700 if path.is_dir() else 0o600)
    for suffix in ("-wal", "-shm"):
        extra = data / f"bot.sqlite3{suffix}"
        if extra.exists():
            extra.chmod(0o600)
    assert _check(tmp_path) == []
