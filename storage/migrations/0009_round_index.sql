-- Round-wide counts (/stats, /top, reports, the hours export) seek by round instead of scanning
-- every certification: measured 2.5 s -> see bench/console.py for the figures after.
CREATE INDEX certifications_round
    ON certifications (round_name, status, participant_id, campaign_day);
