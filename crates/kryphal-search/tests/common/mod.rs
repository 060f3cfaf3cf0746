//! Small Swedish fixtures written for these tests (not taken from any real
//! document). Clause ids say which document they belong to (`a…`, `b…`,
//! `c…`); findings are `f…`, dismissed suggestions `s…`.

#![allow(dead_code)]

use kryphal_search::{
    Hit, HitKind, IndexedClause, IndexedDismissal, IndexedDocument, IndexedFinding,
};

fn clause(id: &str, label: &str, text: &str, position: u32) -> IndexedClause {
    IndexedClause {
        id: id.into(),
        label: label.into(),
        text: text.into(),
        position,
    }
}

pub const LONG_CLAUSE: &str = "Leverantören ska under hela avtalstiden föra en förteckning över \
samtliga personer som utför insatser hos kunden, med uppgift om anställningsform, utbildning och \
språkkunskaper. Förteckningen ska hållas aktuell och lämnas till nämnden på begäran. Nämnden får \
när som helst begära in lönespecifikationer för att kontrollera att personalen faktiskt är anställd \
hos leverantören och inte hos ett underleverantörsbolag som saknar godkännande. Uppgifterna ska \
lämnas inom fem arbetsdagar från begäran och får inte lämnas i sammanfattad form.";

pub fn doc_a() -> IndexedDocument {
    IndexedDocument {
        id: "A".into(),
        title: "Auktorisationsvillkor för hemtjänst".into(),
        doc_type: "Auktorisationsvillkor".into(),
        owner: "Äldreomsorgsnämnden".into(),
        dnr: "ÄN 2025/0042".into(),
        other_metadata: vec!["Kommunfullmäktige".into(), "2025-02-12".into()],
        clauses: vec![
            clause(
                "a1",
                "Krav på leverantören › p. 3.1",
                "Leverantören ska före auktorisationen visa registerutdraget från belastningsregistret för samtliga ledningspersoner.",
                10,
            ),
            clause(
                "a2",
                "Allmänt › p. 1.2",
                "Auktorisationsvillkoren gäller under hela avtalstiden och kan ändras av nämnden.",
                2,
            ),
            clause(
                "a3",
                "Uppföljning › p. 6.4",
                "Nämnden följer upp att åtgärdsplanen genomförs inom tre månader.",
                30,
            ),
            clause(
                "a4",
                "Krav på leverantören › p. 3.2",
                "Utdraget får vara högst ett år gammalt när ansökan lämnas in.",
                11,
            ),
            clause(
                "a5",
                "Information › p. 4.1",
                "Vårdnadshavare ska informeras om beslutet skriftligen.",
                20,
            ),
            clause(
                "a6",
                "Kompetens › p. 5.1",
                "Personalen ska ha god kunskap om vård och omsorg.",
                25,
            ),
            clause(
                "a7",
                "Krav på leverantören › p. 3.3",
                "Leverantören ska kontrollera registret över personal varje månad.",
                12,
            ),
            clause(
                "a8",
                "Prövning › p. 2.1",
                "Kommunen gör en auktoritetsbedömning av sökanden.",
                5,
            ),
            clause(
                "a9",
                "Krav på leverantören › p. 3.4",
                "Leverantören ansvarar för att personalen har lämnat registerutdrag innan arbetet i hemtjänsten börjar.",
                13,
            ),
            clause(
                "a10",
                "Kundval › p. 1.3",
                "Kunden kan välja utförare av hemtjänst på kommunens webbplats.",
                3,
            ),
            clause(
                "a11",
                "Uppföljning › p. 6.5",
                "Av åtgärdslistan framgår vad som ska rättas.",
                31,
            ),
            clause(
                "a12",
                "Ekonomi › p. 7.1",
                "Planen för belastning av budgeten redovisas årligen.",
                40,
            ),
        ],
        findings: vec![IndexedFinding {
            id: "f3".into(),
            clause_id: "a4".into(),
            consequence: "Ett gammalt utdrag kan dölja nya domar.".into(),
            crime_types: vec!["BID".into(), "ORG".into()],
            crime_type_names: vec!["Bidragsbrott".into(), "Organiserad brottslighet".into()],
            risk_level: Some("hog".into()),
            status: "reviewed".into(),
            ..Default::default()
        }],
        dismissals: vec![],
    }
}

pub fn doc_b() -> IndexedDocument {
    IndexedDocument {
        id: "B".into(),
        title: "Riktlinje för ekonomiskt bistånd".into(),
        doc_type: "Riktlinje".into(),
        owner: "Socialnämnden".into(),
        dnr: "SN 2024/0311".into(),
        other_metadata: vec![],
        clauses: vec![
            clause("b1", "Ansökan › p. 2.1", "Den sökande ska lämna fullständiga uppgifter om sina inkomster. Oriktiga uppgifter kan utgöra bidragsbrott.", 1),
            clause("b2", "Planering › p. 3.1", "Handläggaren upprättar en åtgärdsplan tillsammans med den sökande.", 2),
            clause("b3", "Underlag › p. 4.1", "Ett registerutdrag krävs inte för ekonomiskt bistånd.", 3),
            clause("b4", "Beslut › p. 5.1", "Beslut om bistånd fattas av handläggare enligt delegationsordningen.", 4),
        ],
        findings: vec![
            IndexedFinding {
                id: "f1".into(),
                clause_id: "b1".into(),
                consequence: "Sökande kan uppge felaktiga inkomster utan kontroll mot andra myndigheter.".into(),
                exploitation: "En enskild kan dölja inkomster från svartarbete.".into(),
                proposed_wording: "Uppgifterna ska kontrolleras mot Skatteverket innan beslut fattas.".into(),
                comments: vec!["Vi misstänker bidragsbrott i flera ärenden under 2024.".into()],
                crime_types: vec!["BID".into()],
                crime_type_names: vec!["Bidragsbrott".into()],
                risk_level: Some("hog".into()),
                status: "draft".into(),
                ..Default::default()
            },
            IndexedFinding {
                id: "f2".into(),
                clause_id: "b4".into(),
                consequence: "Samma handläggare kan besluta i ärenden där det finns jäv.".into(),
                alternatives: vec!["Fyraögonsprincip vid beslut över ett prisbasbelopp.\nFördel: minskad risk.\nNackdel: längre handläggning.".into()],
                crime_types: vec!["MUT".into()],
                crime_type_names: vec!["Mutbrott".into()],
                risk_level: Some("medel".into()),
                status: "agreed".into(),
                ..Default::default()
            },
        ],
        dismissals: vec![IndexedDismissal {
            suggestion_id: "s1".into(),
            clause_id: "b3".into(),
            reason: "Kravet på utdrag är avsiktligt borttaget för bistånd.".into(),
            message: "Inaktuellt underlag: registerutdrag".into(),
        }],
    }
}

pub fn doc_c() -> IndexedDocument {
    IndexedDocument {
        id: "C".into(),
        title: "Policy mot mutor och jäv".into(),
        doc_type: "Policy".into(),
        owner: "Kommunstyrelsen".into(),
        dnr: "KS 2023/0999".into(),
        other_metadata: vec![],
        clauses: vec![
            clause(
                "c1",
                "Gåvor › p. 1",
                "Anställda får inte ta emot gåvor från leverantörer.",
                1,
            ),
            clause(
                "c2",
                "Anmälan › p. 2",
                "Misstanke om mutor ska anmälas till närmaste chef.",
                2,
            ),
            clause(
                "c3",
                "Öppenhet › p. 3",
                "Åtgärdsplanen för ökad öppenhet ska fastställas av kommunstyrelsen senast i år.",
                3,
            ),
            clause("c4", "Personal › p. 4", LONG_CLAUSE, 4),
        ],
        findings: vec![],
        dismissals: vec![],
    }
}

pub fn all() -> Vec<IndexedDocument> {
    vec![doc_a(), doc_b(), doc_c()]
}

/// The id of what a hit points at: clause, finding or suggestion id, or
/// `doc:<id>` for a document.
pub fn id(hit: &Hit) -> String {
    match hit.kind {
        HitKind::Document => format!("doc:{}", hit.document_id),
        HitKind::Clause => hit.clause_id.clone().unwrap_or_default(),
        HitKind::Finding => hit.finding_id.clone().unwrap_or_default(),
        HitKind::Dismissal => hit.suggestion_id.clone().unwrap_or_default(),
    }
}
