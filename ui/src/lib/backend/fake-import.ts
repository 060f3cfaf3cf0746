// A very small stand-in for the core's importer, used by the fake backend:
// plain text, Markdown and HTML become an outline (headings → sections,
// paragraphs and list items → clauses); DOCX, ODT and PDF are only checked
// for their signature and become a one-clause placeholder, since the demo
// cannot read them. Errors mirror the core's codes.
import type { Clause } from "../bindings/Clause";
import type { DocumentMeta } from "../bindings/DocumentMeta";
import type { Outline } from "../bindings/Outline";
import type { Section } from "../bindings/Section";
import type { SourceFormat } from "../bindings/SourceFormat";
import type { BackendError } from "./backend";

export interface FakeImported {
  meta: DocumentMeta;
  format: SourceFormat;
  outline: Outline;
  warnings: string[];
}

const FORMATS: Record<string, SourceFormat> = {
  md: "markdown",
  markdown: "markdown",
  txt: "text",
  html: "html",
  htm: "html",
  docx: "docx",
  odt: "odt",
  pdf: "pdf",
};

function refuse(code: BackendError["code"], message: string): BackendError {
  return { code, message };
}

/** A short, stable fingerprint of the bytes (FNV-1a, 2 × 32 bits), standing in for SHA-256. */
export function fingerprint(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ bytes.length;
  for (const byte of bytes) {
    a = Math.imul(a ^ byte, 0x01000193) >>> 0;
    b = Math.imul(b ^ byte ^ (a & 0xff), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

function emptyMeta(title: string): DocumentMeta {
  return {
    title,
    doc_type: "",
    owner: "",
    dnr: "",
    decided: "",
    decided_by: "",
    responsible: "",
    valid_from: "",
    valid_to: "",
    version_label: "",
  };
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

function startsWith(bytes: Uint8Array, signature: string): boolean {
  return [...signature].every((ch, i) => bytes[i] === ch.charCodeAt(0));
}

const NUMBER = /^(\d+(?:\.\d+)*\.?|\d+ ?[a-z]? §|[a-zåäö]\))\s+/;
const META_LINE: [RegExp, keyof DocumentMeta][] = [
  [/^(?:dnr|diarienummer)\s*[:.]?\s*(.+)$/i, "dnr"],
  [/^beslutsdatum\s*[:.]?\s*(.+)$/i, "decided"],
  [/^(?:beslutad|fastställd) av\s*[:.]?\s*(.+)$/i, "decided_by"],
  [/^dokumentansvarig\s*[:.]?\s*(.+)$/i, "responsible"],
  [/^gäller från\s*[:.]?\s*(.+)$/i, "valid_from"],
  [/^gäller till\s*[:.]?\s*(.+)$/i, "valid_to"],
];

function outlineOfText(text: string, docId: string, meta: DocumentMeta, markdown: boolean): Outline {
  const sections: Section[] = [];
  const clauses: Clause[] = [];
  const stack: Section[] = [];
  let position = 0;
  let paragraph: string[] = [];

  const addClause = (raw: string) => {
    const m = NUMBER.exec(raw);
    const number = m ? (m[1] as string) : "";
    const body = m ? raw.slice(m[0].length) : raw;
    const section = stack[stack.length - 1] ?? null;
    const nth = clauses.filter((c) => c.section_id === (section?.id ?? null)).length + 1;
    const where = number ? `p. ${number.replace(/[.)]$/, "")}` : `stycke ${nth}`;
    clauses.push({
      id: `${docId}-c${clauses.length + 1}`,
      section_id: section?.id ?? null,
      number,
      label: section ? `${section.title} › ${where}` : where,
      kind: number ? "numbered" : "paragraph",
      text: body,
      position: position++,
    });
  };
  const endParagraph = () => {
    const joined = paragraph.join(" ").replace(/\s+/g, " ").trim();
    paragraph = [];
    if (joined) addClause(joined);
  };

  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    const heading = markdown ? /^(#{1,6})\s+(.*)$/.exec(line) : null;
    if (heading) {
      endParagraph();
      const level = (heading[1] as string).length;
      const title = (heading[2] as string).trim();
      if (level === 1 && !meta.title) {
        meta.title = title;
        continue;
      }
      while (stack.length && (stack[stack.length - 1] as Section).level >= level - 1) stack.pop();
      const parent = stack[stack.length - 1];
      const m = /^(\d+(?:\.\d+)*\.?|\d+ kap\.)\s+(.*)$/.exec(title);
      const section: Section = {
        id: `${docId}-s${sections.length + 1}`,
        parent_id: parent?.id ?? null,
        level: Math.max(1, level - 1),
        number: m ? (m[1] as string) : "",
        title: m ? (m[2] as string) : title,
        position: position++,
      };
      sections.push(section);
      stack.push(section);
      continue;
    }
    if (line === "") {
      endParagraph();
      continue;
    }
    const metaLine = META_LINE.find(([re]) => re.test(line));
    if (metaLine && clauses.length === 0) {
      endParagraph();
      meta[metaLine[1]] = (metaLine[0].exec(line)?.[1] ?? "").trim();
      continue;
    }
    if (/^([-*+]|\d+[.)])\s+/.test(line)) {
      // A list item is a clause of its own.
      endParagraph();
      paragraph.push(line.replace(/^[-*+]\s+/, ""));
      endParagraph();
      continue;
    }
    paragraph.push(line);
  }
  endParagraph();
  return { sections, clauses };
}

/** Imports `bytes` as the fake's core would; throws a BackendError on refusal. */
export function fakeImport(fileName: string, bytes: Uint8Array, docId: string): FakeImported {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? "";
  const format = FORMATS[ext];
  if (!format) {
    throw refuse(
      "unsupported_format",
      ext === "doc"
        ? `${fileName} cannot be read: it is a legacy Word .doc file; save it as DOCX or PDF in Word first.`
        : `${fileName} cannot be read: .${ext || "(none)"} files are not supported.`,
    );
  }
  if (bytes.length === 0) throw refuse("empty_file", `${fileName} is empty.`);
  const stem = fileName.replace(/\.[^.]+$/, "");
  const meta = emptyMeta("");
  const warnings: string[] = [];

  if (format === "docx" || format === "odt" || format === "pdf") {
    const ok = format === "pdf" ? startsWith(bytes, "%PDF-") : startsWith(bytes, "PK\u0003\u0004");
    if (!ok) throw refuse("damaged_file", `${fileName} is damaged or is not a ${format.toUpperCase()} file.`);
    meta.title = stem;
    warnings.push("Demo mode reads only text, Markdown and HTML; the contents of this file were not read.");
    return {
      meta,
      format,
      outline: {
        sections: [],
        clauses: [
          {
            id: `${docId}-c1`,
            section_id: null,
            number: "",
            label: "stycke 1",
            kind: "paragraph",
            text: `(Demoläge: innehållet i ${fileName} läses bara i skrivbordsappen.)`,
            position: 0,
          },
        ],
      },
      warnings,
    };
  }

  let text = decodeText(bytes);
  if (format === "html") {
    text = text
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
      .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_, n: string, inner: string) => `\n\n${"#".repeat(Number(n))} ${inner}\n\n`)
      .replace(/<\/(p|li|div|tr)>|<br\s*\/?>/gi, "\n\n")
      .replace(/<[^>]+>/g, "")
      .replace(/&nbsp;/g, " ")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  }
  const outline = outlineOfText(text, docId, meta, format !== "text");
  if (!meta.title) meta.title = stem;
  if (outline.clauses.length === 0) {
    if (outline.sections.length === 0) throw refuse("empty_file", `${fileName} contains no text.`);
    warnings.push("No clauses were found: the document has headings but no text under them.");
  }
  return { meta, format, outline, warnings };
}
