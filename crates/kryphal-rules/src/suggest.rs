//! From hits to the suggestions the app stores and shows: the one entry
//! point both the app and the quality measurements call, so that what is
//! measured is what an analyst sees.

use kryphal_domain::{Outline, Suggestion, SuggestionState};

use crate::{Rulebook, ScreenInput, screen};

/// The suggestions `book` makes for a document's outline, all open
/// (`title`, the document's, stands in `{section}` of a document-wide
/// suggestion). A suggestion's id is `s-{clause id}-{rule id}`, so a
/// decision on it survives re-screening and re-import of the same text.
pub fn suggest(
    book: &Rulebook,
    document_id: &str,
    title: &str,
    outline: &Outline,
) -> Vec<Suggestion> {
    let mut input = ScreenInput::from(outline);
    input.title = title.to_string();
    screen(book, &input)
        .into_iter()
        .map(|hit| Suggestion {
            id: format!("s-{}-{}", hit.clause_id, hit.rule_id),
            document_id: document_id.to_string(),
            clause_id: hit.clause_id,
            rule_id: hit.rule_id,
            category: hit.category,
            message: hit.message,
            rationale: hit.rationale,
            crime_types: hit.crime_types,
            spans: hit.spans,
            state: SuggestionState::Open,
            scope: hit.scope,
            why: hit.why,
            consequence: hit.consequence,
            proposal: hit.proposal,
            also: hit.also,
        })
        .collect()
}
