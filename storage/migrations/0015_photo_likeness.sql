-- Issue 10, item 11: honest photos of one spot are not re-used pictures.
-- Each photo keeps a 64x64 grey thumbnail (4 KB) so that a photo whose hashes are near an
-- earlier one can be compared picture to picture: a copy is refused, a look-alike is accepted
-- and listed here for the leaders (/audit). Photos stored before this have no thumbnail (NULL):
-- near ones are then accepted and flagged, never refused on the hashes alone.
ALTER TABLE photos ADD COLUMN thumbnail BLOB;

CREATE TABLE lookalikes (
    id                       INTEGER PRIMARY KEY,
    certification_id         INTEGER NOT NULL REFERENCES certifications (id),
    role                     TEXT NOT NULL CHECK (role IN ('start', 'end')),
    earlier_certification_id INTEGER NOT NULL REFERENCES certifications (id),
    whose                    TEXT NOT NULL
                             CHECK (whose IN ('own', 'other', 'this_certification')),
    phash_distance           INTEGER NOT NULL,
    dhash_distance           INTEGER NOT NULL,
    difference               REAL,          -- NULL: the earlier photo had no thumbnail
    at                       TEXT NOT NULL  -- Message.date of the flagged photo
);
CREATE INDEX lookalikes_by_time ON lookalikes (at);
