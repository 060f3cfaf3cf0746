import { expect, test } from "vitest";
import { sampleRulebook } from "./backend/sample";
import type { Question } from "./bindings/Question";
import { emptyFindingInput } from "./finding";
import { answerOf, formItems, patchFor } from "./questions";

const rulebook = sampleRulebook();
const question = (id: string) => rulebook.questions.find((q) => q.id === id) as Question;

test("widgets follow kind and field; likelihood and impact share one matrix", () => {
  const kinds = formItems(rulebook).map((i) => [i.question.id, i.widget.kind]);
  expect(kinds).toEqual([
    ["oavsiktlig_konsekvens", "text"],
    ["aktorer", "multi"],
    ["tillvagagangssatt", "text"],
    ["brottstyper", "crime_types"],
    ["sannolikhet", "matrix"],
    ["sakerhet", "single"],
    ["atgarda", "single"],
    ["motivering", "text"],
    ["alternativ", "alternatives"],
    ["foreslagen_lydelse", "wording"],
    ["atgardstyp", "single"],
    ["motatgardsgrupp", "single"],
    ["ansvarig", "text"],
    ["status", "single"],
    ["skyddsfaktorer", "text"],
    ["intygsgivare", "text"],
  ]);
});

test("answers are read from and written to the fixed fields, or to answers[id]", () => {
  const f = { ...emptyFindingInput(), act_on: true, likelihood: 2, answers: { skyddsfaktorer: "Stickprov" } };
  expect(answerOf(f, question("atgarda"))).toBe("yes");
  expect(patchFor(f, question("atgarda"), "no")).toEqual({ act_on: false });
  expect(patchFor(f, question("sakerhet"), "certain")).toBeNull();
  expect(patchFor(f, question("status"), null)).toBeNull();
  expect(answerOf(f, question("sannolikhet"))).toBe("2");
  expect(patchFor(f, question("sannolikhet"), "3")).toEqual({ likelihood: 3 });
  expect(answerOf(f, question("skyddsfaktorer"))).toBe("Stickprov");
  expect(patchFor(f, question("intygsgivare"), "Revisor")).toEqual({
    answers: { skyddsfaktorer: "Stickprov", intygsgivare: "Revisor" },
  });
  // Clearing a free answer removes its key.
  expect(patchFor(f, question("skyddsfaktorer"), "")).toEqual({ answers: {} });
});
