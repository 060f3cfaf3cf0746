// The finding form is generated from the active rulebook's questions. These
// pure helpers decide the widget of each question, its options and how its
// answer is read from and written into a finding. Components only render.
import type { Choice } from "./bindings/Choice";
import type { Confidence } from "./bindings/Confidence";
import type { FindingField } from "./bindings/FindingField";
import type { FindingInput } from "./bindings/FindingInput";
import type { FindingStatus } from "./bindings/FindingStatus";
import type { MeasureType } from "./bindings/MeasureType";
import type { Question } from "./bindings/Question";
import type { Rulebook } from "./bindings/Rulebook";
import { STATUSES } from "./finding";

export type Widget =
  /** Free text (textarea; `line` for a short one-line answer). */
  | { kind: "text"; line: boolean }
  /** Proposed wording beside the current text, with a word diff. */
  | { kind: "wording" }
  /** The repeatable group of regulatory alternatives. */
  | { kind: "alternatives" }
  /** The searchable crime-type checklist. */
  | { kind: "crime_types" }
  /** Checkboxes. */
  | { kind: "multi"; options: Choice[] }
  /** Radio group (few options) or select (many, or the status). */
  | { kind: "single"; options: Choice[]; select: boolean }
  /** The risk matrix: the likelihood and impact questions together. */
  | { kind: "matrix"; likelihood: Question | null; impact: Question | null }
  /** One axis of the scale on its own (a pack with only one scale question). */
  | { kind: "axis"; axis: "likelihood" | "impact"; options: Choice[] };

export interface FormItem {
  /** The question the item is labelled by (for the matrix: the first scale question). */
  question: Question;
  widget: Widget;
}

const CONFIDENCES: readonly Confidence[] = ["low", "medium", "high"];
const MEASURES: readonly MeasureType[] = ["rule_change", "control", "both"];

/** The fixed fields in the order of `FindingInput`, for a pack that lists no questions. */
const FALLBACK: readonly [FindingField, Question["kind"]][] = [
  ["unintended_consequence", "text"],
  ["exploitation", "text"],
  ["crime_types", "multiple_choice"],
  ["likelihood", "scale"],
  ["impact", "scale"],
  ["proposed_wording", "wording"],
  ["status", "single_choice"],
];

/**
 * The questions of the form: the pack's, or — when a pack lists none — the
 * core fields with labels from the UI's catalogue (`label` is then empty
 * and the caller supplies it).
 */
export function questionsOf(rulebook: Rulebook): Question[] {
  if (rulebook.questions.length > 0) return rulebook.questions;
  return FALLBACK.map(([field, kind]) => ({
    id: field,
    label: "",
    help: "",
    kind,
    options: [],
    options_from: field === "crime_types" ? "crime_types" : null,
    scale: field === "likelihood" || field === "impact" ? field : null,
    sensitive: field === "exploitation",
    field,
  }));
}

/** Options of a choice question: written in the pack, or taken from one of its lists. */
export function optionsOf(rulebook: Rulebook, q: Question): Choice[] {
  if (q.options.length > 0) return q.options;
  switch (q.options_from) {
    case "crime_types":
      return rulebook.crime_types.map((c) => ({ value: c.code, label: c.name, help: c.reference }));
    case "actors":
      return rulebook.actors.map((a) => ({ value: a.id, label: a.label, help: a.description }));
    case "countermeasure_groups":
      return rulebook.countermeasure_groups.map((g) => ({ value: g.id, label: g.label, help: g.description }));
    default:
      break;
  }
  // Fixed fields whose values the core knows; labelled by the caller.
  const plain = (values: readonly string[]) => values.map((value) => ({ value, label: "", help: "" }));
  switch (q.field) {
    case "confidence":
      return plain(CONFIDENCES);
    case "measure_type":
      return plain(MEASURES);
    case "status":
      return plain(STATUSES);
    case "act_on":
      return plain(["yes", "no"]);
    case "actors":
      return rulebook.actors.map((a) => ({ value: a.id, label: a.label, help: a.description }));
    case "crime_types":
      return rulebook.crime_types.map((c) => ({ value: c.code, label: c.name, help: c.reference }));
    case "countermeasure_group":
      return rulebook.countermeasure_groups.map((g) => ({ value: g.id, label: g.label, help: g.description }));
    default:
      return [];
  }
}

function axisOptions(rulebook: Rulebook, axis: "likelihood" | "impact"): Choice[] {
  return rulebook.scale[axis].steps.map((s) => ({ value: String(s.value), label: s.label, help: s.description }));
}

function scaleAxis(q: Question): "likelihood" | "impact" | null {
  if (q.scale) return q.scale;
  if (q.field === "likelihood" || q.field === "impact") return q.field;
  return null;
}

/** The form, item by item, in the pack's order. The likelihood and impact questions share one matrix. */
export function formItems(rulebook: Rulebook): FormItem[] {
  const questions = questionsOf(rulebook);
  const scaleFields = questions.filter((q) => q.kind === "scale" && (q.field === "likelihood" || q.field === "impact"));
  const likelihood = scaleFields.find((q) => q.field === "likelihood") ?? null;
  const impact = scaleFields.find((q) => q.field === "impact") ?? null;
  const pair = likelihood !== null && impact !== null;
  const items: FormItem[] = [];
  let matrixPlaced = false;
  for (const q of questions) {
    if (pair && (q === likelihood || q === impact)) {
      if (!matrixPlaced) items.push({ question: q, widget: { kind: "matrix", likelihood, impact } });
      matrixPlaced = true;
      continue;
    }
    items.push({ question: q, widget: widgetOf(rulebook, q) });
  }
  return items;
}

/** The fields a finding needs first; the rest of the form is behind "Mer". */
const ESSENTIAL: readonly FindingField[] = ["unintended_consequence", "crime_types", "likelihood", "impact", "proposed_wording"];

/**
 * The form split in two, each in the pack's order: the essential questions
 * (consequence, crime types, likelihood × consequence, proposed wording) and
 * the rest, which the form shows behind "Mer".
 */
export function splitForm(items: readonly FormItem[]): { essential: FormItem[]; more: FormItem[] } {
  const essential: FormItem[] = [];
  const more: FormItem[] = [];
  for (const item of items) {
    const w = item.widget.kind;
    const field = item.question.field;
    const first = w === "matrix" || w === "wording" || w === "crime_types" || (field !== null && ESSENTIAL.includes(field));
    (first ? essential : more).push(item);
  }
  return { essential, more };
}

export function widgetOf(rulebook: Rulebook, q: Question): Widget {
  if (q.field === "alternatives") return { kind: "alternatives" };
  if (q.field === "crime_types" || (q.kind === "multiple_choice" && q.options_from === "crime_types")) {
    return { kind: "crime_types" };
  }
  switch (q.kind) {
    case "wording":
      return { kind: "wording" };
    case "scale": {
      const axis = scaleAxis(q) ?? "likelihood";
      return { kind: "axis", axis, options: axisOptions(rulebook, axis) };
    }
    case "multiple_choice":
      return { kind: "multi", options: optionsOf(rulebook, q) };
    case "single_choice": {
      const options = optionsOf(rulebook, q);
      return { kind: "single", options, select: q.field === "status" || options.length > 4 };
    }
    case "text":
    default:
      return { kind: "text", line: q.field === "responsible_body" };
  }
}

// ---- Reading and writing answers ------------------------------------------

/** The answer to a question as the widgets hold it: text, one value, or several. */
export type Answer = string | string[] | null;

/** The current answer of `q` in `f`, as a string (single choice, text) or string list (multiple choice). */
export function answerOf(f: FindingInput, q: Question): Answer {
  switch (q.field) {
    case null: {
      const v = f.answers[q.id];
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
      return q.kind === "multiple_choice" ? [] : q.kind === "single_choice" || q.kind === "scale" ? null : "";
    }
    case "unintended_consequence":
    case "exploitation":
    case "act_on_reason":
    case "proposed_wording":
    case "responsible_body":
      return f[q.field];
    case "actors":
    case "crime_types":
      return [...f[q.field]];
    case "likelihood":
    case "impact":
      return f[q.field] === null ? null : String(f[q.field]);
    case "confidence":
    case "measure_type":
    case "countermeasure_group":
      return f[q.field];
    case "status":
      return f.status;
    case "act_on":
      return f.act_on === null ? null : f.act_on ? "yes" : "no";
    case "alternatives":
      return null;
  }
}

/**
 * The patch that stores `value` as the answer to `q`, or null when the value
 * is not one the field can hold. A free question (no field) goes to
 * `answers[q.id]`, keeping the other answers.
 */
export function patchFor(f: FindingInput, q: Question, value: Answer): Partial<FindingInput> | null {
  switch (q.field) {
    case null: {
      const answers = { ...f.answers };
      if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) {
        delete answers[q.id];
      } else if (q.kind === "scale" && typeof value === "string") {
        answers[q.id] = Number(value);
      } else {
        answers[q.id] = value;
      }
      return { answers };
    }
    case "unintended_consequence":
    case "exploitation":
    case "act_on_reason":
    case "proposed_wording":
    case "responsible_body":
      return typeof value === "string" ? { [q.field]: value } : null;
    case "actors":
    case "crime_types":
      return Array.isArray(value) ? { [q.field]: value } : null;
    case "likelihood":
    case "impact": {
      if (value === null) return { [q.field]: null };
      const n = Number(value);
      return typeof value === "string" && Number.isInteger(n) ? { [q.field]: n } : null;
    }
    case "confidence":
      return value === null || (typeof value === "string" && (CONFIDENCES as readonly string[]).includes(value))
        ? { confidence: value as Confidence | null }
        : null;
    case "measure_type":
      return value === null || (typeof value === "string" && (MEASURES as readonly string[]).includes(value))
        ? { measure_type: value as MeasureType | null }
        : null;
    case "countermeasure_group":
      return value === null || typeof value === "string" ? { countermeasure_group: value } : null;
    case "status":
      return typeof value === "string" && (STATUSES as readonly string[]).includes(value)
        ? { status: value as FindingStatus }
        : null;
    case "act_on":
      return value === null ? { act_on: null } : value === "yes" ? { act_on: true } : value === "no" ? { act_on: false } : null;
    case "alternatives":
      return null;
  }
}

/** The pack's label of a status (its status question's option), if it has one. */
export function packStatusLabel(rulebook: Rulebook | null, status: FindingStatus, locale?: string): string | null {
  // A pack in another language than the interface's: the interface's own word.
  if (locale && rulebook?.pack.language && rulebook.pack.language !== locale) return null;
  const q = rulebook?.questions.find((x) => x.field === "status");
  const label = q?.options.find((o) => o.value === status)?.label;
  return label ? label : null;
}
