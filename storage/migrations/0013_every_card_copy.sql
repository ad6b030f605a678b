-- Every copy of an application card, not one per leader's chat: /pending sends a leader a
-- new copy, and the decision must show on the first one too (it kept live buttons before).
CREATE TABLE leader_cards_every_copy (
    participant_id INTEGER NOT NULL REFERENCES participants (user_id) ON DELETE CASCADE,
    chat_id        INTEGER NOT NULL,
    message_id     INTEGER NOT NULL,
    PRIMARY KEY (participant_id, chat_id, message_id)
);
INSERT INTO leader_cards_every_copy (participant_id, chat_id, message_id)
    SELECT participant_id, chat_id, message_id FROM leader_cards;
DROP TABLE leader_cards;
ALTER TABLE leader_cards_every_copy RENAME TO leader_cards;
