"""Migration 0015 (photo thumbnails and look-alike flags) on a database holding a round."""

from bot.campaign import fairness
from bot.campaign.config import Fairness
from storage import photos
from storage.database import _migration_files
from tests.support import ONE_ACCEPTED_CERTIFICATION, SEOUL, open_old_database


async def test_thumbnails_migration_keeps_earlier_photos_which_then_only_flag(tmp_path):
    database = await open_old_database(
        tmp_path / "before-0015.sqlite3",
        "photo_likeness",
        [
            *ONE_ACCEPTED_CERTIFICATION,
            "INSERT INTO photos (certification_id, role, sender_id, kind, file_id, "
            "file_unique_id, message_id, message_date, received_at, phash, dhash, "
            "phash_0, phash_1, phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3) "
            "VALUES (1, 'start', 1, 'photo', 'f', 'u', 1, '2027-08-16T10:00:00+00:00', 'x', "
            "0, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
        ],
    )
    try:
        assert await database.schema_version() == len(_migration_files())
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
