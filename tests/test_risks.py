"""Risk reports: a participant reports (location or typed address), leaders forward, resolve or
reject with buttons (only leaders), the reporter is told, and /export reports gives xlsx and
GeoJSON."""

import io
import json
from dataclasses import replace

from openpyxl import load_workbook

from bot.campaign.config import parse_campaign
from storage import risks
from tests.harness import LEADER_IDS, start_harness, stop_harness
from tests.support import campaign_document, kst

MINJI = 1001
LEADER = LEADER_IDS[0]


async def _ready(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI, "민지")
    await bot.join(minji, leaders[0], name="김민지")
    return leaders, minji


async def _report_with_location(bot, minji):
    await bot.say(minji, "/report")
    assert bot.last_text(MINJI) == bot.t("risk-ask-category")
    await bot.press(minji, "risk:cat:light")
    assert bot.last_text(MINJI) == bot.t("risk-ask-location")
    await bot.send(bot.factory.location(minji, 35.94812, 126.95761))
    assert bot.last_text(MINJI) == bot.t("risk-ask-photo")
    await bot.send_photo(minji)
    assert bot.last_text(MINJI) == bot.t("risk-ask-description")
    await bot.say(minji, "골목 입구 보안등이 꺼져 있어요")
    assert bot.last_text(MINJI) == bot.t("risk-submitted")


async def _report_id(bot, reporter=MINJI, index=-1):
    async with bot.services.database.transaction() as conn:
        return [r for r in await risks.submitted(conn) if r.reporter_id == reporter][index].id


async def test_a_report_with_a_location_reaches_the_leaders_and_is_forwarded_then_resolved(bot):
    leaders, minji = await _ready(bot)
    await _report_with_location(bot, minji)
    report_id = await _report_id(bot)
    for leader_id in LEADER_IDS:
        card = bot.last_text(leader_id)
        assert "골목 입구 보안등이 꺼져 있어요" in card and "35.94812" in card
        assert bot.tg.calls_of("sendLocation")

    await bot.press(leaders[0], f"risk:fwd:{report_id}")
    await bot.press(leaders[0], f"risk:to:{report_id}:0")
    assert bot.last_text(LEADER) == bot.t(
        "risk-forwarded-done", id=report_id, agency="시청 시설관리팀"
    )
    assert "시청 시설관리팀" in bot.last_text(MINJI)

    old_card = bot.message_with_button(LEADER_IDS[1], f"risk:reject:{report_id}")
    await bot.press(leaders[0], f"risk:resolve:{report_id}")
    await bot.say(leaders[0], "9월 1일 보안등 교체 완료")
    assert bot.last_text(LEADER) == bot.t("risk-resolved-done", id=report_id)
    told = bot.last_text(MINJI)
    assert "9월 1일 보안등 교체 완료" in told and "고장 난 보안등" in told

    async with bot.services.database.transaction() as conn:
        report = await risks.get(conn, report_id)
        trail = await risks.steps(conn, report_id)
    assert report is not None and report.status == "resolved" and report.agency == "시청 시설관리팀"
    assert [(s.action, s.actor_id) for s in trail] == [
        ("submitted", MINJI),
        ("forwarded", LEADER),
        ("resolved", LEADER),
    ]
    # Closed: a second press (on a card from before the change) is refused.
    await bot.press(leaders[1], f"risk:reject:{report_id}", message=old_card)
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params.get("show_alert")


async def test_a_typed_address_without_photo_and_a_rejection_with_reason(bot):
    leaders, minji = await _ready(bot)
    await bot.say(minji, "/report")
    await bot.say(minji, "아무 글")  # a category must be pressed
    assert bot.last_text(MINJI) == bot.t("risk-press-category")
    await bot.press(minji, "risk:cat:vacant")
    await bot.say(minji, "영등동 123 빈집")
    await bot.press(minji, "risk:skipphoto")
    await bot.say(minji, "밤에 사람이 드나들어요")
    report_id = await _report_id(bot)
    assert "영등동 123 빈집" in bot.last_text(LEADER)

    await bot.press(leaders[1], f"risk:reject:{report_id}")
    await bot.say(leaders[1], "사유지라 관할이 아님")
    assert bot.last_text(LEADER_IDS[1]) == bot.t("risk-rejected-done", id=report_id)
    assert "사유지라 관할이 아님" in bot.last_text(MINJI)
    async with bot.services.database.transaction() as conn:
        report = await risks.get(conn, report_id)
    assert report is not None and report.status == "rejected" and report.latitude is None


async def test_only_leaders_press_the_buttons_and_strangers_cannot_report(bot):
    leaders, minji = await _ready(bot)
    await _report_with_location(bot, minji)
    report_id = await _report_id(bot)
    card = bot.message_with_button(LEADER, f"risk:fwd:{report_id}")
    for data in (
        f"risk:fwd:{report_id}",
        f"risk:to:{report_id}:2",
        f"risk:resolve:{report_id}",
        f"risk:reject:{report_id}",
    ):
        await bot.press(minji, data, message=card)
        assert bot.tg.calls_of("answerCallbackQuery")[-1].params.get("text") == bot.t(
            "leaders-only"
        )
    for forged in ("nowhere", "3", "-1"):  # no such agency
        await bot.press(leaders[0], f"risk:to:{report_id}:{forged}", message=card)
    async with bot.services.database.transaction() as conn:
        report = await risks.get(conn, report_id)
    assert report is not None and report.status == "submitted"

    await bot.say(bot.person(1002), "/report")
    assert bot.last_text(1002) == bot.t("risk-not-participant")


async def test_cancel_drops_the_draft(bot):
    _, minji = await _ready(bot)
    await bot.say(minji, "/report")
    await bot.say(minji, "/cancel")
    await bot.press(minji, "risk:cat:light")
    assert bot.last_text(MINJI) == bot.t("risk-no-draft")
    await bot.say(minji, "영등동 123")
    assert bot.last_text(MINJI) != bot.t("risk-ask-photo")
    async with bot.services.database.transaction() as conn:
        assert await risks.submitted(conn) == []


async def test_export_reports_gives_xlsx_and_geojson_to_leaders_only(bot):
    leaders, minji = await _ready(bot)
    await _report_with_location(bot, minji)
    report_id = await _report_id(bot)
    await bot.press(leaders[0], f"risk:fwd:{report_id}")
    await bot.press(leaders[0], f"risk:to:{report_id}:2")

    await bot.say(minji, "/export reports")
    assert bot.last_text(MINJI) == bot.t("leaders-only")
    assert not bot.tg.calls_of("sendDocument")

    await bot.say(leaders[0], "/export reports")
    calls = [c for c in bot.tg.calls_of("sendDocument") if c.ok]
    assert len(calls) == 2
    files = {f.filename: f.data for c in calls for f in c.files.values()}
    (xlsx,) = [data for name, data in files.items() if name.endswith(".xlsx")]
    (geo,) = [data for name, data in files.items() if name.endswith(".geojson")]
    sheet = load_workbook(io.BytesIO(xlsx)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == bot.t("risk-export-col-id")
    assert rows[1][0] == report_id and rows[1][1] == bot.t("risk-status-forwarded")
    assert rows[1][3] == 35.94812 and rows[1][4] == 126.95761
    collection = json.loads(geo)
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [126.95761, 35.94812]}
    assert feature["properties"]["status"] == "open"  # Open311: open or closed
    assert feature["properties"]["detailed_status"] == "forwarded"


async def test_the_campaign_files_agencies_are_the_forward_buttons_and_the_choice_is_recorded(
    tmp_path,
):
    document = campaign_document()
    document["risks"] = {"agencies": ["익산시청 시설관리과", "모현동 행정복지센터"]}
    bot = await start_harness(tmp_path, parse_campaign(document), kst("2027-08-16", "19:00"))
    try:
        leaders, minji = await _ready(bot)
        await _report_with_location(bot, minji)
        report_id = await _report_id(bot)
        await bot.press(leaders[0], f"risk:fwd:{report_id}")
        assert bot.last_text(LEADER) == bot.t("risk-ask-agency", id=report_id)
        markup = bot.tg.last_sent_message(LEADER)["reply_markup"]["inline_keyboard"]
        assert [(b["text"], b["callback_data"]) for row in markup for b in row] == [
            ("익산시청 시설관리과", f"risk:to:{report_id}:0"),
            ("모현동 행정복지센터", f"risk:to:{report_id}:1"),
        ]

        await bot.press(leaders[0], f"risk:to:{report_id}:1")
        assert bot.last_text(LEADER) == bot.t(
            "risk-forwarded-done", id=report_id, agency="모현동 행정복지센터"
        )
        assert "모현동 행정복지센터" in bot.last_text(MINJI)
        async with bot.services.database.transaction() as conn:
            report = await risks.get(conn, report_id)
            trail = await risks.steps(conn, report_id)
        assert report is not None and report.agency == "모현동 행정복지센터"
        assert [(s.action, s.agency) for s in trail] == [
            ("submitted", None),
            ("forwarded", "모현동 행정복지센터"),
        ]

        await bot.say(leaders[0], "/export reports")
        xlsx = next(
            f.data
            for c in bot.tg.calls_of("sendDocument")
            for f in c.files.values()
            if f.filename.endswith(".xlsx")
        )
        rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
        assert rows[1][7] == "모현동 행정복지센터"
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_a_report_forwarded_before_agencies_were_configurable_still_shows_its_agency(bot):
    leaders, minji = await _ready(bot)
    await _report_with_location(bot, minji)
    report_id = await _report_id(bot)
    async with bot.services.database.transaction() as conn:  # as an older version recorded it
        await risks.change_status(conn, report_id, "forwarded", LEADER, bot.now, agency="patrol")
    await bot.say(leaders[0], "/export reports")
    xlsx = next(
        f.data
        for c in bot.tg.calls_of("sendDocument")
        for f in c.files.values()
        if f.filename.endswith(".xlsx")
    )
    rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert rows[1][7] == bot.t("risk-agency-patrol")


async def test_agency_buttons_from_before_the_list_changed_are_refused_not_misrecorded(bot):
    leaders, minji = await _ready(bot)
    await _report_with_location(bot, minji)
    report_id = await _report_id(bot)
    await bot.press(leaders[0], f"risk:fwd:{report_id}")
    # The station edits the campaign file and restarts before the leader presses.
    campaign = bot.app.bot_data.campaign
    bot.app.bot_data.campaign = replace(campaign, risk_agencies=("익산시청 시설관리과",))
    await bot.press(leaders[0], f"risk:to:{report_id}:0")
    answer = bot.tg.calls_of("answerCallbackQuery")[-1].params
    assert answer.get("text") == bot.t("risk-agencies-changed") and answer.get("show_alert")
    async with bot.services.database.transaction() as conn:
        report = await risks.get(conn, report_id)
    assert report is not None and report.status == "submitted" and report.agency is None

    await bot.press(leaders[0], f"risk:fwd:{report_id}")  # asked again: today's list
    await bot.press(leaders[0], f"risk:to:{report_id}:0")
    async with bot.services.database.transaction() as conn:
        report = await risks.get(conn, report_id)
    assert report is not None and report.agency == "익산시청 시설관리과"


async def test_a_typed_formula_in_a_report_stays_text_in_the_export(bot):
    """A teen's address or description starting with "=" must not run as a formula in Excel."""
    leaders, minji = await _ready(bot)
    await bot.say(minji, "/report")
    await bot.press(minji, "risk:cat:dumping")
    await bot.say(minji, '=HYPERLINK("http://evil.example","영등동 123")')
    await bot.press(minji, "risk:skipphoto")
    await bot.say(minji, "=1+1 쓰레기가 쌓여 있어요")
    report_id = await _report_id(bot)

    await bot.say(leaders[0], "/export reports")
    (xlsx,) = (
        f.data
        for c in bot.tg.calls_of("sendDocument")
        for f in c.files.values()
        if f.filename.endswith(".xlsx")
    )
    sheet = load_workbook(io.BytesIO(xlsx)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][5] == bot.t("risk-export-col-address")
    assert rows[1][0] == report_id and rows[1][3] is None and rows[1][4] is None
    assert rows[1][5] == '=HYPERLINK("http://evil.example","영등동 123")'
    assert rows[1][6] == "=1+1 쓰레기가 쌓여 있어요"
    assert sheet["F2"].data_type == "s" and sheet["G2"].data_type == "s"  # text, not "f"
    assert rows[1][1] == bot.t("risk-status-submitted")
