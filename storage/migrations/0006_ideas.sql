-- Theme-mission ideas from participants, and leaders' theme missions being drafted in chat.

CREATE TABLE ideas (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (user_id),
    text           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    mission_id     INTEGER REFERENCES missions (id)       -- set when it became a theme mission
);
CREATE INDEX ideas_by_time ON ideas (created_at);

CREATE TABLE theme_drafts (
    leader_id   INTEGER PRIMARY KEY,
    title       TEXT,
    description TEXT,
    start_date  TEXT,
    days        INTEGER,
    idea_id     INTEGER REFERENCES ideas (id),
    updated_at  TEXT NOT NULL
);
