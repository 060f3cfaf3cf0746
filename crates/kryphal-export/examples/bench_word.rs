//! Times the Word round trip on a document of 200 findings (one per clause,
//! each with a proposed wording): writing the review document, reading it
//! back, and the memo's size. Run in release:
//! `cargo run --release -p kryphal-export --example bench_word`.

use std::time::Instant;

use kryphal_domain::*;
use kryphal_export::{
    Analysis, ExportInput, ExportOptions, Format, MemoHeader, Variant, export, read_review,
};
use kryphal_rules::Rulebook;

fn analysis(n: usize) -> Analysis {
    let book = Rulebook::builtin();
    let mut clauses = Vec::new();
    let mut findings = Vec::new();
    for i in 0..n {
        let text = format!(
            "{i}.1 Leverantören ska vid ansökan lämna ett utdrag ur belastningsregistret för varje person i ledande ställning. Utdraget får vara högst ett år gammalt och ska visas upp i original för nämnden, som prövar om kraven i avsnitt {i} är uppfyllda."
        );
        clauses.push(Clause {
            id: format!("c-{i}"),
            section_id: None,
            number: format!("{i}.1"),
            label: format!("Avsnitt {i} › p. {i}.1"),
            kind: ClauseKind::Numbered,
            text: text.clone(),
            position: i as u32,
        });
        let mut f = Finding {
            id: format!("f-{i:04}"),
            document_id: "doc".into(),
            clause_id: format!("c-{i}"),
            input: FindingInput {
                unintended_consequence: "Ett inaktuellt utdrag godtas och ingen kontroll görs under avtalstiden, så en dom efter ansökan märks aldrig.".into(),
                exploitation: "En ägare med färska domar visar ett äldre, rent utdrag.".into(),
                crime_types: vec!["BED".into(), "URK".into()],
                likelihood: Some(1 + (i % 4) as u8),
                impact: Some(1 + ((i / 4) % 4) as u8),
                proposed_wording: text.replace("högst ett år gammalt", "högst tre månader gammalt") + " Kontrollen upprepas varje år.",
                status: FindingStatus::Reviewed,
                ..Default::default()
            },
            risk_level: None,
            comments: vec![],
            suggestion_id: None,
            created_at: "2026-11-18T08:00:00Z".into(),
            created_by: "Åsa Öberg".into(),
            updated_at: "2026-11-20T09:30:00Z".into(),
            updated_by: "Åsa Öberg".into(),
        };
        f.risk_level = None;
        findings.push(f);
    }
    Analysis {
        document: Document {
            id: "doc".into(),
            meta: DocumentMeta {
                title: "Reglemente med 200 iakttagelser".into(),
                ..Default::default()
            },
            source: SourceFile {
                name: "reglemente.docx".into(),
                sha256: "ab".repeat(32),
                format: SourceFormat::Docx,
                size: 1,
            },
            imported_at: "2026-11-17T13:05:00Z".into(),
            imported_by: "Åsa Öberg".into(),
            rulebook: book.reference(),
        },
        outline: Outline {
            sections: vec![],
            clauses,
        },
        findings,
        suggestions: vec![],
    }
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (std::time::Duration, T) {
    let mut best = None;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        let d = t.elapsed();
        best = Some(best.map_or(d, |b: std::time::Duration| b.min(d)));
        last = Some(out);
    }
    (best.unwrap(), last.unwrap())
}

fn main() {
    let a = analysis(200);
    let book = Rulebook::builtin();
    let input = ExportInput {
        analysis: &a,
        rulebook: &book,
    };
    let options = ExportOptions {
        variant: Variant::Internal,
        header: MemoHeader {
            municipality: "Ekby kommun".into(),
            date: "2026-12-01".into(),
            ..MemoHeader::default()
        },
        ..ExportOptions::default()
    };
    let (write, review) = best(7, || export(Format::ReviewDocx, &input, &options).unwrap());
    let (read, reading) = best(7, || read_review(&review).unwrap());
    assert_eq!(reading.findings.len(), 200);
    let (memo_time, memo) = best(5, || export(Format::MemoDocx, &input, &options).unwrap());
    let (pdf_time, pdf) = best(3, || export(Format::MemoPdf, &input, &options).unwrap());
    println!(
        "review-docx, 200 findings: written in {:.1} ms ({} bytes), read back in {:.1} ms",
        write.as_secs_f64() * 1e3,
        review.len(),
        read.as_secs_f64() * 1e3
    );
    println!(
        "memo-docx, 200 findings: {} bytes ({:.0} KB), written in {:.1} ms",
        memo.len(),
        memo.len() as f64 / 1024.0,
        memo_time.as_secs_f64() * 1e3
    );
    println!(
        "memo-pdf, 200 findings: {} bytes, written in {:.1} ms",
        pdf.len(),
        pdf_time.as_secs_f64() * 1e3
    );
}
