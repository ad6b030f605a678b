"""``initData`` as a Telegram client hands it to a Mini App, signed with the bot token the way
the Mini Apps docs describe (written here on its own, not with the bot's code)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode


def init_data(
    user: dict[str, Any], token: str, *, auth_date: int | None = None, **extra: str
) -> str:
    fields = {
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        **extra,
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def leader_user(
    user_id: int, first_name: str = "경위", language_code: str = "ko"
) -> dict[str, Any]:
    return {"id": user_id, "first_name": first_name, "language_code": language_code}
