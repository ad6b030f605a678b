-- The leaders' console: pausing a participant (with the reason they were shown), and rewards
-- marked as handed out (badge, doll, the police chief's letter), once per person and reward.

ALTER TABLE participants ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));
ALTER TABLE participants ADD COLUMN paused_reason TEXT;

CREATE TABLE reward_handouts (
    participant_id INTEGER NOT NULL REFERENCES participants (user_id),
    reward         TEXT NOT NULL,          -- 'milestone:<count>' or 'letter'
    handed_by      INTEGER NOT NULL,
    handed_at      TEXT NOT NULL,
    PRIMARY KEY (participant_id, reward)
);
