// The sentences of the import summary.
import type { BackendError } from "../../lib/backend/backend";
import { errorText } from "../../lib/errors";
import { t } from "../../lib/i18n/index.svelte";

/** Why a file was not imported, as a sentence fragment for "Lästes inte in: …". */
export function importErrorText(fileName: string, error: BackendError): string {
  if (error.code === "duplicate") return t("import.duplicate");
  if (error.code === "invalid_input") return t("import.tooLarge");
  if (error.code === "unsupported_format" && /\.doc$/i.test(fileName)) return t("import.legacyDoc");
  return errorText(error);
}

/** "Hittade 3 avsnitt och 24 klausuler." */
export function foundText(sections: number, clauses: number): string {
  return t("import.found", {
    sections: sections === 1 ? t("import.sections.one") : t("import.sections.other", { n: sections }),
    clauses: clauses === 1 ? t("import.clauses.one") : t("import.clauses.other", { n: clauses }),
  });
}
