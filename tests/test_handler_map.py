"""The table in handlers/__init__.py says which module owns every command and button."""

from __future__ import annotations

import re

from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers import CALLBACK_PREFIXES, COMMANDS


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
                prefix = re.match(r"\^(?:\(\?:[^)]*\))?([a-z_]+:)", pattern.pattern)
                assert prefix is not None, pattern.pattern
                prefixes.setdefault(prefix.group(1), set()).add(module)
    # privacy's "private chats only" answer is registered for groups too; it is the same module
    assert {name: {COMMANDS.get(name)} for name in commands} == commands
    assert {name: {CALLBACK_PREFIXES.get(name)} for name in prefixes} == prefixes
    assert set(COMMANDS) == set(commands)
    assert set(CALLBACK_PREFIXES) == set(prefixes)
