//! The review document (`review-docx`): the governing document as it
//! stands, for the verksamhet, the lawyer or the secretary to answer in
//! Word.
//!
//! Every finding the memo reports on (not rejected) is a Word comment
//! anchored on its clause's text, numbered as in the memo and signed by the
//! finding's author: the unintended consequence, the crime types, likelihood
//! × consequence and the level, the status (the internal variant also how it
//! could be exploited). Per clause one proposed wording — the agreed one, or
//! else the one changed last — is a tracked change (`w:del`/`w:ins`, by who
//! last changed the finding, when) inside that comment's range; other
//! proposals on the same clause are quoted in their comments. Tracking is
//! on in the file, so what the reviewer changes is marked too.
//!
//! Nothing visible carries an id. A custom XML part (namespace
//! [`REVIEW_NAMESPACE`]) — kept by Word and LibreOffice alike — holds the
//! manifest: the document, every clause with its hidden bookmark
//! (`_Kryphal_<n>`, also kept by both), and per finding the comment's
//! paragraph id (Word keeps it), a hash of the comment's text (LibreOffice
//! keeps the text but renumbers everything), the clause's text as exported
//! and the proposed wording. `review_read.rs` reads a returned file against
//! it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use kryphal_domain::{Clause, ClauseKind, Finding, FindingStatus, Section};

use crate::diff::{self, Part as DiffPart};
use crate::model::{Prepared, iso_date};
use crate::ooxml::{self, DECL, esc, fnv64, squash};
use crate::template::LoadedTemplate;
use crate::wordml::{self, ParaLook, Part, RunLook, StyleMap, WordDoc, style};
use crate::{ExportError, Format, Variant};

/// The namespace of the review document's manifest (a custom XML part).
pub const REVIEW_NAMESPACE: &str = "urn:kryphal:review:1";
/// The manifest's format version.
pub(crate) const REVIEW_FORMAT: u32 = 1;

/// The findings a review document carries, in the order they are numbered
/// (the memo's: the most serious first): every finding that is not
/// rejected and whose clause is in the outline.
pub(crate) fn included<'a>(p: &'a Prepared<'_>) -> Vec<&'a Finding> {
    p.memo_findings()
        .into_iter()
        .filter(|f| p.clause(&f.clause_id).is_some())
        .collect()
}

/// The ids of the findings a review document of the analysis would carry,
/// numbered as it numbers them.
pub fn review_findings(input: &crate::ExportInput<'_>) -> Vec<String> {
    crate::included_findings(Format::ReviewDocx, input)
}

/// Per clause, the finding whose proposal becomes the tracked change: an
/// agreed one before others, then the one changed last.
fn tracked_choice<'a>(findings: &[&'a Finding]) -> HashMap<&'a str, &'a str> {
    let mut with: Vec<&&Finding> = findings
        .iter()
        .filter(|f| !f.input.proposed_wording.trim().is_empty())
        .collect();
    with.sort_by(|a, b| {
        (b.input.status == FindingStatus::Agreed)
            .cmp(&(a.input.status == FindingStatus::Agreed))
            .then(b.updated_at.cmp(&a.updated_at))
    });
    let mut out = HashMap::new();
    for f in with {
        out.entry(f.clause_id.as_str()).or_insert(f.id.as_str());
    }
    out
}

/// A time Word accepts in `w:date`: `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn word_date(at: &str, fallback: &str) -> String {
    let at = at.trim();
    if let Some(head) = at.get(..19)
        && head.as_bytes().get(10) == Some(&b'T')
        && head.is_ascii()
    {
        return format!("{head}Z");
    }
    let d = iso_date(fallback);
    if d.len() == 10 && d.is_ascii() {
        format!("{d}T00:00:00Z")
    } else {
        "1970-01-01T00:00:00Z".to_string()
    }
}

/// `ÅÖ` for `Åsa Öberg`.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .take(3)
        .flat_map(char::to_uppercase)
        .collect()
}

fn author_of(name: &str) -> String {
    if name.trim().is_empty() {
        "Kryphål".to_string()
    } else {
        name.trim().to_string()
    }
}

/// The lines of a finding's comment: a bold first line, then label–value lines.
pub(crate) fn comment_lines(
    p: &Prepared<'_>,
    n: usize,
    f: &Finding,
    tracked: bool,
) -> Vec<(String, String)> {
    let t = p.t;
    let i = &f.input;
    let level = p
        .level(f)
        .map_or_else(|| t.not_rated.to_string(), |l| l.label.clone());
    let mut lines = vec![(format!("{} {n}", t.finding_label), level)];
    if !i.unintended_consequence.trim().is_empty() {
        lines.push((
            t.unintended_consequence.into(),
            i.unintended_consequence.trim().into(),
        ));
    }
    if p.options.variant == Variant::Internal && !i.exploitation.trim().is_empty() {
        lines.push((t.exploitation.into(), i.exploitation.trim().into()));
    }
    if !i.crime_types.is_empty() {
        let names: Vec<String> = i.crime_types.iter().map(|c| p.crime_type(c)).collect();
        lines.push((t.crime_types.into(), names.join(", ")));
    }
    if let (Some(l), Some(k)) = (i.likelihood, i.impact) {
        let mut text = format!(
            "{} {} × {} {}",
            t.likelihood,
            p.likelihood_step(l),
            t.impact,
            p.impact_step(k)
        );
        if let Some(level) = p.level(f) {
            text.push_str(&format!(" = {}", level.label));
        }
        lines.push((t.risk.into(), text));
    }
    lines.push((t.status.into(), p.status(i.status).into()));
    if tracked {
        lines.push((String::new(), t.proposal_tracked.into()));
    } else if !i.proposed_wording.trim().is_empty() {
        lines.push((t.proposed_wording.into(), i.proposed_wording.trim().into()));
    }
    lines
}

/// The comment's text as the reader sees it: its lines joined, squashed.
pub(crate) fn comment_signature(lines: &[(String, String)]) -> u64 {
    let text: Vec<String> = lines
        .iter()
        .map(|(label, value)| {
            if label.is_empty() {
                value.clone()
            } else {
                format!("{label}: {value}")
            }
        })
        .collect();
    fnv64(&squash(&text.join("\n")))
}

/// A paragraph id (`w14:paraId`): eight hex digits below 0x80000000, from
/// `key`, unique in `taken`.
fn para_id(key: &str, taken: &mut BTreeSet<u32>) -> String {
    let mut v = (fnv64(key) as u32) & 0x7FFF_FFFF;
    while v == 0 || !taken.insert(v) {
        v = (v + 1) & 0x7FFF_FFFF;
    }
    format!("{v:08X}")
}

/// One comment to write.
struct CommentOut<'a> {
    id: u32,
    finding: &'a Finding,
    lines: Vec<(String, String)>,
    para_ids: Vec<String>,
    tracked: bool,
}

/// The review document.
pub(crate) fn write(p: &Prepared<'_>) -> Result<Vec<u8>, ExportError> {
    let doc = &p.analysis.document;
    let outline = &p.analysis.outline;
    let findings = included(p);
    let tracked = tracked_choice(&findings);
    let values = crate::docx::template_values(p);
    let template = p
        .options
        .template
        .as_ref()
        .map(|t| LoadedTemplate::load(t, p.t.lang, &values, false))
        .transpose()?;
    let own = StyleMap::own();
    let styles = template.as_ref().map_or(&own, |t| t.styles());
    let date = iso_date(&p.options.header.date);

    // Comments per clause, in the memo's numbering.
    let mut next_id: u32 = 1;
    let mut taken = BTreeSet::new();
    let mut by_clause: BTreeMap<&str, Vec<CommentOut<'_>>> = BTreeMap::new();
    for (n, f) in findings.iter().enumerate() {
        let is_tracked = tracked.get(f.clause_id.as_str()) == Some(&f.id.as_str());
        let lines = comment_lines(p, n + 1, f, is_tracked);
        let para_ids = (0..lines.len())
            .map(|i| para_id(&format!("{}:{i}", f.id), &mut taken))
            .collect();
        by_clause
            .entry(f.clause_id.as_str())
            .or_default()
            .push(CommentOut {
                id: next_id,
                finding: f,
                lines,
                para_ids,
                tracked: is_tracked,
            });
        next_id += 1;
    }

    let mut body = String::new();
    let title = crate::memo::document_title(doc);
    wordml::simple_para(
        &mut body,
        &title,
        &ParaLook {
            style: Some(style::TITLE),
            keep_next: true,
            ..ParaLook::default()
        },
        styles,
    );
    wordml::para_open(
        &mut body,
        &ParaLook {
            style: Some(style::QUOTE),
            ..ParaLook::default()
        },
        styles,
    );
    wordml::run(&mut body, p.t.review_intro, &RunLook::default(), styles);
    body.push_str("</w:p>");

    enum Item<'a> {
        Section(&'a Section),
        Clause(&'a Clause),
    }
    let mut items: Vec<(u32, Item<'_>)> = outline
        .sections
        .iter()
        .map(|s| (s.position, Item::Section(s)))
        .chain(
            outline
                .clauses
                .iter()
                .map(|c| (c.position, Item::Clause(c))),
        )
        .collect();
    items.sort_by_key(|(pos, _)| *pos);

    let mut manifest = String::new();
    let mut bookmark_n = 0u32;
    let fallback = date.clone();
    for (_, item) in &items {
        match item {
            Item::Section(s) => {
                let text = if s.number.is_empty() {
                    s.title.clone()
                } else {
                    format!("{} {}", s.number, s.title)
                };
                let st = match s.level {
                    0 | 1 => style::H1,
                    2 => style::H2,
                    _ => style::H3,
                };
                wordml::simple_para(
                    &mut body,
                    &text,
                    &ParaLook {
                        style: Some(st),
                        keep_next: true,
                        ..ParaLook::default()
                    },
                    styles,
                );
            }
            Item::Clause(c) => {
                bookmark_n += 1;
                let bookmark = format!("_Kryphal_{bookmark_n}");
                let bm_id = next_id;
                next_id += 1;
                wordml::para_open(
                    &mut body,
                    &ParaLook {
                        style: Some(style::NORMAL),
                        indent: (c.kind == ClauseKind::ListItem).then_some(567),
                        ..ParaLook::default()
                    },
                    styles,
                );
                let _ = write!(
                    body,
                    "<w:bookmarkStart w:id=\"{bm_id}\" w:name=\"{bookmark}\"/>"
                );
                if !c.number.is_empty() && !c.text.starts_with(&c.number) {
                    wordml::run(
                        &mut body,
                        &format!("{} ", c.number),
                        &RunLook::default(),
                        styles,
                    );
                }
                let comments = by_clause.get(c.id.as_str());
                for cm in comments.into_iter().flatten() {
                    let _ = write!(body, "<w:commentRangeStart w:id=\"{}\"/>", cm.id);
                }
                match comments.and_then(|v| v.iter().find(|cm| cm.tracked)) {
                    Some(cm) => {
                        let f = cm.finding;
                        let author = esc(&author_of(&f.updated_by));
                        let when = word_date(&f.updated_at, &fallback);
                        for part in diff::words(&c.text, f.input.proposed_wording.trim()) {
                            match part {
                                DiffPart::Same(s) => {
                                    wordml::run(&mut body, &s, &RunLook::default(), styles)
                                }
                                DiffPart::Deleted(s) => {
                                    let _ = write!(
                                        body,
                                        "<w:del w:id=\"{next_id}\" w:author=\"{author}\" w:date=\"{when}\">"
                                    );
                                    next_id += 1;
                                    wordml::deleted_run(&mut body, &s);
                                    body.push_str("</w:del>");
                                }
                                DiffPart::Inserted(s) => {
                                    let _ = write!(
                                        body,
                                        "<w:ins w:id=\"{next_id}\" w:author=\"{author}\" w:date=\"{when}\">"
                                    );
                                    next_id += 1;
                                    wordml::run(&mut body, &s, &RunLook::default(), styles);
                                    body.push_str("</w:ins>");
                                }
                            }
                        }
                    }
                    None => wordml::run(&mut body, &c.text, &RunLook::default(), styles),
                }
                for cm in comments.into_iter().flatten() {
                    let _ = write!(
                        body,
                        "<w:commentRangeEnd w:id=\"{0}\"/><w:r><w:rPr><w:rStyle w:val=\"{1}\"/></w:rPr><w:commentReference w:id=\"{0}\"/></w:r>",
                        cm.id,
                        esc(styles.id(style::COMMENT_REF))
                    );
                }
                let _ = write!(body, "<w:bookmarkEnd w:id=\"{bm_id}\"/></w:p>");

                // The manifest's entry for the clause.
                let number = esc(&c.number);
                match comments {
                    None => {
                        let _ = write!(
                            manifest,
                            "<kr:clause id=\"{}\" bookmark=\"{bookmark}\" number=\"{number}\" hash=\"{:016x}\"/>",
                            esc(&c.id),
                            fnv64(&squash(&c.text))
                        );
                    }
                    Some(list) => {
                        let _ = write!(
                            manifest,
                            "<kr:clause id=\"{}\" bookmark=\"{bookmark}\" number=\"{number}\" hash=\"{:016x}\"><kr:text>{}</kr:text>",
                            esc(&c.id),
                            fnv64(&squash(&c.text)),
                            esc(&c.text)
                        );
                        for cm in list {
                            let f = cm.finding;
                            let _ = write!(
                                manifest,
                                "<kr:finding id=\"{}\" para=\"{}\" sig=\"{:016x}\" author=\"{}\" reviser=\"{}\" tracked=\"{}\"><kr:proposed>{}</kr:proposed></kr:finding>",
                                esc(&f.id),
                                cm.para_ids.last().map_or("", String::as_str),
                                comment_signature(&cm.lines),
                                esc(&author_of(&f.created_by)),
                                esc(&author_of(&f.updated_by)),
                                u8::from(cm.tracked),
                                esc(f.input.proposed_wording.trim())
                            );
                        }
                        manifest.push_str("</kr:clause>");
                    }
                }
            }
        }
    }

    // comments.xml and commentsExtended.xml.
    let mut comments_xml = format!(
        "{DECL}<w:comments xmlns:w=\"{}\" xmlns:w14=\"{}\" xmlns:mc=\"{}\" mc:Ignorable=\"w14\">",
        ooxml::NS_W,
        ooxml::NS_W14,
        ooxml::NS_MC
    );
    let mut extended = format!(
        "{DECL}<w15:commentsEx xmlns:w15=\"{}\" xmlns:mc=\"{}\" mc:Ignorable=\"w15\">",
        ooxml::NS_W15,
        ooxml::NS_MC
    );
    let mut all: Vec<&CommentOut<'_>> = by_clause.values().flatten().collect();
    all.sort_by_key(|c| c.id);
    for cm in &all {
        let f = cm.finding;
        let author = author_of(&f.created_by);
        let _ = write!(
            comments_xml,
            "<w:comment w:id=\"{}\" w:author=\"{}\" w:date=\"{}\" w:initials=\"{}\">",
            cm.id,
            esc(&author),
            word_date(&f.created_at, &fallback),
            esc(&initials(&author))
        );
        for (i, ((label, value), pid)) in cm.lines.iter().zip(&cm.para_ids).enumerate() {
            let _ = write!(
                comments_xml,
                "<w:p w14:paraId=\"{pid}\" w14:textId=\"77777777\"><w:pPr><w:pStyle w:val=\"{}\"/></w:pPr>",
                esc(styles.id(style::COMMENT_TEXT))
            );
            if i == 0 {
                let _ = write!(
                    comments_xml,
                    "<w:r><w:rPr><w:rStyle w:val=\"{}\"/></w:rPr><w:annotationRef/></w:r>",
                    esc(styles.id(style::COMMENT_REF))
                );
            }
            let bold = RunLook {
                bold: true,
                ..RunLook::default()
            };
            if i == 0 {
                wordml::run(
                    &mut comments_xml,
                    &format!("{label}: {value}"),
                    &bold,
                    styles,
                );
            } else if label.is_empty() {
                wordml::run(&mut comments_xml, value, &RunLook::default(), styles);
            } else {
                wordml::run(&mut comments_xml, &format!("{label}: "), &bold, styles);
                wordml::run(&mut comments_xml, value, &RunLook::default(), styles);
            }
            comments_xml.push_str("</w:p>");
        }
        comments_xml.push_str("</w:comment>");
        if let Some(last) = cm.para_ids.last() {
            let _ = write!(
                extended,
                "<w15:commentEx w15:paraId=\"{last}\" w15:done=\"0\"/>"
            );
        }
    }
    comments_xml.push_str("</w:comments>");
    extended.push_str("</w15:commentsEx>");

    let manifest_xml = format!(
        "{DECL}<kr:review xmlns:kr=\"{REVIEW_NAMESPACE}\" format=\"{REVIEW_FORMAT}\" document=\"{}\" variant=\"{}\" lang=\"{}\" exported=\"{}\"><kr:title>{}</kr:title>{manifest}</kr:review>",
        esc(&doc.id),
        p.options.variant.name(),
        p.t.lang,
        esc(&date),
        esc(&title)
    );
    let props = format!(
        "{DECL}<ds:datastoreItem ds:itemID=\"{{4B525950-5245-5649-4557-000000000001}}\" xmlns:ds=\"http://schemas.openxmlformats.org/officeDocument/2006/customXml\"><ds:schemaRefs><ds:schemaRef ds:uri=\"{REVIEW_NAMESPACE}\"/></ds:schemaRefs></ds:datastoreItem>"
    );
    let item_rels = wordml::rels_xml(&[(
        "rId1".into(),
        ooxml::REL_CUSTOM_XML_PROPS.into(),
        "itemProps1.xml".into(),
    )]);
    let parts = vec![
        Part {
            path: "word/comments.xml".into(),
            content_type: Some(ooxml::CT_COMMENTS),
            rel: Some((ooxml::REL_COMMENTS, "comments.xml".into())),
            bytes: comments_xml.into_bytes(),
        },
        Part {
            path: "word/commentsExtended.xml".into(),
            content_type: Some(ooxml::CT_COMMENTS_EXTENDED),
            rel: Some((ooxml::REL_COMMENTS_EXTENDED, "commentsExtended.xml".into())),
            bytes: extended.into_bytes(),
        },
        Part {
            path: "customXml/item1.xml".into(),
            content_type: None,
            rel: Some((ooxml::REL_CUSTOM_XML, "../customXml/item1.xml".into())),
            bytes: manifest_xml.into_bytes(),
        },
        Part {
            path: "customXml/itemProps1.xml".into(),
            content_type: Some(ooxml::CT_CUSTOM_XML_PROPS),
            rel: None,
            bytes: props.into_bytes(),
        },
        Part {
            path: "customXml/_rels/item1.xml.rels".into(),
            content_type: None,
            rel: None,
            bytes: item_rels.into_bytes(),
        },
    ];
    let word = WordDoc {
        body,
        footer: Some(crate::docx::footer(p, &p.options.header.case_dnr)),
        bullets: false,
        track_changes: true,
        parts,
        title: format!("{} {title}", p.t.memo_title),
        lang: if p.t.lang == "sv" { "sv" } else { "en" },
        date,
        format: Format::ReviewDocx,
    };
    wordml::package(&word, template.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_dates_and_initials() {
        assert_eq!(
            word_date("2026-11-20T09:30:00.123+01:00", "x"),
            "2026-11-20T09:30:00Z"
        );
        assert_eq!(word_date("", "2026-11-22"), "2026-11-22T00:00:00Z");
        assert_eq!(initials("Åsa Öberg"), "ÅÖ");
        let mut taken = BTreeSet::new();
        let a = para_id("f-1:0", &mut taken);
        let b = para_id("f-1:0", &mut taken);
        assert_ne!(a, b);
        assert!(u32::from_str_radix(&a, 16).unwrap() < 0x8000_0000);
    }
}
