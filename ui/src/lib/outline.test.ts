import { describe, expect, test } from "vitest";
import type { Clause } from "./bindings/Clause";
import type { Section } from "./bindings/Section";
import { clausesInOrder, firstLine, mergeOutline } from "./outline";

function section(id: string, level: number, position: number, parent: string | null = null): Section {
  return { id, parent_id: parent, level, number: "", title: id, position };
}
function clause(id: string, sectionId: string | null, position: number, text = id): Clause {
  return { id, section_id: sectionId, number: "", label: id, kind: "paragraph", text, position };
}

describe("mergeOutline", () => {
  test("interleaves sections and clauses by position, whatever order they arrive in", () => {
    const rows = mergeOutline({
      sections: [section("s2", 1, 3), section("s1", 1, 0), section("s1a", 2, 1, "s1")],
      clauses: [clause("c3", "s2", 4), clause("c1", "s1a", 2)],
    });
    expect(rows.map((r) => (r.kind === "section" ? r.section.id : r.clause.id))).toEqual([
      "s1",
      "s1a",
      "c1",
      "s2",
      "c3",
    ]);
  });

  test("indents headings by level and clauses one step under their heading", () => {
    const rows = mergeOutline({
      sections: [section("s1", 1, 0), section("s1a", 2, 1, "s1")],
      clauses: [clause("c1", "s1a", 2), clause("c0", null, 3), clause("c2", "s1", 4)],
    });
    const depth = Object.fromEntries(
      rows.map((r) => [r.kind === "section" ? r.section.id : r.clause.id, r.depth]),
    );
    expect(depth).toEqual({ s1: 0, s1a: 1, c1: 2, c0: 0, c2: 1 });
  });

  test("puts a heading before a clause with the same position and tolerates unknown sections", () => {
    const rows = mergeOutline({
      sections: [section("s", 1, 5)],
      clauses: [clause("c", "missing", 5)],
    });
    expect(rows.map((r) => r.kind)).toEqual(["section", "clause"]);
    expect(rows[1]?.depth).toBe(0);
  });

  test("clamps absurd levels so indentation stays on screen", () => {
    const rows = mergeOutline({ sections: [section("deep", 40, 0)], clauses: [clause("c", "deep", 1)] });
    expect(rows.map((r) => r.depth)).toEqual([6, 6]);
  });
});

test("clausesInOrder sorts by position", () => {
  const order = clausesInOrder({ sections: [], clauses: [clause("b", null, 7), clause("a", null, 2)] });
  expect(order.map((c) => c.id)).toEqual(["a", "b"]);
});

test("firstLine skips blank lines and trims", () => {
  expect(firstLine("\n  \n  Första raden \nandra")).toBe("Första raden");
  expect(firstLine("")).toBe("");
});
