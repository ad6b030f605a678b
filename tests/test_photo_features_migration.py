"""Migrations 0022 (alignment features per photo) and 0025 (crop windows) on a database holding
a round's photos."""

from bot.campaign import fairness
from storage import photo_features, photos
from storage.database import _migration_files
from tests.support import ONE_ACCEPTED_CERTIFICATION, hashed_start_photo, open_old_database


async def test_photos_kept_before_alignment_are_still_found_by_their_hashes(tmp_path):
    database = await open_old_database(
        tmp_path / "before-0022.sqlite3",
        "photo_features",
        [
            *ONE_ACCEPTED_CERTIFICATION,
            hashed_start_photo(0),
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


async def test_centred_crop_hashes_kept_before_the_windows_still_find_their_photo(tmp_path):
    # Migration 0025: the centred crops' rows become place 4 of the new windows' table.
    database = await open_old_database(
        tmp_path / "before-0025.sqlite3",
        "photo_crop_windows",
        [
            *ONE_ACCEPTED_CERTIFICATION,
            hashed_start_photo(-1),
            "INSERT INTO photo_features (certification_id, role, sender_id, message_date, "
            "features) VALUES (1, 'start', 1, '2027-08-16T10:00:00+00:00', x'00')",
            "INSERT INTO photo_crop_hashes (certification_id, role, share, phash_0, phash_1, "
            "phash_2, phash_3, dhash_0, dhash_1, dhash_2, dhash_3) "
            "VALUES (1, 'start', 90, 0, 0, 0, 0, 0, 0, 0, 0)",
        ],
    )
    try:
        assert await database.schema_version() == len(_migration_files())
        async with database.transaction() as conn:
            found = await photo_features.near_crops(
                conn, fairness.neighbourhoods(0, 10), fairness.neighbourhoods(0, 10)
            )
            cursor = await conn.execute("SELECT share, place FROM photo_crop_hashes")
            kept = [tuple(row) for row in await cursor.fetchall()]
        assert [s.certification_id for s in found] == [1]
        assert kept == [(90, 4)]
    finally:
        await database.close()
