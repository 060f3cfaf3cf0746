//! Safe reading of zipped documents (DOCX, ODT): every entry is read with a
//! byte budget derived from [`Limits`], so a zip bomb is refused before it
//! can fill the memory, and damaged archives become [`IngestError::Damaged`].

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use crate::{IngestError, Limits};

/// Which zipped document a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Docx,
    Odt,
}

/// Tells a DOCX from an ODT by the names in the archive (without unpacking).
pub(crate) fn kind(bytes: &[u8]) -> Option<Kind> {
    let archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut names = archive.file_names_raw();
    if names.any(|n| n == b"word/document.xml") {
        return Some(Kind::Docx);
    }
    if archive.file_names_raw().any(|n| n == b"content.xml") {
        return Some(Kind::Odt);
    }
    None
}

/// An OLE compound file that holds an `EncryptedPackage` stream is a
/// password-protected Office Open XML document (DOCX/XLSX/PPTX).
pub(crate) fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// An opened archive with a shared unpacking budget.
pub(crate) struct Archive<'a> {
    name: &'a str,
    zip: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl<'a> Archive<'a> {
    pub(crate) fn open(
        name: &'a str,
        bytes: &'a [u8],
        limits: &Limits,
    ) -> Result<Self, IngestError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(name, &e))?;
        if zip.has_duplicate_names() {
            // Two parts with one name: programs disagree on which one counts,
            // so what Kryphål reads could differ from what Word shows.
            return Err(IngestError::Unsafe {
                name: name.to_string(),
                reason: "it holds two parts with the same name, which programs read differently"
                    .into(),
            });
        }
        Ok(Archive {
            name,
            zip,
            budget: limits.unpack_budget(bytes.len() as u64),
        })
    }

    /// Reads one entry as UTF-8 text; `Ok(None)` when the archive has no such entry.
    pub(crate) fn text(&mut self, entry: &str) -> Result<Option<String>, IngestError> {
        let name = self.name;
        let mut file = match self.zip.by_name(entry) {
            Ok(f) => f,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(msg)) if msg.contains("assword") => {
                return Err(IngestError::Encrypted {
                    name: name.to_string(),
                });
            }
            Err(e) => return Err(damaged(name, &e)),
        };
        if file.encrypted() {
            return Err(IngestError::Encrypted {
                name: name.to_string(),
            });
        }
        let declared = file.size();
        if declared > self.budget {
            return Err(bomb(name, entry, declared));
        }
        let mut buf = Vec::with_capacity(declared.min(16 * 1024 * 1024) as usize);
        // `take` guards against an entry that unpacks to more than it declares.
        let read = (&mut file)
            .take(self.budget + 1)
            .read_to_end(&mut buf)
            .map_err(|e| IngestError::Damaged {
                name: name.to_string(),
                reason: format!("its part {entry} could not be unpacked: {e}"),
            })?;
        if read as u64 > self.budget {
            return Err(bomb(name, entry, read as u64));
        }
        self.budget -= read as u64;
        String::from_utf8(buf)
            .map(Some)
            .map_err(|_| IngestError::Damaged {
                name: name.to_string(),
                reason: format!("its part {entry} is not UTF-8 text"),
            })
    }
}

fn bomb(name: &str, entry: &str, size: u64) -> IngestError {
    IngestError::Unsafe {
        name: name.to_string(),
        reason: format!(
            "its part {entry} unpacks to {size} bytes or more, far beyond what a document of this size holds (a zip bomb)"
        ),
    }
}

fn damaged(name: &str, e: &ZipError) -> IngestError {
    let reason = match e {
        ZipError::InvalidArchive(_) | ZipError::Io(_) => {
            "the zip archive is truncated or corrupt".to_string()
        }
        ZipError::UnsupportedArchive(what) => {
            format!("the zip archive uses an unsupported feature: {what}")
        }
        other => format!("the zip archive could not be read: {other}"),
    };
    IngestError::Damaged {
        name: name.to_string(),
        reason,
    }
}
