"""Privacy: /mydata, /delete, retention purge, and database backups (/backup, nightly)."""

import json
import sqlite3

from bot import privacy
from bot.context import CampaignContext
from scheduler.maintenance import nightly_backup, retention_purge
from storage import backups
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
    await bot.say(minji, "/delete")
    await bot.press(minji, "priv:delete:yes")
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
    still = await _row(bot, "SELECT full_name FROM participants WHERE user_id = ?", other["id"])
    assert still[0] == "박서준"
    await bot.say(minji, "/mydata")
    assert bot.last_text(minji["id"]) == bot.t("privacy-nothing-stored")


async def test_delete_cancelled_keeps_everything(bot):
    _, minji, _ = await _two_members(bot)
    await bot.say(minji, "/delete")
    await bot.press(minji, "priv:delete:no")
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
