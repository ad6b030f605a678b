"""Webhook mode over real HTTP: ``python -m bot`` registers its webhook with the secret, handles
updates that carry the secret header, and turns away (403) every request that does not."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes import FakeBotApiServer, FakeTelegram, UpdateFactory
from tests.fakes.process import LEADER, ROOT, write_campaign_file
from tests.support import free_port

MINJI = 1001
SECRET = "s3cret-Token_for-the-webhook_0123456789"
PUBLIC_URL = "https://bot.example.org/telegram/hook"


class WebhookBot:
    """The bot process in webhook mode, and a way to post updates to it as Telegram does."""

    def __init__(self, server: FakeBotApiServer, folder: Path, public_url: str) -> None:
        self.server = server
        self.port = free_port()
        self.log = folder / "bot.log"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),  # this checkout, whatever is installed in the venv
            "BOT_TOKEN": server.token,
            "BOT_API_URL": server.url,
            "DATABASE_PATH": str(folder / "bot.sqlite3"),
            "LEADER_IDS": str(LEADER),
            "CAMPAIGN_FILE": str(write_campaign_file(folder)),
            "LOG_LEVEL": "DEBUG",  # the most talkative level still leaks no secret
            "BOT_WEBHOOK_URL": public_url,
            "BOT_WEBHOOK_SECRET": SECRET,
            "BOT_WEBHOOK_LISTEN": f"127.0.0.1:{self.port}",
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=folder,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until_listening(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the webhook server never started listening")

    def post(self, update: dict, *, secret: str | None, path: str = "/telegram/hook") -> int:
        """POST an update like Telegram does; return the HTTP status the bot answered."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(update).encode(),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def webhook_world(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[FakeBotApiServer, UpdateFactory, WebhookBot]]:
    """The bot in webhook mode; ``indirect`` parametrisation gives another public URL."""
    public_url = getattr(request, "param", PUBLIC_URL)
    telegram = FakeTelegram()
    factory = UpdateFactory(telegram, now=datetime.now(UTC))
    with FakeBotApiServer(telegram) as server:
        bot = WebhookBot(server, tmp_path, public_url)
        try:
            server.wait_for("setWebhook", timeout=30)
            bot.wait_until_listening()
            yield server, factory, bot
        finally:
            if bot.process.poll() is None:
                assert bot.stop() == 0
    log = bot.log.read_text(encoding="utf-8", errors="replace")
    # At DEBUG, PTB logs each refused request with a traceback; nothing may be an error.
    assert " ERROR " not in log and " CRITICAL " not in log, log[-3000:]
    assert server.token.partition(":")[2] not in log  # neither the token ...
    assert SECRET not in log  # ... nor the webhook secret reaches the log


def _replies_to(server: FakeBotApiServer, chat_id: int, since: int) -> list[str]:
    return [
        call.params.get("text", "")
        for call in server.telegram.calls[since:]
        if call.method == "sendMessage" and call.params.get("chat_id") == chat_id
    ]


def test_the_webhook_is_registered_with_its_public_url_and_secret(webhook_world):
    server, _, _ = webhook_world
    (registration,) = server.telegram.calls_of("setWebhook")
    assert registration.ok
    assert registration.params["url"] == PUBLIC_URL
    assert registration.params["secret_token"] == SECRET
    # A participant blocking the bot arrives as my_chat_member: it must be asked for.
    assert "my_chat_member" in registration.params["allowed_updates"]
    assert not server.telegram.calls_of("getUpdates")  # no polling alongside the webhook


def test_an_update_with_the_secret_header_is_answered(webhook_world):
    server, factory, bot = webhook_world
    minji = factory.user(MINJI, "민지")
    since = server.mark()
    assert bot.post(factory.text(minji, "/start"), secret=SECRET) == 200
    reply = server.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == MINJI, timeout=20, since=since
    )
    assert "안녕하세요" in reply.params["text"]


def test_requests_without_the_right_secret_are_refused_and_not_handled(webhook_world):
    server, factory, bot = webhook_world
    minji = factory.user(MINJI, "민지")
    since = server.mark()
    assert bot.post(factory.text(minji, "/start"), secret=None) == 403
    assert bot.post(factory.text(minji, "/start"), secret="guessed-secret") == 403
    assert bot.post(factory.text(minji, "/start"), secret=SECRET.upper()) == 403
    assert bot.post(factory.text(minji, "/start"), secret=SECRET, path="/other") == 404
    # A real update afterwards is answered, and it is the only answer Minji gets.
    assert bot.post(factory.text(minji, "/start"), secret=SECRET) == 200
    server.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == MINJI, timeout=20, since=since
    )
    time.sleep(0.5)  # room for a wrongly accepted update to be answered too
    assert len(_replies_to(server, MINJI, since)) == 1


@pytest.mark.parametrize("webhook_world", ["https://bot.example.org"], indirect=True)
def test_a_webhook_url_without_a_path_is_served_at_the_root(webhook_world):
    # Telegram posts to the URL as given, "/" here: the bot must listen there, not elsewhere.
    server, factory, bot = webhook_world
    (registration,) = server.telegram.calls_of("setWebhook")
    assert registration.params["url"] == "https://bot.example.org"
    minji = factory.user(MINJI, "민지")
    since = server.mark()
    assert bot.post(factory.text(minji, "/start"), secret=SECRET, path="/") == 200
    reply = server.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == MINJI, timeout=20, since=since
    )
    assert "안녕하세요" in reply.params["text"]


def _raw_request(bot: WebhookBot, head: str, body: bytes = b"", timeout: float = 5) -> int:
    """Send ``head`` (and ``body``) on a raw socket; the status the bot answers within
    ``timeout`` seconds (0 if none: it is waiting for a body never sent)."""
    with socket.create_connection(("127.0.0.1", bot.port), timeout=timeout) as sock:
        sock.sendall(head.encode() + body)
        try:
            status_line = sock.makefile("rb").readline()
        except TimeoutError:
            return 0
    parts = status_line.split()
    return int(parts[1]) if len(parts) > 1 else 0


def _head(length: int | None, secret: str | None, extra: str = "") -> str:
    lines = ["POST /telegram/hook HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    return "\r\n".join(lines) + "\r\n" + extra + "\r\n"


def test_a_big_body_is_refused_from_its_headers_before_it_is_read(webhook_world):
    server, factory, bot = webhook_world
    eighty_mb = 80 * 1024 * 1024
    # Only the headers are sent: the answer must not wait for the 80 MB.
    assert _raw_request(bot, _head(eighty_mb, None)) == 403
    assert _raw_request(bot, _head(eighty_mb, "guessed-secret")) == 403
    assert _raw_request(bot, _head(eighty_mb, SECRET)) == 413
    other_path = _head(eighty_mb, None).replace("/telegram/hook", "/other")
    assert _raw_request(bot, other_path) == 404
    # A chunked body (no Content-Length) is cut off at the limit as it streams in.
    chunk = b"x" * 65536
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(40))  # 2.5 MB
    head = _head(None, SECRET, "Transfer-Encoding: chunked\r\n")
    assert _raw_request(bot, head, chunked) == 413
    # The bot still answers a real update afterwards.
    minji = factory.user(MINJI, "민지")
    since = server.mark()
    assert bot.post(factory.text(minji, "/start"), secret=SECRET) == 200
    server.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == MINJI, timeout=20, since=since
    )


def test_malformed_json_with_the_secret_is_a_bad_request(webhook_world):
    _, _, bot = webhook_world
    for body in (
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"no_update_id": true}',
        b'{"update_id": 1, "message": 5}',
        b'{"update_id": "x"}',
    ):
        head = _head(len(body), SECRET)
        assert _raw_request(bot, head, body) == 400, body
