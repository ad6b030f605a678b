-- Risk reports from participants (a broken light, a dark alley...), and every step leaders take.

CREATE TABLE risk_reports (
    id            INTEGER PRIMARY KEY,
    reporter_id   INTEGER NOT NULL REFERENCES participants (user_id),
    status        TEXT NOT NULL DEFAULT 'draft',   -- draft, submitted, forwarded, resolved, rejected
    category      TEXT,
    latitude      REAL,
    longitude     REAL,
    address       TEXT,
    photo_file_id TEXT,
    photo_kind    TEXT,                            -- 'photo' or 'document'
    photo_skipped INTEGER NOT NULL DEFAULT 0,
    description   TEXT,
    agency        TEXT,                            -- the latest agency it was forwarded to
    created_at    TEXT NOT NULL,
    submitted_at  TEXT,
    updated_at    TEXT NOT NULL
);
CREATE INDEX risk_reports_by_reporter ON risk_reports (reporter_id, status);

CREATE TABLE risk_report_steps (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES risk_reports (id),
    action    TEXT NOT NULL,                       -- submitted, forwarded, resolved, rejected
    actor_id  INTEGER NOT NULL,                    -- the reporter or the leader
    agency    TEXT,
    note      TEXT,
    at        TEXT NOT NULL
);
CREATE INDEX risk_report_steps_by_report ON risk_report_steps (report_id, id);
