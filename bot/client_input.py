"""What a client sends (a button's data, a console page's path or query) may be forged."""

from __future__ import annotations

# Up to 18 digits: every such number fits SQLite's 64-bit integers (19 digits may not).
MAX_DIGITS = 18


def parse_int(value: str) -> int | None:
    """A non-negative number written in ASCII digits, or None for anything else."""
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS:
        return None
    return int(value)
