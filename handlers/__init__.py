"""Telegram glue: each module parses updates, calls the campaign's functions, renders replies.

``register_all`` decides the order (order matters: the first matching handler in a group wins).
"""

from __future__ import annotations

from telegram.ext import Application


def register_all(application: Application) -> None:  # type: ignore[type-arg]
    from handlers import (
        approval,
        broadcast,
        certify,
        cheers,
        console,
        exports,
        inbox,
        participants,
        privacy,
        review,
        risks,
        settings,
        signup,
        standings,
        start,
        themes,
    )

    # Group 0, in order: commands and buttons of each feature, then the inbox that routes
    # every remaining private message (it must come last: it matches almost anything).
    start.register(application)
    signup.register(application)
    approval.register(application)
    certify.register(application)
    review.register(application)
    cheers.register(application)
    settings.register(application)
    themes.register(application)
    standings.register(application)
    console.register(application)
    broadcast.register(application)
    participants.register(application)
    exports.register(application)
    risks.register(application)
    privacy.register(application)
    inbox.register(application)
