// Opening a search hit: its document, its clause (and finding), with the
// searched words marked in the clause text.
import type { SearchHit } from "../../lib/bindings/SearchHit";
import type { AppState } from "../../lib/state.svelte";

export async function openHit(app: AppState, hit: SearchHit): Promise<void> {
  const opened = await app.openAt(hit.document_id, hit.clause_id, hit.finding_id);
  app.searchHighlight = opened && hit.clause_id ? { clauseId: hit.clause_id, words: hit.words } : null;
}
