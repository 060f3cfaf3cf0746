// A word-level diff of the current and the proposed wording: the longest
// common subsequence of the two texts' words (and punctuation marks), as a
// run of kept, deleted and inserted pieces. Pure; unit-tested.

export type DiffOp = "same" | "del" | "ins";

export interface DiffPart {
  op: DiffOp;
  /** The text of the piece, with the white space that precedes its words. */
  text: string;
}

/** Words (letters and digits, with inner hyphens or apostrophes) and single punctuation marks, each with the white space before it. */
const TOKEN = /\s*(?:[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}])|\s+$/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Beyond this many cells the LCS table is not built; the middle is shown as replaced. */
const MAX_CELLS = 4_000_000;

/**
 * The word diff of `before` → `after`. Joining the `same` and `del` pieces
 * gives `before` back (up to white space); `same` and `ins` give `after`.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  const key = (s: string) => s.trim();
  let lo = 0;
  while (lo < a.length && lo < b.length && key(a[lo] as string) === key(b[lo] as string)) lo++;
  let ea = a.length;
  let eb = b.length;
  while (ea > lo && eb > lo && key(a[ea - 1] as string) === key(b[eb - 1] as string)) {
    ea--;
    eb--;
  }
  const ops: { op: DiffOp; text: string }[] = [];
  for (let i = 0; i < lo; i++) ops.push({ op: "same", text: b[i] as string });
  const n = ea - lo;
  const m = eb - lo;
  if (n * m > MAX_CELLS) {
    for (let i = lo; i < ea; i++) ops.push({ op: "del", text: a[i] as string });
    for (let j = lo; j < eb; j++) ops.push({ op: "ins", text: b[j] as string });
  } else if (n > 0 || m > 0) {
    // lcs[i][j]: LCS length of a[lo+i..ea) and b[lo+j..eb).
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] =
          key(a[lo + i] as string) === key(b[lo + j] as string)
            ? (lcs[(i + 1) * w + j + 1] as number) + 1
            : Math.max(lcs[(i + 1) * w + j] as number, lcs[i * w + j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && key(a[lo + i] as string) === key(b[lo + j] as string)) {
        ops.push({ op: "same", text: b[lo + j] as string });
        i++;
        j++;
      } else if (j < m && (i === n || (lcs[i * w + j + 1] as number) >= (lcs[(i + 1) * w + j] as number))) {
        ops.push({ op: "ins", text: b[lo + j] as string });
        j++;
      } else {
        ops.push({ op: "del", text: a[lo + i] as string });
        i++;
      }
    }
  }
  for (let j = eb; j < b.length; j++) ops.push({ op: "same", text: b[j] as string });

  // Deletions before insertions within a changed stretch, then merge neighbours.
  const ordered: { op: DiffOp; text: string }[] = [];
  let k = 0;
  while (k < ops.length) {
    if ((ops[k] as { op: DiffOp }).op === "same") {
      ordered.push(ops[k] as { op: DiffOp; text: string });
      k++;
      continue;
    }
    const dels: string[] = [];
    const inss: string[] = [];
    while (k < ops.length && (ops[k] as { op: DiffOp }).op !== "same") {
      const o = ops[k] as { op: DiffOp; text: string };
      (o.op === "del" ? dels : inss).push(o.text);
      k++;
    }
    for (const text of dels) ordered.push({ op: "del", text });
    for (const text of inss) ordered.push({ op: "ins", text });
  }
  const parts: DiffPart[] = [];
  for (const o of ordered) {
    const last = parts[parts.length - 1];
    if (last && last.op === o.op) last.text += o.text;
    else parts.push({ op: o.op, text: o.text });
  }
  return parts.filter((p) => p.text !== "");
}

/** Words removed and added, for a short summary. */
export function diffCounts(parts: readonly DiffPart[]): { deleted: number; inserted: number } {
  const words = (s: string) => s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  let deleted = 0;
  let inserted = 0;
  for (const p of parts) {
    if (p.op === "del") deleted += words(p.text);
    else if (p.op === "ins") inserted += words(p.text);
  }
  return { deleted, inserted };
}
