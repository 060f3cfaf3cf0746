-- Kryphål library, schema version 7: the analyst's corrections of an
-- imported outline (a clause made a heading, a heading made a clause, a
-- clause moved to another section, a clause renumbered). The outline rows
-- hold the corrected outline; these rows remember what was corrected, keyed
-- by text, so that the corrections are made again on a new version of the
-- document. Stands on its own: it only adds a table.

CREATE TABLE outline_corrections (
    id                TEXT PRIMARY KEY,
    document_id       TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- The order the corrections were made in (and are made again in).
    seq               INTEGER NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('promote', 'demote', 'move', 'renumber')),
    -- What it applies to: the normalised text of the clause or heading, and
    -- which occurrence of that text in document order (TextKey).
    target_text       TEXT NOT NULL,
    target_occurrence INTEGER NOT NULL,
    -- The whole OutlineChange as JSON (kind, keys and parameters).
    change            TEXT NOT NULL,
    label             TEXT NOT NULL,
    made_by           TEXT NOT NULL,
    made_at           TEXT NOT NULL,
    -- The correction of the earlier version this one was carried over from.
    carried_from      TEXT
) STRICT;
CREATE INDEX outline_corrections_document ON outline_corrections (document_id, seq);
