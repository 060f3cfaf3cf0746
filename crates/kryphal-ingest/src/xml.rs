//! Small helpers over `quick-xml` shared by the DOCX and ODT readers.
//!
//! `quick-xml` never expands DTD entities, but a document part with a DTD
//! (`<!DOCTYPE … <!ENTITY …>`) is refused outright: Word and LibreOffice never
//! write one, so it can only be a crafted "billion laughs" file.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};

use crate::IngestError;

/// The events of one XML part, refusing DTDs and reporting malformed XML.
pub(crate) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    name: &'a str,
    part: &'a str,
}

impl<'a> Xml<'a> {
    pub(crate) fn new(name: &'a str, part: &'a str, text: &'a str) -> Self {
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_end_names = false;
        Xml { reader, name, part }
    }

    pub(crate) fn next(&mut self) -> Result<Event<'a>, IngestError> {
        match self.reader.read_event() {
            Ok(Event::DocType(_)) => Err(IngestError::Unsafe {
                name: self.name.to_string(),
                reason: format!(
                    "its part {} declares XML entities (a DTD), which can expand into an \"entity bomb\"",
                    self.part
                ),
            }),
            Ok(e) => Ok(e),
            Err(e) => Err(IngestError::Damaged {
                name: self.name.to_string(),
                reason: format!("its part {} is not well-formed XML: {e}", self.part),
            }),
        }
    }
}

/// The text of a text event.
pub(crate) fn text(t: &BytesText<'_>) -> String {
    t.xml_content(XmlVersion::Implicit1_0).into_owned()
}

/// The character an entity or character reference stands for (`&amp;`, `&#246;`).
pub(crate) fn reference(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = r.xml_content(XmlVersion::Implicit1_0);
    quick_xml::escape::resolve_predefined_entity(&name)
        .unwrap_or("")
        .to_string()
}

/// The value of the attribute whose local name (without prefix) is `local`.
///
/// Duplicate attribute names are not checked for (that check is quadratic in
/// the number of attributes, which a hostile element can make large): the
/// first one counts.
pub(crate) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local).then(|| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

/// The local name of an element (`w:p` → `p`).
pub(crate) fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}
