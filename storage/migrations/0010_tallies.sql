-- Running counts of accepted certifications, so /stats, /top and the hours export read a few
-- thousand counters instead of grouping half a million certifications on every command.
-- A certification counts when status = 'accepted' and it has a campaign day (the plain queries'
-- rule). Triggers on certifications keep the counts exact on every insert, delete and change of
-- status, participant (privacy's anonymisation re-keys certifications), round or day; a counter
-- that drops to 0 is deleted, so a row means "at least one".
--
-- No foreign keys on purpose: storage.privacy.erase re-keys every column that references
-- participants, and these rows are already moved by the triggers when the certifications are.

CREATE TABLE tally_person_days (
    round_name     TEXT NOT NULL,
    participant_id INTEGER NOT NULL,
    campaign_day   TEXT NOT NULL,
    accepted       INTEGER NOT NULL,
    PRIMARY KEY (round_name, participant_id, campaign_day)
) WITHOUT ROWID;

CREATE TABLE tally_person_rounds (
    round_name     TEXT NOT NULL,
    participant_id INTEGER NOT NULL,
    accepted       INTEGER NOT NULL,
    PRIMARY KEY (round_name, participant_id)
) WITHOUT ROWID;

-- /top walks the biggest counts first.
CREATE INDEX tally_person_rounds_by_count ON tally_person_rounds (round_name, accepted);

CREATE TABLE tally_round_days (
    round_name   TEXT NOT NULL,
    campaign_day TEXT NOT NULL,
    accepted     INTEGER NOT NULL,
    PRIMARY KEY (round_name, campaign_day)
) WITHOUT ROWID;

-- /stats counts participants by status, category and reachability from the index alone.
CREATE INDEX participants_by_group ON participants (status, category, active);

INSERT INTO tally_person_days (round_name, participant_id, campaign_day, accepted)
SELECT round_name, participant_id, campaign_day, COUNT(*) FROM certifications
WHERE status = 'accepted' AND campaign_day IS NOT NULL
GROUP BY round_name, participant_id, campaign_day;

INSERT INTO tally_person_rounds (round_name, participant_id, accepted)
SELECT round_name, participant_id, SUM(accepted) FROM tally_person_days
GROUP BY round_name, participant_id;

INSERT INTO tally_round_days (round_name, campaign_day, accepted)
SELECT round_name, campaign_day, SUM(accepted) FROM tally_person_days
GROUP BY round_name, campaign_day;

CREATE TRIGGER tally_certification_inserted AFTER INSERT ON certifications
WHEN NEW.status = 'accepted' AND NEW.campaign_day IS NOT NULL
BEGIN
    INSERT INTO tally_person_days (round_name, participant_id, campaign_day, accepted)
    VALUES (NEW.round_name, NEW.participant_id, NEW.campaign_day, 1)
    ON CONFLICT (round_name, participant_id, campaign_day) DO UPDATE SET accepted = accepted + 1;
    INSERT INTO tally_person_rounds (round_name, participant_id, accepted)
    VALUES (NEW.round_name, NEW.participant_id, 1)
    ON CONFLICT (round_name, participant_id) DO UPDATE SET accepted = accepted + 1;
    INSERT INTO tally_round_days (round_name, campaign_day, accepted)
    VALUES (NEW.round_name, NEW.campaign_day, 1)
    ON CONFLICT (round_name, campaign_day) DO UPDATE SET accepted = accepted + 1;
END;

CREATE TRIGGER tally_certification_deleted AFTER DELETE ON certifications
WHEN OLD.status = 'accepted' AND OLD.campaign_day IS NOT NULL
BEGIN
    UPDATE tally_person_days SET accepted = accepted - 1
    WHERE round_name = OLD.round_name AND participant_id = OLD.participant_id
      AND campaign_day = OLD.campaign_day;
    DELETE FROM tally_person_days
    WHERE round_name = OLD.round_name AND participant_id = OLD.participant_id
      AND campaign_day = OLD.campaign_day AND accepted <= 0;
    UPDATE tally_person_rounds SET accepted = accepted - 1
    WHERE round_name = OLD.round_name AND participant_id = OLD.participant_id;
    DELETE FROM tally_person_rounds
    WHERE round_name = OLD.round_name AND participant_id = OLD.participant_id AND accepted <= 0;
    UPDATE tally_round_days SET accepted = accepted - 1
    WHERE round_name = OLD.round_name AND campaign_day = OLD.campaign_day;
    DELETE FROM tally_round_days
    WHERE round_name = OLD.round_name AND campaign_day = OLD.campaign_day AND accepted <= 0;
END;

-- Revoke, restore, accept, anonymise: take the old row's count away (if it counted), then add
-- the new row's (if it counts). Both may happen in one update (a re-keyed participant).
CREATE TRIGGER tally_certification_updated
AFTER UPDATE OF status, participant_id, round_name, campaign_day ON certifications
WHEN (OLD.status = 'accepted' AND OLD.campaign_day IS NOT NULL)
  OR (NEW.status = 'accepted' AND NEW.campaign_day IS NOT NULL)
BEGIN
    UPDATE tally_person_days SET accepted = accepted - 1
    WHERE OLD.status = 'accepted' AND round_name = OLD.round_name
      AND participant_id = OLD.participant_id AND campaign_day = OLD.campaign_day;
    DELETE FROM tally_person_days
    WHERE OLD.status = 'accepted' AND round_name = OLD.round_name
      AND participant_id = OLD.participant_id AND campaign_day = OLD.campaign_day
      AND accepted <= 0;
    UPDATE tally_person_rounds SET accepted = accepted - 1
    WHERE OLD.status = 'accepted' AND OLD.campaign_day IS NOT NULL
      AND round_name = OLD.round_name AND participant_id = OLD.participant_id;
    DELETE FROM tally_person_rounds
    WHERE OLD.status = 'accepted' AND OLD.campaign_day IS NOT NULL
      AND round_name = OLD.round_name AND participant_id = OLD.participant_id AND accepted <= 0;
    UPDATE tally_round_days SET accepted = accepted - 1
    WHERE OLD.status = 'accepted' AND round_name = OLD.round_name
      AND campaign_day = OLD.campaign_day;
    DELETE FROM tally_round_days
    WHERE OLD.status = 'accepted' AND round_name = OLD.round_name
      AND campaign_day = OLD.campaign_day AND accepted <= 0;

    INSERT INTO tally_person_days (round_name, participant_id, campaign_day, accepted)
    SELECT NEW.round_name, NEW.participant_id, NEW.campaign_day, 1
    WHERE NEW.status = 'accepted' AND NEW.campaign_day IS NOT NULL
    ON CONFLICT (round_name, participant_id, campaign_day) DO UPDATE SET accepted = accepted + 1;
    INSERT INTO tally_person_rounds (round_name, participant_id, accepted)
    SELECT NEW.round_name, NEW.participant_id, 1
    WHERE NEW.status = 'accepted' AND NEW.campaign_day IS NOT NULL
    ON CONFLICT (round_name, participant_id) DO UPDATE SET accepted = accepted + 1;
    INSERT INTO tally_round_days (round_name, campaign_day, accepted)
    SELECT NEW.round_name, NEW.campaign_day, 1
    WHERE NEW.status = 'accepted' AND NEW.campaign_day IS NOT NULL
    ON CONFLICT (round_name, campaign_day) DO UPDATE SET accepted = accepted + 1;
END;
