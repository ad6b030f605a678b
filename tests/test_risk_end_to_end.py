"""Risk reports over real HTTP with ``python -m bot``: two participants report the same light,
the second joins the first; the leader forwards it, later resolves it with an after photo; both
hear it; after the round the final report counts the light as found and fixed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakes import FakeBotApiServer, UpdateFactory
from tests.fakes.process import LEADER, BotProcess, running_bot
from tests.support import scene_photo
from tests.test_end_to_end import _press, _reply, _step

MINJI, JUNHO = 1001, 1002
# No quiet hours and reports from midnight: the final report goes out whenever this test runs.
SCHEDULE = """
[schedule]
morning_time = "00:00"
quiet_start = "00:00"
quiet_end = "00:00"
"""


@pytest.fixture
def world(tmp_path) -> Iterator[tuple[FakeBotApiServer, UpdateFactory, BotProcess]]:
    with running_bot(tmp_path, SCHEDULE) as (server, factory, bot):
        yield server, factory, bot
    log = bot.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]


def _photo_caption(server, chat_id: int, since: int, expect: str) -> str:
    call = server.wait_for(
        lambda c: (
            c.method == "sendPhoto"
            and c.ok
            and c.params.get("chat_id") == chat_id
            and expect in (c.params.get("caption") or "")
        ),
        timeout=20,
        since=since,
    )
    return str(call.params["caption"])


def _join(server, factory, user, name: str, volunteer_id: str) -> None:
    _step(server, factory, factory.text(user, "/start"), user["id"], "안녕하세요")
    _press(server, factory, user, "apply:begin", "이름")
    _step(server, factory, factory.text(user, name), user["id"], "어디에 해당")
    _press(server, factory, user, "apply:category:high", "학교")
    _step(server, factory, factory.text(user, "익산고등학교"), user["id"], "동")
    _step(server, factory, factory.text(user, "영등동"), user["id"], "1365")
    _step(server, factory, factory.text(user, volunteer_id), user["id"], "개인정보")
    _press(server, factory, user, "apply:consent:yes", "접수")
    leader = factory.user(LEADER, "경위")
    _press(server, factory, leader, f"decide:approve:{user['id']}", "승인")


def test_two_people_report_one_light_the_leader_fixes_it_and_the_final_report_counts_it(world):
    server, factory, bot = world
    leader = factory.user(LEADER, "경위")
    minji = factory.user(MINJI, "민지")
    junho = factory.user(JUNHO, "준호")
    _step(server, factory, factory.text(leader, "/start"), LEADER, "안녕하세요")
    _join(server, factory, minji, "김민지", "minji1365")
    _join(server, factory, junho, "박준호", "junho1365")

    _step(server, factory, factory.text(minji, "/report"), MINJI, "불안한 곳을 알려")
    _press(server, factory, minji, "risk:cat:light", "위치")
    _step(server, factory, factory.location(minji, 35.94812, 126.95761), MINJI, "사진")
    photo = factory.photo_from_bytes(server.telegram, minji, scene_photo(21))
    _step(server, factory, photo, MINJI, "짧게 적어")
    _step(server, factory, factory.text(minji, "보안등이 꺼져 있어요"), MINJI, "제보를 받았어요")
    (report_id,) = bot.query("SELECT id FROM risk_reports WHERE status = 'submitted'")[0]

    _step(server, factory, factory.text(junho, "/report"), JUNHO, "불안한 곳을 알려")
    _press(server, factory, junho, "risk:cat:light", "위치")
    since = server.mark()
    server.push_update(factory.location(junho, 35.94825, 126.95776))  # ~20 m away
    shown = _photo_caption(server, JUNHO, since, "같은 곳인가요")
    assert "김민지" not in shown
    _press(server, factory, junho, f"risk:same:{report_id + 1}", "2명이 알린")

    since = server.mark()
    _press(server, factory, leader, f"risk:fwd:{report_id}", "어느 기관")
    _press(server, factory, leader, f"risk:to:{report_id}:0", "기록했어요")
    for person in (MINJI, JUNHO):
        _reply(server, person, since, "시청 시설관리팀")

    _press(server, factory, leader, f"risk:resolve:{report_id}", "고친 뒤")
    since = server.mark()
    after = factory.photo_from_bytes(server.telegram, leader, scene_photo(22), caption="전구 교체")
    server.push_update(after)
    _reply(server, LEADER, since, "해결됨으로 기록")
    for person in (MINJI, JUNHO):
        news = _photo_caption(server, person, since, "고쳐졌어요")
        assert "전구 교체" in news

    # The round ends: the reports were made on its last day, the final report goes out.
    assert bot.stop() == 0
    seoul = ZoneInfo("Asia/Seoul")
    today = datetime.now(seoul).date()
    campaign = bot.env["CAMPAIGN_FILE"]
    with open(campaign, encoding="utf-8") as file:
        text = file.read()
    text = text.replace(f"start = {today - timedelta(days=3)}\ndays = 50", "XX")
    assert "XX" in text
    text = text.replace("XX", f"start = {today - timedelta(days=3)}\ndays = 3")
    with open(campaign, "w", encoding="utf-8") as file:
        file.write(text)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    import sqlite3

    connection = sqlite3.connect(bot.database)
    with connection:
        connection.execute(
            "UPDATE risk_reports SET submitted_at = ? WHERE status != 'draft'",
            (yesterday.isoformat(timespec="seconds"),),
        )
    connection.close()
    since = server.mark()
    bot.start()
    fixed = "찾은 고장 난 보안등 1곳 중 1곳이 고쳐졌어요"
    leader_report = _reply(server, LEADER, since, "우리 순찰이 찾고 고친 곳")
    assert fixed in leader_report
    assert fixed in _photo_caption(server, MINJI, since, "우리 순찰이 찾고 고친 곳")
