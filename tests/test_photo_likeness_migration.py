"""Migration 0015 (photo thumbnails and look-alike flags) on a database holding a round."""

import aiosqlite

from bot.campaign import fairness
from bot.campaign.config import Fairness
from storage import photos
from storage.database import Database, _migration_files, _split_statements
from tests.support import SEOUL


async def test_thumbnails_migration_keeps_earlier_photos_which_then_only_flag(tmp_path):
    path = tmp_path / "before-0015.sqlite3"
    files = _migration_files()
    index = next(i for i, (_, name, _) in enumerate(files) if "photo_likeness" in str(name))
    async with aiosqlite.connect(path) as conn:
        for _, _, script in files[:index]:
            for statement in _split_statements(script):
                await conn.execute(statement)
        await conn.execute(f"PRAGMA user_version = {index}")
        await conn.execute(
            "INSERT INTO participants (user_id, status, created_at, updated_at) "
            "VALUES (1, 'approved', 'x', 'x')"
        )
        await conn.execute(
            "INSERT INTO missions (kind, round_name, title, start_date, days, created_at) "
            "VALUES ('standing', '3차', 't', '2027-08-16', 50, 'x')"
        )
        await conn.execute(
            "INSERT INTO certifications (participant_id, mission_id, round_name, campaign_day, "
            "status, created_at) VALUES (1, 1, '3차', '2027-08-16', 'accepted', 'x')"
        )
        await conn.execute(
            "INSERT INTO photos (certification_id, role, sender_id, kind, file_id, "
            "file_unique_id, message_id, message_date, received_at, phash, dhash, "
            "phash_0, phash_1, phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3) "
            "VALUES (1, 'start', 1, 'photo', 'f', 'u', 1, '2027-08-16T10:00:00+00:00', 'x', "
            "0, 0, 0, 0, 0, 0, 0, 0, 0, 0)"
        )
        await conn.commit()
    database = await Database.open(path)
    try:
        assert await database.schema_version() == len(files)
        async with database.transaction() as conn:
            seen = await photos.near_candidates(
                conn, fairness.neighbourhoods(0, 10), fairness.neighbourhoods(0, 10)
            )
            count = await (await conn.execute("SELECT COUNT(*) FROM lookalikes")).fetchone()
        assert [(s.certification_id, s.phash, s.thumbnail) for s in seen] == [(1, 0, None)]
        assert count[0] == 0
        limits = Fairness(phash_max_distance=10, dhash_max_distance=10)
        reuse = fairness.judge_reuse(seen, 0, 0, bytes(64 * 64), 2, 5, limits, SEOUL)
        assert reuse.refusal is None and reuse.lookalike is not None  # doubt: accepted, flagged
    finally:
        await database.close()
