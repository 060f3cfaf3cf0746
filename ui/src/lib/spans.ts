// Screening suggestions point at words of a clause with UTF-8 *byte*
// offsets (the core's `Span`); the browser counts UTF-16 code units. These
// pure functions convert and cut the text into plain and marked segments.
import type { Span } from "./bindings/Span";
import type { Suggestion } from "./bindings/Suggestion";

/** UTF-8 length of the code point `cp`. */
function utf8Len(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * The UTF-16 index into `text` of UTF-8 byte offset `byte`. An offset inside
 * a multi-byte character moves back to its start; one past the end clamps.
 */
export function byteToCharIndex(text: string, byte: number): number {
  if (byte <= 0) return 0;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) as number;
    const len = utf8Len(cp);
    if (bytes + len > byte) return i;
    bytes += len;
    i += cp > 0xffff ? 2 : 1;
    if (bytes === byte) return i;
  }
  return text.length;
}

/** A range of UTF-16 indices `[start, end)`. */
export interface CharRange {
  start: number;
  end: number;
}

/** The spans as UTF-16 ranges of `text`; empty or inverted spans are left out. */
export function spansToRanges(text: string, spans: readonly Span[]): CharRange[] {
  const out: CharRange[] = [];
  for (const s of spans) {
    const start = byteToCharIndex(text, s.start);
    const end = byteToCharIndex(text, s.end);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** A piece of the clause text: plain, or marked by one or more suggestions. */
export interface Segment {
  text: string;
  /** Ids of the suggestions whose spans cover this piece (empty: plain text). */
  ids: string[];
}

/**
 * Cuts `text` into segments at every span boundary of `suggestions`, so that
 * overlapping matches of different suggestions still come out as one flat
 * run of pieces. Joining the segments' text gives `text` back.
 */
export function segmentsOf(text: string, suggestions: readonly Pick<Suggestion, "id" | "spans">[]): Segment[] {
  const marks: { range: CharRange; id: string }[] = [];
  for (const s of suggestions) {
    for (const range of spansToRanges(text, s.spans)) marks.push({ range, id: s.id });
  }
  if (marks.length === 0) return text ? [{ text, ids: [] }] : [];
  const cuts = new Set<number>([0, text.length]);
  for (const m of marks) {
    cuts.add(m.range.start);
    cuts.add(m.range.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const start = points[k] as number;
    const end = points[k + 1] as number;
    if (end <= start) continue;
    const ids = [...new Set(marks.filter((m) => m.range.start <= start && m.range.end >= end).map((m) => m.id))];
    const last = segments[segments.length - 1];
    if (last && sameIds(last.ids, ids)) last.text += text.slice(start, end);
    else segments.push({ text: text.slice(start, end), ids });
  }
  return segments;
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The matched words of a suggestion in `text` (for lists and screen readers). */
export function matchedText(text: string, spans: readonly Span[]): string[] {
  return spansToRanges(text, spans).map((r) => text.slice(r.start, r.end));
}
