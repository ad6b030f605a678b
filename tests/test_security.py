"""Security: the token and webhook secret never reach a log line, and a file a participant sends
is never written to a path taken from its name (photos are read in memory only)."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from urllib.parse import quote

from bot.__main__ import _RedactingFormatter, _secrets
from bot.settings import load_settings
from storage import certifications
from tests.support import kst, photo_taken_at

TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
SECRET = "webhook_Secret-42_long-enough-for-a-webhook"


def _formatted(record: logging.LogRecord) -> str:
    settings = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_WEBHOOK_URL": "https://bot.example.org/hook",
            "BOT_WEBHOOK_SECRET": SECRET,
        },
        env_file=None,
    )
    formatter = _RedactingFormatter("%(levelname)s %(message)s", _secrets(settings))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.handle(record)
    return stream.getvalue()


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks():
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/file/bot{quote(TOKEN)}/x")
    except ConnectionError as error:
        record = logging.LogRecord(
            "httpx",
            logging.ERROR,
            __file__,
            1,
            "GET %s failed",
            (f"/bot{TOKEN}/getMe",),
            (type(error), error, error.__traceback__),
        )
    line = _formatted(record)
    assert "<BOT_TOKEN>" in line and "ConnectionError" in line
    assert TOKEN.partition(":")[2] not in line  # plain and percent-encoded forms alike


def test_the_webhook_secret_is_redacted():
    record = logging.LogRecord(
        "telegram.ext.Updater",
        logging.DEBUG,
        __file__,
        1,
        "setWebhook secret_token=%s",
        (SECRET,),
        None,
    )
    assert _formatted(record) == "DEBUG setWebhook secret_token=<BOT_WEBHOOK_SECRET>\n"


def _files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


async def test_a_photo_named_with_a_path_writes_nothing_outside_or_anywhere(
    bot, tmp_path, monkeypatch
):
    """A document called ``../../etc/x.jpg`` is used as a photo; its name never becomes a path."""
    workdir = tmp_path / "srv" / "bot"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)  # relative names would land around here
    leader = (await bot.open_leader_chats())[0]
    minji = bot.person(1001, "민지")
    await bot.join(minji, leader, name="김민지")
    before = _files_under(tmp_path)

    await bot.say(minji, "/certify")
    taken = kst("2027-08-16", "18:50")
    await bot.send_file(minji, photo_taken_at(1, taken), file_name="../../etc/x.jpg")
    assert "시작 사진 받았어요" in bot.last_text(1001)
    bot.advance(minutes=15)
    await bot.send_file(minji, photo_taken_at(2, taken), file_name="/etc/cron.d/x.jpg")
    assert "인증 완료" in bot.last_text(1001)

    assert not list(tmp_path.rglob("x.jpg"))
    assert not (tmp_path / "etc").exists() and not (tmp_path / "srv" / "etc").exists()
    assert not Path("/etc/x.jpg").exists() and not Path("/etc/cron.d/x.jpg").exists()
    new_files = _files_under(tmp_path) - before
    assert all(path.name.startswith("bot.sqlite3") for path in new_files), new_files
    async with bot.services.database.transaction() as conn:
        tally = await certifications.tally(conn, 1001, bot.now.date(), "3차")
    assert tally.total == 1  # the photos themselves were fine
