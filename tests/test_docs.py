"""The README and docs/ name only commands and settings that exist, and every one that exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from handlers import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = sorted(DOCS.glob("*.md"))
# A command as the docs write it: `/name`, `/name args` (a path like `/data/` ends in a slash).
COMMAND = re.compile(r"`/([a-z]+)(?=[` \[])")
# The first cell of a settings table's row: | `BOT_TOKEN` | or | `[rules] a, b` |.
# Commands of other bots the set-up names (@BotFather's).
OTHER_BOTS = {"newbot"}
TABLE_KEY = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next ``## ``."""
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _environment_settings() -> set[str]:
    """Every variable bot/settings.py reads."""
    return set(re.findall(r'values\.get\("([A-Z_]+)"', _text(ROOT / "bot" / "settings.py")))


def _campaign_keys(document: dict[str, Any]) -> set[str]:
    """``section.key`` for every key of a campaign file (arrays of tables: their keys)."""
    keys: set[str] = set()
    for section, value in document.items():
        tables = value if isinstance(value, list) else [value]
        for table in tables:
            keys.update(f"{section}.{key}" for key in table)
    return keys


def _campaign_file_keys() -> set[str]:
    """The keys a campaign file has: the defaults, and the example people copy."""
    defaults = ROOT / "bot" / "campaign" / "campaign_defaults.toml"
    example = ROOT / "campaign.example.toml"
    return _campaign_keys(tomllib.loads(_text(defaults))) | _campaign_keys(
        tomllib.loads(_text(example))
    )


def _keys_config_reads() -> set[str]:
    """Every key name bot/campaign/config.py asks a table for."""
    reader = r'\.(?:text|whole|day|clock|weekday|tables|sub|names|choice|flag)\("([a-z_]+)"'
    return set(re.findall(reader, _text(ROOT / "bot" / "campaign" / "config.py")))


def _documented_campaign_keys(table_keys: list[str]) -> set[str]:
    """``[rules] a, b`` -> {rules.a, rules.b}; ``[[rounds]] name`` -> {rounds.name}."""
    keys: set[str] = set()
    for cell in table_keys:
        match = re.fullmatch(r"\[\[?([a-z_]+)\]\]? (.+)", cell)
        assert match, f"not a campaign key: {cell!r}"
        keys.update(f"{match[1]}.{key.strip()}" for key in match[2].split(","))
    return keys


def test_every_command_is_explained_to_leaders_or_participants():
    named = set(COMMAND.findall(_text(DOCS / "leaders.md") + _text(DOCS / "participants.md")))
    assert set(COMMANDS) - named == set()


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda path: path.name)
def test_every_command_the_docs_name_exists(page: Path):
    assert set(COMMAND.findall(_text(page))) - set(COMMANDS) - OTHER_BOTS == set()


def test_every_environment_setting_is_in_the_settings_table_and_nothing_else():
    table = _section(_text(DOCS / "settings.md"), "환경 변수")
    documented = set(TABLE_KEY.findall(table))
    assert documented == _environment_settings()


def test_the_readme_names_only_settings_that_exist():
    table = _section(_text(README), "설정")
    documented = set(TABLE_KEY.findall(table))
    assert documented and documented - _environment_settings() == set()


def test_every_campaign_key_is_in_the_settings_table_and_nothing_else():
    table = _section(_text(DOCS / "settings.md"), "캠페인 파일")
    documented = _documented_campaign_keys(TABLE_KEY.findall(table))
    assert documented == _campaign_file_keys()
    assert {key.split(".")[1] for key in documented} - _keys_config_reads() == set()


def test_the_readme_shows_the_test_command_ci_runs():
    ci_command = _text(ROOT / ".ci" / "run").strip().splitlines()[-1]
    assert ci_command in _text(README).splitlines()


def test_the_readme_is_one_short_page_whose_links_lead_somewhere():
    text = _text(README)
    assert len(text.splitlines()) < 200
    links = re.findall(r"\]\(([^)#]+)", text) + re.findall(r'src="([^"]+)"', text)
    assert links
    assert [link for link in links if not (ROOT / link).is_file()] == []
