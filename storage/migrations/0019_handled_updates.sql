-- Updates already handled. Telegram delivers an update again when the bot stopped before its
-- next getUpdates confirmed it (a crash, kill -9, a power cut); a key here means the update's
-- effect is committed and it must have no second effect and no second answer. Written in the
-- same transaction as the effect (storage.handled_updates), pruned after two days.
CREATE TABLE handled_updates (
    key TEXT PRIMARY KEY,
    handled_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX handled_updates_by_time ON handled_updates (handled_at);
