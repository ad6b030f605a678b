-- Messages that show a risk report's picture or exact place outside the reporter's own chat:
-- in leaders' chats the report's photo, its map pin(s), the handoff photo and the "is it fixed?"
-- photo; in other people's chats the "same place?" photo and the before/after pair; in the group
-- the "fixed" post. The reporter's /delete (or the retention purge) takes them down like the
-- review feed's posts (see takedowns). Only chat and message ids: nothing here names anyone.
CREATE TABLE risk_picture_messages (
    report_id  INTEGER NOT NULL REFERENCES risk_reports (id) ON DELETE CASCADE,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    kind       TEXT NOT NULL,   -- photo, pin, handoff, check, nearby, pair, after
    posted_at  TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX risk_picture_messages_by_report ON risk_picture_messages (report_id);
