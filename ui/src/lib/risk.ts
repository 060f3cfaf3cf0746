// Looking up risk levels in the rulebook's banding, and the colours to show them.
import type { Finding } from "./bindings/Finding";
import type { Level } from "./bindings/Level";
import type { Rulebook } from "./bindings/Rulebook";

/** The level id of 1-based `likelihood` × `impact`, or null when off the scale. */
export function riskLevelId(
  rulebook: Rulebook,
  likelihood: number | null | undefined,
  impact: number | null | undefined,
): string | null {
  if (likelihood == null || impact == null) return null;
  return rulebook.scale.banding.matrix[likelihood - 1]?.[impact - 1] ?? null;
}

export function levelById(rulebook: Rulebook, id: string | null | undefined): Level | null {
  if (id == null) return null;
  return rulebook.scale.levels.find((l) => l.id === id) ?? null;
}

export function riskLevel(
  rulebook: Rulebook,
  likelihood: number | null | undefined,
  impact: number | null | undefined,
): Level | null {
  return levelById(rulebook, riskLevelId(rulebook, likelihood, impact));
}

/** A finding's level: from its likelihood × impact, else what the core stored. */
export function findingLevel(rulebook: Rulebook, f: Finding): Level | null {
  return riskLevel(rulebook, f.likelihood, f.impact) ?? levelById(rulebook, f.risk_level);
}

/** Levels are listed from lowest to highest in the rulebook. */
export function highestLevel(rulebook: Rulebook, ids: readonly (string | null)[]): Level | null {
  let best: Level | null = null;
  let bestRank = -1;
  for (const id of ids) {
    const rank = rulebook.scale.levels.findIndex((l) => l.id === id);
    if (rank > bestRank) {
      bestRank = rank;
      best = rulebook.scale.levels[rank] ?? null;
    }
  }
  return best;
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of `#rrggbb` (or `#rgb`); null if not a colour. */
export function luminance(hex: string): number | null {
  let h = hex.trim().replace(/^#/, "");
  if (/^[0-9a-f]{3}$/i.test(h)) h = [...h].map((c) => c + c).join("");
  if (!/^[0-9a-f]{6}$/i.test(h)) return null;
  const [r, g, b] = [0, 2, 4].map((i) => channel(parseInt(h.slice(i, i + 2), 16))) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const la = luminance(a) ?? 0;
  const lb = luminance(b) ?? 0;
  const [hi, lo] = la > lb ? [la, lb] : [lb, la];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever reads better on `background`. */
export function textColorOn(background: string): "#000000" | "#ffffff" {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff")
    ? "#000000"
    : "#ffffff";
}
