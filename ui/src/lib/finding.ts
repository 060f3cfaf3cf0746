// Helpers for the editable part of a finding. The payload sent to
// add_finding/update_finding must carry only FindingInput keys: the core
// rejects unknown keys.
import type { Finding } from "./bindings/Finding";
import type { FindingInput } from "./bindings/FindingInput";
import type { FindingStatus } from "./bindings/FindingStatus";

export const STATUSES: readonly FindingStatus[] = ["draft", "reviewed", "agreed", "rejected"];

export function emptyFindingInput(): FindingInput {
  return {
    unintended_consequence: "",
    exploitation: "",
    actors: [],
    crime_types: [],
    likelihood: null,
    impact: null,
    confidence: null,
    act_on: null,
    act_on_reason: "",
    alternatives: [],
    proposed_wording: "",
    measure_type: null,
    countermeasure_group: null,
    responsible_body: "",
    status: "draft",
    answers: {},
  };
}

/** The FindingInput part of a finding (a copy, nothing else). */
export function inputOf(f: FindingInput): FindingInput {
  return {
    unintended_consequence: f.unintended_consequence,
    exploitation: f.exploitation,
    actors: [...f.actors],
    crime_types: [...f.crime_types],
    likelihood: f.likelihood,
    impact: f.impact,
    confidence: f.confidence,
    act_on: f.act_on,
    act_on_reason: f.act_on_reason,
    alternatives: f.alternatives.map((a) => ({ ...a })),
    proposed_wording: f.proposed_wording,
    measure_type: f.measure_type,
    countermeasure_group: f.countermeasure_group,
    responsible_body: f.responsible_body,
    status: f.status,
    answers: { ...f.answers },
  };
}

/** A one-line title for a finding in a list. */
export function findingTitle(f: Finding): string {
  const text = f.unintended_consequence.trim() || f.proposed_wording.trim();
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}
