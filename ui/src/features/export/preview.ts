// The export dialog's preview: the findings an export includes (the core
// says which, `Backend.exportPreview`) grouped by risk level, and what the
// public variant leaves out.
import type { Finding } from "../../lib/bindings/Finding";
import type { Level } from "../../lib/bindings/Level";
import type { Rulebook } from "../../lib/bindings/Rulebook";
import { t } from "../../lib/i18n/index.svelte";
import { findingLevel } from "../../lib/risk";

/** The export formats, by the names the core takes, in menu order. */
export const EXPORT_FORMATS = ["memo-docx", "memo-pdf", "tracked-docx", "review-docx", "xlsx", "csv", "md", "html", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportVariant = "internal" | "public";

export interface PreviewGroup {
  /** The risk level, or null for findings not yet rated. */
  level: Level | null;
  findings: Finding[];
}

/** Findings grouped by risk level, the highest first; unrated findings last. Order within a group is kept. */
export function groupByLevel(rulebook: Rulebook, findings: readonly Finding[]): PreviewGroup[] {
  const levels = rulebook.scale.levels;
  const groups: PreviewGroup[] = [...levels].reverse().map((level) => ({ level, findings: [] }));
  const unrated: PreviewGroup = { level: null, findings: [] };
  for (const f of findings) {
    const level = findingLevel(rulebook, f);
    const group = level ? groups.find((g) => g.level?.id === level.id) : undefined;
    (group ?? unrated).findings.push(f);
  }
  return [...groups, unrated].filter((g) => g.findings.length > 0);
}

/** The labels of the rulebook's questions the public variant leaves out (besides comments). */
export function publicOmissions(rulebook: Rulebook): string[] {
  return rulebook.questions.filter((q) => q.sensitive).map((q) => q.label);
}

/** How many comments the public variant leaves out of these findings. */
export function commentCount(findings: readonly Finding[]): number {
  return findings.reduce((n, f) => n + f.comments.length, 0);
}

/** The formats that print the memo (a tjänsteskrivelse): they take its own fields. */
export const MEMO_FORMATS: readonly ExportFormat[] = ["memo-docx", "memo-pdf", "md", "html"];

/** The Word formats that use the municipality's template. */
export const TEMPLATE_FORMATS: readonly ExportFormat[] = ["memo-docx", "review-docx"];

/**
 * The variant offered first for a format: what goes to a nämnd or out to the verksamhet (the memo,
 * the review document) is public unless the user says otherwise; the data exports are internal.
 */
export function preselectedVariant(format: ExportFormat): ExportVariant {
  return MEMO_FORMATS.includes(format) || format === "review-docx" || format === "tracked-docx" ? "public" : "internal";
}

/** The catalogue keys of a template's fields, for naming them (`dnr` → "Dnr"). */
export function templateFieldNames(fields: readonly string[]): string[] {
  return fields.map((f) => {
    switch (f) {
      case "dnr":
      case "datum":
      case "namnd":
      case "handlaggare":
      case "arende":
      case "kommun":
        return t(`export.template.field.${f}`);
      default:
        return f;
    }
  });
}
