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
  // The public variant says what it leaves out.
  expect(all("export-public-note")).toHaveLength(0);
  (one("export-variant-public") as HTMLInputElement).click();
  await settle();
  expect(one("export-public-note").textContent).toContain("kommentarer");
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
