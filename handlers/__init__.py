"""Telegram glue: each module parses updates, calls the campaign's functions, renders replies.

Where to look: every command and every button's callback-data prefix, and the module that
handles it (``tests/test_handler_map.py`` checks this table against what is registered).
``register_all`` decides the order (order matters: the first matching handler in a group wins).
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import TypeHandler

from bot.context import AnyApplication

COMMANDS: dict[str, str] = {
    # participants
    "start": "handlers.start",  # welcome, /start join opens the application
    "help": "handlers.start",
    "lang": "handlers.start",  # Korean or English
    "certify": "handlers.certify",  # start photo, end photo, note
    "me": "handlers.certify",  # counts, hours, next reward
    "settings": "handlers.settings",  # reminder time
    "idea": "handlers.themes",  # propose a theme mission
    "report": "handlers.risk_reporting",  # a risk report (unsafe spot)
    "myreports": "handlers.risk_followers",  # my reports, and "check whether it is fixed"
    "mydata": "handlers.privacy",
    "delete": "handlers.privacy",
    "cancel": "handlers.inbox",  # back to the start from any step
    # leaders
    "pending": "handlers.approval",  # applications waiting
    "audit": "handlers.review",  # refusals and revocations
    "theme": "handlers.themes",  # draft a theme mission
    "ideas": "handlers.themes",
    "stats": "handlers.standings",
    "top": "handlers.standings",  # the ranking for the chief's letter
    "leaders": "handlers.standings",
    "broadcast": "handlers.broadcast",
    "participant": "handlers.participants",  # find, pause, resume, remove, fix
    "export": "handlers.exports",  # 1365 hours, risk reports
    "backup": "handlers.privacy",
    "console": "handlers.console",  # the leaders' console (a Telegram Mini App)
}

CALLBACK_PREFIXES: dict[str, str] = {
    "apply:": "handlers.signup",  # the application form's choices
    "decide:": "handlers.approval",  # a leader's decision on an application card
    "joins:": "handlers.approval",  # decline the join requests that have no application
    "pending:": "handlers.approval",  # /pending's pages and the card behind each name
    "cert:": "handlers.certify",  # mission choice, cancel, skip the note
    "rev:": "handlers.review",  # revoke / restore a certification in the feed
    "cheer:": "handlers.cheers",  # 👏 under a feed post
    "set:": "handlers.settings",  # reminder time
    "theme:": "handlers.themes",  # theme-mission draft
    "idea:": "handlers.themes",  # turn an idea into a draft
    "broadcast:": "handlers.broadcast",  # send / cancel a broadcast
    "person:": "handlers.participants",  # a participant's page actions
    "handout:": "handlers.participants",  # reward handed out
    # risk reports: the reporter's steps, the people who noticed the place, the leaders
    "risk:begin": "handlers.risk_reporting",  # "report a risk" under a certification
    "risk:cat:": "handlers.risk_reporting",  # the category
    "risk:skipphoto": "handlers.risk_reporting",
    "risk:more": "handlers.risk_reporting",  # one more place from the same patrol
    "risk:same:": "handlers.risk_followers",  # "same place": follow the open report
    "risk:apart:": "handlers.risk_followers",  # "another place"
    "risk:check:": "handlers.risk_followers",  # "is it fixed?" on a later patrol
    "risk:fwd:": "handlers.risk_leaders",  # forward to an agency...
    "risk:to:": "handlers.risk_leaders",  # ...this one (its position in the campaign file)
    "risk:resolve:": "handlers.risk_leaders",
    "risk:fixed:": "handlers.risk_leaders",  # resolved with neither photo nor note
    "risk:reject:": "handlers.risk_leaders",
    "risk:keep": "handlers.risk_leaders",  # neither after all
    "risk:merge:": "handlers.risk_leaders",
    "risk:into:": "handlers.risk_leaders",  # merge into this one
    "risk:ok:": "handlers.risk_leaders",  # the reporter's photo shows it fixed
    "risk:notyet:": "handlers.risk_leaders",
    "erase:": "handlers.privacy",  # /delete confirmation
    "lang:": "handlers.start",  # language choice
    "export:": "handlers.exports",  # which export, which round
    "top:": "handlers.standings",  # the ranking's round and length
}

# The risk buttons' callback data; each handler reads the numbers from ``context.match``.
# A report, photo or agency position: ASCII digits, at most 18 (19 may not fit SQLite's integer).
_ID = r"([0-9]{1,18})"
RISK_BUTTONS: dict[str, re.Pattern[str]] = {
    "begin": re.compile(r"^risk:begin$"),
    "cat": re.compile(r"^risk:cat:(?P<category>[a-z]{1,20})$"),
    "skipphoto": re.compile(r"^risk:skipphoto$"),
    "more": re.compile(r"^risk:more$"),
    "same": re.compile(rf"^risk:same:{_ID}$"),
    "apart": re.compile(rf"^risk:apart:{_ID}$"),
    "check": re.compile(rf"^risk:check:{_ID}$"),
    "fwd": re.compile(rf"^risk:fwd:{_ID}$"),
    "to": re.compile(rf"^risk:to:{_ID}:{_ID}$"),
    "resolve": re.compile(rf"^risk:resolve:{_ID}$"),
    "fixed": re.compile(rf"^risk:fixed:{_ID}$"),
    "reject": re.compile(rf"^risk:reject:{_ID}$"),
    "keep": re.compile(r"^risk:keep$"),
    "merge": re.compile(rf"^risk:merge:{_ID}$"),
    "into": re.compile(rf"^risk:into:{_ID}:{_ID}$"),
    "ok": re.compile(rf"^risk:ok:{_ID}:{_ID}$"),
    "notyet": re.compile(rf"^risk:notyet:{_ID}$"),
}

# Prefixes buttons carried before they were renamed; buttons already in chats keep working.
LEGACY_PREFIXES: dict[str, str] = {
    "app:": "decide:",
    "jr:": "joins:",
    "bc:": "broadcast:",
    "pa:": "person:",
    "hand:": "handout:",
    "priv:": "erase:",
    "exp:": "export:",
}

# What may follow each prefix: one pattern per prefix, whose groups the prefix's one handler
# reads from ``context.matches`` (``handlers.common.button_data``). Every press that starts with
# the prefix (or its legacy name) reaches that handler; a group that the data does not fit
# (forged, or from an older version) is None there, and the handler answers it.
ID = r"(?:([0-9]{1,18})$)?"  # a number that ends the data; 18 digits always fit SQLite
CALLBACK_DATA: dict[str, str] = {
    "apply:": r"(?:(begin)$|([a-z_0-9]+):([a-z_0-9]+)$)?",  # begin | <step>:<choice>
    "decide:": rf"(?:(approve|reject|noreason|keep):)?{ID}",  # <verb>:<applicant>
    "joins:": r"(?:(decline)$)?",
    "pending:": rf"(?:(page|open):)?{ID}",  # <verb>:<page or applicant>
    "cert:": rf"(?:(begin|cancel)$|(mission|skipnote):{ID})?",  # <step> | <step>:<id>
    "rev:": rf"(?:(revoke|restore|keep):)?{ID}",  # <verb>:<certification>
    "cheer:": ID,  # <certification>
    "set:": r"(?:rem:(?:(off|default)|([01][0-9]|2[0-3])([0-5][0-9]))$)?",  # rem:<HHMM>
    "theme:": rf"(?:(confirm|cancel)$|(days):{ID})?",  # <step> | days:<days>
    "idea:": rf"(?:(use):{ID})?",  # use:<idea>
    "broadcast:": r"(?:(send|cancel)$)?",
    # <verb>:<user or offset>; chatphotos:on|off where the campaign requires the camera
    "person:": rf"(?:(show|list|pause|resume|remove|name|vid|chatphotos:on|chatphotos:off):)?{ID}",
    "handout:": rf"(?:(letter|m[0-9]{{1,6}}):)?{ID}",  # <reward>:<user>, m<count> a milestone
    "erase:": r"(?:(delete):(?:(yes)$)?)?",  # delete:yes | delete:no
    "lang:": r"(?:([a-z]{2})$)?",  # <language>
    "export:": rf"(?:(hours|reports)$|hours:{ID})?",  # <kind> | hours:<round number>
    "top:": r"(?:([0-9]{1,18}):([0-9]{1,18})$)?",  # <round number>:<length>
}


def _pattern(prefix: str, data: str) -> re.Pattern[str]:
    names = [prefix] + [old for old, new in LEGACY_PREFIXES.items() if new == prefix]
    if len(names) == 1:
        return re.compile(f"^{prefix}{data}")
    return re.compile("^(?:" + "|".join(name[:-1] for name in names) + f"):{data}")


CALLBACK_PATTERNS: dict[str, re.Pattern[str]] = {
    prefix: _pattern(prefix, data) for prefix, data in CALLBACK_DATA.items()
}

# Before every other group: who sent the update and their language, read once per update.
PERSON_GROUP = -200


def register_all(application: AnyApplication) -> None:
    from handlers import (
        approval,
        broadcast,
        certify,
        cheers,
        console,
        exports,
        inbox,
        membership,
        participants,
        privacy,
        review,
        risk_followers,
        risk_leaders,
        risk_reporting,
        settings,
        signup,
        standings,
        start,
        themes,
    )
    from handlers.common import load_person

    application.add_handler(TypeHandler(Update, load_person), group=PERSON_GROUP)
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
    risk_reporting.register(application)
    risk_followers.register(application)
    risk_leaders.register(application)
    privacy.register(application)
    membership.register(application)
    inbox.register(application)
