//! # kryphal-ingest
//!
//! Turns the bytes of a governing document into Kryphål's [`Outline`]: the
//! sections (headings) and clauses (the units an analyst comments on), in the
//! document's own numbering, plus whatever metadata the document states about
//! itself (title, Dnr, beslutsdatum, …).
//!
//! Import runs in two steps:
//!
//! 1. a *reader* per format turns bytes into a flat list of [`Block`]s
//!    (headings, paragraphs, list items, table rows) — see [`markdown`] and
//!    [`text`];
//! 2. the *structurer* ([`structure`]) recognises Swedish numbering (`4.2`,
//!    `3 §`, `2 kap.`, `punkt 16`, `a)`) and builds sections, clauses,
//!    human labels (`Ekonomi och ledning › p. 4.2`) and stable ids.
//!
//! Clause ids are derived from the clause's normalised text and the document
//! lineage, so re-importing the same text gives the same ids and a clause
//! keeps its id when other clauses change or it is renumbered.
//!
//! This crate reads bytes and returns values; it never touches the library.

use kryphal_domain::{DocumentMeta, Outline, SourceFormat};

mod budget;
mod cover;
pub mod docx;
mod flat;
pub mod furniture;
pub mod html;
pub mod markdown;
pub mod meta;
pub mod odt;
pub mod pdf;
pub mod structure;
pub mod text;
mod xml;
mod zipped;

/// A block of a document as a reader sees it, before numbering is understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading; `level` 1 is the largest.
    Heading { level: u8, text: String },
    /// A paragraph of running text (it may start with its own number).
    Paragraph { text: String },
    /// An item of a list; `label` is what the reader sees (`1.`, `a)`, `•`).
    ListItem {
        depth: u8,
        label: String,
        text: String,
    },
    /// One row of a table, cell by cell.
    TableRow { cells: Vec<String> },
}

/// What a reader produces: blocks, metadata it found, and warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawDocument {
    pub blocks: Vec<Block>,
    pub meta: DocumentMeta,
    pub warnings: Vec<String>,
    /// The titles a table of contents lists ([`structure::toc_key`] of each):
    /// they tell plain numbered lines that are headings from list items.
    pub toc: Vec<String>,
}

/// Limits that protect the importer from enormous or hostile input.
///
/// | field | default | guards against |
/// |---|---|---|
/// | `max_bytes` | 50 MiB | enormous files (checked before anything is read) |
/// | `max_clauses` | 100 000 | documents too large to analyse |
/// | `max_expansion_ratio` | 100 | zip bombs: a DOCX/ODT part may unpack to at most this many times the size of the whole file … |
/// | `max_unpacked_bytes` | 256 MiB | … and never to more than this many bytes in all; the same bound caps the decompressed content of all a PDF's pages together |
/// | `max_text_ratio` | 100 | what reading produces: text (and the bookkeeping of each block) may grow to at most this many times the file's size (at least 64 KiB) … |
/// | `max_text_bytes` | 64 MiB | … and never past this: a footnote cited a thousand times, a list label of millions of letters |
/// | `max_nesting` | 256 | tables in tables, paragraphs in text boxes, elements in elements |
/// | `max_page_operations` | 1 000 000 | operators a PDF page may draw (a real page draws thousands) … |
/// | `max_page_content_bytes` | 64 MiB | … and the decompressed size of one page's content |
///
/// Every reader spends what it builds against one budget as it builds it
/// (`budget.rs`), so a file that asks for too much is refused with
/// [`IngestError::TooComplex`] before memory or time run out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Most clauses one document may yield.
    pub max_clauses: usize,
    /// How many times its own size a zipped file (DOCX, ODT) may unpack to.
    /// Real documents are compressed 3–20 times; a zip bomb a million times.
    pub max_expansion_ratio: u64,
    /// The absolute ceiling on unpacked bytes, whatever the ratio allows.
    pub max_unpacked_bytes: u64,
    /// How many times its own size (at least 64 KiB) the text read from a
    /// file may be.
    pub max_text_ratio: u64,
    /// The absolute ceiling on the text read from one file.
    pub max_text_bytes: u64,
    /// How deep tables, text boxes and markup elements may nest.
    pub max_nesting: usize,
    /// Operators one PDF page may draw.
    pub max_page_operations: usize,
    /// Decompressed bytes of one PDF page's content.
    pub max_page_content_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 50 * 1024 * 1024,
            max_clauses: 100_000,
            max_expansion_ratio: 100,
            max_unpacked_bytes: 256 * 1024 * 1024,
            max_text_ratio: 100,
            max_text_bytes: 64 * 1024 * 1024,
            max_nesting: 256,
            max_page_operations: 1_000_000,
            max_page_content_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// How many bytes a zipped file of `packed` bytes may unpack to in all.
    pub fn unpack_budget(&self, packed: u64) -> u64 {
        packed
            .max(64 * 1024)
            .saturating_mul(self.max_expansion_ratio)
            .min(self.max_unpacked_bytes)
    }

    /// How much text a file of `size` bytes may yield.
    pub fn text_budget(&self, size: u64) -> u64 {
        size.max(64 * 1024)
            .saturating_mul(self.max_text_ratio)
            .min(self.max_text_bytes)
    }
}

/// Why a file could not be imported. Every message is a sentence a user can act on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    /// The file has no bytes, or nothing but whitespace.
    #[error("{name} is empty: there is no text to import.")]
    Empty { name: String },
    /// The file is larger than the configured limit.
    #[error(
        "{name} is {size} bytes, more than the limit of {limit} bytes; split the document or raise the limit."
    )]
    TooLarge { name: String, size: u64, limit: u64 },
    /// The format is not one Kryphål reads (yet).
    #[error("{name} cannot be imported: {reason}")]
    Unsupported { name: String, reason: String },
    /// A text format whose bytes are not text.
    #[error("{name} is not a text file: {reason}")]
    NotText { name: String, reason: String },
    /// The file was read but yielded no clause at all.
    #[error("{name} contains no paragraphs or clauses that could be imported.")]
    NoClauses { name: String },
    /// The document has more clauses than the configured limit.
    #[error("{name} yields more than {limit} clauses; it is too large to analyse as one document.")]
    TooManyClauses { name: String, limit: usize },
    /// The file is protected by a password (encrypted DOCX/ODT/PDF).
    #[error(
        "{name} is protected by a password; save an unprotected copy in the program that made it and import that."
    )]
    Encrypted { name: String },
    /// Reading the file would produce more than Kryphål reads from one
    /// document: text, operators, nesting. `what` is a lower-case clause
    /// without a full stop that names what was too large.
    #[error(
        "{name} is too large to import: {what}; split the document, or save the part you need as a new file, and import that."
    )]
    TooComplex { name: String, what: String },
    /// A PDF whose pages are images: there is no text to read.
    #[error("{name} is a scanned PDF without a text layer; run OCR on it first.")]
    NoTextLayer { name: String },
    /// The file is truncated or corrupt. `reason` is a lower-case clause without a full stop.
    #[error(
        "{name} is damaged and cannot be read ({reason}); open it in the program that made it and save it again."
    )]
    Damaged { name: String, reason: String },
    /// The file was refused as hostile: a zip bomb, XML entity declarations, a
    /// parser crash. `reason` is a lower-case clause without a full stop.
    #[error(
        "{name} was refused because {reason}; if you trust the file, save it again as a new document and import that."
    )]
    Unsafe { name: String, reason: String },
}

/// A document read and structured, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub format: SourceFormat,
    pub meta: DocumentMeta,
    pub outline: Outline,
    pub warnings: Vec<String>,
}

/// Decides the format from the file name and the first bytes.
pub fn detect_format(name: &str, bytes: &[u8]) -> Result<SourceFormat, IngestError> {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let unsupported = |reason: &str| IngestError::Unsupported {
        name: name.to_string(),
        reason: reason.to_string(),
    };
    if bytes.starts_with(b"%PDF") {
        return Ok(SourceFormat::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match zipped::kind(bytes) {
            Some(zipped::Kind::Docx) => Ok(SourceFormat::Docx),
            Some(zipped::Kind::Odt) => Ok(SourceFormat::Odt),
            None if matches!(ext, "docx" | "odt") => Err(IngestError::Damaged {
                name: name.to_string(),
                reason: "it is a zip archive without a Word or OpenDocument text part".into(),
            }),
            None => Err(unsupported(
                "it is a zip archive, not a Word (DOCX) or OpenDocument (ODT) text document.",
            )),
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An OLE compound file: a legacy .doc, or an encrypted OOXML package.
        if zipped::is_encrypted_ooxml(bytes) {
            return Err(IngestError::Encrypted {
                name: name.to_string(),
            });
        }
        return Err(unsupported(
            "it is a legacy Word .doc file; save it as DOCX or PDF in Word first.",
        ));
    }
    match ext {
        "pdf" => Err(IngestError::Damaged {
            name: name.to_string(),
            reason: "it does not start like a PDF file".into(),
        }),
        "docx" | "odt" | "docm" => Err(unsupported(&format!(
            "it is named .{ext} but is not a zipped document; it may be another kind of file renamed."
        ))),
        "doc" => Err(unsupported(
            "it is a legacy Word .doc file; save it as DOCX or PDF in Word first.",
        )),
        "md" | "markdown" => Ok(SourceFormat::Markdown),
        "htm" | "html" | "xhtml" => Ok(SourceFormat::Html),
        "txt" | "text" | "" => {
            if html::looks_like_html(bytes) {
                Ok(SourceFormat::Html)
            } else {
                Ok(SourceFormat::Text)
            }
        }
        other => Err(unsupported(&format!(
            "files ending in .{other} are not a supported format (DOCX, PDF, ODT, HTML, Markdown or plain text)."
        ))),
    }
}

/// Reads `bytes` (the file called `name`) into an outline. `lineage` prefixes
/// every id so that ids are unique across the library.
pub fn import(
    name: &str,
    bytes: &[u8],
    lineage: &str,
    limits: &Limits,
) -> Result<Imported, IngestError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(IngestError::TooLarge {
            name: name.to_string(),
            size: bytes.len() as u64,
            limit: limits.max_bytes,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty {
            name: name.to_string(),
        });
    }
    let format = detect_format(name, bytes)?;
    let raw = match format {
        SourceFormat::Markdown => {
            let decoded = text::decode(name, bytes)?;
            check_lines(name, &decoded, limits)?;
            if markdown::has_markdown_syntax(&decoded) {
                markdown::read(&decoded)
            } else {
                // Plain text saved with a .md name (e.g. docx2txt output).
                text::read(&decoded)
            }
        }
        SourceFormat::Html => html::read(name, &text::decode(name, bytes)?, limits)?,
        SourceFormat::Docx => docx::read(name, bytes, limits)?,
        SourceFormat::Odt => odt::read(name, bytes, limits)?,
        SourceFormat::Pdf => pdf::read(name, bytes, limits)?,
        SourceFormat::Text => {
            let decoded = text::decode(name, bytes)?;
            check_lines(name, &decoded, limits)?;
            text::read(&decoded)
        }
    };
    // Every reader is bounded by its budget; the blocks are counted once
    // more here, before the structure is built from them.
    if raw.blocks.len() > limits.max_clauses.saturating_mul(4) {
        return Err(IngestError::TooManyClauses {
            name: name.to_string(),
            limit: limits.max_clauses,
        });
    }
    let mut raw = raw;
    if matches!(
        format,
        SourceFormat::Pdf | SourceFormat::Docx | SourceFormat::Odt
    ) {
        cover::strip(&mut raw.blocks, &mut raw.meta);
    }
    if matches!(format, SourceFormat::Docx | SourceFormat::Odt) {
        cover::plain_headings(&mut raw.blocks);
        cover::labelled_fields(&mut raw.blocks);
    }
    let mut meta = raw.meta.clone();
    let outline = structure::build_with_toc(&raw.blocks, &raw.toc, &mut meta, lineage);
    if outline.clauses.is_empty() {
        return Err(IngestError::NoClauses {
            name: name.to_string(),
        });
    }
    if outline.clauses.len() > limits.max_clauses {
        return Err(IngestError::TooManyClauses {
            name: name.to_string(),
            limit: limits.max_clauses,
        });
    }
    if meta.title.trim().is_empty() {
        meta.title = title_from_file_name(name);
    }
    Ok(Imported {
        format,
        meta,
        outline,
        warnings: raw.warnings,
    })
}

/// A text or Markdown file is its own text, so its size bounds what it
/// yields, except for the number of its lines: each becomes a block, and a
/// file of millions of one-character lines would make millions. More
/// non-blank lines than eight per clause allowed is refused before reading.
fn check_lines(name: &str, text: &str, limits: &Limits) -> Result<(), IngestError> {
    let most = limits.max_clauses.saturating_mul(8);
    let mut lines = 0usize;
    for line in text.split('\n') {
        if !line.trim().is_empty() {
            lines += 1;
            if lines > most {
                return Err(IngestError::TooManyClauses {
                    name: name.to_string(),
                    limit: limits.max_clauses,
                });
            }
        }
    }
    Ok(())
}

/// `reglemente_kundval-2024.md` → `reglemente kundval-2024`.
fn title_from_file_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    stem.replace('_', " ").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_extension_and_magic_bytes() {
        assert_eq!(detect_format("a.md", b"# x"), Ok(SourceFormat::Markdown));
        assert_eq!(detect_format("a.TXT", b"x"), Ok(SourceFormat::Text));
        assert_eq!(detect_format("a.txt", b"%PDF-1.7"), Ok(SourceFormat::Pdf));
        assert_eq!(
            detect_format("lag.html", b"<html></html>"),
            Ok(SourceFormat::Html)
        );
        let doc = detect_format("old.doc", b"\xD0\xCF\x11\xE0rest").unwrap_err();
        assert!(doc.to_string().contains("legacy Word"), "{doc}");
        let png = detect_format("pic.png", b"\x89PNG").unwrap_err();
        assert!(png.to_string().contains(".png"), "{png}");
    }

    #[test]
    fn empty_and_whitespace_files_are_refused() {
        let l = Limits::default();
        assert!(matches!(
            import("a.md", b"", "d", &l),
            Err(IngestError::Empty { .. })
        ));
        assert!(matches!(
            import("a.md", b" \n\t\n", "d", &l),
            Err(IngestError::Empty { .. })
        ));
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        let l = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let err = import("a.txt", b"01234567890", "d", &l).unwrap_err();
        assert!(
            err.to_string().contains("more than the limit of 10 bytes"),
            "{err}"
        );
    }

    #[test]
    fn a_file_of_only_headings_has_no_clauses() {
        let err = import("a.md", b"# Titel\n\n## Rubrik\n", "d", &Limits::default()).unwrap_err();
        assert!(matches!(err, IngestError::NoClauses { .. }));
    }

    #[test]
    fn title_falls_back_to_the_file_name() {
        let imp = import(
            "min_policy.txt",
            b"Ett stycke text.",
            "d",
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(imp.meta.title, "min policy");
    }
}
