// The fake backend's stand-in for the core's search: case-insensitive
// substring matching of every typed word over document titles, clause
// texts and findings' texts. No stemming, no ranking beyond "clauses
// first"; enough for the UI's tests and the browser demo.
import type { SearchAnswer } from "../bindings/SearchAnswer";
import type { SearchFacet } from "../bindings/SearchFacet";
import type { SearchHit } from "../bindings/SearchHit";
import type { SearchQuery } from "../bindings/SearchQuery";
import type { SearchSegment } from "../bindings/SearchSegment";
import type { FakeDocument } from "./fake";

/** Plain and highlighted runs of `text` where any of `words` occurs. */
export function fakeSegments(text: string, words: readonly string[]): { segments: SearchSegment[]; found: string[] } {
  const lower = text.toLowerCase();
  const marks: [number, number][] = [];
  for (const w of words) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(w, from);
      if (at < 0) break;
      marks.push([at, at + w.length]);
      from = at + w.length;
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  const segments: SearchSegment[] = [];
  const found: string[] = [];
  let at = 0;
  for (const [s, e] of marks) {
    if (s < at) continue;
    if (s > at) segments.push({ text: text.slice(at, s), highlighted: false });
    const word = text.slice(s, e);
    segments.push({ text: word, highlighted: true });
    if (!found.some((f) => f.toLowerCase() === word.toLowerCase())) found.push(word);
    at = e;
  }
  if (at < text.length) segments.push({ text: text.slice(at), highlighted: false });
  return { segments, found };
}

/** The words of a query: quotes and syntax characters are word breaks. */
export function fakeWords(query: string): string[] {
  return query
    .slice(0, 1000)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
}

/** Matches counted exactly, as in the core (`kryphal_search::COUNT_CAP`). */
export const FAKE_COUNT_CAP = 10_000;

/**
 * Above `countCap` matches the answer counts (and takes its facets and
 * hits from) only the first `countCap`, and says so with
 * `total_is_lower_bound`, as the core does.
 */
export function fakeSearch(
  documents: readonly FakeDocument[],
  q: SearchQuery,
  countCap: number = FAKE_COUNT_CAP,
): SearchAnswer {
  const words = fakeWords(q.query);
  const all: (SearchHit & { facets: Record<string, string[]> })[] = [];
  if (words.length > 0) {
    for (const d of documents) {
      const meta = d.document.meta;
      const base = { type: [meta.doc_type], owner: [meta.owner], document: [d.document.id] };
      const consider = (
        kind: string,
        text: string,
        extra: Partial<SearchHit>,
        facets: Record<string, string[]>,
      ) => {
        const lower = text.toLowerCase();
        if (!words.every((w) => lower.includes(w))) return;
        const { segments, found } = fakeSegments(text, words);
        all.push({
          kind,
          document_id: d.document.id,
          document_title: meta.title,
          clause_id: null,
          finding_id: null,
          suggestion_id: null,
          label: "",
          position: 0,
          segments,
          cut_before: false,
          cut_after: false,
          matched_in: "text",
          words: found,
          ...extra,
          facets: { ...base, kind: [kind], ...facets },
        });
      };
      consider("document", meta.title, {}, {});
      for (const c of d.outline.clauses) {
        consider("clause", c.text, { clause_id: c.id, label: c.label, position: c.position }, {});
      }
      for (const f of d.findings) {
        const clause = d.outline.clauses.find((c) => c.id === f.clause_id);
        const text = [f.unintended_consequence, f.exploitation, f.proposed_wording]
          .filter((s) => s.trim())
          .join(" — ");
        consider(
          "finding",
          text,
          { clause_id: f.clause_id, finding_id: f.id, label: clause?.label ?? "", position: clause?.position ?? 0 },
          { crime: f.crime_types, status: [f.status], risk: f.risk_level ? [f.risk_level] : [] },
        );
      }
    }
  }
  const matching = all.filter((h) => {
    const keys = new Set((q.filters ?? []).map((f) => f.key));
    return [...keys].every((key) =>
      (q.filters ?? []).some((f) => f.key === key && (h.facets[key] ?? []).includes(f.value)),
    );
  });
  const limit = Math.min(q.limit ?? 20, 200);
  const lowerBound = matching.length > Math.max(countCap, limit);
  const filtered = lowerBound ? matching.slice(0, Math.max(countCap, limit)) : matching;
  filtered.sort((a, b) => Number(b.kind === "clause") - Number(a.kind === "clause"));
  const facetKeys = ["document", "type", "owner", "crime", "risk", "status", "kind"];
  const facets: SearchFacet[] = facetKeys
    .map((key) => {
      const counts = new Map<string, number>();
      for (const h of filtered) for (const v of h.facets[key] ?? []) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
      const values = [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([value, count]) => ({
          value,
          count,
          label: key === "document" ? (documents.find((d) => d.document.id === value)?.document.meta.title ?? null) : null,
        }));
      return { key, values };
    })
    .filter((f) => f.values.length > 0);
  return {
    status: "ready",
    message: null,
    total: filtered.length,
    total_is_lower_bound: lowerBound,
    facets_are_lower_bounds: lowerBound,
    hits: filtered.slice(0, limit).map(({ facets: _f, ...hit }) => hit),
    facets,
    relaxed: false,
    query_truncated: q.query.length > 1000,
  };
}
