"""Access to the Fluent catalogues in ``locales/``: pick a language, render a message.

Every message is sent with HTML parse mode, so every text argument (names, notes, anything a
person typed) is HTML-escaped here, once, before it is placed into a message.
"""

from __future__ import annotations

import html
import logging
from datetime import date, datetime, tzinfo
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax.ast import Junk

from locales import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR
from locales.particles import fluent_functions

log = logging.getLogger(__name__)

Arg = str | int | float | date | datetime | None


def language_for(chosen: str | None, telegram_code: str | None) -> str:
    """The person's own choice (/lang) first, else English for English Telegram, else Korean."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code and telegram_code.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def telegram_language(telegram_code: str | None) -> str | None:
    """The catalogue language Telegram's setting asks for; None when Telegram says nothing."""
    return language_for(None, telegram_code) if telegram_code else None


class Translator:
    """Renders catalogue messages; ``strict`` makes a missing key or argument an error."""

    def __init__(self, directory: Path = LOCALES_DIR, *, strict: bool = False) -> None:
        self.strict = strict
        self._bundles: dict[str, FluentBundle] = {}
        for language in LANGUAGES:
            bundle = FluentBundle(
                [language], use_isolating=False, functions=fluent_functions(language)
            )
            for path in sorted((directory / language).glob("*.ftl")):
                resource = FluentResource(path.read_text(encoding="utf-8"))
                # A syntax error does not raise: the parser keeps it as a Junk entry.
                junk = [entry for entry in resource.body if isinstance(entry, Junk)]
                if junk:
                    raise ValueError(f"{path}: cannot parse {junk[0].content!r}")
                bundle.add_resource(resource)
            self._bundles[language] = bundle

    def keys(self, language: str) -> set[str]:
        return set(self._bundles[language]._messages)

    def __call__(self, language: str, key: str, **args: Arg) -> str:
        bundle = self._bundles.get(language) or self._bundles[DEFAULT_LANGUAGE]
        if not bundle.has_message(key):
            if self.strict:
                raise KeyError(f"{language}: no message {key!r}")
            log.error("missing message %r in %s", key, language)
            bundle = self._bundles[DEFAULT_LANGUAGE]
            if not bundle.has_message(key):
                return key
        message = bundle.get_message(key)
        if message.value is None:  # a message with attributes only: nothing to show
            return key
        safe = {name: _escape(value) for name, value in args.items() if value is not None}
        text, errors = bundle.format_pattern(message.value, safe)
        if errors:
            if self.strict:
                raise ValueError(f"{language}:{key}: {errors}")
            log.error("message %r in %s: %s", key, language, errors)
        return str(text)


def _escape(value: Arg) -> str | int | float:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return html.escape(str(value), quote=False)


def format_day(language: str, day: date) -> str:
    """A campaign day as people write it in that language (month, day and weekday)."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMEd", day, locale=language)


def chart_summary(t: Translator, language: str, counts: list[int]) -> str:
    """The line a per-day chart leads with: the total and the average per day shown."""
    total = sum(counts)
    average = round(total / len(counts), 1) if counts else 0.0
    return t(language, "stats-chart-summary", total=total, average=average)


def format_date(language: str, day: date) -> str:
    """A date in full, year included, as that language writes it (a badge keeps it)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, format="long", locale=language)


def format_clock(moment: datetime, timezone: tzinfo) -> str:
    """Wall-clock time in the campaign's time zone, 24-hour: ``19:05``."""
    return moment.astimezone(timezone).strftime("%H:%M")


def format_moment(language: str, moment: datetime, timezone: tzinfo) -> str:
    """A day and a time in the campaign's zone, as the cards write them: ``format_day``'s date,
    then the clock (``19:05``)."""
    day = format_day(language, moment.astimezone(timezone).date())
    return f"{day} {format_clock(moment, timezone)}"
