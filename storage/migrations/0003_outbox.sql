-- The outbox: every scheduled or broadcast message is planned here first, then a sender drains
-- it at Telegram's pace. The key makes planning idempotent (reminder:<user>:<date>, ...).

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    chat_id         INTEGER NOT NULL,
    kind            TEXT NOT NULL,                 -- what to send: text, photo, ...
    payload         TEXT NOT NULL,                 -- JSON: text, buttons, what to render, ...
    not_before      TEXT NOT NULL,                 -- UTC; quiet hours push this out
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    sent_message_id INTEGER,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, not_before);
