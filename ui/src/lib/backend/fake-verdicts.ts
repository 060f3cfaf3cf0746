// The fake backend's verdicts and coverage: the same rules as the core's
// (crates/kryphal-app/src/verdicts.rs). A clause with findings is a risk
// (who wrote its first finding, and when); else its verdict set by hand;
// else none. Coverage is complete when every clause has a verdict and no
// suggestion is open; a final mark holds only while it is complete.
import type { ClauseVerdict } from "../bindings/ClauseVerdict";
import type { Coverage } from "../bindings/Coverage";
import type { FinalMark } from "../bindings/FinalMark";
import type { Finding } from "../bindings/Finding";
import type { Outline } from "../bindings/Outline";
import type { Suggestion } from "../bindings/Suggestion";
import type { Verdict } from "../bindings/Verdict";

export interface FakeVerdict {
  clause_id: string;
  verdict: Verdict;
  by: string;
  at: string;
}

export function clauseVerdicts(outline: Outline, findings: readonly Finding[], stored: readonly FakeVerdict[]): ClauseVerdict[] {
  const first = new Map<string, Finding>();
  for (const f of findings) {
    const had = first.get(f.clause_id);
    if (!had || f.created_at < had.created_at) first.set(f.clause_id, f);
  }
  const byHand = new Map(stored.map((v) => [v.clause_id, v]));
  return [...outline.clauses]
    .sort((a, b) => a.position - b.position)
    .map((c) => {
      const f = first.get(c.id);
      if (f) return { clause_id: c.id, verdict: "risk", by: f.created_by, at: f.created_at };
      const v = byHand.get(c.id);
      if (v) return { clause_id: c.id, verdict: v.verdict, by: v.by, at: v.at };
      return { clause_id: c.id, verdict: "none", by: null, at: null };
    });
}

export function coverageOf(
  documentId: string,
  verdicts: readonly ClauseVerdict[],
  suggestions: readonly Suggestion[],
  finalMark: FinalMark | null,
): Coverage {
  const count = (k: ClauseVerdict["verdict"]) => verdicts.filter((v) => v.verdict === k).length;
  const names = new Map<string, number>();
  for (const v of verdicts) if (v.by != null) names.set(v.by, (names.get(v.by) ?? 0) + 1);
  const by = [...names]
    .map(([name, n]) => ({ name, count: n }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const open = suggestions.filter((s) => s.state.state === "open").length;
  const none = count("none");
  return {
    document_id: documentId,
    clauses: verdicts.length,
    risk: count("risk"),
    checked: count("checked"),
    not_a_rule: count("not_a_rule"),
    not_assessed: count("not_assessed"),
    none,
    open_suggestions: open,
    by,
    complete: none === 0 && open === 0,
    final_mark: finalMark,
  };
}
