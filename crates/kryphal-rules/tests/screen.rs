//! Screening behaviour: spans, messages, inflections, words broken across
//! lines, section scope, thresholds, `unless`, questions; and the context
//! that keeps screening quiet where an expert would be (issue 17's noise
//! classes: advice, negation, furniture and headings, "vid behov" where
//! nothing depends on it, two rules on the same words), section- and
//! document-wide absences, and the texts an analyst starts a finding from.

mod common;

use kryphal_domain::{Clause, ClauseKind, Outline, Section, SuggestionScope};
use kryphal_rules::{
    ClauseRole, Hit, Rulebook, ScreenClause, ScreenInput, clause_roles, screen, screen_outline,
};

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
    let text = "osannolikt osannolikt";
    let h = find(&hits_of(text), "vag-osannolik").cloned().unwrap();
    assert_eq!(h.spans.len(), 2);
    assert_eq!(h.spans[1].start, 11);
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
        ..ScreenClause::default()
    }
}

#[test]
fn absence_rule_looks_across_the_section() {
    let pay = "Bidraget betalas ut i två delar under året.";
    let alone = ScreenInput {
        clauses: vec![clause("a", "s1", pay)],
        ..ScreenInput::default()
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
        ..ScreenInput::default()
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
        ..ScreenInput::default()
    };
    let hits = screen(&book(), &other_section);
    let h = find(&hits, "betalning-utan-underlag").expect("the check is in another section");
    assert_eq!(h.clause_id, "a");
}

#[test]
fn question_rule_prompts_every_clause_of_its_topic() {
    let input = ScreenInput {
        clauses: vec![
            clause("a", "s", "Med närstående avses make, sambo och barn."),
            clause("b", "s", "Ansökan ska vara skriven på svenska."),
            clause(
                "c",
                "s",
                "Med hushåll avses de personer som bor tillsammans.",
            ),
            clause("d", "s", "Med tjänst avses en insats enligt 4 kap."),
        ],
        ..ScreenInput::default()
    };
    let ids: Vec<String> = screen(&book(), &input)
        .into_iter()
        .filter(|h| h.rule_id == "fraga-definition")
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

/// One section's clauses, titled.
fn section(title: &str, texts: &[&str]) -> ScreenInput {
    ScreenInput {
        clauses: texts
            .iter()
            .enumerate()
            .map(|(i, t)| ScreenClause {
                id: format!("c{}", i + 1),
                text: (*t).to_string(),
                section_id: Some("s".into()),
                section_title: title.into(),
                ..ScreenClause::default()
            })
            .collect(),
        ..ScreenInput::default()
    }
}

fn fired(hits: &[Hit], rule: &str) -> bool {
    hits.iter().any(|h| h.rule_id == rule)
}

#[test]
fn bor_in_general_advice_is_quiet_but_flagged_in_the_rules() {
    let text = "Julgåvor bör inte vara värda mer än 1 procent av prisbasbeloppet.";
    let advice = screen(&book(), &section("Allmänna råd", &[text]));
    assert!(!fired(&advice, "vag-bor"), "{advice:?}");
    let under_till = ScreenInput {
        clauses: vec![ScreenClause {
            id: "c".into(),
            text: text.into(),
            section_id: Some("s".into()),
            section_title: "Gåvor".into(),
            parent_titles: vec!["Till 7 §".into()],
            ..ScreenClause::default()
        }],
        ..ScreenInput::default()
    };
    assert!(!fired(&screen(&book(), &under_till), "vag-bor"));
    assert!(fired(
        &screen(&book(), &section("Gåvor", &[text])),
        "vag-bor"
    ));
}

#[test]
fn a_heading_kept_as_text_titles_the_clauses_after_it() {
    let input = section(
        "Riktlinjer",
        &[
            "Allmänna råd",
            "Julgåvor bör inte vara värda mer än 1 procent av prisbasbeloppet.",
        ],
    );
    let roles = clause_roles(&book(), &input);
    assert_eq!(roles, [ClauseRole::Heading, ClauseRole::Advice]);
    assert!(screen(&book(), &input).is_empty());
}

#[test]
fn negated_payment_is_not_a_payment() {
    let negated = "Kommunen har ingen skyldighet att i efterhand betala ut ersättning.";
    assert!(!fired(&hits_of(negated), "betalning-utan-underlag"));
    let paid = "Kommunen betalar ut ersättningen i efterhand.";
    assert!(fired(&hits_of(paid), "betalning-utan-underlag"));
    // A negated subclause does not reach the main clause after it.
    let main = "Om kortet inte används enligt reglerna kan chefen besluta att återkalla kortet.";
    assert!(fired(&hits_of(main), "sanktion-kan-aterkravas"));
}

#[test]
fn brister_as_a_verb_fires_no_sanction_rule() {
    let verb = "Om det brister i förutsättningarna för en opartisk bedömning ska du avstå.";
    assert!(!fired(&hits_of(verb), "sanktion-saknas"));
    let noun = "Om leverantören har brister i utförandet ska nämnden påtala dem.";
    assert!(fired(&hits_of(noun), "sanktion-saknas"));
}

#[test]
fn letterhead_and_protocol_heading_are_furniture_not_weaknesses() {
    let letterhead = "Post Botkyrka kommun, 147 85 Tumba · Besök Munkhättevägen 45 · Kontaktcenter 08-530 610 00 · Org.nr 212000-2882 · Bankgiro 624-1061 · Webb www.botkyrka.se";
    let input = section(
        "",
        &[letterhead, "Utdrag ur protokoll", "Bankgiro 624-1061"],
    );
    let roles = clause_roles(&book(), &input);
    assert_eq!(roles[0], ClauseRole::Furniture);
    assert_ne!(roles[1], ClauseRole::Statement);
    assert_eq!(roles[2], ClauseRole::Furniture);
    assert!(
        screen(&book(), &input).is_empty(),
        "{:?}",
        screen(&book(), &input)
    );
    // The same words in a rule are screened.
    assert!(fired(
        &hits_of("Byte av bankgiro görs efter skriftlig begäran från leverantören."),
        "id-bankkonto"
    ));
}

#[test]
fn a_definition_is_read_as_one() {
    let input = section("Allmänt", &["Med närstående avses make, sambo och barn."]);
    assert_eq!(clause_roles(&book(), &input), [ClauseRole::Definition]);
}

#[test]
fn vid_behov_where_nothing_depends_on_it_is_quiet() {
    for quiet in [
        "Handläggaren ska vid behov anlita tolk.",
        "Orderbekräftelsen ska visa belopp, datum och i förekommande fall moms.",
    ] {
        assert!(!fired(&hits_of(quiet), "vag-vid-behov"), "{quiet}");
    }
    for flagged in [
        "Vid behov kan extra ersättning beviljas.",
        "Inköp ska i största möjliga mån göras via kommunens avtal.",
    ] {
        assert!(fired(&hits_of(flagged), "vag-vid-behov"), "{flagged}");
    }
}

#[test]
fn two_rules_on_the_same_words_make_one_suggestion() {
    let text = "Uppgifterna godtas om inte särskild anledning att ifrågasätta dem finns.";
    let hits = hits_of(text);
    let on_words: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.rule_id == "uppfoljning-om-inte-annat" || h.rule_id == "vag-sarskilda-skal")
        .collect();
    assert_eq!(on_words.len(), 1, "{hits:?}");
    let kept = on_words[0];
    assert_eq!(
        kept.rule_id, "uppfoljning-om-inte-annat",
        "the longer match wins"
    );
    assert!(
        kept.also.iter().any(|a| a.rule_id == "vag-sarskilda-skal"),
        "{kept:?}"
    );
}

#[test]
fn a_control_elsewhere_in_the_section_silences_a_guarantee() {
    let promise = "Leverantören ska säkerställa att all personal har utbildning.";
    assert!(fired(
        &screen(&book(), &section("Personal", &[promise])),
        "uppfoljning-sakerstalla"
    ));
    let checked = section(
        "Personal",
        &[promise, "Kraven kontrolleras av nämnden varje år."],
    );
    assert!(!fired(
        &screen(&book(), &checked),
        "uppfoljning-sakerstalla"
    ));
}

#[test]
fn money_without_reclaim_is_reported_once_for_the_document() {
    let texts = [
        "Hemvårdsbidrag är en ekonomisk ersättning till den som vårdas av anhöriga.",
        "Bidraget betalas ut månadsvis i efterskott.",
        "Ansökan görs på blankett.",
    ];
    let hits = screen(&book(), &section("Hemvårdsbidrag", &texts));
    let wide: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.rule_id == "sanktion-aterkrav-saknas")
        .collect();
    assert_eq!(wide.len(), 1, "{hits:?}");
    assert_eq!(wide[0].scope, SuggestionScope::Document);
    assert_eq!(wide[0].clause_id, "c1");
    let mut with_reclaim = texts.to_vec();
    with_reclaim.push("Bidrag som har betalats ut felaktigt återkrävs.");
    assert!(!fired(
        &screen(&book(), &section("Hemvårdsbidrag", &with_reclaim)),
        "sanktion-aterkrav-saknas"
    ));
}

#[test]
fn a_hit_explains_itself_in_the_clauses_words_and_proposes_a_wording() {
    let text = "Leverantören bör kunna redovisa skriftliga anställningsavtal.";
    let hits = hits_of(text);
    let h = find(&hits, "vag-bor").expect("vag-bor fires");
    assert!(h.why.contains("”bör”"), "{}", h.why);
    assert!(h.consequence.contains("”bör”"), "{}", h.consequence);
    assert_eq!(
        h.proposal,
        "Leverantören ska kunna redovisa skriftliga anställningsavtal."
    );
    assert_eq!(h.scope, SuggestionScope::Clause);
    let appended = find(
        &hits_of("Bidraget betalas ut i två delar."),
        "betalning-utan-underlag",
    )
    .cloned()
    .expect("payment without a check");
    assert!(
        appended
            .proposal
            .starts_with("Bidraget betalas ut i två delar. Innan utbetalning")
    );
}

#[test]
fn crime_related_to_the_profession_in_every_inflection_and_word_order() {
    for text in [
        "Sökanden får uteslutas om den är dömd för brott som avser yrkesutövningen.",
        "Företrädarna får inte vara dömda för brott avseende yrkesutövning.",
        "Ingen i ledningen får ha begått brott i samband med sin yrkesutövning.",
        "Den som i sin yrkesutövning har gjort sig skyldig till brott prövas på nytt.",
        "Leverantören får inte ha gjort sig skyldig till allvarligt fel i yrkesutövningen.",
    ] {
        assert!(fired(&hits_of(text), "vag-brott-yrke"), "{text}");
    }
    assert!(!fired(
        &hits_of("Företrädarna får inte vara dömda för bidragsbrott eller skattebrott."),
        "vag-brott-yrke"
    ));
}
