-- The campaign's core: people, their applications, missions, certifications and their photos.
-- Times are ISO-8601 UTC text; campaign days are ISO dates in the campaign's time zone.

CREATE TABLE participants (
    user_id          INTEGER PRIMARY KEY,             -- Telegram user id
    status           TEXT NOT NULL DEFAULT 'visitor'
                     CHECK (status IN ('visitor', 'applying', 'pending', 'approved', 'rejected')),
    language         TEXT CHECK (language IN ('ko', 'en')),  -- NULL: follow Telegram's setting
    telegram_name    TEXT NOT NULL DEFAULT '',
    username         TEXT,
    full_name        TEXT,
    category         TEXT CHECK (category IN ('middle', 'high', 'university', 'adult')),
    under_14         INTEGER CHECK (under_14 IN (0, 1)),
    guardian_consent INTEGER CHECK (guardian_consent IN (0, 1)),
    affiliation      TEXT,
    neighbourhood    TEXT,
    volunteer_id     TEXT,
    volunteer_id_skipped INTEGER NOT NULL DEFAULT 0 CHECK (volunteer_id_skipped IN (0, 1)),
    consent_at       TEXT,
    applied_at       TEXT,
    decided_at       TEXT,
    decided_by       INTEGER,
    rejection_reason TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX participants_by_status ON participants (status, applied_at);

-- The copy of an application card each leader received, so a decision edits every copy.
CREATE TABLE leader_cards (
    participant_id INTEGER NOT NULL REFERENCES participants (user_id) ON DELETE CASCADE,
    chat_id        INTEGER NOT NULL,
    message_id     INTEGER NOT NULL,
    PRIMARY KEY (participant_id, chat_id)
);

-- What a person's next plain text answers (a leader typing a rejection reason, ...).
CREATE TABLE pending_inputs (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref        INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE join_requests (
    user_id      INTEGER NOT NULL,
    chat_id      INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
    PRIMARY KEY (user_id, chat_id)
);

CREATE TABLE missions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('standing', 'theme')),
    round_name  TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    start_date  TEXT NOT NULL,
    days        INTEGER NOT NULL CHECK (days > 0),
    source      TEXT NOT NULL DEFAULT 'file' CHECK (source IN ('file', 'chat')),
    created_at  TEXT NOT NULL,
    UNIQUE (kind, round_name, title, start_date)
);

CREATE TABLE certifications (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (user_id),
    mission_id     INTEGER NOT NULL REFERENCES missions (id),
    round_name     TEXT NOT NULL,
    campaign_day   TEXT,                          -- set by the start photo
    status         TEXT NOT NULL
                   CHECK (status IN ('awaiting_start', 'awaiting_end', 'accepted',
                                     'expired', 'cancelled', 'revoked')),
    started_at     TEXT,                          -- Message.date of the start photo
    ended_at       TEXT,                          -- Message.date of the end photo
    note           TEXT,
    note_pending   INTEGER NOT NULL DEFAULT 0 CHECK (note_pending IN (0, 1)),
    created_at     TEXT NOT NULL,
    accepted_at    TEXT
);
-- A participant works on one certification at a time.
CREATE UNIQUE INDEX certifications_one_open
    ON certifications (participant_id) WHERE status IN ('awaiting_start', 'awaiting_end');
CREATE INDEX certifications_tally
    ON certifications (participant_id, status, round_name, campaign_day, mission_id);
CREATE INDEX certifications_by_day ON certifications (campaign_day, status);

CREATE TABLE photos (
    id               INTEGER PRIMARY KEY,
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    role             TEXT NOT NULL CHECK (role IN ('start', 'end')),
    sender_id        INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    file_id          TEXT NOT NULL,
    file_unique_id   TEXT NOT NULL,
    mime_type        TEXT,
    file_size        INTEGER,
    width            INTEGER,
    height           INTEGER,
    message_id       INTEGER NOT NULL,
    message_date     TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    UNIQUE (certification_id, role)
);
CREATE INDEX photos_by_unique_id ON photos (file_unique_id);

-- Distinct errors already reported to the leaders, so each is told once.
CREATE TABLE error_reports (
    signature  TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    count      INTEGER NOT NULL DEFAULT 1
);
