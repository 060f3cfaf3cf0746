import { describe, expect, test } from "vitest";
import { charBoundary, head, originalIndex, splitPoint, tail, utf8Offset } from "./split";

describe("split offsets", () => {
  test("the byte offset counts å, ä and ö as two bytes each", () => {
    const text = "Åtgärder för äldre. Övrigt följer.";
    const caret = text.indexOf("Övrigt");
    // "Åtgärder för äldre. " has 20 UTF-16 units; Å, ä, ö, ä are 2 bytes each.
    expect(caret).toBe(20);
    expect(utf8Offset(text, caret)).toBe(24);
    const p = splitPoint(text, caret);
    expect(p).toEqual({ at: 24, before: "Åtgärder för äldre.", after: "Övrigt följer.", ok: true });
    // What the core does with it: the bytes before `at` are the first part.
    const bytes = new TextEncoder().encode(text);
    expect(new TextDecoder().decode(bytes.slice(0, p.at))).toBe("Åtgärder för äldre. ");
    expect(new TextDecoder().decode(bytes.slice(p.at))).toBe("Övrigt följer.");
  });

  test("decomposed characters and emoji keep their bytes together", () => {
    const text = "Ange 🙂 här";
    // Inside the surrogate pair: moved past the emoji, never between its halves.
    expect(charBoundary(text, 6)).toBe(7);
    expect(utf8Offset(text, 6)).toBe(9);
    const decomposed = "Kafe\u0301 nästa";
    expect(utf8Offset(decomposed, decomposed.indexOf(" "))).toBe(6);
  });

  test("a caret in a field that shows CRLF as LF maps back to the text", () => {
    const text = "Första raden.\r\nAndra stycket med ö.";
    const shown = text.replace(/\r\n/g, "\n");
    const caret = shown.indexOf("Andra");
    expect(originalIndex(text, shown, caret)).toBe(text.indexOf("Andra"));
    const p = splitPoint(text, caret, shown);
    expect(p.at).toBe(new TextEncoder().encode("Första raden.\r\n").length);
    expect(p.after).toBe("Andra stycket med ö.");
  });

  test("a caret at either end, or with only spaces on one side, does not split", () => {
    const text = "  Bara en mening.  ";
    expect(splitPoint(text, 0).ok).toBe(false);
    expect(splitPoint(text, 2).ok).toBe(false);
    expect(splitPoint(text, text.length).ok).toBe(false);
    expect(splitPoint(text, text.length - 1).ok).toBe(false);
    expect(splitPoint(text, 7).ok).toBe(true);
  });

  test("the preview shows the end of the first part and the start of the second", () => {
    expect(tail("ett två tre fyra fem", 8)).toBe("…fyra fem");
    expect(head("ett två tre fyra fem", 7)).toBe("ett två…");
    expect(head("kort", 10)).toBe("kort");
  });
});
