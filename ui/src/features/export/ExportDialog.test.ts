// The export dialog through the whole UI against the fake backend.
import { flushSync } from "svelte";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { FakeBackend } from "../../lib/backend/fake";
import { sampleLibrary } from "../../lib/backend/sample";
import type { AppState } from "../../lib/state.svelte";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp;
let all: MountedApp["all"];
let one: MountedApp["one"];
let settle: MountedApp["settle"];
let backend: FakeBackend;
let app: AppState;

function type(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

beforeEach(async () => {
  m = await mountApp(sampleLibrary(), (b) => b.setExportSettings({ municipality: "Ekby kommun", committee: "", responsible_official: "" }));
  ({ all, one, settle, backend, app } = m);
});
afterEach(() => m.cleanup());

test("the dialog opens from the document header, prefilled, and lists what goes in", async () => {
  one("export-open").click();
  await settle();
  const dialog = one("export-dialog");
  expect(dialog.getAttribute("role")).toBe("dialog");
  expect((one("export-municipality") as HTMLInputElement).value).toBe("Ekby kommun");
  expect(all("export-format-memo-docx")[0]).toHaveProperty("checked", true);
  const findings = app.view?.findings ?? [];
  const notRejected = findings.filter((f) => f.status !== "rejected");
  expect(all("export-preview-item")).toHaveLength(notRejected.length);
  // Tracked changes: only agreed findings with a proposed wording.
  (one("export-format-tracked-docx") as HTMLInputElement).click();
  await settle();
  const agreed = findings.filter((f) => f.status === "agreed" && f.proposed_wording.trim() !== "");
  expect(all("export-preview-item")).toHaveLength(agreed.length);
  // The memo and tracked changes start public, and the public variant says what it leaves out.
  expect(one("export-variant-public")).toHaveProperty("checked", true);
  expect(one("export-public-note").textContent).toContain("kommentarer");
  (one("export-variant-internal") as HTMLInputElement).click();
  await settle();
  expect(all("export-public-note")).toHaveLength(0);
});

test("the variant is asked each time: the memo starts public, data exports internal, a chosen variant stays", async () => {
  one("export-open").click();
  await settle();
  expect(one("export-variant-public")).toHaveProperty("checked", true);
  (one("export-format-json") as HTMLInputElement).click();
  await settle();
  expect(one("export-variant-internal")).toHaveProperty("checked", true);
  (one("export-format-review-docx") as HTMLInputElement).click();
  await settle();
  expect(one("export-variant-public")).toHaveProperty("checked", true);
  // The user's own choice is kept when the format changes.
  (one("export-variant-internal") as HTMLInputElement).click();
  (one("export-format-memo-docx") as HTMLInputElement).click();
  await settle();
  expect(one("export-variant-internal")).toHaveProperty("checked", true);
  // Opened again: asked again, public first.
  one("export-dialog").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  await settle();
  one("export-open").click();
  await settle();
  expect(one("export-variant-public")).toHaveProperty("checked", true);
});

test("the memo's own fields: generated defaults shown, an edit saved for the document, the export sent public", async () => {
  one("export-open").click();
  await settle();
  const title = app.view!.document.meta.title;
  const decision = one("export-decision") as HTMLTextAreaElement;
  expect(decision.value).toContain(`revidera ${title}`);
  expect((one("export-subject") as HTMLInputElement).placeholder).toContain(title);
  type(one("export-case-dnr") as HTMLInputElement, "KS 2026/412");
  decision.value = "Nämnden beslutar att anta bilagan.";
  decision.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
  one("export-submit").click();
  await settle();
  const saved = backend.callsOf("set_memo_fields").at(-1)?.args as { fields: { case_dnr: string; decision_proposal: string; background: string } };
  expect(saved.fields.case_dnr).toBe("KS 2026/412");
  expect(saved.fields.decision_proposal).toBe("Nämnden beslutar att anta bilagan.");
  const view = await backend.memoFields(app.view!.document.id);
  expect(view.saved.case_dnr).toBe("KS 2026/412");
  // The untouched Ärendet text stays the generated one, not a saved copy.
  expect(view.saved.background).toBe("");
  expect(backend.exported.at(-1)?.choices).toEqual({ variant: "public", lang: "sv" });

  // Exporting again without an edit saves nothing new.
  const before = backend.callsOf("set_memo_fields").length;
  one("export-submit").click();
  await settle();
  expect(backend.callsOf("set_memo_fields")).toHaveLength(before);
});

test("after an export: Öppna and Visa i mappen ask the shell; the template used is named", async () => {
  backend.template = { path: "/mallar/ekby.dotx", name: "ekby.dotx", fields: ["dnr", "datum"], first_page_header: true, images: 1, problem: null };
  one("export-open").click();
  await settle();
  expect(one("export-template").dataset.state).toBe("fields");
  expect(one("export-template").textContent).toContain("ekby.dotx");
  expect(one("export-template").textContent).toContain("Dnr, datum");
  expect(all("export-open-file")).toHaveLength(0);
  one("export-submit").click();
  await settle();
  expect(one("export-template-note").textContent).toContain("Gjord med mallen ekby.dotx");
  one("export-open-file").click();
  await settle();
  one("export-show-folder").click();
  await settle();
  expect(backend.exportsOpened).toEqual(["file", "folder"]);
  expect(one("export-status").dataset.state).toBe("ok");
  // Formats that print no Word file name no template.
  (one("export-format-csv") as HTMLInputElement).click();
  await settle();
  expect(all("export-template")).toHaveLength(0);
  expect(all("export-memo")).toHaveLength(0);
});

test("a template without our fields is named as such", async () => {
  backend.template = { path: "/mallar/bar.dotx", name: "bar.dotx", fields: [], first_page_header: false, images: 0, problem: null };
  one("export-open").click();
  await settle();
  expect(one("export-template").dataset.state).toBe("bare");
  expect(one("export-template").textContent).toContain("inga kryphal-fält");
  one("export-submit").click();
  await settle();
  expect(one("export-template-note").textContent).toContain("saknar kryphal-fält");
});

test("exporting saves the header, sends the choices and names the file; Escape closes", async () => {
  one("export-open").click();
  await settle();
  type(one("export-committee") as HTMLInputElement, "  Vård- och omsorgsnämnden ");
  (one("export-format-json") as HTMLInputElement).click();
  (one("export-lang-en") as HTMLInputElement).click();
  await settle();
  one("export-submit").click();
  await settle();
  expect(backend.callsOf("set_export_settings")).toHaveLength(2);
  expect((await backend.exportSettings()).committee).toBe("Vård- och omsorgsnämnden");
  const [written] = backend.exported;
  expect(written?.format).toBe("json");
  expect(written?.choices).toEqual({ variant: "internal", lang: "en" });
  const status = one("export-status");
  expect(status.dataset.state).toBe("ok");
  expect(status.textContent).toContain(written?.fileName ?? "?");

  // Unchanged header: not saved again.
  one("export-submit").click();
  await settle();
  expect(backend.callsOf("set_export_settings")).toHaveLength(2);

  one("export-dialog").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  await settle();
  expect(all("export-dialog")).toHaveLength(0);
});

test("a failed export shows the error and keeps the dialog open", async () => {
  one("export-open").click();
  await settle();
  backend.failNext("export_document", { code: "io", message: "Cannot write." });
  one("export-submit").click();
  await settle();
  expect(one("export-status").dataset.state).toBe("error");
  expect(one("export-status").textContent).toContain("kunde inte läsas eller skrivas");
  expect(all("export-dialog")).toHaveLength(1);
});
