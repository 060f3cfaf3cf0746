import { describe, expect, it } from "vitest";
import { prefixOffsets, rowAt, scrollToReveal, windowOf } from "./virtual";

describe("prefixOffsets", () => {
  it("gives each row's top and the total height last", () => {
    expect(prefixOffsets([30, 34, 30])).toEqual([0, 30, 64, 94]);
    expect(prefixOffsets([])).toEqual([0]);
  });
});

describe("rowAt", () => {
  const offsets = prefixOffsets([30, 34, 30]);
  it("finds the row containing a position, boundaries belonging to the lower row", () => {
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 29.9)).toBe(0);
    expect(rowAt(offsets, 30)).toBe(1);
    expect(rowAt(offsets, 63)).toBe(1);
    expect(rowAt(offsets, 64)).toBe(2);
  });
  it("clamps positions outside the list", () => {
    expect(rowAt(offsets, -5)).toBe(0);
    expect(rowAt(offsets, 1000)).toBe(2);
    expect(rowAt([0], 10)).toBe(0);
  });
});

describe("windowOf", () => {
  const many = prefixOffsets(Array.from({ length: 2000 }, () => 30));

  it("renders short lists whole", () => {
    const few = prefixOffsets(Array.from({ length: 90 }, () => 30));
    expect(windowOf(few, 600, 300)).toEqual({ start: 0, end: 90, padTop: 0, padBottom: 0 });
  });

  it("renders only the visible rows and the overscan of a long list", () => {
    const w = windowOf(many, 30 * 1000, 300, { overscan: 5 });
    expect(w.start).toBe(995);
    expect(w.end).toBe(1000 + 10 + 1 + 5);
    expect(w.padTop).toBe(995 * 30);
    expect(w.padTop + (w.end - w.start) * 30 + w.padBottom).toBe(2000 * 30);
  });

  it("keeps the window inside the list at both ends", () => {
    const top = windowOf(many, 0, 300, { overscan: 5 });
    expect(top.start).toBe(0);
    expect(top.padTop).toBe(0);
    const bottom = windowOf(many, 2000 * 30, 300, { overscan: 5 });
    expect(bottom.end).toBe(2000);
    expect(bottom.padBottom).toBe(0);
  });

  it("renders a screenful before the viewport has been measured", () => {
    const w = windowOf(many, 0, 0, { overscan: 0 });
    expect(w.end).toBeGreaterThan(20);
    expect(w.end).toBeLessThan(40);
  });
});

describe("scrollToReveal", () => {
  const offsets = prefixOffsets(Array.from({ length: 100 }, () => 30));
  it("leaves a visible row alone", () => {
    expect(scrollToReveal(offsets, 5, 0, 300)).toBeNull();
  });
  it("scrolls up to a row above the viewport and down to one below", () => {
    expect(scrollToReveal(offsets, 2, 300, 300)).toBe(60);
    expect(scrollToReveal(offsets, 50, 0, 300)).toBe(51 * 30 - 300);
  });
  it("ignores rows that do not exist", () => {
    expect(scrollToReveal(offsets, 100, 0, 300)).toBeNull();
    expect(scrollToReveal(offsets, -1, 0, 300)).toBeNull();
  });
});
