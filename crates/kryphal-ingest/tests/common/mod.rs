//! Helpers shared by the integration tests: building small DOCX files in memory.
#![allow(dead_code)]

use std::io::Write;

use kryphal_ingest::{Imported, Limits};
use zip::write::SimpleFileOptions;

/// A zip archive of the given parts (stored, uncompressed).
pub fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A DOCX with `body` (the inside of `w:body`) and optional styles and numbering.
pub fn docx(body: &str, styles: &str, numbering: &str) -> Vec<u8> {
    let document =
        format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>");
    let styles = format!("<?xml version=\"1.0\"?><w:styles {W}>{styles}</w:styles>");
    let numbering = format!("<?xml version=\"1.0\"?><w:numbering {W}>{numbering}</w:numbering>");
    zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &document),
        ("word/styles.xml", &styles),
        ("word/numbering.xml", &numbering),
    ])
}

pub fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

pub fn import(name: &str, bytes: &[u8]) -> Imported {
    kryphal_ingest::import(name, bytes, "d", &Limits::default())
        .unwrap_or_else(|e| panic!("{name} should import: {e}"))
}

/// `label] text` lines of the outline's clauses, in order.
pub fn clause_lines(imp: &Imported) -> Vec<String> {
    imp.outline
        .clauses
        .iter()
        .map(|c| format!("{}] {}", c.label, c.text))
        .collect()
}
