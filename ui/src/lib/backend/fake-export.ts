// The fake backend's model of which findings each export format includes.
// The rule itself lives in crates/kryphal-export (`included_findings`); the
// UI asks the core. This copy only lets the fake answer like it (memo: not
// rejected, the review document too; tracked changes: agreed with a proposed wording, one per clause,
// the one changed last; register and JSON: every finding).
import type { Finding } from "../bindings/Finding";
import type { ExportFormat } from "../../features/export/preview";

/** The memo formats report on every finding that is not rejected. */
const MEMO: readonly ExportFormat[] = ["memo-docx", "memo-pdf", "md", "html"];

/** The findings an export of `format` includes, in document order. */
export function fakeIncludedFindings(findings: readonly Finding[], format: ExportFormat): Finding[] {
  if (MEMO.includes(format) || format === "review-docx") return findings.filter((f) => f.status !== "rejected");
  if (format === "tracked-docx") {
    const latest = new Map<string, Finding>();
    for (const f of findings) {
      if (f.status !== "agreed" || f.proposed_wording.trim() === "") continue;
      const seen = latest.get(f.clause_id);
      if (!seen || f.updated_at > seen.updated_at) latest.set(f.clause_id, f);
    }
    const chosen = new Set(latest.values());
    return findings.filter((f) => chosen.has(f));
  }
  return [...findings];
}

