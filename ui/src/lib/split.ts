// Where to split a clause. The core wants a UTF-8 *byte* offset into the
// clause's text; the browser gives a caret position in UTF-16 code units of
// what a text field shows (which turns CRLF and CR into LF). Pure functions,
// unit-tested.

const encoder = new TextEncoder();

/**
 * The index into `text` that corresponds to `index` in `shown`, the same
 * text as a `<textarea>` holds it (line breaks normalised to LF).
 */
export function originalIndex(text: string, shown: string, index: number): number {
  let i = 0;
  let j = 0;
  const end = Math.max(0, Math.min(index, shown.length));
  while (j < end && i < text.length) {
    if (text[i] === "\r" && text[i + 1] === "\n" && shown[j] === "\n") i += 2;
    else i += 1;
    j += 1;
  }
  return i;
}

/** Moves a UTF-16 index off the middle of a surrogate pair (an emoji, say), forwards. */
export function charBoundary(text: string, index: number): number {
  const at = Math.max(0, Math.min(index, text.length));
  if (at > 0 && at < text.length) {
    const hi = text.charCodeAt(at - 1);
    const lo = text.charCodeAt(at);
    if (hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) return at + 1;
  }
  return at;
}

/** The UTF-8 byte offset of UTF-16 index `index` of `text`. */
export function utf8Offset(text: string, index: number): number {
  return encoder.encode(text.slice(0, charBoundary(text, index))).length;
}

export interface SplitPoint {
  /** UTF-8 byte offset into the clause text, as `split_clause` wants it. */
  at: number;
  /** The two parts as the core will store them (trimmed). */
  before: string;
  after: string;
  /** Both parts have text: the split is allowed. */
  ok: boolean;
}

/**
 * The split of `text` at caret `caret` of `shown` (the text as the field
 * holds it; defaults to `text`).
 */
export function splitPoint(text: string, caret: number, shown: string = text): SplitPoint {
  const index = charBoundary(text, originalIndex(text, shown, caret));
  const before = text.slice(0, index).trim();
  const after = text.slice(index).trim();
  return { at: utf8Offset(text, index), before, after, ok: before !== "" && after !== "" };
}

/** The last `n` characters of `s`, with an ellipsis when cut (for the split preview). */
export function tail(s: string, n = 40): string {
  const flat = s.replace(/\s+/g, " ");
  return flat.length > n ? `…${flat.slice(flat.length - n).trimStart()}` : flat;
}

/** The first `n` characters of `s`, with an ellipsis when cut. */
export function head(s: string, n = 40): string {
  const flat = s.replace(/\s+/g, " ");
  return flat.length > n ? `${flat.slice(0, n).trimEnd()}…` : flat;
}
