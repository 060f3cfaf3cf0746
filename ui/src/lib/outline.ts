// Turns a document's outline (sections and clauses sharing one `position`
// sequence) into the rows the outline view renders, in document order.
import type { Clause } from "./bindings/Clause";
import type { Outline } from "./bindings/Outline";
import type { Section } from "./bindings/Section";

export type OutlineRow =
  | { kind: "section"; section: Section; depth: number }
  | { kind: "clause"; clause: Clause; depth: number };

const MAX_DEPTH = 6;

function clampDepth(d: number): number {
  return Math.max(0, Math.min(MAX_DEPTH, Math.floor(d)));
}

/**
 * Sections and clauses merged by `position`. A heading is indented by its
 * level (a level-1 heading is not indented); a clause one step further than
 * its section's heading, a clause outside any section not at all. On equal
 * positions a heading comes before a clause.
 */
export function mergeOutline(outline: Outline): OutlineRow[] {
  const sectionLevel = new Map(outline.sections.map((s) => [s.id, s.level]));
  const rows: OutlineRow[] = [
    ...outline.sections.map(
      (section): OutlineRow => ({
        kind: "section",
        section,
        depth: clampDepth(section.level - 1),
      }),
    ),
    ...outline.clauses.map((clause): OutlineRow => {
      const level = clause.section_id == null ? undefined : sectionLevel.get(clause.section_id);
      return { kind: "clause", clause, depth: clampDepth(level ?? 0) };
    }),
  ];
  const pos = (r: OutlineRow) => (r.kind === "section" ? r.section.position : r.clause.position);
  return rows.sort((a, b) => pos(a) - pos(b) || (a.kind === b.kind ? 0 : a.kind === "section" ? -1 : 1));
}

/** Clauses in document order. */
export function clausesInOrder(outline: Outline): Clause[] {
  return [...outline.clauses].sort((a, b) => a.position - b.position);
}

/** The first non-empty line of a clause's text. */
export function firstLine(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed) return trimmed;
  }
  return "";
}
