// An encrypted library through the whole UI against the fake backend: the
// unlock screen first, a wrong passphrase refused in a live region, the
// right one opens the library; the passphrase is kept nowhere afterwards.
import { afterEach, expect, test } from "vitest";
import { sampleLibrary } from "../../lib/backend/sample";
import { i18n } from "../../lib/i18n/index.svelte";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp | null = null;
afterEach(() => m?.cleanup());

const SECRET = "Blåbärssoppa 2026";

function type(input: HTMLElement, text: string) {
  const field = input as HTMLInputElement;
  field.value = text;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

test("a locked library starts on the unlock screen, refuses a wrong passphrase and opens with the right one", async () => {
  m = await mountApp(sampleLibrary(), async (b) => b.lockWith(SECRET));
  const { one, all, settle, backend, target } = m;
  expect(all("doc-list")).toHaveLength(0);
  expect(all("fatal-error")).toHaveLength(0);
  const field = one("unlock-passphrase") as HTMLInputElement;
  expect(field.type).toBe("password");
  const label = target.querySelector(`label[for="${field.id}"]`);
  expect(label?.textContent).toBe("Lösenfras");
  expect(one("unlock-error").getAttribute("role")).toBe("alert");
  expect(document.activeElement).toBe(field);

  // Nothing typed: a hint, and nothing sent.
  one("unlock-submit").click();
  await settle();
  expect(one("unlock-error").textContent).toBe("Skriv lösenfrasen först.");
  expect(backend.callsOf("unlock_library")).toHaveLength(0);

  type(field, "blåbärssoppa 2026");
  one("unlock-submit").click();
  await settle();
  expect(one("unlock-error").textContent).toBe(
    "Lösenfrasen stämmer inte. Kontrollera stora och små bokstäver och försök igen.",
  );
  expect(field.getAttribute("aria-invalid")).toBe("true");
  expect(field.value).toBe("");
  expect(document.activeElement).toBe(field);
  expect(all("doc-list")).toHaveLength(0);

  type(one("unlock-passphrase"), SECRET);
  one("unlock-submit").click();
  await settle();
  expect(all("unlock-screen")).toHaveLength(0);
  expect(one("doc-list")).toBeTruthy();
  // The passphrase is in no field, no attribute, no recorded call.
  expect(target.innerHTML).not.toContain(SECRET);
  expect(JSON.stringify(backend.calls)).not.toContain(SECRET);
  expect(JSON.stringify(m.app.appInfo)).not.toContain(SECRET);
});

test("the unlock screen speaks English too", async () => {
  m = await mountApp(sampleLibrary(), async (b) => b.lockWith(SECRET));
  i18n.set("en");
  await m.settle();
  expect(m.one("unlock-screen").textContent).toContain("The library is encrypted");
  expect(m.target.querySelector("label")?.textContent).toBe("Passphrase");
  i18n.set("sv");
});

test("an encrypted bundle is exported after the passphrase is typed twice, and imported with it", async () => {
  const library = sampleLibrary();
  m = await mountApp(library, async (b) => {
    b.nextBundle = {
      origin: { author: "bertil", signed_by: null, created: "2026-11-24T04:00:00Z", file: "bertil.kryphal", app_version: "0.1.0" },
      documents: [],
      conflicts: 0,
      record_conflicts: 0,
      warnings: [],
    };
    b.nextBundlePassphrase = SECRET;
  });
  const { one, all, settle, backend } = m;
  one("exchange-menu").click();
  await settle();
  one("exchange-export-encrypted").click();
  await settle();
  type(one("passphrase-first"), SECRET);
  type(one("passphrase-again"), "något annat");
  one("passphrase-submit").click();
  await settle();
  expect(one("passphrase-error").textContent).toBe("Lösenfraserna är olika. Skriv den andra igen.");
  expect(backend.callsOf("export_bundle")).toHaveLength(0);
  type(one("passphrase-first"), SECRET);
  type(one("passphrase-again"), SECRET);
  one("passphrase-submit").click();
  await settle();
  expect(backend.callsOf("export_bundle")[0]?.args).toMatchObject({ encrypted: true });
  expect(one("exchange-result").textContent).toContain("Det krypterade paketet");
  one("exchange-result-close").click();
  await settle();

  one("exchange-menu").click();
  await settle();
  one("exchange-import").click();
  await settle();
  expect(one("passphrase-dialog")).toBeTruthy();
  type(one("passphrase-first"), "fel");
  one("passphrase-submit").click();
  await settle();
  expect(one("passphrase-error").textContent).toContain("Lösenfrasen stämmer inte");
  type(one("passphrase-first"), SECRET);
  one("passphrase-submit").click();
  await settle();
  expect(all("passphrase-dialog")).toHaveLength(0);
  expect(one("exchange-result").textContent).toContain("Från bertil");
  expect(JSON.stringify(backend.calls)).not.toContain(SECRET);
});
