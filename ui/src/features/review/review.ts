// What a reviewed Word file says, put in words for the dialog: the closing
// note's counts with the numbers agreeing, and the outcome of each finding.
import type { ReviewCounts } from "../../lib/bindings/ReviewCounts";
import type { ReviewItem } from "../../lib/bindings/ReviewItem";
import { t, type MessageKey } from "../../lib/i18n/index.svelte";

/** `3 godtagna, 1 avvisad, 2 svar, 1 anteckning`: the non-zero counts, each in its own number. */
export function countsText(c: ReviewCounts): string {
  const parts: [number, MessageKey, MessageKey][] = [
    [c.accepted, "review.count.accepted.one", "review.count.accepted.other"],
    [c.rejected, "review.count.rejected.one", "review.count.rejected.other"],
    [c.edited, "review.count.edited.one", "review.count.edited.other"],
    [c.pending, "review.count.pending.one", "review.count.pending.other"],
    [c.replies, "review.count.replies.one", "review.count.replies.other"],
    [c.notes, "review.count.notes.one", "review.count.notes.other"],
    [c.skipped, "review.count.skipped.one", "review.count.skipped.other"],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, one, other]) => (n === 1 ? t(one) : t(other, { n })));
  return said.length === 0 ? t("review.count.nothing") : said.join(", ");
}

/** The outcome of one finding in words. */
export function outcomeText(item: ReviewItem): string {
  switch (item.outcome) {
    case "accepted":
    case "rejected":
    case "edited":
    case "pending":
    case "commented":
    case "not_found":
      return t(`review.outcome.${item.outcome}`);
    default:
      return item.outcome;
  }
}

/** Why an outcome is not stored, in words. */
export function skippedText(code: string): string {
  switch (code) {
    case "finding_deleted":
    case "changed_since_export":
    case "clause_changed":
    case "not_found":
    case "clause_not_found":
    case "ambiguous_reply":
      return t(`review.skipped.${code}`);
    default:
      return code;
  }
}
