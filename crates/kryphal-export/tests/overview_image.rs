//! The overview images: the SVG is read back as XML and its cells, bars and
//! labels checked; the PNG is decoded and its pixels checked.

use kryphal_domain::{
    ClauseHeat, ClauseMark, Count, DocumentHeat, DocumentMeta, MatrixCell, Overview,
    SectionCoverage,
};
use kryphal_export::{
    ImageFormat, Lang, OverviewImage, OverviewPart, overview_image, overview_svg,
};
use kryphal_rules::Rulebook;
use resvg::tiny_skia::Pixmap;

fn count(key: &str, label: &str, n: u32) -> Count {
    Count {
        key: key.into(),
        label: label.into(),
        count: n,
    }
}

fn heat(id: &str, findings: u32, level: Option<&str>) -> ClauseHeat {
    ClauseHeat {
        clause_id: id.into(),
        label: format!("p. {id}"),
        findings,
        level: level.map(str::to_string),
    }
}

/// Four findings: two in "very likely × serious", one in "unlikely ×
/// significant", one not rated; five clauses, two of them reviewed.
fn overview(book: &Rulebook) -> Overview {
    let mut cells = Vec::new();
    for l in 1..=4u8 {
        for i in 1..=4u8 {
            let finding_ids = match (l, i) {
                (4, 4) => vec!["f1".to_string(), "f2".to_string()],
                (2, 3) => vec!["f3".to_string()],
                _ => vec![],
            };
            cells.push(MatrixCell {
                likelihood: l,
                impact: i,
                level: book.risk_level(l, i).map(|lv| lv.id.clone()),
                finding_ids,
            });
        }
    }
    Overview {
        document_id: Some("d1".into()),
        cells,
        unassessed: 1,
        by_crime_type: vec![
            count("BID", "Bidragsbrott", 3),
            count("BED", "Bedrägeri", 1),
        ],
        by_status: vec![count("draft", "draft", 3), count("agreed", "agreed", 1)],
        clauses: 5,
        reviewed: 2,
        sections: vec![
            SectionCoverage {
                section_id: Some("s1".into()),
                title: "1 Ansökan och överenskommelse".into(),
                clauses: 2,
                reviewed: 1,
            },
            SectionCoverage {
                section_id: None,
                title: String::new(),
                clauses: 3,
                reviewed: 1,
            },
        ],
        strip: vec![
            heat("c1", 0, None),
            heat("c2", 2, Some("very_high")),
            heat("c3", 0, None),
            heat("c4", 1, Some("medium")),
            heat("c5", 0, None),
        ],
        documents: vec![],
        findings: vec![],
        earlier_versions: 0,
    }
}

fn meta(title: &str) -> DocumentMeta {
    DocumentMeta {
        title: title.into(),
        dnr: "VON 2026/17".into(),
        ..DocumentMeta::default()
    }
}

fn svg(o: &Overview, m: &DocumentMeta, book: &Rulebook, part: OverviewPart, lang: Lang) -> String {
    draw(o, Some(m), book, part, lang)
}

fn draw(
    o: &Overview,
    m: Option<&DocumentMeta>,
    book: &Rulebook,
    part: OverviewPart,
    lang: Lang,
) -> String {
    overview_svg(
        &OverviewImage {
            overview: o,
            meta: m,
            rulebook: book,
            date: "2026-11-24",
        },
        part,
        lang,
    )
}

fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// The image's `width` or `height`.
fn size(doc: &roxmltree::Document<'_>, which: &str) -> f32 {
    doc.root_element()
        .attribute(which)
        .unwrap()
        .parse()
        .unwrap()
}

/// Every one of `expected` is the whole text of some `<text>` in `t`.
fn has_texts(t: &[String], expected: &[&str]) {
    for expected in expected {
        assert!(
            t.iter().any(|x| x == expected),
            "no text “{expected}” in {t:?}"
        );
    }
}

fn cell<'a>(doc: &'a roxmltree::Document<'a>, l: u8, i: u8) -> roxmltree::Node<'a, 'a> {
    doc.descendants()
        .find(|n| {
            n.attribute("data-likelihood") == Some(&l.to_string())
                && n.attribute("data-impact") == Some(&i.to_string())
        })
        .unwrap_or_else(|| panic!("no cell {l}×{i}"))
}

/// The rectangle's top left corner in image coordinates (the `translate`s
/// of its groups added up).
fn origin(node: roxmltree::Node<'_, '_>) -> (f32, f32) {
    let (mut x, mut y) = (
        node.attribute("x").unwrap().parse::<f32>().unwrap(),
        node.attribute("y").unwrap().parse::<f32>().unwrap(),
    );
    for g in node.ancestors().skip(1) {
        if let Some(t) = g.attribute("transform") {
            let inner = t
                .strip_prefix("translate(")
                .unwrap()
                .strip_suffix(')')
                .unwrap();
            let mut parts = inner.split(' ').map(|v| v.parse::<f32>().unwrap());
            x += parts.next().unwrap();
            y += parts.next().unwrap();
        }
    }
    (x, y)
}

#[test]
fn matrix_cells_carry_count_level_and_the_level_colour() {
    let book = Rulebook::builtin();
    let o = overview(&book);
    let out = svg(
        &o,
        &meta("Riktlinjer för hemtjänst"),
        &book,
        OverviewPart::All,
        Lang::Sv,
    );
    let doc = roxmltree::Document::parse(&out).unwrap();

    let cells: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("data-likelihood").is_some())
        .collect();
    assert_eq!(cells.len(), 16);

    let top = cell(&doc, 4, 4);
    assert_eq!(top.attribute("data-count"), Some("2"));
    assert_eq!(top.attribute("data-level"), Some("very_high"));
    assert_eq!(top.attribute("fill"), Some("#b71c1c"));
    let mid = cell(&doc, 2, 3);
    assert_eq!(mid.attribute("data-count"), Some("1"));
    assert_eq!(mid.attribute("data-level"), Some("medium"));
    assert_eq!(mid.attribute("fill"), Some("#b8860b"));
    // An empty cell shows its level paler, and no number.
    let empty = cell(&doc, 1, 1);
    assert_eq!(empty.attribute("data-count"), Some("0"));
    assert_eq!(empty.attribute("data-level"), Some("low"));
    assert_ne!(empty.attribute("fill"), Some("#2f7d32"));
    // The highest row is drawn on top: likelihood 4 above likelihood 1.
    assert!(origin(cell(&doc, 4, 1)).1 < origin(cell(&doc, 1, 1)).1);
    assert!(origin(cell(&doc, 1, 1)).0 < origin(cell(&doc, 1, 4)).0);

    let t = texts(&doc);
    has_texts(
        &t,
        &[
            "Riktlinjer för hemtjänst",
            "Översikt · Dnr VON 2026/17 · 2026-11-24",
            "Riskmatris",
            "Sannolikhet",
            "Konsekvens",
            "Mycket stor",
            "Mycket liten",
            "Begränsad",
            "Allvarlig",
            "Låg",
            "Mycket hög",
            "1 fynd utan riskbedömning",
            "2",
            "Fynd per brottstyp",
            "Fynd per status",
            "Utkast",
            "Överenskommen",
            "Var riskerna finns i dokumentet",
            "Täckning per avsnitt",
            "2 av 5 klausuler granskade",
            "1 Ansökan och överenskommelse",
            "Utanför avsnitt",
            "1 / 2",
            "1 / 3",
        ],
    );
}

#[test]
fn bars_are_as_long_as_their_counts() {
    let book = Rulebook::builtin();
    let o = overview(&book);
    let out = svg(&o, &meta("R"), &book, OverviewPart::CrimeTypes, Lang::Sv);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let bar = |name: &str| {
        let n = doc
            .descendants()
            .find(|n| n.attribute("data-crime-type") == Some(name))
            .unwrap_or_else(|| panic!("no bar {name}"));
        (
            n.attribute("data-count").unwrap().to_string(),
            n.attribute("width").unwrap().parse::<f32>().unwrap(),
        )
    };
    let (bid_n, bid_w) = bar("BID · Bidragsbrott");
    let (bed_n, bed_w) = bar("BED · Bedrägeri");
    assert_eq!((bid_n.as_str(), bed_n.as_str()), ("3", "1"));
    assert!((bid_w / bed_w - 3.0).abs() < 0.01, "{bid_w} vs {bed_w}");
    // One chart alone: no matrix, no status bars.
    assert!(!out.contains("data-likelihood"));
    assert!(!out.contains("data-status"));
}

#[test]
fn english_texts_and_the_strip_ticks() {
    let book = Rulebook::builtin();
    let o = overview(&book);
    let out = svg(&o, &meta("Guidelines"), &book, OverviewPart::All, Lang::En);
    let doc = roxmltree::Document::parse(&out).unwrap();
    assert_eq!(doc.root_element().attribute("lang"), Some("en"));
    let t = texts(&doc);
    has_texts(
        &t,
        &[
            "Overview · Ref. no. VON 2026/17 · 2026-11-24",
            "Risk matrix",
            "Findings by crime type",
            "Draft",
            "Agreed",
            "2 of 5 clauses reviewed",
            "1 finding without a risk rating",
            "Outside sections",
        ],
    );
    let ticks: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("data-tick").is_some())
        .map(|n| {
            (
                n.attribute("data-level").unwrap(),
                n.attribute("fill").unwrap(),
            )
        })
        .collect();
    assert_eq!(ticks, [("very_high", "#b71c1c"), ("medium", "#b8860b")]);
}

#[test]
fn hostile_text_is_escaped_and_control_characters_are_dropped() {
    let book = Rulebook::builtin();
    let mut o = overview(&book);
    o.by_crime_type[0].label = "</text><script>alert(1)</script>".into();
    o.sections[0].title = "A & B \"quoted\" 'single' \u{7}\u{0}\u{FFFE}".into();
    let title = "<script>alert('x')</script> & <b>fet</b>\u{1b}]";
    let out = svg(&o, &meta(title), &book, OverviewPart::All, Lang::Sv);
    assert!(!out.contains("<script"), "unescaped markup in the SVG");
    assert!(!out.contains('\u{0}') && !out.contains('\u{7}') && !out.contains('\u{FFFE}'));
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    assert!(
        !doc.descendants()
            .any(|n| n.has_tag_name("script") || n.has_tag_name("b"))
    );
    let t = texts(&doc);
    assert!(
        t.iter()
            .any(|x| x.starts_with("<script>alert('x')</script> & <b>fet</b>")),
        "the title is not shown as text: {t:?}"
    );
    assert!(
        t.iter().any(|x| x.starts_with("A & B \"quoted\" 'single'")),
        "{t:?}"
    );
    let title_el = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert!(
        title_el
            .text()
            .unwrap()
            .contains("<script>alert('x')</script>")
    );
}

#[test]
fn a_document_without_findings_gives_an_empty_but_complete_overview() {
    let book = Rulebook::builtin();
    let mut cells = Vec::new();
    for l in 1..=4u8 {
        for i in 1..=4u8 {
            cells.push(MatrixCell {
                likelihood: l,
                impact: i,
                level: book.risk_level(l, i).map(|lv| lv.id.clone()),
                finding_ids: vec![],
            });
        }
    }
    let o = Overview {
        document_id: Some("d0".into()),
        cells,
        unassessed: 0,
        by_crime_type: vec![],
        by_status: vec![],
        clauses: 3,
        reviewed: 0,
        sections: vec![SectionCoverage {
            section_id: None,
            title: String::new(),
            clauses: 3,
            reviewed: 0,
        }],
        strip: vec![heat("a", 0, None), heat("b", 0, None), heat("c", 0, None)],
        documents: vec![],
        findings: vec![],
        earlier_versions: 0,
    };
    for part in OverviewPart::ALL {
        let out = svg(&o, &meta(""), &book, part, Lang::Sv);
        let doc = roxmltree::Document::parse(&out).unwrap();
        let h = size(&doc, "height");
        assert!(h > 100.0 && h < 1400.0, "{part:?}: height {h}");
    }
    let out = svg(&o, &meta(""), &book, OverviewPart::All, Lang::Sv);
    let doc = roxmltree::Document::parse(&out).unwrap();
    assert!(
        doc.descendants()
            .filter(|n| n.attribute("data-likelihood").is_some())
            .all(|n| n.attribute("data-count") == Some("0"))
    );
    assert!(!out.contains("data-tick"));
    let t = texts(&doc);
    assert_eq!(t.iter().filter(|x| *x == "Inga fynd än.").count(), 2);
    assert!(t.iter().any(|x| x == "0 av 3 klausuler granskade"));
    assert!(!t.iter().any(|x| x.contains("utan riskbedömning")));
}

#[test]
fn a_long_title_wraps_to_two_lines_within_the_image() {
    let book = Rulebook::builtin();
    let o = overview(&book);
    let long = "Riktlinjer för biståndsbedömning, kundval och uppföljning av utförare av hemtjänst och ledsagning i Ekby kommun med tillhörande rutiner för kontroll av underlag";
    let out = svg(&o, &meta(long), &book, OverviewPart::Matrix, Lang::Sv);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let t = texts(&doc);
    assert!(t[0].starts_with("Riktlinjer för"));
    assert!(t[1].ends_with('…'), "{t:?}");
    assert!(!t.iter().any(|x| x == long));
}

#[test]
fn parts_and_formats_have_names() {
    for part in OverviewPart::ALL {
        assert_eq!(part.name().parse::<OverviewPart>().unwrap(), part);
    }
    let err = "pie".parse::<OverviewPart>().unwrap_err().to_string();
    assert!(
        err.contains("“pie”") && err.contains("matrix, crime-types"),
        "{err}"
    );
    assert_eq!("png".parse::<ImageFormat>().unwrap(), ImageFormat::Png);
    let err = "jpg".parse::<ImageFormat>().unwrap_err().to_string();
    assert!(err.contains("svg or png"), "{err}");
}

/// The PNG of `part`, checked to be a PNG twice the size of its SVG `doc`.
fn png(input: &OverviewImage<'_>, doc: &roxmltree::Document<'_>, part: OverviewPart) -> Pixmap {
    let png = overview_image(ImageFormat::Png, input, part, Lang::Sv).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let pixmap = Pixmap::decode_png(&png).unwrap();
    assert_eq!(
        (pixmap.width(), pixmap.height()),
        (
            2 * size(doc, "width") as u32,
            2 * size(doc, "height") as u32
        )
    );
    pixmap
}

/// The PNG's colour `inset` SVG units inside the rectangle `node`'s corner.
fn pixel(pixmap: &Pixmap, node: roxmltree::Node<'_, '_>, inset: f32) -> (u8, u8, u8, u8) {
    let (x, y) = origin(node);
    let p = pixmap
        .pixel((2.0 * (x + inset)) as u32, (2.0 * (y + inset)) as u32)
        .unwrap();
    (p.red(), p.green(), p.blue(), p.alpha())
}

#[test]
fn the_png_is_twice_the_svg_and_cells_have_their_level_colour() {
    let book = Rulebook::builtin();
    let o = overview(&book);
    let m = meta("Riktlinjer för hemtjänst – åäö ÅÄÖ");
    let input = OverviewImage {
        overview: &o,
        meta: Some(&m),
        rulebook: &book,
        date: "2026-11-24",
    };
    for part in [OverviewPart::All, OverviewPart::Matrix] {
        let out = svg(&o, &m, &book, part, Lang::Sv);
        let doc = roxmltree::Document::parse(&out).unwrap();
        let pixmap = png(&input, &doc, part);

        let at = |l: u8, i: u8| pixel(&pixmap, cell(&doc, l, i), 8.0);
        assert_eq!(at(4, 4), (0xb7, 0x1c, 0x1c, 255), "{part:?}");
        assert_eq!(at(2, 3), (0xb8, 0x86, 0x0b, 255), "{part:?}");
        // The background is white, not transparent (slides can be dark).
        let corner = pixmap.pixel(2, 2).unwrap();
        assert_eq!(
            (corner.red(), corner.green(), corner.blue(), corner.alpha()),
            (255, 255, 255, 255)
        );
    }
    let svg_bytes =
        overview_image(ImageFormat::Svg, &input, OverviewPart::Matrix, Lang::Sv).unwrap();
    assert!(svg_bytes.starts_with(b"<?xml"));
}

// ---------------------------------------------------------------- the library

fn mark(index: u32, level: Option<&str>) -> ClauseMark {
    ClauseMark {
        index,
        clause_id: format!("c{index}"),
        label: format!("p. {index}"),
        findings: 1,
        level: level.map(str::to_string),
    }
}

fn document(id: &str, title: &str, clauses: u32, marks: Vec<ClauseMark>) -> DocumentHeat {
    DocumentHeat {
        document_id: id.into(),
        title: title.into(),
        doc_type: "Riktlinje".into(),
        owner: "Vård- och omsorgsnämnden".into(),
        clauses,
        reviewed: marks.len() as u32,
        findings: marks.iter().map(|m| m.findings).sum(),
        level: None,
        marks,
    }
}

/// The library's overview: the document fixture's matrix and counts over
/// three documents — ten clauses with two neighbouring very high marks and
/// an unrated one, three clauses with a medium mark at the end, and a
/// document without clauses.
fn library(book: &Rulebook) -> Overview {
    let mut o = overview(book);
    o.document_id = None;
    o.sections.clear();
    o.strip.clear();
    o.documents = vec![
        document(
            "d1",
            "Riktlinjer för hemtjänst",
            10,
            vec![
                mark(1, Some("very_high")),
                mark(2, Some("very_high")),
                mark(7, None),
            ],
        ),
        document("d2", "Inköpspolicy", 3, vec![mark(2, Some("medium"))]),
        document("d3", "Tom riktlinje", 0, vec![]),
    ];
    o.clauses = 13;
    o.reviewed = 4;
    o
}

/// The `data-` rows of one kind: (name, reviewed or marks, clauses).
fn rows<'a>(
    doc: &'a roxmltree::Document<'a>,
    kind: &str,
    count: &str,
) -> Vec<(String, String, String)> {
    doc.descendants()
        .filter_map(|n| {
            Some((
                n.attribute(kind)?.to_string(),
                n.attribute(count)?.to_string(),
                n.attribute("data-clauses")?.to_string(),
            ))
        })
        .collect()
}

#[test]
fn the_library_has_a_coverage_bar_and_a_strip_per_document() {
    let book = Rulebook::builtin();
    let o = library(&book);
    let out = draw(&o, None, &book, OverviewPart::All, Lang::Sv);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let t = texts(&doc);
    has_texts(
        &t,
        &[
            "Alla styrdokument i biblioteket",
            "Översikt · 3 dokument · 2026-11-24",
            "Riskmatris",
            "Täckning per dokument",
            "4 av 13 klausuler granskade",
            "Var riskerna finns i varje dokument",
            "Riktlinjer för hemtjänst",
            "Inköpspolicy",
            "Tom riktlinje",
            "3 / 10",
            "1 / 3",
            "0 / 0",
            "Dokumentets början",
            "Fynd utan risknivå",
        ],
    );
    assert!(!t.iter().any(|x| x.contains("avsnitt") || x.contains("Dnr")));
    let title_el = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(
        title_el.text(),
        Some("Översikt – Alla styrdokument i biblioteket")
    );

    let bars = rows(&doc, "data-document", "data-reviewed");
    let want = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        bars,
        [
            want("Riktlinjer för hemtjänst", "3", "10"),
            want("Inköpspolicy", "1", "3"),
            want("Tom riktlinje", "0", "0"),
        ]
    );
    assert!(!out.contains("data-section"));
    let strips = rows(&doc, "data-strip", "data-marks");
    assert_eq!(
        strips,
        [
            want("Riktlinjer för hemtjänst", "3", "10"),
            want("Inköpspolicy", "1", "3"),
            want("Tom riktlinje", "0", "0"),
        ]
    );

    // Each strip's ticks sit on its own band: the two neighbouring very
    // high marks as one tick, the unrated one grey.
    let ticks = |title: &str| -> Vec<(String, String, String)> {
        let track = doc
            .descendants()
            .find(|n| n.attribute("data-strip") == Some(title))
            .unwrap();
        track
            .parent()
            .unwrap()
            .children()
            .filter(|n| n.attribute("data-tick").is_some())
            .map(|n| {
                (
                    n.attribute("data-tick").unwrap().to_string(),
                    n.attribute("data-level").unwrap().to_string(),
                    n.attribute("fill").unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        ticks("Riktlinjer för hemtjänst"),
        [want("2", "very_high", "#b71c1c"), want("1", "", "#8a8a8a")]
    );
    assert_eq!(ticks("Inköpspolicy"), [want("1", "medium", "#b8860b")]);
    assert!(ticks("Tom riktlinje").is_empty());
    // A mark at the last clause ends at the band's end, not past it.
    let band_w = |title: &str| {
        let track = doc
            .descendants()
            .find(|n| n.attribute("data-strip") == Some(title))
            .unwrap();
        track.attribute("width").unwrap().parse::<f32>().unwrap()
    };
    let last = doc
        .descendants()
        .find(|n| n.attribute("data-level") == Some("medium") && n.attribute("data-tick").is_some())
        .unwrap();
    let end = last.attribute("x").unwrap().parse::<f32>().unwrap()
        + last.attribute("width").unwrap().parse::<f32>().unwrap();
    assert!((end - band_w("Inköpspolicy")).abs() < 0.02, "{end}");

    // No number in the image is NaN or infinite (a document without
    // clauses divides nothing by zero).
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in ["x", "y", "width", "height"] {
            if let Some(v) = n.attribute(a) {
                assert!(v.parse::<f32>().is_ok_and(f32::is_finite), "{a}=\"{v}\"");
            }
        }
    }
    let empty_bar = doc
        .descendants()
        .find(|n| n.attribute("data-document") == Some("Tom riktlinje"))
        .unwrap();
    assert_eq!(empty_bar.attribute("width"), Some("0"));
}

#[test]
fn the_library_in_english_and_each_part_alone() {
    let book = Rulebook::builtin();
    let mut o = library(&book);
    let out = draw(&o, None, &book, OverviewPart::All, Lang::En);
    let t = texts(&roxmltree::Document::parse(&out).unwrap());
    has_texts(
        &t,
        &[
            "All governing documents in the library",
            "Overview · 3 documents · 2026-11-24",
            "Coverage by document",
            "Where the risks are in each document",
            "4 of 13 clauses reviewed",
            "Findings without a risk level",
        ],
    );
    o.documents.truncate(1);
    let out = draw(&o, None, &book, OverviewPart::Coverage, Lang::En);
    assert!(out.contains("Overview · 1 document · 2026-11-24"));
    assert!(out.contains("data-document=") && !out.contains("data-strip="));
    let out = draw(&o, None, &book, OverviewPart::Strip, Lang::En);
    assert!(out.contains("data-strip=") && !out.contains("data-document="));
    assert!(!out.contains("data-likelihood"));

    // An empty library says so instead of drawing nothing.
    o.documents.clear();
    let out = draw(&o, None, &book, OverviewPart::All, Lang::Sv);
    let t = texts(&roxmltree::Document::parse(&out).unwrap());
    assert_eq!(
        t.iter()
            .filter(|x| *x == "Inga dokument i biblioteket än.")
            .count(),
        2,
        "{t:?}"
    );
    assert!(t.iter().any(|x| x == "Översikt · 0 dokument · 2026-11-24"));
}

#[test]
fn a_large_library_shows_forty_rows_and_counts_the_rest() {
    let book = Rulebook::builtin();
    let mut o = library(&book);
    o.documents = (0..45)
        .map(|i| {
            document(
                &format!("d{i}"),
                &format!("Dokument {i}"),
                20,
                vec![mark(i % 20, Some("high"))],
            )
        })
        .collect();
    let out = draw(&o, None, &book, OverviewPart::All, Lang::Sv);
    let doc = roxmltree::Document::parse(&out).unwrap();
    assert_eq!(rows(&doc, "data-document", "data-reviewed").len(), 40);
    assert_eq!(rows(&doc, "data-strip", "data-marks").len(), 40);
    let t = texts(&doc);
    assert_eq!(
        t.iter().filter(|x| *x == "… och 5 dokument till").count(),
        2,
        "one line under the bars, one under the strips"
    );
    assert!(t.iter().any(|x| x == "Översikt · 45 dokument · 2026-11-24"));
    assert!(!t.iter().any(|x| x == "Dokument 40"));
    // The rows are thin: forty strips and forty bars stay a tall slide, not a scroll.
    let h = size(&doc, "height");
    assert!(h < 3200.0, "height {h}");
}

#[test]
fn hostile_document_titles_in_the_library_are_escaped() {
    let book = Rulebook::builtin();
    let mut o = library(&book);
    let hostile = "</text><script>alert(1)</script> & \"A\" 'B'\u{7}\u{0}";
    o.documents[1].title = hostile.into();
    o.documents[2].title = " \n ".into();
    for part in [
        OverviewPart::All,
        OverviewPart::Coverage,
        OverviewPart::Strip,
    ] {
        let out = draw(&o, None, &book, part, Lang::Sv);
        assert!(!out.contains("<script"), "{part:?}: unescaped markup");
        assert!(!out.contains('\u{0}') && !out.contains('\u{7}'));
        let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
        assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
        let t = texts(&doc);
        assert!(
            t.iter()
                .any(|x| x.starts_with("</text><script>alert(1)</script> & \"A\" 'B'")),
            "{part:?}: {t:?}"
        );
        // A document without a title is named as such.
        assert!(t.iter().any(|x| x == "Dokument utan titel"), "{t:?}");
        let named = doc
            .descendants()
            .filter_map(|n| n.attribute("data-document").or(n.attribute("data-strip")))
            .any(|v| v.starts_with("</text><script>"));
        assert!(named, "{part:?}: the title is not in the data attributes");
    }
}

#[test]
fn the_library_png_is_twice_the_svg_with_its_ticks_in_their_colour() {
    let book = Rulebook::builtin();
    let o = library(&book);
    let input = OverviewImage {
        overview: &o,
        meta: None,
        rulebook: &book,
        date: "2026-11-24",
    };
    for part in [OverviewPart::All, OverviewPart::Strip] {
        let out = draw(&o, None, &book, part, Lang::Sv);
        let doc = roxmltree::Document::parse(&out).unwrap();
        let pixmap = png(&input, &doc, part);
        let tick = doc
            .descendants()
            .find(|n| {
                n.attribute("data-level") == Some("very_high") && n.attribute("data-tick").is_some()
            })
            .unwrap();
        assert_eq!(
            pixel(&pixmap, tick, 4.0),
            (0xb7, 0x1c, 0x1c, 255),
            "{part:?}"
        );
    }
}
