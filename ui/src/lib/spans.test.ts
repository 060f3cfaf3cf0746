import { describe, expect, test } from "vitest";
import { byteToCharIndex, matchedText, segmentsOf, spansToRanges } from "./spans";

const enc = new TextEncoder();
/** The byte span of `needle` in `text`, as the core computes it. */
function span(text: string, needle: string): { start: number; end: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in text`);
  const start = enc.encode(text.slice(0, i)).length;
  return { start, end: start + enc.encode(needle).length };
}

const TEXT = "För varje person i ledande ställning ska ett utdrag ur belastningsregistret ges in inför avtalstecknande. Utdraget får vara högst ett år gammalt.";

describe("byte offsets → string indices", () => {
  test("åäö take two bytes but one string index", () => {
    expect(byteToCharIndex("år", 0)).toBe(0);
    expect(byteToCharIndex("år", 2)).toBe(1);
    expect(byteToCharIndex("år", 3)).toBe(2);
    expect(byteToCharIndex("Över ån", enc.encode("Över ").length)).toBe(5);
  });

  test("an offset inside a character moves to its start; past the end clamps", () => {
    expect(byteToCharIndex("år", 1)).toBe(0);
    expect(byteToCharIndex("år", 99)).toBe(2);
    expect(byteToCharIndex("år", -4)).toBe(0);
  });

  test("characters outside the BMP (two UTF-16 units, four bytes)", () => {
    const text = "a😀ö b";
    expect(byteToCharIndex(text, 1)).toBe(1);
    expect(byteToCharIndex(text, 5)).toBe(3);
    expect(byteToCharIndex(text, 7)).toBe(4);
  });

  test("the core's spans of a Swedish clause cut out the matched words", () => {
    const spans = [span(TEXT, "inför avtalstecknande"), span(TEXT, "Utdraget får vara högst ett år gammalt")];
    expect(spans[0]).toEqual({ start: 85, end: 107 });
    expect(spans[1]).toEqual({ start: 109, end: 150 });
    expect(matchedText(TEXT, spans)).toEqual(["inför avtalstecknande", "Utdraget får vara högst ett år gammalt"]);
    expect(spansToRanges(TEXT, [{ start: 5, end: 5 }])).toEqual([]);
  });
});

describe("segmentsOf", () => {
  test("plain and marked pieces give the text back", () => {
    const segs = segmentsOf(TEXT, [
      { id: "stale", spans: [span(TEXT, "högst ett år gammalt")] },
      { id: "once", spans: [span(TEXT, "inför avtalstecknande")] },
    ]);
    expect(segs.map((s) => s.text).join("")).toBe(TEXT);
    expect(segs.filter((s) => s.ids.length > 0).map((s) => [s.text, s.ids])).toEqual([
      ["inför avtalstecknande", ["once"]],
      ["högst ett år gammalt", ["stale"]],
    ]);
  });

  test("overlapping matches of two suggestions are cut at every boundary", () => {
    const text = "Får vara högst ett år gammalt.";
    const segs = segmentsOf(text, [
      { id: "a", spans: [span(text, "högst ett år")] },
      { id: "b", spans: [span(text, "ett år gammalt")] },
    ]);
    expect(segs.map((s) => [s.text, s.ids])).toEqual([
      ["Får vara ", []],
      ["högst ", ["a"]],
      ["ett år", ["a", "b"]],
      [" gammalt", ["b"]],
      [".", []],
    ]);
  });

  test("no suggestions: one plain piece", () => {
    expect(segmentsOf("Text", [])).toEqual([{ text: "Text", ids: [] }]);
    expect(segmentsOf("", [])).toEqual([]);
  });
});
