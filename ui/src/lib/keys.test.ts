import { expect, test } from "vitest";
import { isTypingTarget, shortcutFor } from "./keys";

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  defaultPrevented: false,
  ...mods,
});
const free = { typing: false, inOutline: false };
const outline = { typing: false, inOutline: true };

test("j/k/n work anywhere except while typing", () => {
  expect(shortcutFor(key("j"), free)).toBe("next");
  expect(shortcutFor(key("k"), free)).toBe("previous");
  expect(shortcutFor(key("n"), free)).toBe("new-finding");
  expect(shortcutFor(key("n"), { typing: true, inOutline: false })).toBeNull();
  expect(shortcutFor(key("j", { ctrlKey: true }), free)).toBeNull();
  expect(shortcutFor(key("J"), free)).toBeNull();
});

test("arrow keys move between clauses only from the outline", () => {
  expect(shortcutFor(key("ArrowDown"), outline)).toBe("next");
  expect(shortcutFor(key("ArrowUp"), outline)).toBe("previous");
  expect(shortcutFor(key("ArrowDown"), free)).toBeNull();
});

test("text fields count as typing, checkboxes and buttons do not", () => {
  const textarea = document.createElement("textarea");
  const text = document.createElement("input");
  const box = document.createElement("input");
  box.type = "checkbox";
  expect(isTypingTarget(textarea)).toBe(true);
  expect(isTypingTarget(text)).toBe(true);
  expect(isTypingTarget(document.createElement("select"))).toBe(true);
  expect(isTypingTarget(box)).toBe(false);
  expect(isTypingTarget(document.createElement("button"))).toBe(false);
  expect(isTypingTarget(null)).toBe(false);
});

test("a and d act on suggestions, but not from inside the finding form or while typing", () => {
  expect(shortcutFor(key("a"), free)).toBe("accept-suggestion");
  expect(shortcutFor(key("d"), outline)).toBe("dismiss-suggestion");
  expect(shortcutFor(key("a"), { ...free, inForm: true })).toBeNull();
  expect(shortcutFor(key("d"), { typing: true, inOutline: false })).toBeNull();
});

test("Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, but not while typing", () => {
  expect(shortcutFor(key("z", { ctrlKey: true }), free)).toBe("undo");
  expect(shortcutFor(key("Z", { ctrlKey: true, shiftKey: true }), free)).toBe("redo");
  expect(shortcutFor(key("y", { ctrlKey: true }), free)).toBe("redo");
  expect(shortcutFor(key("z", { metaKey: true }), free)).toBe("undo");
  expect(shortcutFor(key("z", { ctrlKey: true }), { typing: true, inOutline: false })).toBeNull();
  expect(shortcutFor(key("z"), free)).toBeNull();
  expect(shortcutFor(key("z", { ctrlKey: true, altKey: true }), free)).toBeNull();
});

test("? opens the help", () => {
  expect(shortcutFor(key("?", { shiftKey: true }), free)).toBe("help");
  expect(shortcutFor(key("?"), { typing: true, inOutline: false })).toBeNull();
});

test("Home and End jump to the first and last clause only from the outline", () => {
  expect(shortcutFor(key("Home"), outline)).toBe("first");
  expect(shortcutFor(key("End"), outline)).toBe("last");
  expect(shortcutFor(key("Home"), free)).toBeNull();
  expect(shortcutFor(key("End"), { typing: true, inOutline: true })).toBeNull();
});

test("F6 moves between panes, even from a text field, Shift+F6 backwards", () => {
  expect(shortcutFor(key("F6"), free)).toBe("next-pane");
  expect(shortcutFor(key("F6", { shiftKey: true }), free)).toBe("previous-pane");
  expect(shortcutFor(key("F6"), { typing: true, inOutline: false })).toBe("next-pane");
  expect(shortcutFor(key("F6", { ctrlKey: true }), free)).toBeNull();
  expect(shortcutFor(key("F5"), free)).toBeNull();
});
