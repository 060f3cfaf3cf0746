//! Hostile files, generated: each is small on the disk and asks the importer
//! for far more than it holds (issue 21's cases, and more of the same kind).
//! Used by `tests/hostile.rs` here (in-process) and by the CLI's
//! `tests/hostile.rs` (the real binary under `ulimit -v`), which includes
//! this file by path. Every function returns the file's bytes.
#![allow(dead_code)]

use std::io::Write;

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A zip of `parts`, deflated (as Word writes them).
pub fn zip_deflated(parts: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with(parts, zip::CompressionMethod::Deflated)
}

/// A zip of `parts`, stored: as large on the disk as unpacked, so no
/// expansion limit stands in the way.
pub fn zip_stored(parts: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with(parts, zip::CompressionMethod::Stored)
}

fn zip_with(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(true);
    for (name, body) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A DOCX of `document.xml`'s body and the other parts given.
pub fn docx_with(body: &str, parts: &[(&str, String)]) -> Vec<u8> {
    let document =
        format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>");
    let mut all: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document.as_bytes()),
    ];
    for (name, text) in parts {
        all.push((name, text.as_bytes()));
    }
    zip_deflated(&all)
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A lettered list that starts at 200,000,000 with a long level text: each
/// label was built letter by letter (7.7 million letters per `%1`).
pub fn numbering_docx() -> Vec<u8> {
    let level_text = "%1.".repeat(60);
    let numbering = format!(
        "<w:numbering {W}><w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"200000000\"/>\
         <w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"{level_text}\"/></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>"
    );
    let body: String = (0..3)
        .map(|i| {
            format!(
                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>\
                 <w:r><w:t>Punkt {i} om kontroll.</w:t></w:r></w:p>"
            )
        })
        .collect();
    docx_with(&body, &[("word/numbering.xml", numbering)])
}

/// One footnote of `note_kib` KiB cited `refs` times (50 citations per
/// paragraph): each citation copied the note.
pub fn footnote_docx(note_kib: usize, refs: usize) -> Vec<u8> {
    let sentence = "Fotnotstext om egenkontroll och uppföljning. ";
    let note = sentence.repeat(note_kib * 1024 / sentence.len());
    let notes = format!(
        "<w:footnotes {W}><w:footnote w:id=\"1\"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>"
    );
    let cite = "<w:r><w:footnoteReference w:id=\"1\"/></w:r>".repeat(50);
    let body: String = (0..refs / 50)
        .map(|i| format!("<w:p><w:r><w:t>Stycke {i} hänvisar.</w:t></w:r>{cite}</w:p>"))
        .collect();
    docx_with(&body, &[("word/footnotes.xml", notes)])
}

/// Tables nested `depth` deep.
pub fn nested_tables_docx(depth: usize) -> Vec<u8> {
    let open = "<w:tbl><w:tr><w:tc>".repeat(depth);
    let close = "</w:tc></w:tr></w:tbl>".repeat(depth);
    docx_with(&format!("{open}{}{close}", para("Innerst.")), &[])
}

/// A table of `cells` empty cells in rows of 60: nothing but bookkeeping
/// (stored, not deflated: 19 bytes a cell on the disk).
pub fn empty_cells_docx(cells: usize) -> Vec<u8> {
    let row = format!("<w:tr>{}</w:tr>", "<w:tc><w:p/></w:tc>".repeat(60));
    let body = format!("<w:tbl>{}</w:tbl>{}", row.repeat(cells / 60), para("Slut."));
    let document =
        format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>");
    zip_stored(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document.as_bytes()),
    ])
}

/// A paragraph whose element has `n` attributes.
pub fn many_attributes_docx(n: usize) -> Vec<u8> {
    let attrs: String = (0..n).map(|i| format!(" a{i}=\"x\"")).collect();
    docx_with(
        &format!("<w:p{attrs}><w:r><w:t>Text om kontroll.</w:t></w:r></w:p>"),
        &[],
    )
}

/// Lists nested `depth` deep in an ODT.
pub fn nested_lists_odt(depth: usize) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>{}<text:p>Innerst.</text:p>{}\
         </office:text></office:body></office:document-content>",
        "<text:list><text:list-item>".repeat(depth),
        "</text:list-item></text:list>".repeat(depth)
    );
    zip_deflated(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
    ])
}

/// Deflate, as PDF's FlateDecode (zlib) wants it.
pub fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A stream object: the dictionary entries and the data (compressed when asked).
pub fn pdf_stream(extra: &str, data: &[u8], compress: bool) -> Vec<u8> {
    let (data, filter) = if compress {
        (zlib(data), " /Filter /FlateDecode")
    } else {
        (data.to_vec(), "")
    };
    let mut out = format!("<< /Length {}{filter}{extra} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

/// A PDF of these objects (numbered from 1; object 1 is the catalog), with
/// a cross-reference table.
pub fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

const FONT: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
const TEXT: &[u8] =
    b"BT /F1 12 Tf 72 720 Td (Det \\344r osannolikt att kontrollen sker i tid.) Tj ET\n";

/// A one-page PDF whose page content is `content` (compressed when asked):
/// objects 1 catalog, 2 pages, 3 page, 4 content, 5 font, then `extra`.
pub fn one_page_pdf(content: &[u8], compress: bool, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        pdf_stream("", content, compress),
        FONT.to_vec(),
    ];
    objects.extend(extra.iter().cloned());
    pdf_of(&objects)
}

/// A page whose Flate content is `mib` MiB of `q ` (save the graphics
/// state): 196 KB on the disk for 192 MiB.
pub fn q_bomb_pdf(mib: usize) -> Vec<u8> {
    one_page_pdf(&b"q ".repeat(mib * 512 * 1024), true, &[])
}

/// A page of `ops` path operators (`n`), compressed: under the content
/// limit, over the operator limit.
pub fn many_operators_pdf(ops: usize) -> Vec<u8> {
    let mut content = TEXT.to_vec();
    content.extend(b"n\n".repeat(ops));
    one_page_pdf(&content, true, &[])
}

/// Graphics states nested `depth` deep around the text.
pub fn nested_states_pdf(depth: usize) -> Vec<u8> {
    let mut content = b"q ".repeat(depth);
    content.extend(TEXT);
    content.extend(b"Q ".repeat(depth));
    one_page_pdf(&content, true, &[])
}

/// A text page, whole: the control case.
pub fn text_pdf() -> Vec<u8> {
    one_page_pdf(&TEXT.repeat(40), true, &[])
}

/// The text page cut inside its content stream.
pub fn truncated_pdf() -> Vec<u8> {
    let whole = text_pdf();
    let start = whole.windows(7).position(|w| w == b"stream\n").unwrap() + 7;
    whole[..start + 60].to_vec()
}

/// A page whose content reference goes round in a loop (6 → 7 → 6).
pub fn reference_loop_pdf() -> Vec<u8> {
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        pdf_stream("", TEXT, true),
        FONT.to_vec(),
        b"7 0 R".to_vec(),
        b"6 0 R".to_vec(),
    ])
}

/// `pages` pages that all draw one shared content stream with one font.
pub fn many_pages_pdf(pages: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 5)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        pdf_stream("", &TEXT.repeat(20), true),
        FONT.to_vec(),
    ];
    for _ in 0..pages {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
                .to_vec(),
        );
    }
    pdf_of(&objects)
}

/// One uncompressed array of `n` zeros beside a text page.
pub fn big_array_pdf(n: usize) -> Vec<u8> {
    let mut array = b"[".to_vec();
    array.extend(b"0 ".repeat(n));
    array.push(b']');
    one_page_pdf(TEXT, true, &[array])
}

/// An object stream whose index points `objects` objects at one offset
/// holding an array of `zeros` zeros: each listed object a copy of it.
pub fn object_stream_bomb_pdf(objects: usize, zeros: usize) -> Vec<u8> {
    let index: String = (0..objects).map(|i| format!("{} 0 ", i + 10)).collect();
    let mut data = index.clone().into_bytes();
    data.push(b'[');
    data.extend(b"0 ".repeat(zeros));
    data.push(b']');
    let stream = pdf_stream(
        &format!(" /Type /ObjStm /N {objects} /First {}", index.len()),
        &data,
        true,
    );
    one_page_pdf(TEXT, true, &[stream])
}

/// A Type0 font whose widths array has `entries` ranges of 65,536 glyphs.
pub fn wide_font_pdf(entries: usize) -> Vec<u8> {
    let w: String = (0..entries).map(|_| "0 65535 500 ").collect();
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 8 0 R >> >> >>".to_vec(),
        pdf_stream("", &[b"BT /F2 12 Tf 72 700 Td <00410042> Tj ET\n".as_slice(), TEXT].concat(), true),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] >>".to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /W 7 0 R >>".to_vec(),
        format!("[{w}]").into_bytes(),
        FONT.to_vec(),
    ])
}

/// `open` unclosed `<span>`s, then `close` closing tags that match nothing:
/// each closing tag searched the whole stack.
pub fn unmatched_html(open: usize, close: usize) -> Vec<u8> {
    format!(
        "<html><body><p>Text om kontroll.</p>{}<p>Mer text.</p>{}</body></html>",
        "<span>".repeat(open),
        "</div>".repeat(close)
    )
    .into_bytes()
}

/// `depth` nested `<div>`s.
pub fn deep_html(depth: usize) -> Vec<u8> {
    format!(
        "<html><body>{}<p>Innerst.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
    .into_bytes()
}

/// A tag with `n` attributes (the tokenizer compares each with all before).
pub fn many_attributes_html(n: usize) -> Vec<u8> {
    let attrs: String = (0..n).map(|i| format!(" a{i}")).collect();
    format!("<html><body><p{attrs}>Text om kontroll.</p></body></html>").into_bytes()
}

/// `n` paragraphs of one letter each: a block per line.
pub fn many_lines_text(n: usize) -> Vec<u8> {
    b"x\n\n".repeat(n)
}

/// A small text document in UTF-16 (little-endian, with a byte-order mark),
/// as Windows' Notepad saves "Unicode" text.
pub fn utf16_text() -> Vec<u8> {
    let text = "Riktlinje för kontroll\n\n1. Det är osannolikt att kontrollen sker.\n2. Egenförsäkran räcker.\n";
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}
