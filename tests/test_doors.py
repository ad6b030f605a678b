"""Two doors onto one set of steps: the chat (handlers/) and the console (bot/console/) never
borrow from each other, every button prefix is read by the one pattern the table gives it, and
buttons sent before a prefix was renamed still work."""

from __future__ import annotations

import ast
from pathlib import Path

import aiohttp
from telegram.ext import CallbackQueryHandler

from handlers import CALLBACK_PATTERNS, CALLBACK_PREFIXES, LEGACY_PREFIXES, RISK_BUTTONS
from storage import participants
from tests.harness import start_harness, stop_harness
from tests.support import kst
from tests.test_console_web import Client, console_settings

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _crossings(folders: list[str], forbidden: str) -> set[tuple[str, str]]:
    """(file, module of ``forbidden``'s package it imports); ``from pkg import mod`` names both
    the package and the module, and counts as the module."""
    depth = forbidden.count(".") + 2
    return {
        (str(path.relative_to(ROOT)), ".".join(name.split(".")[:depth]))
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        for name in _imports(path)
        if name.startswith(forbidden + ".")
    }


def test_the_console_the_scheduler_and_the_notices_never_borrow_from_the_chat():
    below = ["bot/console", "bot/notices", "bot/campaign", "bot/media", "scheduler", "storage"]
    assert _crossings(below, "handlers") == set()


def test_the_chat_never_borrows_from_the_console():
    assert _crossings(["handlers"], "bot.console") == set()


def test_what_follows_a_step_knows_neither_door():
    assert _crossings(["bot/notices"], "bot.console") == set()
    assert _crossings(["bot/notices"], "handlers") == set()


async def test_every_button_prefix_is_read_by_the_one_pattern_of_the_table(bot):
    """A risk report's buttons have one pattern per step (``RISK_BUTTONS``), the others one per
    prefix (``CALLBACK_PATTERNS``)."""
    assert set(CALLBACK_PATTERNS) <= set(CALLBACK_PREFIXES)
    assert all(
        prefix.startswith("risk:") for prefix in set(CALLBACK_PREFIXES) - set(CALLBACK_PATTERNS)
    )
    registered = [
        handler.pattern
        for group in bot.app.handlers.values()
        for handler in group
        if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None
    ]
    for prefix, pattern in CALLBACK_PATTERNS.items():
        assert registered.count(pattern) == 1, prefix
        assert pattern.match(prefix), "a prefix alone still reaches its handler"
        for old, new in LEGACY_PREFIXES.items():
            assert bool(pattern.match(old)) == (new == prefix), (prefix, old)
    for step, pattern in RISK_BUTTONS.items():
        assert registered.count(pattern) == 1, step


def _alert(bot) -> str:
    return bot.tg.calls_of("answerCallbackQuery")[-1].params.get("text", "")


async def test_old_participant_and_reward_buttons_still_work(bot):
    """Cards sent before the rename carry pa:, hand:, bc:, exp: and jr: data."""
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    own = bot.tg.last_sent_message(9001)

    await bot.press(leaders[0], "pa:show:1001", message=own)
    assert "김민지" in bot.last_text(9001)
    await bot.press(leaders[0], "hand:letter:1001", message=own)
    assert _alert(bot) == bot.t("handout-done")
    await bot.say(leaders[0], "/broadcast")
    await bot.say(leaders[0], "내일은 순찰이 없어요")
    preview = bot.tg.last_sent_message(9001)
    await bot.press(leaders[0], "bc:cancel", message=preview)
    assert bot.last_text(9001) == bot.t("broadcast-cancelled")
    await bot.press(leaders[0], "exp:hours", message=own)  # one round, nobody certified yet
    assert bot.last_text(9001) == bot.t("export-empty", round="3차")
    await bot.press(leaders[0], "jr:decline", message=own)
    assert bot.last_text(9001) == bot.t("join-decline-done", count=0)


async def test_an_old_erase_button_still_erases(bot):
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.say(minji, "/delete")
    await bot.press(minji, "priv:delete:yes", message=bot.tg.last_sent_message(1001))
    async with bot.services.database.transaction() as conn:
        assert await participants.get(conn, 1001) is None


async def test_an_id_too_long_for_the_store_is_answered_as_unknown(bot):
    """Nineteen digits pass for a number but not for SQLite's integers: the press is answered
    like any unknown id instead of failing in the store."""
    leaders = await bot.open_leader_chats()
    card = bot.tg.last_sent_message(9001)
    for data in ("decide:approve:9999999999999999999", "decide:approve:٣"):
        await bot.press(leaders[0], data, message=card)
        assert _alert(bot) == bot.t("application-unknown"), data
    for data in ("risk:fwd:9999999999999999999", "risk:to:9999999999999999999:0"):
        await bot.press(leaders[0], data, message=card)
        assert _alert(bot) == bot.t("button-stale"), data


async def test_the_console_answers_an_id_too_long_for_the_store_as_unknown(tmp_path, campaign):
    bot = await start_harness(
        tmp_path, campaign, kst("2027-08-16", "19:00"), console=console_settings()
    )
    try:
        async with aiohttp.ClientSession() as session:
            web = Client(bot, session)
            for path in (
                "api/applications/9999999999999999999/approve",
                "api/participants/9999999999999999999/resume",
                "api/certifications/9999999999999999999/restore",
            ):
                assert await web.call(path, body={}) == (200, {"outcome": "unknown"}), path
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_a_press_without_data_is_answered_and_changes_nothing(bot):
    """Found by the state machine: PTB hands a press without data to the first button
    handler, whatever its pattern, with no match to read."""
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    welcome = bot.tg.last_sent_message(1001)
    answered = len(bot.tg.calls_of("answerCallbackQuery"))
    await bot.press(minji, "", message=welcome)
    assert len(bot.tg.calls_of("answerCallbackQuery")) == answered + 1
    async with bot.services.database.transaction() as conn:
        person = await participants.get(conn, 1001)
    assert person is not None and person.status == "visitor"
