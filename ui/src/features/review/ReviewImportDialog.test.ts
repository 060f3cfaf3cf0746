// Reading a reviewed Word file back, through the whole UI against the fake
// backend: the preview first, nothing stored until "Spara i biblioteket",
// then the findings, decisions and notes in the document.
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import type { FakeBackend } from "../../lib/backend/fake";
import { sampleLibrary } from "../../lib/backend/sample";
import type { Finding } from "../../lib/bindings/Finding";
import type { ReviewPreview } from "../../lib/bindings/ReviewPreview";
import { emptyFindingInput } from "../../lib/finding";
import { i18n } from "../../lib/i18n/index.svelte";
import type { AppState } from "../../lib/state.svelte";
import { mountApp, type MountedApp } from "../../test/mountApp";
import { countsText } from "./review";

let m: MountedApp;
let all: MountedApp["all"];
let one: MountedApp["one"];
let settle: MountedApp["settle"];
let backend: FakeBackend;
let app: AppState;

beforeEach(async () => {
  // The sample's document with its finding, and a second one on another clause.
  m = await mountApp(sampleLibrary(), (b) =>
    b.addFinding("c-2-1-1", { ...emptyFindingInput(), unintended_consequence: "Andra fyndet.", proposed_wording: "Ny lydelse." }),
  );
  ({ all, one, settle, backend, app } = m);
});
afterEach(() => m.cleanup());

const zero = { accepted: 0, rejected: 0, edited: 0, pending: 0, commented: 0, not_found: 0, replies: 0, notes: 0, skipped: 0, changed: 0 };

/** A review of the open document: the first finding accepted with a reply, the second skipped, a note on its clause. */
function reviewOf(findings: Finding[]): ReviewPreview {
  const [a, b] = findings;
  if (!a || !b) throw new Error("the sample needs two findings");
  return {
    document_id: app.view!.document.id,
    title: app.view!.document.meta.title,
    file_name: "",
    file_sha256: "ab".repeat(32),
    reviewed_by: "Lena Ek",
    reviewed_at: "2026-12-05T10:00:00Z",
    items: [
      {
        finding_id: a.id,
        clause_id: a.clause_id,
        clause_label: "Punkt 1",
        outcome: "accepted",
        status_before: a.status,
        status_after: "agreed",
        proposal_before: a.proposed_wording,
        proposal_after: a.proposed_wording,
        decided_by: "Lena Ek",
        replies: [{ author: "Lena Ek", at: "2026-12-05T09:00:00Z", text: "Vi godtar lydelsen." }],
        skipped: null,
        unchanged: false,
      },
      {
        finding_id: b.id,
        clause_id: b.clause_id,
        clause_label: "Punkt 2",
        outcome: "rejected",
        status_before: b.status,
        status_after: b.status,
        proposal_before: b.proposed_wording,
        proposal_after: b.proposed_wording,
        decided_by: "Lena Ek",
        replies: [],
        skipped: "changed_since_export",
        unchanged: false,
      },
    ],
    notes: [{ clause_id: a.clause_id, clause_label: "Punkt 1", author: "Per Jurist", at: "2026-12-05T11:00:00Z", text: "Se även 4 §.", context: "", duplicate: false }],
    problems: [],
    counts: { ...zero, accepted: 1, replies: 1, notes: 1, skipped: 1, changed: 1 },
    will_change: true,
    stored: false,
  };
}

function choose(name: string) {
  const input = one("review-file") as HTMLInputElement;
  const files = [new File(["PK-not-really"], name)];
  Object.defineProperty(input, "files", { configurable: true, get: () => files });
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

test("the counts agree in number and leave out what is zero", () => {
  i18n.set("sv");
  expect(countsText({ ...zero, accepted: 1, rejected: 2, replies: 3 })).toBe("1 godtagen, 2 avvisade, 3 svar");
  expect(countsText({ ...zero, notes: 1, skipped: 2 })).toBe("1 anteckning, 2 inte inlästa");
  expect(countsText(zero)).toBe("inga ändringar");
  i18n.set("en");
  expect(countsText({ ...zero, accepted: 1, rejected: 2 })).not.toBe(countsText({ ...zero, accepted: 2, rejected: 1 }));
  i18n.set("sv");
});

test("a reviewed file is shown first; nothing is stored until Spara, then the document shows what came back", async () => {
  const findings = app.view!.findings.filter((f) => f.status !== "rejected");
  const first = findings[0]!;
  backend.nextReview = reviewOf(findings);
  one("review-open").click();
  await settle();
  expect(one("review-dialog").getAttribute("role")).toBe("dialog");
  expect(one("review-save")).toHaveProperty("disabled", true);
  choose("granskad.docx");
  await settle();
  await vi.waitFor(() => expect(all("review-preview")).toHaveLength(1));
  expect(backend.callsOf("preview_review")).toHaveLength(1);
  expect(backend.callsOf("import_review")).toHaveLength(0);
  expect(one("review-summary").textContent).toBe("1 godtagen, 1 svar, 1 anteckning, 1 inte inläst");
  const items = all("review-item");
  expect(items.map((i) => i.dataset.outcome)).toEqual(["accepted", "rejected"]);
  expect(items[1]!.dataset.skipped).toBe("changed_since_export");
  expect(items[1]!.textContent).toContain("har ändrats i Kryphål sedan exporten");
  expect(one("review-reply").textContent).toContain("Vi godtar lydelsen.");
  expect(one("review-note").textContent).toContain("Se även 4 §.");
  expect(one("review-status").dataset.state).toBe("preview");
  expect(one("review-status").textContent).toContain("Inget är sparat ännu");
  expect(backend.storedReviewDecisions).toHaveLength(0);

  one("review-save").click();
  await settle();
  expect(backend.callsOf("import_review")).toHaveLength(1);
  expect(one("review-status").dataset.state).toBe("stored");
  expect(one("review-status").textContent).toContain("Sparat i biblioteket");
  one("review-cancel").click();
  await settle();
  expect(all("review-dialog")).toHaveLength(0);

  // The document was reloaded: the reply is the finding's comment, the decision and note show under the clause.
  const after = app.view!.findings.find((f) => f.id === first.id)!;
  expect(after.status).toBe("agreed");
  expect(after.comments.map((c) => c.text)).toContain("Vi godtar lydelsen.");
  await app.selectClause(first.clause_id);
  await settle();
  expect(one("review-decision").dataset.outcome).toBe("accepted");
  expect(one("clause-note").textContent).toContain("Se även 4 §.");
  // The skipped finding kept its status.
  const skipped = app.view!.findings.find((f) => f.id === findings[1]!.id)!;
  expect(skipped.status).toBe(findings[1]!.status);
});

test("a file that is not a review document is refused with a sentence; nothing can be stored", async () => {
  backend.nextReview = null;
  one("review-open").click();
  await settle();
  choose("något annat.docx");
  await settle();
  await vi.waitFor(() => expect(one("review-status").dataset.state).toBe("error"));
  expect(one("review-status").textContent).toContain("kunde inte läsas in");
  expect(all("review-preview")).toHaveLength(0);
  expect(one("review-save")).toHaveProperty("disabled", true);
  expect(backend.callsOf("import_review")).toHaveLength(0);
});

test("a file with nothing new says so and offers no save", async () => {
  const review = reviewOf(app.view!.findings);
  backend.nextReview = { ...review, items: [], notes: [], counts: zero, will_change: false };
  one("review-open").click();
  await settle();
  choose("samma.docx");
  await settle();
  await vi.waitFor(() => expect(all("review-preview")).toHaveLength(1));
  expect(one("review-status").textContent).toContain("inget nytt");
  expect(one("review-save")).toHaveProperty("disabled", true);
});
