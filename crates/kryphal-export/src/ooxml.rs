//! Office Open XML plumbing shared by the Word writers, the template and
//! the review reader: XML escaping, a package writer that deflates every
//! part (and always gives the same bytes for the same parts), and a package
//! reader that unpacks within a byte budget, so a zip bomb or a huge part is
//! refused before it fills the memory.

use std::io::{Cursor, Read, Write};

use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::{ExportError, Format};

pub(crate) const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub(crate) const NS_W14: &str = "http://schemas.microsoft.com/office/word/2010/wordml";
pub(crate) const NS_W15: &str = "http://schemas.microsoft.com/office/word/2012/wordml";
pub(crate) const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub(crate) const NS_MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
pub(crate) const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
pub(crate) const NS_CT: &str = "http://schemas.openxmlformats.org/package/2006/content-types";

pub(crate) const REL_OFFICE_DOCUMENT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
pub(crate) const REL_CORE: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
pub(crate) const REL_APP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties";
pub(crate) const REL_STYLES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
pub(crate) const REL_SETTINGS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings";
pub(crate) const REL_NUMBERING: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering";
pub(crate) const REL_FOOTER: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer";
pub(crate) const REL_COMMENTS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
pub(crate) const REL_COMMENTS_EXTENDED: &str =
    "http://schemas.microsoft.com/office/2011/relationships/commentsExtended";
pub(crate) const REL_CUSTOM_XML: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml";
pub(crate) const REL_CUSTOM_XML_PROPS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps";

pub(crate) const CT_DOCUMENT: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
pub(crate) const CT_TEMPLATE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml";
pub(crate) const CT_STYLES: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml";
pub(crate) const CT_SETTINGS: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml";
pub(crate) const CT_NUMBERING: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml";
pub(crate) const CT_FOOTER: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml";
pub(crate) const CT_COMMENTS: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
pub(crate) const CT_COMMENTS_EXTENDED: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml";
pub(crate) const CT_CUSTOM_XML_PROPS: &str =
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml";
pub(crate) const CT_CORE: &str = "application/vnd.openxmlformats-package.core-properties+xml";
pub(crate) const CT_APP: &str =
    "application/vnd.openxmlformats-officedocument.extended-properties+xml";

/// `s` escaped for XML text and attribute values. Characters XML 1.0
/// cannot hold at all (other control characters) become spaces.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The XML declaration every part starts with.
pub(crate) const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A zip package being written: every part deflated, every time stamp the
/// same (1980-01-01), so the same parts always give the same bytes.
pub(crate) struct PackageWriter {
    zip: ZipWriter<Cursor<Vec<u8>>>,
    format: Format,
}

impl PackageWriter {
    pub(crate) fn new(format: Format) -> Self {
        PackageWriter {
            zip: ZipWriter::new(Cursor::new(Vec::new())),
            format,
        }
    }

    fn fail(&self, e: impl std::fmt::Display) -> ExportError {
        ExportError::Write {
            format: self.format,
            reason: e.to_string(),
        }
    }

    /// Adds one part (`word/document.xml`, …).
    pub(crate) fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), ExportError> {
        // Pictures are compressed already: storing them saves the time.
        let stored = [".png", ".jpg", ".jpeg", ".gif", ".emf.gz"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(ext));
        let options = SimpleFileOptions::default()
            .compression_method(if stored {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            })
            .last_modified_time(DateTime::default());
        self.zip
            .start_file(name, options)
            .map_err(|e| self.fail(e))?;
        self.zip.write_all(bytes).map_err(|e| self.fail(e))
    }

    pub(crate) fn finish(self) -> Result<Vec<u8>, ExportError> {
        let format = self.format;
        self.zip
            .finish()
            .map(Cursor::into_inner)
            .map_err(|e| ExportError::Write {
                format,
                reason: e.to_string(),
            })
    }
}

/// The same package with every part deflated (docx-rs stores them, which
/// made a memo of 200 findings weigh a megabyte).
pub(crate) fn deflate(bytes: &[u8], format: Format) -> Result<Vec<u8>, ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Write {
        format,
        reason: e.to_string(),
    };
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let mut out = PackageWriter::new(format);
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).map_err(|e| fail(&e))?;
        if file.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(file.name_raw()).into_owned();
        let mut buf = Vec::with_capacity(file.size() as usize);
        file.read_to_end(&mut buf).map_err(|e| fail(&e))?;
        out.add(&name, &buf)?;
    }
    out.finish()
}

/// How much a package may unpack to: a Word file of real text is a few
/// megabytes unpacked; a template with pictures somewhat more.
const UNPACK_LIMIT: u64 = 256 * 1024 * 1024;
/// At most this many parts.
const MAX_PARTS: usize = 10_000;

/// A package opened for reading, with a shared unpacking budget.
pub(crate) struct PackageReader<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

/// Why a package could not be read.
pub(crate) enum ReadFailure {
    /// Not a zip file at all (or damaged beyond reading).
    NotZip(String),
    /// Encrypted with a password.
    Encrypted,
    /// A part unpacks to far more than a document holds.
    Bomb(String),
    /// A part is damaged or not UTF-8.
    Damaged(String),
}

impl ReadFailure {
    pub(crate) fn sentence(&self, what: &str) -> String {
        match self {
            ReadFailure::NotZip(e) => {
                format!("{what} is not a Word file (.docx): it is not a zip package ({e})")
            }
            ReadFailure::Encrypted => format!(
                "{what} is protected with a password; save it without a password and try again"
            ),
            ReadFailure::Bomb(part) => format!(
                "{what} is refused: its part {part} unpacks to far more than a document holds"
            ),
            ReadFailure::Damaged(e) => format!("{what} is damaged: {e}"),
        }
    }
}

impl<'a> PackageReader<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Self, ReadFailure> {
        if is_encrypted_ooxml(bytes) {
            return Err(ReadFailure::Encrypted);
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
            ZipError::UnsupportedArchive(m) if m.contains("assword") => ReadFailure::Encrypted,
            other => ReadFailure::NotZip(other.to_string()),
        })?;
        if zip.len() > MAX_PARTS {
            return Err(ReadFailure::Damaged(format!(
                "it has {} parts, more than a document has",
                zip.len()
            )));
        }
        Ok(PackageReader {
            zip,
            budget: UNPACK_LIMIT.min((bytes.len() as u64).saturating_mul(200) + (1 << 20)),
        })
    }

    /// The names of the parts, in the archive's order.
    pub(crate) fn names(&self) -> Vec<String> {
        self.zip
            .file_names_raw()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect()
    }

    /// One part's bytes; `Ok(None)` when the package has no such part.
    pub(crate) fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadFailure> {
        let mut file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
                return Err(ReadFailure::Encrypted);
            }
            Err(e) => return Err(ReadFailure::Damaged(e.to_string())),
        };
        if file.encrypted() {
            return Err(ReadFailure::Encrypted);
        }
        if file.size() > self.budget {
            return Err(ReadFailure::Bomb(name.to_string()));
        }
        let mut buf = Vec::with_capacity(file.size().min(16 << 20) as usize);
        let read = (&mut file)
            .take(self.budget + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                ReadFailure::Damaged(format!("its part {name} cannot be unpacked: {e}"))
            })?;
        if read as u64 > self.budget {
            return Err(ReadFailure::Bomb(name.to_string()));
        }
        self.budget -= read as u64;
        Ok(Some(buf))
    }

    /// One part as UTF-8 text (a byte-order mark is dropped).
    pub(crate) fn text(&mut self, name: &str) -> Result<Option<String>, ReadFailure> {
        let Some(bytes) = self.bytes(name)? else {
            return Ok(None);
        };
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .map(<[u8]>::to_vec)
            .unwrap_or(bytes);
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| ReadFailure::Damaged(format!("its part {name} is not UTF-8 text")))
    }
}

/// An OLE compound file holding an `EncryptedPackage` stream is a
/// password-protected Office document.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return false;
    }
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Parses XML with roxmltree's limits (no external entities; DTDs refused).
pub(crate) fn parse(xml: &str) -> Result<roxmltree::Document<'_>, String> {
    roxmltree::Document::parse_with_options(
        xml,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .map_err(|e| e.to_string())
}

/// The `w:` attribute `name` of a node.
pub(crate) fn w_attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((NS_W, name))
}

/// Whether `node` is the `w:` element `name`.
pub(crate) fn is_w(node: roxmltree::Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(NS_W)
}

/// A 64-bit FNV-1a hash: stable across versions and platforms (the review
/// document's manifest keeps it).
pub(crate) fn fnv64(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Whitespace collapsed to single spaces, trimmed: how texts are compared.
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_text_and_drops_what_xml_cannot_hold() {
        assert_eq!(esc("a<b & \"c\"\u{7}"), "a&lt;b &amp; &quot;c&quot; ");
        assert_eq!(squash("  a\u{a0} b\n\tc "), "a b c");
    }

    #[test]
    fn deflated_packages_are_smaller_and_the_same_every_time() {
        let mut w = PackageWriter::new(Format::MemoDocx);
        w.add("word/document.xml", "<a>text</a>".repeat(500).as_bytes())
            .unwrap();
        let a = w.finish().unwrap();
        assert!(a.len() < 1_000, "{}", a.len());
        let again = deflate(&a, Format::MemoDocx).unwrap();
        assert_eq!(a, again);
        let mut r = PackageReader::open(&a).ok().unwrap();
        assert_eq!(
            r.text("word/document.xml").ok().unwrap().unwrap().len(),
            11 * 500
        );
        assert!(r.text("missing.xml").ok().unwrap().is_none());
    }
}
