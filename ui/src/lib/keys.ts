// Keyboard shortcuts of the document view, as a pure function so they can
// be tested. The one-letter keys (j, k, n, a, d, ?) act only while the focus
// is in the outline or the clause reader and nothing else is open (a dialog,
// a menu, a field such as the dismissal reason): a click into empty space
// leaves the focus on the page itself, and typing then must do nothing.
// j/ArrowDown next clause, k/ArrowUp previous clause, Home/End the
// first/last clause (in the outline), F6/Shift+F6 the next/previous pane
// (toolbar, library, outline, clause, findings — also from text fields), n new finding,
// a accept the clause's first open suggestion, d dismiss it (asks for the reason),
// J/K (Shift+j/k) the next/previous clause that needs the analyst (an open
// suggestion, no verdict, an unrated finding), PageDown/PageUp a page of
// clauses (in the outline), ArrowLeft the fold button of the clause's heading
// (in the outline), Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo (outside text fields, where the
// browser's own text undo applies), ? the help overlay, Ctrl+K or Ctrl+F the
// search (also from text fields: neither is a text key).
export type Shortcut =
  | "next"
  | "previous"
  | "first"
  | "last"
  | "page-down"
  | "page-up"
  | "next-needing"
  | "previous-needing"
  | "to-heading"
  | "next-pane"
  | "previous-pane"
  | "new-finding"
  | "accept-suggestion"
  | "dismiss-suggestion"
  | "undo"
  | "redo"
  | "help"
  | "search";

/** True when keys typed on `el` are text, not commands. */
export function isTypingTarget(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (el instanceof HTMLElement && el.isContentEditable) {
    // The clause reader is a read-only text (for the caret and selection):
    // keys typed there are commands, since nothing can be typed into it.
    return el.getAttribute("aria-readonly") !== "true";
  }
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (el as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
  }
  return false;
}

export function shortcutFor(
  event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "defaultPrevented"> & {
    shiftKey?: boolean;
  },
  context: {
    typing: boolean;
    inOutline: boolean;
    /** The focus is in the clause reader (its text or its tools). */
    inReader?: boolean;
    /** A dialog, a menu or a field of its own (the dismissal reason) is open. */
    overlayOpen?: boolean;
    inForm?: boolean;
    /** False while an overview or the workshop covers the outline: clause and finding keys are off. */
    clausesShown?: boolean;
  },
): Shortcut | null {
  const action = anyShortcut(event, context);
  return action && context.clausesShown === false && CLAUSE_SHORTCUTS.has(action) ? null : action;
}

/** The keys that act on the clause list or the open clause. */
const CLAUSE_SHORTCUTS: ReadonlySet<Shortcut> = new Set<Shortcut>([
  "next",
  "previous",
  "first",
  "last",
  "page-down",
  "page-up",
  "next-needing",
  "previous-needing",
  "to-heading",
  "new-finding",
  "accept-suggestion",
  "dismiss-suggestion",
]);

function anyShortcut(
  event: Parameters<typeof shortcutFor>[0],
  context: Parameters<typeof shortcutFor>[1],
): Shortcut | null {
  if (event.defaultPrevented || event.altKey) return null;
  // F6 is no text key: it moves between the panes even from a text field.
  if (event.key === "F6" && !event.ctrlKey && !event.metaKey) {
    return event.shiftKey ? "previous-pane" : "next-pane";
  }
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && ["k", "f"].includes(event.key.toLowerCase())) {
    return "search";
  }
  if (context.typing) return null;
  if (!(event.ctrlKey || event.metaKey) && (context.overlayOpen || !(context.inOutline || context.inReader))) {
    // One-letter keys and the outline's arrows act only where the user is
    // clearly working with clauses, and never past something open.
    return null;
  }
  if (event.ctrlKey || event.metaKey) {
    const key = event.key.toLowerCase();
    if (key === "z") return event.shiftKey ? "redo" : "undo";
    if (key === "y" && !event.shiftKey) return "redo";
    return null;
  }
  switch (event.key) {
    case "?":
      return "help";
    case "j":
      return "next";
    case "k":
      return "previous";
    // Shifted j and k: on to the next clause that still needs a decision.
    case "J":
      return "next-needing";
    case "K":
      return "previous-needing";
    case "n":
      return "new-finding";
    // Not from inside the finding form, where a and d next to a checkbox or
    // radio button would too easily act on the wrong thing.
    case "a":
      return context.inForm ? null : "accept-suggestion";
    case "d":
      return context.inForm ? null : "dismiss-suggestion";
    case "ArrowDown":
      // Arrow keys belong to other widgets (matrix, scrolling panels) unless
      // the focus is in the outline or nowhere in particular.
      return context.inOutline ? "next" : null;
    case "ArrowUp":
      return context.inOutline ? "previous" : null;
    case "Home":
      return context.inOutline ? "first" : null;
    case "End":
      return context.inOutline ? "last" : null;
    case "PageDown":
      return context.inOutline ? "page-down" : null;
    // To the fold button of the clause's heading (Enter or Space folds it, ↓ comes back).
    case "ArrowLeft":
      return context.inOutline ? "to-heading" : null;
    case "PageUp":
      return context.inOutline ? "page-up" : null;
    default:
      return null;
  }
}
