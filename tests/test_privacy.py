"""Privacy: /mydata, /delete, retention purge, and database backups (/backup, nightly)."""

import json
import sqlite3
from datetime import UTC, datetime, timedelta

from bot.campaign import privacy
from bot.context import CampaignContext
from scheduler import maintenance
from scheduler.maintenance import nightly_backup, retention_purge
from storage import backups
from tests.harness import start_harness, stop_harness
from tests.support import kst


async def _two_members(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001, "민지")
    other = bot.person(1002, "서준")
    await bot.join(minji, leaders[0])
    await bot.join(
        other,
        leaders[0],
        name="박서준",
        affiliation="남성중학교",
        neighbourhood="모현동",
        volunteer_id="seojun77",
    )
    bot.now = kst("2027-08-17", "18:00")
    await bot.certify(minji)
    await bot.certify(other)
    return leaders, minji, other


def _document(bot, chat_id: int) -> tuple[dict, bytes]:
    message = bot.tg.last_sent_message(chat_id)
    assert message is not None and "document" in message
    data = bot.tg.file_bytes_by_id(message["document"]["file_id"])
    assert data is not None
    return message, data


async def _row(bot, sql: str, *args):
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute(sql, args)
        return await cursor.fetchone()


async def run_job(bot, callback) -> None:
    job = bot.app.job_queue.run_once(callback, when=3600, name="test-maintenance")
    try:
        await callback(CampaignContext.from_job(job, bot.app))
    finally:
        job.schedule_removal()


async def test_mydata_sends_only_my_own_data(bot):
    _, minji, _ = await _two_members(bot)
    await bot.say(minji, "/mydata")
    message, data = _document(bot, minji["id"])
    assert message["document"]["file_name"].endswith(".json")
    exported = json.loads(data)
    assert exported["participant"]["full_name"] == "김민지"
    assert exported["participant"]["affiliation"] == "익산고등학교"
    assert exported["participant"]["volunteer_id"] == "minji1365"
    [cert] = exported["certifications"]
    assert cert["status"] == "accepted" and cert["mission"] == "우리동네 불안 요소 찾기"
    assert {p["role"] for p in exported["photos"]} == {"start", "end"}
    text = data.decode("utf-8")
    for foreign in ("박서준", "남성중학교", "seojun77", "1002"):
        assert foreign not in text


async def test_delete_confirmed_erases_personal_data_but_keeps_counts(bot):
    _, minji, other = await _two_members(bot)
    before = await _row(bot, "SELECT COUNT(*) FROM certifications WHERE status = 'accepted'")
    kept = "SELECT COUNT(*) FROM photo_features WHERE sender_id = ?"
    assert (await _row(bot, kept, minji["id"]))[0] == 2  # the edited-copy check's small pictures
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    assert bot.last_text(minji["id"]) == bot.t("privacy-deleted")
    row = await _row(bot, "SELECT full_name FROM participants WHERE user_id = ?", minji["id"])
    assert row is None or row[0] is None
    for value in ("김민지", "익산고등학교", "영등동", "minji1365"):
        found = await _row(
            bot,
            "SELECT COUNT(*) FROM participants WHERE ? IN "
            "(full_name, affiliation, neighbourhood, volunteer_id, telegram_name)",
            value,
        )
        assert found[0] == 0
    after = await _row(bot, "SELECT COUNT(*) FROM certifications WHERE status = 'accepted'")
    assert after[0] == before[0] == 2
    mine = await _row(
        bot, "SELECT COUNT(*) FROM certifications WHERE participant_id = ?", minji["id"]
    )
    assert mine[0] == 0
    files = await _row(bot, "SELECT COUNT(*) FROM photos WHERE sender_id < 0 AND file_id = ''")
    assert files[0] == 2
    assert (await _row(bot, "SELECT COUNT(*) FROM photo_features"))[0] == 2  # the other's only
    assert (await _row(bot, kept, minji["id"]))[0] == 0
    still = await _row(bot, "SELECT full_name FROM participants WHERE user_id = ?", other["id"])
    assert still[0] == "박서준"
    await bot.say(minji, "/mydata")
    assert bot.last_text(minji["id"]) == bot.t("privacy-nothing-stored")


async def test_delete_cancelled_keeps_everything(bot):
    _, minji, _ = await _two_members(bot)
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:no")
    assert bot.last_text(minji["id"]) == bot.t("privacy-delete-kept")
    row = await _row(bot, "SELECT full_name FROM participants WHERE user_id = ?", minji["id"])
    assert row[0] == "김민지"


async def test_backup_is_for_leaders_only(bot):
    await bot.open_leader_chats()
    person = bot.person(1001)
    await bot.say(person, "/start")
    await bot.say(person, "/backup")
    assert bot.last_text(person["id"]) == bot.t("leaders-only")
    assert not bot.tg.calls_of("sendDocument")


async def test_backup_sends_a_valid_sqlite_copy(bot, tmp_path):
    leaders, minji, _ = await _two_members(bot)
    await bot.say(leaders[0], "/backup")
    _, data = _document(bot, leaders[0]["id"])
    copy = tmp_path / "received.sqlite3"
    copy.write_bytes(data)
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        name = connection.execute(
            "SELECT full_name FROM participants WHERE user_id = ?", (minji["id"],)
        ).fetchone()
        assert name[0] == "김민지"
    finally:
        connection.close()
    assert backups.existing(backups.folder_for(bot.services.database.path)) == []


async def test_nightly_backup_keeps_the_last_seven(bot):
    await bot.open_leader_chats()
    for day in range(17, 26):
        bot.now = kst(f"2027-08-{day}", "03:00")
        await run_job(bot, nightly_backup)
    kept = backups.existing(backups.folder_for(bot.services.database.path))
    assert len(kept) == 7
    assert kept[0].name == backups.name_for(kst("2027-08-19", "03:00"))
    assert kept[-1].name == backups.name_for(kst("2027-08-25", "03:00"))
    for path in kept[-1:]:
        connection = sqlite3.connect(path)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        connection.close()


async def test_retention_purge_removes_old_personal_data_and_keeps_recent(bot, campaign):
    _, minji, _ = await _two_members(bot)
    round_end = campaign.rounds[-1].end  # 2027-10-04
    keep = privacy.retention_days(campaign)
    late = bot.person(1003, "하은")
    # Someone who only said hello after the last round: kept from their own last visit.
    bot.now = kst("2028-03-01", "12:00")
    await bot.say(late, "/start")

    bot.now = kst((round_end.fromordinal(round_end.toordinal() + keep)).isoformat(), "12:00")
    await run_job(bot, retention_purge)
    row = await _row(bot, "SELECT full_name FROM participants WHERE user_id = ?", minji["id"])
    assert row[0] == "김민지"  # the last day of the retention period: still kept

    bot.now = kst((round_end.fromordinal(round_end.toordinal() + keep + 1)).isoformat(), "12:00")
    await run_job(bot, retention_purge)
    gone = await _row(bot, "SELECT COUNT(*) FROM participants WHERE user_id IN (1001, 1002)")
    assert gone[0] == 0
    counts = await _row(bot, "SELECT COUNT(*) FROM certifications WHERE status = 'accepted'")
    assert counts[0] == 2
    recent = await _row(bot, "SELECT telegram_name FROM participants WHERE user_id = 1003")
    assert recent is not None and recent[0]


async def _feed_messages(bot, user_id: int) -> dict[int, set[int]]:
    """The review-feed messages (photos and card) of this person's certifications, per chat."""
    return await _messages(
        bot,
        """
        SELECT m.chat_id, m.message_id FROM (
            SELECT certification_id, chat_id, message_id FROM review_posts
            UNION ALL
            SELECT certification_id, chat_id, message_id FROM review_post_photos
        ) m JOIN certifications c ON c.id = m.certification_id
        WHERE c.participant_id = ?
        """,
        user_id,
    )


async def _application_cards(bot, user_id: int) -> dict[int, set[int]]:
    return await _messages(
        bot, "SELECT chat_id, message_id FROM leader_cards WHERE participant_id = ?", user_id
    )


async def _messages(bot, sql: str, user_id: int) -> dict[int, set[int]]:
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute(sql, (user_id,))
        found: dict[int, set[int]] = {}
        for chat_id, message_id in await cursor.fetchall():
            found.setdefault(chat_id, set()).add(message_id)
        return found


def _still_in_chat(bot, chat_id: int) -> set[int]:
    return {m["message_id"] for m in bot.tg.sent_messages(chat_id)}


async def test_delete_takes_my_photos_and_card_out_of_the_review_feed(bot):
    leaders, minji, other = await _two_members(bot)
    mine = await _feed_messages(bot, minji["id"])
    theirs = await _feed_messages(bot, other["id"])
    assert set(mine) == {leader["id"] for leader in leaders}
    assert all(len(ids) == 1 for ids in mine.values())  # one picture, the card its caption
    for chat_id, ids in (await _application_cards(bot, minji["id"])).items():
        mine[chat_id] |= ids  # the application card with school and 1365 id goes too
    bot.advance(hours=20)

    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    assert bot.last_text(minji["id"]) == bot.t("privacy-deleted")
    deleted = {
        int(call.params["chat_id"]): set(call.params["message_ids"])
        for call in bot.tg.calls_of("deleteMessages")
        if call.ok
    }
    assert deleted == mine
    for chat_id, ids in mine.items():
        left = _still_in_chat(bot, chat_id)
        assert not ids & left and theirs[chat_id] <= left
        assert not any("김민지" in text or "minji1365" in text for text in bot.texts(chat_id))
    kept = await _row(bot, "SELECT COUNT(*) FROM review_posts")
    assert kept[0] == sum(len(ids) for ids in theirs.values())  # only the other's posts


async def test_feed_posts_too_old_to_delete_lose_the_name_and_the_delete_still_succeeds(bot):
    _, minji, _ = await _two_members(bot)
    mine = await _feed_messages(bot, minji["id"])
    cards = {
        chat_id: message_id
        for chat_id, message_id in await _all_rows(
            bot,
            "SELECT chat_id, message_id FROM review_posts WHERE certification_id = "
            "(SELECT id FROM certifications WHERE participant_id = ?)",
            minji["id"],
        )
    }
    bot.advance(days=3)  # bots may delete their messages for 48 hours only

    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    assert bot.last_text(minji["id"]) == bot.t("privacy-deleted")
    assert not bot.tg.calls_of("deleteMessages")
    for chat_id, message_id in cards.items():
        card = bot.tg.message(chat_id, message_id)
        assert card is not None and card["caption"] == bot.t("privacy-message-erased")
        assert not card.get("reply_markup")  # no Revoke button on a nameless card
        assert mine[chat_id] <= _still_in_chat(bot, chat_id)  # the picture: only by hand
        assert not any("김민지" in text or "minji1365" in text for text in bot.texts(chat_id))


async def test_a_feed_post_telegram_refuses_to_delete_never_fails_the_delete(bot):
    _, minji, _ = await _two_members(bot)
    mine = await _feed_messages(bot, minji["id"])
    bot.tg.fail_next(
        "deleteMessages", 400, "Bad Request: message can't be deleted", times=len(mine)
    )
    edits_before = len(bot.tg.calls_of("editMessageText"))
    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")
    assert bot.last_text(minji["id"]) == bot.t("privacy-deleted")
    assert [call.ok for call in bot.tg.calls_of("deleteMessages")] == [False] * len(mine)
    # The feed picture's caption and the application card in each leader's chat lose the name.
    edited = [c for c in bot.tg.calls_of("editMessageText")[edits_before:] if c.ok]
    assert sorted(int(c.params["chat_id"]) for c in edited) == sorted(mine)
    assert all(c.params["text"] == bot.t("privacy-message-erased") for c in edited)
    captions = [c for c in bot.tg.calls_of("editMessageCaption") if c.ok]
    assert sorted(int(c.params["chat_id"]) for c in captions) == sorted(mine)
    assert all(c.params["caption"] == bot.t("privacy-message-erased") for c in captions)
    gone = await _row(bot, "SELECT COUNT(*) FROM participants WHERE user_id = ?", minji["id"])
    assert gone[0] == 0


async def _all_rows(bot, sql: str, *args):
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute(sql, args)
        return [tuple(row) for row in await cursor.fetchall()]


async def test_delete_clears_where_my_risk_reports_were_but_keeps_them_for_the_statistics(bot):
    leaders, minji, _ = await _two_members(bot)
    await bot.say(minji, "/report")
    await bot.press(minji, "risk:cat:light")
    await bot.send(bot.factory.location(minji, 35.94812, 126.95761))
    await bot.send_photo(minji)
    await bot.say(minji, "우리 집 앞 골목 보안등이 꺼져 있어요")
    await bot.say(minji, "/report")
    await bot.press(minji, "risk:cat:vacant")
    await bot.say(minji, "영등동 123 빈집")
    await bot.press(minji, "risk:skipphoto")
    await bot.say(minji, "밤에 사람이 드나들어요")
    first, second = [row[0] for row in await _all_rows(bot, "SELECT id FROM risk_reports")]
    await bot.press(leaders[0], f"risk:fwd:{first}")
    await bot.press(leaders[0], f"risk:to:{first}:0")
    await bot.press(leaders[0], f"risk:resolve:{first}")
    await bot.say(leaders[0], "영등동 123 앞 보안등 교체 완료")
    await bot.say(minji, "/report")  # an unfinished draft
    await bot.press(minji, "risk:cat:cctv")

    await bot.say(minji, "/delete")
    await bot.press(minji, "erase:delete:yes")

    reports = await _all_rows(
        bot,
        "SELECT id, reporter_id, status, category, agency, submitted_at IS NOT NULL, latitude, "
        "longitude, address, photo_file_id, description FROM risk_reports ORDER BY id",
    )
    assert [r[:6] for r in reports] == [
        (first, reports[0][1], "resolved", "light", "시청 시설관리팀", 1),
        (second, reports[0][1], "submitted", "vacant", None, 1),
    ]
    assert reports[0][1] < 0  # the anonymous row, not Minji
    assert all(r[6:] == (None, None, None, None, None) for r in reports)
    steps = await _all_rows(bot, "SELECT actor_id, action, note FROM risk_report_steps")
    assert minji["id"] not in {actor for actor, _, _ in steps}
    assert all(note is None for _, _, note in steps)
    assert [action for _, action, _ in steps] == ["submitted", "submitted", "forwarded", "resolved"]

    # The open report can still be closed; nobody is left to tell.
    sent_before = len(bot.tg.calls_of("sendMessage"))
    await bot.press(leaders[1], f"risk:reject:{second}")
    await bot.say(leaders[1], "중복 신고")
    assert bot.last_text(leaders[1]["id"]) == bot.t("risk-rejected-done", id=second)
    chats = {int(c.params["chat_id"]) for c in bot.tg.calls_of("sendMessage")[sent_before:]}
    assert chats == {leaders[1]["id"]}


async def test_delete_takes_my_feed_picture_out_of_the_campaign_group(tmp_path, campaign):
    group = -1001234567890
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"), group_chat_id=group)
    bot.tg.add_chat(bot.factory.group_chat(group, "group"))
    try:
        _, minji, other = await _two_members(bot)
        mine = await _feed_messages(bot, minji["id"])
        theirs = await _feed_messages(bot, other["id"])
        assert len(mine[group]) == 1 and len(theirs[group]) == 1
        await bot.say(minji, "/delete")
        await bot.press(minji, "erase:delete:yes")
        left = _still_in_chat(bot, group)
        assert not mine[group] & left and theirs[group] <= left
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def _cards_in_leader_chats(bot, user_id: int) -> list[tuple[int, int]]:
    """The review card and the application card of this person in each leader's chat."""
    rows = await _all_rows(
        bot,
        "SELECT chat_id, message_id FROM review_posts WHERE certification_id IN "
        "(SELECT id FROM certifications WHERE participant_id = ?)",
        user_id,
    )
    return rows + await _all_rows(
        bot, "SELECT chat_id, message_id FROM leader_cards WHERE participant_id = ?", user_id
    )


async def test_a_failed_confirmation_still_takes_my_photos_out_of_the_feed(bot):
    _, minji, _ = await _two_members(bot)
    mine = await _feed_messages(bot, minji["id"])
    for chat_id, ids in (await _application_cards(bot, minji["id"])).items():
        mine[chat_id] |= ids
    bot.advance(hours=20)
    await bot.say(minji, "/delete")
    bot.tg.inject_fault("500", method="sendMessage", chat_id=minji["id"])

    await bot.press(minji, "erase:delete:yes")

    for chat_id, ids in mine.items():
        assert not ids & _still_in_chat(bot, chat_id)
    assert bot.errors == []
    await bot.services.outbox.drain(until_empty=True)
    assert bot.last_text(minji["id"]) == bot.t("privacy-deleted")  # told once Telegram is back
    left = await _row(bot, "SELECT COUNT(*) FROM takedowns")
    assert left[0] == 0


async def test_messages_an_interrupted_delete_left_are_taken_down_by_the_night_job(bot):
    _, minji, _ = await _two_members(bot)
    mine = await _feed_messages(bot, minji["id"])
    cards = await _cards_in_leader_chats(bot, minji["id"])
    bot.advance(hours=2)
    # The bot stops right after the erasure commits, before anything left the chats.
    await privacy.erase(bot.services.database, minji["id"], bot.now)
    assert all(ids <= _still_in_chat(bot, chat_id) for chat_id, ids in mine.items())

    bot.advance(hours=6)
    await run_job(bot, retention_purge)

    for chat_id, ids in mine.items():
        assert not ids & _still_in_chat(bot, chat_id)
    assert len(cards) == 4 and not any("김민지" in t for c, _ in cards for t in bot.texts(c))
    left = await _row(bot, "SELECT COUNT(*) FROM takedowns")
    assert left[0] == 0


async def test_the_retention_purge_takes_the_names_off_old_feed_cards_and_lists_photos(
    bot, campaign
):
    leaders, minji, _ = await _two_members(bot)
    photos = await _feed_messages(bot, minji["id"])
    cards = await _cards_in_leader_chats(bot, minji["id"])
    round_end = campaign.rounds[-1].end
    keep = privacy.retention_days(campaign)
    bot.now = kst((round_end.fromordinal(round_end.toordinal() + keep + 1)).isoformat(), "12:00")

    await run_job(bot, retention_purge)

    for chat_id, message_id in cards:
        card = bot.tg.message(chat_id, message_id)
        assert card is not None
        assert card.get("text", card.get("caption")) == bot.t("privacy-message-erased")
        assert not card.get("reply_markup")
    for leader in leaders:
        assert not any("김민지" in t or "minji1365" in t for t in bot.texts(leader["id"]))
        # The pictures are far too old for a bot to delete: the leader hears where they are.
        assert bot.last_text(leader["id"]) == "\n".join(
            [
                bot.t("privacy-left-behind", count=2),  # Minji's and Seojun's pictures
                bot.t("privacy-left-behind-here", count=2, day="8월 17일 (화)"),
            ]
        )
        assert photos[leader["id"]] - {m for _, m in cards} <= _still_in_chat(bot, leader["id"])


async def test_cards_lose_the_name_before_their_deletion_is_tried(bot):
    # deleteMessages skips what it cannot delete without failing: the name must go first.
    _, minji, _ = await _two_members(bot)
    cards = await _cards_in_leader_chats(bot, minji["id"])
    await bot.say(minji, "/delete")
    mark = len(bot.tg.calls)

    await bot.press(minji, "erase:delete:yes")

    edits = ("editMessageText", "editMessageCaption")
    calls = [c for c in bot.tg.calls[mark:] if c.method in (*edits, "deleteMessages")]
    blanked = [
        (int(c.params["chat_id"]), c.params["message_id"]) for c in calls if c.method in edits
    ]
    assert sorted(blanked) == sorted(cards)
    first_delete = next(i for i, c in enumerate(calls) if c.method == "deleteMessages")
    assert all(c.method in edits for c in calls[:first_delete])
    assert len(calls[:first_delete]) == len(cards)


async def test_leaders_get_links_to_old_group_photos_they_must_delete_by_hand(tmp_path, campaign):
    group = -1001234567890
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"), group_chat_id=group)
    bot.tg.add_chat(bot.factory.group_chat(group, "group"))
    try:
        leaders, minji, _ = await _two_members(bot)
        mine = await _feed_messages(bot, minji["id"])
        assert set(mine) == {group}  # with a group, the feed is posted there only
        card_in_group = await _row(
            bot,
            "SELECT message_id FROM review_posts WHERE chat_id = ? AND certification_id = "
            "(SELECT id FROM certifications WHERE participant_id = ?)",
            group,
            minji["id"],
        )
        group_photos = sorted(mine[group])
        assert group_photos == [card_in_group[0]]  # the picture is the card
        bot.advance(days=3)
        await bot.say(minji, "/delete")
        await bot.press(minji, "erase:delete:yes")

        assert bot.last_text(minji["id"]) == bot.t("privacy-deleted")
        assert set(group_photos) <= _still_in_chat(bot, group)  # only an admin can now
        for leader in leaders:
            assert bot.last_text(leader["id"]) == "\n".join(
                [
                    bot.t("privacy-left-behind", count=1),
                    *[f"https://t.me/c/1234567890/{m}" for m in group_photos],
                ]
            )
        card = bot.tg.message(group, card_in_group[0])
        assert card is not None and card["caption"] == bot.t("privacy-message-erased")
    finally:
        await stop_harness(bot)
    assert bot.errors == []


async def test_messages_an_interrupted_delete_left_are_deleted_soon_after_a_restart(bot):
    _, minji, _ = await _two_members(bot)
    mine = await _feed_messages(bot, minji["id"])
    bot.advance(hours=2)
    # The bot stops right after the erasure commits, before anything left the chats.
    await privacy.erase(bot.services.database, minji["id"], bot.now)

    # On start the bot plans the take-down for its first minute, not for 03:30.
    [job] = bot.app.job_queue.get_jobs_by_name(maintenance.TAKEDOWN_JOB)
    assert job.callback is maintenance.takedowns_after_start
    assert job.job.trigger.run_date - datetime.now(UTC) <= timedelta(minutes=1)
    bot.advance(minutes=1)
    await run_job(bot, maintenance.takedowns_after_start)

    # Still within 48 hours: the photos and cards are deleted, not only blanked.
    for chat_id, ids in mine.items():
        assert not ids & _still_in_chat(bot, chat_id)
