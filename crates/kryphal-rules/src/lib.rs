//! # kryphal-rules
//!
//! A rulebook *pack* is a folder of TOML files under `rulebooks/<pack>/`:
//! `pack.toml` (identity), `scale.toml` (likelihood, consequence and the
//! banding of each cell into a risk level) and `crime-types.toml`. This crate
//! reads a pack, rejects unknown keys and inconsistent data with an error that
//! names the file (and the line, where TOML can tell), and answers questions
//! such as "which risk level is likelihood 3 × consequence 4?".
//!
//! The default pack (`bra-mur-sv`) is compiled in, so the app always has a
//! valid rulebook even when no folder is at hand.

use std::path::{Path, PathBuf};

use kryphal_domain::RulebookRef;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Errors while reading or validating a rulebook pack.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// A file of the pack could not be read.
    #[error("cannot read rulebook file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file is not valid TOML or does not follow the format (unknown or missing key).
    #[error("rulebook file {path}: {message}")]
    Syntax { path: PathBuf, message: String },
    /// The files parse but contradict each other or themselves.
    #[error("rulebook file {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The pack's identity, from `pack.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub id: String,
    pub version: String,
    pub language: String,
    pub name: String,
    pub description: String,
}

/// One step of a scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub value: u8,
    pub label: String,
    #[serde(default)]
    pub description: String,
}

/// An ordinal scale (likelihood or consequence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    pub label: String,
    pub steps: Vec<Step>,
}

/// A named risk level with the colour used for it everywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: String,
    pub label: String,
    /// `#rrggbb`.
    pub color: String,
}

/// The risk level of every likelihood × consequence cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Banding {
    /// `matrix[likelihood - 1][impact - 1]` is a level id.
    pub matrix: Vec<Vec<String>>,
}

/// `scale.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub likelihood: Axis,
    pub impact: Axis,
    pub levels: Vec<Level>,
    pub banding: Banding,
}

/// A crime type an analyst can name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CrimeType {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrimeTypesFile {
    crime_types: Vec<CrimeType>,
}

/// A whole, validated pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rulebook {
    pub pack: Pack,
    pub scale: Scale,
    pub crime_types: Vec<CrimeType>,
}

const DEFAULT_PACK: &str = include_str!("../../../rulebooks/bra-mur-sv/pack.toml");
const DEFAULT_SCALE: &str = include_str!("../../../rulebooks/bra-mur-sv/scale.toml");
const DEFAULT_CRIME_TYPES: &str = include_str!("../../../rulebooks/bra-mur-sv/crime-types.toml");

impl Rulebook {
    /// The default pack compiled into the program (`rulebooks/bra-mur-sv`).
    pub fn builtin() -> Rulebook {
        Self::from_sources(
            Path::new("rulebooks/bra-mur-sv"),
            DEFAULT_PACK,
            DEFAULT_SCALE,
            DEFAULT_CRIME_TYPES,
        )
        .expect("the built-in rulebook is valid (checked by tests)")
    }

    /// Reads and validates the pack in `dir`.
    pub fn load(dir: &Path) -> Result<Rulebook, RulesError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| RulesError::Io { path, source })
        };
        Self::from_sources(
            dir,
            &read("pack.toml")?,
            &read("scale.toml")?,
            &read("crime-types.toml")?,
        )
    }

    fn from_sources(
        dir: &Path,
        pack: &str,
        scale: &str,
        crime_types: &str,
    ) -> Result<Rulebook, RulesError> {
        let pack: Pack = parse(dir, "pack.toml", pack)?;
        let scale: Scale = parse(dir, "scale.toml", scale)?;
        let crime_types: CrimeTypesFile = parse(dir, "crime-types.toml", crime_types)?;
        let book = Rulebook {
            pack,
            scale,
            crime_types: crime_types.crime_types,
        };
        book.validate(dir)?;
        Ok(book)
    }

    fn validate(&self, dir: &Path) -> Result<(), RulesError> {
        let invalid = |file: &str, message: String| RulesError::Invalid {
            path: dir.join(file),
            message,
        };
        if self.pack.id.trim().is_empty() || self.pack.version.trim().is_empty() {
            return Err(invalid(
                "pack.toml",
                "the pack needs a non-empty id and version".into(),
            ));
        }
        for (name, axis) in [
            ("likelihood", &self.scale.likelihood),
            ("impact", &self.scale.impact),
        ] {
            if axis.steps.is_empty() {
                return Err(invalid("scale.toml", format!("[{name}] has no steps")));
            }
            for (i, step) in axis.steps.iter().enumerate() {
                if usize::from(step.value) != i + 1 {
                    return Err(invalid(
                        "scale.toml",
                        format!(
                            "[{name}] step {} has value {}; steps must be numbered 1, 2, 3, … in order",
                            i + 1,
                            step.value
                        ),
                    ));
                }
            }
        }
        let rows = &self.scale.banding.matrix;
        if rows.len() != self.scale.likelihood.steps.len() {
            return Err(invalid(
                "scale.toml",
                format!(
                    "[banding] matrix has {} rows but the likelihood scale has {} steps",
                    rows.len(),
                    self.scale.likelihood.steps.len()
                ),
            ));
        }
        for (r, row) in rows.iter().enumerate() {
            if row.len() != self.scale.impact.steps.len() {
                return Err(invalid(
                    "scale.toml",
                    format!(
                        "[banding] matrix row {} has {} cells but the consequence scale has {} steps",
                        r + 1,
                        row.len(),
                        self.scale.impact.steps.len()
                    ),
                ));
            }
            for cell in row {
                if !self.scale.levels.iter().any(|l| &l.id == cell) {
                    return Err(invalid(
                        "scale.toml",
                        format!(
                            "[banding] matrix row {} names unknown level {cell:?}",
                            r + 1
                        ),
                    ));
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for ct in &self.crime_types {
            if !seen.insert(ct.code.as_str()) {
                return Err(invalid(
                    "crime-types.toml",
                    format!("crime type code {:?} is defined twice", ct.code),
                ));
            }
        }
        Ok(())
    }

    /// The reference an analysis stores.
    pub fn reference(&self) -> RulebookRef {
        RulebookRef {
            id: self.pack.id.clone(),
            version: self.pack.version.clone(),
        }
    }

    /// The risk level for 1-based `likelihood` × `impact`, if both are on the scale.
    pub fn risk_level(&self, likelihood: u8, impact: u8) -> Option<&Level> {
        let id = self
            .scale
            .banding
            .matrix
            .get(usize::from(likelihood).checked_sub(1)?)?
            .get(usize::from(impact).checked_sub(1)?)?;
        self.scale.levels.iter().find(|l| &l.id == id)
    }

    /// The crime type with `code`, if the pack defines it.
    pub fn crime_type(&self, code: &str) -> Option<&CrimeType> {
        self.crime_types.iter().find(|c| c.code == code)
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    dir: &Path,
    file: &str,
    text: &str,
) -> Result<T, RulesError> {
    toml::from_str(text).map_err(|e| RulesError::Syntax {
        path: dir.join(file),
        message: e.to_string().trim_end().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_pack_is_valid_and_bands_like_msb() {
        let book = Rulebook::builtin();
        assert_eq!(book.pack.id, "bra-mur-sv");
        assert_eq!(book.risk_level(1, 1).unwrap().id, "low");
        assert_eq!(book.risk_level(2, 2).unwrap().id, "medium");
        assert_eq!(book.risk_level(3, 3).unwrap().id, "high");
        assert_eq!(book.risk_level(4, 3).unwrap().id, "very_high");
        assert!(book.risk_level(0, 1).is_none());
        assert!(book.risk_level(5, 1).is_none());
        assert_eq!(book.crime_type("BID").unwrap().name, "Bidragsbrott");
        assert_eq!(book.crime_types.len(), 13);
    }

    #[test]
    fn folder_on_disk_matches_builtin() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulebooks/bra-mur-sv");
        assert_eq!(Rulebook::load(&dir).unwrap(), Rulebook::builtin());
    }

    fn write_pack(
        scale_edit: impl Fn(&str) -> String,
        pack_edit: impl Fn(&str) -> String,
    ) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pack.toml"), pack_edit(DEFAULT_PACK)).unwrap();
        std::fs::write(dir.path().join("scale.toml"), scale_edit(DEFAULT_SCALE)).unwrap();
        std::fs::write(dir.path().join("crime-types.toml"), DEFAULT_CRIME_TYPES).unwrap();
        dir
    }

    #[test]
    fn unknown_key_is_refused_naming_file_line_and_key() {
        let dir = write_pack(|s| s.to_string(), |p| format!("{p}colour = \"red\"\n"));
        let err = Rulebook::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("pack.toml"), "{err}");
        assert!(err.contains("colour"), "{err}");
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn banding_with_a_missing_cell_is_refused() {
        let dir = write_pack(
            |s| {
                s.replace(
                    r#"["low", "low", "low", "medium"],"#,
                    r#"["low", "low", "low"],"#,
                )
            },
            |p| p.to_string(),
        );
        let err = Rulebook::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("scale.toml"), "{err}");
        assert!(err.contains("row 1 has 3 cells"), "{err}");
    }

    #[test]
    fn banding_naming_an_unknown_level_is_refused() {
        let dir = write_pack(
            |s| s.replacen("\"very_high\"]", "\"extreme\"]", 1),
            |p| p.to_string(),
        );
        let err = Rulebook::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("unknown level \"extreme\""), "{err}");
    }

    #[test]
    fn missing_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = Rulebook::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("pack.toml"), "{err}");
    }
}
