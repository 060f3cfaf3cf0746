//! The review document (`review-docx`) and reading it back: what it
//! carries, and Word's own markup as hand-made fixtures (runs split by
//! rsids, proofing marks, smart tags, content controls, fields, nested
//! revisions, moves, comment threads in `commentsExtended`, UTC times in
//! `commentsExtensible`). LibreOffice's side is in `libreoffice.rs`.

use std::io::{Read, Write};

use kryphal_export::{ExportError, Format, Lang, Outcome, Variant, export, read_review};
use kryphal_rules::Rulebook;

use crate::common::*;

fn review(variant: Variant) -> Vec<u8> {
    let a = analysis();
    let book = Rulebook::builtin();
    export(
        Format::ReviewDocx,
        &input(&a, &book),
        &options(variant, Lang::Sv),
    )
    .expect("review-docx")
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The package with `edit` applied to each part, and `extra` parts added.
fn repack(
    bytes: &[u8],
    edit: impl Fn(&str, String) -> String,
    extra: &[(&str, String)],
) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.start_file(name.as_str(), opts).unwrap();
        out.write_all(edit(&name, s).as_bytes()).unwrap();
    }
    for (name, s) in extra {
        out.start_file(*name, opts).unwrap();
        out.write_all(s.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The byte range of the paragraph holding the bookmark `name`.
fn paragraph(xml: &str, bookmark: &str) -> std::ops::Range<usize> {
    let at = xml.find(&format!("w:name=\"{bookmark}\"")).expect(bookmark);
    let start = xml[..at].rfind("<w:p>").unwrap();
    let end = at + xml[at..].find("</w:p>").unwrap() + "</w:p>".len();
    start..end
}

/// The last paragraph id of the comment whose text starts with `prefix`.
fn para_id_of(comments: &str, prefix: &str) -> String {
    let at = comments.find(prefix).expect(prefix);
    let end = at + comments[at..].find("</w:comment>").unwrap();
    let last = comments[..end].rfind("w14:paraId=\"").unwrap() + 12;
    comments[last..last + 8].to_string()
}

#[test]
fn review_docx_has_a_comment_per_finding_and_each_proposal_as_a_tracked_change_in_its_range() {
    let bytes = review(Variant::Internal);
    let doc = part(&bytes, "word/document.xml");
    let comments = part(&bytes, "word/comments.xml");
    let extended = part(&bytes, "word/commentsExtended.xml");
    let settings = part(&bytes, "word/settings.xml");
    let manifest = part(&bytes, "customXml/item1.xml");
    roxmltree::Document::parse(&doc).expect("document.xml is XML");
    roxmltree::Document::parse(&comments).expect("comments.xml is XML");
    // Five findings are not rejected: five comments, numbered as in the memo.
    assert_eq!(comments.matches("<w:comment ").count(), 5, "{comments}");
    assert_eq!(extended.matches("<w15:commentEx ").count(), 5);
    assert!(comments.contains("Iakttagelse 1: Mycket hög"), "{comments}");
    assert!(comments.contains("w:author=\"Åsa Öberg\""));
    assert!(
        comments.contains(
            "Brottstyper: </w:t></w:r><w:r><w:t xml:space=\"preserve\">Bedrägeri (BrB 9 kap. 1 §)"
        ),
        "{comments}"
    );
    assert!(comments.contains("Sannolikhet 3 (Stor) × Konsekvens 4 (Allvarlig) = Mycket hög"));
    assert!(
        comments.contains("Status: </w:t></w:r><w:r><w:t xml:space=\"preserve\">Överenskommen")
    );
    assert!(
        !comments.contains("Osannolikt är ett vagt ord"),
        "the rejected finding is left out"
    );
    // The two proposals (on different clauses) are revisions with author and date,
    // inside their comment's range.
    assert_eq!(doc.matches("<w:ins ").count(), 4, "{doc}");
    assert!(
        doc.contains("<w:del w:id=\"")
            && doc.contains("w:author=\"Åsa Öberg\" w:date=\"2026-11-20T09:30:00Z\"")
    );
    let c3 = &doc[paragraph(&doc, "_Kryphal_2")];
    let start = c3.find("<w:commentRangeStart").unwrap();
    let end = c3.find("<w:commentRangeEnd").unwrap();
    let ins = c3.find("<w:ins ").unwrap();
    assert!(start < ins && ins < end, "{c3}");
    assert!(
        c3.contains("<w:delText xml:space=\"preserve\">ett år</w:delText>"),
        "{c3}"
    );
    // The reviewer's own changes are tracked too.
    assert!(settings.contains("<w:trackRevisions/>"), "{settings}");
    // Ids only in the manifest, never in visible text.
    for id in ["f-1", "f-2", "f-3", "f-5", "f-6"] {
        assert!(manifest.contains(&format!("id=\"{id}\"")), "{manifest}");
        assert!(
            !doc.contains(id)
                && !comments.contains(&format!("{id}\""))
                && !comments.contains(&format!(">{id}")),
            "{id} is visible"
        );
    }
    assert!(manifest.contains("xmlns:kr=\"urn:kryphal:review:1\""));
    // The public variant leaves out how a weakness could be exploited.
    assert!(comments.contains(SENSITIVE));
    let public = part(&review(Variant::Public), "word/comments.xml");
    assert!(!public.contains(SENSITIVE), "{public}");
}

#[test]
fn an_unanswered_review_document_reads_back_as_pending_and_commented() {
    let r = read_review(&review(Variant::Internal)).unwrap();
    assert_eq!(r.manifest.document_id, "doc-1");
    let outcome = |id: &str| {
        r.findings
            .iter()
            .find(|f| f.finding_id == id)
            .unwrap()
            .outcome
    };
    assert_eq!(outcome("f-1"), Outcome::Pending);
    assert_eq!(outcome("f-2"), Outcome::Pending);
    for id in ["f-3", "f-5", "f-6"] {
        assert_eq!(outcome(id), Outcome::Commented, "{id}");
    }
    assert!(
        r.findings
            .iter()
            .all(|f| f.replies.is_empty() && f.comment_found)
    );
    assert!(
        r.notes.is_empty() && r.problems.is_empty(),
        "{:?} {:?}",
        r.notes,
        r.problems
    );
}

#[test]
fn word_markup_is_read_as_word_writes_it() {
    let bytes = review(Variant::Internal);
    let comments = part(&bytes, "word/comments.xml");
    let f1_para = para_id_of(&comments, "Iakttagelse 1:");
    let f3_para = para_id_of(&comments, "Iakttagelse 3:");
    // f-1 accepted in Word: no marks; runs split by rsids, a proofing mark, a
    // smart tag, Word's _GoBack bookmark; a reply to its comment (a thread in
    // commentsExtended, its UTC time in commentsExtensible).
    let accepted = "<w:p w:rsidR=\"00A1B2C3\" w:rsidRDefault=\"00D4E5F6\" w14:paraId=\"11AA22BB\" w14:textId=\"33CC44DD\"><w:pPr><w:pStyle w:val=\"Normal\"/><w:rPr><w:lang w:val=\"sv-SE\"/></w:rPr></w:pPr><w:bookmarkStart w:id=\"7\" w:name=\"_Kryphal_2\"/><w:r w:rsidRPr=\"00112233\"><w:t xml:space=\"preserve\">3 </w:t></w:r><w:r><w:t xml:space=\"preserve\">§ </w:t></w:r><w:commentRangeStart w:id=\"1\"/><w:commentRangeStart w:id=\"9\"/><w:proofErr w:type=\"spellStart\"/><w:r w:rsidR=\"00AA0001\"><w:t>Utföraren</w:t></w:r><w:proofErr w:type=\"spellEnd\"/><w:r><w:t xml:space=\"preserve\"> ska lämna registerutdrag ur </w:t></w:r><w:smartTag w:uri=\"urn:x\" w:element=\"y\"><w:r><w:t>belastningsregistret</w:t></w:r></w:smartTag><w:r><w:t xml:space=\"preserve\"> för verksamhetsansvarig vid ansökan och därefter varje år. Utdraget får vara högst </w:t></w:r><w:bookmarkStart w:id=\"20\" w:name=\"_GoBack\"/><w:bookmarkEnd w:id=\"20\"/><w:r><w:t>tre</w:t></w:r><w:r><w:t xml:space=\"preserve\"> månader gammalt.</w:t></w:r><w:commentRangeEnd w:id=\"1\"/><w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:commentReference w:id=\"1\"/></w:r><w:commentRangeEnd w:id=\"9\"/><w:r><w:commentReference w:id=\"9\"/></w:r><w:bookmarkEnd w:id=\"7\"/></w:p>";
    // f-2 edited with tracking on: the lawyer deletes part of our insertion
    // (nested in it), inserts a word of her own, and the other change is a move.
    let edited = "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr><w:bookmarkStart w:id=\"12\" w:name=\"_Kryphal_4\"/><w:r><w:t xml:space=\"preserve\">5 § </w:t></w:r><w:commentRangeStart w:id=\"2\"/><w:r><w:t xml:space=\"preserve\">Ersättning betalas ut i </w:t></w:r><w:del w:id=\"13\" w:author=\"Åsa Öberg\" w:date=\"2026-11-20T09:30:00Z\"><w:r><w:delText>förskott</w:delText></w:r></w:del><w:ins w:id=\"14\" w:author=\"Åsa Öberg\" w:date=\"2026-11-20T09:30:00Z\"><w:del w:id=\"30\" w:author=\"Jurist Jansson\" w:date=\"2026-12-02T10:00:00Z\"><w:r><w:delText>efterskott</w:delText></w:r></w:del></w:ins><w:ins w:id=\"31\" w:author=\"Jurist Jansson\" w:date=\"2026-12-02T10:00:00Z\"><w:r w:rsidR=\"00BEEF00\"><w:t>efterhand</w:t></w:r></w:ins><w:r><w:t xml:space=\"preserve\"> varje månad </w:t></w:r><w:moveFromRangeStart w:id=\"40\" w:author=\"Åsa Öberg\" w:name=\"move1\"/><w:moveFrom w:id=\"41\" w:author=\"Åsa Öberg\" w:date=\"2026-11-20T09:30:00Z\"><w:r><w:t>enligt utförarens egen uppgift om antalet deltagare</w:t></w:r></w:moveFrom><w:moveFromRangeEnd w:id=\"40\"/><w:moveToRangeStart w:id=\"42\" w:author=\"Åsa Öberg\" w:name=\"move1\"/><w:moveTo w:id=\"43\" w:author=\"Åsa Öberg\" w:date=\"2026-11-20T09:30:00Z\"><w:r><w:t>efter kontroll av närvarorapporterna</w:t></w:r></w:moveTo><w:moveToRangeEnd w:id=\"42\"/><w:r><w:t xml:space=\"preserve\">.</w:t></w:r><w:commentRangeEnd w:id=\"2\"/><w:r><w:commentReference w:id=\"2\"/></w:r><w:bookmarkEnd w:id=\"12\"/></w:p>";
    // f-3's clause: a field (only its result counts), a content control, a
    // text box in an AlternateContent (not the clause's text), and a new
    // comment by the secretary that starts where ours does but is no reply.
    let commented = "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr><w:bookmarkStart w:id=\"11\" w:name=\"_Kryphal_3\"/><w:r><w:t xml:space=\"preserve\">4 § </w:t></w:r><w:commentRangeStart w:id=\"3\"/><w:commentRangeStart w:id=\"10\"/><w:sdt><w:sdtPr><w:alias w:val=\"x\"/></w:sdtPr><w:sdtContent><w:r><w:t xml:space=\"preserve\">Utföraren ska i övrigt ha visat laglydnad och får inte vara dömd för brott som rör </w:t></w:r></w:sdtContent></w:sdt><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"https://example.invalid\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:hyperlink w:history=\"1\"><w:r><w:t>yrkesutövningen</w:t></w:r></w:hyperlink><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:t>inte text</w:t></w:drawing></mc:Choice><mc:Fallback><w:pict><w:t>inte heller</w:t></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>.</w:t></w:r><w:commentRangeEnd w:id=\"3\"/><w:commentRangeEnd w:id=\"10\"/><w:r><w:commentReference w:id=\"3\"/></w:r><w:r><w:commentReference w:id=\"10\"/></w:r><w:bookmarkEnd w:id=\"11\"/></w:p>";
    let reply = "<w:comment w:id=\"9\" w:author=\"Verksamhetschef Vera\" w:date=\"2026-12-02T09:15:00\" w:initials=\"VV\"><w:p w14:paraId=\"0BADC0DE\" w14:textId=\"77777777\" w:rsidR=\"00A1\"><w:r><w:annotationRef/></w:r><w:r><w:t xml:space=\"preserve\">Vi godtar </w:t></w:r><w:r w:rsidR=\"00A2\"><w:t>ändringen.</w:t></w:r></w:p></w:comment>";
    let note = "<w:comment w:id=\"10\" w:author=\"Nämndsekreteraren\" w:date=\"2026-12-03T14:00:00Z\" w:initials=\"N\"><w:p w14:paraId=\"0C0FFEE0\" w14:textId=\"77777777\"><w:r><w:t>Ta upp på nästa sammanträde.</w:t></w:r></w:p></w:comment>";
    let word = repack(
        &bytes,
        |name, xml| match name {
            "word/document.xml" => {
                let mut xml = xml;
                for (bm, new) in [("_Kryphal_2", accepted), ("_Kryphal_4", edited), ("_Kryphal_3", commented)] {
                    let r = paragraph(&xml, bm);
                    xml.replace_range(r, new);
                }
                xml
            }
            "word/comments.xml" => xml.replace("</w:comments>", &format!("{reply}{note}</w:comments>")),
            "word/commentsExtended.xml" => xml.replace(
                "</w15:commentsEx>",
                &format!("<w15:commentEx w15:paraId=\"0BADC0DE\" w15:paraIdParent=\"{f1_para}\" w15:done=\"0\"/><w15:commentEx w15:paraId=\"0C0FFEE0\" w15:done=\"0\"/></w15:commentsEx>"),
            ),
            "docProps/core.xml" => xml.replace("<cp:lastModifiedBy>Kryphål</cp:lastModifiedBy>", "<cp:lastModifiedBy>Vera Verksamhetschef</cp:lastModifiedBy>"),
            _ => xml,
        },
        &[
            ("word/commentsIds.xml", "<w16cid:commentsIds xmlns:w16cid=\"http://schemas.microsoft.com/office/word/2016/wordml/cid\"><w16cid:commentId w16cid:paraId=\"0BADC0DE\" w16cid:durableId=\"7B1C2D3E\"/></w16cid:commentsIds>".to_string()),
            ("word/commentsExtensible.xml", "<w16cex:commentsExtensible xmlns:w16cex=\"http://schemas.microsoft.com/office/word/2018/wordml/cex\"><w16cex:commentExtensible w16cex:durableId=\"7B1C2D3E\" w16cex:dateUtc=\"2026-12-02T08:15:00Z\"/></w16cex:commentsExtensible>".to_string()),
        ],
    );
    let _ = f3_para;
    let r = read_review(&word).unwrap();
    let f = |id: &str| r.findings.iter().find(|f| f.finding_id == id).unwrap();
    assert_eq!(r.modified_by, "Vera Verksamhetschef");
    assert_eq!(f("f-1").outcome, Outcome::Accepted, "{:?}", f("f-1"));
    assert_eq!(f("f-1").located_by.as_deref(), Some("comment"));
    assert_eq!(f("f-1").replies.len(), 1);
    assert_eq!(f("f-1").replies[0].author, "Verksamhetschef Vera");
    assert_eq!(f("f-1").replies[0].text, "Vi godtar ändringen.");
    assert_eq!(
        f("f-1").replies[0].at,
        "2026-12-02T08:15:00Z",
        "the UTC time of commentsExtensible"
    );
    assert_eq!(f("f-2").outcome, Outcome::Edited, "{:?}", f("f-2"));
    assert_eq!(
        f("f-2").text,
        "Ersättning betalas ut i efterhand varje månad efter kontroll av närvarorapporterna."
    );
    assert_eq!(f("f-2").reviser.as_deref(), Some("Jurist Jansson"));
    assert_eq!(f("f-3").outcome, Outcome::Commented);
    assert_eq!(
        f("f-3").text,
        "Utföraren ska i övrigt ha visat laglydnad och får inte vara dömd för brott som rör yrkesutövningen.",
        "field codes and text boxes are not the clause's text"
    );
    assert!(
        f("f-3").replies.is_empty(),
        "a new comment in a file with threads is no reply"
    );
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert_eq!(r.notes[0].clause_id.as_deref(), Some("c-4"));
    assert_eq!(r.notes[0].comment.author, "Nämndsekreteraren");
    assert_eq!(r.notes[0].comment.at, "2026-12-03T14:00:00Z");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn a_clause_is_found_by_its_text_when_its_comment_and_bookmark_are_gone_and_reported_when_nothing_matches()
 {
    let bytes = review(Variant::Internal);
    let without_marks = |text: &str| {
        let text = text.to_string();
        repack(
            &bytes,
            move |name, xml| match name {
                "word/document.xml" => {
                    let mut xml = xml;
                    let r = paragraph(&xml, "_Kryphal_2");
                    xml.replace_range(
                        r,
                        &format!(
                            "<w:p><w:r><w:t xml:space=\"preserve\">3 § {text}</w:t></w:r></w:p>"
                        ),
                    );
                    xml
                }
                "word/comments.xml" => {
                    let start = xml.find("<w:comment w:id=\"1\"").unwrap();
                    let end =
                        start + xml[start..].find("</w:comment>").unwrap() + "</w:comment>".len();
                    let mut xml = xml;
                    xml.replace_range(start..end, "");
                    xml
                }
                _ => xml,
            },
            &[],
        )
    };
    let accepted = read_review(&without_marks(
        "Utföraren ska lämna registerutdrag ur belastningsregistret för verksamhetsansvarig vid ansökan och därefter varje år. Utdraget får vara högst tre månader gammalt.",
    ))
    .unwrap();
    let f1 = accepted
        .findings
        .iter()
        .find(|f| f.finding_id == "f-1")
        .unwrap();
    assert_eq!(
        (f1.outcome, f1.located_by.as_deref(), f1.comment_found),
        (Outcome::Accepted, Some("text"), false)
    );

    let lost = read_review(&without_marks("Helt annan text som ingen känner igen.")).unwrap();
    let f1 = lost
        .findings
        .iter()
        .find(|f| f.finding_id == "f-1")
        .unwrap();
    assert_eq!(f1.outcome, Outcome::NotFound);
    assert_eq!(lost.problems.len(), 1, "{:?}", lost.problems);
    assert_eq!(lost.problems[0].code, "clause_not_found");
    assert_eq!(lost.problems[0].finding_id.as_deref(), Some("f-1"));
    // The others are still read.
    assert_eq!(
        lost.findings
            .iter()
            .filter(|f| f.outcome == Outcome::Pending)
            .count(),
        1
    );
}

#[test]
fn files_that_are_not_review_documents_are_refused() {
    let a = analysis();
    let book = Rulebook::builtin();
    let memo = export(
        Format::MemoDocx,
        &input(&a, &book),
        &options(Variant::Internal, Lang::Sv),
    )
    .unwrap();
    match read_review(&memo) {
        Err(ExportError::NotReview(m)) => assert!(m.contains("not a review document"), "{m}"),
        other => panic!("{other:?}"),
    }
    match read_review(b"%PDF-1.7 not a word file") {
        Err(ExportError::NotReview(m)) => assert!(m.contains("not a Word file"), "{m}"),
        other => panic!("{other:?}"),
    }
    let bytes = review(Variant::Internal);
    assert!(read_review(&bytes[..bytes.len() / 2]).is_err());
    // A manifest from a newer Kryphål is refused, not guessed at.
    let newer = repack(
        &bytes,
        |name, xml| {
            if name == "customXml/item1.xml" {
                xml.replace("format=\"1\"", "format=\"9\"")
            } else {
                xml
            }
        },
        &[],
    );
    match read_review(&newer) {
        Err(ExportError::NotReview(m)) => assert!(m.contains("newer Kryphål"), "{m}"),
        other => panic!("{other:?}"),
    }
}
