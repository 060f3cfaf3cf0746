//! The sample document a new user sees on first start: a fictional
//! "Reglemente för kundval inom hemtjänst" of the invented Ekby kommun,
//! written for Kryphål with deliberate weak points (see `sample/README.md`).

/// The file name the sample is imported under.
pub const FILE_NAME: &str = "reglemente-kundval-hemtjanst.md";

/// The sample's Markdown text.
pub const TEXT: &str = include_str!("../sample/reglemente-kundval-hemtjanst.md");
