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

/**
 * The deepest level a heading made of `clause` may have: one below the
 * nearest heading before it (1 when there is none), as the core allows.
 */
export function deepestLevel(outline: Outline, clause: Clause): number {
  let nearest: Section | null = null;
  for (const s of outline.sections) {
    if (s.position < clause.position && (!nearest || s.position > nearest.position)) nearest = s;
  }
  return (nearest?.level ?? 0) + 1;
}

/** The level a heading made of `clause` gets unless chosen: one below the heading it is under. */
export function defaultLevel(outline: Outline, clause: Clause): number {
  const own = outline.sections.find((s) => s.id === clause.section_id)?.level ?? 0;
  return Math.min(own + 1, deepestLevel(outline, clause));
}

/** The heading `sectionId` and the headings above it, the innermost first. */
export function headingsAbove(outline: Outline, sectionId: string | null): Section[] {
  const out: Section[] = [];
  let id = sectionId;
  while (id) {
    const s = outline.sections.find((x) => x.id === id);
    if (!s || out.includes(s)) break;
    out.push(s);
    id = s.parent_id;
  }
  return out;
}

/** A heading as the document prints it: `4.2 Ekonomi`. */
export function headingName(s: Section): string {
  return [s.number, s.title].filter(Boolean).join(" ");
}
