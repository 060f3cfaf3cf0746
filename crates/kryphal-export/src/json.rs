//! The whole analysis as JSON, and reading it back. The format is
//! documented in `JSON-SCHEMA.md` beside this crate's `Cargo.toml`.

use kryphal_domain::{Document, Finding, Outline, RulebookRef, Suggestion};
use serde::{Deserialize, Serialize};

use crate::model::Prepared;
use crate::{Analysis, ExportError, Format, Variant, rulebook_ref};

/// The value of the file's `kind` field.
pub const ANALYSIS_KIND: &str = "kryphal-analysis";

/// The format version this crate writes, and the newest it reads.
pub const ANALYSIS_FORMAT_VERSION: u32 = 2;

/// The file as written: a small envelope around the analysis. Field order
/// is the order in the file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    kind: String,
    format_version: u32,
    variant: Variant,
    rulebook: RulebookRef,
    document: Document,
    outline: Outline,
    findings: Vec<Finding>,
    suggestions: Vec<Suggestion>,
}

/// An analysis read back from its JSON export.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAnalysis {
    /// The format version the file was written with.
    pub format_version: u32,
    /// Whether the file is the public variant (sensitive answers left out).
    pub variant: Variant,
    /// The rulebook (pack id and version) that interpreted the analysis.
    pub rulebook: RulebookRef,
    pub analysis: Analysis,
}

pub(crate) fn write(p: &Prepared<'_>) -> Result<Vec<u8>, ExportError> {
    let a = &p.analysis;
    let file = File {
        kind: ANALYSIS_KIND.to_string(),
        format_version: ANALYSIS_FORMAT_VERSION,
        variant: p.options.variant,
        rulebook: rulebook_ref(p.rulebook),
        document: a.document.clone(),
        outline: a.outline.clone(),
        findings: a.findings.clone(),
        suggestions: a.suggestions.clone(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| ExportError::Write {
        format: Format::Json,
        reason: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads an analysis written by the `json` export. Refuses, each with its
/// own error: bytes that are not JSON ([`ExportError::NotJson`]), JSON cut
/// short ([`ExportError::Truncated`]), JSON that is not a Kryphål analysis
/// ([`ExportError::WrongKind`]), a newer format version
/// ([`ExportError::NewerVersion`]) and a missing or wrong field or a
/// finding on a clause the outline lacks ([`ExportError::Invalid`]).
pub fn parse_analysis_json(bytes: &[u8]) -> Result<ImportedAnalysis, ExportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            ExportError::Truncated(e.to_string())
        } else {
            ExportError::NotJson(e.to_string())
        }
    })?;
    let obj = value
        .as_object()
        .ok_or_else(|| ExportError::WrongKind("the top level is not an object".into()))?;
    match obj.get("kind").and_then(|k| k.as_str()) {
        Some(ANALYSIS_KIND) => {}
        Some(other) => {
            return Err(ExportError::WrongKind(format!(
                "its kind is “{other}”, not “{ANALYSIS_KIND}”"
            )));
        }
        None => return Err(ExportError::WrongKind("it has no “kind” field".into())),
    }
    let version = obj
        .get("format_version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| {
            ExportError::Invalid("“format_version” is missing or not a whole number".into())
        })?;
    if version > u64::from(ANALYSIS_FORMAT_VERSION) {
        return Err(ExportError::NewerVersion {
            found: version,
            supported: ANALYSIS_FORMAT_VERSION,
        });
    }
    if version == 0 {
        return Err(ExportError::Invalid(
            "format version 0 does not exist".into(),
        ));
    }
    drop(value);
    // Parsed again from the bytes so that an error names its line and column.
    let file: File =
        serde_json::from_slice(bytes).map_err(|e| ExportError::Invalid(e.to_string()))?;
    for f in &file.findings {
        if f.document_id != file.document.id {
            return Err(ExportError::Invalid(format!(
                "finding {} belongs to document {}, not to {}",
                f.id, f.document_id, file.document.id
            )));
        }
        if !file.outline.clauses.iter().any(|c| c.id == f.clause_id) {
            return Err(ExportError::Invalid(format!(
                "finding {} is on clause {}, which the outline lacks",
                f.id, f.clause_id
            )));
        }
    }
    Ok(ImportedAnalysis {
        format_version: file.format_version,
        variant: file.variant,
        rulebook: file.rulebook,
        analysis: Analysis {
            document: file.document,
            outline: file.outline,
            findings: file.findings,
            suggestions: file.suggestions,
        },
    })
}
