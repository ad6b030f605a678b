"""(Being written in this session; registers nothing yet.)"""

from telegram.ext import Application


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Nothing to register yet."""
