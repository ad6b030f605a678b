-- Issue 19: edited copies (cropped, resized, brightened, recompressed) are caught by aligning
-- a new photo with earlier ones (bot/media/alignment.py). Each photo keeps what that needs:
-- its strongest keypoints and a small grey picture, at most ~23 KB (features_of). Photos stored
-- before this have no row: they are still compared by hashes and thumbnails (migration 0015).
CREATE TABLE photo_features (
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    role             TEXT NOT NULL CHECK (role IN ('start', 'end')),
    sender_id        INTEGER NOT NULL,
    message_date     TEXT NOT NULL,  -- Message.date of the photo, as in photos
    features         BLOB NOT NULL,
    PRIMARY KEY (certification_id, role)
);
-- The sender's own recent photos are always aligned with a new one, hashes near or not.
CREATE INDEX photo_features_by_sender ON photo_features (sender_id, message_date);
