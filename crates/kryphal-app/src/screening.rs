//! Screening at the app's boundary: the rulebook reads each clause as
//! [`kryphal_domain::matching`] prepares it (NFC, invisible characters out,
//! look-alike letters in Latin words made Latin), so a zero-width space or a
//! Cyrillic `о` cannot hide a trigger word. The spans the rules find are in
//! that text and are mapped back here, so a highlight lands on the words as
//! the document wrote them. The stored text is never changed.
//!
//! A clause that hid words that way gets a suggestion of its own, rule id
//! [`HIDDEN_TEXT_RULE`] (`dold-text`), in the rulebook's "information gaps"
//! family, with the hiding words as its spans: the analyst should see that
//! the document's text is not what it seems, whoever put it there.

use kryphal_domain::matching::for_matching;
use kryphal_domain::{Outline, Span, Suggestion, SuggestionScope, SuggestionState};
use kryphal_rules::Rulebook;

/// The rule id of the suggestion that flags hidden characters.
pub const HIDDEN_TEXT_RULE: &str = "dold-text";

/// A pack's suggestions for an outline, all open, plus one
/// [`HIDDEN_TEXT_RULE`] suggestion per clause whose text hides words.
pub(crate) fn screen(
    rulebook: &Rulebook,
    document_id: &str,
    title: &str,
    outline: &Outline,
) -> Vec<Suggestion> {
    let readings: Vec<_> = outline
        .clauses
        .iter()
        .map(|c| for_matching(&c.text))
        .collect();
    let mut matched = outline.clone();
    for (clause, reading) in matched.clauses.iter_mut().zip(&readings) {
        if reading.changed() {
            clause.text = reading.text().to_string();
        }
    }
    for section in &mut matched.sections {
        section.title = kryphal_domain::matching_text(&section.title).into_owned();
    }
    let position: std::collections::HashMap<&str, usize> = outline
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let title = kryphal_domain::matching_text(title);
    let mut out: Vec<Suggestion> = kryphal_rules::suggest(rulebook, document_id, &title, &matched)
        .into_iter()
        .map(|mut suggestion| {
            if let Some(reading) = position
                .get(suggestion.clause_id.as_str())
                .map(|&i| &readings[i])
            {
                for span in &mut suggestion.spans {
                    let (a, b) = reading.original_range(span.start as usize, span.end as usize);
                    *span = Span {
                        start: a as u32,
                        end: b as u32,
                    };
                }
            }
            suggestion
        })
        .collect();
    let texts = HiddenTexts::for_rulebook(rulebook);
    for (clause, reading) in outline.clauses.iter().zip(&readings) {
        if !reading.hidden() {
            continue;
        }
        let words: Vec<&str> = reading
            .hiding_words()
            .iter()
            .map(|&(a, b)| clause.text[a..b].trim())
            .collect();
        let shown: String = kryphal_domain::matching_text(&words.join(", ")).into_owned();
        // After the clause's own suggestions (screening keeps clause order).
        let at = out
            .iter()
            .rposition(|s| s.clause_id == clause.id)
            .map_or_else(
                || {
                    out.iter()
                        .position(|s| {
                            position.get(s.clause_id.as_str()) > position.get(clause.id.as_str())
                        })
                        .unwrap_or(out.len())
                },
                |p| p + 1,
            );
        out.insert(
            at,
            Suggestion {
                id: format!("s-{}-{HIDDEN_TEXT_RULE}", clause.id),
                document_id: document_id.to_string(),
                clause_id: clause.id.clone(),
                rule_id: HIDDEN_TEXT_RULE.to_string(),
                category: texts.category.clone(),
                message: texts.message.replace("{match}", &shown),
                rationale: texts.rationale.to_string(),
                crime_types: Vec::new(),
                spans: reading
                    .hiding_words()
                    .iter()
                    .map(|&(a, b)| Span {
                        start: a as u32,
                        end: b as u32,
                    })
                    .collect(),
                state: SuggestionState::Open,
                scope: SuggestionScope::Clause,
                why: texts.why.to_string(),
                consequence: String::new(),
                proposal: String::new(),
                also: Vec::new(),
            },
        );
    }
    out
}

/// The wording of the hidden-text suggestion, in the rulebook's language.
struct HiddenTexts {
    category: String,
    message: &'static str,
    why: &'static str,
    rationale: &'static str,
}

impl HiddenTexts {
    fn for_rulebook(rulebook: &Rulebook) -> HiddenTexts {
        let swedish = rulebook.pack.language != "en";
        // The information-gaps family of the pack, when it has one.
        let category = ["informationsluckor", "information-gaps"]
            .into_iter()
            .find(|id| rulebook.category(id).is_some())
            .unwrap_or(if swedish {
                "informationsluckor"
            } else {
                "information-gaps"
            })
            .to_string();
        if swedish {
            HiddenTexts {
                category,
                message: "Dolda tecken i texten: {match}",
                why: "Texten ser ut att säga en sak men innehåller tecken som gömmer ord för sökning och granskning.",
                rationale: "Ordet innehåller osynliga tecken (t.ex. ett nollbrett mellanslag) eller bokstäver från ett annat alfabet som ser likadana ut (t.ex. ett kyrilliskt о). Läsaren ser ordet, men sökning och granskning hittar det inte utan hjälp. Kontrollera var texten kommer ifrån och begär en ren version av dokumentet; Kryphål granskar och söker texten som om tecknen inte fanns.",
            }
        } else {
            HiddenTexts {
                category,
                message: "Hidden characters in the text: {match}",
                why: "The text looks like it says one thing but holds characters that hide words from search and screening.",
                rationale: "The word contains invisible characters (such as a zero-width space) or letters of another alphabet that look the same (such as a Cyrillic о). A reader sees the word, but search and screening would miss it without help. Check where the text came from and ask for a clean copy of the document; Kryphål screens and searches the text as if those characters were not there.",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline_of(text: &str) -> Outline {
        kryphal_ingest::import(
            "t.md",
            text.as_bytes(),
            "d",
            &kryphal_ingest::Limits::default(),
        )
        .unwrap()
        .outline
    }

    #[test]
    fn hidden_trigger_words_are_found_and_highlighted_where_they_stand() {
        let plain = "# Villkor\n\nDet är osannolikt att kontroll sker. Egenförsäkran räcker.\n";
        let hidden = "# Villkor\n\nDet är osanno\u{200B}likt att kontroll sker. Egenf\u{4E7}rs\u{4D3}kran räcker. Det är \u{43E}sannolikt.\n";
        let book = Rulebook::builtin();
        let base = screen(&book, "d", "", &outline_of(plain));
        let found = screen(&book, "d", "", &outline_of(hidden));
        let rules = |s: &[Suggestion]| -> Vec<String> {
            let mut r: Vec<String> = s.iter().map(|s| s.rule_id.clone()).collect();
            r.sort();
            r
        };
        assert!(!base.is_empty());
        // Everything the plain text raises, and the hidden-text suggestion.
        for rule in rules(&base) {
            assert!(rules(&found).contains(&rule), "{rule} missing: {found:#?}");
        }
        let outline = outline_of(hidden);
        let text = &outline.clauses[0].text;
        for s in &found {
            for span in &s.spans {
                let words = &text[span.start as usize..span.end as usize];
                if s.rule_id == HIDDEN_TEXT_RULE {
                    assert!(kryphal_domain::hidden_characters(words), "{words:?}");
                } else {
                    // A highlight covers whole characters of the original text.
                    assert!(!words.is_empty());
                }
            }
        }
        let vague = found
            .iter()
            .find(|s| {
                s.spans
                    .iter()
                    .any(|sp| &text[sp.start as usize..sp.end as usize] == "osanno\u{200B}likt")
            })
            .expect("the vague term is highlighted where it stands, zero-width space and all");
        assert_ne!(vague.rule_id, HIDDEN_TEXT_RULE);
        let flag = found
            .iter()
            .find(|s| s.rule_id == HIDDEN_TEXT_RULE)
            .unwrap();
        assert_eq!(flag.category, "informationsluckor");
        assert!(flag.message.contains("osannolikt"), "{}", flag.message);
        assert_eq!(flag.spans.len(), 3, "{flag:#?}");
        assert!(
            screen(&book, "d", "", &outline_of(plain))
                .iter()
                .all(|s| s.rule_id != HIDDEN_TEXT_RULE)
        );
    }
}
