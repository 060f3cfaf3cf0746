//! Anything typed into the search box is a valid query: searching a small
//! index with arbitrary text (and an arbitrary filter value) gives results
//! or an empty list, and never panics or hangs.
//!
//! The input is the query; after a NUL byte comes a filter value, applied
//! to the facet chosen by the input's length.
#![no_main]

use std::sync::OnceLock;

use kryphal_search::{
    Facet, IndexedClause, IndexedDismissal, IndexedDocument, IndexedFinding, SearchIndex,
    SearchRequest,
};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::in_memory().unwrap();
        let texts = [
            "Leverantören ska redovisa ett utdrag ur belastningsregistret som är högst ett år gammalt.",
            "Auktorisationen gäller tills vidare om det inte är osannolikt att villkoren följs.",
            "Kommunen betalar ut ersättning i förskott efter leverantörens egen försäkran.",
            "Ägarförändringar anmäls senast tre månader efter att de har skett.",
        ];
        let document = IndexedDocument {
            id: "d1".into(),
            title: "Reglemente för kundval inom hemtjänst".into(),
            doc_type: "Reglemente".into(),
            owner: "Vård- och omsorgsnämnden".into(),
            dnr: "VON 2024/0187".into(),
            other_metadata: vec!["reglemente.docx".into()],
            clauses: texts
                .iter()
                .enumerate()
                .map(|(i, t)| IndexedClause {
                    id: format!("c{i}"),
                    label: format!("Villkor › p. {}", i + 1),
                    text: t.to_string(),
                    position: i as u32,
                })
                .collect(),
            findings: vec![IndexedFinding {
                id: "f1".into(),
                clause_id: "c0".into(),
                consequence: "Gamla registerutdrag godtas vid auktorisationsprövningen.".into(),
                exploitation: "Ett bolag visar ett utdrag från före domen.".into(),
                proposed_wording: "Utdraget får vara högst tre månader gammalt.".into(),
                crime_types: vec!["BED".into()],
                crime_type_names: vec!["Bedrägeri".into()],
                risk_level: Some("hog".into()),
                status: "draft".into(),
                ..Default::default()
            }],
            dismissals: vec![IndexedDismissal {
                suggestion_id: "s-c1-vag".into(),
                clause_id: "c1".into(),
                reason: "Redan reglerat i avtalet.".into(),
                ..Default::default()
            }],
        };
        index.replace_document(&document, 1).unwrap();
        index
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (query, filter) = match text.split_once('\0') {
        Some((q, f)) => (q, Some(f)),
        None => (text.as_ref(), None),
    };
    let mut request = SearchRequest::new(query);
    if let Some(value) = filter {
        request = request.filter(Facet::ALL[data.len() % Facet::ALL.len()], value);
    }
    let _ = index().search(&request);
});
