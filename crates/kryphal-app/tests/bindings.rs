//! The TypeScript types the UI uses are generated from the Rust types with
//! ts-rs and committed under `ui/src/lib/bindings/`. This test fails when
//! they are stale; `KRYPHAL_UPDATE_BINDINGS=1 cargo test -p kryphal-app --test bindings`
//! rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

fn export_all(dir: &Path) {
    let cfg = Config::new().with_out_dir(dir);
    kryphal_app::AppInfo::export_all(&cfg).unwrap();
    kryphal_app::AppError::export_all(&cfg).unwrap();
    kryphal_app::DocumentSummary::export_all(&cfg).unwrap();
    kryphal_app::DocumentView::export_all(&cfg).unwrap();
    kryphal_app::ImportReport::export_all(&cfg).unwrap();
    kryphal_app::ScreenReport::export_all(&cfg).unwrap();
    kryphal_app::RulebookChoice::export_all(&cfg).unwrap();
    kryphal_app::UndoReport::export_all(&cfg).unwrap();
    kryphal_app::Preferences::export_all(&cfg).unwrap();
    kryphal_app::ExportSettings::export_all(&cfg).unwrap();
    kryphal_app::ExportChoices::export_all(&cfg).unwrap();
    kryphal_app::ExportReport::export_all(&cfg).unwrap();
    kryphal_app::SearchQuery::export_all(&cfg).unwrap();
    kryphal_app::SearchAnswer::export_all(&cfg).unwrap();
    kryphal_app::ReindexReport::export_all(&cfg).unwrap();
    kryphal_rules::Rulebook::export_all(&cfg).unwrap();
    kryphal_domain::FindingInput::export_all(&cfg).unwrap();
    kryphal_domain::Finding::export_all(&cfg).unwrap();
    kryphal_domain::Suggestion::export_all(&cfg).unwrap();
    kryphal_domain::AuditEvent::export_all(&cfg).unwrap();
    kryphal_domain::WorkshopRecord::export_all(&cfg).unwrap();
    kryphal_app::Overview::export_all(&cfg).unwrap();
    kryphal_app::PresentationState::export_all(&cfg).unwrap();
    kryphal_app::PresentMove::export_all(&cfg).unwrap();
    kryphal_app::ScreenInfo::export_all(&cfg).unwrap();
    kryphal_app::BundleExportReport::export_all(&cfg).unwrap();
    kryphal_app::BundleImportReport::export_all(&cfg).unwrap();
    kryphal_app::BackupReport::export_all(&cfg).unwrap();
    kryphal_app::RestoreReport::export_all(&cfg).unwrap();
    kryphal_domain::MergeConflict::export_all(&cfg).unwrap();
    kryphal_domain::RecordConflict::export_all(&cfg).unwrap();
    kryphal_app::VersionCandidate::export_all(&cfg).unwrap();
    kryphal_app::VersionReport::export_all(&cfg).unwrap();
    kryphal_app::VersionComparison::export_all(&cfg).unwrap();
    kryphal_app::VersionEntry::export_all(&cfg).unwrap();
    kryphal_app::VersionStatus::export_all(&cfg).unwrap();
    kryphal_app::OpenedFile::export_all(&cfg).unwrap();
    kryphal_domain::OutlineCorrection::export_all(&cfg).unwrap();
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let committed: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
    if std::env::var_os("KRYPHAL_UPDATE_BINDINGS").is_some() {
        for name in read_dir(&committed).keys() {
            std::fs::remove_file(committed.join(name)).unwrap();
        }
        export_all(&committed);
        return;
    }
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    let want = read_dir(fresh.path());
    let have = read_dir(&committed);
    assert!(!want.is_empty(), "ts-rs exported nothing");
    for (name, text) in &want {
        assert_eq!(
            have.get(name),
            Some(text),
            "ui/src/lib/bindings/{name} is stale or missing; run KRYPHAL_UPDATE_BINDINGS=1 cargo test -p kryphal-app --test bindings"
        );
    }
    for name in have.keys() {
        assert!(
            want.contains_key(name),
            "ui/src/lib/bindings/{name} is no longer generated; delete it (or rerun with KRYPHAL_UPDATE_BINDINGS=1)"
        );
    }
}
