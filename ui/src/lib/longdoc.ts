// Working through a long document: which outline rows show under a filter
// and with sections folded, how the keyboard steps through what shows (also
// a page at a time), which clause "needs me" next, and where the user was
// in each document. Pure, except PlaceMemory, which writes to a Storage it
// is given.
import type { Clause } from "./bindings/Clause";
import type { VerdictKind } from "./bindings/VerdictKind";
import type { OutlineRow } from "./outline";

/** What the outline shows: everything, or only clauses of one kind. */
export type OutlineFilter =
  | { kind: "all" }
  | { kind: "suggestions" }
  | { kind: "findings" }
  | { kind: "no-verdict" }
  /** Clauses whose highest finding risk is this level (a level id of the scale). */
  | { kind: "risk"; level: string };

/** What the outline knows about one clause, for filtering and for "needs me". */
export interface ClauseFacts {
  openSuggestions: number;
  findings: number;
  /** Findings without a likelihood × consequence rating. */
  unrated: number;
  /** The highest risk level id of its findings, if any is rated. */
  level: string | null;
  /** The clause's verdict; "none" or null when it has none yet. */
  verdict: VerdictKind | null;
}

export function matchesFilter(filter: OutlineFilter, f: ClauseFacts): boolean {
  switch (filter.kind) {
    case "all":
      return true;
    case "suggestions":
      return f.openSuggestions > 0;
    case "findings":
      return f.findings > 0;
    case "no-verdict":
      return f.verdict === null || f.verdict === "none";
    case "risk":
      return f.level === filter.level;
  }
}

/**
 * A clause needs the analyst while a screening suggestion on it is open, it
 * has no verdict yet, or one of its findings is not rated.
 */
export function needsMe(f: ClauseFacts): boolean {
  return f.openSuggestions > 0 || f.verdict === null || f.verdict === "none" || f.unrated > 0;
}

/** The filter as a string (for a `<select>`), and back. */
export function filterValue(filter: OutlineFilter): string {
  return filter.kind === "risk" ? `risk:${filter.level}` : filter.kind;
}

export function parseFilter(value: string): OutlineFilter {
  if (value.startsWith("risk:") && value.length > 5) return { kind: "risk", level: value.slice(5) };
  if (value === "suggestions" || value === "findings" || value === "no-verdict") return { kind: value };
  return { kind: "all" };
}

/**
 * The rows the outline shows. A folded heading stays, the headings and
 * clauses under it (up to the next heading of its level or higher) go.
 * Clauses that `keep` refuses go; with `pruneHeadings`, so do headings with
 * no kept clause under them (a folded heading with kept clauses under it stays).
 */
export function visibleRows(
  rows: readonly OutlineRow[],
  folded: ReadonlySet<string>,
  keep: (clause: Clause) => boolean = () => true,
  pruneHeadings = false,
): OutlineRow[] {
  // For each heading: does any kept clause lie under it?
  const hasKept = new Map<string, boolean>();
  if (pruneHeadings) {
    const open: { id: string; level: number }[] = [];
    for (const row of rows) {
      if (row.kind === "section") {
        while (open.length > 0 && (open[open.length - 1]?.level ?? 0) >= row.section.level) open.pop();
        open.push({ id: row.section.id, level: row.section.level });
        hasKept.set(row.section.id, false);
      } else if (keep(row.clause)) {
        for (const h of open) hasKept.set(h.id, true);
      }
    }
  }
  const out: OutlineRow[] = [];
  let hiddenUnder: number | null = null; // the level of the folded heading we are under
  for (const row of rows) {
    if (row.kind === "section") {
      if (hiddenUnder !== null && row.section.level <= hiddenUnder) hiddenUnder = null;
      if (hiddenUnder !== null) continue;
      if (pruneHeadings && !hasKept.get(row.section.id)) continue;
      out.push(row);
      if (folded.has(row.section.id)) hiddenUnder = row.section.level;
    } else if (hiddenUnder === null && keep(row.clause)) {
      out.push(row);
    }
  }
  return out;
}

/** The ids of the headings a clause is under (innermost last), read from the rows. */
export function headingsOver(rows: readonly OutlineRow[], clauseId: string): string[] {
  const open: { id: string; level: number }[] = [];
  for (const row of rows) {
    if (row.kind === "section") {
      while (open.length > 0 && (open[open.length - 1]?.level ?? 0) >= row.section.level) open.pop();
      open.push({ id: row.section.id, level: row.section.level });
    } else if (row.clause.id === clauseId) {
      return open.map((h) => h.id);
    }
  }
  return [];
}

/**
 * The clause `delta` steps from `currentId` among the `shown` clauses
 * (±Infinity: the last or first shown). `order` is every clause in document
 * order; when the current clause is not shown (filtered out, folded away),
 * the first step lands on the nearest shown clause in that direction.
 * Null when nothing is shown or there is nowhere to go.
 */
export function stepAmong(
  order: readonly Clause[],
  shown: ReadonlySet<string>,
  currentId: string | null,
  delta: number,
): string | null {
  const list = order.filter((c) => shown.has(c.id));
  if (list.length === 0 || delta === 0) return null;
  const p = currentId === null ? -1 : order.findIndex((c) => c.id === currentId);
  const pos = new Map(order.map((c, i) => [c.id, i]));
  const at = (c: Clause) => pos.get(c.id) ?? 0;
  let target: number;
  if (p < 0) {
    target = delta > 0 ? Math.min(list.length - 1, delta - 1) : Math.max(0, list.length + delta);
  } else if (delta > 0) {
    const base = list.findIndex((c) => at(c) >= p);
    if (base < 0) return null;
    const here = list[base]?.id === currentId;
    target = base + (here ? delta : delta - 1);
  } else {
    let base = -1;
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i];
      if (c && at(c) <= p) {
        base = i;
        break;
      }
    }
    if (base < 0) return null;
    const here = list[base]?.id === currentId;
    target = base + (here ? delta : delta + 1);
  }
  const clamped = Math.max(0, Math.min(list.length - 1, Number.isFinite(target) ? target : delta > 0 ? list.length - 1 : 0));
  const id = list[clamped]?.id ?? null;
  return id === currentId ? null : id;
}

/**
 * The next clause after `currentId` (document order, `direction` 1) or before
 * it (-1) that needs the analyst, going round the end once; the current
 * clause itself only when it is the one left. `wrapped` says the search went
 * past the end (or the start).
 */
export function nextNeeding(
  order: readonly Clause[],
  currentId: string | null,
  needs: (c: Clause) => boolean,
  direction: 1 | -1 = 1,
): { id: string; wrapped: boolean } | null {
  const n = order.length;
  if (n === 0) return null;
  const p = currentId === null ? -1 : order.findIndex((c) => c.id === currentId);
  const start = p < 0 ? (direction > 0 ? -1 : n) : p;
  for (let k = 1; k <= n; k++) {
    const raw = start + direction * k;
    const i = ((raw % n) + n) % n;
    const c = order[i];
    if (c && needs(c)) return { id: c.id, wrapped: raw < 0 || raw >= n };
  }
  return null;
}

/** How many clause rows one page of the outline holds (at least 1). */
export function pageRows(viewportPx: number, rowPx: number): number {
  if (!(viewportPx > 0) || !(rowPx > 0)) return 1;
  return Math.max(1, Math.floor(viewportPx / rowPx) - 1);
}

/** The outline pane's height, kept between the bounds the layout allows. */
export function clampPane(px: number, min: number, max: number): number {
  if (!Number.isFinite(px)) return min;
  return Math.round(Math.max(min, Math.min(Math.max(min, max), px)));
}

type Store = Pick<Storage, "getItem" | "setItem">;

/**
 * The last clause of each document, per library, in a Storage (the
 * webview's localStorage): reopening a document returns to it. At most
 * `limit` documents are remembered, the least recently used forgotten first.
 * A storage that fails (full, refused) only means nothing is remembered.
 */
export class PlaceMemory {
  private readonly key: string;
  /** [document id, clause id], the most recently used last. */
  private cache: [string, string][] | null = null;

  constructor(
    private readonly store: Store | null,
    scope: string,
    private readonly limit = 200,
  ) {
    this.key = `kryphal.places.${scope}`;
  }

  private read(): [string, string][] {
    if (this.cache) return this.cache;
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(this.store?.getItem(this.key) ?? "null");
    } catch {
      parsed = null;
    }
    this.cache = Array.isArray(parsed)
      ? parsed.filter(
          (p): p is [string, string] => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && typeof p[1] === "string",
        )
      : [];
    return this.cache;
  }

  get(docId: string): string | null {
    return this.read().find(([d]) => d === docId)?.[1] ?? null;
  }

  set(docId: string, clauseId: string): void {
    const places = this.read();
    const last = places[places.length - 1];
    if (last && last[0] === docId && last[1] === clauseId) return;
    const kept = places.filter(([d]) => d !== docId);
    kept.push([docId, clauseId]);
    this.cache = kept.slice(Math.max(0, kept.length - this.limit));
    try {
      this.store?.setItem(this.key, JSON.stringify(this.cache));
    } catch {
      // Remembering is a comfort; the selection itself is unaffected.
    }
  }
}

/** A Storage that lives as long as the page (tests, and when localStorage is refused). */
export function memoryStore(): Store {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}
