//! Screening behaviour: spans, messages, inflections, words broken across
//! lines, section scope, thresholds, `unless`, questions.

mod common;

use kryphal_domain::{Clause, ClauseKind, Outline, Section};
use kryphal_rules::{Hit, Rulebook, ScreenClause, ScreenInput, screen, screen_outline};

fn book() -> Rulebook {
    Rulebook::builtin()
}

fn hits_of(text: &str) -> Vec<Hit> {
    screen(&book(), &ScreenInput::single(text))
}

fn spans<'a>(text: &'a str, hit: &Hit) -> Vec<&'a str> {
    hit.spans
        .iter()
        .map(|s| &text[s.start as usize..s.end as usize])
        .collect()
}

fn find<'a>(hits: &'a [Hit], rule: &str) -> Option<&'a Hit> {
    hits.iter().find(|h| h.rule_id == rule)
}

#[test]
fn vague_term_is_quoted_in_the_message_and_its_span_points_at_the_word() {
    let text = "Nämnden får avstå om det är osannolikt att bristen upprepas.";
    let hits = hits_of(text);
    let h = find(&hits, "vag-osannolik").expect("vag-osannolik fires");
    assert_eq!(spans(text, h), ["osannolikt"]);
    assert_eq!(h.message, "Vag bedömningsgrund: ”osannolikt”");
    assert_eq!(h.category, "vaga-begrepp");
    assert_eq!(h.crime_types, ["OVR", "BED"]);
    assert_eq!(h.clause_id, "example");
}

#[test]
fn swedish_inflections_of_a_term_all_match() {
    for form in ["osannolik", "osannolikt", "osannolika", "Osannolikt"] {
        let text = format!("Det bedöms {form} att felet upprepas.");
        let hits = hits_of(&text);
        let h = find(&hits, "vag-osannolik").unwrap_or_else(|| panic!("{form} not matched"));
        assert_eq!(spans(&text, h), [form]);
    }
    assert!(find(&hits_of("Osannolikheten är stor."), "vag-osannolik").is_none());
}

#[test]
fn word_hyphenated_across_a_line_break_matches_and_maps_back() {
    let text = "Nämnden får avstå om det är osanno-\n  likt att bristen upprepas.";
    let hits = hits_of(text);
    let h = find(&hits, "vag-osannolik").expect("hyphenated word matches");
    assert_eq!(spans(text, h), ["osanno-\n  likt"]);
    let text = "Kommunen betalar vid\nbehov ut bidraget.";
    let h = find(&hits_of(text), "vag-vid-behov")
        .cloned()
        .expect("phrase over a line break");
    assert_eq!(spans(text, &h), ["vid\nbehov"]);
}

#[test]
fn every_occurrence_is_a_span_even_when_adjacent() {
    let text = "vid behov vid behov";
    let h = find(&hits_of(text), "vag-vid-behov").cloned().unwrap();
    assert_eq!(h.spans.len(), 2);
    assert_eq!(h.spans[1].start, 10);
}

#[test]
fn threshold_fires_only_at_or_over_the_limit() {
    let text = "Utdraget får vara högst ett år gammalt.";
    let h = find(&hits_of(text), "inaktuellt-hogst-gammalt")
        .cloned()
        .expect("one year is stale");
    assert_eq!(spans(text, &h), ["Utdraget får vara högst ett år gammalt"]);
    assert!(h.message.contains("högst ett år gammalt"), "{}", h.message);
    assert!(
        find(
            &hits_of("Intyget får vara högst sex månader gammalt."),
            "inaktuellt-hogst-gammalt"
        )
        .is_some()
    );
    assert!(
        find(
            &hits_of("Intyget får vara högst 10 dagar gammalt."),
            "inaktuellt-hogst-gammalt"
        )
        .is_none()
    );
    assert!(
        find(
            &hits_of("Registreringsbeviset får inte vara äldre än tre månader."),
            "inaktuellt-aldre-an"
        )
        .is_none()
    );
    assert!(
        find(
            &hits_of("Registreringsbeviset får inte vara äldre än 12 månader."),
            "inaktuellt-aldre-an"
        )
        .is_some()
    );
}

#[test]
fn unless_terms_silence_a_rule_for_the_clause() {
    assert!(
        find(
            &hits_of("Sökanden lämnar en egenförsäkran."),
            "egen-forsakran"
        )
        .is_some()
    );
    assert!(
        find(
            &hits_of("Sökanden lämnar en egenförsäkran som nämnden kontrollerar mot Bolagsverkets register."),
            "egen-forsakran"
        )
        .is_none()
    );
}

fn clause(id: &str, section: &str, text: &str) -> ScreenClause {
    ScreenClause {
        id: id.into(),
        text: text.into(),
        section_id: Some(section.into()),
        section_title: section.into(),
    }
}

#[test]
fn absence_rule_looks_across_the_section() {
    let pay = "Bidraget betalas ut i två delar under året.";
    let alone = ScreenInput {
        clauses: vec![clause("a", "s1", pay)],
    };
    let hits = screen(&book(), &alone);
    assert!(find(&hits, "betalning-utan-underlag").is_some(), "{hits:?}");
    let with_check = ScreenInput {
        clauses: vec![
            clause("a", "s1", pay),
            clause(
                "b",
                "s1",
                "Föreningens redovisning granskas av förvaltningen.",
            ),
        ],
    };
    assert!(find(&screen(&book(), &with_check), "betalning-utan-underlag").is_none());
    let other_section = ScreenInput {
        clauses: vec![
            clause("a", "s1", pay),
            clause(
                "b",
                "s2",
                "Föreningens redovisning granskas av förvaltningen.",
            ),
        ],
    };
    let hits = screen(&book(), &other_section);
    let h = find(&hits, "betalning-utan-underlag").expect("the check is in another section");
    assert_eq!(h.clause_id, "a");
}

#[test]
fn question_rule_prompts_every_clause_of_its_topic() {
    let input = ScreenInput {
        clauses: vec![
            clause("a", "s", "Ersättningen betalas ut månadsvis."),
            clause("b", "s", "Ansökan ska vara skriven på svenska."),
            clause("c", "s", "Utbetalning sker till leverantörens konto."),
        ],
    };
    let ids: Vec<String> = screen(&book(), &input)
        .into_iter()
        .filter(|h| h.rule_id == "fraga-utbetalning")
        .map(|h| h.clause_id)
        .collect();
    assert_eq!(ids, ["a", "c"]);
}

#[test]
fn sample_reglemente_flags_the_planted_weak_points() {
    let hits = screen(&book(), &common::sample());
    let has = |clause: &str, rule: &str| {
        hits.iter()
            .any(|h| h.clause_id == clause && h.rule_id == rule)
    };
    assert!(has("4.5", "inaktuellt-hogst-gammalt"));
    assert!(has("4.5", "engang-vid-ansokan"));
    assert!(has("8.3", "vag-osannolik"));
    assert!(has("6.5", "betalning-forskott"));
    assert!(has("3.6", "id-verklig-huvudman"));
    assert!(has("2.1 f)", "id-ledande-stallning"));
    assert!(has("9.3", "info-samtycke"));
    assert!(
        !has("3.3", "inaktuellt-aldre-an"),
        "three months is fresh enough"
    );
    assert!(
        !hits
            .iter()
            .any(|h| h.clause_id == "7.4" && h.kind != kryphal_rules::RuleKind::Question)
    );
    assert!(
        !hits
            .iter()
            .any(|h| h.clause_id == "6.6" && h.rule_id == "id-bankkonto")
    );
}

#[test]
fn outline_is_screened_with_its_section_titles() {
    let outline = Outline {
        sections: vec![Section {
            id: "s1".into(),
            parent_id: None,
            level: 1,
            number: "8.".into(),
            title: "Sanktioner".into(),
            position: 0,
        }],
        clauses: vec![Clause {
            id: "c1".into(),
            section_id: Some("s1".into()),
            number: "8.3".into(),
            label: "Sanktioner › 8.3".into(),
            kind: ClauseKind::Numbered,
            text: "Nämnden får avstå om det är osannolikt att bristen upprepas.".into(),
            position: 1,
        }],
    };
    let input = ScreenInput::from(&outline);
    assert_eq!(input.clauses[0].section_title, "Sanktioner");
    let hits = screen_outline(&book(), &outline);
    assert!(
        hits.iter()
            .any(|h| h.clause_id == "c1" && h.rule_id == "vag-osannolik")
    );
}

#[test]
fn whole_lou_screens_with_hits_in_clause_order() {
    let lou = common::lou();
    assert!(lou.clauses.len() >= 400, "{}", lou.clauses.len());
    let hits = screen(&book(), &lou);
    assert!(!hits.is_empty());
    let order: Vec<usize> = hits
        .iter()
        .map(|h| {
            lou.clauses
                .iter()
                .position(|c| c.id == h.clause_id)
                .unwrap()
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]));
    for h in &hits {
        let text = &lou
            .clauses
            .iter()
            .find(|c| c.id == h.clause_id)
            .unwrap()
            .text;
        for s in &h.spans {
            assert!(
                text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize)
            );
            assert!(s.start < s.end);
        }
    }
}

#[test]
fn empty_input_gives_no_hits() {
    assert!(screen(&book(), &ScreenInput::default()).is_empty());
}

#[test]
fn screen_many_returns_each_documents_hits_in_order() {
    let docs = vec![
        ScreenInput::single("Det är osannolikt."),
        ScreenInput::single("Ansökan ska vara skriven på svenska."),
        ScreenInput::single("Ersättningen betalas ut a conto i förskott."),
    ];
    let all = kryphal_rules::screen_many(&book(), &docs);
    assert_eq!(all.len(), 3);
    assert!(all[0].iter().any(|h| h.rule_id == "vag-osannolik"));
    assert!(all[1].is_empty(), "{:?}", all[1]);
    assert!(all[2].iter().any(|h| h.rule_id == "betalning-forskott"));
    for (doc, hits) in docs.iter().zip(&all) {
        assert_eq!(hits, &screen(&book(), doc));
    }
}
