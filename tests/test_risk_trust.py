"""What an outside run found in the risk loop (issue 18, items 3-8): the people who noticed a
place never get its coordinates, news reads right after the reporter erased their data, the
reporter's /delete takes their pictures out of other people's chats, a follow shows on the
leaders' cards at once, a place outside the campaign's area and a file that only claims to be a
JPEG are refused with a reason."""

from __future__ import annotations

import pytest

from bot.campaign.config import parse_campaign
from bot.config_error import ConfigError
from storage import risks
from tests.harness import LEADER_IDS, start_harness, stop_harness
from tests.support import campaign_document, kst, photo_taken_at

MINJI, JUNHO = 1001, 1002
LEADER = LEADER_IDS[0]
GROUP = -1001234567890
LIGHT = (35.948120, 126.957610)
NEAR = (35.948250, 126.957760)
AGENCY = "시청 시설관리팀"


async def _people(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(MINJI, "민지")
    junho = bot.person(JUNHO, "준호")
    await bot.join(minji, leaders[0], name="김민지", neighbourhood="영등동")
    await bot.join(junho, leaders[0], name="박준호", neighbourhood="행복동")
    return leaders, minji, junho


async def _report(bot, person, place, *, category="light"):
    await bot.say(person, "/report")
    await bot.press(person, f"risk:cat:{category}")
    if isinstance(place, str):
        await bot.say(person, place)
    else:
        await bot.send(bot.factory.location(person, *place))


async def _finish(bot, person, *, photo=None, text="보안등이 꺼졌어요"):
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


async def _noticed_twice(bot, *, photo=None):
    """Minji reports the light (from her phone's location), Junho says it is the same one."""
    leaders, minji, junho = await _people(bot)
    await _report(bot, minji, LIGHT)
    await _finish(bot, minji, photo=photo)
    async with bot.services.database.read() as conn:
        (report,) = await risks.submitted(conn)
    await _report(bot, junho, NEAR)
    await bot.press(junho, f"risk:same:{report.id + 1}")
    return leaders, minji, junho, report


def _coordinates_in(text: str) -> bool:
    return any(part in text for part in ("35.94", "126.95", "위도", "경도"))


# ---- 3. the people who noticed a place never get its coordinates ------------------------------


async def test_followers_and_the_reporter_hear_the_category_and_dong_never_coordinates(bot):
    leaders, _, _, report = await _noticed_twice(bot)
    await bot.press(leaders[0], f"risk:fwd:{report.id}")
    await bot.press(leaders[0], f"risk:to:{report.id}:0")
    await bot.press(leaders[0], f"risk:resolve:{report.id}")
    await bot.say(leaders[0], "전구 교체")
    light = bot.t("risk-category-light")
    for person in (MINJI, JUNHO):
        forwarded = [t for t in bot.texts(person) if light in t and AGENCY in t][-1]
        resolved = [t for t in bot.texts(person) if light in t and "전구 교체" in t][-1]
        for news in (forwarded, resolved):
            assert not _coordinates_in(news), news
            assert "영등동" in news  # the dong Minji signed up with
    # The leaders still see where it is.
    for card in await _cards(bot, report.id):
        assert "35.94812" in bot.tg.message(*card)["text"]


async def _cards(bot, report_id: int) -> list[tuple[int, int]]:
    async with bot.services.database.read() as conn:
        return await risks.cards(conn, report_id)


async def test_a_typed_address_is_what_the_followers_hear(bot):
    leaders, minji, junho = await _people(bot)
    place = "영등동 123 골목 입구"
    await _report(bot, minji, place)
    await _finish(bot, minji)
    async with bot.services.database.read() as conn:
        (report,) = await risks.submitted(conn)
    await _report(bot, junho, place)
    await bot.press(junho, f"risk:same:{report.id + 1}")
    await bot.press(leaders[0], f"risk:fwd:{report.id}")
    await bot.press(leaders[0], f"risk:to:{report.id}:0")
    expected = bot.t(
        "risk-told-forwarded", place=place, category=bot.t("risk-category-light"), agency=AGENCY
    )
    assert bot.last_text(JUNHO) == expected
    assert bot.last_text(MINJI) == expected


# ---- 4. news after the reporter erased their data ---------------------------------------------


async def test_news_after_the_reporter_erased_their_data_still_reads_right(bot):
    leaders, minji, _, report = await _noticed_twice(bot)
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    await bot.press(leaders[0], f"risk:fwd:{report.id}")
    await bot.press(leaders[0], f"risk:to:{report.id}:0")
    assert "주신 의" not in bot.last_text(JUNHO)  # the hole the outside run found
    light = bot.t("risk-category-light")
    place = bot.t("risk-place-unknown")
    assert place == "제보하신 곳"
    assert bot.last_text(JUNHO) == bot.t(
        "risk-told-forwarded", place=place, category=light, agency=AGENCY
    )
    # Resolved with no note: no empty line where the note would be.
    await bot.press(leaders[0], f"risk:resolve:{report.id}")
    await bot.press(leaders[0], f"risk:fixed:{report.id}")
    told = bot.last_text(JUNHO)
    assert told == bot.t("risk-told-resolved-bare", place=place, category=light)
    assert not told.endswith("\n") and "\n\n" not in told
    # The leaders' card: no empty name, place or description either.
    for card in await _cards(bot, report.id):
        text = bot.tg.message(*card)["text"]
        for line in text.splitlines()[1:]:
            assert not line.rstrip().endswith(":"), text


async def test_a_rejection_from_the_console_without_a_reason_has_no_dangling_reason(bot):
    from bot.campaign.conversation import Expecting
    from bot.context import CampaignContext
    from bot.notices import risk_news

    _, _, _, report = await _noticed_twice(bot)

    async def nothing(_: object) -> None:
        return None

    job = bot.app.job_queue.run_once(nothing, when=3600, name="test-context")
    try:
        context = CampaignContext.from_job(job, bot.app)
        await risk_news.close_report(context, report.id, Expecting.RISK_REJECT_REASON, LEADER, "")
    finally:
        job.schedule_removal()
    told = bot.last_text(JUNHO)
    assert told == bot.t(
        "risk-told-rejected-bare", place="영등동", category=bot.t("risk-category-light")
    )


# ---- 5. the reporter's /delete takes their pictures out of other people's chats ---------------


async def _the_whole_loop(bot):
    """Minji reports with a photo; Junho sees it ("same place?") and follows; a leader forwards
    (the handoff photo) and resolves with an after photo (the before/after pair)."""
    leaders, minji, _, report = await _noticed_twice(bot, photo=photo_taken_at(3, bot.now))
    await bot.press(leaders[0], f"risk:fwd:{report.id}")
    await bot.press(leaders[0], f"risk:to:{report.id}:0")
    await bot.press(leaders[0], f"risk:resolve:{report.id}")
    await bot.send(
        bot.factory.document_from_bytes(
            bot.tg,
            leaders[0],
            photo_taken_at(4, bot.now),
            file_name="A.JPG",
            mime_type="image/jpeg",
        )
    )
    assert bot.last_text(LEADER) == bot.t("risk-resolved-done", id=report.id)
    await bot.services.outbox.drain(until_empty=True)
    shown: dict[str, list[tuple[int, int]]] = {"leaders": [], "junho": [], "group": []}
    for call in bot.tg.calls_of("sendPhoto") + bot.tg.calls_of("sendLocation"):
        if not call.ok:
            continue
        where = (call.result["chat"]["id"], call.result["message_id"])
        chat = where[0]
        if chat in LEADER_IDS:
            shown["leaders"].append(where)
        elif chat == JUNHO:
            shown["junho"].append(where)
        elif chat == GROUP:
            shown["group"].append(where)
    # Each leader: the photo and the pin; the forwarding leader: the handoff photo too.
    assert len(shown["leaders"]) == 2 * len(LEADER_IDS) + 1
    assert len(shown["junho"]) == 2  # "same place?" and the pair
    assert len(shown["group"]) == 1  # the "fixed" post
    return minji, report, shown


@pytest.fixture
async def grouped(tmp_path, campaign):
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"), group_chat_id=GROUP)
    bot.tg.add_chat(bot.factory.group_chat(GROUP, "group"))
    yield bot
    await stop_harness(bot)
    assert bot.errors == []


async def test_the_reporters_delete_removes_their_pictures_from_leaders_and_followers(grouped):
    bot = grouped
    minji, _, shown = await _the_whole_loop(bot)
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    for where in shown["leaders"] + shown["junho"] + shown["group"]:
        assert bot.tg.message(*where) is None, where
    async with bot.services.database.read() as conn:
        left = await conn.execute_fetchall("SELECT COUNT(*) FROM risk_picture_messages")
    assert next(iter(left))[0] == 0


async def test_pictures_too_old_to_delete_lose_their_caption_and_are_listed_to_leaders(grouped):
    bot = grouped
    minji, _, shown = await _the_whole_loop(bot)
    bot.advance(days=3)  # past the 48 hours in which a bot may delete its messages
    deletions = len(bot.tg.calls_of("deleteMessages"))
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    assert len(bot.tg.calls_of("deleteMessages")) == deletions
    erased = bot.t("privacy-message-erased")
    for where in shown["junho"]:
        assert bot.tg.message(*where)["caption"] == erased
    # Its own chat's photo, pin and handoff photo, and the group's "fixed" post.
    listed = [t for t in bot.texts(LEADER) if bot.t("privacy-left-behind", count=4) in t]
    assert listed, bot.texts(LEADER)[-3:]
    # Junho's two pictures: the leaders are told they stay, and that nobody can delete them.
    assert any("2" in line and "참여자 개인 대화방" in line for line in listed[-1].splitlines())


# ---- 6. the leaders' card follows every follow ------------------------------------------------


async def test_the_leaders_cards_show_a_second_person_at_once(bot):
    _, _, _, report = await _noticed_twice(bot)
    cards = await _cards(bot, report.id)
    assert len(cards) == len(LEADER_IDS)
    for where in cards:
        card = bot.tg.message(*where)
        assert "알린 사람: 2명" in card["text"], card["text"]
        assert f"risk:fwd:{report.id}" in str(card["reply_markup"])  # the buttons stay


# ---- 7. a place outside the campaign's area ---------------------------------------------------


@pytest.mark.parametrize("place", [(0.0, 0.0), (35.6762, 139.6503)])  # nowhere, Tokyo
async def test_a_location_outside_korea_is_refused_with_a_reason(bot, place):
    _, minji, _ = await _people(bot)
    await _report(bot, minji, place)
    assert bot.last_text(MINJI) != bot.t("risk-ask-photo")  # not taken as the place
    assert bot.last_text(MINJI) == bot.t("risk-outside-area")
    (asked,) = [c for c in bot.tg.calls_of("sendMessage") if c.params["chat_id"] == MINJI][-1:]
    assert "request_location" in str(asked.params["reply_markup"])  # the button, to try again
    await bot.send(bot.factory.location(minji, *LIGHT))  # the right place still works
    assert bot.last_text(MINJI) == bot.t("risk-ask-photo")


async def test_the_campaign_files_area_refuses_another_city_and_another_patrol_stop(tmp_path):
    document = campaign_document()
    document["risks"] = {"area": {"centre": list(LIGHT), "radius_km": 5}}
    campaign = parse_campaign(document)
    assert campaign.risk_area.radius_metres == 5000
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"))
    try:
        _, minji, _ = await _people(bot)
        await _report(bot, minji, (37.5665, 126.9780))  # Seoul: in Korea, not in this area
        assert bot.last_text(MINJI) == bot.t("risk-outside-area")
        await bot.send(bot.factory.location(minji, *LIGHT))
        assert bot.last_text(MINJI) == bot.t("risk-ask-photo")
        await bot.send(bot.factory.location(minji, 37.5665, 126.9780))  # "one more place"
        assert bot.last_text(MINJI) == bot.t("risk-outside-area")
    finally:
        await stop_harness(bot)
    assert bot.errors == []


def test_the_area_defaults_to_south_korea_and_a_bad_one_names_its_key():
    from bot.campaign.config import KOREA

    campaign = parse_campaign(campaign_document())
    assert campaign.risk_area == KOREA
    for area, key in (
        ({"centre": [35.9], "radius_km": 5}, "risks.area.centre"),
        ({"centre": [35.9, 126.9], "radius_km": 0}, "risks.area.radius_km"),
        ({"south": 38, "north": 33, "west": 124, "east": 132}, "risks.area.south"),
        ({"south": 33, "north": 38, "west": 124}, "risks.area.east"),
    ):
        document = campaign_document()
        document["risks"] = {"area": area}
        with pytest.raises(ConfigError) as raised:
            parse_campaign(document)
        assert key in str(raised.value)
    document = campaign_document()
    document["risks"] = {"area": {"south": 35.8, "north": 36.1, "west": 126.8, "east": 127.2}}
    assert parse_campaign(document).risk_area.north == 36.1


# ---- 8. a file that only claims to be a JPEG ---------------------------------------------------


async def test_a_file_that_only_claims_to_be_a_jpeg_is_refused_as_in_a_certification(bot):
    _, minji, _ = await _people(bot)
    await _report(bot, minji, LIGHT)
    await bot.send(
        bot.factory.document_from_bytes(
            bot.tg,
            minji,
            b"%PDF-1.4 not a picture" * 50,
            file_name="IMG_2.JPG",
            mime_type="image/jpeg",
        )
    )
    assert bot.t("photo-not-an-image") in bot.texts(MINJI)
    assert bot.last_text(MINJI) == bot.t("risk-ask-photo")  # asked again, nothing lost
    async with bot.services.database.read() as conn:
        draft = await conn.execute_fetchall(
            "SELECT photo_file_id, category, latitude FROM risk_reports WHERE reporter_id = ?",
            (MINJI,),
        )
    ((photo_file_id, category, latitude),) = draft
    assert photo_file_id is None and category == "light" and latitude == LIGHT[0]
    # A real photo then files the report with its picture.
    await _finish(bot, minji, photo=photo_taken_at(5, bot.now))
    assert [c for c in bot.tg.calls_of("sendPhoto") if c.ok and c.params["chat_id"] == LEADER]


async def test_the_risk_picture_migration_applies_to_a_database_with_reports(tmp_path):
    from tests.support import open_old_database

    database = await open_old_database(
        tmp_path / "old.sqlite3",
        "_risk_pictures.sql",
        [
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1001, 'approved', 'x', 'x')",
            "INSERT INTO risk_reports (reporter_id, status, created_at, updated_at) "
            "VALUES (1001, 'submitted', '2027-08-16T10:00:00+00:00', '2027-08-16T10:00:00+00:00')",
        ],
    )
    try:
        moment = kst("2027-08-16", "19:00")
        async with database.transaction() as conn:
            assert (await risks.get(conn, 1)) is not None
            await risks.remember_picture(conn, 1, 9001, 77, "pin", moment)
            await risks.remember_picture(conn, 1, 9001, 77, "pin", moment)  # redelivered: once
            (shown,) = await risks.pictures_of_reporter(conn, 1001)
            assert (shown.chat_id, shown.message_id, shown.is_photo) == (9001, 77, False)
            assert await risks.pictures_of_reporter(conn, 1002) == []
    finally:
        await database.close()


# ---- the risk buttons' patterns (issue 21) ------------------------------------------------------


async def test_a_forged_or_malformed_risk_button_is_answered_and_changes_nothing(bot):
    leaders, _, _, report = await _noticed_twice(bot)
    for data in (f"risk:fwd:{report.id}x", "risk:to:1:-1", "risk:ok:1", "risk:cat:LIGHT"):
        await bot.press(leaders[0], data, message=bot.tg.last_sent_message(LEADER))
        assert bot.tg.calls_of("answerCallbackQuery")[-1].params.get("show_alert"), data
    async with bot.services.database.read() as conn:
        (same,) = await risks.submitted(conn)
    assert same.status == "submitted" and same.agency is None
