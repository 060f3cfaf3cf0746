//! The bundle format on its own: written and read back, and every kind of
//! bad file refused with the right error before anything is returned.

use std::io::{Cursor, Write};

use kryphal_bundle::{
    BundleDocument, BundleError, BundleFinding, BundleItem, Header, Limits, read_bundle, revision,
    write_bundle,
};
use kryphal_domain::{
    Clause, ClauseKind, Document, DocumentMeta, Finding, FindingInput, Outline, RulebookRef,
    SourceFile, SourceFormat,
};
use zip::write::SimpleFileOptions;

const SOURCE: &[u8] = "# Regler\n\n1. Leverantoren ska vara seriös.\n".as_bytes();

fn header() -> Header {
    Header {
        app_version: "0.1.0".into(),
        created: "2026-11-24T04:00:00Z".into(),
        author: "Ada".into(),
    }
}

fn item() -> BundleItem {
    let document = Document {
        id: "abc123".into(),
        meta: DocumentMeta {
            title: "Regler".into(),
            ..DocumentMeta::default()
        },
        source: SourceFile {
            name: "regler.md".into(),
            sha256: kryphal_bundle::sha256_hex(SOURCE),
            format: SourceFormat::Markdown,
            size: SOURCE.len() as u64,
        },
        imported_at: "2026-11-20T10:00:00Z".into(),
        imported_by: "Ada".into(),
        rulebook: RulebookRef {
            id: "bra-mur-sv".into(),
            version: "1.0.0".into(),
        },
    };
    let clause = Clause {
        id: "abc123-0badc0de".into(),
        section_id: None,
        number: "1".into(),
        label: "p. 1".into(),
        kind: ClauseKind::Numbered,
        text: "Leverantoren ska vara seriös.".into(),
        position: 0,
    };
    let input = FindingInput {
        unintended_consequence: "Oklart vad seriös betyder.".into(),
        ..FindingInput::default()
    };
    let finding = Finding {
        id: "f-1".into(),
        document_id: document.id.clone(),
        clause_id: clause.id.clone(),
        input: input.clone(),
        risk_level: None,
        comments: Vec::new(),
        suggestion_id: None,
        created_at: "2026-11-20T10:05:00Z".into(),
        created_by: "Ada".into(),
        updated_at: "2026-11-20T10:05:00Z".into(),
        updated_by: "Ada".into(),
    };
    BundleItem {
        analysis: BundleDocument {
            document,
            lineage: "abc123".into(),
            outline: Outline {
                sections: Vec::new(),
                clauses: vec![clause],
            },
            findings: vec![BundleFinding {
                base: revision(&input),
                finding,
            }],
            suggestions: Vec::new(),
            workshops: Vec::new(),
            version: None,
            bases: None,
        },
        source: SOURCE.to_vec(),
    }
}

/// The entries of a zip, by name, in order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut data).unwrap();
            (String::from_utf8_lossy(f.name_raw()).into_owned(), data)
        })
        .collect()
}

/// A zip of the given entries, as a forger would write it.
fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn read(bytes: &[u8]) -> Result<kryphal_bundle::Bundle, BundleError> {
    read_bundle("test.kryphal", bytes, &Limits::default())
}

#[test]
fn a_written_bundle_reads_back_as_the_same_analyses() {
    let bytes = write_bundle(&header(), &[item()]).unwrap();
    let bundle = read(&bytes).unwrap();
    assert_eq!(bundle.items, vec![item()]);
    assert_eq!(bundle.manifest.header, header());
    assert_eq!(bundle.manifest.documents[0].title, "Regler");
    assert_eq!(bundle.manifest.rulebooks.len(), 1);
    assert_eq!(bundle.manifest.entries.len(), 2);
}

#[test]
fn writing_is_deterministic() {
    assert_eq!(
        write_bundle(&header(), &[item()]).unwrap(),
        write_bundle(&header(), &[item()]).unwrap()
    );
}

#[test]
fn a_changed_byte_in_an_entry_is_caught_by_its_checksum() {
    let mut parts = entries(&write_bundle(&header(), &[item()]).unwrap());
    let analysis = parts
        .iter_mut()
        .find(|(n, _)| n.ends_with("analysis.json"))
        .unwrap();
    let text = String::from_utf8(analysis.1.clone()).unwrap();
    analysis.1 = text
        .replace("seriös betyder", "seriös betydde")
        .into_bytes();
    let err = read(&zip_of(&parts)).unwrap_err();
    assert!(matches!(err, BundleError::Tampered { .. }), "{err}");
    assert!(err.to_string().contains("checksum"), "{err}");
}

#[test]
fn an_entry_the_manifest_does_not_list_is_refused() {
    let mut parts = entries(&write_bundle(&header(), &[item()]).unwrap());
    parts.push(("documents/abc123/extra".into(), b"x".to_vec()));
    let err = read(&zip_of(&parts)).unwrap_err();
    assert!(matches!(err, BundleError::Tampered { .. }), "{err}");
}

#[test]
fn a_missing_entry_is_refused() {
    let mut parts = entries(&write_bundle(&header(), &[item()]).unwrap());
    parts.retain(|(n, _)| !n.ends_with("/source"));
    let err = read(&zip_of(&parts)).unwrap_err();
    assert!(matches!(err, BundleError::Tampered { .. }), "{err}");
}

#[test]
fn a_truncated_bundle_is_damaged() {
    let bytes = write_bundle(&header(), &[item()]).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 10] {
        let err = read(&bytes[..cut]).unwrap_err();
        assert!(matches!(err, BundleError::Damaged { .. }), "{err}");
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}

#[test]
fn other_files_are_not_bundles() {
    for bytes in [&b""[..], b"hello", b"{\"kind\": \"kryphal-bundle\"}"] {
        let err = read(bytes).unwrap_err();
        assert!(matches!(err, BundleError::NotABundle { .. }), "{err}");
    }
    let docx_like = zip_of(&[("word/document.xml".into(), b"<w/>".to_vec())]);
    let err = read(&docx_like).unwrap_err();
    assert!(err.to_string().contains("no manifest.json"), "{err}");
}

#[test]
fn a_bundle_from_a_newer_format_names_the_version() {
    let mut parts = entries(&write_bundle(&header(), &[item()]).unwrap());
    let manifest = &mut parts[0];
    assert_eq!(manifest.0, "manifest.json");
    let mut value: serde_json::Value = serde_json::from_slice(&manifest.1).unwrap();
    value["format_version"] = 7.into();
    value["app_version"] = "3.2.0".into();
    value["a_field_from_the_future"] = true.into();
    manifest.1 = serde_json::to_vec(&value).unwrap();
    let err = read(&zip_of(&parts)).unwrap_err();
    assert!(matches!(err, BundleError::Newer { found: 7, .. }), "{err}");
    assert!(err.to_string().contains("Kryphål 3.2.0"), "{err}");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    // 64 MiB of zeros packs into about 64 KiB: a ratio no real entry has.
    let zeros = vec![0u8; 64 << 20];
    let mut parts = entries(&write_bundle(&header(), &[item()]).unwrap());
    parts.push(("documents/abc123/huge".into(), zeros));
    let bomb = zip_of(&parts);
    assert!(bomb.len() < 1 << 20);
    let err = read(&bomb).unwrap_err();
    assert!(matches!(err, BundleError::Unsafe { .. }), "{err}");
    assert!(err.to_string().contains("zip bomb"), "{err}");
}

#[test]
fn too_many_entries_are_refused() {
    let parts: Vec<(String, Vec<u8>)> = (0..50).map(|i| (format!("e{i}"), Vec::new())).collect();
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let err = read_bundle("many.kryphal", &zip_of(&parts), &limits).unwrap_err();
    assert!(matches!(err, BundleError::Unsafe { .. }), "{err}");
}

#[test]
fn the_total_unpacked_size_is_limited() {
    let bytes = write_bundle(&header(), &[item()]).unwrap();
    let limits = Limits {
        max_total_bytes: 100,
        ..Limits::default()
    };
    let err = read_bundle("big.kryphal", &bytes, &limits).unwrap_err();
    assert!(matches!(err, BundleError::Unsafe { .. }), "{err}");
}

#[test]
fn a_finding_on_a_clause_the_outline_lacks_is_invalid() {
    let mut bad = item();
    bad.analysis.findings[0].finding.clause_id = "abc123-ffffffff".into();
    let bytes = write_bundle(&header(), &[bad]).unwrap();
    let err = read(&bytes).unwrap_err();
    assert!(matches!(err, BundleError::Invalid { .. }), "{err}");
}

#[test]
fn the_revision_follows_the_answers_only() {
    let a = item().analysis.findings[0].finding.input.clone();
    let mut b = a.clone();
    assert_eq!(revision(&a), revision(&b));
    b.status = kryphal_domain::FindingStatus::Agreed;
    assert_ne!(revision(&a), revision(&b));
}
