"""Test doubles for the Telegram Bot API.

* :mod:`bot.practice.standin` -- :class:`FakeTelegram` (in-memory Bot API state, checked
  against the official method/type list in ``bot/practice/telegram-bot-api``) and
  :class:`FakeRequest` (a PTB ``BaseRequest`` that talks to it without any network).
* :mod:`bot.practice.standin_http` -- :class:`FakeBotApiServer`, the same fake behind a real HTTP
  server on 127.0.0.1 for end-to-end tests of ``python -m bot``.
* :mod:`bot.practice.updates` -- :class:`UpdateFactory`, JSON-ready updates as Telegram sends them.
"""

from bot.practice.standin import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_USERNAME,
    DEFAULT_TOKEN,
    FAULT_KINDS,
    FakeRequest,
    FakeTelegram,
    RecordedCall,
    TransportFault,
    UploadedFile,
    check_value,
    load_api_spec,
)
from bot.practice.standin_http import FakeBotApiServer
from bot.practice.updates import UpdateFactory

__all__ = [
    "BOT_FIRST_NAME",
    "BOT_ID",
    "BOT_USERNAME",
    "DEFAULT_TOKEN",
    "FAULT_KINDS",
    "FakeBotApiServer",
    "FakeRequest",
    "FakeTelegram",
    "RecordedCall",
    "TransportFault",
    "UpdateFactory",
    "UploadedFile",
    "check_value",
    "load_api_spec",
]
