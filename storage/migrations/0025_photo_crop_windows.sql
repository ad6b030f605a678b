-- Issue 19: a centred crop's hashes catch a crop cut evenly from every side, not one cut more
-- from one side (about half of the random crops of up to 10% a side). Each photo now keeps the
-- hashes of crops at two sizes in nine places (bot.media.photo_check.CROP_WINDOWS): `place`
-- numbers them row by row, 0 the top left, 4 the centre, 8 the bottom right. The rows kept
-- before this were centred crops: place 4.
CREATE TABLE photo_crop_windows (
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    role             TEXT NOT NULL CHECK (role IN ('start', 'end')),
    share            INTEGER NOT NULL,  -- percent of each side the crop keeps
    place            INTEGER NOT NULL CHECK (place BETWEEN 0 AND 8),
    phash_0 INTEGER NOT NULL, phash_1 INTEGER NOT NULL,
    phash_2 INTEGER NOT NULL, phash_3 INTEGER NOT NULL,
    dhash_0 INTEGER NOT NULL, dhash_1 INTEGER NOT NULL,
    dhash_2 INTEGER NOT NULL, dhash_3 INTEGER NOT NULL,
    PRIMARY KEY (certification_id, role, share, place)
);
INSERT INTO photo_crop_windows
SELECT certification_id, role, share, 4, phash_0, phash_1, phash_2, phash_3,
       dhash_0, dhash_1, dhash_2, dhash_3
FROM photo_crop_hashes;
DROP TABLE photo_crop_hashes;
ALTER TABLE photo_crop_windows RENAME TO photo_crop_hashes;
CREATE INDEX photo_crop_hashes_phash_0 ON photo_crop_hashes (phash_0);
CREATE INDEX photo_crop_hashes_phash_1 ON photo_crop_hashes (phash_1);
CREATE INDEX photo_crop_hashes_phash_2 ON photo_crop_hashes (phash_2);
CREATE INDEX photo_crop_hashes_phash_3 ON photo_crop_hashes (phash_3);
