//! Reviewed Word files read back into the library, the memo template and
//! the memo's own fields, on real library files. The round trip through
//! LibreOffice itself is `libreoffice.rs` beside this file.

use std::io::{Read, Write};

use kryphal_app::{ErrorCode, ExportChoices, Library, MemoFields};
use kryphal_domain::{FindingInput, FindingStatus};

pub mod libreoffice;

/// A library with the sample document and three findings with proposals
/// on three clauses: `(dir, lib, doc, [ids])`.
pub fn reviewed() -> (tempfile::TempDir, Library, String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("r.kryphal"), "anna").unwrap();
    lib.set_undo_coalescing(std::time::Duration::ZERO);
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    let view = lib.document(&doc).unwrap();
    let mut ids = Vec::new();
    for (i, n) in [12, 20, 30].into_iter().enumerate() {
        let c = &view.outline.clauses[n];
        let f = lib
            .add_finding(
                &c.id,
                FindingInput {
                    unintended_consequence: format!("Konsekvens {i}."),
                    likelihood: Some(4 - i as u8),
                    impact: Some(4),
                    proposed_wording: format!("{} Kontrollen upprepas varje år.", c.text),
                    status: FindingStatus::Reviewed,
                    ..Default::default()
                },
            )
            .unwrap();
        ids.push(f.id);
    }
    (dir, lib, doc, ids)
}

pub fn zip_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let name = String::from_utf8_lossy(f.name_raw()).into_owned();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (name, String::from_utf8_lossy(&b).into_owned())
        })
        .collect()
}

pub fn zip_from(parts: &[(String, String)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, s) in parts {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(s.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Settles the tracked changes of the paragraph of comment `comment_id`,
/// as Word does on Accept (`true`) or Reject (`false`).
pub fn settle(document: &str, comment_id: u32, accept: bool) -> String {
    let anchor = document
        .find(&format!("<w:commentRangeStart w:id=\"{comment_id}\"/>"))
        .unwrap();
    let start = document[..anchor].rfind("<w:p>").unwrap();
    let end = anchor + document[anchor..].find("</w:p>").unwrap();
    let mut para = document[start..end].to_string();
    let (drop, keep) = if accept {
        ("w:del", "w:ins")
    } else {
        ("w:ins", "w:del")
    };
    while let Some(a) = para.find(&format!("<{drop} ")) {
        let z = a + para[a..].find(&format!("</{drop}>")).unwrap() + drop.len() + 3;
        para.replace_range(a..z, "");
    }
    while let Some(a) = para.find(&format!("<{keep} ")) {
        let z = a + para[a..].find('>').unwrap() + 1;
        para.replace_range(a..z, "");
        let close = format!("</{keep}>");
        let c = para.find(&close).unwrap();
        para.replace_range(c..c + close.len(), "");
    }
    let para = para.replace("w:delText", "w:t");
    format!("{}{}{}", &document[..start], para, &document[end..])
}

#[test]
fn a_reviewed_file_is_read_back_as_one_audited_undoable_change() {
    let (dir, mut lib, doc, ids) = reviewed();
    let bytes = lib
        .export_bytes(&doc, "review-docx", &ExportChoices::default())
        .unwrap();
    // The review document numbers the findings as the memo does: the most serious first.
    let order = lib.export_preview(&doc, "review-docx").unwrap();
    assert_eq!(order, ids);
    let mut parts = zip_parts(&bytes);
    for (name, xml) in parts.iter_mut() {
        if name == "word/document.xml" {
            *xml = settle(xml, 1, true);
            *xml = settle(xml, 2, false);
        }
        if name == "word/comments.xml" {
            // A reply in a thread, as Word writes it.
            *xml = xml.replace(
                "</w:comments>",
                "<w:comment w:id=\"99\" w:author=\"Verksamheten\" w:date=\"2026-12-01T10:00:00Z\"><w:p w14:paraId=\"0ABCDEF0\"><w:r><w:t>Vi godtar detta.</w:t></w:r></w:p></w:comment></w:comments>",
            );
        }
        if name == "word/commentsExtended.xml" {
            let parent = {
                let c = &parts_comments(&bytes);
                let first = c.find("</w:comment>").unwrap();
                let last = c[..first].rfind("w14:paraId=\"").unwrap() + 12;
                c[last..last + 8].to_string()
            };
            *xml = xml.replace(
                "</w15:commentsEx>",
                &format!("<w15:commentEx w15:paraId=\"0ABCDEF0\" w15:paraIdParent=\"{parent}\" w15:done=\"0\"/></w15:commentsEx>"),
            );
        }
    }
    let returned = zip_from(&parts);
    let before = lib.findings(&doc).unwrap();
    let history_before = lib.history(None).unwrap().len();

    let preview = lib.review_preview("granskad.docx", &returned).unwrap();
    assert_eq!(
        lib.findings(&doc).unwrap(),
        before,
        "a preview stores nothing"
    );
    assert_eq!(lib.history(None).unwrap().len(), history_before);
    assert_eq!(
        (
            preview.counts.accepted,
            preview.counts.rejected,
            preview.counts.pending
        ),
        (1, 1, 1)
    );
    assert_eq!(preview.counts.replies, 1);
    assert!(preview.will_change && !preview.stored);

    let report = lib
        .import_review("granskad.docx", &returned, false)
        .unwrap();
    assert!(report.stored);
    let f = |id: &str| lib.finding(id).unwrap();
    assert_eq!(f(&ids[0]).input.status, FindingStatus::Agreed);
    assert_eq!(f(&ids[1]).input.status, FindingStatus::Rejected);
    assert_eq!(
        f(&ids[2]).input.status,
        FindingStatus::Reviewed,
        "still pending"
    );
    assert_eq!(f(&ids[0]).comments.len(), 1);
    assert_eq!(f(&ids[0]).comments[0].author, "Verksamheten");
    assert_eq!(f(&ids[0]).comments[0].at, "2026-12-01T10:00:00Z");
    let decisions = lib.review_decisions(&doc).unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[0].source, "granskad.docx");
    assert!(!decisions[0].decided_by.is_empty() && !decisions[0].decided_at.is_empty());
    // Audited: one event per finding changed and one for the import.
    let events = lib.history(None).unwrap();
    assert!(events.iter().any(|e| e.action == "document.review_import"));
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "finding.review")
            .count(),
        2
    );

    // The same file again changes nothing.
    let again = lib
        .import_review("granskad.docx", &returned, false)
        .unwrap();
    assert!(!again.will_change && !again.stored, "{:?}", again.counts);

    // One undo takes the whole review back.
    let undone = lib.undo().unwrap().unwrap();
    assert_eq!(undone.edit, "document.review_import");
    assert_eq!(lib.findings(&doc).unwrap(), before);
    assert!(lib.review_decisions(&doc).unwrap().is_empty());
    lib.redo().unwrap().unwrap();
    assert_eq!(
        lib.finding(&ids[0]).unwrap().input.status,
        FindingStatus::Agreed
    );
    drop(dir);
}

fn parts_comments(bytes: &[u8]) -> String {
    zip_parts(bytes)
        .into_iter()
        .find(|(n, _)| n == "word/comments.xml")
        .unwrap()
        .1
}

#[test]
fn nothing_is_guessed_for_findings_changed_since_the_export_and_foreign_files_are_refused() {
    let (dir, mut lib, doc, ids) = reviewed();
    let bytes = lib
        .export_bytes(&doc, "review-docx", &ExportChoices::default())
        .unwrap();
    let mut parts = zip_parts(&bytes);
    for (name, xml) in parts.iter_mut() {
        if name == "word/document.xml" {
            *xml = settle(xml, 1, true);
            *xml = settle(xml, 2, true);
        }
    }
    let returned = zip_from(&parts);
    // Meanwhile the analyst rewrote the first proposal and deleted the second finding.
    let mut input = lib.finding(&ids[0]).unwrap().input;
    input.proposed_wording = "En helt annan lydelse.".into();
    lib.update_finding(&ids[0], input).unwrap();
    lib.delete_finding(&ids[1]).unwrap();
    let report = lib
        .import_review("granskad.docx", &returned, false)
        .unwrap();
    let codes: Vec<&str> = report.problems.iter().map(|p| p.code.as_str()).collect();
    assert!(codes.contains(&"changed_since_export"), "{codes:?}");
    assert!(codes.contains(&"finding_deleted"), "{codes:?}");
    assert_eq!(
        lib.finding(&ids[0]).unwrap().input.proposed_wording,
        "En helt annan lydelse."
    );
    assert_eq!(
        lib.finding(&ids[0]).unwrap().input.status,
        FindingStatus::Reviewed
    );
    assert!(!report.stored, "nothing to store");

    // A memo is no review document; a review of a document not in this library is refused.
    let memo = lib
        .export_bytes(&doc, "memo-docx", &ExportChoices::default())
        .unwrap();
    let err = lib.import_review("memo.docx", &memo, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotReview);
    let mut other = Library::open(&dir.path().join("o.kryphal"), "bo").unwrap();
    let err = other
        .import_review("granskad.docx", &returned, false)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotReview);
    assert!(
        err.message.contains("not in this library"),
        "{}",
        err.message
    );
    let err = other
        .import_review("x.docx", b"PK\x03\x04 broken", false)
        .unwrap_err();
    assert!(
        matches!(err.code, ErrorCode::NotReview | ErrorCode::DamagedFile),
        "{err:?}"
    );
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kryphal-export/tests/fixtures")
        .join(name)
}

#[test]
fn the_template_and_the_memo_fields_are_library_settings_used_by_the_word_memo() {
    let (dir, mut lib, doc, _) = reviewed();
    assert_eq!(lib.export_template().unwrap(), None);
    // A file that is not a template is refused and nothing is kept.
    let bad = dir.path().join("inte-en-mall.dotx");
    std::fs::write(&bad, b"hello").unwrap();
    assert_eq!(
        lib.set_export_template(Some(&bad)).unwrap_err().code,
        ErrorCode::TemplateUnusable
    );
    assert_eq!(lib.export_template().unwrap(), None);

    let copy = dir.path().join("ekby-mall.dotx");
    std::fs::copy(fixture("ekby-mall.dotx"), &copy).unwrap();
    let status = lib.set_export_template(Some(&copy)).unwrap().unwrap();
    assert_eq!(status.name, "ekby-mall.dotx");
    assert_eq!(
        status.fields,
        ["dnr", "datum", "namnd", "handlaggare", "arende"]
    );
    assert!(status.first_page_header && status.problem.is_none());

    let view = lib.memo_fields(&doc).unwrap();
    assert_eq!(view.saved, MemoFields::default());
    assert_eq!(
        view.defaults.subject,
        "Brottssäkring av Reglemente för kundval inom hemtjänst"
    );
    assert!(
        view.defaults
            .decision_proposal
            .contains("beslutar att revidera Reglemente för kundval inom hemtjänst"),
        "{view:?}"
    );
    let saved = lib
        .set_memo_fields(
            &doc,
            &MemoFields {
                case_dnr: " VON 2026/0042 ".into(),
                decision_proposal: view.defaults.decision_proposal.clone(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(saved.saved.case_dnr, "VON 2026/0042");
    assert_eq!(
        saved.saved.decision_proposal, "",
        "the generated text stays generated"
    );

    let out = dir.path().join("memo.docx");
    let report = lib
        .export(&doc, "memo-docx", &ExportChoices::default(), &out)
        .unwrap();
    assert_eq!(report.template.as_deref(), Some("ekby-mall.dotx"));
    assert_eq!(report.template_fields.len(), 5);
    let parts = zip_parts(&std::fs::read(&out).unwrap());
    let header = &parts
        .iter()
        .find(|(n, _)| n == "word/header1.xml")
        .unwrap()
        .1;
    assert!(header.contains(">VON 2026/0042<"), "{header}");
    // The memo's Dnr is its own; the governing document's stays in Ärendet.
    let md = String::from_utf8(
        lib.export_bytes(&doc, "md", &ExportChoices::default())
            .unwrap(),
    )
    .unwrap();
    assert!(md.contains("- **Dnr:** VON 2026/0042"), "{md}");
    assert!(md.contains("(Dnr VON 2024/0187)"), "{md}");

    // A template gone since it was chosen: the export says so, writes nothing.
    std::fs::remove_file(&copy).unwrap();
    assert!(lib.export_template().unwrap().unwrap().problem.is_some());
    let out2 = dir.path().join("memo2.docx");
    let err = lib
        .export(&doc, "memo-docx", &ExportChoices::default(), &out2)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TemplateUnusable);
    assert!(!out2.exists());
    // Other formats do not need it; without it, Kryphål's own layout.
    lib.export(
        &doc,
        "md",
        &ExportChoices::default(),
        &dir.path().join("m.md"),
    )
    .unwrap();
    assert_eq!(lib.set_export_template(None).unwrap(), None);
    lib.export(&doc, "memo-docx", &ExportChoices::default(), &out2)
        .unwrap();
}
