-- Kryphål library, schema version 9: a verdict for every clause and the
-- mark that a document's review is final. A clause with findings has the
-- verdict "risk" by virtue of them; these rows hold the verdicts an analyst
-- gives by hand (checked — no risk, not a rule, not assessed). Stands on its
-- own: it only adds tables.

CREATE TABLE clause_verdicts (
    document_id TEXT NOT NULL,
    clause_id   TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('checked', 'not_a_rule', 'not_assessed')),
    by          TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (document_id, clause_id),
    FOREIGN KEY (document_id, clause_id) REFERENCES clauses (document_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE document_final (
    document_id      TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    by               TEXT NOT NULL,
    at               TEXT NOT NULL,
    rulebook_id      TEXT NOT NULL,
    rulebook_version TEXT NOT NULL
) STRICT;
