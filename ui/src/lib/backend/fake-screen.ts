// The fake backend's stand-in for the core's screening engine: a handful of
// regular-expression rules run over every clause, with spans in UTF-8 bytes
// like the core's. Enough to show and test the suggestion flow.
import type { Clause } from "../bindings/Clause";
import type { Suggestion } from "../bindings/Suggestion";
import type { SuggestionState } from "../bindings/SuggestionState";

export interface FakeRule {
  id: string;
  category: string;
  /** A regular expression source, compiled with the flags `giu`. */
  pattern: string;
  /** `{match}` is replaced by the first matched words. */
  message: string;
  rationale: string;
  crime_types: string[];
  /** One sentence tied to the words; `{match}` is replaced. Defaults to the message. */
  why?: string;
  /** A starting consequence for the finding; `{match}` is replaced. Defaults to the rationale. */
  consequence?: string;
  /** Replaces the matched words in the clause for a starting proposed wording. */
  replace?: string;
  /** Added after the clause for a starting proposed wording. */
  append?: string;
}

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;

/** Every suggestion of the rules on the clauses; `decided` holds the states the analyst set, by suggestion id. */
export function fakeScreen(
  documentId: string,
  clauses: readonly Clause[],
  rules: readonly FakeRule[],
  decided: ReadonlyMap<string, SuggestionState>,
): Suggestion[] {
  const out: Suggestion[] = [];
  for (const clause of clauses) {
    for (const rule of rules) {
      const re = new RegExp(rule.pattern, "giu");
      const spans: { start: number; end: number }[] = [];
      let first = "";
      for (const m of clause.text.matchAll(re)) {
        if (m[0] === "") continue;
        const start = bytes(clause.text.slice(0, m.index));
        spans.push({ start, end: start + bytes(m[0]) });
        if (!first) first = m[0];
      }
      if (spans.length === 0) continue;
      const id = `s-${clause.id}-${rule.id}`;
      const fill = (t: string) => t.replace("{match}", first);
      let proposal = "";
      if (rule.replace !== undefined) {
        const at = clause.text.indexOf(first);
        proposal = clause.text.slice(0, at) + fill(rule.replace) + clause.text.slice(at + first.length);
      } else if (rule.append !== undefined) {
        proposal = `${clause.text.trimEnd()} ${fill(rule.append)}`;
      }
      out.push({
        id,
        document_id: documentId,
        clause_id: clause.id,
        rule_id: rule.id,
        category: rule.category,
        message: rule.message.replace("{match}", first),
        rationale: rule.rationale,
        crime_types: [...rule.crime_types],
        spans,
        state: decided.get(id) ?? { state: "open" },
        scope: "clause",
        why: fill(rule.why ?? rule.message),
        consequence: fill(rule.consequence ?? rule.rationale),
        proposal,
        also: [],
      });
    }
  }
  return out;
}
