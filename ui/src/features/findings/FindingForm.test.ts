import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { sampleRulebook } from "../../lib/backend/sample";
import type { Finding } from "../../lib/bindings/Finding";
import type { FindingInput } from "../../lib/bindings/FindingInput";
import type { Rulebook } from "../../lib/bindings/Rulebook";
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

const CLAUSE_TEXT = "Utdrag ur belastningsregistret får vara högst ett år gammalt.";

function render(f: Finding, rb: Rulebook = rulebook) {
  const edits: Partial<FindingInput>[] = [];
  const onflush = vi.fn();
  component = mount(FindingForm, {
    target,
    props: {
      finding: f,
      rulebook: rb,
      clauseText: CLAUSE_TEXT,
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

  test("the grid is one tab stop: the chosen cell, else the lowest corner; arrows move", () => {
    render(finding());
    const stops = () =>
      [...target.querySelectorAll<HTMLButtonElement>('[data-testid^="matrix-cell-"]')]
        .filter((c) => c.tabIndex === 0)
        .map((c) => c.dataset.testid);
    expect(stops()).toEqual(["matrix-cell-1-1"]);
    const start = q<HTMLButtonElement>("matrix-cell-1-1") as HTMLButtonElement;
    start.focus();
    start.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
    expect(document.activeElement).toBe(q("matrix-cell-2-1"));
    (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    expect(document.activeElement).toBe(q("matrix-cell-2-2"));
    unmount(component as NonNullable<typeof component>);
    component = null;
    render(finding({ likelihood: 3, impact: 4 }));
    expect(stops()).toEqual(["matrix-cell-3-4"]);
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

  test("status select offers the four statuses with the pack's labels and reports a change", () => {
    const { edits } = render(finding({ status: "reviewed" }));
    const select = q<HTMLSelectElement>("finding-status") as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ["draft", "Utkast"],
      ["reviewed", "Granskad"],
      ["agreed", "Beslutad"],
      ["rejected", "Avförd"],
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

  test("switching to English relabels the app's words; the pack's questions keep the pack's language", () => {
    render(finding());
    i18n.set("en");
    flushSync();
    expect(q("finding-risk")?.textContent?.trim()).toBe("Not assessed");
    expect(q("question-oavsiktlig_konsekvens")?.textContent).toContain("Oavsiktlig konsekvens");
  });

  test("a pack without questions gets the built-in form, labelled by the catalogue", () => {
    render(finding(), { ...rulebook, questions: [] });
    for (const id of ["finding-consequence", "finding-exploitation", "finding-proposed", "finding-status"]) {
      expect(q(id), id).toBeTruthy();
    }
    expect(target.querySelectorAll('[data-testid^="matrix-cell-"]')).toHaveLength(16);
    const select = q<HTMLSelectElement>("finding-status") as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["Utkast", "Granskad", "Överenskommen", "Avvisad"]);
    i18n.set("en");
    flushSync();
    expect([...select.options][0]?.textContent).toBe("Draft");
  });

  test("the form shows the essential questions first and the rest behind Mer, each part in the pack's order", () => {
    render(finding());
    const ids = [...target.querySelectorAll<HTMLElement>('[data-testid^="question-"]')].map((e) => e.dataset.testid);
    // The impact question sits inside the likelihood question's matrix.
    const essential = new Set(["unintended_consequence", "crime_types", "likelihood", "impact", "proposed_wording"]);
    const first = rulebook.questions.filter((x) => x.field !== null && essential.has(x.field));
    const rest = rulebook.questions.filter((x) => !first.includes(x));
    expect(first.map((x) => x.field)).toEqual(["unintended_consequence", "crime_types", "likelihood", "impact", "proposed_wording"]);
    expect(ids).toEqual([...first, ...rest].map((x) => `question-${x.id}`));
    const more = q<HTMLDetailsElement>("finding-more") as HTMLDetailsElement;
    expect(more.open).toBe(false);
    expect(q("finding-more-toggle")?.textContent).toBe("Mer");
    for (const x of rest) expect(more.contains(q(`question-${x.id}`))).toBe(true);
    for (const x of first) expect(more.contains(q(`question-${x.id}`))).toBe(false);
    expect(q("question-oavsiktlig_konsekvens")?.contains(q("finding-consequence"))).toBe(true);
    expect(q("question-tillvagagangssatt")?.contains(q("finding-exploitation"))).toBe(true);
    expect(q("question-sannolikhet")?.contains(q("matrix-cell-2-2"))).toBe(true);
  });

  test("the proposed wording starts as the current wording; left unchanged it is no proposal", () => {
    const { edits } = render(finding({ proposed_wording: "" }));
    const field = q<HTMLTextAreaElement>("finding-proposed") as HTMLTextAreaElement;
    expect(field.value).toBe(CLAUSE_TEXT);
    const type = (value: string) => {
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      flushSync();
    };
    const longer = `${CLAUSE_TEXT} Intyget får vara högst tre månader gammalt.`;
    type(longer);
    expect(edits.at(-1)).toEqual({ proposed_wording: longer });
    // Back to the current wording: on leaving the field it is stored as no proposal.
    type(` ${CLAUSE_TEXT}`);
    field.dispatchEvent(new FocusEvent("blur"));
    flushSync();
    expect(edits.at(-1)).toEqual({ proposed_wording: "" });
    // Emptied by the analyst, it stays empty while they type.
    type("");
    expect(edits.at(-1)).toEqual({ proposed_wording: "" });
  });

  test("sensitive questions carry the tag", () => {
    render(finding());
    const tags = [...target.querySelectorAll('[data-testid="sensitive-tag"]')];
    expect(tags).toHaveLength(1);
    expect(q("question-tillvagagangssatt")?.textContent).toContain(
      "Känslig – lämnas ute ur den offentliga promemorian",
    );
  });

  test("a free question (no field) writes to answers under its id, keeping other answers", () => {
    const { edits } = render(finding({ answers: { intygsgivare: "Revisorn" } }));
    const field = q<HTMLTextAreaElement>("answer-skyddsfaktorer") as HTMLTextAreaElement;
    expect(q<HTMLTextAreaElement>("answer-intygsgivare")?.value).toBe("Revisorn");
    field.value = "Stickprov varje kvartal.";
    field.dispatchEvent(new Event("input", { bubbles: true }));
    expect(edits).toEqual([{ answers: { intygsgivare: "Revisorn", skyddsfaktorer: "Stickprov varje kvartal." } }]);
  });

  test("a free choice question in another pack stores its value in answers", () => {
    const pack: Rulebook = {
      ...rulebook,
      questions: [
        {
          id: "kalla",
          label: "Källa",
          help: "",
          kind: "single_choice",
          options: [
            { value: "register", label: "Register", help: "" },
            { value: "intyg", label: "Intyg", help: "" },
          ],
          options_from: null,
          scale: null,
          sensitive: false,
          field: null,
        },
      ],
    };
    const { edits } = render(finding(), pack);
    (q<HTMLInputElement>("answer-kalla-intyg") as HTMLInputElement).click();
    expect(edits).toEqual([{ answers: { kalla: "intyg" } }]);
  });

  test("single choices map to the fixed fields: confidence, act on (yes/no), measure type, countermeasure group", () => {
    const { edits } = render(finding());
    (q<HTMLInputElement>("answer-sakerhet-medium") as HTMLInputElement).click();
    (q<HTMLInputElement>("answer-atgarda-no") as HTMLInputElement).click();
    (q<HTMLInputElement>("answer-atgardstyp-control") as HTMLInputElement).click();
    (q<HTMLInputElement>("answer-motatgardsgrupp-verifiering") as HTMLInputElement).click();
    (q<HTMLInputElement>("answer-aktorer-sokande") as HTMLInputElement).click();
    expect(edits).toEqual([
      { confidence: "medium" },
      { act_on: false },
      { measure_type: "control" },
      { countermeasure_group: "verifiering" },
      { actors: ["sokande"] },
    ]);
  });

  test("the proposed wording shows a word diff against the current text", () => {
    render(finding({ proposed_wording: "Utdrag ur belastningsregistret får vara högst tre månader gammalt." }));
    const diff = q("finding-diff") as HTMLElement;
    expect([...diff.querySelectorAll("[data-testid=diff-del]")].map((d) => d.textContent)).toEqual(["[borttaget: ett år]"]);
    expect([...diff.querySelectorAll("[data-testid=diff-ins]")].map((d) => d.textContent)).toEqual(["[tillagt: tre månader]"]);
    expect(diff.textContent).toContain("2 ord borttagna, 2 ord tillagda.");
  });

  test("alternatives can be added, edited and removed", () => {
    const alt = { wording: "A", pros: "", cons: "", residual_likelihood: null, residual_impact: null };
    const { edits } = render(finding({ alternatives: [alt, { ...alt, wording: "B" }] }));
    expect(target.querySelectorAll('[data-testid="alternative-item"]')).toHaveLength(2);
    q<HTMLButtonElement>("add-alternative")?.click();
    const pros = target.querySelectorAll<HTMLTextAreaElement>('[data-testid="alternative-pros"]')[1] as HTMLTextAreaElement;
    pros.value = "Billigt";
    pros.dispatchEvent(new Event("input", { bubbles: true }));
    const lik = target.querySelectorAll<HTMLSelectElement>('[data-testid="alternative-likelihood"]')[0] as HTMLSelectElement;
    lik.value = "2";
    lik.dispatchEvent(new Event("change", { bubbles: true }));
    (target.querySelectorAll<HTMLButtonElement>('[data-testid="alternative-remove"]')[0] as HTMLButtonElement).click();
    expect(edits).toEqual([
      { alternatives: [alt, { ...alt, wording: "B" }, { ...alt, wording: "" }] },
      { alternatives: [alt, { ...alt, wording: "B", pros: "Billigt" }] },
      { alternatives: [{ ...alt, residual_likelihood: 2 }, { ...alt, wording: "B" }] },
      { alternatives: [{ ...alt, wording: "B" }] },
    ]);
  });

  test("the crime-type list can be filtered; ticked types stay listed", () => {
    render(finding({ crime_types: ["URK"] }));
    const filter = q<HTMLInputElement>("crime-type-filter") as HTMLInputElement;
    filter.value = "bidrag";
    filter.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    const shown = [...target.querySelectorAll<HTMLElement>('[data-testid^="crime-type-"][type="checkbox"]')].map(
      (e) => e.dataset.testid,
    );
    expect(shown).toEqual(["crime-type-BID", "crime-type-URK"]);
  });
});
