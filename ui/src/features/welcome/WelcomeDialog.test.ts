// The first start asks for the display name once; skipping is remembered too.
import { flushSync } from "svelte";
import { afterEach, expect, test } from "vitest";
import { i18n } from "../../lib/i18n/index.svelte";
import { mountApp, type MountedApp } from "../../test/mountApp";

let mounted: MountedApp | null = null;
afterEach(() => {
  mounted?.cleanup();
  mounted = null;
});

const firstStart = (b: { setPreferences: (p: { user_name: string; language: string; name_asked: boolean }) => Promise<unknown> }) =>
  b.setPreferences({ user_name: "", language: "", name_asked: false });

const text = (el: Element | undefined) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();

test("the first start asks for the name; the name given is what the history shows", async () => {
  mounted = await mountApp(undefined, firstStart);
  const { one, all, app, backend, settle } = mounted;
  const dialog = one("welcome-dialog");
  expect(text(dialog)).toContain("Välkommen till Kryphål");
  expect(text(dialog)).toContain("Anna Berg");
  expect(document.activeElement).toBe(one("welcome-name"));
  expect((one("welcome-save") as HTMLButtonElement).disabled).toBe(true);
  const name = one("welcome-name") as HTMLInputElement;
  name.value = "  Anna Berg ";
  name.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
  one("welcome-save").click();
  await settle();
  expect(all("welcome-dialog")).toHaveLength(0);
  expect(backend.callsOf("set_preferences").at(-1)?.args).toEqual({
    prefs: { user_name: "Anna Berg", language: "", name_asked: true },
  });
  expect(app.appInfo?.user).toBe("Anna Berg");
  expect(app.askName).toBe(false);
});

test("skipping keeps the account name and is not asked again; the dialog speaks English too", async () => {
  mounted = await mountApp(undefined, firstStart);
  i18n.set("en");
  await mounted.settle();
  expect(text(mounted.one("welcome-dialog"))).toContain("Welcome to Kryphål");
  expect(text(mounted.one("welcome-skip"))).toBe("Skip");
  mounted.one("welcome-skip").click();
  await mounted.settle();
  expect(mounted.all("welcome-dialog")).toHaveLength(0);
  expect(mounted.backend.callsOf("set_preferences").at(-1)?.args).toEqual({
    prefs: { user_name: "", language: "", name_asked: true },
  });
  // The next start does not ask.
  const backend = mounted.backend;
  mounted.cleanup();
  mounted = await mountApp(undefined, async (b) => b.setPreferences((await backend.preferences())));
  expect(mounted.all("welcome-dialog")).toHaveLength(0);
});
