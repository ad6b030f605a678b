-- The campaign's rhythm: who still receives messages, personal reminder settings, and which
-- milestones were announced (each once per participant, even if revoked and re-earned).

ALTER TABLE participants ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE participants ADD COLUMN reminder_time TEXT;       -- 'HH:MM'; NULL: the campaign's
ALTER TABLE participants ADD COLUMN reminders_on INTEGER NOT NULL DEFAULT 1
    CHECK (reminders_on IN (0, 1));
ALTER TABLE participants ADD COLUMN inactive_since TEXT;

CREATE TABLE milestone_announcements (
    participant_id INTEGER NOT NULL REFERENCES participants (user_id),
    count          INTEGER NOT NULL,
    announced_at   TEXT NOT NULL,
    flagged_at     TEXT,                                      -- dropped below it after a revoke
    PRIMARY KEY (participant_id, count)
);
