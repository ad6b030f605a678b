"""Risk reports that get things fixed: one report per place ("same place" joins the open report,
leaders merge two), the one-tap location button, the after photo with before/after news to
everyone who noticed the place and a short post to the group (category and dong only)."""

import io
import json

from PIL import Image

from bot.campaign import risk_reports
from storage import card_copies, risks
from tests.harness import LEADER_IDS, start_harness, stop_harness
from tests.support import kst, open_old_database, photo_taken_at

MINJI, JUNHO, SEOYEON = 1001, 1002, 1003
LEADER = LEADER_IDS[0]
GROUP = -1001234567890
LIGHT = (35.948120, 126.957610)
# About 20 m north-east of LIGHT (same light, another phone), and about 80 m east.
NEAR = (35.948250, 126.957760)
FAR = (35.948120, 126.958500)


async def _people(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI, "민지")
    junho = bot.person(JUNHO, "준호")
    await bot.join(minji, leaders[0], name="김민지")
    await bot.join(junho, leaders[0], name="박준호", neighbourhood="행복동")
    return leaders, minji, junho


async def _report(bot, person, place, *, category="light"):
    await bot.say(person, "/report")
    await bot.press(person, f"risk:cat:{category}")
    if isinstance(place, str):
        await bot.say(person, place)
    else:
        await bot.send(bot.factory.location(person, *place))


async def _finish(bot, person, *, photo=None, text="보안등이 꺼져 있어요"):
    if photo is None:
        await bot.press(person, "risk:skipphoto")
    else:
        await bot.send(
            bot.factory.document_from_bytes(
                bot.tg, person, photo, file_name="IMG_1.JPG", mime_type="image/jpeg"
            )
        )
    await bot.say(person, text)
    assert bot.last_text(person["id"]) == bot.t("risk-submitted")


async def _noticed_twice(bot, *, photo=None, place=LIGHT, again=NEAR):
    """Minji reports ``place`` (with ``photo``, or none); Junho reports it at ``again`` and says
    it is the same one. Returns the leaders, both people and the one report."""
    leaders, minji, junho = await _people(bot)
    await _report(bot, minji, place)
    await _finish(bot, minji, photo=photo)
    (report,) = await _reports(bot)
    await _report(bot, junho, again)
    await bot.press(junho, f"risk:same:{report.id + 1}")
    return leaders, minji, junho, report


async def _reports(bot):
    async with bot.services.database.transaction() as conn:
        return await risks.submitted(conn)


def _uploaded(call):
    (upload,) = call.files.values()
    return upload.data


def _has_no_metadata(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    return not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info


def test_distance_is_haversine_and_the_box_holds_the_circle():
    # One degree of latitude is ~111.2 km; Seoul to Busan ~325 km.
    assert abs(risk_reports.haversine_metres(0, 0, 1, 0) - 111_195) < 5
    assert 320_000 < risk_reports.haversine_metres(37.5665, 126.978, 35.1796, 129.0756) < 330_000
    assert 15 < risk_reports.haversine_metres(*LIGHT, *NEAR) < 25
    assert 75 < risk_reports.haversine_metres(*LIGHT, *FAR) < 85
    south, north, west, east = risk_reports.bounding_box(*LIGHT, 50)
    for bearing_point in ((LIGHT[0] + 0.00044, LIGHT[1]), (LIGHT[0], LIGHT[1] + 0.00054)):
        assert risk_reports.haversine_metres(*LIGHT, *bearing_point) < 50
        assert south <= bearing_point[0] <= north and west <= bearing_point[1] <= east


def test_the_area_shown_to_the_group_is_a_dong_never_the_address():
    assert risk_reports.area_of("영등동 123 골목 입구", "행복동") == "영등동"
    assert risk_reports.area_of("중앙로1가 45", None) == "중앙로1가"
    assert risk_reports.area_of("시장 앞 골목", "행복동") == "행복동"
    assert risk_reports.area_of(None, None) is None


async def test_the_location_step_is_one_tap_and_the_keyboard_goes_away_after(bot):
    _, minji, _ = await _people(bot)
    await bot.say(minji, "/report")
    await bot.press(minji, "risk:cat:light")
    asked = [c for c in bot.tg.calls_of("sendMessage") if c.params["chat_id"] == MINJI][-1]
    markup = (
        json.loads(asked.params["reply_markup"])
        if isinstance(asked.params["reply_markup"], str)
        else asked.params["reply_markup"]
    )
    (row,) = markup["keyboard"]
    assert row[0]["request_location"] is True
    assert row[0]["text"] == bot.t("button-risk-send-location")
    await bot.send(bot.factory.location(minji, *LIGHT))
    sent = [c for c in bot.tg.calls_of("sendMessage") if c.params["chat_id"] == MINJI]
    removed = [c for c in sent if "remove_keyboard" in str(c.params.get("reply_markup"))]
    assert removed and bot.t("risk-location-received") in removed[-1].params["text"]
    assert bot.last_text(MINJI) == bot.t("risk-ask-photo")


async def test_a_second_report_of_the_same_light_joins_the_first_and_both_hear_the_news(bot):
    leaders, minji, junho = await _people(bot)
    await _report(bot, minji, LIGHT)
    # Sent as a file: it carries EXIF (capture time); what others see must not.
    await _finish(bot, minji, photo=photo_taken_at(3, bot.now))
    (first,) = await _reports(bot)

    await _report(bot, junho, NEAR)
    shown = bot.tg.calls_of("sendPhoto")[-1]
    assert shown.params["chat_id"] == JUNHO
    caption = shown.params["caption"]
    assert bot.t("risk-category-light") in caption and "1명" in caption
    assert "김민지" not in caption and "민지" not in caption  # never who reported it
    assert _has_no_metadata(_uploaded(shown))  # the bot's own copy, not Minji's file
    assert "같은 곳이에요" in str(shown.params["reply_markup"])

    await bot.say(junho, "아무 말")  # a button must be pressed
    assert bot.last_text(JUNHO) == bot.t("risk-press-same-place")
    await bot.press(junho, f"risk:same:{first.id + 1}")
    assert bot.last_text(JUNHO) == bot.t("risk-joined", count=2)
    assert bot.t(
        "risk-noticed-leader", id=first.id, category=bot.t("risk-category-light"), count=2
    ) == bot.last_text(LEADER)
    (only,) = await _reports(bot)
    assert only.id == first.id and only.noticed == 2
    async with bot.services.database.transaction() as conn:
        assert await risks.followers(conn, first.id) == [JUNHO]

    # Both hear the forward.
    await bot.press(leaders[0], f"risk:fwd:{first.id}")
    await bot.press(leaders[0], f"risk:to:{first.id}:0")
    assert "시청 시설관리팀" in bot.last_text(MINJI)
    assert "시청 시설관리팀" in bot.last_text(JUNHO)


async def test_another_place_files_its_own_report_and_far_places_are_not_asked(bot):
    _, minji, junho = await _people(bot)
    await _report(bot, minji, LIGHT)
    await _finish(bot, minji)
    await _report(bot, junho, NEAR)
    draft_id = (await _reports(bot))[0].id + 1
    await bot.press(junho, f"risk:apart:{draft_id}")
    assert bot.last_text(JUNHO) == bot.t("risk-ask-photo")
    await _finish(bot, junho)
    await _report(bot, junho, FAR)  # ~80 m: another light
    assert bot.last_text(JUNHO) == bot.t("risk-ask-photo")
    await _finish(bot, junho)
    await _report(bot, junho, LIGHT, category="alley")  # same place, another kind
    assert bot.last_text(JUNHO) == bot.t("risk-ask-photo")
    await _finish(bot, junho)
    assert [r.noticed for r in await _reports(bot)] == [1, 1, 1, 1]


async def test_a_typed_address_matches_only_the_same_text(bot):
    _, minji, junho = await _people(bot)
    await _report(bot, minji, "영등동 123  골목 입구")
    await _finish(bot, minji)
    await _report(bot, junho, "영등동 123 골목입구")  # not the same text: a new report
    assert bot.last_text(JUNHO) == bot.t("risk-ask-photo")
    await _finish(bot, junho)
    await _report(bot, junho, " 영등동 123 골목 입구 ")  # spacing aside, the same
    assert bot.t("risk-nearby-same-address") in bot.last_text(JUNHO)


async def test_leaders_merge_two_reports_of_one_place_and_the_count_adds_up(bot):
    leaders, minji, junho = await _people(bot)
    await _report(bot, minji, LIGHT)
    await _finish(bot, minji)
    await _report(bot, junho, NEAR, category="alley")  # another kind: not asked
    await _finish(bot, junho)
    first, second = await _reports(bot)
    await bot.press(
        minji,
        f"risk:merge:{second.id}",
        message=bot.message_with_button(LEADER, f"risk:merge:{second.id}"),
    )
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params.get("text") == bot.t("leaders-only")
    await bot.press(leaders[0], f"risk:merge:{second.id}")
    assert f"risk:into:{second.id}:{first.id}" in bot.buttons(LEADER)
    old_card = bot.message_with_button(leaders[1]["id"], f"risk:fwd:{second.id}")
    await bot.press(leaders[0], f"risk:into:{second.id}:{first.id}")
    assert bot.last_text(LEADER) == bot.t(
        "risk-merged-done", source=second.id, id=first.id, count=2
    )
    (left,) = await _reports(bot)
    assert left.id == first.id and left.noticed == 2
    async with bot.services.database.transaction() as conn:
        assert await risks.followers(conn, first.id) == [JUNHO]
        merged = await risks.get(conn, second.id)
    assert merged is not None and merged.status == "merged" and merged.merged_into == first.id
    # Merged away: every copy of its card says so and lost its buttons; an old press is refused.
    for leader in leaders:
        card = next(
            m
            for m in bot.tg.sent_messages(leader["id"])
            if f"#{second.id}" in (m.get("text") or "") and bot.t("risk-status-merged") in m["text"]
        )
        assert not card.get("reply_markup")
    await bot.press(leaders[1], f"risk:fwd:{second.id}", message=old_card)
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params.get("show_alert")


async def test_resolving_with_an_after_photo_sends_the_pair_and_posts_category_and_dong(
    tmp_path, campaign
):
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"), group_chat_id=GROUP)
    bot.tg.add_chat(bot.factory.group_chat(GROUP, "group"))
    try:
        place = "영등동 123 골목 입구"
        leaders, _, _, report = await _noticed_twice(
            bot, photo=photo_taken_at(5, bot.now), place=place, again=place
        )

        await bot.press(leaders[0], f"risk:resolve:{report.id}")
        assert bot.last_text(LEADER) == bot.t("risk-ask-resolve-note", id=report.id)
        after = photo_taken_at(6, bot.now)  # the leader's file, with EXIF
        await bot.send(
            bot.factory.document_from_bytes(
                bot.tg,
                leaders[0],
                after,
                file_name="AFTER.JPG",
                mime_type="image/jpeg",
                caption="9월 1일 전구 교체",
            )
        )
        assert bot.last_text(LEADER) == bot.t("risk-resolved-done", id=report.id)
        for person in (MINJI, JUNHO):
            (news,) = [
                c
                for c in bot.tg.calls_of("sendPhoto")
                if c.ok
                and c.params["chat_id"] == person
                and "전구 교체" in c.params.get("caption", "")
            ]
            pair = _uploaded(news)
            assert _has_no_metadata(pair)
            assert Image.open(io.BytesIO(pair)).width > Image.open(io.BytesIO(pair)).height
        await bot.services.outbox.drain(until_empty=True)
        (post,) = [c for c in bot.tg.calls_of("sendPhoto") if c.params["chat_id"] == GROUP]
        assert post.ok
        caption = post.params["caption"]
        assert caption == bot.t(
            "risk-fixed-group", area="영등동", category=bot.t("risk-category-light")
        )
        assert "123" not in caption and "민지" not in caption and "준호" not in caption
        assert _has_no_metadata(_uploaded(post))
        async with bot.services.database.transaction() as conn:
            done = await risks.get(conn, report.id)
        assert done is not None and done.status == "resolved" and done.resolved_at is not None
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_resolved_without_photo_or_note_tells_everyone_in_text(bot):
    leaders, _, _, report = await _noticed_twice(bot)
    await bot.press(leaders[0], f"risk:resolve:{report.id}")
    await bot.press(leaders[0], f"risk:fixed:{report.id}")
    assert bot.last_text(LEADER) == bot.t("risk-resolved-done", id=report.id)
    for person in (MINJI, JUNHO):
        assert bot.t("risk-category-light") in bot.last_text(person)
    assert not [c for c in bot.tg.calls_of("sendPhoto") if c.params["chat_id"] < 0]


async def test_delete_and_the_retention_purge_remove_subscriptions_and_photos(bot, campaign):
    from bot.campaign import privacy
    from bot.context import CampaignContext
    from scheduler.maintenance import retention_purge

    _, _, junho, report = await _noticed_twice(bot, photo=photo_taken_at(7, bot.now))
    # Junho also sent a photo of the place on a later patrol.
    await bot.press(
        junho,
        f"risk:check:{report.id}",
        message=bot.message_with_button(LEADER, f"risk:fwd:{report.id}"),
    )
    await bot.send_photo(junho)
    async with bot.services.database.transaction() as conn:
        assert await risks.photo(conn, report.id, "before") is not None
        assert await risks.photo(conn, report.id, "proposed") is not None

    await bot.say(junho, "/delete")
    await bot.press(junho, "erase:delete:yes")
    async with bot.services.database.transaction() as conn:
        assert await risks.followers(conn, report.id) == []
        assert await risks.photo(conn, report.id, "proposed") is None
        assert await risks.photo(conn, report.id, "before") is not None  # Minji's, still here

    # Minji's data reaches the end of its retention period.
    async with bot.services.database.transaction() as conn:
        cards = await card_copies.risk_cards(conn, report.id)
    assert cards and all("민지" in bot.tg.message(*card)["text"] for card in cards)
    round_end = campaign.rounds[-1].end
    keep = privacy.retention_days(campaign)
    bot.now = kst(round_end.fromordinal(round_end.toordinal() + keep + 1).isoformat(), "12:00")
    job = bot.app.job_queue.run_once(retention_purge, when=3600, name="test-purge")
    try:
        await retention_purge(CampaignContext.from_job(job, bot.app))
    finally:
        job.schedule_removal()
    async with bot.services.database.transaction() as conn:
        rows = await (await conn.execute("SELECT COUNT(*) FROM risk_photos")).fetchone()
        kept = await risks.get(conn, report.id)
    assert rows[0] == 0
    # The report stays in the statistics, and counts both people who noticed it.
    assert kept is not None and kept.noticed == 2 and kept.latitude is None
    # The leaders' cards of her report no longer name her.
    for card in cards:
        shown = bot.tg.message(*card)
        assert shown is not None and "민지" not in shown["text"]


async def test_the_migration_keeps_old_reports_and_makes_them_findable(tmp_path):
    """The risk-loop migration on a database holding reports from before it."""
    from storage.database import _migration_files

    database = await open_old_database(
        tmp_path / "old.sqlite3",
        "_risk_loop.sql",
        [
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1001, 'approved', 'x', 'x')",
            *[
                (
                    "INSERT INTO risk_reports (id, reporter_id, status, category, latitude,"
                    " longitude, address, created_at, submitted_at, updated_at) VALUES (?, 1001,"
                    " ?, 'light', ?, ?, ?, '2027-08-16T10:00:00+00:00',"
                    " '2027-08-16T10:00:00+00:00', '2027-08-17T10:00:00+00:00')",
                    (id_, status, lat, LIGHT[1] if lat else None, address),
                )
                for id_, status, lat, address in (
                    (1, "forwarded", LIGHT[0], None),
                    (2, "resolved", None, "영등동 123"),
                    (3, "submitted", None, "행복동  7"),
                )
            ],
            "INSERT INTO risk_report_steps (report_id, action, actor_id, agency, at) "
            "VALUES (1, 'forwarded', 9001, 'x', '2027-08-17T10:00:00+00:00')",
        ],
    )
    try:
        assert await database.schema_version() == len(_migration_files())
        async with database.transaction() as conn:
            old = await risks.get(conn, 1)
            fixed = await risks.get(conn, 2)
            near = await risk_reports.nearest_open(conn, "light", *NEAR)
            typed = await risks.open_at_address(conn, "light", risk_reports.address_key("행복동 7"))
        assert (
            old is not None and old.noticed == 1 and old.forwarded_at == kst("2027-08-17", "19:00")
        )
        assert fixed is not None and fixed.resolved_at is not None
        assert near is not None and near[0] == 1 and near[1] < 25
        assert typed == 3
    finally:
        await database.close()


async def test_the_reporter_checks_on_a_later_patrol_and_a_leader_confirms_it_fixed(bot):
    leaders, minji, junho, report = await _noticed_twice(bot, photo=photo_taken_at(8, bot.now))

    bot.advance(days=3)
    await bot.say(minji, "/myreports")
    assert f"risk:check:{report.id}" in bot.buttons(MINJI)
    await bot.press(
        junho,
        f"risk:check:{report.id}",
        message=bot.message_with_button(MINJI, f"risk:check:{report.id}"),
    )  # a follower may check too
    await bot.press(minji, f"risk:check:{report.id}")
    assert bot.last_text(MINJI) == bot.t("risk-ask-check-photo", id=report.id)
    await bot.say(minji, "고쳐진 것 같아요")  # a photo is needed
    assert bot.last_text(MINJI) == bot.t("risk-invalid-check-photo")
    await bot.send(
        bot.factory.document_from_bytes(
            bot.tg, minji, photo_taken_at(9, bot.now), file_name="NOW.JPG", mime_type="image/jpeg"
        )
    )
    assert bot.last_text(MINJI) == bot.t("risk-check-sent")
    to_leader = [c for c in bot.tg.calls_of("sendPhoto") if c.params["chat_id"] == LEADER][-1]
    assert _has_no_metadata(_uploaded(to_leader))
    (confirm,) = [d for d in bot.buttons(LEADER) if d.startswith("risk:ok:")]

    await bot.press(junho, confirm, message=bot.message_with_button(LEADER, confirm))
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params.get("text") == bot.t("leaders-only")
    await bot.press(leaders[0], confirm)
    assert bot.last_text(LEADER) == bot.t("risk-resolved-done", id=report.id)
    for person in (MINJI, JUNHO):
        news = [c for c in bot.tg.calls_of("sendPhoto") if c.ok and c.params["chat_id"] == person]
        assert bot.t("risk-category-light") in news[-1].params["caption"]
    async with bot.services.database.transaction() as conn:
        done = await risks.get(conn, report.id)
        after = await risks.photo(conn, report.id, "after")
    assert done is not None and done.status == "resolved"
    assert after is not None and after.taken_by == MINJI


async def test_what_our_patrols_fixed_is_in_stats_the_weekly_top_and_the_round_reports(
    tmp_path, campaign
):
    from time import monotonic

    from bot.context import CampaignContext
    from bot.outbox_sender import Pacer
    from scheduler.cheers import post_weekly_top
    from scheduler.round_report_jobs import send_reports

    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"), group_chat_id=GROUP)
    bot.tg.add_chat(bot.factory.group_chat(GROUP, "group"))
    bot.services.outbox.pacer = Pacer(
        per_second=1000, per_chat_per_second=1000, per_group_per_minute=60000, monotonic=monotonic
    )

    async def run(callback) -> None:
        job = bot.app.job_queue.run_once(callback, when=3600, name="test-risk-jobs")
        try:
            await callback(CampaignContext.from_job(job, bot.app))
        finally:
            job.schedule_removal()

    try:
        leaders, minji, junho = await _people(bot)
        await bot.certify(minji)
        await _report(bot, minji, LIGHT)
        await _finish(bot, minji)
        await _report(bot, junho, NEAR)  # the same light: counted once
        first = (await _reports(bot))[0].id
        await bot.press(junho, f"risk:same:{first + 1}")
        await _report(bot, junho, FAR)
        await _finish(bot, junho)
        await _report(bot, junho, LIGHT, category="alley")
        await _finish(bot, junho)
        light, far, alley = (r.id for r in await _reports(bot))
        for report_id in (light, far):
            await bot.press(leaders[0], f"risk:fwd:{report_id}")
            await bot.press(leaders[0], f"risk:to:{report_id}:0")
        await bot.press(leaders[0], f"risk:resolve:{light}")
        await bot.say(leaders[0], "전구 교체")
        await bot.press(leaders[0], f"risk:reject:{alley}")
        await bot.say(leaders[0], "사유지")
        lights = bot.t(
            "risk-fixed-line",
            category=bot.t("risk-category-light"),
            found=2,
            forwarded=2,
            fixed=1,
        )
        alleys = bot.t(
            "risk-fixed-line",
            category=bot.t("risk-category-alley"),
            found=1,
            forwarded=0,
            fixed=0,
        )

        await bot.say(leaders[0], "/stats")
        shown = "\n".join(bot.texts(LEADER)[-3:])
        assert bot.t("risk-fixed-title-round") in shown and lights in shown and alleys in shown

        bot.now = kst("2027-08-22", "09:00")  # Sunday: the weekly top
        await run(post_weekly_top)
        await bot.services.outbox.drain(until_empty=True)
        post = bot.last_text(GROUP)
        assert lights in post and alleys in post
        assert "민지" not in post.split(bot.t("risk-fixed-title-round"))[1]

        bot.now = kst("2027-09-10", "09:00")  # the mid-round report
        await run(send_reports)
        await bot.services.outbox.drain(until_empty=True)
        assert lights in bot.texts(LEADER)[-2] or lights in "\n".join(bot.texts(LEADER))
        mine = [
            c.params["caption"]
            for c in bot.tg.calls_of("sendPhoto")
            if c.params["chat_id"] == MINJI and "리포트" in c.params.get("caption", "")
        ]
        mine_line = bot.t(
            "risk-fixed-line",
            category=bot.t("risk-category-light"),
            found=1,
            forwarded=1,
            fixed=1,
        )
        assert mine and bot.t("risk-fixed-title-mine") in mine[-1] and mine_line in mine[-1]
        assert lights in mine[-1]
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_the_geojson_export_carries_open311_fields(bot):
    leaders, _, junho, report = await _noticed_twice(bot)
    await bot.press(leaders[0], f"risk:fwd:{report.id}")
    await bot.press(leaders[0], f"risk:to:{report.id}:0")
    bot.advance(days=2)
    await bot.press(leaders[0], f"risk:resolve:{report.id}")
    await bot.say(leaders[0], "전구 교체 완료")
    await _report(bot, junho, "영등동 45 놀이터")
    await _finish(bot, junho)

    await bot.say(leaders[0], "/export reports")
    geo = next(
        f.data
        for c in bot.tg.calls_of("sendDocument")
        for f in c.files.values()
        if f.filename.endswith(".geojson")
    )
    xlsx = next(
        f.data
        for c in bot.tg.calls_of("sendDocument")
        for f in c.files.values()
        if f.filename.endswith(".xlsx")
    )
    from openpyxl import load_workbook

    sheet = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert sheet[0][-1] == bot.t("risk-export-col-noticed") and sheet[1][-1] == 2
    fixed, typed = json.loads(geo)["features"]
    props = fixed["properties"]
    assert props["service_request_id"] == str(report.id)
    assert props["service_code"] == "light"
    assert props["service_name"] == bot.t("risk-category-light")
    assert props["status"] == "closed" and props["detailed_status"] == "resolved"
    assert props["status_notes"] == "전구 교체 완료"
    assert props["agency_responsible"] == "시청 시설관리팀"
    assert props["requested_datetime"] == "2027-08-16T19:00:00+09:00"
    assert props["updated_datetime"] == "2027-08-18T19:00:00+09:00"
    assert props["noticed_count"] == 2
    assert fixed["geometry"] == {"type": "Point", "coordinates": [LIGHT[1], LIGHT[0]]}
    assert typed["geometry"] is None and typed["properties"]["status"] == "open"
    assert typed["properties"]["address"] == "영등동 45 놀이터"
    assert typed["properties"]["agency_responsible"] is None


async def test_forwarding_gives_a_ready_to_copy_block_with_the_photo_and_the_official_sites(bot):
    leaders, minji, _ = await _people(bot)
    await _report(bot, minji, LIGHT)
    await _finish(bot, minji, photo=photo_taken_at(11, bot.now), text="<b>골목</b> 보안등 고장")
    (report,) = await _reports(bot)
    bot.advance(days=3)
    await bot.press(leaders[0], f"risk:fwd:{report.id}")
    await bot.press(leaders[0], f"risk:to:{report.id}:1")
    assert bot.last_text(LEADER) == bot.t(
        "risk-forwarded-done", id=report.id, agency="구청·행정복지센터"
    )
    block = bot.texts(LEADER)[-2]
    for expected in (
        bot.t("risk-category-light"),
        "35.948120, 126.957610",
        "발견일: 2027-08-16",
        "전달일: 2027-08-19",  # recorded as today
        "<b>골목</b> 보안등 고장",  # typed text, shown as typed (escaped)
    ):
        assert expected in block
    sent = bot.tg.sent_messages(LEADER)[-2]
    urls = [b.get("url") for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    assert "https://www.safetyreport.go.kr" in urls
    photo = [c for c in bot.tg.calls_of("sendPhoto") if c.params["chat_id"] == LEADER][-1]
    assert _has_no_metadata(_uploaded(photo))
    async with bot.services.database.transaction() as conn:
        done = await risks.get(conn, report.id)
    assert done is not None and done.forwarded_at == kst("2027-08-19", "19:00")


async def test_several_places_from_one_patrol_become_one_report_each(bot):
    _, minji, _ = await _people(bot)
    await _report(bot, minji, LIGHT)
    assert "risk:more" in bot.buttons(MINJI)
    await bot.press(minji, "risk:more")
    sent = bot.tg.calls_of("sendMessage")[-1]
    assert "request_location" in str(sent.params["reply_markup"])
    await bot.send(bot.factory.location(minji, *FAR))
    assert bot.texts(MINJI)[-2] == bot.t("risk-place-added", count=2)
    assert bot.last_text(MINJI) == bot.t("risk-ask-photo")
    await bot.send_photo(minji)
    await bot.send(bot.factory.location(minji, 35.9500, 126.9600))  # at the description step
    assert bot.texts(MINJI)[-2] == bot.t("risk-place-added", count=3)
    await bot.say(minji, "골목 세 군데가 어두워요")
    assert bot.last_text(MINJI) == bot.t("risk-submitted")
    filed = await _reports(bot)
    assert [(r.latitude, r.longitude) for r in filed] == [LIGHT, FAR, (35.95, 126.96)]
    assert {(r.category, r.description, r.photo_file_id) for r in filed} == {
        ("light", "골목 세 군데가 어두워요", filed[0].photo_file_id)
    }
    assert filed[0].photo_file_id is not None
    assert {r.patrol_id for r in filed} == {filed[0].id}
    for report in filed:  # each reached the leaders with its own buttons
        assert f"risk:fwd:{report.id}" in str(
            bot.message_with_button(LEADER, f"risk:fwd:{report.id}")
        )
        async with bot.services.database.transaction() as conn:
            assert await risks.photo(conn, report.id, "before") is not None


async def test_forwarded_reports_left_silent_are_listed_weekly_with_one_tap_answers(bot):
    from time import monotonic

    from bot.context import CampaignContext
    from bot.outbox_sender import Pacer
    from scheduler.risk_jobs import list_silent_reports

    bot.services.outbox.pacer = Pacer(
        per_second=1000, per_chat_per_second=1000, per_group_per_minute=60000, monotonic=monotonic
    )

    async def run() -> None:
        job = bot.app.job_queue.run_once(list_silent_reports, when=3600, name="test-silent")
        try:
            await list_silent_reports(CampaignContext.from_job(job, bot.app))
        finally:
            job.schedule_removal()
        await bot.services.outbox.drain(until_empty=True)

    leaders, minji, junho = await _people(bot)
    await _report(bot, minji, LIGHT)
    await _finish(bot, minji)
    await _report(bot, junho, FAR)
    await _finish(bot, junho)
    first, second = (r.id for r in await _reports(bot))
    for report_id in (first, second):
        await bot.press(leaders[0], f"risk:fwd:{report_id}")
        await bot.press(leaders[0], f"risk:to:{report_id}:0")  # Monday 2027-08-16
    before = len(bot.texts(LEADER))

    bot.now = kst("2027-08-29", "09:00")  # Sunday, 13 days on: not yet
    await run()
    bot.now = kst("2027-09-05", "08:59")  # Sunday, 20 days on, before the morning time
    await run()
    assert len(bot.texts(LEADER)) == before
    bot.now = kst("2027-09-05", "09:00")
    await run()
    await run()  # once a week
    assert len(bot.texts(LEADER)) == before + 1
    listed = bot.last_text(LEADER)
    assert bot.t("risk-silent-title", count=2, days=14) in listed
    for leader_id in LEADER_IDS:
        buttons = bot.buttons(leader_id)
        assert f"risk:notyet:{first}" in buttons and f"risk:resolve:{first}" in buttons
        assert f"risk:reject:{second}" in buttons

    await bot.press(leaders[1], f"risk:notyet:{first}")
    assert bot.last_text(LEADER_IDS[1]) == bot.t("risk-still-open-done", id=first)
    await bot.press(leaders[0], f"risk:resolve:{second}")
    await bot.press(leaders[0], f"risk:fixed:{second}")
    assert bot.last_text(LEADER) == bot.t("risk-resolved-done", id=second)

    bot.now = kst("2027-09-12", "09:00")  # a week later: "still open" a week ago, not listed
    await run()
    assert bot.t("risk-silent-title", count=1, days=14) not in bot.last_text(LEADER)
    bot.now = kst("2027-09-19", "09:30")  # over 14 days after "still open": listed again
    await run()
    assert bot.t("risk-silent-title", count=1, days=14) in bot.last_text(LEADER)


async def test_cancel_at_the_location_step_takes_the_location_button_away(bot):
    _, minji, _ = await _people(bot)
    await bot.say(minji, "/report")
    await bot.press(minji, "risk:cat:light")
    await bot.say(minji, "/cancel")
    answer = [c for c in bot.tg.calls_of("sendMessage") if c.params["chat_id"] == MINJI][-1]
    assert answer.params["text"] == bot.t("cancel-done")
    assert "remove_keyboard" in str(answer.params["reply_markup"])
