// The library sidebar's grouping: documents by type, then by owning body.
// Named groups come first in alphabetical (Swedish) order; documents without
// a type or owner come last, each group keeping the library's order.
import type { DocumentSummary } from "./bindings/DocumentSummary";

export interface OwnerGroup {
  /** The owning body; "" when the documents name none. */
  owner: string;
  documents: DocumentSummary[];
}

export interface TypeGroup {
  /** The document type; "" when the documents name none. */
  type: string;
  owners: OwnerGroup[];
}

function order(a: string, b: string): number {
  if (a === "" || b === "") return a === b ? 0 : a === "" ? 1 : -1;
  return a.localeCompare(b, "sv", { sensitivity: "base" });
}

export function groupDocuments(documents: readonly DocumentSummary[]): TypeGroup[] {
  const types = new Map<string, Map<string, DocumentSummary[]>>();
  for (const doc of documents) {
    const type = doc.doc_type.trim();
    const owner = doc.owner.trim();
    let owners = types.get(type);
    if (!owners) types.set(type, (owners = new Map()));
    const list = owners.get(owner);
    if (list) list.push(doc);
    else owners.set(owner, [doc]);
  }
  return [...types.entries()]
    .sort(([a], [b]) => order(a, b))
    .map(([type, owners]) => ({
      type,
      owners: [...owners.entries()]
        .sort(([a], [b]) => order(a, b))
        .map(([owner, docs]) => ({ owner, documents: docs })),
    }));
}
