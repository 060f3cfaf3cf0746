import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { sampleRulebook } from "../../lib/backend/sample";
import type { Finding } from "../../lib/bindings/Finding";
import type { FindingInput } from "../../lib/bindings/FindingInput";
import { emptyFindingInput } from "../../lib/finding";
import { i18n } from "../../lib/i18n/index.svelte";
import FindingForm from "./FindingForm.svelte";

const rulebook = sampleRulebook();

function finding(over: Partial<Finding> = {}): Finding {
  return {
    ...emptyFindingInput(),
    id: "f1",
    document_id: "d",
    clause_id: "c",
    risk_level: null,
    comments: [],
    suggestion_id: null,
    created_at: "",
    created_by: "",
    updated_at: "",
    updated_by: "",
    ...over,
  };
}

let target: HTMLElement;
let component: ReturnType<typeof mount> | null = null;

function render(f: Finding) {
  const edits: Partial<FindingInput>[] = [];
  const onflush = vi.fn();
  component = mount(FindingForm, {
    target,
    props: {
      finding: f,
      rulebook,
      clauseText: "Utdrag ur belastningsregistret får vara högst ett år gammalt.",
      onedit: (p: Partial<FindingInput>) => edits.push(p),
      onflush,
      ondelete: () => {},
    },
  });
  flushSync();
  return { edits, onflush };
}

const q = <T extends Element = HTMLElement>(testid: string) =>
  target.querySelector<T & HTMLElement>(`[data-testid="${testid}"]`);

beforeEach(() => {
  i18n.set("sv");
  target = document.createElement("div");
  document.body.appendChild(target);
});
afterEach(() => {
  if (component) unmount(component);
  component = null;
  target.remove();
});

describe("FindingForm", () => {
  test("the risk matrix has one button per cell, highest likelihood on the top row", () => {
    render(finding());
    const cells = [...target.querySelectorAll<HTMLButtonElement>('[data-testid^="matrix-cell-"]')];
    expect(cells).toHaveLength(16);
    // Reading order: the first row is likelihood 4, impact 1..4; the last row likelihood 1.
    expect(cells.slice(0, 4).map((c) => c.dataset.testid)).toEqual([
      "matrix-cell-4-1",
      "matrix-cell-4-2",
      "matrix-cell-4-3",
      "matrix-cell-4-4",
    ]);
    expect(cells.at(-1)?.dataset.testid).toBe("matrix-cell-1-4");
    // Cells are coloured by the banding.
    expect(q("matrix-cell-3-3")?.dataset.level).toBe("high");
    expect(q("matrix-cell-1-1")?.dataset.level).toBe("low");
    expect(cells.every((c) => c.getAttribute("aria-pressed") === "false")).toBe(true);
    expect(q("finding-risk")?.textContent?.trim()).toBe("Inte bedömd");
  });

  test("the chosen cell is pressed and the resulting level is shown", () => {
    render(finding({ likelihood: 3, impact: 4 }));
    expect(q("matrix-cell-3-4")?.getAttribute("aria-pressed")).toBe("true");
    expect(q("matrix-cell-4-3")?.getAttribute("aria-pressed")).toBe("false");
    expect(q("finding-risk")?.textContent?.trim()).toBe("Mycket hög");
    expect(q("finding-risk")?.dataset.level).toBe("very_high");
  });

  test("clicking a cell reports likelihood and impact", () => {
    const { edits } = render(finding());
    q<HTMLButtonElement>("matrix-cell-2-3")?.click();
    expect(edits).toEqual([{ likelihood: 2, impact: 3 }]);
  });

  test("typing and ticking report edits; crime types keep the rulebook's order", () => {
    const { edits } = render(finding({ crime_types: ["URK"] }));
    const consequence = q<HTMLTextAreaElement>("finding-consequence") as HTMLTextAreaElement;
    consequence.value = "Ett gammalt utdrag godtas.";
    consequence.dispatchEvent(new Event("input", { bubbles: true }));
    const bid = q<HTMLInputElement>("crime-type-BID") as HTMLInputElement;
    expect(bid.checked).toBe(false);
    expect((q<HTMLInputElement>("crime-type-URK") as HTMLInputElement).checked).toBe(true);
    bid.click();
    expect(edits).toEqual([
      { unintended_consequence: "Ett gammalt utdrag godtas." },
      { crime_types: ["BID", "URK"] },
    ]);
  });

  test("crime types show their legal reference", () => {
    render(finding());
    const label = q("crime-type-BED")?.closest("label");
    expect(label?.textContent).toContain("Bedrägeri");
    expect(label?.textContent).toContain("BrB 9 kap. 1 §");
  });

  test("status select offers the four statuses with Swedish labels and reports a change", () => {
    const { edits } = render(finding({ status: "reviewed" }));
    const select = q<HTMLSelectElement>("finding-status") as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ["draft", "Utkast"],
      ["reviewed", "Granskad"],
      ["agreed", "Överenskommen"],
      ["rejected", "Avvisad"],
    ]);
    expect(select.value).toBe("reviewed");
    select.value = "agreed";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    expect(edits).toEqual([{ status: "agreed" }]);
  });

  test("the proposed wording sits beside the current text, and leaving a field flushes", () => {
    const { onflush } = render(finding({ proposed_wording: "Högst tre månader gammalt." }));
    expect(target.textContent).toContain("Utdrag ur belastningsregistret får vara högst ett år gammalt.");
    const proposed = q<HTMLTextAreaElement>("finding-proposed") as HTMLTextAreaElement;
    expect(proposed.value).toBe("Högst tre månader gammalt.");
    proposed.dispatchEvent(new FocusEvent("focusout", { bubbles: true }));
    expect(onflush).toHaveBeenCalled();
  });

  test("every field is labelled", () => {
    render(finding());
    for (const id of ["finding-consequence", "finding-exploitation", "finding-proposed", "finding-status"]) {
      const el = q(id) as HTMLElement;
      const label = target.querySelector(`label[for="${el.id}"]`);
      expect(label?.textContent?.trim(), id).toBeTruthy();
    }
  });

  test("switching to English relabels the form", () => {
    render(finding());
    i18n.set("en");
    flushSync();
    expect(q("finding-risk")?.textContent?.trim()).toBe("Not assessed");
    expect([...(q<HTMLSelectElement>("finding-status") as HTMLSelectElement).options][0]?.textContent).toBe(
      "Draft",
    );
  });
});
