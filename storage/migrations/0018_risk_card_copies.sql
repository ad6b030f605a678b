-- Every copy of a risk report's card in a leader's chat, so that a forward, a resolve or a
-- reject (from the chat or the console) shows on all of them and their buttons go.
CREATE TABLE risk_cards (
    report_id  INTEGER NOT NULL REFERENCES risk_reports (id) ON DELETE CASCADE,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (report_id, chat_id, message_id)
);
