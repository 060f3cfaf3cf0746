//! The fixed texts of the exports (headings, labels), in Swedish and English.

use crate::Lang;

/// One language's fixed texts.
pub(crate) struct Texts {
    pub lang: &'static str,
    pub memo_title: &'static str,
    pub municipality: &'static str,
    pub committee: &'static str,
    pub dnr: &'static str,
    pub date: &'static str,
    pub responsible_official: &'static str,
    pub document: &'static str,
    pub doc_type: &'static str,
    pub decided: &'static str,
    pub decided_by: &'static str,
    pub source_file: &'static str,
    pub rulebook: &'static str,
    pub variant: &'static str,
    pub variant_internal: &'static str,
    pub variant_public: &'static str,
    pub summary: &'static str,
    pub findings: &'static str,
    pub number: &'static str,
    pub clause: &'static str,
    pub risk_level: &'static str,
    pub count: &'static str,
    pub not_rated: &'static str,
    pub status: &'static str,
    pub current_text: &'static str,
    pub current_wording: &'static str,
    pub proposed_wording: &'static str,
    pub proposal_lead: &'static str,
    pub unintended_consequence: &'static str,
    pub exploitation: &'static str,
    pub actors: &'static str,
    pub crime_types: &'static str,
    pub risk: &'static str,
    pub likelihood: &'static str,
    pub impact: &'static str,
    pub confidence: &'static str,
    pub act_on: &'static str,
    pub alternatives: &'static str,
    pub alternative: &'static str,
    pub pros: &'static str,
    pub cons: &'static str,
    pub residual_risk: &'static str,
    pub measure_type: &'static str,
    pub countermeasure: &'static str,
    pub responsible_body: &'static str,
    pub comments: &'static str,
    pub matrix_intro: &'static str,
    pub dismissed_intro: &'static str,
    pub suggestion: &'static str,
    pub reason: &'static str,
    pub dismissed_by: &'static str,
    pub matrix_corner: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub status_draft: &'static str,
    pub status_reviewed: &'static str,
    pub status_agreed: &'static str,
    pub status_rejected: &'static str,
    pub confidence_low: &'static str,
    pub confidence_medium: &'static str,
    pub confidence_high: &'static str,
    pub measure_rule_change: &'static str,
    pub measure_control: &'static str,
    pub measure_both: &'static str,
    pub page: &'static str,
    pub decision: &'static str,
    pub background: &'static str,
    pub appendices: &'static str,
    /// `Bilaga {n}. {title}`.
    pub appendix: &'static str,
    pub matrix_title: &'static str,
    pub dismissed_title: &'static str,
    pub technical_title: &'static str,
    pub coverage_title: &'static str,
    pub technical_intro: &'static str,
    pub document_dnr: &'static str,
    pub document_id: &'static str,
    pub overview_title: &'static str,
    pub public_version: &'static str,
    pub review_intro: &'static str,
    pub finding_label: &'static str,
    pub proposal_tracked: &'static str,
    // Register columns.
    pub col_document: &'static str,
    pub col_finding_id: &'static str,
    pub col_clause_id: &'static str,
    pub col_risk_value: &'static str,
    pub col_updated: &'static str,
    pub col_updated_by: &'static str,
    pub sheet_register: &'static str,
    pub sheet_about: &'static str,
    pub exported: &'static str,
}

static SV: Texts = Texts {
    lang: "sv",
    memo_title: "Brottssäkring av",
    municipality: "Kommun",
    committee: "Nämnd",
    dnr: "Dnr",
    date: "Datum",
    responsible_official: "Handläggare",
    document: "Dokument",
    doc_type: "Dokumenttyp",
    decided: "Beslutat",
    decided_by: "Beslutat av",
    source_file: "Källfil",
    rulebook: "Regelbok",
    variant: "Version",
    variant_internal: "Intern – innehåller känsliga uppgifter",
    variant_public: "Offentlig – känsliga uppgifter är utelämnade",
    summary: "Sammanfattning",
    findings: "Iakttagelser",
    number: "Nr",
    clause: "Punkt",
    risk_level: "Risknivå",
    count: "Antal",
    not_rated: "Ej bedömd",
    status: "Status",
    current_text: "Lydelse",
    current_wording: "Nuvarande lydelse",
    proposed_wording: "Föreslagen lydelse",
    proposal_lead: "Förslag till ändrad lydelse av",
    unintended_consequence: "Oavsiktlig konsekvens",
    exploitation: "Tillvägagångssätt",
    actors: "Aktörer",
    crime_types: "Brottstyper",
    risk: "Risk",
    likelihood: "Sannolikhet",
    impact: "Konsekvens",
    confidence: "Bedömningens säkerhet",
    act_on: "Bör åtgärdas",
    alternatives: "Övervägda alternativ",
    alternative: "Alternativ",
    pros: "Fördelar",
    cons: "Nackdelar",
    residual_risk: "Kvarstående risk",
    measure_type: "Typ av åtgärd",
    countermeasure: "Motåtgärd",
    responsible_body: "Ansvarig",
    comments: "Kommentarer",
    matrix_intro: "Antal iakttagelser per kombination av sannolikhet och konsekvens. Färgen anger risknivån enligt regelbokens indelning.",
    matrix_corner: "Sannolikhet \\ Konsekvens",
    dismissed_intro: "Förslag från regelbokens screening som analytikern har avfärdat, med skälen.",
    suggestion: "Förslag",
    reason: "Skäl",
    dismissed_by: "Avfärdat av",
    yes: "Ja",
    no: "Nej",
    status_draft: "Utkast",
    status_reviewed: "Granskad",
    status_agreed: "Överenskommen",
    status_rejected: "Avvisad",
    confidence_low: "Osäker",
    confidence_medium: "Ganska säker",
    confidence_high: "Säker",
    measure_rule_change: "Ändrad regel",
    measure_control: "Stärkt kontroll",
    measure_both: "Både och",
    page: "Sida",
    decision: "Förslag till beslut",
    background: "Ärendet",
    appendices: "Bilagor",
    appendix: "Bilaga {n}. {title}",
    matrix_title: "Riskmatris",
    dismissed_title: "Avfärdade screeningförslag",
    technical_title: "Teknisk information",
    coverage_title: "Granskningens omfattning",
    technical_intro: "Uppgifter om underlaget för analysen, för förvaltningens egen dokumentation.",
    document_dnr: "Styrdokumentets Dnr",
    document_id: "Dokument-id i Kryphål",
    overview_title: "Översikt över iakttagelserna",
    public_version: "Offentlig version – känsliga uppgifter är utelämnade",
    review_intro: "Granska förslagen: godta eller avvisa de spårade ändringarna, ändra lydelsen om ni vill och svara på kommentarerna. Spara sedan som Word-dokument (.docx) och skicka filen tillbaka till handläggaren.",
    finding_label: "Iakttagelse",
    proposal_tracked: "Föreslagen lydelse: se den spårade ändringen i texten.",
    col_document: "Dokument",
    col_finding_id: "Iakttagelse-id",
    col_clause_id: "Punkt-id",
    col_risk_value: "Riskvärde",
    col_updated: "Senast ändrad",
    col_updated_by: "Ändrad av",
    sheet_register: "Riskregister",
    sheet_about: "Om exporten",
    exported: "Exporterad",
};

static EN: Texts = Texts {
    lang: "en",
    memo_title: "Crime proofing of",
    municipality: "Municipality",
    committee: "Committee",
    dnr: "Reference no.",
    date: "Date",
    responsible_official: "Case officer",
    document: "Document",
    doc_type: "Document type",
    decided: "Decided",
    decided_by: "Decided by",
    source_file: "Source file",
    rulebook: "Rulebook",
    variant: "Version",
    variant_internal: "Internal – contains sensitive information",
    variant_public: "Public – sensitive information left out",
    summary: "Summary",
    findings: "Findings",
    number: "No.",
    clause: "Clause",
    risk_level: "Risk level",
    count: "Count",
    not_rated: "Not rated",
    status: "Status",
    current_text: "Wording",
    current_wording: "Current wording",
    proposed_wording: "Proposed wording",
    proposal_lead: "Proposed amendment of",
    unintended_consequence: "Unintended consequence",
    exploitation: "How it could be exploited",
    actors: "Actors",
    crime_types: "Crime types",
    risk: "Risk",
    likelihood: "Likelihood",
    impact: "Consequence",
    confidence: "Confidence",
    act_on: "Should be addressed",
    alternatives: "Alternatives considered",
    alternative: "Alternative",
    pros: "Pros",
    cons: "Cons",
    residual_risk: "Residual risk",
    measure_type: "Type of measure",
    countermeasure: "Countermeasure",
    responsible_body: "Responsible",
    comments: "Comments",
    matrix_intro: "Number of findings per combination of likelihood and consequence. The colour shows the risk level in the rulebook's banding.",
    matrix_corner: "Likelihood \\ Consequence",
    dismissed_intro: "Suggestions of the rulebook's screening that the analyst dismissed, with the reasons.",
    suggestion: "Suggestion",
    reason: "Reason",
    dismissed_by: "Dismissed by",
    yes: "Yes",
    no: "No",
    status_draft: "Draft",
    status_reviewed: "Reviewed",
    status_agreed: "Agreed",
    status_rejected: "Rejected",
    confidence_low: "Unsure",
    confidence_medium: "Fairly sure",
    confidence_high: "Sure",
    measure_rule_change: "Rule change",
    measure_control: "Stronger control",
    measure_both: "Both",
    page: "Page",
    decision: "Proposed decision",
    background: "Background",
    appendices: "Appendices",
    appendix: "Appendix {n}. {title}",
    matrix_title: "Risk matrix",
    dismissed_title: "Dismissed screening suggestions",
    technical_title: "Technical information",
    coverage_title: "Coverage of the review",
    technical_intro: "Facts about what the analysis is based on, for the administration's own records.",
    document_dnr: "Document reference no.",
    document_id: "Document id in Kryphål",
    overview_title: "Overview of the findings",
    public_version: "Public version – sensitive information left out",
    review_intro: "Review the proposals: accept or reject the tracked changes, change the wording if you like and reply to the comments. Then save as a Word document (.docx) and send the file back to the case officer.",
    finding_label: "Finding",
    proposal_tracked: "Proposed wording: see the tracked change in the text.",
    col_document: "Document",
    col_finding_id: "Finding id",
    col_clause_id: "Clause id",
    col_risk_value: "Risk value",
    col_updated: "Last changed",
    col_updated_by: "Changed by",
    sheet_register: "Risk register",
    sheet_about: "About this export",
    exported: "Exported",
};

/// `1 iakttagelse`, `3 iakttagelser`; `1 finding`, `3 findings`.
pub(crate) fn findings_n(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Sv, 1) => "1 iakttagelse".to_string(),
        (Lang::Sv, n) => format!("{n} iakttagelser"),
        (Lang::En, 1) => "1 finding".to_string(),
        (Lang::En, n) => format!("{n} findings"),
    }
}

/// The summary's opening: what was examined and what came of it, with the
/// numbers agreeing (`1 iakttagelse`, `ingen med förslag`, `samtliga`).
pub(crate) fn summary_sentence(
    lang: Lang,
    what: &str,
    findings: usize,
    proposals: usize,
) -> String {
    match lang {
        Lang::Sv => {
            let mut s = format!(
                "Förvaltningen har brottssäkrat {what}: varje punkt har prövats mot risken att formuleringen kan utnyttjas för brott, fusk eller felaktiga utbetalningar."
            );
            if findings == 0 {
                s.push_str(" Granskningen har inte lett till några iakttagelser.");
                return s;
            }
            let with = match (findings, proposals) {
                (_, 0) => "ingen med förslag till ändrad lydelse".to_string(),
                (1, 1) => "med förslag till ändrad lydelse".to_string(),
                (f, p) if f == p => "samtliga med förslag till ändrad lydelse".to_string(),
                (_, p) => format!("varav {p} med förslag till ändrad lydelse"),
            };
            s.push_str(&format!(
                " Granskningen har lett till {}, {with}.",
                findings_n(lang, findings)
            ));
            s
        }
        Lang::En => {
            let mut s = format!(
                "The administration has crime-proofed {what}: every clause has been examined for wording that could be exploited for crime, fraud or incorrect payments."
            );
            if findings == 0 {
                s.push_str(" The review led to no findings.");
                return s;
            }
            let with = match (findings, proposals) {
                (_, 0) => "none with a proposed new wording".to_string(),
                (1, 1) => "with a proposed new wording".to_string(),
                (f, p) if f == p => "all with a proposed new wording".to_string(),
                (_, 1) => "1 of them with a proposed new wording".to_string(),
                (_, p) => format!("{p} of them with a proposed new wording"),
            };
            s.push_str(&format!(
                " The review led to {}, {with}.",
                findings_n(lang, findings)
            ));
            s
        }
    }
}

/// The generated *Förslag till beslut*.
pub(crate) fn decision_default(
    lang: Lang,
    committee: &str,
    title: &str,
    proposals: usize,
) -> String {
    let committee = committee.trim();
    match lang {
        Lang::Sv => {
            let who = if committee.is_empty() {
                "Nämnden"
            } else {
                committee
            };
            if proposals == 0 {
                format!(
                    "{who} beslutar att lägga redovisningen av brottssäkringen av {title} till handlingarna."
                )
            } else {
                format!(
                    "{who} beslutar att revidera {title} enligt förslagen till ändrad lydelse i denna tjänsteskrivelse."
                )
            }
        }
        Lang::En => {
            let who = if committee.is_empty() {
                "The committee"
            } else {
                committee
            };
            if proposals == 0 {
                format!(
                    "{who} decides to take note of the report on the crime proofing of {title}."
                )
            } else {
                format!("{who} decides to revise {title} as proposed in this memo.")
            }
        }
    }
}

/// The generated *Ärendet*: the document, its decision, and the method.
pub(crate) fn background_default(
    lang: Lang,
    title: &str,
    dnr: &str,
    decided_by: &str,
    decided: &str,
) -> String {
    let dnr = dnr.trim();
    let decided_by = decided_by.trim();
    let decided = decided.trim();
    match lang {
        Lang::Sv => {
            let mut s = title.to_string();
            if !dnr.is_empty() {
                s.push_str(&format!(" (Dnr {dnr})"));
            }
            match (decided_by.is_empty(), decided.is_empty()) {
                (false, false) => s.push_str(&format!(" beslutades av {decided_by} {decided}.")),
                (false, true) => s.push_str(&format!(" är beslutat av {decided_by}.")),
                (true, false) => s.push_str(&format!(" beslutades {decided}.")),
                (true, true) => s.push_str(" är föremål för denna granskning."),
            }
            s.push_str(" Förvaltningen har gått igenom dokumentet punkt för punkt enligt metoden för brottssäkring av regelverk: för varje formulering som kan utnyttjas beskrivs den oavsiktliga konsekvensen, vilka brott den kan göra möjliga och hur sannolik och allvarlig risken är. Där en ändrad lydelse föreslås visas den nuvarande och den föreslagna lydelsen sida vid sida.");
            s
        }
        Lang::En => {
            let mut s = title.to_string();
            if !dnr.is_empty() {
                s.push_str(&format!(" (ref. {dnr})"));
            }
            match (decided_by.is_empty(), decided.is_empty()) {
                (false, false) => {
                    s.push_str(&format!(" was decided by {decided_by} on {decided}."))
                }
                (false, true) => s.push_str(&format!(" was decided by {decided_by}.")),
                (true, false) => s.push_str(&format!(" was decided on {decided}.")),
                (true, true) => s.push_str(" is the subject of this review."),
            }
            s.push_str(" The administration has gone through the document clause by clause following the crime-proofing method: for every wording that could be exploited, the unintended consequence, the crimes it could enable and how likely and how serious the risk is are described. Where a new wording is proposed, the current and the proposed wording are shown side by side.");
            s
        }
    }
}

pub(crate) fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

/// The fixed texts of the overview images, worded as the app's overview
/// panel words them (so a slide says what the screen said).
pub(crate) struct OverviewTexts {
    pub overview: &'static str,
    pub dnr: &'static str,
    pub matrix: &'static str,
    pub crime_types: &'static str,
    pub statuses: &'static str,
    pub strip: &'static str,
    pub sections: &'static str,
    pub no_section: &'static str,
    pub none: &'static str,
    /// `{n}` of `{m}` clauses reviewed.
    pub progress: &'static str,
    /// `{n}` findings without a risk rating.
    pub unassessed: &'static str,
    pub finding_one: &'static str,
    /// `{n}` findings.
    pub finding_other: &'static str,
    pub no_level: &'static str,
    pub start: &'static str,
    pub end: &'static str,
    /// `{n}` more sections, not shown.
    pub more_sections: &'static str,
    pub status_draft: &'static str,
    pub status_reviewed: &'static str,
    pub status_agreed: &'static str,
    pub status_rejected: &'static str,
    /// The title of the whole library's overview.
    pub library: &'static str,
    pub document_one: &'static str,
    /// `{n}` documents.
    pub document_other: &'static str,
    pub documents_coverage: &'static str,
    pub documents_strip: &'static str,
    /// `{n}` more documents, not shown.
    pub more_documents: &'static str,
    pub no_documents: &'static str,
    /// A document whose title is empty.
    pub untitled: &'static str,
}

static OVERVIEW_SV: OverviewTexts = OverviewTexts {
    overview: "Översikt",
    dnr: "Dnr",
    matrix: "Riskmatris",
    crime_types: "Fynd per brottstyp",
    statuses: "Fynd per status",
    strip: "Var riskerna finns i dokumentet",
    sections: "Täckning per avsnitt",
    no_section: "Utanför avsnitt",
    none: "Inga fynd än.",
    progress: "{n} av {m} klausuler granskade",
    unassessed: "{count} utan riskbedömning",
    finding_one: "1 fynd",
    finding_other: "{n} fynd",
    no_level: "Fynd utan risknivå",
    start: "Dokumentets början",
    end: "Slut",
    more_sections: "… och {n} avsnitt till",
    status_draft: "Utkast",
    status_reviewed: "Granskad",
    status_agreed: "Överenskommen",
    status_rejected: "Avvisad",
    library: "Alla styrdokument i biblioteket",
    document_one: "1 dokument",
    document_other: "{n} dokument",
    documents_coverage: "Täckning per dokument",
    documents_strip: "Var riskerna finns i varje dokument",
    more_documents: "… och {n} dokument till",
    no_documents: "Inga dokument i biblioteket än.",
    untitled: "Dokument utan titel",
};

static OVERVIEW_EN: OverviewTexts = OverviewTexts {
    overview: "Overview",
    dnr: "Ref. no.",
    matrix: "Risk matrix",
    crime_types: "Findings by crime type",
    statuses: "Findings by status",
    strip: "Where the risks are in the document",
    sections: "Coverage by section",
    no_section: "Outside sections",
    none: "No findings yet.",
    progress: "{n} of {m} clauses reviewed",
    unassessed: "{count} without a risk rating",
    finding_one: "1 finding",
    finding_other: "{n} findings",
    no_level: "Findings without a risk level",
    start: "Start of the document",
    end: "End",
    more_sections: "… and {n} more sections",
    status_draft: "Draft",
    status_reviewed: "Reviewed",
    status_agreed: "Agreed",
    status_rejected: "Rejected",
    library: "All governing documents in the library",
    document_one: "1 document",
    document_other: "{n} documents",
    documents_coverage: "Coverage by document",
    documents_strip: "Where the risks are in each document",
    more_documents: "… and {n} more documents",
    no_documents: "No documents in the library yet.",
    untitled: "Untitled document",
};

pub(crate) fn overview_texts(lang: Lang) -> &'static OverviewTexts {
    match lang {
        Lang::Sv => &OVERVIEW_SV,
        Lang::En => &OVERVIEW_EN,
    }
}

/// The coverage statement of a final review: how many clauses, each
/// verdict counted, who gave them, who marked the review final and when,
/// and the rulebook (`name`, its id and version) it was made with.
pub(crate) fn coverage_statement(
    lang: Lang,
    coverage: &kryphal_domain::Coverage,
    rulebook_name: &str,
) -> Vec<String> {
    let Some(mark) = &coverage.final_mark else {
        return Vec::new();
    };
    let names = coverage
        .by
        .iter()
        .map(|n| format!("{} ({})", n.name, n.count))
        .collect::<Vec<_>>()
        .join(", ");
    let date = crate::model::iso_date(&mark.at);
    let book = if rulebook_name.trim().is_empty() {
        format!("{} {}", mark.rulebook.id, mark.rulebook.version)
    } else {
        format!(
            "{} ({} {})",
            rulebook_name.trim(),
            mark.rulebook.id,
            mark.rulebook.version
        )
    };
    let c = coverage;
    match lang {
        Lang::Sv => vec![
            format!(
                "Samtliga {} klausuler i styrdokumentet har fått en bedömning: {} med risk, {} kontrollerade utan risk, {} som inte är regler och {} som medvetet inte har bedömts. Klausuler som inte är regler (rubriker, kontaktuppgifter, bakgrundstext) redovisas inte i skrivelsen.",
                c.clauses, c.risk, c.checked, c.not_a_rule, c.not_assessed
            ),
            format!("Bedömningarna gjordes av {names}."),
            format!(
                "Granskningen markerades som slutlig av {} den {date}. Regelbok: {book}.",
                mark.by
            ),
        ],
        Lang::En => vec![
            format!(
                "All {} clauses of the document have a verdict: {} with a risk, {} checked with no risk, {} not a rule and {} deliberately not assessed. Clauses that are not rules (headings, contact details, background text) are not reported in this memo.",
                c.clauses, c.risk, c.checked, c.not_a_rule, c.not_assessed
            ),
            format!("The verdicts were given by {names}."),
            format!(
                "The review was marked final by {} on {date}. Rulebook: {book}.",
                mark.by
            ),
        ],
    }
}
