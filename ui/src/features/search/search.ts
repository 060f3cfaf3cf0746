// The search dialog's logic, kept out of the component so it can be tested:
// grouping hits by document, moving through them with the keyboard,
// toggling facet filters, and finding the searched words in a clause's text
// (as UTF-8 byte spans, the form the clause reader's mark layer takes).
import type { SearchFilter } from "../../lib/bindings/SearchFilter";
import type { SearchHit } from "../../lib/bindings/SearchHit";
import type { Span } from "../../lib/bindings/Span";
import type { MessageKey } from "../../lib/i18n/sv";

export interface HitGroup {
  documentId: string;
  title: string;
  /** Each hit with its place in the flat, visual order (for ↑/↓). */
  hits: { hit: SearchHit; index: number }[];
}

/**
 * Hits grouped by document, groups in the order of their best hit, hits
 * in rank order within a group. `index` numbers the hits as they appear on
 * screen, so the arrow keys follow what the user sees.
 */
export function groupHits(hits: readonly SearchHit[]): HitGroup[] {
  const groups: HitGroup[] = [];
  const byId = new Map<string, HitGroup>();
  for (const hit of hits) {
    let g = byId.get(hit.document_id);
    if (!g) {
      g = { documentId: hit.document_id, title: hit.document_title, hits: [] };
      byId.set(hit.document_id, g);
      groups.push(g);
    }
    g.hits.push({ hit, index: -1 });
  }
  let i = 0;
  for (const g of groups) for (const h of g.hits) h.index = i++;
  return groups;
}

/** The hits in visual order (the order of `groupHits`). */
export function visualOrder(groups: readonly HitGroup[]): SearchHit[] {
  return groups.flatMap((g) => g.hits.map((h) => h.hit));
}

/**
 * The active result after a key: ArrowDown/ArrowUp move one (wrapping),
 * Home/End go to the first/last, PageDown/PageUp move five; `null` for
 * other keys. With no active result, ArrowDown starts at the first and
 * ArrowUp at the last.
 */
export function moveActive(active: number, key: string, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case "ArrowDown":
      return active < 0 ? 0 : (active + 1) % count;
    case "ArrowUp":
      return active < 0 ? count - 1 : (active - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    case "PageDown":
      return Math.min(count - 1, Math.max(active, 0) + 5);
    case "PageUp":
      return Math.max(0, active - 5);
    default:
      return null;
  }
}

/** Adds the filter, or removes it when it is already there. */
export function toggleFilter(filters: readonly SearchFilter[], key: string, value: string): SearchFilter[] {
  const has = filters.some((f) => f.key === key && f.value === value);
  return has ? filters.filter((f) => !(f.key === key && f.value === value)) : [...filters, { key, value }];
}

export function isActive(filters: readonly SearchFilter[], key: string, value: string): boolean {
  return filters.some((f) => f.key === key && f.value === value);
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * Where the searched words occur in `text` (case-insensitive), as UTF-8
 * byte spans in text order, overlaps merged. The words are the highlighted
 * words of a hit's snippet, so they are the text's own forms.
 */
export function wordSpans(text: string, words: readonly string[]): Span[] {
  const lower = text.toLowerCase();
  // toLowerCase keeps the length for the letters of Swedish text; when it
  // does not (rare scripts), searching would give wrong offsets: give up.
  if (lower.length !== text.length) return [];
  const ranges: [number, number][] = [];
  for (const w of words) {
    const needle = w.toLowerCase();
    if (!needle.trim()) continue;
    let from = 0;
    for (;;) {
      const at = lower.indexOf(needle, from);
      if (at < 0) break;
      ranges.push([at, at + needle.length]);
      from = at + needle.length;
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged.map(([s, e]) => ({ start: utf8Length(text.slice(0, s)), end: utf8Length(text.slice(0, e)) }));
}

/** The mark id of search highlights in the clause reader. */
export const SEARCH_MARK_ID = "search-hit";

/**
 * The mark of the searched words in `clause` when it is the clause the last
 * opened hit pointed at; `null` otherwise.
 */
export function searchMarkFor(
  clause: { id: string; text: string } | null,
  highlight: { clauseId: string; words: string[] } | null,
): { id: string; spans: Span[] } | null {
  if (!clause || !highlight || highlight.clauseId !== clause.id) return null;
  const spans = wordSpans(clause.text, highlight.words);
  return spans.length > 0 ? { id: SEARCH_MARK_ID, spans } : null;
}

/**
 * The count line of a ready answer with hits: which message, with what.
 * Above the core's count cap the total is a lower bound ("Minst 10 000
 * träffar"), and the facet counts are too.
 */
export function countMessage(
  total: number,
  shown: number,
  lowerBound: boolean,
): { key: MessageKey; params?: Record<string, number> } {
  if (lowerBound) return { key: "search.countAtLeast", params: { total, shown } };
  if (shown < total) return { key: "search.countSome", params: { total, shown } };
  return total === 1 ? { key: "search.countOne" } : { key: "search.count", params: { total } };
}
