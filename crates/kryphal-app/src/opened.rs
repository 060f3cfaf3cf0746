//! A file the desktop app was started with: the file manager runs
//! `kryphal-desktop FILE` when the user opens a `.kryphal` file (the desktop
//! entry's `%f`). This finds that file among the arguments and tells an
//! analysis bundle (a zip) from a whole library (SQLite), which share the
//! extension, so the UI can offer the right thing: importing the bundle, or
//! explaining what a library file is.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

/// The extension of bundles and libraries alike.
pub const EXTENSION: &str = "kryphal";

/// What the app was started with, as the UI sees it: a name, never a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenedFile {
    /// The file's name (no folder).
    pub name: String,
    pub kind: OpenedKind,
}

/// What a `.kryphal` file holds, judged by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OpenedKind {
    /// An analysis bundle (a zip): it can be imported.
    Bundle,
    /// A whole library (an SQLite file, e.g. a backup): not imported, explained.
    Library,
}

/// The first argument after the program name that is not an option or an
/// option's value (every `--name` option takes one: `--library PATH`;
/// `--name=VALUE` does not consume the next), ends in `.kryphal` and names an
/// existing file. Anything else (a typo, a folder, another file type) is
/// ignored: the app starts as usual.
pub fn opened_path(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text.starts_with("--") {
            if !text.contains('=') {
                args.next();
            }
            continue;
        }
        let path = PathBuf::from(&arg);
        let ours = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION));
        if ours && path.is_file() {
            return Some(path);
        }
    }
    None
}

/// The name and kind of a `.kryphal` file; `None` when it cannot be read.
/// Anything that is not an SQLite file is treated as a bundle: importing it
/// is safe and a damaged one is refused with a sentence that says why.
pub fn describe(path: &Path) -> Option<OpenedFile> {
    const SQLITE: &[u8] = b"SQLite format 3\0";
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).ok()?;
    let read = file.read(&mut head).ok()?;
    let kind = if head[..read] == *SQLITE {
        OpenedKind::Library
    } else {
        OpenedKind::Bundle
    };
    let name = path.file_name()?.to_string_lossy().into_owned();
    Some(OpenedFile { name, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        std::iter::once("kryphal-desktop")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn the_file_argument_is_found_and_option_values_are_not_taken_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let bundle = dir.path().join("från Ekby.KRYPHAL");
        let library = dir.path().join("library.kryphal");
        std::fs::write(&bundle, b"PK\x03\x04").unwrap();
        std::fs::write(&library, b"SQLite format 3\0").unwrap();
        let (b, l) = (bundle.to_str().unwrap(), library.to_str().unwrap());

        assert_eq!(opened_path(args(&[b])), Some(bundle.clone()));
        assert_eq!(
            opened_path(args(&["--library", l, b])),
            Some(bundle.clone())
        );
        assert_eq!(opened_path(args(&["--library", l])), None);
        let inline = format!("--library={l}");
        assert_eq!(opened_path(args(&[&inline, b])), Some(bundle.clone()));
        assert_eq!(opened_path(args(&[])), None);
    }

    #[test]
    fn missing_files_folders_and_other_extensions_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("folder.kryphal");
        std::fs::create_dir(&folder).unwrap();
        let text = dir.path().join("policy.md");
        std::fs::write(&text, "# Policy").unwrap();
        let missing = dir.path().join("missing.kryphal");
        for arg in [&folder, &text, &missing] {
            assert_eq!(opened_path(args(&[arg.to_str().unwrap()])), None, "{arg:?}");
        }
    }

    #[test]
    fn a_library_is_told_from_a_bundle_by_its_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[u8], OpenedKind); 3] = [
            ("a.kryphal", b"PK\x03\x04rest", OpenedKind::Bundle),
            ("b.kryphal", b"SQLite format 3\0rest", OpenedKind::Library),
            ("c.kryphal", b"", OpenedKind::Bundle),
        ];
        for (name, bytes, kind) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let described = describe(&path).unwrap();
            assert_eq!(
                described,
                OpenedFile {
                    name: name.into(),
                    kind
                },
                "{name}"
            );
        }
        assert_eq!(describe(&dir.path().join("gone.kryphal")), None);
    }
}
