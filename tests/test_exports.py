"""/export hours: the 1365 hours as .xlsx and .csv for leaders in private chats, read back cell
by cell: whole hours with the carried remainder, revoked certifications left out, the totals
and no-1365-ID sheets, the UTF-8 BOM, and the 3-month registration warning."""

import asyncio
import io
from datetime import date, datetime, timedelta
from time import monotonic

import pytest
from openpyxl import load_workbook

from bot.media.hours_export import dates_near_limit, months_later, registration_limit
from tests.harness import LEADER_IDS
from tests.support import kst

LEADER = LEADER_IDS[0]
UPLOAD = "등록할 시간 있음"


async def _certification(bot, user_id: int, day: str, *, theme: bool = False, status="accepted"):
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute(
            "SELECT id FROM missions WHERE kind = ? ORDER BY id LIMIT 1",
            ("theme" if theme else "standing",),
        )
        mission_id = (await cursor.fetchone())[0]
        at = kst(day, "18:00").isoformat()
        await conn.execute(
            "INSERT INTO certifications (participant_id, mission_id, round_name, campaign_day, "
            "status, started_at, ended_at, created_at, accepted_at) "
            "VALUES (?, ?, '3차', ?, ?, ?, ?, ?, ?)",
            (user_id, mission_id, day, status, at, at, at, at),
        )


@pytest.fixture
async def history(bot):
    """김민지 (1365 ID) certified on four days, one certification revoked; 박서연 has no ID."""
    leaders = await bot.open_leader_chats()
    minji, seoyeon = bot.person(1001, "민지"), bot.person(1002, "서연")
    await bot.join(minji, leaders[0], name="김민지")
    await bot.join(seoyeon, leaders[0], name="박서연", volunteer_id=None, category="adult")
    await _certification(bot, 1001, "2027-08-16")
    await _certification(bot, 1001, "2027-08-17")
    await _certification(bot, 1001, "2027-08-17", theme=True, status="revoked")
    await _certification(bot, 1001, "2027-08-23")
    await _certification(bot, 1001, "2027-08-23", theme=True)
    await _certification(bot, 1001, "2027-08-24")
    await _certification(bot, 1002, "2027-08-16")
    return minji, seoyeon, leaders


def _documents(bot, chat_id: int):
    calls = [c for c in bot.tg.calls_of("sendDocument") if str(c.params["chat_id"]) == str(chat_id)]
    return [next(iter(c.files.values())) for c in calls]


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


async def test_the_workbook_follows_the_hours_rule_cell_by_cell(bot, history):
    _, _, leaders = history
    bot.now = kst("2027-08-25", "10:00")
    await bot.say(leaders[0], "/export hours")
    xlsx, csv_file = _documents(bot, LEADER)
    assert xlsx.filename.endswith(".xlsx") and csv_file.filename.endswith(".csv")

    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == [
        bot.t("export-sheet-hours"),
        bot.t("export-sheet-totals"),
        bot.t("export-sheet-missing-id"),
    ]
    hours = _rows(book[bot.t("export-sheet-hours")])
    assert hours[0] == [
        "이름", "1365 ID", "구분", "학교·소속", "활동일", "인증 횟수", "활동 시간(분)",
        "등록 시간", "적립(분)", "1365 등록",
    ]  # fmt: skip
    body = [[*row[:4], _day(row[4]), *row[5:]] for row in hours[1:]]
    school = "익산고등학교"
    assert body == [
        # 30 min a day: 0 h (30 carried); 1 h (the revoked one never counts); 1 h; 0 h (30)
        # and the rows with hours to upload are marked
        ["김민지", "minji1365", "고등학생", school, date(2027, 8, 16), 1, 30, 0, 30, None],
        ["김민지", "minji1365", "고등학생", school, date(2027, 8, 17), 1, 30, 1, 0, UPLOAD],
        ["김민지", "minji1365", "고등학생", school, date(2027, 8, 23), 2, 60, 1, 0, UPLOAD],
        ["김민지", "minji1365", "고등학생", school, date(2027, 8, 24), 1, 30, 0, 30, None],
    ]  # 박서연 has no 1365 ID: not on the upload sheet

    totals = _rows(book[bot.t("export-sheet-totals")])
    assert totals[1:] == [
        ["김민지", "minji1365", "고등학생", school, 4, 5, 0, 150, 2, 30],
        ["박서연", None, "일반", school, 1, 1, 0, 30, 0, 30],  # an empty cell
    ]
    missing = _rows(book[bot.t("export-sheet-missing-id")])
    assert [row[0] for row in missing[1:]] == ["박서연"]

    assert csv_file.data.startswith(b"\xef\xbb\xbf")
    lines = csv_file.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("이름,1365 ID,구분,학교·소속,활동일")
    assert lines[1] == "김민지,minji1365,고등학생,익산고등학교,2027-08-16,1,30,0,30,"
    assert lines[2] == "김민지,minji1365,고등학생,익산고등학교,2027-08-17,1,30,1,0," + UPLOAD
    assert len(lines) == 5

    summary = bot.last_text(LEADER)
    assert "2시간" in summary and "1365 ID가 없는 참여자 1명" in summary
    assert "⏰" not in summary  # the dates are a week old


async def test_dates_near_the_three_month_limit_are_warned_about(bot, history):
    _, _, leaders = history
    bot.now = kst("2027-11-04", "10:00")  # the round ended; 8/16 is 80 days ago
    await bot.say(leaders[0], "/export hours 3차")
    assert len(_documents(bot, LEADER)) == 2
    # 8/16 (limit 11/16) and 8/17 (11/17) are within 14 days; 8/23 and 8/24 are not yet.
    assert "활동일 2일" in bot.last_text(LEADER)
    assert "11월 16일" in bot.last_text(LEADER)

    bot.now = kst("2027-11-05", "10:00")  # default: the latest ended round
    await bot.say(leaders[0], "/export hours")
    assert len(_documents(bot, LEADER)) == 4


async def test_non_leaders_and_group_chats_get_no_file(bot, history):
    minji, _, leaders = history
    await bot.say(minji, "/export hours")
    assert bot.last_text(1001) == bot.t("leaders-only")
    await bot.send(bot.factory.group_text(leaders[0], -100500, "/export hours"))
    assert bot.last_text(-100500) == bot.t("export-private-only")
    assert bot.tg.calls_of("sendDocument") == []


async def test_an_unknown_round_lists_the_rounds(bot, history):
    _, _, leaders = history
    await bot.say(leaders[0], "/export hours 9차")
    assert bot.last_text(LEADER) == bot.t("export-unknown-round", name="9차", rounds="3차")
    await bot.say(leaders[0], "/export")
    assert bot.last_text(LEADER) == bot.t("export-choose")
    assert bot.buttons(LEADER) == ["export:hours", "export:reports"]
    assert bot.tg.calls_of("sendDocument") == []


def test_the_registration_limit_is_three_calendar_months_later():
    assert registration_limit(date(2027, 8, 16)) == date(2027, 11, 16)
    assert months_later(date(2027, 11, 30), 3) == date(2028, 2, 29)
    today = date(2027, 11, 4)
    days = [date(2027, 7, 1), date(2027, 8, 18), date(2027, 8, 19)]
    assert dates_near_limit(days, today) == [date(2027, 7, 1), date(2027, 8, 18)]


async def test_the_workbook_opens_ready_to_read(bot, history):
    """Bold headers frozen above the rows, widths set, dates formatted as dates."""
    _, _, leaders = history
    bot.now = kst("2027-08-25", "10:00")
    await bot.say(leaders[0], "/export hours")
    xlsx, _ = _documents(bot, LEADER)
    book = load_workbook(io.BytesIO(xlsx.data))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        assert not sheet["A2"].font.b
    hours = book[bot.t("export-sheet-hours")]
    assert hours["E2"].is_date and hours["E2"].number_format == "yyyy-mm-dd"
    assert hours.column_dimensions["D"].width == 18  # the school column


async def test_a_name_that_looks_like_a_formula_stays_text(bot, history):
    _, _, leaders = history
    async with bot.services.database.transaction() as conn:
        await conn.execute(
            "UPDATE participants SET full_name = '=HYPERLINK(\"http://x\")&1' WHERE user_id = 1001"
        )
    bot.now = kst("2027-08-25", "10:00")
    await bot.say(leaders[0], "/export hours")
    xlsx, csv_file = _documents(bot, LEADER)
    sheet = load_workbook(io.BytesIO(xlsx.data))[bot.t("export-sheet-hours")]
    assert sheet["A2"].value == '=HYPERLINK("http://x")&1' and sheet["A2"].data_type == "s"
    lines = csv_file.data.decode("utf-8-sig").splitlines()
    assert lines[1].startswith('"\'=HYPERLINK(""http://x"")&1",minji1365,')


def test_the_xlsx_writer_keeps_text_as_typed():
    from bot.media.xlsx import Sheet, workbook_bytes

    rows = [
        ["  앞뒤 공백  ", "a < b & c > d", 12345678901, date(2000, 2, 29)],
        ["제어\x01문자", "", None, 0],
    ]
    data = workbook_bytes([Sheet("시트 1", ["이름", "메모", "수", "날짜"], rows, [8, 9])])
    sheet = load_workbook(io.BytesIO(data))["시트 1"]
    assert _rows(sheet) == [
        ["이름", "메모", "수", "날짜"],
        ["  앞뒤 공백  ", "a < b & c > d", 12345678901, datetime(2000, 2, 29)],
        ["제어문자", None, None, 0],  # XML cannot hold \x01; empty cells stay empty
    ]


async def test_both_files_in_one_pass_hold_what_each_alone_holds(bot, history):
    from bot.media import hours_export
    from storage import exports as stored

    async with bot.services.database.transaction() as conn:
        people = await stored.round_activity(conn, "3차")
    data = hours_export.hours_export("3차", people, 30)
    xlsx, csv_data = hours_export.files(data, bot.t)
    assert csv_data == hours_export.csv_bytes(data, bot.t)
    together = load_workbook(io.BytesIO(xlsx))
    alone = load_workbook(io.BytesIO(hours_export.xlsx_bytes(data, bot.t)))
    assert [_rows(s) for s in together.worksheets] == [_rows(s) for s in alone.worksheets]
    assert data.row_count == 5 and data.activity_days == {
        date(2027, 8, d) for d in (16, 17, 23, 24)
    }


async def test_a_name_with_a_lone_surrogate_is_exported_without_it(bot, history):
    """Telegram's JSON may carry a lone "\\ud83d" (half an emoji): UTF-8 cannot encode it, so it
    is dropped from both files instead of the export crashing."""
    from dataclasses import replace

    from bot.media import hours_export
    from storage import exports as stored

    async with bot.services.database.transaction() as conn:
        people = await stored.round_activity(conn, "3차")
    people = [
        replace(p, full_name="김\ud83d민지", affiliation="\udc00한빛중") if p.user_id == 1001 else p
        for p in people
    ]
    xlsx, csv_data = hours_export.files(hours_export.hours_export("3차", people, 30), bot.t)
    sheet = load_workbook(io.BytesIO(xlsx))[bot.t("export-sheet-hours")]
    assert (sheet["A2"].value, sheet["D2"].value) == ("김민지", "한빛중")
    assert csv_data.decode("utf-8-sig").splitlines()[1].startswith("김민지,minji1365,")


def test_the_xlsx_writer_drops_lone_surrogates():
    from bot.media.xlsx import Sheet, workbook_bytes

    data = workbook_bytes([Sheet("시트\ud800", ["이름\udfff"], [["반\ud83d쪽"]])])
    sheet = load_workbook(io.BytesIO(data))["시트"]
    assert _rows(sheet) == [["이름"], ["반쪽"]]


async def _busy_round(bot, people: int, days: int) -> None:
    """``people`` approved participants with a 1365 ID, each certified on ``days`` days."""
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute("SELECT id FROM missions WHERE kind = 'standing' LIMIT 1")
        mission_id = (await cursor.fetchone())[0]
        await conn.executemany(
            "INSERT INTO participants (user_id, status, telegram_name, full_name, category, "
            "affiliation, volunteer_id, created_at, updated_at) "
            "VALUES (?, 'approved', ?, ?, 'high', '한빛중', ?, 'x', 'x')",
            [(u, f"t{u}", f"참가자{u}", f"v{u}") for u in range(50_000, 50_000 + people)],
        )
        rows = []
        for day in range(days):
            campaign_day = date(2027, 8, 16) + timedelta(days=day)
            at = kst(campaign_day.isoformat(), "18:00")
            for user_id in range(50_000, 50_000 + people):
                rows.append((user_id, mission_id, campaign_day.isoformat(), at.isoformat()))
        await conn.executemany(
            "INSERT INTO certifications (participant_id, mission_id, round_name, campaign_day, "
            "status, started_at, ended_at, created_at, accepted_at) "
            "VALUES (?, ?, '3차', ?, 'accepted', ?4, ?4, ?4, ?4)",
            rows,
        )


async def test_a_big_export_does_not_keep_others_waiting(bot, history):
    """The files of a busy round take a while to build; meanwhile the bot keeps answering
    (a heartbeat on the event loop stands in for everyone else's updates)."""
    _, _, leaders = history
    await _busy_round(bot, people=1500, days=40)  # 60,000 rows in the hours sheet
    bot.now = kst("2027-09-26", "10:00")
    export = asyncio.create_task(bot.say(leaders[0], "/export hours 3차"))
    began = last = monotonic()
    longest = 0.0
    while not export.done():
        await asyncio.sleep(0.005)
        now = monotonic()
        longest, last = max(longest, now - last), now
    await export
    took = monotonic() - began
    _, csv_file = _documents(bot, LEADER)
    lines = csv_file.data.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 4 + 60_000  # the header, 김민지's days, the busy round
    assert took > 0.1, took  # a real piece of work, or the measure says nothing
    # Blocking, the loop would stall for most of the export; in a worker thread it is
    # interrupted only for the moments the thread holds the interpreter.
    # Measured: blocking, the longest stall was 97% of the export; threaded, under 10%.
    assert longest < took / 3, (longest, took)
