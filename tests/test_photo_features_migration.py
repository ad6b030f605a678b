"""Migration 0022 (alignment features per photo) on a database holding a round's photos."""

from bot.campaign import fairness
from storage import photo_features, photos
from storage.database import _migration_files
from tests.support import ONE_ACCEPTED_CERTIFICATION, open_old_database


async def test_photos_kept_before_alignment_are_still_found_by_their_hashes(tmp_path):
    database = await open_old_database(
        tmp_path / "before-0022.sqlite3",
        "photo_features",
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
            near = await photos.near_candidates(
                conn, fairness.neighbourhoods(0, 10), fairness.neighbourhoods(0, 10)
            )
            own = await photo_features.own_recent(conn, 1)
        # Found by its hashes as before, without features (so judged as before); not among the
        # sender's photos that are aligned whatever their hashes.
        assert [(s.certification_id, s.features) for s in near] == [(1, None)]
        assert own == []
    finally:
        await database.close()
