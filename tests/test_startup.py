"""Start-up problems with a setting or the network are one line each, never a traceback:
``python -m bot`` as a real process against the fake Bot API (answering 401), a closed port,
and a database path it cannot create. A bot started before the network waits for it, and
outlives the network dropping while it runs."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot.practice.launcher import DEFAULT_PORT
from bot.settings import EXAMPLE_TOKEN
from tests.fakes import FakeBotApiServer, FakeTelegram, UpdateFactory
from tests.fakes.process import ROOT, environment
from tests.support import free_port

OTHER_TOKEN = "987654321:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQr"
UNREACHABLE = "cannot reach the Bot API"
POLLING_FAILED = "cannot reach the Bot API while polling"


def _run(env: dict[str, str], folder: Path) -> tuple[int, list[str]]:
    """Run the bot to its end; its exit code and its stderr lines."""
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stderr.decode("utf-8", "replace").splitlines()


def test_a_token_telegram_refuses_is_one_line_naming_bot_token(tmp_path):
    with FakeBotApiServer() as server:  # answers 401 Unauthorized to any other token
        code, lines = _run(environment(tmp_path, server.url, OTHER_TOKEN), tmp_path)
    assert code == 2
    assert not any("Traceback" in line for line in lines), lines
    (problem,) = [line for line in lines if "BOT_TOKEN" in line]
    assert problem.startswith("configuration error: environment: BOT_TOKEN: Telegram refused")
    assert problem == lines[-1]
    assert OTHER_TOKEN.partition(":")[2] not in "\n".join(lines)


def test_the_example_token_starts_practice_mode_instead_of_asking_telegram(tmp_path):
    """With .env.example's token the bot goes to practice mode; its page's port is taken here
    (as by a practice mode already running), which is one clear line per language."""
    env = environment(tmp_path, f"http://127.0.0.1:{free_port()}", EXAMPLE_TOKEN)
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        with contextlib.suppress(OSError):  # already taken by something else: just as good
            taken.bind(("127.0.0.1", DEFAULT_PORT))
            taken.listen()
        done = subprocess.run(
            [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, timeout=60
        )
    lines = done.stdout.decode("utf-8").splitlines()
    assert done.returncode == 2
    assert len(lines) == 2, lines
    assert f"127.0.0.1:{DEFAULT_PORT}" in lines[0] and "연습 모드" in lines[0]
    assert "Practice mode did not start" in lines[1]
    assert "Traceback" not in done.stderr.decode("utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert f"BOT_TOKEN={EXAMPLE_TOKEN}\n" in example


def test_run_on_purpose_never_falls_back_to_practice_mode(tmp_path):
    """``python -m bot run`` (the Docker image's and the systemd unit's command) with the
    example token stops with one line about the token instead of starting practice mode."""
    env = environment(tmp_path, f"http://127.0.0.1:{free_port()}", EXAMPLE_TOKEN)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, timeout=60
    )
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert "연습 모드" not in out and "Practice mode" not in out
    assert "configuration error" in err and "BOT_TOKEN" in err
    assert "Traceback" not in err


def test_a_database_path_the_bot_cannot_create_is_one_line(tmp_path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    with FakeBotApiServer() as server:
        env = environment(tmp_path, server.url, server.token)
        env["DATABASE_PATH"] = str(tmp_path / "a-file" / "bot.sqlite3")
        code, lines = _run(env, tmp_path)
    assert code == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith("configuration error: environment: DATABASE_PATH: cannot create")
    assert "a-file/bot.sqlite3" in lines[0]


def test_a_bot_started_before_the_network_waits_for_it_and_outlives_an_outage(tmp_path):
    port = free_port()
    telegram = FakeTelegram()
    env = environment(tmp_path, f"http://127.0.0.1:{port}", telegram.token)
    log_path = tmp_path / "bot.log"

    def log() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until(condition, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, log()[-3000:]
            time.sleep(0.1)

    with log_path.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, stdout=sink, stderr=sink
        )
    try:
        # Nothing listens yet: one line per attempt, 1 s then 2 s apart (back-off).
        wait_until(lambda: log().count(UNREACHABLE) >= 2)
        attempts = [line for line in log().splitlines() if UNREACHABLE in line]
        assert all(f"BOT_API_URL=http://127.0.0.1:{port}" in line for line in attempts)
        assert "trying again in 1 s" in attempts[0] and "trying again in 2 s" in attempts[1]
        assert process.poll() is None

        factory = UpdateFactory(telegram)
        with FakeBotApiServer(telegram, port=port) as server:
            wait_until(lambda: "Application started" in log())
            since = server.mark()
            server.push_update(factory.text(factory.user(1001, "민지"), "/start"))
            server.wait_for("sendMessage", lambda c: c.params["chat_id"] == 1001, since=since)
        # The network drops while the bot runs, and comes back.
        wait_until(lambda: POLLING_FAILED in log())
        with FakeBotApiServer(telegram, port=port) as server:
            since = server.mark()
            server.push_update(factory.text(factory.user(1002, "준"), "/start"))
            server.wait_for(
                "sendMessage", lambda c: c.params["chat_id"] == 1002, since=since, timeout=60
            )
            assert process.poll() is None
            process.terminate()
            assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert "Traceback" not in log(), log()[-3000:]
