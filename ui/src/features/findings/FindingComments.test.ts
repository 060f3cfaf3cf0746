// Comments on a finding, through the whole UI against the fake backend.
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

function type(el: HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

beforeEach(async () => {
  m = await mountApp(sampleLibrary());
  ({ all, one, settle, backend, app } = m);
  await app.selectClause("c-2-1-2");
  await settle();
});
afterEach(() => m.cleanup());

test("adding a comment shows it with its author; unsaved edits are saved first and kept", async () => {
  const section = one("finding-comments");
  expect(section.textContent).toContain("Kommentarer");
  expect(all("comment-item")).toHaveLength(0);
  const findingId = app.selectedFindingId as string;

  // An edit still waiting for the autosave.
  type(one("finding-consequence") as HTMLTextAreaElement, "Ny beskrivning <b>ej fet</b>");
  const input = one("comment-input") as HTMLTextAreaElement;
  const add = one("comment-add") as HTMLButtonElement;
  expect(add.disabled).toBe(true);
  type(input, "Kolla med juristen <i>först</i>");
  expect(add.disabled).toBe(false);
  add.click();
  await settle();

  const commands = backend.calls.map((c) => c.command);
  expect(commands.lastIndexOf("update_finding")).toBeLessThan(commands.lastIndexOf("add_comment"));
  expect(backend.callsOf("add_comment")[0]?.args).toEqual({ findingId, text: "Kolla med juristen <i>först</i>" });
  const items = all("comment-item");
  expect(items).toHaveLength(1);
  expect(items[0]?.textContent).toContain("demo");
  // Plain text, never markup.
  expect(items[0]?.textContent).toContain("Kolla med juristen <i>först</i>");
  expect(items[0]?.querySelector("i")).toBeNull();
  expect(items[0]?.querySelector("time")?.textContent).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  expect(input.value).toBe("");
  expect((one("finding-consequence") as HTMLTextAreaElement).value).toBe("Ny beskrivning <b>ej fet</b>");
  expect(app.selectedFinding?.unintended_consequence).toBe("Ny beskrivning <b>ej fet</b>");

  // Ctrl+Enter adds too.
  type(input, "Andra");
  input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
  await settle();
  expect(all("comment-item").map((i) => i.querySelector(".text")?.textContent)).toEqual([
    "Kolla med juristen <i>först</i>",
    "Andra",
  ]);
});

test("an empty or blank comment is not sent", async () => {
  const input = one("comment-input") as HTMLTextAreaElement;
  const add = one("comment-add") as HTMLButtonElement;
  type(input, "   \n ");
  expect(add.disabled).toBe(true);
  add.click();
  input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
  await settle();
  expect(await app.addComment(app.selectedFindingId as string, "  ")).toEqual({ code: "invalid_input", message: "" });
  expect(backend.callsOf("add_comment")).toHaveLength(0);
  expect(all("comment-item")).toHaveLength(0);
});

test("the fake backend refuses blank text like the core", async () => {
  await expect(backend.addComment(app.selectedFindingId as string, " ")).rejects.toMatchObject({ code: "invalid_input" });
});
