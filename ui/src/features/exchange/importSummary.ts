// The lines that tell what a bundle import did, for the exchange menu and for
// a bundle the app was opened with: one wording, one place.
import type { BundleImportReport } from "../../lib/bindings/BundleImportReport";
import { formatTime } from "../../lib/history";
import { t } from "../../lib/i18n/index.svelte";

export function bundleImportLines(r: BundleImportReport): string[] {
  const lines = [t("exchange.importedFrom", { author: r.origin.author, created: formatTime(r.origin.created), file: r.origin.file })];
  // Who made it, as far as it can be told: a checked signature, or nothing.
  lines.push(
    r.origin.signed_by
      ? t("exchange.signedBy", { fingerprint: r.origin.signed_by })
      : t("exchange.unsigned", { author: r.origin.author }),
  );
  for (const d of r.documents) {
    lines.push(
      t("exchange.importedDocument", {
        title: d.title,
        state: t(d.new_document ? "exchange.stateNew" : "exchange.stateMerged"),
        added: d.findings_added,
        updated: d.findings_updated,
        comments: d.comments_added,
        conflicts: d.conflicts,
      }),
    );
  }
  if (r.conflicts > 0) lines.push(t("exchange.importedConflicts", { count: r.conflicts }));
  if (r.record_conflicts > 0) lines.push(t("exchange.importedRecordConflicts", { count: r.record_conflicts }));
  lines.push(...r.warnings);
  return lines;
}
