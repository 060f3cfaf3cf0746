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
  "document.import": "history.document.import",
  "document.meta": "history.document.meta",
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

/** Sentences for `events` (oldest first in), newest first out. */
export function historyLines(events: readonly AuditEvent[]): HistoryLine[] {
  const lines: HistoryLine[] = [];
  for (const e of events) {
    const at = formatTime(e.at);
    const fields = e.action === "finding.update" || e.action === "document.meta" ? changedFields(e.before, e.after) : [];
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
    lines.push({ id: e.id, action: e.action, actor: e.actor, at, iso: e.at, text, fields });
  }
  return lines.reverse();
}
