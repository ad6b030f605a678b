"""Who opened the console: Telegram's signed ``initData`` (checked on every request), and the
short-lived signed links the page hands to a download (which cannot carry a header)."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode


class Refused(Exception):
    """Not a leader's valid initData: ``status`` is 401 (no proof) or 403 (not a leader)."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status
        self.why = why


@dataclass(frozen=True)
class Opener:
    """The person Telegram says opened the Mini App."""

    user_id: int
    first_name: str
    language_code: str | None
    auth_date: int


def secret_key(bot_token: str) -> bytes:
    """The Mini Apps secret: the bot token signed with the constant ``WebAppData`` as key."""
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    """Every received field but ``hash``, sorted by key, as ``key=value`` lines."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def signature(fields: dict[str, str], bot_token: str) -> str:
    return hmac.new(
        secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()


def sign(fields: dict[str, str], bot_token: str) -> str:
    """``initData`` as Telegram builds it (for the benchmark and a local preview)."""
    return urlencode({**fields, "hash": signature(fields, bot_token)})


def verify(raw: str, bot_token: str, now: float, max_age: int) -> Opener:
    """The opener named by a genuine, fresh ``initData``; :class:`Refused` (401) otherwise."""
    if not raw or len(raw) > 4096:
        raise Refused(401, "no initData")
    pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=False)
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise Refused(401, "a field appears twice")
    given = fields.get("hash", "")
    if not hmac.compare_digest(given.encode(), signature(fields, bot_token).encode()):
        raise Refused(401, "bad signature")
    try:
        auth_date = int(fields.get("auth_date", ""))
        user = json.loads(fields.get("user", ""))
        user_id = int(user["id"])
    except (ValueError, KeyError, TypeError) as error:
        raise Refused(401, "incomplete initData") from error
    # A little leeway for clocks that run ahead; never for old data.
    if auth_date > now + 60 or now - auth_date > max_age:
        raise Refused(401, "expired")
    language = user.get("language_code")
    return Opener(
        user_id=user_id,
        first_name=str(user.get("first_name") or ""),
        language_code=language if isinstance(language, str) else None,
        auth_date=auth_date,
    )


# ---- download links --------------------------------------------------------------------------

LINK_SECONDS = 120


def _link_key(bot_token: str) -> bytes:
    # Its own key, so a link's signature can never pass as an initData hash or the other way.
    return hmac.new(b"ConsoleDownload", bot_token.encode(), hashlib.sha256).digest()


def link_signature(bot_token: str, name: str, user_id: int, expires: int) -> str:
    message = f"{name}\n{user_id}\n{expires}".encode()
    return hmac.new(_link_key(bot_token), message, hashlib.sha256).hexdigest()


def check_link(
    bot_token: str, name: str, user_id: int, expires: int, given: str, now: float
) -> bool:
    expected = link_signature(bot_token, name, user_id, expires)
    return now <= expires and hmac.compare_digest(given.encode(), expected.encode())
