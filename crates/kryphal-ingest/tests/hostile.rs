//! Hostile and broken input: every file is refused with a clear sentence
//! that names the file, and nothing panics.

mod common;
mod hostile_files;

use std::io::Write;

use common::*;
use kryphal_ingest::{IngestError, Limits, import};

fn refuse(name: &str, bytes: &[u8]) -> IngestError {
    refuse_with(name, bytes, &Limits::default())
}

fn refuse_with(name: &str, bytes: &[u8], limits: &Limits) -> IngestError {
    let err = import(name, bytes, "d", limits).expect_err("must be refused");
    let msg = err.to_string();
    assert!(msg.starts_with(name), "the message names the file: {msg}");
    assert!(msg.ends_with('.'), "one sentence: {msg}");
    assert_eq!(msg.matches(". ").count(), 0, "one sentence only: {msg}");
    err
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A zip file with one deflated entry whose header says it unpacks to
/// `declared` bytes (built by hand: the payload is a tiny valid deflate stream).
fn zip_declaring(entry: &str, declared: u32) -> Vec<u8> {
    // Fixed-Huffman deflate stream of a few zero bytes.
    let data: &[u8] = &[0x63, 0x60, 0x80, 0x00, 0x00];
    let name = entry.as_bytes();
    let mut out = Vec::new();
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    out.extend(le32(0x0403_4b50));
    out.extend(le16(20));
    out.extend(le16(0));
    out.extend(le16(8));
    out.extend(le16(0));
    out.extend(le16(0));
    out.extend(le32(0));
    out.extend(le32(data.len() as u32));
    out.extend(le32(declared));
    out.extend(le16(name.len() as u16));
    out.extend(le16(0));
    out.extend(name);
    out.extend(data);
    let cd_start = out.len() as u32;
    out.extend(le32(0x0201_4b50));
    out.extend(le16(20));
    out.extend(le16(20));
    out.extend(le16(0));
    out.extend(le16(8));
    out.extend(le16(0));
    out.extend(le16(0));
    out.extend(le32(0));
    out.extend(le32(data.len() as u32));
    out.extend(le32(declared));
    out.extend(le16(name.len() as u16));
    out.extend([0; 12]);
    out.extend(le32(0));
    out.extend(name);
    let cd_len = out.len() as u32 - cd_start;
    out.extend(le32(0x0605_4b50));
    out.extend([0; 4]);
    out.extend(le16(1));
    out.extend(le16(1));
    out.extend(le32(cd_len));
    out.extend(le32(cd_start));
    out.extend(le16(0));
    out
}

#[test]
fn a_docx_zip_bomb_is_refused_before_it_is_unpacked() {
    // 250 bytes that claim to hold a 3.9 GB document.xml.
    let bomb = zip_declaring("word/document.xml", 3_900_000_000);
    assert!(bomb.len() < 300);
    let err = refuse("bomb.docx", &bomb);
    assert!(matches!(err, IngestError::Unsafe { .. }), "{err:?}");
    assert!(err.to_string().contains("zip bomb"), "{err}");
}

#[test]
fn a_real_deflate_bomb_is_refused_by_the_expansion_ratio() {
    // 20 MB of one repeated byte deflates to a few kilobytes: over 100 times its size.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..20 {
        w.write_all(&chunk).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    assert!(bytes.len() < 100_000, "{}", bytes.len());
    let err = refuse("bomb.docx", &bytes);
    assert!(matches!(err, IngestError::Unsafe { .. }), "{err:?}");
    // The ratio is configurable: a generous limit lets the same file through to the next check.
    let lenient = Limits {
        max_expansion_ratio: 1_000_000,
        ..Limits::default()
    };
    let err = refuse_with("bomb.docx", &bytes, &lenient);
    assert!(!matches!(err, IngestError::Unsafe { .. }), "{err:?}");
}

#[test]
fn xml_with_nested_entity_expansion_is_refused() {
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "hahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>"#;
    let doc = format!(
        "{laughs}<w:document {W}><w:body><w:p><w:r><w:t>&d;</w:t></w:r></w:p></w:body></w:document>"
    );
    let bytes = zip_of(&[("word/document.xml", &doc)]);
    let err = refuse("laughs.docx", &bytes);
    assert!(matches!(err, IngestError::Unsafe { .. }), "{err:?}");
    assert!(err.to_string().contains("entity"), "{err}");
    let odt = zip_of(&[(
        "content.xml",
        &doc.replace("w:document", "office:document-content"),
    )]);
    assert!(matches!(
        refuse("laughs.odt", &odt),
        IngestError::Unsafe { .. }
    ));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    let limits = Limits {
        max_bytes: 1024,
        ..Limits::default()
    };
    let err = refuse_with("stor.pdf", &vec![b'%'; 2048], &limits);
    assert_eq!(
        err,
        IngestError::TooLarge {
            name: "stor.pdf".into(),
            size: 2048,
            limit: 1024
        }
    );
}

#[test]
fn truncated_docx_and_pdf_are_refused_as_damaged() {
    let docx = fixture("riktlinje.docx");
    let err = refuse("halv.docx", &docx[..docx.len() / 2]);
    assert!(matches!(err, IngestError::Damaged { .. }), "{err:?}");
    let pdf = fixture("riktlinje.pdf");
    let err = refuse("halv.pdf", &pdf[..pdf.len() / 3]);
    // Never the scan's OCR advice: the text is there, the file is broken.
    assert!(matches!(err, IngestError::Damaged { .. }), "{err:?}");
}

#[test]
fn password_protected_docx_and_pdf_are_refused() {
    // An encrypted DOCX is an OLE compound file holding an EncryptedPackage stream.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 504]);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    ole.extend(vec![0u8; 64]);
    let err = refuse("hemlig.docx", &ole);
    assert!(matches!(err, IngestError::Encrypted { .. }), "{err:?}");
    assert!(err.to_string().contains("password"), "{err}");
    let err = refuse("riktlinje-losenord.pdf", &fixture("riktlinje-losenord.pdf"));
    assert!(matches!(err, IngestError::Encrypted { .. }), "{err:?}");
    // A legacy .doc (OLE without an encrypted package) gets the DOCX advice.
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend(vec![0u8; 600]);
    let err = refuse("gammal.doc", &doc);
    assert!(err.to_string().contains("legacy Word .doc"), "{err}");
}

#[test]
fn empty_files_are_refused() {
    for name in ["tom.docx", "tom.pdf", "tom.txt", "tom.html"] {
        assert!(matches!(refuse(name, b""), IngestError::Empty { .. }));
    }
}

#[test]
fn a_png_renamed_docx_is_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let err = refuse("bild.docx", png);
    assert!(matches!(err, IngestError::Unsupported { .. }), "{err:?}");
    assert!(
        err.to_string().contains("another kind of file renamed"),
        "{err}"
    );
}

#[test]
fn binary_bytes_in_a_text_file_are_refused() {
    let err = refuse("data.txt", b"abc\x00\x01\x02\x03\xff\xfe binary");
    assert!(matches!(err, IngestError::NotText { .. }), "{err:?}");
    // Invalid UTF-8 that is plausible Windows-1252 is converted, not refused.
    let imp = import(
        "latin.txt",
        b"Leverant\xf6ren ska l\xe4mna intyg.",
        "d",
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(imp.outline.clauses[0].text, "Leverantören ska lämna intyg.");
}

#[test]
fn a_pdf_with_garbage_after_its_header_never_panics() {
    let mut junk = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".to_vec();
    junk.extend((0..5000u32).map(|i| (i * 7919 % 251) as u8));
    let err = refuse("trasig.pdf", &junk);
    assert!(
        matches!(
            err,
            IngestError::Damaged { .. }
                | IngestError::Unsafe { .. }
                | IngestError::NoTextLayer { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn a_zip_that_is_not_a_document_is_refused() {
    let err = refuse("arkiv.docx", &zip_of(&[("readme.txt", "hej")]));
    assert!(matches!(err, IngestError::Damaged { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("without a Word or OpenDocument text part"),
        "{err}"
    );
}

// ---- Budgets: what a small file may make the importer build (issue 21) ----

use hostile_files as h;

fn too_complex(name: &str, bytes: &[u8], what: &str) -> String {
    let err = refuse(name, bytes);
    assert!(
        matches!(err, IngestError::TooComplex { .. }),
        "{name}: {err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains(what), "{name}: {msg}");
    msg
}

#[test]
fn a_list_starting_at_two_hundred_million_gets_short_labels() {
    let bytes = h::numbering_docx();
    assert!(bytes.len() < 2_000, "{}", bytes.len());
    let imp = import("lista.docx", &bytes, "d", &Limits::default()).unwrap();
    assert_eq!(imp.outline.clauses.len(), 3);
    for c in &imp.outline.clauses {
        assert!(c.text.len() < 400, "{}", c.text.len());
        assert!(c.text.ends_with("om kontroll."), "{}", c.text);
    }
}

#[test]
fn a_footnote_cited_a_thousand_times_is_read_once() {
    // 1 MiB of note, 5,000 citations: 5 GB when each citation copied it.
    let bytes = h::footnote_docx(1024, 5_000);
    let imp = import("fotnot.docx", &bytes, "d", &Limits::default()).unwrap();
    let total: usize = imp.outline.clauses.iter().map(|c| c.text.len()).sum();
    assert!(total < 3 << 20, "{total} bytes of text");
    let with_note = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.text.contains("[Fotnot 1:"))
        .count();
    assert_eq!(with_note, 1, "the note is attached where it is first cited");
    assert!(imp.outline.clauses[1].text.contains("[1]"));
}

#[test]
fn text_that_outgrows_its_file_is_refused_naming_the_text() {
    // Notes cited in a file whose text is a thousand times the file.
    let limits = Limits {
        max_text_ratio: 2,
        ..Limits::default()
    };
    let bytes = h::footnote_docx(512, 100);
    let err = refuse_with("stor.docx", &bytes, &limits);
    assert!(matches!(err, IngestError::TooComplex { .. }), "{err:?}");
    assert!(err.to_string().contains("its text grows past"), "{err}");
}

#[test]
fn a_table_of_millions_of_empty_cells_is_refused() {
    too_complex(
        "celler.docx",
        &h::empty_cells_docx(1_500_000),
        "its text grows past",
    );
}

#[test]
fn tables_nested_thousands_deep_are_refused() {
    too_complex(
        "tabeller.docx",
        &h::nested_tables_docx(5_000),
        "tables inside tables more than 256 deep",
    );
    too_complex(
        "listor.odt",
        &h::nested_lists_odt(5_000),
        "lists inside lists more than 256 deep",
    );
    too_complex(
        "div.html",
        &h::deep_html(5_000),
        "elements more than 1024 deep",
    );
    // Real nesting is fine.
    import(
        "tabeller.docx",
        &h::nested_tables_docx(5),
        "d",
        &Limits::default(),
    )
    .unwrap();
}

#[test]
fn an_element_with_thousands_of_attributes_is_read_in_linear_time() {
    let start = std::time::Instant::now();
    let imp = import(
        "attr.docx",
        &h::many_attributes_docx(200_000),
        "d",
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(imp.outline.clauses.len(), 1);
    too_complex(
        "attr.html",
        &h::many_attributes_html(200_000),
        "more than 1000 attributes",
    );
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

#[test]
fn unmatched_closing_tags_cost_linear_time() {
    // 1,000 open elements and 200,000 closing tags that match none.
    let bytes = h::unmatched_html(1_000, 200_000);
    let start = std::time::Instant::now();
    let imp = import("stack.html", &bytes, "d", &Limits::default()).unwrap();
    assert!(!imp.outline.clauses.is_empty());
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}

#[test]
fn a_page_of_two_hundred_million_operators_is_refused_as_a_bomb() {
    let bytes = h::q_bomb_pdf(192);
    assert!(bytes.len() < 400_000, "{}", bytes.len());
    let err = refuse("q.pdf", &bytes);
    assert!(matches!(err, IngestError::Unsafe { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("content of page 1 unpacks to more than 64 MB"),
        "{err}"
    );
    // Under the content limit, over the operator limit.
    too_complex(
        "n.pdf",
        &h::many_operators_pdf(1_500_000),
        "page 1 draws more than 1000000 operators",
    );
    too_complex(
        "q.pdf",
        &h::nested_states_pdf(1_000),
        "graphics states more than 256 deep",
    );
    // Real nesting is fine.
    import("q.pdf", &h::nested_states_pdf(20), "d", &Limits::default()).unwrap();
}

#[test]
fn pdf_objects_that_would_fill_the_memory_are_refused_before_loading() {
    too_complex(
        "array.pdf",
        &h::big_array_pdf(3_000_000),
        "more than 2000000 numbers",
    );
    too_complex(
        "pages.pdf",
        &h::many_pages_pdf(100_000),
        "more than 2000000 numbers",
    );
    let err = refuse("objstm.pdf", &h::object_stream_bomb_pdf(2_000, 100_000));
    assert!(matches!(err, IngestError::Unsafe { .. }), "{err:?}");
    assert!(err.to_string().contains("object bomb"), "{err}");
    // A font of millions of widths is read to its cap, quickly.
    let start = std::time::Instant::now();
    let imp = import(
        "font.pdf",
        &h::wide_font_pdf(50_000),
        "d",
        &Limits::default(),
    )
    .unwrap();
    assert!(!imp.outline.clauses.is_empty());
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    // Many pages within the limits are read.
    let imp = import(
        "sidor.pdf",
        &h::many_pages_pdf(200),
        "d",
        &Limits::default(),
    )
    .unwrap();
    assert!(!imp.outline.clauses.is_empty());
}

#[test]
fn broken_pdfs_are_called_damaged_not_scanned() {
    import("hel.pdf", &h::text_pdf(), "d", &Limits::default()).unwrap();
    let err = refuse("trunkerad.pdf", &h::truncated_pdf());
    assert!(matches!(err, IngestError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("page 1"), "{err}");
    let err = refuse("slinga.pdf", &h::reference_loop_pdf());
    assert!(matches!(err, IngestError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("reference loop"), "{err}");
}

#[test]
fn millions_of_one_letter_lines_are_refused_before_reading() {
    let err = refuse("rader.txt", &h::many_lines_text(1_000_000));
    assert!(matches!(err, IngestError::TooManyClauses { .. }), "{err:?}");
}

#[test]
fn utf16_text_is_read_as_text() {
    let imp = import("unicode.txt", &h::utf16_text(), "d", &Limits::default()).unwrap();
    assert_eq!(imp.meta.title, "Riktlinje för kontroll");
    assert!(imp.outline.clauses[0].text.contains("osannolikt"));
    // Without a byte-order mark too.
    let bare = &h::utf16_text()[2..];
    let imp = import("unicode.txt", bare, "d", &Limits::default()).unwrap();
    assert_eq!(imp.meta.title, "Riktlinje för kontroll");
}

#[test]
fn a_docx_with_two_parts_of_one_name_is_refused() {
    // The zip writer refuses duplicate names: rename one entry in the bytes.
    let mut bytes = h::zip_deflated(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
        ("word/documenX.xml", b"<w:document/>"),
    ]);
    let from = b"word/documenX.xml";
    let mut i = 0;
    while let Some(p) = bytes[i..].windows(from.len()).position(|w| w == from) {
        bytes[i + p + 12] = b't';
        i += p + 1;
    }
    let err = refuse("dubbel.docx", &bytes);
    assert!(matches!(err, IngestError::Unsafe { .. }), "{err:?}");
    assert!(
        err.to_string().contains("two parts with the same name"),
        "{err}"
    );
}
