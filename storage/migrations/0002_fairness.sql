-- Fair certification: what a photo looks like (perceptual hashes, EXIF date), refusals by the
-- checks, and leaders' revocations, all kept for review.

-- pHash/dHash as signed 64-bit integers; phash_0..3 and dhash_0..3 are their 16-bit chunks. The
-- pHash chunks are indexed so a near-duplicate look-up probes a few hundred index keys instead of
-- scanning every photo; the dHash chunks narrow those candidates down inside SQLite.
ALTER TABLE photos ADD COLUMN phash INTEGER;
ALTER TABLE photos ADD COLUMN dhash INTEGER;
ALTER TABLE photos ADD COLUMN phash_0 INTEGER;
ALTER TABLE photos ADD COLUMN phash_1 INTEGER;
ALTER TABLE photos ADD COLUMN phash_2 INTEGER;
ALTER TABLE photos ADD COLUMN phash_3 INTEGER;
ALTER TABLE photos ADD COLUMN dhash_0 INTEGER;
ALTER TABLE photos ADD COLUMN dhash_1 INTEGER;
ALTER TABLE photos ADD COLUMN dhash_2 INTEGER;
ALTER TABLE photos ADD COLUMN dhash_3 INTEGER;
ALTER TABLE photos ADD COLUMN taken_at TEXT;
CREATE INDEX photos_phash_0 ON photos (phash_0);
CREATE INDEX photos_phash_1 ON photos (phash_1);
CREATE INDEX photos_phash_2 ON photos (phash_2);
CREATE INDEX photos_phash_3 ON photos (phash_3);

-- Every photo a check refused: who, which check, when (for /audit).
CREATE TABLE refusals (
    id               INTEGER PRIMARY KEY,
    participant_id   INTEGER NOT NULL,
    certification_id INTEGER,
    check_name       TEXT NOT NULL,
    detail           TEXT,
    file_unique_id   TEXT,
    at               TEXT NOT NULL
);
CREATE INDEX refusals_by_time ON refusals (at);

-- Leaders' revocations and restorations of accepted certifications (never deleted).
CREATE TABLE certification_reviews (
    id               INTEGER PRIMARY KEY,
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    action           TEXT NOT NULL CHECK (action IN ('revoked', 'restored')),
    leader_id        INTEGER NOT NULL,
    reason           TEXT,
    at               TEXT NOT NULL
);
CREATE INDEX certification_reviews_by_time ON certification_reviews (at);

-- The review-feed messages that carry a certification's Revoke/Restore button.
CREATE TABLE review_posts (
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    chat_id          INTEGER NOT NULL,
    message_id       INTEGER NOT NULL,
    PRIMARY KEY (certification_id, chat_id)
);
