//! Our own fixtures: one Swedish guideline (tests/fixtures/src/riktlinje.fodt)
//! converted by LibreOffice to DOCX, ODT and PDF (tests/fixtures/make-fixtures.sh),
//! plus DOCX files built in memory for what LibreOffice does not write.

mod common;

use common::*;
use kryphal_domain::{ClauseKind, SourceFormat};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// What every format of the guideline must give.
fn check_guideline(name: &str, format: SourceFormat) -> kryphal_ingest::Imported {
    let imp = import(name, &fixture(name));
    assert_eq!(imp.format, format);
    assert_eq!(imp.meta.title, "Riktlinje för kundval i hemtjänst");
    assert_eq!(imp.meta.dnr, "VON/2024:00113");
    assert_eq!(imp.meta.decided, "2024-03-20");
    assert_eq!(imp.meta.responsible, "Kvalitetschef");
    let titles: Vec<&str> = imp
        .outline
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Syfte och omfattning",
            "Krav på utföraren",
            "Ekonomi och ledning",
            "Ersättning",
            "Uppföljning"
        ]
    );
    let ekonomi = &imp.outline.sections[2];
    assert_eq!(
        ekonomi.level, 2,
        "Ekonomi och ledning sits under Krav på utföraren"
    );
    let texts: Vec<&str> = imp
        .outline
        .clauses
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Den av nämnden antagna riktlinjen")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Nämnden följer upp utförarna minst en gång per år.")),
        "{texts:?}"
    );
    // The page header is page furniture, never a clause.
    assert!(
        !texts.iter().any(|t| t.contains("Botkyrka kommun ·")),
        "{texts:?}"
    );
    imp
}

#[test]
fn docx_from_libreoffice_keeps_numbering_footnotes_tables_and_tracked_changes() {
    let imp = check_guideline("riktlinje.docx", SourceFormat::Docx);
    let lines = clause_lines(&imp);
    assert!(lines.contains(&"Ekonomi och ledning › punkt 1] registreringsbevis från Bolagsverket som är högst tre månader gammalt;".to_string()), "{lines:#?}");
    assert!(
        lines.contains(&"Ekonomi och ledning › punkt a)] för aktiebolag: aktiebok;".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(
            &"Ekonomi och ledning › punkt 3] årsredovisning för det senaste räkenskapsåret."
                .to_string()
        ),
        "{lines:#?}"
    );
    // The tracked deletion is gone, the insertion kept.
    assert!(
        lines.contains(
            &"Ekonomi och ledning › punkt 2] skattebesked från Skatteverket;".to_string()
        ),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.contains("senast inom ett år")));
    // The footnote stays with its paragraph.
    assert!(
        lines[0].ends_with("utförarna[1]. [Fotnot 1: Se 9 kap. 1 § lagen om valfrihetssystem.]"),
        "{}",
        lines[0]
    );
    let rows: Vec<&str> = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.kind == ClauseKind::TableRow)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        rows,
        [
            "Insats | Ersättning per timme",
            "Service | 412 kronor",
            "Omsorg | 468 kronor"
        ]
    );
}

#[test]
fn odt_reads_headings_lists_tables_and_notes() {
    let imp = check_guideline("riktlinje.odt", SourceFormat::Odt);
    let lines = clause_lines(&imp);
    assert!(lines.contains(&"Ekonomi och ledning › punkt 1] registreringsbevis från Bolagsverket som är högst tre månader gammalt;".to_string()), "{lines:#?}");
    assert!(
        lines.contains(
            &"Ekonomi och ledning › punkt b)] för ekonomiska föreningar: medlemsförteckning;"
                .to_string()
        ),
        "{lines:#?}"
    );
    assert!(
        lines.contains(
            &"Ekonomi och ledning › strecksats 1] Ägarförhållanden ska redovisas.".to_string()
        ),
        "{lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("senast inom ett år")),
        "deleted text is dropped"
    );
    assert!(
        lines[0].contains("[Fotnot 1: Se 9 kap. 1 § lagen om valfrihetssystem.]"),
        "{}",
        lines[0]
    );
    assert!(
        lines.contains(&"Ersättning › rad 2] Service | 412 kronor".to_string()),
        "{lines:#?}"
    );
}

#[test]
fn pdf_from_libreoffice_keeps_reading_order_and_metadata() {
    let imp = check_guideline("riktlinje.pdf", SourceFormat::Pdf);
    let lines = clause_lines(&imp);
    assert!(lines.contains(&"Ekonomi och ledning › p. 1] registreringsbevis från Bolagsverket som är högst tre månader gammalt;".to_string()), "{lines:#?}");
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
    // The paragraph after the page break is whole.
    assert!(lines.iter().any(
        |l| l.ends_with("Felaktigt rapporterad tid återkrävs i sin helhet.")
            && l.contains("Ersättningen betalas ut månadsvis")
    ));
}

#[test]
fn ids_are_stable_across_reimport_and_across_formats() {
    let a = import("riktlinje.docx", &fixture("riktlinje.docx"));
    let b = import("riktlinje.docx", &fixture("riktlinje.docx"));
    assert_eq!(a.outline, b.outline);
    let odt = import("riktlinje.odt", &fixture("riktlinje.odt"));
    let same_text = |t: &str| {
        odt.outline
            .clauses
            .iter()
            .find(|c| c.text == t)
            .map(|c| c.id.clone())
    };
    let shared = a
        .outline
        .clauses
        .iter()
        .filter(|c| same_text(&c.text) == Some(c.id.clone()))
        .count();
    assert!(
        shared >= 10,
        "clauses with the same text keep the same id in DOCX and ODT: {shared}"
    );
}

#[test]
fn docx_headings_follow_swedish_style_ids_and_the_based_on_chain() {
    let styles = r#"
        <w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/></w:style>
        <w:style w:type="paragraph" w:styleId="Rubrik2"><w:name w:val="Rubrik 2"/></w:style>
        <w:style w:type="paragraph" w:styleId="MinRubrik"><w:name w:val="Min rubrik"/><w:basedOn w:val="Kapitel"/></w:style>
        <w:style w:type="paragraph" w:styleId="Kapitel"><w:name w:val="Kapitel"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>"#;
    let body = [
        r#"<w:p><w:pPr><w:pStyle w:val="Titel"/></w:pPr><w:r><w:t>Reglemente för nämnden</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:pPr><w:pStyle w:val="Rubrik1"/></w:pPr><w:r><w:t>Uppgifter</w:t></w:r></w:p>"#.to_string(),
        p("Nämnden ansvarar för socialtjänsten."),
        r#"<w:p><w:pPr><w:pStyle w:val="Rubrik2"/></w:pPr><w:r><w:t>Delegering</w:t></w:r></w:p>"#.to_string(),
        p("Nämnden får delegera beslut."),
        r#"<w:p><w:pPr><w:pStyle w:val="MinRubrik"/></w:pPr><w:r><w:t>Arbetsformer</w:t></w:r></w:p>"#.to_string(),
        p("Sammanträden hålls varje månad."),
    ]
    .concat();
    let imp = import("reglemente.docx", &docx(&body, styles, ""));
    assert_eq!(imp.meta.title, "Reglemente för nämnden");
    let sections: Vec<(u8, &str)> = imp
        .outline
        .sections
        .iter()
        .map(|s| (s.level, s.title.as_str()))
        .collect();
    assert_eq!(
        sections,
        [(1, "Uppgifter"), (2, "Delegering"), (1, "Arbetsformer")]
    );
    assert_eq!(imp.outline.clauses.len(), 3);
}

#[test]
fn docx_numbering_gives_visible_labels_with_levels_and_restarts() {
    let numbering = r#"
        <w:abstractNum w:abstractNumId="1">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
          <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
        </w:abstractNum>
        <w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>
        <w:num w:numId="6"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;
    let styles = r#"<w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/></w:style>
        <w:style w:type="paragraph" w:styleId="Lista"><w:name w:val="Lista"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>"#;
    let np = |num: &str, lvl: u8, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        r#"<w:p><w:pPr><w:pStyle w:val="Rubrik1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr></w:pPr><w:r><w:t>Ansökan</w:t></w:r></w:p>"#.to_string(),
        np("5", 1, "Ansökan ska vara skriftlig."),
        np("5", 1, "Nämnden prövar ansökan."),
        np("5", 2, "inom en månad;"),
        np("5", 2, "efter samråd."),
        r#"<w:p><w:pPr><w:pStyle w:val="Rubrik1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr></w:pPr><w:r><w:t>Avgifter</w:t></w:r></w:p>"#.to_string(),
        np("5", 1, "Avgift tas ut."),
        // A list on its own style restarts at 1 (startOverride).
        np("6", 0, "första"),
        r#"<w:p><w:pPr><w:pStyle w:val="Lista"/></w:pPr><w:r><w:t>via stilen</w:t></w:r></w:p>"#.to_string(),
    ]
    .concat();
    let imp = import("n.docx", &docx(&body, styles, numbering));
    let numbers: Vec<&str> = imp
        .outline
        .sections
        .iter()
        .map(|s| s.number.as_str())
        .collect();
    assert_eq!(numbers, ["1.", "2."]);
    let lines = clause_lines(&imp);
    assert_eq!(
        lines,
        [
            "Ansökan › p. 1.1] Ansökan ska vara skriftlig.",
            "Ansökan › p. 1.2] Nämnden prövar ansökan.",
            "Ansökan › p. 1.2 punkt a)] inom en månad;",
            "Ansökan › p. 1.2 punkt b)] efter samråd.",
            "Avgifter › p. 2.1] Avgift tas ut.",
            "Avgifter › p. 2.1 punkt 1] första",
            "Avgifter › p. 2.1 punkt 3] via stilen",
        ]
    );
}

#[test]
fn docx_tracked_changes_fields_and_a_layout_table() {
    let body = r#"
      <w:p><w:r><w:t xml:space="preserve">Intyget får vara </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>högst ett år</w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>högst tre månader</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> gammalt.</w:t></w:r></w:p>
      <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>FORMTEXT</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Ifyllt fält</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Första stycket i tabellen.</w:t></w:r></w:p><w:p><w:r><w:t>Andra stycket i tabellen.</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:p><w:r><w:t>Målnummer:</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B 1-24</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let imp = import("t.docx", &docx(body, "", ""));
    let texts: Vec<&str> = imp
        .outline
        .clauses
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "Intyget får vara högst tre månader gammalt.",
            "Ifyllt fält",
            "Första stycket i tabellen.",
            "Andra stycket i tabellen.",
        ]
    );
    // A labelled form field with a case number is the document's Dnr.
    assert_eq!(imp.meta.dnr, "B 1-24");
}

/// A municipal Word file as Word writes one: the title in a cover table, a
/// table of contents (its own styles, inside a TOC field), headings by a
/// localised style (`Rubrik 1`) and by a custom style based on one, and a
/// template's hidden instruction line.
#[test]
fn word_contents_heading_styles_and_hidden_text() {
    let styles = r#"
      <w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Rubrik2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="EgenRubrik"><w:name w:val="Egen rubrik"/><w:basedOn w:val="Rubrik2"/></w:style>
      <w:style w:type="paragraph" w:styleId="Innehll1"><w:name w:val="toc 1"/></w:style>
      <w:style w:type="paragraph" w:styleId="Innehll2"><w:name w:val="toc 2"/></w:style>
      <w:style w:type="paragraph" w:styleId="Rubrik"><w:name w:val="Title"/></w:style>"#;
    let para = |style: &str, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        r#"<w:tbl><w:tr><w:tc>"#.to_string(),
        para("Rubrik", "Riktlinjer för föreningsbidrag"),
        r#"</w:tc></w:tr></w:tbl>"#.to_string(),
        r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>Ta inte bort denna rad den innehåller dold information</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:pPr><w:pStyle w:val="Innehll1"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Syfte</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>2</w:t></w:r></w:p>"#.to_string(),
        para("Innehll2", "Vem kan söka\t3"),
        r#"<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#.to_string(),
        para("Rubrik1", "Syfte"),
        para("", "Bidraget ska stödja föreningar som bedriver verksamhet för barn."),
        para("EgenRubrik", "Vem kan söka"),
        para("", "En förening som är registrerad i kommunen kan söka bidrag."),
    ]
    .concat();
    let imp = import("bidrag.docx", &docx(&body, styles, ""));
    assert_eq!(imp.meta.title, "Riktlinjer för föreningsbidrag");
    let sections: Vec<(u8, &str)> = imp
        .outline
        .sections
        .iter()
        .map(|s| (s.level, s.title.as_str()))
        .collect();
    assert_eq!(sections, [(1, "Syfte"), (2, "Vem kan söka")]);
    assert_eq!(
        clause_lines(&imp),
        [
            "Syfte › st. 1] Bidraget ska stödja föreningar som bedriver verksamhet för barn.",
            "Vem kan söka › st. 1] En förening som är registrerad i kommunen kan söka bidrag.",
        ]
    );
}
