-- Cheering in the community feed: one cheer per person per certification (the primary key
-- enforces it), and when each author was last told about their cheers (the evening digest).

CREATE TABLE cheers (
    id               INTEGER PRIMARY KEY,             -- increasing: the digest's bookmark
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    user_id          INTEGER NOT NULL,                -- who pressed 👏 (any group member)
    at               TEXT NOT NULL,
    UNIQUE (certification_id, user_id)
);
CREATE INDEX cheers_by_time ON cheers (at);

CREATE TABLE cheer_digests (
    participant_id INTEGER PRIMARY KEY REFERENCES participants (user_id),
    told_through   INTEGER NOT NULL,                  -- the last cheers.id told
    last_day       TEXT NOT NULL                      -- campaign day of the last digest
);
