-- Kryphål library: the facilitator's private notes per clause in a workshop
-- session. They are shown in the control window, never on the projector,
-- and are not part of the minutes.

CREATE TABLE workshop_notes (
    session_id  TEXT NOT NULL REFERENCES workshop_sessions (id) ON DELETE CASCADE,
    clause_id   TEXT NOT NULL,
    text        TEXT NOT NULL,
    at          TEXT NOT NULL,
    by          TEXT NOT NULL,
    PRIMARY KEY (session_id, clause_id)
) STRICT;
