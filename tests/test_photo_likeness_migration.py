"""Migration 0015 (photo thumbnails and look-alike flags) on a database holding a round."""

from bot.campaign import fairness
from bot.campaign.config import Fairness
from storage import photos
from storage.database import _migration_files
from tests.support import ONE_ACCEPTED_CERTIFICATION, SEOUL, hashed_start_photo, open_old_database


async def test_thumbnails_migration_keeps_earlier_photos_which_then_only_flag(tmp_path):
    database = await open_old_database(
        tmp_path / "before-0015.sqlite3",
        "photo_likeness",
        [
            *ONE_ACCEPTED_CERTIFICATION,
            hashed_start_photo(0),
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
