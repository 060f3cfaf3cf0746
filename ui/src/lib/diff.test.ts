import { describe, expect, test } from "vitest";
import { diffCounts, tokenize, wordDiff, type DiffPart } from "./diff";

const show = (parts: DiffPart[]) =>
  parts.map((p) => (p.op === "same" ? p.text : p.op === "del" ? `[-${p.text}-]` : `{+${p.text}+}`)).join("");
const side = (parts: DiffPart[], keep: "del" | "ins") =>
  parts
    .filter((p) => p.op === "same" || p.op === keep)
    .map((p) => p.text)
    .join("")
    .replace(/\s+/g, " ")
    .trim();

describe("wordDiff", () => {
  test("marks the changed words only", () => {
    const parts = wordDiff(
      "Utdraget får vara högst ett år gammalt.",
      "Utdraget får vara högst tre månader gammalt.",
    );
    expect(show(parts)).toBe("Utdraget får vara högst[- ett år-]{+ tre månader+} gammalt.");
    expect(diffCounts(parts)).toEqual({ deleted: 2, inserted: 2 });
  });

  test("each side can be read back from the parts", () => {
    const a = "Nämnden bedömer normalt den ekonomiska ställningen vid ansökan.";
    const b = "Nämnden bedömer den ekonomiska ställningen vid ansökan och därefter varje år, med stickprov.";
    const parts = wordDiff(a, b);
    expect(side(parts, "del")).toBe(a);
    expect(side(parts, "ins")).toBe(b);
    expect(parts.filter((p) => p.op === "del").map((p) => p.text.trim())).toEqual(["normalt"]);
  });

  test("punctuation is its own token and åäö stay inside words", () => {
    expect(tokenize("Förskott, a conto-betalning.").map((t) => t.trim())).toEqual([
      "Förskott",
      ",",
      "a",
      "conto-betalning",
      ".",
    ]);
  });

  test("identical and empty texts", () => {
    expect(wordDiff("Samma text.", "Samma  text.").every((p) => p.op === "same")).toBe(true);
    expect(show(wordDiff("", "Ny text"))).toBe("{+Ny text+}");
    expect(show(wordDiff("Gammal text", ""))).toBe("[-Gammal text-]");
  });

  test("a very long rewrite still gives both sides back", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `ord${i}`).join(" ");
    const b = Array.from({ length: 3000 }, (_, i) => `term${i}`).join(" ");
    const parts = wordDiff(a, b);
    expect(side(parts, "del")).toBe(a);
    expect(side(parts, "ins")).toBe(b);
  });
});
