-- The photo messages (the album, or single photos and files) posted to the review feed with a
-- certification's card, so /delete can take the person's pictures out of the feed as well.
-- review_posts keeps the card itself.
CREATE TABLE review_post_photos (
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    chat_id          INTEGER NOT NULL,
    message_id       INTEGER NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX review_post_photos_by_certification ON review_post_photos (certification_id);
