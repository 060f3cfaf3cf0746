-- Kryphål library: what came back from a review in Word (schema version 8).
-- Stands on its own: it only adds tables.

-- The reviewer's outcome for a finding's proposal, read from a reviewed
-- review document: who decided and when (the file's last author and save
-- time, or a reviser of the text), from which file, imported by whom.
CREATE TABLE review_decisions (
    finding_id      TEXT NOT NULL,
    document_id     TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    outcome         TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'edited')),
    decided_by      TEXT NOT NULL,
    decided_at      TEXT NOT NULL,
    proposal_before TEXT NOT NULL,
    proposal_after  TEXT NOT NULL,
    source          TEXT NOT NULL,
    source_sha256   TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    imported_by     TEXT NOT NULL,
    PRIMARY KEY (finding_id, source_sha256)
) STRICT;
CREATE INDEX review_decisions_document ON review_decisions (document_id);

-- A note on a clause (or, clause_id NULL, on the document): a new comment
-- in a reviewed file that answers no finding.
CREATE TABLE clause_notes (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    clause_id   TEXT,
    author      TEXT NOT NULL,
    at          TEXT NOT NULL,
    text        TEXT NOT NULL,
    -- The commented paragraph's text, so a note keeps its place.
    context     TEXT NOT NULL,
    -- The file it came from.
    source      TEXT NOT NULL
) STRICT;
CREATE INDEX clause_notes_document ON clause_notes (document_id);
