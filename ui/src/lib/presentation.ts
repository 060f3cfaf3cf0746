// Presentation mode's small rules: which keys a clicker sends and what they
// do, which clauses make the agenda, how the timer reads, and which rating
// of a finding the room sees. Pure; unit-tested.
import type { Clause } from "./bindings/Clause";
import type { DecisionKind } from "./bindings/DecisionKind";
import type { Finding } from "./bindings/Finding";
import type { PresentMove } from "./bindings/PresentMove";
import type { WorkshopRecord } from "./bindings/WorkshopRecord";
import type { MessageKey } from "./i18n/index.svelte";

/** The words for a decision. */
export const DECISION_LABEL: Record<DecisionKind, MessageKey> = {
  adopt: "workshop.decision.adopt",
  reject: "workshop.decision.reject",
  defer: "workshop.decision.defer",
};

export type PresentAction = { move: PresentMove } | { blank: true } | { close: true };

/**
 * What a key press means on the projector or in the control window.
 * Presentation clickers send PageDown/PageUp (some send arrows), and "b" or
 * "." for a blank screen; Escape leaves presentation mode.
 */
export function presentKey(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): PresentAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case "PageDown":
    case "ArrowRight":
    case "ArrowDown":
    case " ":
      return { move: { to: "next" } };
    case "PageUp":
    case "ArrowLeft":
    case "ArrowUp":
    case "Backspace":
      return { move: { to: "previous" } };
    case "Home":
      return { move: { to: "first" } };
    case "End":
      return { move: { to: "last" } };
    case "b":
    case "B":
    case ".":
      return { blank: true };
    case "Escape":
      return { close: true };
    default:
      return null;
  }
}

export type AgendaMode = "findings" | "all";

/** Clause ids to step through: those with findings (the workshop's usual agenda), or every clause; document order. */
export function buildAgenda(clauses: readonly Clause[], findingsByClause: ReadonlyMap<string, readonly Finding[]>, mode: AgendaMode): string[] {
  return clauses.filter((c) => mode === "all" || (findingsByClause.get(c.id)?.length ?? 0) > 0).map((c) => c.id);
}

/** `m:ss` below an hour, `h:mm:ss` from then on; negative times read as zero. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Where a finding sits in the matrix the room sees: the room's judgement when there is one, else the analyst's rating. */
export function shownRating(
  finding: Finding,
  record: WorkshopRecord | null,
): { likelihood: number; impact: number; byRoom: boolean } | null {
  const j = record?.judgements.find((x) => x.finding_id === finding.id);
  if (j) return { likelihood: j.likelihood, impact: j.impact, byRoom: true };
  if (finding.likelihood != null && finding.impact != null) {
    return { likelihood: finding.likelihood, impact: finding.impact, byRoom: false };
  }
  return null;
}

/** Attendees typed one per line (or separated by semicolons), cleaned. */
export function parseAttendees(text: string): string[] {
  return text
    .split(/[\n;]/)
    .map((a) => a.trim())
    .filter((a) => a !== "");
}

/** Today as `YYYY-MM-DD` in local time. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// ------------------------------------------------ fitting the projector (issue 22)

/**
 * Type sizes the projector steps down through, as factors of its base size,
 * until a slide fits without scrolling. Nothing is hidden to make it fit.
 */
export const TYPE_STEPS: readonly number[] = [1, 0.9, 0.8, 0.72, 0.64, 0.57];

/** The next smaller step while the slide overflows, or null when it fits or none is left. */
export function smallerStep(step: number, overflowing: boolean): number | null {
  if (!overflowing) return null;
  return step + 1 < TYPE_STEPS.length ? step + 1 : null;
}

/**
 * A clause too long to share a 1024×768 slide with its findings, proposal
 * and matrix even at the smallest type gets a page of its own: its text
 * first, then the rest. Measured at the smallest step: about 1,900
 * characters of clause and proposed wording together fill the text column.
 */
export const OWN_PAGE_CHARS = 1900;

export function needsOwnPage(text: string, proposal: string): boolean {
  return text.length + proposal.trim().length > OWN_PAGE_CHARS;
}

/** The agenda the projector steps through: a clause that needs its own page is on it twice in a row. */
export function pagedAgenda(agenda: readonly string[], ownPage: (clauseId: string) => boolean): string[] {
  return agenda.flatMap((id) => (ownPage(id) ? [id, id] : [id]));
}

/** Which part of its clause a place on the paged agenda shows: all of it, the text alone, or the rest. */
export function slidePart(agenda: readonly string[], index: number): "whole" | "text" | "rest" {
  const id = agenda[index];
  if (id === undefined) return "whole";
  if (agenda[index + 1] === id) return "text";
  if (index > 0 && agenda[index - 1] === id) return "rest";
  return "whole";
}

/** A paged agenda's clauses once each (for positions shown as "n of m" clauses). */
export function clausePosition(agenda: readonly string[], index: number): { n: number; m: number } {
  let n = 0;
  let m = 0;
  for (let i = 0; i < agenda.length; i++) {
    if (i > 0 && agenda[i - 1] === agenda[i]) continue;
    m++;
    if (i <= index) n++;
  }
  return { n, m };
}
