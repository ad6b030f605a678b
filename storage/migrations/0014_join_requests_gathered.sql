-- Every participant has applied and consented (issue 10, item 3). A join request to the group
-- used to put a person with no application in the leaders' queue ('pending' with no consent),
-- and a leader could approve that blank card. Such a queued request becomes a visitor again;
-- their Telegram join request stays pending until their own application is decided.
UPDATE participants SET status = 'visitor', applied_at = NULL
WHERE status = 'pending' AND consent_at IS NULL;

-- Someone approved that way never gave the consent (or, under 14, the guardian's): back to the
-- application form, which asks only what is missing; their certifications stay on record.
UPDATE participants SET status = 'applying'
WHERE status = 'approved'
  AND (consent_at IS NULL OR (under_14 = 1 AND COALESCE(guardian_consent, 0) = 0));

-- One card per leader and campaign day gathers join requests from people without an
-- application and the applications past the day's card cap (item 4); edited as it changes.
CREATE TABLE leader_digests (
    leader_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,                -- the campaign day (local date) it gathers
    version     INTEGER NOT NULL DEFAULT 0,   -- bumped on each change: one outbox edit each
    joins       INTEGER NOT NULL DEFAULT 0,   -- join requests without an application
    cards       INTEGER NOT NULL DEFAULT 0,   -- application cards sent to this leader
    overflow    INTEGER NOT NULL DEFAULT 0,   -- applications past the cap (no card of their own)
    declined    INTEGER NOT NULL DEFAULT 0,   -- join requests a leader declined from the card
    declined_by INTEGER,
    PRIMARY KEY (leader_id, day)
);
