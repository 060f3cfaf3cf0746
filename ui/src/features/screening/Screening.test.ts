// Screening suggestions in the whole UI against the fake backend: the
// highlights, the outline counts, accept → a finding, dismiss with a reason,
// reopen, re-screen, the keyboard, the explanations and starting wordings,
// and the pack chosen per document.
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import App from "../../App.svelte";
import { FakeBackend } from "../../lib/backend/fake";
import { sampleLibrary } from "../../lib/backend/sample";
import { i18n } from "../../lib/i18n/index.svelte";
import { AppState } from "../../lib/state.svelte";

let target: HTMLElement;
let component: ReturnType<typeof mount>;
let backend: FakeBackend;
let app: AppState;

const all = (testid: string, root: ParentNode = target) => [
  ...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`),
];
const one = (testid: string, root: ParentNode = target) => all(testid, root)[0] as HTMLElement;

async function settle() {
  for (let i = 0; i < 6; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await tick();
  }
  flushSync();
}

async function selectClause(id: string) {
  (all("clause-item").find((c) => c.dataset.clauseId === id) as HTMLElement).click();
  await settle();
}

const items = (state?: string) =>
  all("suggestion-item").filter((i) => state === undefined || i.dataset.state === state);

function type(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

const STALE = "s-c-2-1-3-inaktuellt-hogst-gammalt";

beforeEach(async () => {
  vi.useFakeTimers();
  i18n.set("sv");
  backend = new FakeBackend(sampleLibrary());
  target = document.createElement("div");
  document.body.appendChild(target);
  app = new AppState(backend);
  component = mount(App, { target, props: { app } });
  await settle();
});
afterEach(() => {
  unmount(component);
  target.remove();
  vi.useRealTimers();
});

test("the outline counts open suggestions per clause; the library shows the open document's total", () => {
  const counts = Object.fromEntries(
    all("clause-item")
      .map((c) => [c.dataset.clauseId, c.querySelector('[data-testid="clause-suggestion-count"] [aria-hidden="true"]')?.textContent])
      .filter(([, n]) => n),
  );
  expect(counts).toEqual({ "c-2-1-2": "1", "c-2-1-3": "1", "c-3-3": "1" });
  expect(one("doc-suggestions").textContent).toBe("3 öppna förslag");
});

test("the selected clause's matches are highlighted behind the plain text, which stays one text node", async () => {
  await selectClause("c-2-1-3");
  const text = one("clause-text");
  expect(text.childNodes).toHaveLength(1);
  expect(text.firstChild?.nodeType).toBe(Node.TEXT_NODE);
  const marks = all("suggestion-mark");
  expect(marks.map((m) => m.textContent)).toEqual(["högst ett år gammalt"]);
  expect(marks[0]?.dataset.suggestionIds).toBe(STALE);
  // The layer behind has the same text, and is hidden from screen readers.
  expect(one("clause-marks").textContent).toBe(text.textContent);
  expect(one("clause-marks").getAttribute("aria-hidden")).toBe("true");

  const item = one("suggestion-item");
  expect(item.dataset.suggestionId).toBe(STALE);
  expect(item.dataset.state).toBe("open");
  expect(item.textContent).toContain("Inaktuellt underlag");
  expect(item.textContent).toContain("Underlaget får vara gammalt: ”högst ett år gammalt”");
  expect(item.textContent).toContain("Möjliga brott: Bedrägeri, Urkundsförfalskning");
  expect(item.querySelector("details.rationale")?.textContent).toContain("Ett utdrag eller intyg");
  expect(item.textContent).toContain("Markerat i texten: ”högst ett år gammalt”");
});

test("a vague term with two matches gets two marks; åäö do not shift them", async () => {
  await selectClause("c-3-3");
  expect(all("suggestion-mark").map((m) => m.textContent)).toEqual(["osannolikt", "skälig"]);
});

test("Acceptera makes a prefilled finding and selects it; the suggestion moves to Accepterade", async () => {
  await selectClause("c-2-1-3");
  one("suggestion-accept").click();
  await settle();
  expect(backend.callsOf("accept_suggestion")[0]?.args).toEqual({ suggestionId: STALE });
  const finding = one("finding-item");
  expect(finding.getAttribute("aria-pressed")).toBe("true");
  expect(document.activeElement).toBe(finding);
  expect((one("finding-consequence") as HTMLTextAreaElement).value).toContain("Underlaget får vara gammalt");
  expect((one("crime-type-BED") as HTMLInputElement).checked).toBe(true);
  expect((one("crime-type-URK") as HTMLInputElement).checked).toBe(true);
  expect(items("open")).toHaveLength(0);
  expect(items("accepted")).toHaveLength(1);
  expect(all("suggestion-mark")).toHaveLength(0);
  const row = all("clause-item").find((c) => c.dataset.clauseId === "c-2-1-3") as HTMLElement;
  expect(row.querySelector('[data-testid="clause-suggestion-count"]')).toBeNull();
  expect(one("doc-suggestions").textContent).toBe("2 öppna förslag");
});

test("Avfärda asks for a reason, refuses an empty one, and keeps the reason; Återöppna undoes it", async () => {
  await selectClause("c-3-3");
  one("suggestion-dismiss").click();
  await settle();
  const reason = one("dismiss-reason") as HTMLInputElement;
  expect(document.activeElement).toBe(reason);
  one("dismiss-confirm").click();
  await settle();
  expect(backend.callsOf("dismiss_suggestion")).toHaveLength(0);
  expect(reason.getAttribute("aria-invalid")).toBe("true");
  expect(target.textContent).toContain("Skriv ett skäl för att avfärda förslaget.");

  type(reason, "Skälig tid definieras i avtalet.");
  reason.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  await settle();
  expect(backend.callsOf("dismiss_suggestion")[0]?.args).toEqual({
    suggestionId: "s-c-3-3-vaga-bedomningsord",
    reason: "Skälig tid definieras i avtalet.",
  });
  expect(items("open")).toHaveLength(0);
  const dismissed = items("dismissed")[0] as HTMLElement;
  expect(one("dismissed-toggle").textContent).toBe("Avfärdade (1)");
  expect(dismissed.textContent).toContain("Skäl: Skälig tid definieras i avtalet.");

  one("suggestion-reopen", dismissed).click();
  await settle();
  expect(items("open")).toHaveLength(1);
  expect(items("dismissed")).toHaveLength(0);
});

test("a dismissal is remembered when the document is screened again", async () => {
  await selectClause("c-3-3");
  one("suggestion-dismiss").click();
  await settle();
  type(one("dismiss-reason") as HTMLInputElement, "Inte relevant här.");
  one("dismiss-confirm").click();
  await settle();
  one("rescreen").click();
  await settle();
  expect(backend.callsOf("screen_document")).toHaveLength(1);
  expect(one("clause-label").textContent).toContain("p. 3.3");
  expect(items("dismissed")).toHaveLength(1);
  expect(one("rescreen-status").textContent).toBe("Granskningen är klar: 2 öppna förslag i dokumentet.");
});

test("keyboard: a accepts the clause's first open suggestion, d opens the reason field", async () => {
  await selectClause("c-3-3");
  (document.activeElement as HTMLElement | null)?.blur();
  window.dispatchEvent(new KeyboardEvent("keydown", { key: "d" }));
  await settle();
  expect(document.activeElement).toBe(one("dismiss-reason"));
  one("dismiss-cancel").click();
  await settle();
  expect(all("dismiss-reason")).toHaveLength(0);

  (document.activeElement as HTMLElement | null)?.blur();
  window.dispatchEvent(new KeyboardEvent("keydown", { key: "a" }));
  await settle();
  expect(backend.callsOf("accept_suggestion")).toHaveLength(1);
  expect(all("finding-item")).toHaveLength(1);
});

test("a failed dismissal says why and keeps the reason field", async () => {
  await selectClause("c-3-3");
  one("suggestion-dismiss").click();
  await settle();
  backend.failNext("dismiss_suggestion", { code: "library_readonly", message: "read-only" });
  type(one("dismiss-reason") as HTMLInputElement, "Skäl");
  one("dismiss-confirm").click();
  await settle();
  expect(target.textContent).toContain("Det gick inte: biblioteket är skrivskyddat");
  expect(all("dismiss-reason")).toHaveLength(1);
  expect(items("open")).toHaveLength(1);
});

test("the rulebook warning is shown and can be closed; the pack is named in the header", async () => {
  unmount(component);
  target.innerHTML = "";
  const lib = sampleLibrary();
  lib.appInfo.rulebook_warning = "rulebooks/egen/scale.toml, line 3: unknown key `colour`";
  backend = new FakeBackend(lib);
  component = mount(App, { target, props: { app: new AppState(backend) } });
  await settle();
  const banner = one("rulebook-warning");
  expect(banner.textContent).toContain("den inbyggda används i stället");
  expect(banner.textContent).toContain("unknown key `colour`");
  expect(one("rulebook-name").textContent?.trim()).toBe("Regelbok: Brottssäkring enligt Brå/MUR 0.1.0");
  one("rulebook-warning-close").click();
  await settle();
  expect(all("rulebook-warning")).toHaveLength(0);
});

test("a suggestion says why in the clause's words and offers a starting consequence and wording", async () => {
  await selectClause("c-2-1-3");
  expect(one("suggestion-why").textContent).toContain("”högst ett år gammalt”");
  const start = one("suggestion-start") as HTMLDetailsElement;
  expect(one("suggestion-consequence", start).textContent).toContain("Underlaget får vara gammalt");
  expect(one("suggestion-proposal", start).textContent).toContain("högst tre månader gammalt");
  expect(one("suggestion-proposal", start).textContent).not.toContain("högst ett år gammalt");
});

test("accepting fills the finding's consequence and proposed wording, which stay editable", async () => {
  await selectClause("c-2-1-3");
  one("suggestion-accept").click();
  await settle();
  const consequence = one("finding-consequence") as HTMLTextAreaElement;
  expect(consequence.value).toContain("Underlaget får vara gammalt (”högst ett år gammalt”)");
  const proposed = one("finding-proposed") as HTMLTextAreaElement;
  expect(proposed.value).toContain("högst tre månader gammalt");
  expect(proposed.disabled).toBe(false);
  expect(proposed.readOnly).toBe(false);
});

test("the pack is chosen per document: the document is screened with it and its families label the suggestions", async () => {
  unmount(component);
  target.remove();
  const lib = sampleLibrary();
  lib.otherPacks = [
    {
      choice: {
        id: "korruption-sv",
        version: "0.1.0",
        name: "Korruptionssäkring av regelverk",
        language: "sv",
        description: "",
        active: false,
        categories: [{ id: "skonsmassighet", label: "Skönsmässighet utan kriterier", description: "" }],
      },
      screening: [
        {
          id: "skon-far-kan",
          category: "skonsmassighet",
          pattern: "får nämnden",
          message: "Beslut som får fattas, utan kriterier: ”{match}”",
          rationale: "Beslutet blir en fråga om vilja.",
          crime_types: ["MUT"],
        },
      ],
    },
  ];
  backend = new FakeBackend(lib);
  target = document.createElement("div");
  document.body.appendChild(target);
  app = new AppState(backend);
  component = mount(App, { target, props: { app } });
  await settle();
  const select = one("pack-select") as HTMLSelectElement;
  expect([...select.options].map((o) => o.value)).toEqual(["bra-mur-sv", "korruption-sv"]);
  expect(select.value).toBe("bra-mur-sv");
  select.value = "korruption-sv";
  select.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
  const docId = app.view?.document.id;
  expect(backend.callsOf("screen_with")[0]?.args).toEqual({ docId, packId: "korruption-sv" });
  expect(app.view?.document.rulebook.id).toBe("korruption-sv");
  expect((one("pack-select") as HTMLSelectElement).value).toBe("korruption-sv");
  await selectClause("c-3-3");
  expect(items("open").map((i) => i.querySelector(".category")?.textContent?.trim())).toEqual([
    "Kategori: Skönsmässighet utan kriterier",
  ]);
});
