-- Kryphål library, schema version 3: versions of a document and what became
-- of each finding when a new version was imported.

-- A document imported as a new version of another. A document without a row
-- here is the first (and so far only) version of its own family.
CREATE TABLE document_versions (
    document_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    -- The id of the family's first version.
    family_id   TEXT NOT NULL,
    -- The version this one replaces.
    previous_id TEXT REFERENCES documents (id) ON DELETE SET NULL,
    number      INTEGER NOT NULL
) STRICT;
CREATE INDEX document_versions_family ON document_versions (family_id);
CREATE INDEX document_versions_previous ON document_versions (previous_id);

-- One row per finding of the previous version: where it went in the new one.
CREATE TABLE carryovers (
    -- The new version.
    document_id      TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    from_document_id TEXT NOT NULL,
    from_finding_id  TEXT NOT NULL,
    from_clause_id   TEXT NOT NULL,
    from_label       TEXT NOT NULL,
    from_text        TEXT NOT NULL,
    -- The copy on the new version; NULL when the clause vanished (orphaned).
    finding_id       TEXT,
    clause_id        TEXT,
    state            TEXT NOT NULL
                     CHECK (state IN ('carried', 'rereview', 'orphaned', 'implemented')),
    resolved_at      TEXT,
    resolved_by      TEXT,
    PRIMARY KEY (document_id, from_finding_id)
) STRICT;
CREATE INDEX carryovers_finding ON carryovers (finding_id);
