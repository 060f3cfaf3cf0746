-- Kryphål library, schema version 1.
-- Forward-only: a later change is a new file (0002_…), never an edit here.

CREATE TABLE library_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE documents (
    id               TEXT PRIMARY KEY,
    -- Shared by all versions of one document; prefixes its clause ids.
    lineage          TEXT NOT NULL,
    -- DocumentMeta as JSON (title, type, owner, Dnr, dates, …).
    meta             TEXT NOT NULL,
    source_name      TEXT NOT NULL,
    source_sha256    TEXT NOT NULL,
    source_format    TEXT NOT NULL,
    source_size      INTEGER NOT NULL,
    -- The original file, kept so that exports and bundles can use it.
    source_bytes     BLOB NOT NULL,
    imported_at      TEXT NOT NULL,
    imported_by      TEXT NOT NULL,
    rulebook_id      TEXT NOT NULL,
    rulebook_version TEXT NOT NULL
) STRICT;
CREATE INDEX documents_sha ON documents (source_sha256);

CREATE TABLE sections (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    parent_id   TEXT,
    level       INTEGER NOT NULL,
    number      TEXT NOT NULL,
    title       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (document_id, id)
) STRICT;

CREATE TABLE clauses (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    section_id  TEXT,
    number      TEXT NOT NULL,
    label       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (document_id, id)
) STRICT;
CREATE INDEX clauses_id ON clauses (id);

CREATE TABLE findings (
    id            TEXT PRIMARY KEY,
    document_id   TEXT NOT NULL,
    clause_id     TEXT NOT NULL,
    -- FindingInput as JSON: the analyst's answers.
    body          TEXT NOT NULL,
    comments      TEXT NOT NULL DEFAULT '[]',
    suggestion_id TEXT,
    status        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    FOREIGN KEY (document_id, clause_id) REFERENCES clauses (document_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX findings_clause ON findings (document_id, clause_id);

CREATE TABLE suggestions (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    clause_id   TEXT NOT NULL,
    rule_id     TEXT NOT NULL,
    -- Suggestion as JSON (message, spans, crime types, state).
    body        TEXT NOT NULL,
    FOREIGN KEY (document_id, clause_id) REFERENCES clauses (document_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    document_id TEXT,
    before      TEXT,
    after       TEXT
) STRICT;
CREATE INDEX audit_entity ON audit (entity, entity_id);
