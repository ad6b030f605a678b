-- Camera check-in (the Mini App's camera page): the one-time tickets a page gets when it opens,
-- which photo came from the camera (and, if the campaign asks, where), and the people a leader
-- lets send chat photos when the campaign requires the camera.
CREATE TABLE camera_tickets (
    nonce            TEXT PRIMARY KEY,
    participant_id   INTEGER NOT NULL,
    certification_id INTEGER NOT NULL REFERENCES certifications (id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('start', 'end')),
    issued_at        TEXT NOT NULL,
    used_at          TEXT
);
CREATE INDEX camera_tickets_by_issue ON camera_tickets (issued_at);

ALTER TABLE photos ADD COLUMN from_camera INTEGER NOT NULL DEFAULT 0;
-- Only when the campaign sets [fairness] camera_location; shown to leaders only.
ALTER TABLE photos ADD COLUMN latitude REAL;
ALTER TABLE photos ADD COLUMN longitude REAL;

CREATE TABLE chat_photo_permissions (
    participant_id INTEGER PRIMARY KEY,
    allowed_by     INTEGER NOT NULL,
    allowed_at     TEXT NOT NULL
);
