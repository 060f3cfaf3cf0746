-- Kryphål library, schema version 4: exchanging analyses between libraries
-- (bundles). Stands on its own: it only adds tables, and refers to nothing
-- that schema 3 adds.

-- Per finding, the revision of its answers (SHA-256 of their JSON) that
-- this library last exchanged with another one: the base of a three-way
-- merge. A finding never exchanged has no row.
CREATE TABLE finding_sync (
    finding_id TEXT PRIMARY KEY,
    base       TEXT NOT NULL
) STRICT;

-- Edits to the same finding made in two libraries: both versions are kept
-- (ours in `findings`, theirs here) until the user resolves the conflict.
CREATE TABLE merge_conflicts (
    id              TEXT PRIMARY KEY,
    document_id     TEXT NOT NULL,
    finding_id      TEXT NOT NULL,
    -- The Finding as it was here when the bundle came (NULL: deleted here).
    mine            TEXT,
    -- The Finding from the bundle, and the revision of its answers.
    theirs          TEXT NOT NULL,
    theirs_revision TEXT NOT NULL,
    -- BundleOrigin as JSON: who made the bundle, when, and its file name.
    origin          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    resolved_at     TEXT,
    resolved_by     TEXT,
    -- mine, theirs or combined.
    resolution      TEXT
) STRICT;
CREATE INDEX merge_conflicts_finding ON merge_conflicts (finding_id);
