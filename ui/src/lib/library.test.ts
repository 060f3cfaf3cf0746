import { expect, test } from "vitest";
import type { DocumentSummary } from "./bindings/DocumentSummary";
import { groupDocuments } from "./library";

const doc = (id: string, doc_type: string, owner: string): DocumentSummary => ({
  id,
  title: id,
  doc_type,
  owner,
  dnr: "",
  clause_count: 1,
  finding_count: 0,
  reviewed_clause_count: 0,
  is_final: false,
  highest_risk: null,
  open_suggestion_count: 0,
  findings_by_level: [],
});

test("documents are grouped by type, then owner; unnamed groups last", () => {
  const groups = groupDocuments([
    doc("a", "Riktlinje", "Socialnämnden"),
    doc("b", "", ""),
    doc("c", "Avtal", "Kommunstyrelsen"),
    doc("d", "Riktlinje", "Kommunfullmäktige"),
    doc("e", "Riktlinje", "Socialnämnden"),
    doc("f", "Riktlinje", ""),
  ]);
  expect(groups.map((g) => g.type)).toEqual(["Avtal", "Riktlinje", ""]);
  const riktlinje = groups[1]!;
  expect(riktlinje.owners.map((o) => o.owner)).toEqual(["Kommunfullmäktige", "Socialnämnden", ""]);
  expect(riktlinje.owners[1]!.documents.map((d) => d.id)).toEqual(["a", "e"]);
  expect(groupDocuments([])).toEqual([]);
});
