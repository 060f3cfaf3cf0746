//! The rulebook pack is chosen per document: the packs on offer, screening
//! with another pack (stored on the document, kept by re-screening and by
//! decisions), an unknown pack refused, and an accepted suggestion that
//! starts the finding with its consequence and proposed wording.

use kryphal_app::{ErrorCode, Library};
use kryphal_domain::SuggestionState;

const POLICY: &str = "# Riktlinjer för föreningsbidrag

## Bidrag

Nämnden får bevilja bidrag även till föreningar som inte uppfyller villkoren.

Ansökan görs enligt anvisningar som förvaltningen fastställer.

Leverantören bör kunna redovisa skriftliga anställningsavtal.

Bidraget betalas ut i två delar under året.
";

fn library() -> (tempfile::TempDir, Library, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.kryphal"), "anna").unwrap();
    let report = lib
        .import_bytes("riktlinjer.md", POLICY.as_bytes())
        .unwrap();
    (dir, lib, report.document_id)
}

#[test]
fn the_active_pack_comes_first_then_the_built_in_ones() {
    let (_dir, lib, _) = library();
    let packs = lib.rulebooks();
    let ids: Vec<&str> = packs.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["bra-mur-sv", "korruption-sv", "marc-en"]);
    assert!(packs[0].active && !packs[1].active);
    assert!(
        packs[1]
            .categories
            .iter()
            .any(|c| c.id == "blank-delegering")
    );
}

#[test]
fn a_document_screened_with_another_pack_keeps_it() {
    let (_dir, mut lib, doc) = library();
    assert_eq!(
        lib.document(&doc).unwrap().document.rulebook.id,
        "bra-mur-sv"
    );
    let before = lib.document(&doc).unwrap().suggestions;
    let bor = before
        .iter()
        .find(|s| s.rule_id == "vag-bor")
        .expect("bra-mur-sv flags bör")
        .id
        .clone();
    lib.dismiss_suggestion(&bor, "En rekommendation är avsedd här.")
        .unwrap();

    let report = lib.screen_with(&doc, "korruption-sv").unwrap();
    assert_eq!(report.rulebook.id, "korruption-sv");
    let view = lib.document(&doc).unwrap();
    assert_eq!(view.document.rulebook.id, "korruption-sv");
    let open: Vec<&str> = view
        .suggestions
        .iter()
        .filter(|s| s.state == SuggestionState::Open)
        .map(|s| s.rule_id.as_str())
        .collect();
    assert!(open.contains(&"skon-far-kan"), "{open:?}");
    assert!(open.contains(&"blank-delegering"), "{open:?}");
    assert!(!open.contains(&"vag-bor"), "{open:?}");
    // The decision on the other pack's suggestion is kept.
    assert!(
        view.suggestions
            .iter()
            .any(|s| s.id == bor && matches!(s.state, SuggestionState::Dismissed { .. }))
    );

    // Screening again uses the document's pack, not the library's active one.
    let again = lib.screen(&doc).unwrap();
    assert_eq!(again.rulebook.id, "korruption-sv");
    assert!(lib.documents().unwrap()[0].open_suggestion_count > 0);
}

#[test]
fn an_unknown_pack_is_refused_and_nothing_changes() {
    let (_dir, mut lib, doc) = library();
    let before = lib.document(&doc).unwrap();
    let err = lib.screen_with(&doc, "kommunens-egen").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("korruption-sv"), "{}", err.message);
    assert_eq!(lib.document(&doc).unwrap(), before);
}

#[test]
fn accepting_a_suggestion_starts_the_finding_with_its_consequence_and_wording() {
    let (_dir, mut lib, doc) = library();
    let s = lib
        .document(&doc)
        .unwrap()
        .suggestions
        .into_iter()
        .find(|s| s.rule_id == "vag-bor")
        .unwrap();
    assert!(s.why.contains("”bör”"), "{}", s.why);
    assert_eq!(
        s.proposal,
        "Leverantören ska kunna redovisa skriftliga anställningsavtal."
    );
    let finding = lib.accept_suggestion(&s.id).unwrap();
    assert_eq!(finding.input.unintended_consequence, s.consequence);
    assert_eq!(finding.input.proposed_wording, s.proposal);
    assert_eq!(finding.suggestion_id.as_deref(), Some(s.id.as_str()));
}
