//! A small, made-up analysis for the export tests: "Auktorisationsvillkor
//! för daglig verksamhet" of the invented Björkå kommun, five clauses (one
//! carrying markup that must stay text), findings at every risk level, one
//! agreed with a proposed wording, one rejected, one with a sensitive answer.
#![allow(dead_code)]

use kryphal_domain::*;
use kryphal_export::{Analysis, ExportInput, ExportOptions, Lang, MemoHeader, Variant};
use kryphal_rules::Rulebook;

pub const HOSTILE: &str =
    "Särskilda villkor: <script>alert('x')</script> <img src=x onerror=alert(2)> & \"citat\".";
pub const SENSITIVE: &str = "En ägare med färska domar visar ett äldre, rent utdrag.";
pub const COMMENT: &str = "Stäm av med förvaltningens jurist före nämndens sammanträde.";

pub fn clause(id: &str, section: &str, number: &str, label: &str, text: &str, pos: u32) -> Clause {
    Clause {
        id: id.into(),
        section_id: Some(section.into()),
        number: number.into(),
        label: label.into(),
        kind: ClauseKind::Numbered,
        text: text.into(),
        position: pos,
    }
}

fn finding(id: &str, clause: &str, input: FindingInput) -> Finding {
    Finding {
        id: id.into(),
        document_id: "doc-1".into(),
        clause_id: clause.into(),
        input,
        risk_level: None,
        comments: vec![],
        suggestion_id: None,
        created_at: "2026-11-18T08:00:00Z".into(),
        created_by: "Åsa Öberg".into(),
        updated_at: "2026-11-20T09:30:00Z".into(),
        updated_by: "Åsa Öberg".into(),
    }
}

pub fn analysis() -> Analysis {
    let book = Rulebook::builtin();
    let document = Document {
        id: "doc-1".into(),
        meta: DocumentMeta {
            title: "Auktorisationsvillkor för daglig verksamhet".into(),
            doc_type: "Auktorisationsvillkor".into(),
            owner: "Socialnämnden".into(),
            dnr: "SN 2026/0412".into(),
            decided: "2025-05-14".into(),
            decided_by: "Socialnämnden".into(),
            responsible: "Enhetschef, upphandling och avtal".into(),
            ..Default::default()
        },
        source: SourceFile {
            name: "auktorisationsvillkor-daglig-verksamhet.docx".into(),
            sha256: "ab".repeat(32),
            format: SourceFormat::Docx,
            size: 48_213,
        },
        imported_at: "2026-11-17T13:05:00Z".into(),
        imported_by: "Åsa Öberg".into(),
        rulebook: book.reference(),
    };
    let outline = Outline {
        sections: vec![
            Section {
                id: "s1".into(),
                parent_id: None,
                level: 1,
                number: "1 kap.".into(),
                title: "Allmänna bestämmelser".into(),
                position: 0,
            },
            Section {
                id: "s2".into(),
                parent_id: None,
                level: 1,
                number: "2 kap.".into(),
                title: "Krav på utföraren".into(),
                position: 2,
            },
        ],
        clauses: vec![
            clause(
                "c-1",
                "s1",
                "1 §",
                "Allmänna bestämmelser › 1 §",
                "Villkoren gäller för utförare som nämnden har godkänt enligt lagen (2008:962) om valfrihetssystem.",
                1,
            ),
            clause(
                "c-3",
                "s2",
                "3 §",
                "Krav på utföraren › 3 §",
                "Utföraren ska lämna registerutdrag ur belastningsregistret för verksamhetsansvarig vid ansökan. Utdraget får vara högst ett år gammalt.",
                3,
            ),
            clause(
                "c-4",
                "s2",
                "4 §",
                "Krav på utföraren › 4 §",
                "Utföraren ska i övrigt ha visat laglydnad och får inte vara dömd för brott som rör yrkesutövningen.",
                4,
            ),
            clause(
                "c-5",
                "s2",
                "5 §",
                "Krav på utföraren › 5 §",
                "Ersättning betalas ut i förskott varje månad enligt utförarens egen uppgift om antalet deltagare.",
                5,
            ),
            clause(
                "c-6",
                "s2",
                "6 §",
                "Krav på utföraren › 6 §",
                "Om utföraren brister i sitt åtagande och det är osannolikt att bristen rättas till får nämnden häva avtalet.",
                6,
            ),
            clause("c-7", "s2", "7 §", "Krav på utföraren › 7 §", HOSTILE, 7),
        ],
    };
    let mut answers = serde_json::Map::new();
    answers.insert(
        "skyddsfaktorer".into(),
        serde_json::Value::String("Utdraget begärs av nämnden, inte av utföraren.".into()),
    );
    let mut agreed = finding(
        "f-1",
        "c-3",
        FindingInput {
            unintended_consequence: "Ett inaktuellt utdrag godtas, och ingen kontroll görs under avtalstiden.".into(),
            exploitation: SENSITIVE.into(),
            actors: vec!["leverantor".into(), "bulvan".into()],
            crime_types: vec!["BED".into(), "URK".into()],
            likelihood: Some(3),
            impact: Some(4),
            confidence: Some(Confidence::Medium),
            act_on: Some(true),
            act_on_reason: "Kravet är grunden för lämplighetsprövningen och är billigt att skärpa.".into(),
            alternatives: vec![
                Alternative {
                    wording: "Utdraget får vara högst tre månader gammalt.".into(),
                    pros: "Enkelt att tillämpa.".into(),
                    cons: "Ingen kontroll under avtalstiden.".into(),
                    residual_likelihood: Some(2),
                    residual_impact: Some(4),
                },
                Alternative {
                    wording: "Nämnden begär nytt utdrag varje år.".into(),
                    pros: "Fångar nya domar.".into(),
                    cons: "Mer administration.".into(),
                    residual_likelihood: Some(1),
                    residual_impact: Some(4),
                },
            ],
            proposed_wording: "Utföraren ska lämna registerutdrag ur belastningsregistret för verksamhetsansvarig vid ansökan och därefter varje år. Utdraget får vara högst tre månader gammalt.".into(),
            measure_type: Some(MeasureType::Both),
            countermeasure_group: Some("lopande_kontroll".into()),
            responsible_body: "Socialförvaltningen, avtalsenheten".into(),
            status: FindingStatus::Agreed,
            answers,
        },
    );
    agreed.risk_level = Some("very_high".into());
    agreed.comments.push(Comment {
        author: "Per Ström".into(),
        at: "2026-11-21T14:00:00Z".into(),
        text: COMMENT.into(),
    });
    agreed.suggestion_id = Some("s-c-3-bevis-gammalt".into());
    let mut high = finding(
        "f-2",
        "c-5",
        FindingInput {
            unintended_consequence: "Utföraren får betalt för deltagare som aldrig kommer.".into(),
            crime_types: vec!["BID".into()],
            likelihood: Some(3),
            impact: Some(3),
            act_on: Some(true),
            proposed_wording: "Ersättning betalas ut i efterskott varje månad efter kontroll av närvarorapporterna.".into(),
            status: FindingStatus::Reviewed,
            ..Default::default()
        },
    );
    high.risk_level = Some("high".into());
    let mut medium = finding(
        "f-3",
        "c-4",
        FindingInput {
            unintended_consequence: "Det går inte att avgöra vilka brott som diskvalificerar."
                .into(),
            likelihood: Some(2),
            impact: Some(2),
            status: FindingStatus::Draft,
            ..Default::default()
        },
    );
    medium.risk_level = Some("medium".into());
    let mut rejected = finding(
        "f-4",
        "c-6",
        FindingInput {
            unintended_consequence: "Osannolikt är ett vagt ord.".into(),
            likelihood: Some(1),
            impact: Some(2),
            status: FindingStatus::Rejected,
            ..Default::default()
        },
    );
    rejected.risk_level = Some("low".into());
    let mut low = finding(
        "f-5",
        "c-7",
        FindingInput {
            unintended_consequence: "Texten innehåller <b>märkning</b> som ska visas som text."
                .into(),
            likelihood: Some(1),
            impact: Some(1),
            status: FindingStatus::Draft,
            ..Default::default()
        },
    );
    low.risk_level = Some("low".into());
    let unrated = finding(
        "f-6",
        "c-1",
        FindingInput {
            unintended_consequence: "=SUMMA(A1:A9) börjar som en formel.".into(),
            ..Default::default()
        },
    );
    let suggestions = vec![
        Suggestion {
            id: "s-c-3-bevis-gammalt".into(),
            document_id: "doc-1".into(),
            clause_id: "c-3".into(),
            rule_id: "bevis-gammalt".into(),
            category: "inaktuellt_underlag".into(),
            message: "Inaktuellt underlag: ”högst ett år gammalt”".into(),
            rationale: "Ett gammalt utdrag visar inte nya domar.".into(),
            crime_types: vec!["BED".into()],
            spans: vec![Span {
                start: 100,
                end: 121,
            }],
            state: SuggestionState::Accepted {
                finding_id: "f-1".into(),
            },
            scope: Default::default(),
            why: String::new(),
            consequence: String::new(),
            proposal: String::new(),
            also: Vec::new(),
        },
        Suggestion {
            id: "s-c-6-vagt-osannolikt".into(),
            document_id: "doc-1".into(),
            clause_id: "c-6".into(),
            rule_id: "vagt-osannolikt".into(),
            category: "vaga_begrepp".into(),
            message: "Vagt begrepp: ”osannolikt”".into(),
            rationale: "Ingen kan tillämpa ordet lika.".into(),
            crime_types: vec![],
            spans: vec![Span { start: 44, end: 55 }],
            state: SuggestionState::Dismissed {
                reason: "Hävningsgrunden prövas ändå av nämnden.".into(),
                by: "Åsa Öberg".into(),
                at: "2026-11-19T10:00:00Z".into(),
            },
            scope: Default::default(),
            why: String::new(),
            consequence: String::new(),
            proposal: String::new(),
            also: Vec::new(),
        },
        Suggestion {
            id: "s-c-5-betalning-forskott".into(),
            document_id: "doc-1".into(),
            clause_id: "c-5".into(),
            rule_id: "betalning-forskott".into(),
            category: "betalning".into(),
            message: "Betalning före kontroll: ”förskott”".into(),
            rationale: "Förskott betalas innan något har kontrollerats.".into(),
            crime_types: vec!["BID".into()],
            spans: vec![Span { start: 24, end: 32 }],
            state: SuggestionState::Open,
            scope: Default::default(),
            why: String::new(),
            consequence: String::new(),
            proposal: String::new(),
            also: Vec::new(),
        },
    ];
    Analysis {
        document,
        outline,
        findings: vec![agreed, high, medium, rejected, low, unrated],
        suggestions,
    }
}

pub fn options(variant: Variant, lang: Lang) -> ExportOptions {
    ExportOptions {
        variant,
        lang,
        header: MemoHeader {
            municipality: "Björkå kommun".into(),
            committee: "Socialnämnden".into(),
            responsible_official: "Åsa Öberg, säkerhetsstrateg".into(),
            date: "2026-11-22".into(),
            case_dnr: "SN 2026/0512".into(),
            ..Default::default()
        },
        template: None,
        coverage: None,
    }
}

pub fn input<'a>(analysis: &'a Analysis, book: &'a Rulebook) -> ExportInput<'a> {
    ExportInput {
        analysis,
        rulebook: book,
    }
}

/// Text of a PDF file by `pdftotext -layout`; fails naming the package when
/// the tool is missing.
pub fn pdftotext(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext could not be started ({e}); install the Debian package poppler-utils")
        });
    assert!(
        out.status.success(),
        "pdftotext failed on {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    // Non-breaking spaces (before §) read as spaces.
    String::from_utf8_lossy(&out.stdout).replace('\u{a0}', " ")
}

/// The text with runs of whitespace (line breaks of the layout) made one space.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
