// Opening a search hit: its document, its clause (and finding), with the
// searched words marked in the clause text.
import type { SearchHit } from "../../lib/bindings/SearchHit";
import type { AppState } from "../../lib/state.svelte";

export async function openHit(app: AppState, hit: SearchHit): Promise<void> {
  if (app.selectedDocId !== hit.document_id || !app.view) await app.openDocument(hit.document_id);
  if (app.selectedDocId !== hit.document_id) return;
  if (hit.clause_id && app.clauses.some((c) => c.id === hit.clause_id)) {
    await app.selectClause(hit.clause_id);
    if (hit.finding_id && app.clauseFindings.some((f) => f.id === hit.finding_id)) {
      await app.selectFinding(hit.finding_id);
    }
    app.searchHighlight = { clauseId: hit.clause_id, words: hit.words };
  } else {
    app.searchHighlight = null;
  }
}
