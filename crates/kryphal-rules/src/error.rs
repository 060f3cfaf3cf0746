//! The crate's one error type, and helpers that turn byte offsets and TOML
//! errors into *file, line, key* locations.

use std::fmt;
use std::path::PathBuf;

/// Errors while reading or validating a rulebook pack. Every variant names
/// the file; `Syntax` and `Invalid` also name the line and the key when
/// they can be told.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// A file or folder of the pack could not be read.
    #[error("cannot read rulebook file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file is not valid TOML or does not follow the format (unknown,
    /// missing or mistyped key).
    #[error("{}", Located { path, line: *line, key: key.as_deref(), message })]
    Syntax {
        path: PathBuf,
        line: Option<usize>,
        key: Option<String>,
        message: String,
    },
    /// The files parse but contradict each other or themselves (duplicate
    /// ids, a regex that does not compile, an unknown crime type, …).
    #[error("{}", Located { path, line: *line, key: key.as_deref(), message })]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        key: Option<String>,
        message: String,
    },
}

impl RulesError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            RulesError::Io { path, .. }
            | RulesError::Syntax { path, .. }
            | RulesError::Invalid { path, .. } => path,
        }
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            RulesError::Io { .. } => None,
            RulesError::Syntax { line, .. } | RulesError::Invalid { line, .. } => *line,
        }
    }

    /// The key the error is about, when known.
    pub fn key(&self) -> Option<&str> {
        match self {
            RulesError::Io { .. } => None,
            RulesError::Syntax { key, .. } | RulesError::Invalid { key, .. } => key.as_deref(),
        }
    }
}

struct Located<'a> {
    path: &'a PathBuf,
    line: Option<usize>,
    key: Option<&'a str>,
    message: &'a str,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rulebook file {}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = self.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// 1-based line of the first line of `text` that, trimmed, starts with
/// `needle` (used to locate an entry of an array of tables by its id).
pub(crate) fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(needle))
        .map(|i| i + 1)
}

/// Turns a TOML/serde error into a `Syntax` error with line and key.
pub(crate) fn syntax(path: PathBuf, text: &str, e: &toml::de::Error) -> RulesError {
    let line = e.span().map(|s| line_at(text, s.start));
    let message = e.message().trim_end().to_string();
    let key = key_in_message(&message).or_else(|| {
        // Fall back on the `key = …` written on the offending line.
        let l = line?;
        let src = text.lines().nth(l - 1)?;
        let (k, _) = src.split_once('=')?;
        let k = k.trim().trim_matches('"');
        (!k.is_empty() && !k.contains(['[', ' '])).then(|| k.to_string())
    });
    RulesError::Syntax {
        path,
        line,
        key,
        message,
    }
}

fn key_in_message(message: &str) -> Option<String> {
    for marker in ["unknown field `", "missing field `", "duplicate key `"] {
        if let Some(i) = message.find(marker) {
            let rest = &message[i + marker.len()..];
            return rest.split('`').next().map(str::to_string);
        }
    }
    None
}
