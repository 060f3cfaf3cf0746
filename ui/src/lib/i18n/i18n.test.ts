import { describe, expect, test } from "vitest";
import { en } from "./en";
import { format, translate } from "./index.svelte";
import { sv } from "./sv";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  test("Swedish and English have exactly the same keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
  });

  test("no message is empty", () => {
    for (const [key, value] of [...Object.entries(sv), ...Object.entries(en)]) {
      expect(value.trim(), key).not.toBe("");
    }
  });

  test("each message uses the same placeholders in both languages", () => {
    for (const key of Object.keys(sv) as (keyof typeof sv)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(sv[key]));
    }
  });

  test("statuses and save states read as agreed in Swedish", () => {
    expect([sv["status.draft"], sv["status.reviewed"], sv["status.agreed"], sv["status.rejected"]]).toEqual([
      "Utkast",
      "Granskad",
      "Överenskommen",
      "Avvisad",
    ]);
    expect(sv["save.saved"]).toBe("Sparat");
    expect(sv["save.saving"]).toBe("Sparar…");
    expect(translate("sv", "save.error", { reason: "biblioteket är skrivskyddat" })).toBe(
      "Kunde inte spara: biblioteket är skrivskyddat",
    );
  });
});

test("format fills known placeholders and leaves unknown ones", () => {
  expect(format("{n} av {m} klausuler granskade", { n: 3, m: 12 })).toBe("3 av 12 klausuler granskade");
  expect(format("{a} och {b}", { a: "x" })).toBe("x och {b}");
  expect(translate("en", "library.progress", { n: 1, m: 2 })).toBe("1 of 2 clauses reviewed");
});
