//! # kryphal-export
//!
//! Turns an analysis into documents a nämnd can decide on, and into data
//! other tools can read. One entry point, [`export`], takes a [`Format`],
//! the analysis ([`ExportInput`]) and the [`ExportOptions`] (public or
//! internal variant, language of the fixed texts, the memo's header) and
//! returns the file's bytes:
//!
//! | format | what it is | written by |
//! |---|---|---|
//! | `md` | the revision memo as Markdown | `markdown.rs` |
//! | `html` | the memo as one self-contained, print-ready HTML page | `html.rs` |
//! | `memo-docx` | the memo in Word, with real Word styles | `docx.rs` |
//! | `tracked-docx` | the document's text with every agreed proposal as a Word revision | `docx.rs` |
//! | `review-docx` | the document for the verksamhet to review: each finding a Word comment, each proposal a tracked change, read back by [`read_review`] | `review.rs`, `review_read.rs` |
//! | `memo-pdf` | the memo as PDF with embedded (subset) Liberation Sans | `pdf.rs` |
//! | `xlsx` | the risk register, one row per finding | `register.rs` |
//! | `csv` | the same register as UTF-8 CSV with BOM | `register.rs` |
//! | `json` | the whole analysis, versioned and re-importable ([`parse_analysis_json`]) | `json.rs` |
//!
//! Apart from these, the overview of an analysis is drawn as an SVG or PNG
//! image ([`overview_image`], `overview_image.rs`): the whole overview or
//! one chart of it, for slides and memos.
//!
//! The four memo formats are rendered from one list of blocks (`memo.rs`),
//! so they say the same thing. Text from documents is data: every renderer
//! escapes it for its own markup, and nothing is ever pasted into a markup
//! language unescaped.
//!
//! The memo is a *tjänsteskrivelse* a nämnd can take as it is: its own
//! Dnr, date and handläggare, *Sammanfattning*, *Förslag till beslut*,
//! *Ärendet*, the findings, *Bilagor*. The Word memo and the review
//! document can be poured into the municipality's own template
//! ([`Template`], `template.rs`): its styles, page, headers and logo, with
//! its `kryphal.<field>` content controls or bookmarks filled. The Word
//! parts are written by hand (`wordml.rs`) and deflated (`ooxml.rs`).
//!
//! The public variant leaves out every answer the rulebook marks
//! `sensitive` and the comments on findings; the variant is printed in
//! every memo (internal: in the header; public: in the footer, or a last
//! line in Markdown and HTML), and the technical lines (source file,
//! rulebook) are only in the internal variant's appendix. Exports are pure
//! functions from data to bytes; writing files (atomically) is the caller's
//! business.

use std::fmt;
use std::str::FromStr;

use kryphal_domain::{Coverage, Document, Finding, Outline, RulebookRef, Suggestion};
use kryphal_rules::Rulebook;
use serde::{Deserialize, Serialize};

mod comparison;
mod diff;
mod docx;
mod html;
mod json;
mod markdown;
mod memo;
mod minutes;
mod model;
mod ooxml;
mod overview_image;
mod pdf;
mod register;
mod review;
mod review_read;
mod template;
mod texts;
mod wordml;

pub use comparison::{
    CarriedNote, ChangeKind, ComparedClause, Comparison, comparison_docx, comparison_markdown,
};
pub use diff::{Part as WordDiffPart, words as word_diff};
pub use minutes::{Minutes, minutes_docx, minutes_markdown};
pub use overview_image::{
    ImageFormat, OverviewImage, OverviewPart, PNG_SCALE, overview_image, overview_svg, svg_to_png,
};

pub use json::{ANALYSIS_FORMAT_VERSION, ANALYSIS_KIND, ImportedAnalysis, parse_analysis_json};
pub use memo::MemoTexts;
pub use review::{REVIEW_NAMESPACE, review_findings};
pub use review_read::{
    CommentReading, FindingReading, NoteReading, Outcome, ReadProblem, ReviewManifest,
    ReviewReading, read_review,
};
pub use template::{TEMPLATE_FIELDS, Template, TemplateInfo, inspect_template};

/// An export format, by the name the CLI and the app use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `md`: the revision memo as Markdown.
    Markdown,
    /// `html`: the revision memo as a self-contained HTML page.
    Html,
    /// `memo-docx`: the revision memo as a Word document.
    MemoDocx,
    /// `tracked-docx`: the document with the agreed proposals as tracked
    /// changes. A clause with several agreed proposals gets the one changed
    /// last (two rewordings of one text cannot both be revisions of it).
    TrackedDocx,
    /// `memo-pdf`: the revision memo as PDF.
    MemoPdf,
    /// `review-docx`: the document for review in Word: every finding a
    /// comment on its clause, every proposal a tracked change, and a
    /// manifest that lets [`read_review`] match the answers back.
    ReviewDocx,
    /// `xlsx`: the risk register as an Excel workbook.
    Xlsx,
    /// `csv`: the risk register as CSV.
    Csv,
    /// `json`: the whole analysis, re-importable.
    Json,
}

impl Format {
    /// Every format, in the order a menu lists them.
    pub const ALL: [Format; 9] = [
        Format::MemoDocx,
        Format::MemoPdf,
        Format::TrackedDocx,
        Format::ReviewDocx,
        Format::Xlsx,
        Format::Csv,
        Format::Markdown,
        Format::Html,
        Format::Json,
    ];

    /// The name used on the command line and over IPC (`memo-docx`, …).
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::MemoDocx => "memo-docx",
            Format::TrackedDocx => "tracked-docx",
            Format::MemoPdf => "memo-pdf",
            Format::ReviewDocx => "review-docx",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::MemoDocx | Format::TrackedDocx | Format::ReviewDocx => "docx",
            Format::MemoPdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The media (MIME) type of the bytes.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::MemoDocx | Format::TrackedDocx | Format::ReviewDocx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::MemoPdf => "application/pdf",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    /// The names of all formats, for error messages and help texts.
    pub fn names() -> Vec<&'static str> {
        Format::ALL.iter().map(|f| f.name()).collect()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| ExportError::UnknownFormat(s.to_string()))
    }
}

/// Which readers an export is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// Everything, sensitive answers and comments included (the default).
    #[default]
    Internal,
    /// Leaves out the answers the rulebook marks sensitive, and comments.
    Public,
}

impl Variant {
    /// `internal` or `public`.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Internal => "internal",
            Variant::Public => "public",
        }
    }
}

impl FromStr for Variant {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "internal" => Ok(Variant::Internal),
            "public" => Ok(Variant::Public),
            other => Err(ExportError::UnknownVariant(other.to_string())),
        }
    }
}

/// The language of an export's fixed texts (headings, labels). Texts that
/// come from the rulebook (question labels, scale steps, crime types) are
/// printed as the rulebook has them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Swedish (the default).
    #[default]
    Sv,
    /// English.
    En,
}

impl Lang {
    /// `sv` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sv" => Ok(Lang::Sv),
            "en" => Ok(Lang::En),
            other => Err(ExportError::UnknownLanguage(other.to_string())),
        }
    }
}

/// The memo's header fields and texts that come from the user's settings
/// rather than from the document. Empty fields are left out of the header;
/// the committee falls back to the document's owner; an empty subject,
/// decision proposal or background is generated ([`memo_texts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoHeader {
    /// The municipality, e.g. `Ekby kommun`.
    pub municipality: String,
    /// The deciding body (nämnd), e.g. `Vård- och omsorgsnämnden`.
    pub committee: String,
    /// The memo's handläggare (the official who writes it).
    pub responsible_official: String,
    /// The memo's date, ISO `YYYY-MM-DD` (an RFC 3339 time is cut to its date).
    pub date: String,
    /// The memo's own diarienummer (the ärende's, not the governing document's).
    pub case_dnr: String,
    /// The ärende: the memo's heading. Empty: `Brottssäkring av <title>`.
    pub subject: String,
    /// *Förslag till beslut*. Empty: generated from the committee and title.
    pub decision_proposal: String,
    /// *Ärendet*, the background. Empty: generated from the document's metadata.
    pub background: String,
}

/// How to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub variant: Variant,
    pub lang: Lang,
    pub header: MemoHeader,
    /// The municipality's Word template for the memo and the review
    /// document (the other formats ignore it).
    pub template: Option<Template>,
    /// The verdicts of the document's clauses, for the memo: when its
    /// review is final the memo carries a coverage statement, and clauses
    /// that are not rules are left out of it in any case.
    pub coverage: Option<MemoCoverage>,
}

/// What the memo needs to know of the document's verdicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoCoverage {
    /// The coverage as it stands; the statement is printed only when it is
    /// final ([`Coverage::is_final`]).
    pub coverage: Coverage,
    /// Ids of the clauses whose verdict is *not a rule*.
    pub not_a_rule: Vec<String>,
}

/// The whole analysis of one document: what the JSON export holds and
/// [`parse_analysis_json`] gives back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub document: Document,
    pub outline: Outline,
    pub findings: Vec<Finding>,
    pub suggestions: Vec<Suggestion>,
}

/// What an export is made from: the analysis and the rulebook that gives
/// its answers their labels, scales and sensitivity.
#[derive(Debug, Clone, Copy)]
pub struct ExportInput<'a> {
    pub analysis: &'a Analysis,
    pub rulebook: &'a Rulebook,
}

/// Why an export or a JSON import failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The format name is not one of [`Format::names`].
    #[error("unknown export format “{0}”; choose one of: {names}", names = Format::names().join(", "))]
    UnknownFormat(String),
    /// The variant is neither `internal` nor `public`.
    #[error("unknown variant “{0}”; choose internal or public")]
    UnknownVariant(String),
    /// The language is neither `sv` nor `en`.
    #[error("unknown language “{0}”; choose sv or en")]
    UnknownLanguage(String),
    /// The overview image part is not one of [`OverviewPart::names`].
    #[error("unknown part of the overview “{0}”; choose one of: {names}", names = OverviewPart::names().join(", "))]
    UnknownPart(String),
    /// The image format is neither `svg` nor `png`.
    #[error("unknown image format “{0}”; choose svg or png")]
    UnknownImageFormat(String),
    /// Drawing the PNG of an overview failed.
    #[error("could not draw the image: {0}")]
    Image(String),
    /// A library writing the file failed (DOCX, XLSX or PDF writer).
    #[error("could not write the {format} file: {reason}")]
    Write { format: Format, reason: String },
    /// The bytes are not JSON at all.
    #[error("the file is not JSON ({0})")]
    NotJson(String),
    /// The JSON ends before it is complete.
    #[error("the file ends too early: the JSON is truncated ({0})")]
    Truncated(String),
    /// The JSON is not a Kryphål analysis (its `kind` is missing or different).
    #[error("the file is not a Kryphål analysis ({0})")]
    WrongKind(String),
    /// The analysis was written by a newer Kryphål with a newer format version.
    #[error(
        "the analysis has format version {found}, but this version of Kryphål reads at most version {supported}; update Kryphål to import it"
    )]
    NewerVersion { found: u64, supported: u32 },
    /// The analysis is a Kryphål analysis of a supported version, but a field is wrong or missing.
    #[error("the analysis is invalid: {0}")]
    Invalid(String),
    /// The template cannot be used (not a Word template, damaged, macro-enabled).
    #[error("{0}")]
    Template(String),
    /// The file is not a review document Kryphål wrote (or its marks were lost).
    #[error("{0}")]
    NotReview(String),
    /// The review document is damaged or unsafe to read.
    #[error("{0}")]
    DamagedReview(String),
}

/// Writes `format` for `input`.
///
/// ```
/// use kryphal_export::{export, Analysis, ExportInput, ExportOptions, Format};
/// # fn demo(analysis: &Analysis, rulebook: &kryphal_rules::Rulebook) -> Result<(), kryphal_export::ExportError> {
/// let format: Format = "memo-docx".parse()?;
/// let bytes = export(format, &ExportInput { analysis, rulebook }, &ExportOptions::default())?;
/// # let _ = bytes; Ok(()) }
/// ```
pub fn export(
    format: Format,
    input: &ExportInput<'_>,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    // Typeset formats get text without control characters; the data
    // formats (JSON, CSV, XLSX) keep every character.
    let typeset = !matches!(format, Format::Json | Format::Csv | Format::Xlsx);
    let (cleaned, clean_options);
    let (input, options) = if typeset {
        cleaned = model::without_controls(input.analysis);
        let h = &options.header;
        clean_options = ExportOptions {
            header: MemoHeader {
                municipality: model::clean(&h.municipality),
                committee: model::clean(&h.committee),
                responsible_official: model::clean(&h.responsible_official),
                date: model::clean(&h.date),
                case_dnr: model::clean(&h.case_dnr),
                subject: model::clean(&h.subject),
                decision_proposal: model::clean(&h.decision_proposal),
                background: model::clean(&h.background),
            },
            ..options.clone()
        };
        (
            ExportInput {
                analysis: &cleaned,
                rulebook: input.rulebook,
            },
            &clean_options,
        )
    } else {
        (*input, options)
    };
    let prepared = model::Prepared::new(&input, options);
    let text_shape = memo::Shape {
        variant_line: true,
        ..memo::Shape::default()
    };
    match format {
        Format::Markdown => Ok(markdown::render(&memo::blocks(&prepared, text_shape)).into_bytes()),
        Format::Html => {
            Ok(html::render(&prepared, &memo::blocks(&prepared, text_shape)).into_bytes())
        }
        Format::MemoDocx => docx::memo(&prepared),
        Format::TrackedDocx => docx::tracked(&prepared),
        Format::ReviewDocx => review::write(&prepared),
        Format::MemoPdf => pdf::render(&prepared, &memo::blocks(&prepared, memo::Shape::default())),
        Format::Xlsx => register::xlsx(&prepared),
        Format::Csv => Ok(register::csv(&prepared)),
        Format::Json => json::write(&prepared),
    }
}

/// The ids of the findings an export of `format` includes, in the order the
/// export lists them: the memo formats report on every finding that is not
/// rejected (the most serious first); the tracked-changes document carries,
/// per clause, the agreed finding with a proposed wording changed last; the
/// register and the JSON hold every finding. The export dialog previews
/// exactly this, so the rule lives in one place.
pub fn included_findings(format: Format, input: &ExportInput<'_>) -> Vec<String> {
    let options = ExportOptions::default();
    let prepared = model::Prepared::new(input, &options);
    let chosen: Vec<&Finding> = match format {
        Format::Markdown | Format::Html | Format::MemoDocx | Format::MemoPdf => {
            prepared.memo_findings()
        }
        Format::TrackedDocx => docx::tracked_findings(&prepared),
        Format::ReviewDocx => review::included(&prepared),
        Format::Xlsx | Format::Csv | Format::Json => prepared.all_findings(),
    };
    chosen.into_iter().map(|f| f.id.clone()).collect()
}

/// The memo's subject, *Förslag till beslut* and *Ärendet* as an export
/// with `options` prints them: the header's own texts, or the generated
/// ones where it leaves them empty (the export dialog shows these).
pub fn memo_texts(input: &ExportInput<'_>, options: &ExportOptions) -> MemoTexts {
    let prepared = model::Prepared::new(input, options);
    memo::memo_texts(&prepared)
}

/// Everything the Markdown memo of earlier versions was made from.
pub struct Memo<'a> {
    pub document: &'a Document,
    pub outline: &'a Outline,
    pub findings: &'a [Finding],
    pub rulebook: &'a Rulebook,
}

/// The revision memo as Markdown, internal variant, Swedish, no header
/// fields beyond the document's own. Kept for callers of earlier versions;
/// new code calls [`export`] with [`Format::Markdown`].
pub fn markdown_memo(memo: &Memo<'_>) -> String {
    let analysis = Analysis {
        document: memo.document.clone(),
        outline: memo.outline.clone(),
        findings: memo.findings.to_vec(),
        suggestions: Vec::new(),
    };
    let input = ExportInput {
        analysis: &analysis,
        rulebook: memo.rulebook,
    };
    let options = ExportOptions::default();
    let prepared = model::Prepared::new(&input, &options);
    markdown::render(&memo::blocks(
        &prepared,
        memo::Shape {
            variant_line: true,
            ..memo::Shape::default()
        },
    ))
}

/// The rulebook reference an export records: the pack that interpreted the analysis.
fn rulebook_ref(book: &Rulebook) -> RulebookRef {
    book.reference()
}
