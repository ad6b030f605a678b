-- Issue 19: a crop of someone else's photo has hashes as far from it as another picture's, so
-- each photo also keeps the hashes of its centred crops at a few sizes
-- (bot.media.photo_check.CROP_SHARES): a crop lands near one of them, is found like any hash
-- candidate, and is then aligned (bot.media.alignment). Two rows of 8 small integers a photo.
-- Photos stored before this have none: they are still found by their whole-picture hashes.
CREATE TABLE photo_crop_hashes (
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    role             TEXT NOT NULL CHECK (role IN ('start', 'end')),
    share            INTEGER NOT NULL,  -- percent of each side the centred crop keeps
    phash_0 INTEGER NOT NULL, phash_1 INTEGER NOT NULL,
    phash_2 INTEGER NOT NULL, phash_3 INTEGER NOT NULL,
    dhash_0 INTEGER NOT NULL, dhash_1 INTEGER NOT NULL,
    dhash_2 INTEGER NOT NULL, dhash_3 INTEGER NOT NULL,
    PRIMARY KEY (certification_id, role, share)
);
-- Looked up like photos' own hashes (storage.photos.near_candidates): a pHash chunk leads.
CREATE INDEX photo_crop_hashes_phash_0 ON photo_crop_hashes (phash_0);
CREATE INDEX photo_crop_hashes_phash_1 ON photo_crop_hashes (phash_1);
CREATE INDEX photo_crop_hashes_phash_2 ON photo_crop_hashes (phash_2);
CREATE INDEX photo_crop_hashes_phash_3 ON photo_crop_hashes (phash_3);
