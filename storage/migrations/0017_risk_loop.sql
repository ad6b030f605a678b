-- Risk reports that get things fixed: one report per place (people who noticed the same place
-- follow one report; leaders merge two), the after photo, the agency handoff date, the weekly
-- look at forwarded reports that went silent, and several places from one patrol.

ALTER TABLE risk_reports ADD COLUMN noticed INTEGER NOT NULL DEFAULT 1;  -- people who reported it
ALTER TABLE risk_reports ADD COLUMN merged_into INTEGER REFERENCES risk_reports (id);
ALTER TABLE risk_reports ADD COLUMN nearby_id INTEGER;      -- a draft's open report shown as "same place?"
ALTER TABLE risk_reports ADD COLUMN address_key TEXT;       -- the typed address, normalised for matching
ALTER TABLE risk_reports ADD COLUMN area TEXT;              -- the 동 the group may be told
ALTER TABLE risk_reports ADD COLUMN forwarded_at TEXT;      -- the latest forward to an agency
ALTER TABLE risk_reports ADD COLUMN checked_at TEXT;        -- a leader said "still open" then
ALTER TABLE risk_reports ADD COLUMN resolved_at TEXT;
ALTER TABLE risk_reports ADD COLUMN patrol_id INTEGER;      -- reports filed together (one photo, one text)

UPDATE risk_reports SET forwarded_at = (
    SELECT MAX(s.at) FROM risk_report_steps s
    WHERE s.report_id = risk_reports.id AND s.action = 'forwarded'
) WHERE status IN ('forwarded', 'resolved');
UPDATE risk_reports SET resolved_at = updated_at WHERE status = 'resolved';
-- As bot.campaign.risk_reports.address_key: spacing and (Latin) case do not count.
UPDATE risk_reports SET address_key = lower(trim(
    replace(replace(replace(replace(replace(replace(address, char(13), ' '), char(10), ' '),
        char(9), ' '), '    ', ' '), '  ', ' '), '  ', ' ')
)) WHERE address IS NOT NULL;

-- "Is there an open report of this category nearby?": a bounding box on this index, then the
-- exact distance (haversine) on the few rows inside it.
CREATE INDEX risk_reports_open_by_place ON risk_reports (category, latitude, longitude)
    WHERE status IN ('submitted', 'forwarded');
CREATE INDEX risk_reports_open_by_address ON risk_reports (category, address_key)
    WHERE status IN ('submitted', 'forwarded');

-- People who said "same place" (or whose report was merged in): they hear the report's news.
CREATE TABLE risk_report_followers (
    report_id INTEGER NOT NULL REFERENCES risk_reports (id),
    user_id   INTEGER NOT NULL REFERENCES participants (user_id),
    joined_at TEXT NOT NULL,
    PRIMARY KEY (report_id, user_id)
);
CREATE INDEX risk_report_followers_by_user ON risk_report_followers (user_id);

-- Pictures the bot re-encoded itself (no metadata): the only pictures of a report it shows to
-- anyone but the leaders. 'before' is the report's photo, 'after' the place once fixed, 'pair'
-- the two side by side.
CREATE TABLE risk_photos (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES risk_reports (id),
    role       TEXT NOT NULL,
    taken_by   INTEGER,          -- who sent the picture (a leader or the reporter)
    file_id    TEXT,             -- the original in Telegram, for leaders only
    jpeg       BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX risk_photos_by_report ON risk_photos (report_id, role);
CREATE INDEX risk_photos_by_sender ON risk_photos (taken_by);

-- More places from one patrol, kept with the draft until it is sent (each becomes a report).
CREATE TABLE risk_draft_places (
    id        INTEGER PRIMARY KEY,
    draft_id  INTEGER NOT NULL REFERENCES risk_reports (id) ON DELETE CASCADE,
    latitude  REAL NOT NULL,
    longitude REAL NOT NULL,
    added_at  TEXT NOT NULL
);
CREATE INDEX risk_draft_places_by_draft ON risk_draft_places (draft_id);
