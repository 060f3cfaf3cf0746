-- Kryphål library, schema version 6: merging a document's metadata and the
-- decisions on screening suggestions between libraries, like findings
-- (schema 4). Stands on its own: it only adds tables.

-- Per document (metadata) or suggestion (decision), the revision this
-- library last exchanged with another one: the base of a three-way merge.
CREATE TABLE record_sync (
    kind      TEXT NOT NULL CHECK (kind IN ('metadata', 'suggestion')),
    entity_id TEXT NOT NULL,
    base      TEXT NOT NULL,
    PRIMARY KEY (kind, entity_id)
) STRICT;

-- Metadata or a decision changed in two libraries: this library's version
-- stays in place, the bundle's is kept here until the user resolves it.
CREATE TABLE record_conflicts (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('metadata', 'suggestion')),
    document_id     TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    label           TEXT NOT NULL,
    -- RecordValue as JSON: this library's version when the bundle came, and the bundle's.
    mine            TEXT NOT NULL,
    theirs          TEXT NOT NULL,
    theirs_revision TEXT NOT NULL,
    -- BundleOrigin as JSON.
    origin          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    resolved_at     TEXT,
    resolved_by     TEXT,
    resolution      TEXT CHECK (resolution IN ('mine', 'theirs'))
) STRICT;
CREATE INDEX record_conflicts_entity ON record_conflicts (kind, entity_id);
