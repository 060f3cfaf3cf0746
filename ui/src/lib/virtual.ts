// Windowing for long lists (the outline of a 2,000-clause document): only
// the rows near the visible part are in the DOM, the rest is stood in for by
// padding of the same height. Rows have fixed heights by kind, so the
// offsets are a prefix sum and no row has to be measured.

/** Row offsets: `offsets[i]` is the top of row i, `offsets[n]` the total height. */
export function prefixOffsets(heights: readonly number[]): number[] {
  const offsets = [0];
  let total = 0;
  for (const h of heights) {
    total += h;
    offsets.push(total);
  }
  return offsets;
}

/** `offsets[i]`; callers keep `i` within the list. */
function at(offsets: readonly number[], i: number): number {
  return offsets[i] ?? 0;
}

/** The index of the row that contains `y` (the last row for y past the end). */
export function rowAt(offsets: readonly number[], y: number): number {
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  if (y <= 0) return 0;
  if (y >= at(offsets, n)) return n - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at(offsets, mid) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Window {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Height standing in for the rows above `start`. */
  padTop: number;
  /** Height standing in for the rows from `end` on. */
  padBottom: number;
}

/**
 * The rows to render for a viewport at `scrollTop` of height `viewport`,
 * with `overscan` extra rows on each side. Lists of at most `threshold`
 * rows are rendered whole (browser find and screen readers then see every
 * row).
 */
export function windowOf(
  offsets: readonly number[],
  scrollTop: number,
  viewport: number,
  options: { overscan?: number; threshold?: number } = {},
): Window {
  const n = offsets.length - 1;
  const overscan = options.overscan ?? 20;
  const threshold = options.threshold ?? 300;
  if (n <= threshold) return { start: 0, end: Math.max(0, n), padTop: 0, padBottom: 0 };
  // Before the first layout the viewport is unknown: render one screenful.
  const height = viewport > 0 ? viewport : 800;
  const first = rowAt(offsets, Math.max(0, scrollTop));
  const last = rowAt(offsets, Math.max(0, scrollTop) + height);
  const start = Math.max(0, first - overscan);
  const end = Math.min(n, last + 1 + overscan);
  return { start, end, padTop: at(offsets, start), padBottom: at(offsets, n) - at(offsets, end) };
}

/**
 * The scroll position that brings row `index` into view with the least
 * movement (`block: "nearest"`), or null when it is already in view.
 */
export function scrollToReveal(
  offsets: readonly number[],
  index: number,
  scrollTop: number,
  viewport: number,
): number | null {
  const n = offsets.length - 1;
  if (index < 0 || index >= n) return null;
  const top = at(offsets, index);
  const bottom = at(offsets, index + 1);
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return null;
}
