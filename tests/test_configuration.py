"""Settings from the environment and the campaign file: defaults, and one clear line per mistake."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.campaign.config import load_campaign, parse_campaign
from bot.config_error import ConfigError
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


def test_settings_read_every_documented_key():
    settings = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": "http://127.0.0.1:8081/",
            "DATABASE_PATH": "/tmp/x.sqlite3",
            "LEADER_IDS": "11, 22,33",
            "GROUP_CHAT_ID": "-1001234567890",
            "CAMPAIGN_FILE": "other.toml",
            "LOG_LEVEL": "debug",
        },
        env_file=None,
    )
    assert settings.leader_ids == {11, 22, 33}
    assert settings.group_chat_id == -1001234567890
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.file_base_url == "http://127.0.0.1:8081/file/bot"
    assert str(settings.database_path) == "/tmp/x.sqlite3"
    assert str(settings.campaign_file) == "other.toml"
    assert settings.log_level == "DEBUG"


def test_settings_defaults():
    settings = load_settings({"BOT_TOKEN": TOKEN}, env_file=None)
    assert settings.bot_api_url == "https://api.telegram.org"
    assert str(settings.database_path) == "data/bot.sqlite3"
    assert str(settings.campaign_file) == "campaign.toml"
    assert settings.leader_ids == frozenset()
    assert settings.group_chat_id is None


def test_dotenv_file_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"BOT_TOKEN={TOKEN}\nLEADER_IDS=5\nLOG_LEVEL=WARNING\n")
    settings = load_settings({"LOG_LEVEL": "ERROR"}, env_file=env_file)
    assert settings.leader_ids == {5}
    assert settings.log_level == "ERROR"


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "LEADER_IDS": "12,abc"}, "LEADER_IDS"),
        ({"BOT_TOKEN": TOKEN, "GROUP_CHAT_ID": "group"}, "GROUP_CHAT_ID"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "ftp://x"}, "BOT_API_URL"),
        ({"BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ],
)
def test_a_bad_setting_names_its_key(environ, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ, env_file=None)
    assert caught.value.key == key


def test_the_example_campaign_reproduces_round_three_of_the_announcement():
    campaign = load_campaign(ROOT / "campaign.example.toml")
    (round3,) = campaign.rounds
    assert round3.start == date(2027, 8, 16) and round3.start.weekday() == 0  # a Monday
    assert round3.days == 50 and round3.end == date(2027, 10, 4)
    assert [(m.count, m.reward) for m in campaign.milestones] == [
        (20, "치안협력관 배지"),
        (70, "포돌이·포순이 인형(이름표)"),
    ]
    assert campaign.rules.minutes_per_certification == 30
    assert campaign.rules.min_minutes_between_photos == 10
    assert campaign.rules.max_per_mission_per_day == 1
    assert campaign.timezone.key == "Asia/Seoul"
    assert all(m.days == 7 for m in campaign.theme_missions)
    kinds = [m.kind for m in campaign.mission_specs()]
    assert kinds == ["standing", "theme", "theme"]


MINIMAL = {
    "rounds": [{"name": "1차", "start": date(2027, 4, 1), "days": 50}],
    "standing_mission": {"title": "순찰"},
}


def test_left_out_keys_take_the_announcement_defaults():
    campaign = parse_campaign(MINIMAL)
    assert [(m.count, m.reward) for m in campaign.milestones] == [
        (20, "치안협력관 배지"),
        (70, "포돌이·포순이 인형"),
    ]
    assert campaign.rules.minutes_per_certification == 30
    assert campaign.timezone.key == "Asia/Seoul"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"rounds": []}, "rounds"),
        ({"rounds": [{"name": "1차", "start": "someday", "days": 50}]}, "rounds[0].start"),
        ({"rounds": [{"name": "1차", "start": date(2027, 4, 1), "days": 0}]}, "rounds[0].days"),
        ({"rounds": [{"name": "1차", "start": date(2027, 4, 1)}]}, "rounds[0].days"),
        (
            {
                "rounds": [
                    {"name": "1차", "start": date(2027, 4, 1), "days": 50},
                    {"name": "2차", "start": date(2027, 5, 1), "days": 50},
                ]
            },
            "rounds",
        ),
        ({"campaign": {"timezone": "Mars/Olympus"}}, "campaign.timezone"),
        ({"schedule": {"weekly_top_day": "someday"}}, "schedule.weekly_top_day"),
        ({"schedule": {"reminder_time": "25:00"}}, "schedule.reminder_time"),
        ({"fairness": {"phash_max_distance": 40}}, "fairness.phash_max_distance"),
        ({"standing_mission": {}}, "standing_mission.title"),
        ({"rules": {"max_per_mission_per_day": "one"}}, "rules.max_per_mission_per_day"),
        (
            {"theme_missions": [{"title": "x", "start": date(2030, 1, 1)}]},
            "theme_missions[0].start",
        ),
        (
            {"milestones": [{"count": 20, "reward": "a"}, {"count": 20, "reward": "b"}]},
            "milestones",
        ),
    ],
)
def test_a_bad_campaign_file_names_the_key(change, key):
    with pytest.raises(ConfigError) as caught:
        parse_campaign({**MINIMAL, **change})
    assert caught.value.key == key


def test_missing_or_broken_campaign_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        load_campaign(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[rounds]\nname=")
    with pytest.raises(ConfigError) as caught:
        load_campaign(broken)
    assert caught.value.key == "(syntax)"


def _run_bot(args, env, cwd):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        # This checkout's code, not an installed copy of the bot.
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bad_configuration_stops_start_up_with_one_line_not_a_traceback(tmp_path):
    result = _run_bot([], {"BOT_TOKEN": TOKEN, "LEADER_IDS": "x"}, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "configuration error: environment: LEADER_IDS: 'x' is not a Telegram user id (digits only)"
    ]


def test_check_validates_and_summarises_without_telegram(tmp_path):
    (tmp_path / "campaign.toml").write_text((ROOT / "campaign.example.toml").read_text())
    result = _run_bot(
        ["check"],
        {"BOT_TOKEN": TOKEN, "LEADER_IDS": "1", "BOT_API_URL": "http://127.0.0.1:9"},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "round 3차: 2027-08-16 .. 2027-10-04 (50 days)" in result.stdout
    assert "integrity ok" in result.stdout
    assert (tmp_path / "data" / "bot.sqlite3").exists()


WEBHOOK_SECRET = "abc_DEF-123-ghi_JKL-456-mno_PQR-789"  # 35: at least 32 are required
WEBHOOK = {
    "BOT_TOKEN": TOKEN,
    "BOT_WEBHOOK_URL": "https://bot.example.org/telegram/hook",
    "BOT_WEBHOOK_SECRET": WEBHOOK_SECRET,
}


def test_without_a_webhook_url_the_bot_polls():
    assert load_settings({"BOT_TOKEN": TOKEN}, env_file=None).webhook is None


def test_webhook_settings_give_the_public_url_secret_listen_address_and_path():
    webhook = load_settings({**WEBHOOK, "BOT_WEBHOOK_LISTEN": "127.0.0.1:9000"}, env_file=None)
    assert webhook.webhook is not None
    assert webhook.webhook.url == "https://bot.example.org/telegram/hook"
    assert webhook.webhook.secret == WEBHOOK_SECRET
    assert (webhook.webhook.host, webhook.webhook.port) == ("127.0.0.1", 9000)
    assert webhook.webhook.path == "/telegram/hook"  # a reverse proxy passes the path through
    default = load_settings(WEBHOOK, env_file=None).webhook
    # Outside Docker only the reverse proxy on the same machine may reach the bot.
    assert default is not None and (default.host, default.port) == ("127.0.0.1", 8443)


def test_a_listen_address_without_a_webhook_url_is_the_docker_images_default_and_polls():
    docker = {"BOT_TOKEN": TOKEN, "BOT_WEBHOOK_LISTEN": "0.0.0.0:8443"}
    settings = load_settings(docker, env_file=None)
    assert settings.webhook is None


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example.org", "/"),  # Telegram posts to "/", so that is where we listen
        ("https://bot.example.org/", "/"),
        ("https://bot.example.org/telegram", "/telegram"),
        ("https://bot.example.org/telegram/", "/telegram/"),
        ("https://bot.example.org:8443/a/b", "/a/b"),
    ],
)
def test_the_bot_listens_on_exactly_the_path_telegram_posts_to(url, path):
    settings = load_settings({**WEBHOOK, "BOT_WEBHOOK_URL": url}, env_file=None)
    assert settings.webhook is not None and settings.webhook.path == path


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"BOT_WEBHOOK_URL": "http://bot.example.org/hook"}, "BOT_WEBHOOK_URL"),
        ({"BOT_WEBHOOK_URL": "https:///hook"}, "BOT_WEBHOOK_URL"),
        ({"BOT_WEBHOOK_SECRET": ""}, "BOT_WEBHOOK_SECRET"),
        ({"BOT_WEBHOOK_SECRET": "has space"}, "BOT_WEBHOOK_SECRET"),
        ({"BOT_WEBHOOK_SECRET": "a" * 257}, "BOT_WEBHOOK_SECRET"),
        ({"BOT_WEBHOOK_SECRET": "a" * 31}, "BOT_WEBHOOK_SECRET"),  # too short to be guessed
        ({"BOT_WEBHOOK_SECRET": "secret"}, "BOT_WEBHOOK_SECRET"),
        ({"BOT_WEBHOOK_SECRET": "비밀"}, "BOT_WEBHOOK_SECRET"),
        ({"BOT_WEBHOOK_LISTEN": "8443"}, "BOT_WEBHOOK_LISTEN"),
        ({"BOT_WEBHOOK_LISTEN": "0.0.0.0:http"}, "BOT_WEBHOOK_LISTEN"),
        ({"BOT_WEBHOOK_LISTEN": "0.0.0.0:70000"}, "BOT_WEBHOOK_LISTEN"),
        ({"BOT_WEBHOOK_URL": ""}, "BOT_WEBHOOK_SECRET"),  # a secret without a webhook
    ],
)
def test_a_bad_webhook_setting_names_its_key(change, key):
    with pytest.raises(ConfigError) as caught:
        load_settings({**WEBHOOK, **change}, env_file=None)
    assert caught.value.key == key


def test_the_longest_allowed_webhook_secret_is_accepted():
    settings = load_settings({**WEBHOOK, "BOT_WEBHOOK_SECRET": "a" * 256}, env_file=None)
    assert settings.webhook is not None


def test_the_suggested_way_to_make_a_webhook_secret_gives_an_accepted_one():
    made = subprocess.run(
        [sys.executable, "-c", "import secrets; print(secrets.token_urlsafe(32))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    settings = load_settings({**WEBHOOK, "BOT_WEBHOOK_SECRET": made}, env_file=None)
    assert settings.webhook is not None and settings.webhook.secret == made


def test_check_names_a_bad_webhook_secret_in_one_line(tmp_path):
    environ = {**WEBHOOK, "BOT_WEBHOOK_SECRET": "no spaces please", "PYTHONPATH": str(ROOT)}
    result = _run_bot(["check"], environ, tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "configuration error: environment: BOT_WEBHOOK_SECRET: "
        "must be 32-256 characters of A-Z, a-z, 0-9, _ and - (make one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(32))")'
    ]


def test_check_names_a_short_webhook_secret_and_says_how_to_make_one(tmp_path):
    environ = {**WEBHOOK, "BOT_WEBHOOK_SECRET": "short_secret", "PYTHONPATH": str(ROOT)}
    result = _run_bot(["check"], environ, tmp_path)
    assert result.returncode == 2
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("configuration error: environment: BOT_WEBHOOK_SECRET: must be 32-256")
    assert "secrets.token_urlsafe(32)" in line


def test_check_says_whether_updates_come_by_polling_or_webhook(tmp_path):
    (tmp_path / "campaign.toml").write_text((ROOT / "campaign.example.toml").read_text())
    base = {"BOT_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    polling = _run_bot(["check"], base, tmp_path)
    assert polling.returncode == 0, polling.stderr
    assert "updates: long polling" in polling.stdout
    webhook = _run_bot(["check"], {**base, **WEBHOOK}, tmp_path)
    assert webhook.returncode == 0, webhook.stderr
    assert (
        "updates: webhook https://bot.example.org/telegram/hook "
        "(listening on 127.0.0.1:8443/telegram/hook, secret set)"
    ) in webhook.stdout
    assert WEBHOOK_SECRET not in webhook.stdout  # the secret itself is never printed


def test_check_never_prints_a_token_or_secret_that_sits_in_the_webhook_url(tmp_path):
    (tmp_path / "campaign.toml").write_text((ROOT / "campaign.example.toml").read_text())
    # A common recipe puts the token (or the secret) in the webhook path.
    url = f"https://bot.example.org/{TOKEN}/{WEBHOOK_SECRET}"
    environ = {**WEBHOOK, "BOT_WEBHOOK_URL": url, "PYTHONPATH": str(ROOT)}
    result = _run_bot(["check"], environ, tmp_path)
    assert result.returncode == 0, result.stderr
    printed = result.stdout + result.stderr
    assert TOKEN.partition(":")[2] not in printed
    assert WEBHOOK_SECRET not in printed
    assert (
        "updates: webhook https://bot.example.org/123456789:<BOT_TOKEN>/<BOT_WEBHOOK_SECRET>"
    ) in result.stdout


def test_risk_agencies_come_from_the_campaign_file_with_the_default_list_kept():
    assert parse_campaign(MINIMAL).risk_agencies == (
        "시청 시설관리팀",
        "구청·행정복지센터",
        "지구대·파출소 순찰팀",
    )
    example = load_campaign(ROOT / "campaign.example.toml")
    assert example.risk_agencies[0] == "익산시청 시설관리과"
    configured = parse_campaign({**MINIMAL, "risks": {"agencies": [" 익산시청 시설관리과 "]}})
    assert configured.risk_agencies == ("익산시청 시설관리과",)


@pytest.mark.parametrize(
    "agencies",
    [[], "익산시청", ["익산시청", ""], ["익산시청", 3], ["익산시청", "익산시청"], ["가" * 41]],
)
def test_a_bad_agency_list_names_risks_agencies(agencies):
    with pytest.raises(ConfigError) as caught:
        parse_campaign({**MINIMAL, "risks": {"agencies": agencies}})
    assert caught.value.key == "risks.agencies"


def test_check_names_a_bad_agency_list_in_one_line(tmp_path):
    text = (ROOT / "campaign.example.toml").read_text()
    first = 'agencies = ["익산시청 시설관리과",'
    assert first in text
    text = text.replace(first, 'agencies = ["", "익산시청 시설관리과",')
    (tmp_path / "campaign.toml").write_text(text)
    result = _run_bot(["check"], {"BOT_TOKEN": TOKEN, "LEADER_IDS": "1"}, tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "configuration error: campaign.toml: risks.agencies: name 1 must be a non-empty text, "
        "got ''"
    ]
