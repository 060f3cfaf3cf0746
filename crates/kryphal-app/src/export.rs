//! Exports and the analysis import: the app's side of `kryphal-export`.
//!
//! The export crate is pure (an analysis in, bytes out); here the analysis
//! is read from the library, the memo's header is filled from the library's
//! settings and the document's metadata, and the bytes are written
//! atomically, so the target path holds either its old contents or the
//! whole new file, never half of one. The reverse direction,
//! [`Library::import_analysis`], stores a JSON export in one transaction.

use std::path::Path;

use kryphal_export::{
    Analysis, ExportError, ExportInput, Format, ImageFormat, Lang, MemoHeader, OverviewImage,
    OverviewPart, Template, Variant,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::capitalise;
use crate::{AppError, AppResult, ErrorCode, ImportReport, Library, write_atomically};

/// The library setting keys of the memo header's fields.
const KEY_MUNICIPALITY: &str = "export.municipality";
const KEY_COMMITTEE: &str = "export.committee";
const KEY_OFFICIAL: &str = "export.responsible_official";

/// The library setting key of the memo template's path.
const KEY_TEMPLATE: &str = "export.template";

/// The names of the header fields, as `kryphal settings --set NAME=VALUE` takes them.
pub const EXPORT_SETTING_NAMES: &[&str] = &["municipality", "committee", "responsible_official"];

/// The names of a document's memo fields, as `kryphal settings --doc DOC --set NAME=VALUE` takes them.
pub const MEMO_FIELD_NAMES: &[&str] = &["case_dnr", "subject", "decision_proposal", "background"];

/// A template may be at most this big (a logo or two and the styles).
const TEMPLATE_MAX_BYTES: u64 = 50 * 1024 * 1024;

/// The memo texts of one document: the memo's own Dnr, its heading (the
/// *ärende*), *Förslag till beslut* and *Ärendet*. Empty means generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MemoFields {
    /// The ärende's own diarienummer (not the governing document's).
    pub case_dnr: String,
    /// The memo's heading; empty: `Brottssäkring av <title>`.
    pub subject: String,
    /// *Förslag till beslut*; empty: generated.
    pub decision_proposal: String,
    /// *Ärendet*; empty: generated from the document's metadata.
    pub background: String,
}

/// A document's memo fields as saved, and the texts generated for those
/// left empty (what the memo prints then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MemoFieldsView {
    pub saved: MemoFields,
    pub defaults: MemoFields,
}

/// The memo template chosen for the library, as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TemplateStatus {
    /// The file's full path.
    pub path: String,
    /// The file's name.
    pub name: String,
    /// The fields it carries (`dnr`, `datum`, `namnd`, `handlaggare`, `arende`, `kommun`).
    pub fields: Vec<String>,
    /// It has a first-page header of its own (a letterhead logo).
    pub first_page_header: bool,
    /// Pictures in it.
    pub images: u32,
    /// Why it cannot be used now (moved, deleted, damaged); `None` when it can.
    pub problem: Option<String>,
}

/// The memo header fields a library remembers: who writes the memo for whom.
/// The Dnr, title and date come from the document and the day of export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ExportSettings {
    /// The municipality, e.g. `Ekby kommun`.
    pub municipality: String,
    /// The deciding body (nämnd), e.g. `Vård- och omsorgsnämnden`.
    pub committee: String,
    /// The official responsible for the memo.
    pub responsible_official: String,
}

/// How to export, besides the format: `internal` or `public`, `sv` or `en`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ExportChoices {
    /// `internal` (everything, the default) or `public` (leaves out what the
    /// rulebook marks sensitive, and comments).
    pub variant: String,
    /// The language of the export's fixed texts: `sv` (default) or `en`.
    pub lang: String,
}

impl Default for ExportChoices {
    fn default() -> Self {
        ExportChoices {
            variant: Variant::Internal.name().to_string(),
            lang: Lang::Sv.code().to_string(),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportReport {
    /// The file's name (no folder).
    pub file_name: String,
    /// The whole path written.
    pub path: String,
    /// The format's name (`memo-docx`, …).
    pub format: String,
    /// How many bytes were written.
    #[ts(type = "number")]
    pub bytes: u64,
    /// The template the file was made with (Word memo and review document), by name.
    pub template: Option<String>,
    /// The template's fields that were filled; empty with a template means
    /// only its styles, page and logo were used.
    pub template_fields: Vec<String>,
}

/// The export formats, by the names the CLI and the app use, in menu order.
pub fn export_formats() -> Vec<&'static str> {
    Format::names()
}

/// The parts of the overview an image can show, by name: `all` (the
/// default), `matrix`, `crime-types`, `status`, `coverage`, `strip`.
pub fn overview_image_parts() -> Vec<&'static str> {
    OverviewPart::names()
}

/// An export crate error as the user sees it.
pub(crate) fn export_error(e: ExportError) -> AppError {
    let code = match &e {
        ExportError::UnknownFormat(_)
        | ExportError::UnknownVariant(_)
        | ExportError::UnknownLanguage(_)
        | ExportError::UnknownPart(_)
        | ExportError::UnknownImageFormat(_) => ErrorCode::InvalidInput,
        ExportError::Write { .. } | ExportError::Image(_) => ErrorCode::Internal,
        ExportError::NotJson(_) | ExportError::WrongKind(_) => ErrorCode::UnsupportedFormat,
        ExportError::Truncated(_) | ExportError::Invalid(_) => ErrorCode::DamagedFile,
        ExportError::NewerVersion { .. } => ErrorCode::LibraryNewer,
        ExportError::Template(_) => ErrorCode::TemplateUnusable,
        ExportError::NotReview(_) => ErrorCode::NotReview,
        ExportError::DamagedReview(_) => ErrorCode::DamagedFile,
    };
    let mut message = e.to_string();
    capitalise(&mut message);
    if !message.ends_with('.') {
        message.push('.');
    }
    AppError::new(code, message)
}

/// The file name's first part for images of the whole library's overview.
const LIBRARY_FILE_STEM: &str = "Biblioteket";

/// `Reglemente för kundval` → `Reglemente för kundval`, without characters
/// that a file name cannot hold on Windows, macOS or Linux, and not too long.
pub(crate) fn file_stem(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut stem = String::new();
    for w in words {
        if stem.chars().count() + w.chars().count() > 60 {
            break;
        }
        if !stem.is_empty() {
            stem.push(' ');
        }
        stem.push_str(w);
    }
    let stem = stem.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if stem.is_empty() {
        "export".to_string()
    } else {
        stem.to_string()
    }
}

/// An overview image's format, part and language, checked.
fn image_choices(
    format: &str,
    part: &str,
    lang: &str,
) -> AppResult<(ImageFormat, OverviewPart, Lang)> {
    Ok((
        format.trim().parse().map_err(export_error)?,
        part.trim().parse().map_err(export_error)?,
        lang.trim().parse().map_err(export_error)?,
    ))
}

/// Writes finished export bytes to `out` atomically, after checking that
/// its folder exists.
fn write_export(out: &Path, bytes: &[u8], format: &str) -> AppResult<ExportReport> {
    if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(AppError::new(
            ErrorCode::Io,
            format!(
                "Cannot write {}: the folder {} does not exist.",
                out.display(),
                dir.display()
            ),
        ));
    }
    write_atomically(out, bytes)?;
    Ok(ExportReport {
        file_name: out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: out.display().to_string(),
        format: format.to_string(),
        bytes: bytes.len() as u64,
        template: None,
        template_fields: Vec::new(),
    })
}

/// The library setting key of a document's memo field.
fn memo_key(doc_id: &str, name: &str) -> String {
    format!("memo.{doc_id}.{name}")
}

/// Reads a template file, refusing a folder, a missing file or a huge one.
fn read_template(path: &Path) -> AppResult<Template> {
    let fail = |why: String| {
        AppError::new(
            ErrorCode::TemplateUnusable,
            format!("The template {} cannot be read: {why}.", path.display()),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(crate::io_reason(&e)))?;
    if meta.is_dir() {
        return Err(fail("it is a folder".into()));
    }
    if meta.len() > TEMPLATE_MAX_BYTES {
        return Err(fail(format!(
            "it is {} bytes, more than the {TEMPLATE_MAX_BYTES} a template may have",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(crate::io_reason(&e)))?;
    Ok(Template {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes,
    })
}

/// Today's date, ISO `YYYY-MM-DD` (UTC: the library's times are UTC too).
fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Library {
    /// The memo header fields kept in the library (empty when never set).
    pub fn export_settings(&self) -> AppResult<ExportSettings> {
        let get =
            |key: &str| -> AppResult<String> { Ok(self.store.setting(key)?.unwrap_or_default()) };
        Ok(ExportSettings {
            municipality: get(KEY_MUNICIPALITY)?,
            committee: get(KEY_COMMITTEE)?,
            responsible_official: get(KEY_OFFICIAL)?,
        })
    }

    /// Saves the memo header fields; each change is audited. Returns the
    /// settings as stored.
    pub fn set_export_settings(&mut self, settings: &ExportSettings) -> AppResult<ExportSettings> {
        let current = self.export_settings()?;
        let pairs = [
            (
                KEY_MUNICIPALITY,
                &current.municipality,
                &settings.municipality,
            ),
            (KEY_COMMITTEE, &current.committee, &settings.committee),
            (
                KEY_OFFICIAL,
                &current.responsible_official,
                &settings.responsible_official,
            ),
        ];
        for (key, before, after) in pairs {
            let after = after.trim();
            if after.chars().count() > 200 {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    "A header field can be at most 200 characters long.",
                ));
            }
            if before != after {
                let stamp = self.stamp();
                self.store.set_setting(&stamp, key, after)?;
            }
        }
        self.export_settings()
    }

    /// Sets one header field by its name (`municipality`, `committee`,
    /// `responsible_official`), for `kryphal settings --set NAME=VALUE`.
    pub fn set_export_setting(&mut self, name: &str, value: &str) -> AppResult<ExportSettings> {
        let mut settings = self.export_settings()?;
        match name.trim() {
            "municipality" => settings.municipality = value.to_string(),
            "committee" => settings.committee = value.to_string(),
            "responsible_official" => settings.responsible_official = value.to_string(),
            other => {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "“{other}” is not a setting; use one of {}.",
                        EXPORT_SETTING_NAMES.join(", ")
                    ),
                ));
            }
        }
        self.set_export_settings(&settings)
    }

    /// The memo template chosen for this library, if any, as it is now (a
    /// template moved or damaged since it was chosen says so in `problem`).
    pub fn export_template(&self) -> AppResult<Option<TemplateStatus>> {
        let path = self.store.setting(KEY_TEMPLATE)?.unwrap_or_default();
        if path.trim().is_empty() {
            return Ok(None);
        }
        let name = Path::new(&path)
            .file_name()
            .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
        let mut status = TemplateStatus {
            path: path.clone(),
            name,
            fields: Vec::new(),
            first_page_header: false,
            images: 0,
            problem: None,
        };
        match read_template(Path::new(&path))
            .and_then(|t| kryphal_export::inspect_template(&t).map_err(export_error))
        {
            Ok(info) => {
                status.fields = info.fields;
                status.first_page_header = info.first_page_header;
                status.images = info.images;
            }
            Err(e) => status.problem = Some(e.message),
        }
        Ok(Some(status))
    }

    /// Chooses the Word template (`.dotx`, or a `.docx`) for the memo and the
    /// review document; `None` goes back to Kryphål's own layout. A file that
    /// cannot be used as a template is refused and nothing is changed. The
    /// path is kept in the library (audited); the file is read at each export.
    pub fn set_export_template(
        &mut self,
        path: Option<&Path>,
    ) -> AppResult<Option<TemplateStatus>> {
        let value = match path {
            None => String::new(),
            Some(p) => {
                let template = read_template(p)?;
                kryphal_export::inspect_template(&template).map_err(export_error)?;
                std::fs::canonicalize(p)
                    .unwrap_or_else(|_| p.to_path_buf())
                    .display()
                    .to_string()
            }
        };
        if self.store.setting(KEY_TEMPLATE)?.unwrap_or_default() != value {
            let stamp = self.stamp();
            self.store.set_setting(&stamp, KEY_TEMPLATE, &value)?;
        }
        self.export_template()
    }

    /// The template to export with: `None` without one; an error naming the
    /// file when it is set but cannot be read now.
    fn template_for_export(&self) -> AppResult<Option<Template>> {
        let path = self.store.setting(KEY_TEMPLATE)?.unwrap_or_default();
        if path.trim().is_empty() {
            return Ok(None);
        }
        read_template(Path::new(&path)).map(Some).map_err(|e| {
            AppError::new(
                ErrorCode::TemplateUnusable,
                format!(
                    "{} Choose another template in Inställningar (kryphal settings --template FILE) or go back to Kryphål's own layout (kryphal settings --no-template); nothing was written.",
                    e.message
                ),
            )
        })
    }

    /// A document's memo fields as saved, and the texts generated for the
    /// empty ones.
    pub fn memo_fields(&self, reference: &str) -> AppResult<MemoFieldsView> {
        let doc = self.resolve_document(reference)?;
        let saved = self.saved_memo_fields(&doc.id)?;
        let analysis = self.analysis(&doc.id)?;
        let settings = self.export_settings()?;
        let options = kryphal_export::ExportOptions {
            header: MemoHeader {
                committee: settings.committee,
                ..MemoHeader::default()
            },
            ..kryphal_export::ExportOptions::default()
        };
        let generated = kryphal_export::memo_texts(
            &ExportInput {
                analysis: &analysis,
                rulebook: &self.rulebook,
            },
            &options,
        );
        Ok(MemoFieldsView {
            saved,
            defaults: MemoFields {
                case_dnr: String::new(),
                subject: generated.subject,
                decision_proposal: generated.decision_proposal,
                background: generated.background,
            },
        })
    }

    fn saved_memo_fields(&self, doc_id: &str) -> AppResult<MemoFields> {
        let get = |name: &str| -> AppResult<String> {
            Ok(self
                .store
                .setting(&memo_key(doc_id, name))?
                .unwrap_or_default())
        };
        Ok(MemoFields {
            case_dnr: get("case_dnr")?,
            subject: get("subject")?,
            decision_proposal: get("decision_proposal")?,
            background: get("background")?,
        })
    }

    /// Saves a document's memo fields (each change audited). A text equal to
    /// the generated one is saved empty, so it stays generated.
    pub fn set_memo_fields(
        &mut self,
        reference: &str,
        fields: &MemoFields,
    ) -> AppResult<MemoFieldsView> {
        let doc = self.resolve_document(reference)?;
        let view = self.memo_fields(&doc.id)?;
        let pairs = [
            ("case_dnr", &fields.case_dnr, "", 200),
            (
                "subject",
                &fields.subject,
                view.defaults.subject.as_str(),
                300,
            ),
            (
                "decision_proposal",
                &fields.decision_proposal,
                view.defaults.decision_proposal.as_str(),
                20_000,
            ),
            (
                "background",
                &fields.background,
                view.defaults.background.as_str(),
                20_000,
            ),
        ];
        for (name, value, generated, max) in pairs {
            let value = value.trim();
            if value.chars().count() > max {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    format!("The memo's {name} can be at most {max} characters long."),
                ));
            }
            let value = if value == generated.trim() { "" } else { value };
            let key = memo_key(&doc.id, name);
            if self.store.setting(&key)?.unwrap_or_default() != value {
                let stamp = self.stamp();
                self.store.set_setting(&stamp, &key, value)?;
            }
        }
        self.memo_fields(&doc.id)
    }

    /// Sets one memo field of a document by name (`case_dnr`, `subject`,
    /// `decision_proposal`, `background`), for `kryphal settings --doc`.
    pub fn set_memo_field(
        &mut self,
        reference: &str,
        name: &str,
        value: &str,
    ) -> AppResult<MemoFieldsView> {
        let mut fields = self.memo_fields(reference)?.saved;
        match name.trim() {
            "case_dnr" => fields.case_dnr = value.to_string(),
            "subject" => fields.subject = value.to_string(),
            "decision_proposal" => fields.decision_proposal = value.to_string(),
            "background" => fields.background = value.to_string(),
            other => {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "“{other}” is not a memo field; use one of {}.",
                        MEMO_FIELD_NAMES.join(", ")
                    ),
                ));
            }
        }
        self.set_memo_fields(reference, &fields)
    }

    /// The whole analysis of a document, as the exports see it.
    fn analysis(&self, reference: &str) -> AppResult<Analysis> {
        let view = self.document(reference)?;
        Ok(Analysis {
            document: view.document,
            outline: view.outline,
            findings: view.findings,
            suggestions: view.suggestions,
        })
    }

    /// The bytes of an export of a document: `format` is one of
    /// [`export_formats`]; the header comes from the library's settings and
    /// today's date.
    pub fn export_bytes(
        &self,
        reference: &str,
        format: &str,
        choices: &ExportChoices,
    ) -> AppResult<Vec<u8>> {
        let format: Format = format.trim().parse().map_err(export_error)?;
        let variant: Variant = choices.variant.trim().parse().map_err(export_error)?;
        let lang: Lang = choices.lang.trim().parse().map_err(export_error)?;
        let analysis = self.analysis(reference)?;
        let settings = self.export_settings()?;
        let memo = self.saved_memo_fields(&analysis.document.id)?;
        let template = if matches!(format, Format::MemoDocx | Format::ReviewDocx) {
            self.template_for_export()?
        } else {
            None
        };
        let options = kryphal_export::ExportOptions {
            variant,
            lang,
            header: MemoHeader {
                municipality: settings.municipality,
                committee: settings.committee,
                responsible_official: settings.responsible_official,
                date: today(),
                case_dnr: memo.case_dnr,
                subject: memo.subject,
                decision_proposal: memo.decision_proposal,
                background: memo.background,
            },
            template,
            coverage: Some(self.memo_coverage(&analysis.document.id)?),
        };
        let input = ExportInput {
            analysis: &analysis,
            rulebook: &self.rulebook,
        };
        kryphal_export::export(format, &input, &options).map_err(export_error)
    }

    /// The ids of the findings an export of `format` would include, in the
    /// export's order (the export dialog's preview). A bad format is refused.
    pub fn export_preview(&self, reference: &str, format: &str) -> AppResult<Vec<String>> {
        let format: Format = format.trim().parse().map_err(export_error)?;
        let analysis = self.analysis(reference)?;
        let input = ExportInput {
            analysis: &analysis,
            rulebook: &self.rulebook,
        };
        Ok(kryphal_export::included_findings(format, &input))
    }

    /// The file name an export of a document is offered under, e.g.
    /// `Reglemente för kundval - beslutsunderlag.docx`.
    pub fn export_file_name(
        &self,
        reference: &str,
        format: &str,
        choices: &ExportChoices,
    ) -> AppResult<String> {
        let format: Format = format.trim().parse().map_err(export_error)?;
        let variant: Variant = choices.variant.trim().parse().map_err(export_error)?;
        let lang: Lang = choices.lang.trim().parse().map_err(export_error)?;
        let doc = self.resolve_document(reference)?;
        let what = match (format, lang) {
            (Format::TrackedDocx, Lang::Sv) => "spårade ändringar",
            (Format::TrackedDocx, Lang::En) => "tracked changes",
            (Format::ReviewDocx, Lang::Sv) => "för granskning",
            (Format::ReviewDocx, Lang::En) => "for review",
            (Format::Xlsx | Format::Csv, Lang::Sv) => "riskregister",
            (Format::Xlsx | Format::Csv, Lang::En) => "risk register",
            (Format::Json, Lang::Sv) => "analys",
            (Format::Json, Lang::En) => "analysis",
            (_, Lang::Sv) => "beslutsunderlag",
            (_, Lang::En) => "revision memo",
        };
        let public = match (variant, lang) {
            (Variant::Internal, _) => "",
            (Variant::Public, Lang::Sv) => " (offentlig)",
            (Variant::Public, Lang::En) => " (public)",
        };
        Ok(format!(
            "{} - {what}{public}.{}",
            file_stem(&doc.meta.title),
            format.extension()
        ))
    }

    /// Writes an export of a document to `out`, atomically: the file is
    /// written beside the target and renamed into place, so `out` holds its
    /// old contents or the whole export, never a part of it. A bad format,
    /// variant or language is refused before anything is written.
    pub fn export(
        &self,
        reference: &str,
        format: &str,
        choices: &ExportChoices,
        out: &Path,
    ) -> AppResult<ExportReport> {
        let bytes = self.export_bytes(reference, format, choices)?;
        let mut report = write_export(out, &bytes, format.trim())?;
        if matches!(format.trim(), "memo-docx" | "review-docx")
            && let Some(t) = self.export_template()?
        {
            report.template = Some(t.name);
            report.template_fields = t.fields;
        }
        Ok(report)
    }

    /// The overview of a document (see [`Library::overview`]), or of the
    /// whole library when `reference` is `None` (see
    /// [`Library::library_overview`]), as an image: `format` is `svg` or
    /// `png` (twice the SVG's size, for slides), `part` one of
    /// [`overview_image_parts`] (`all` for everything, or one chart such as
    /// `matrix`), `lang` `sv` or `en` for the fixed texts. The image is
    /// headed by the document's title, Dnr and today's date (the library's:
    /// a fixed title, the number of documents and the date).
    pub fn overview_image_bytes(
        &self,
        reference: Option<&str>,
        format: &str,
        part: &str,
        lang: &str,
    ) -> AppResult<Vec<u8>> {
        let (format, part, lang) = image_choices(format, part, lang)?;
        let (overview, doc) = match reference {
            Some(reference) => (
                self.overview(reference)?,
                Some(self.resolve_document(reference)?),
            ),
            None => (self.library_overview()?, None),
        };
        let date = today();
        let input = OverviewImage {
            overview: &overview,
            meta: doc.as_ref().map(|d| &d.meta),
            rulebook: &self.rulebook,
            date: &date,
        };
        kryphal_export::overview_image(format, &input, part, lang).map_err(export_error)
    }

    /// Writes the overview of a document (of the library when `reference`
    /// is `None`) as an image to `out` (see
    /// [`Library::overview_image_bytes`] for the choices), atomically like
    /// every export. A bad format, part or language is refused with an
    /// `invalid_input` sentence and nothing is written.
    pub fn export_overview_image(
        &self,
        reference: Option<&str>,
        format: &str,
        part: &str,
        lang: &str,
        out: &Path,
    ) -> AppResult<ExportReport> {
        let bytes = self.overview_image_bytes(reference, format, part, lang)?;
        write_export(out, &bytes, format.trim())
    }

    /// The file name an overview image is offered under, e.g.
    /// `Reglemente för kundval - översikt.png` or
    /// `Reglemente för kundval - riskmatris.svg` for one chart; the
    /// library's (`reference` `None`) `Biblioteket - översikt.png`.
    pub fn overview_image_file_name(
        &self,
        reference: Option<&str>,
        format: &str,
        part: &str,
    ) -> AppResult<String> {
        let (format, part, _) = image_choices(format, part, "sv")?;
        let stem = match reference {
            Some(reference) => file_stem(&self.resolve_document(reference)?.meta.title),
            None => LIBRARY_FILE_STEM.to_string(),
        };
        let what = match part {
            OverviewPart::All => "översikt",
            OverviewPart::Matrix => "riskmatris",
            OverviewPart::CrimeTypes => "brottstyper",
            OverviewPart::Status => "status",
            OverviewPart::Coverage => "täckning",
            OverviewPart::Strip => "var riskerna finns",
        };
        Ok(format!("{stem} - {what}.{}", format.name()))
    }

    /// Whether `bytes` look like a Kryphål analysis (a JSON export) rather
    /// than a document to import: a JSON object whose `kind` is the
    /// analysis marker.
    pub fn is_analysis_json(bytes: &[u8]) -> bool {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
        if start.map(|i| bytes[i]) != Some(b'{') {
            return false;
        }
        serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
            .is_some_and(|k| k == kryphal_export::ANALYSIS_KIND)
    }

    /// Imports an analysis written by the `json` export: the document, its
    /// outline, findings (with comments) and suggestions (with their
    /// decisions), exactly as in the file, in one transaction. A document
    /// with the same id (or from the same source file) already in the
    /// library is refused and the library is left untouched: merging an
    /// analysis into an existing document is not supported yet.
    pub fn import_analysis(&mut self, bytes: &[u8]) -> AppResult<ImportReport> {
        let imported = kryphal_export::parse_analysis_json(bytes).map_err(export_error)?;
        let Analysis {
            document,
            outline,
            findings,
            suggestions,
        } = imported.analysis;
        let existing = self.store.documents()?;
        if let Some(same) = existing.iter().find(|d| d.id == document.id) {
            return Err(AppError::new(
                ErrorCode::Duplicate,
                format!(
                    "The library already has the document “{}” (id {}); an analysis cannot be merged into an existing document yet, so nothing was imported.",
                    same.meta.title, same.id
                ),
            ));
        }
        if let Some(same) = existing
            .iter()
            .find(|d| d.source.sha256 == document.source.sha256)
        {
            return Err(AppError::new(
                ErrorCode::Duplicate,
                format!(
                    "The library already has the document “{}” (id {}) from the same file {}; an analysis cannot be merged into an existing document yet, so nothing was imported.",
                    same.meta.title, same.id, document.source.name
                ),
            ));
        }
        let clause_ids: std::collections::HashSet<&str> =
            outline.clauses.iter().map(|c| c.id.as_str()).collect();
        let damaged = |what: String| {
            AppError::new(
                ErrorCode::DamagedFile,
                format!("The analysis is invalid: {what}; nothing was imported."),
            )
        };
        if clause_ids.len() != outline.clauses.len() {
            return Err(damaged("two clauses share one id".into()));
        }
        for s in &suggestions {
            if s.document_id != document.id || !clause_ids.contains(s.clause_id.as_str()) {
                return Err(damaged(format!(
                    "suggestion {} is on a clause the outline lacks",
                    s.id
                )));
            }
        }
        for f in &findings {
            if self.store.finding(&f.id).is_ok() {
                return Err(AppError::new(
                    ErrorCode::Duplicate,
                    format!(
                        "The library already has a finding with the id {}; nothing was imported.",
                        f.id
                    ),
                ));
            }
        }
        for s in &suggestions {
            if self.store.suggestion(&s.id).is_ok() {
                return Err(AppError::new(
                    ErrorCode::Duplicate,
                    format!(
                        "The library already has a suggestion with the id {}; nothing was imported.",
                        s.id
                    ),
                ));
            }
        }
        let mut warnings = Vec::new();
        if imported.variant == Variant::Public {
            warnings.push(
                "This is the public variant of the analysis: the answers marked sensitive and the comments were left out when it was exported."
                    .to_string(),
            );
        }
        let active = self.rulebook.reference();
        if imported.rulebook != active {
            warnings.push(format!(
                "The analysis was made with the rulebook {} {}, but {} {} is active; risk levels and labels follow the active one.",
                imported.rulebook.id, imported.rulebook.version, active.id, active.version
            ));
        }
        let stamp = self.stamp();
        self.store.insert_analysis(
            &stamp,
            &document,
            &document.id,
            &[],
            &outline,
            &findings,
            &suggestions,
        )?;
        Ok(ImportReport {
            document_id: document.id.clone(),
            title: document.meta.title.clone(),
            file_name: document.source.name.clone(),
            sections: outline.sections.len() as u32,
            clauses: outline.clauses.len() as u32,
            warnings,
            version_candidates: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn the_format_list_is_the_export_crates() {
        assert_eq!(crate::EXPORT_FORMATS, super::export_formats().as_slice());
    }

    #[test]
    fn file_names_lose_characters_no_file_system_allows() {
        assert_eq!(file_stem("Reglemente: a/b"), "Reglemente a b");
        assert_eq!(file_stem("  "), "export");
        assert_eq!(file_stem("..."), "export");
        assert!(file_stem(&"ord ".repeat(100)).chars().count() <= 60);
    }
}
