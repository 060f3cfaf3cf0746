// The outline's fixed row heights (kept in step with OutlineList's CSS): the
// windowing computes offsets from them, and PageDown a page from the clause row.
export const OUTLINE_CLAUSE_ROW = 30;
export const OUTLINE_SECTION_ROW = 36;
