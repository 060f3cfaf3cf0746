// "Rätta strukturen" in the whole UI against the fake backend: the menu on
// the selected clause (keyboard, labels, the three forms), the menu on a
// heading in the outline, the refusal for a clause with findings, Ctrl+Z,
// and the English strings.
import { afterEach, beforeEach, expect, test } from "vitest";
import { i18n } from "../../lib/i18n/index.svelte";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp;
let all: MountedApp["all"];
let one: MountedApp["one"];
let settle: MountedApp["settle"];

beforeEach(async () => {
  m = await mountApp();
  ({ all, one, settle } = m);
});
afterEach(() => m.cleanup());

const key = (el: Element, k: string, init: KeyboardEventInit = {}) =>
  el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init }));

async function select(clauseId: string) {
  all("clause-item")
    .find((c) => c.dataset.clauseId === clauseId)
    ?.click();
  await settle();
}

async function openMenu() {
  one("structure-menu").click();
  await settle();
}

const headings = () => all("section-heading").map((h) => h.textContent?.replace(/\s+/g, " ").trim());

test("the menu is a labelled menu button that the arrow keys go through and Escape closes", async () => {
  await select("c-2-1-3");
  const button = one("structure-menu");
  expect(button.textContent).toContain("Rätta strukturen");
  expect(button.getAttribute("aria-haspopup")).toBe("menu");
  expect(button.getAttribute("aria-expanded")).toBe("false");
  expect(document.getElementById(button.getAttribute("aria-describedby") ?? "")?.textContent).toContain(
    "görs om när en ny version läses in",
  );

  await openMenu();
  expect(button.getAttribute("aria-expanded")).toBe("true");
  const menu = one("structure-items");
  expect(menu.getAttribute("role")).toBe("menu");
  expect(menu.getAttribute("aria-label")).toBe("Rätta strukturen");
  const items = [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  // The three clause corrections, then the headings above the clause, the nearest first.
  expect(items.map((i) => i.textContent?.trim())).toEqual([
    "Gör till rubrik…",
    "Flytta till avsnitt…",
    "Ändra nummer…",
    "Gör rubriken ”2.1 Ekonomi och ledning” till stycke",
    "Gör rubriken ”2. Krav på utföraren” till stycke",
  ]);
  expect(document.activeElement).toBe(items[0]);
  key(document.activeElement as Element, "ArrowDown");
  expect(document.activeElement).toBe(items[1]);
  key(document.activeElement as Element, "ArrowUp");
  key(document.activeElement as Element, "ArrowUp");
  expect(document.activeElement).toBe(items[4]);
  key(document.activeElement as Element, "Home");
  expect(document.activeElement).toBe(items[0]);
  // The arrow keys stay in the menu: the selected clause does not change.
  expect(one("clause-label").textContent).toBe("Ekonomi och ledning › p. 3");

  key(document.activeElement as Element, "Escape");
  await settle();
  expect(all("structure-items")).toHaveLength(0);
  expect(document.activeElement).toBe(button);
  expect(button.getAttribute("aria-expanded")).toBe("false");
});

test("Gör till rubrik… offers the levels the place allows, makes the heading and Ctrl+Z takes it back", async () => {
  await select("c-3-3");
  await openMenu();
  one("structure-promote").click();
  await settle();
  const level = one("structure-level") as HTMLSelectElement;
  expect(document.activeElement).toBe(level);
  expect([...level.options].map((o) => o.textContent)).toEqual(["Nivå 1 (huvudrubrik)", "Nivå 2"]);
  expect(level.value).toBe("2");
  expect(document.querySelector(`label[for="${level.id}"]`)?.textContent).toBe("Rubriknivå");

  one("structure-ok").click();
  await settle();
  expect(m.backend.callsOf("promote_clause").map((c) => c.args)).toEqual([{ clauseId: "c-3-3", level: 2 }]);
  expect(headings()).toContain(
    "3.3 Bedöms det som osannolikt att bristerna rättas till inom skälig tid får nämnden återkalla auktorisationen.",
  );
  expect(all("clause-item").some((c) => c.dataset.clauseId === "c-3-3")).toBe(false);
  // The clause after it is selected now, under the new heading.
  expect(one("clause-label").textContent).toMatch(/^Bedöms det som osannolikt .* › p\. 3\.4$/);
  expect(one("structure-status").textContent?.trim()).toBe("Klausulen är nu en rubrik.");
  expect(document.activeElement).toBe(one("structure-menu"));

  window.dispatchEvent(new KeyboardEvent("keydown", { key: "z", ctrlKey: true }));
  await settle();
  expect(all("clause-item").some((c) => c.dataset.clauseId === "c-3-3")).toBe(true);
  expect(headings()).toHaveLength(5);
  expect(one("undo-status").textContent).toContain("Ångrade: klausul som blev rubrik");
  // What the menu said about the promotion is not left standing after the undo.
  expect(one("structure-status").textContent?.trim()).toBe("");
});

test("Flytta till avsnitt… moves the clause under the chosen heading", async () => {
  await select("c-2-2-1");
  await openMenu();
  one("structure-move").click();
  await settle();
  const target = one("structure-target") as HTMLSelectElement;
  // Every heading but the clause's own, indented by level.
  expect([...target.options].map((o) => o.value)).toEqual(["s-1", "s-2", "s-2-1", "s-3"]);
  target.value = "s-1";
  target.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
  one("structure-ok").click();
  await settle();
  expect(m.backend.callsOf("move_clause").map((c) => c.args)).toEqual([{ clauseId: "c-2-2-1", sectionId: "s-1" }]);
  expect(one("clause-label").textContent).toBe("Inledning › stycke 1");
  const order = all("clause-item").map((c) => c.dataset.clauseId);
  expect(order.slice(0, 3)).toEqual(["c-1-1", "c-1-2", "c-2-2-1"]);
  expect(one("structure-status").textContent?.trim()).toBe("Klausulen flyttades.");
});

test("Ändra nummer… starts from the number it has and will not send a blank one", async () => {
  await select("c-3-2");
  await openMenu();
  one("structure-renumber").click();
  await settle();
  const input = one("structure-number") as HTMLInputElement;
  expect(input.value).toBe("3.2");
  expect(document.activeElement).toBe(input);
  input.value = " ";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await settle();
  expect((one("structure-ok") as HTMLButtonElement).disabled).toBe(true);
  input.value = "3.2 a";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await settle();
  one("structure-ok").click();
  await settle();
  expect(m.backend.callsOf("renumber_clause").map((c) => c.args)).toEqual([{ clauseId: "c-3-2", number: "3.2 a" }]);
  expect(one("clause-label").textContent).toBe("Uppföljning och sanktioner › p. 3.2 a");

  // Escape puts a form away without a change.
  await openMenu();
  one("structure-renumber").click();
  await settle();
  key(one("structure-number"), "Escape");
  await settle();
  expect(all("structure-form")).toHaveLength(0);
  expect(document.activeElement).toBe(one("structure-menu"));
  expect(m.backend.callsOf("renumber_clause")).toHaveLength(1);
});

test("a clause with findings is not offered as a heading; the reason is given", async () => {
  await select("c-2-1-2");
  await openMenu();
  expect(one("structure-promote").getAttribute("aria-disabled")).toBe("true");
  one("structure-promote").click();
  await settle();
  expect(all("structure-form")).toHaveLength(0);
  expect(one("structure-status").dataset.state).toBe("error");
  expect(one("structure-status").textContent).toContain("Klausulen har fynd och kan därför inte bli en rubrik");
  expect(m.backend.callsOf("promote_clause")).toHaveLength(0);
});

test("a heading becomes a clause from its menu in the outline, and from the clause's menu", async () => {
  const button = all("heading-menu").find((b) => b.dataset.headingButton === "s-2-2") as HTMLElement;
  expect(button.getAttribute("aria-label")).toBe("Rätta strukturen: rubriken ”2.2 Personal”");
  button.click();
  await settle();
  const item = one("heading-demote");
  expect(item.textContent).toBe("Gör till stycke");
  expect(document.activeElement).toBe(item);
  item.click();
  await settle();
  expect(m.backend.callsOf("demote_section").map((c) => c.args)).toEqual([{ sectionId: "s-2-2" }]);
  expect(headings()).not.toContain("2.2 Personal");
  expect(all("clause-item").some((c) => c.textContent?.includes("Personal"))).toBe(true);

  await select("c-1-2");
  await openMenu();
  (all("structure-demote").find((d) => d.dataset.sectionId === "s-1") as HTMLElement).click();
  await settle();
  expect(headings()).not.toContain("1. Inledning");
  expect(one("structure-status").textContent?.trim()).toBe("Rubriken är nu ett stycke.");
});

test("the menu speaks English when the interface does", async () => {
  i18n.set("en");
  await settle();
  await select("c-3-1");
  await openMenu();
  expect(all("structure-items")[0]?.getAttribute("aria-label")).toBe("Fix the structure");
  expect(
    [...one("structure-items").querySelectorAll('[role="menuitem"]')].map((i) => i.textContent?.trim()),
  ).toEqual(["Make a heading…", "Move to section…", "Change number…", "Make the heading “3. Uppföljning och sanktioner” a clause"]);
  i18n.set("sv");
});
