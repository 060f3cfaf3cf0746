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

const reader = { typing: false, inOutline: false, inReader: true };

test("j/k/n act only from the outline or the clause reader, never from the page itself", () => {
  expect(shortcutFor(key("j"), outline)).toBe("next");
  expect(shortcutFor(key("k"), reader)).toBe("previous");
  expect(shortcutFor(key("n"), outline)).toBe("new-finding");
  // Focus on body after a click into empty space, or on some button: nothing.
  for (const k of ["j", "k", "n", "a", "d", "?"]) expect(shortcutFor(key(k), free)).toBeNull();
  expect(shortcutFor(key("n"), { typing: true, inOutline: true })).toBeNull();
  expect(shortcutFor(key("j", { ctrlKey: true }), outline)).toBeNull();
  // Shift+j is its own key (the next clause that needs the analyst), and also only from the outline or reader.
  expect(shortcutFor(key("J", { shiftKey: true }), outline)).toBe("next-needing");
  expect(shortcutFor(key("J", { shiftKey: true }), free)).toBeNull();
  // PageDown/PageUp and ArrowLeft belong to the outline only (elsewhere they scroll or move a caret).
  expect(shortcutFor(key("PageDown"), outline)).toBe("page-down");
  expect(shortcutFor(key("PageUp"), outline)).toBe("page-up");
  expect(shortcutFor(key("ArrowLeft"), outline)).toBe("to-heading");
  for (const k of ["PageDown", "PageUp", "ArrowLeft"]) expect(shortcutFor(key(k), reader)).toBeNull();
});

test("nothing one-letter acts while a dialog, a menu or a field is open", () => {
  for (const k of ["j", "k", "n", "a", "d", "?", "ArrowDown", "Home"]) {
    expect(shortcutFor(key(k), { ...outline, overlayOpen: true })).toBeNull();
    expect(shortcutFor(key(k), { ...reader, overlayOpen: true })).toBeNull();
  }
  // Undo is no text key and still works.
  expect(shortcutFor(key("z", { ctrlKey: true }), { ...outline, overlayOpen: true })).toBe("undo");
});

test("the read-only clause text is no typing target; an editable one is", () => {
  const text = document.createElement("div");
  text.contentEditable = "true";
  document.body.appendChild(text);
  // jsdom has no isContentEditable: give it the browser's answer.
  Object.defineProperty(text, "isContentEditable", { value: true });
  expect(isTypingTarget(text)).toBe(true);
  text.setAttribute("aria-readonly", "true");
  expect(isTypingTarget(text)).toBe(false);
  text.remove();
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
  expect(shortcutFor(key("a"), reader)).toBe("accept-suggestion");
  expect(shortcutFor(key("d"), outline)).toBe("dismiss-suggestion");
  expect(shortcutFor(key("a"), { ...reader, inForm: true })).toBeNull();
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
  expect(shortcutFor(key("?", { shiftKey: true }), outline)).toBe("help");
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
