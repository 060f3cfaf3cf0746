// The audit trail as sentences: "Anna ändrade fyndet 2026-11-23 14:02".
// Autosave writes one event per pause in typing, so runs of edits by the same
// person within the same minute are shown as one line.
import type { AuditEvent } from "./bindings/AuditEvent";
import { t, type MessageKey } from "./i18n/index.svelte";

export interface HistoryLine {
  /** The first event's id (stable key). */
  id: number;
  action: string;
  actor: string;
  /** Local time, `YYYY-MM-DD HH:MM`. */
  at: string;
  /** ISO time of the latest event in the line (for `<time datetime>`). */
  iso: string;
  text: string;
  /** What changed, as field labels (finding and metadata edits). */
  fields: string[];
  /** The analysis bundle the change came from (merges and conflicts), or null. */
  origin: BundleSource | null;
}

/** Who made the bundle a merged change came from, and its file. */
export interface BundleSource {
  author: string;
  file: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-11-23 14:02` in local time; the input unchanged when it is not a date. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const FIELD_LABELS: Record<string, MessageKey> = {
  unintended_consequence: "finding.consequence",
  exploitation: "finding.exploitation",
  crime_types: "finding.crimeTypes",
  likelihood: "finding.matrix",
  impact: "finding.matrix",
  proposed_wording: "finding.proposed",
  status: "finding.status",
  actors: "history.field.actors",
  title: "meta.title",
  doc_type: "meta.doc_type",
  owner: "meta.owner",
  dnr: "meta.dnr",
  decided: "meta.decided",
  decided_by: "meta.decided_by",
  responsible: "meta.responsible",
  valid_from: "meta.valid_from",
  valid_to: "meta.valid_to",
  version_label: "meta.version_label",
};

const ACTIONS: Record<string, MessageKey> = {
  "finding.create": "history.finding.create",
  "finding.update": "history.finding.update",
  "finding.delete": "history.finding.delete",
  "clause.split": "history.clause.split",
  "clause.merge": "history.clause.merge",
  "outline.promote": "history.outline.promote",
  "outline.demote": "history.outline.demote",
  "outline.move": "history.outline.move",
  "outline.renumber": "history.outline.renumber",
  "outline.undo": "history.outline.undo",
  "document.import": "history.document.import",
  "document.meta": "history.document.meta",
  "document.import_bundle": "history.document.importBundle",
  "finding.merge_add": "history.finding.mergeAdd",
  "finding.merge_update": "history.finding.mergeUpdate",
  "finding.merge_comments": "history.finding.mergeComments",
  "finding.conflict": "history.finding.conflict",
  "finding.resolve": "history.finding.resolve",
  "document.merge_meta": "history.document.mergeMeta",
  "document.conflict": "history.document.conflict",
  "document.resolve": "history.document.resolve",
  "workshop.judgement": "history.workshop.judgement",
  "workshop.decision": "history.workshop.decision",
  "workshop.note": "history.workshop.note",
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Labels of the top-level keys whose values differ between `before` and `after`. */
export function changedFields(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const labels: string[] = [];
  let other = false;
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    const label = FIELD_LABELS[key];
    if (!label) other = true;
    else if (!labels.includes(t(label))) labels.push(t(label));
  }
  if (other) labels.push(t("history.field.other"));
  return labels;
}

/**
 * The bundle a change came from: merges record it as `after.from` (with the
 * changed value in `after.value`), resolved conflicts too.
 */
export function bundleSource(after: unknown): BundleSource | null {
  if (!isRecord(after) || !isRecord(after.from)) return null;
  const { author, file } = after.from;
  if (typeof author !== "string" || author === "") return null;
  return { author, file: typeof file === "string" ? file : "" };
}

/** Sentences for `events` (oldest first in), newest first out. */
export function historyLines(events: readonly AuditEvent[]): HistoryLine[] {
  const lines: HistoryLine[] = [];
  for (const e of events) {
    const at = formatTime(e.at);
    const origin = bundleSource(e.after);
    // A merge's audit event wraps the new value: `{value, from}`.
    const after = origin && isRecord(e.after) ? e.after.value : e.after;
    const fields =
      e.action === "finding.update" ||
      e.action === "document.meta" ||
      e.action === "finding.merge_update" ||
      e.action === "document.merge_meta"
        ? changedFields(e.before, after)
        : [];
    const last = lines[lines.length - 1];
    if (last && last.action === e.action && last.actor === e.actor && last.at === at && e.action.endsWith("update")) {
      for (const f of fields) if (!last.fields.includes(f)) last.fields.push(f);
      last.iso = e.at;
      continue;
    }
    const key = ACTIONS[e.action];
    const text = key
      ? t(key, { actor: e.actor, at })
      : t("history.other", { actor: e.actor, action: e.action, at });
    lines.push({ id: e.id, action: e.action, actor: e.actor, at, iso: e.at, text, fields, origin });
  }
  return lines.reverse();
}
