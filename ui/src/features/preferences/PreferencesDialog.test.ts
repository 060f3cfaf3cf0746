// Inställningar: the municipality's Word template is chosen in the shell's
// open dialog, named with the fields it fills, and can be let go again.
import { afterEach, beforeEach, expect, test } from "vitest";
import type { FakeBackend } from "../../lib/backend/fake";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp;
let all: MountedApp["all"];
let one: MountedApp["one"];
let settle: MountedApp["settle"];
let backend: FakeBackend;

beforeEach(async () => {
  m = await mountApp();
  ({ all, one, settle, backend } = m);
});
afterEach(() => m.cleanup());

test("a template is chosen, named with its fields, and let go again", async () => {
  one("open-preferences").click();
  await settle();
  expect(one("pref-template-status").dataset.state).toBe("none");
  expect(all("pref-template-clear")).toHaveLength(0);

  // Cancelled in the open dialog: nothing changes.
  backend.nextTemplate = null;
  one("pref-template-choose").click();
  await settle();
  expect(one("pref-template-status").dataset.state).toBe("none");

  backend.nextTemplate = { path: "/mallar/ekby.dotx", name: "ekby.dotx", fields: ["dnr", "namnd", "handlaggare"], first_page_header: true, images: 1, problem: null };
  one("pref-template-choose").click();
  await settle();
  expect(one("pref-template-status").dataset.state).toBe("set");
  expect(one("pref-template-status").textContent).toContain("ekby.dotx");
  expect(one("pref-template-status").textContent).toContain("Dnr, nämnd, handläggare");
  expect((await backend.exportTemplate())?.name).toBe("ekby.dotx");

  one("pref-template-clear").click();
  await settle();
  expect(one("pref-template-status").dataset.state).toBe("none");
  expect(all("pref-template-error")).toHaveLength(0);
  expect(await backend.exportTemplate()).toBeNull();
});

test("a template that cannot be read is refused with the reason", async () => {
  one("open-preferences").click();
  await settle();
  backend.failNext("choose_export_template", { code: "invalid_input", message: "ekby.dotx is not a Word template." });
  one("pref-template-choose").click();
  await settle();
  expect(one("pref-template-error").textContent).toContain("Mallen kunde inte väljas");
  expect(one("pref-template-status").dataset.state).toBe("none");
});
