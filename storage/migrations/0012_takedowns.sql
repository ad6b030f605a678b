-- Messages showing someone whose data was erased, waiting to be taken out of their chats.
-- Queued in the erasing transaction and cleared once the bot has tried, so a crash or a failed
-- send between the two never loses the only record of where those messages are. Only chat and
-- message ids: nothing here names the person.
CREATE TABLE takedowns (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    is_text    INTEGER NOT NULL,
    posted_at  TEXT,
    PRIMARY KEY (chat_id, message_id)
);
