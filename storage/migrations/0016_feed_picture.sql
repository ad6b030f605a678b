-- The review feed posts one picture the bot composes (the start and end photos side by side,
-- re-encoded without any metadata) with the card as its caption, through the outbox once the
-- note step has ended. Nothing a participant sent is re-posted by file id any more.

-- Each photo's re-encoded preview (no EXIF, XMP or ICC), made while its bytes are in memory
-- after the photo check; the feed picture is drawn from the two at send time. Kept only until
-- the certification's feed posts are settled (or a few days at most).
CREATE TABLE feed_previews (
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    role             TEXT NOT NULL CHECK (role IN ('start', 'end')),
    jpeg             BLOB NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (certification_id, role)
);

-- When the certification's feed post was planned (NULL: not yet, its note step still open).
ALTER TABLE certifications ADD COLUMN feed_planned_at TEXT;
-- Certifications from before this migration were posted (album and card) when accepted.
UPDATE certifications SET feed_planned_at = COALESCE(accepted_at, created_at)
WHERE status IN ('accepted', 'revoked');
CREATE INDEX certifications_feed_due ON certifications (accepted_at)
    WHERE feed_planned_at IS NULL AND status = 'accepted';

-- A feed post is either the old text card (0) or the picture with the card as caption (1),
-- and when it went out (NULL for old cards: their certification's accepted_at).
ALTER TABLE review_posts ADD COLUMN is_picture INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_posts ADD COLUMN posted_at TEXT;

-- A message waiting to be taken down that is a picture with a caption (blanked by editing the
-- caption, listed to the leaders when too old to delete).
ALTER TABLE takedowns ADD COLUMN is_picture INTEGER NOT NULL DEFAULT 0;
