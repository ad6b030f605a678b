-- One table for every copy of a card in a leader's chat, whatever the card is about: an
-- application (participant_id, from leader_cards) or a risk report (report_id, from
-- risk_cards). A message is a copy of one card, so the chat and message ids are the key; each
-- row names exactly one subject, and deleting the person or the report takes its copies along.
CREATE TABLE card_copies (
    chat_id        INTEGER NOT NULL,
    message_id     INTEGER NOT NULL,
    participant_id INTEGER REFERENCES participants (user_id) ON DELETE CASCADE,
    report_id      INTEGER REFERENCES risk_reports (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id),
    CHECK ((participant_id IS NULL) <> (report_id IS NULL))
);
CREATE INDEX card_copies_by_participant ON card_copies (participant_id);
CREATE INDEX card_copies_by_report ON card_copies (report_id);
INSERT OR IGNORE INTO card_copies (chat_id, message_id, participant_id)
    SELECT chat_id, message_id, participant_id FROM leader_cards;
INSERT OR IGNORE INTO card_copies (chat_id, message_id, report_id)
    SELECT chat_id, message_id, report_id FROM risk_cards;
DROP TABLE leader_cards;
DROP TABLE risk_cards;
