-- Kryphål library, schema version 2: workshop sessions with the room's
-- judgements of findings and decisions on clauses.

CREATE TABLE workshop_sessions (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    -- JSON array of names.
    attendees   TEXT NOT NULL DEFAULT '[]',
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    ended_at    TEXT
) STRICT;
CREATE INDEX workshop_sessions_document ON workshop_sessions (document_id);

CREATE TABLE workshop_judgements (
    session_id  TEXT NOT NULL REFERENCES workshop_sessions (id) ON DELETE CASCADE,
    finding_id  TEXT NOT NULL,
    likelihood  INTEGER NOT NULL,
    impact      INTEGER NOT NULL,
    note        TEXT NOT NULL,
    at          TEXT NOT NULL,
    by          TEXT NOT NULL,
    PRIMARY KEY (session_id, finding_id)
) STRICT;

CREATE TABLE workshop_decisions (
    session_id  TEXT NOT NULL REFERENCES workshop_sessions (id) ON DELETE CASCADE,
    clause_id   TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('adopt', 'reject', 'defer')),
    dissent     TEXT NOT NULL,
    at          TEXT NOT NULL,
    by          TEXT NOT NULL,
    PRIMARY KEY (session_id, clause_id)
) STRICT;
