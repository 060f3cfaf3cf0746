import { describe, expect, test } from "vitest";
import { sampleRulebook } from "./backend/sample";
import type { Finding } from "./bindings/Finding";
import { emptyFindingInput } from "./finding";
import { contrastRatio, findingLevel, highestLevel, riskLevel, riskLevelId, textColorOn } from "./risk";

const rb = sampleRulebook();

describe("risk level lookup from the banding", () => {
  test.each([
    [1, 1, "low"],
    [1, 4, "medium"],
    [4, 1, "medium"],
    [2, 3, "medium"],
    [3, 2, "medium"],
    [3, 3, "high"],
    [2, 4, "high"],
    [3, 4, "very_high"],
    [4, 4, "very_high"],
  ])("likelihood %i × impact %i is %s", (l, i, level) => {
    expect(riskLevelId(rb, l, i)).toBe(level);
  });

  test("rows are likelihood and columns impact (the matrix is not symmetric by accident)", () => {
    const book = structuredClone(rb);
    book.scale.banding.matrix[0] = ["low", "very_high", "low", "low"];
    expect(riskLevelId(book, 1, 2)).toBe("very_high");
    expect(riskLevelId(book, 2, 1)).toBe("low");
  });

  test("missing or off-scale values have no level", () => {
    expect(riskLevelId(rb, null, 2)).toBeNull();
    expect(riskLevelId(rb, 2, null)).toBeNull();
    expect(riskLevelId(rb, 0, 2)).toBeNull();
    expect(riskLevelId(rb, 5, 1)).toBeNull();
  });

  test("riskLevel returns the rulebook's label and colour", () => {
    expect(riskLevel(rb, 3, 3)).toEqual({ id: "high", label: "Hög", color: "#d35400" });
  });

  test("a finding's own likelihood × impact wins over a stale stored level", () => {
    const f = { ...emptyFindingInput(), likelihood: 1, impact: 1, risk_level: "very_high" } as Finding;
    expect(findingLevel(rb, f)?.id).toBe("low");
    const unassessed = { ...emptyFindingInput(), risk_level: "medium" } as Finding;
    expect(findingLevel(rb, unassessed)?.id).toBe("medium");
  });
});

test("highestLevel ranks by the rulebook's order, ignoring nulls and unknown ids", () => {
  expect(highestLevel(rb, ["medium", null, "high", "low"])?.id).toBe("high");
  expect(highestLevel(rb, [null, "nonsense"])).toBeNull();
  expect(highestLevel(rb, [])).toBeNull();
});

test("badge text on every level colour meets WCAG AA contrast", () => {
  for (const level of rb.scale.levels) {
    expect(contrastRatio(level.color, textColorOn(level.color))).toBeGreaterThanOrEqual(4.5);
  }
  expect(textColorOn("#ffffff")).toBe("#000000");
  expect(textColorOn("#000000")).toBe("#ffffff");
  expect(contrastRatio("#000", "#fff")).toBeCloseTo(21, 5);
});
