"""The table in handlers/__init__.py says which module owns every command and button."""

from __future__ import annotations

import re

from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers import CALLBACK_PREFIXES, COMMANDS, LEGACY_PREFIXES
from storage import participants


async def test_every_command_and_button_prefix_is_in_the_handler_map(bot):
    commands: dict[str, set[str]] = {}
    prefixes: dict[str, set[str]] = {}
    for group in bot.app.handlers.values():
        for handler in group:
            module = handler.callback.__module__
            if isinstance(handler, CommandHandler):
                for command in handler.commands:
                    commands.setdefault(command, set()).add(module)
            elif isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
                pattern = handler.pattern
                assert isinstance(pattern, re.Pattern)
                # "^risk:cat:" or, for a renamed prefix, "^(?:decide|app):approve:"
                renamed = re.match(r"\^\(\?:([a-z_]+)\|([a-z_]+)\):", pattern.pattern)
                if renamed is not None:
                    new, old = renamed.group(1) + ":", renamed.group(2) + ":"
                    assert LEGACY_PREFIXES[old] == new, pattern.pattern
                    prefixes.setdefault(new, set()).add(module)
                    continue
                prefix = re.match(r"\^([a-z_]+:)", pattern.pattern)
                assert prefix is not None, pattern.pattern
                # The longest entry of the table the pattern starts with ("risk:fwd:" before
                # "risk:"): one feature's buttons may be split between modules by who acts.
                found = [k for k in CALLBACK_PREFIXES if pattern.pattern[1:].startswith(k)]
                key = max(found, key=len) if found else prefix.group(1)
                prefixes.setdefault(key, set()).add(module)
    # privacy's "private chats only" answer is registered for groups too; it is the same module
    assert {name: {COMMANDS.get(name)} for name in commands} == commands
    assert {name: {CALLBACK_PREFIXES.get(name)} for name in prefixes} == prefixes
    assert set(COMMANDS) == set(commands)
    assert set(CALLBACK_PREFIXES) == set(prefixes)


async def test_buttons_from_before_the_prefixes_were_renamed_still_work(bot):
    """A card sent before the rename carries app:approve:<id>; pressing it still approves."""
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    card = bot.message_with_button(leaders[0]["id"], f"decide:approve:{minji['id']}")
    await bot.press(leaders[0], f"app:approve:{minji['id']}", message=card)  # the old data
    async with bot.services.database.transaction() as conn:
        person = await participants.get(conn, minji["id"])
    assert person is not None and person.status == "approved"
    assert any("참여가 승인됐어요" in text for text in bot.texts(minji["id"]))
