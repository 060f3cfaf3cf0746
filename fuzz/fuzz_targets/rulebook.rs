//! A rulebook pack with one file replaced by arbitrary bytes: loading it
//! either gives a valid rulebook or an error naming the file, and never
//! panics or hangs.
//!
//! The input's first line names the file of the `bra-mur-sv` pack (copied
//! once to a temporary folder, with its first three rules) to replace, e.g. `rules/egen-intygar.toml`
//! (a name that is not in the pack picks a file by its bytes); the rest is
//! the file's new content. The file is put back after each run.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

struct Pack {
    dir: PathBuf,
    /// Each file's path inside the pack and its original content.
    files: Vec<(String, Vec<u8>)>,
}

fn copy_pack(from: &Path, to: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            copy_pack(&path, &to.join(&name), &format!("{prefix}{name}/"), files);
        } else if prefix == "rules/"
            && files
                .iter()
                .filter(|(n, _)| n.starts_with("rules/"))
                .count()
                >= 3
        {
            // Three rules are enough to exercise rule files; every rule more
            // makes each load slower (the patterns are compiled on load).
            continue;
        } else {
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(to.join(&name), &bytes).unwrap();
            files.push((format!("{prefix}{name}"), bytes));
        }
    }
}

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulebooks/bra-mur-sv");
        let dir =
            std::env::temp_dir().join(format!("kryphal-fuzz-rulebook-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut files = Vec::new();
        copy_pack(&source, &dir, "", &mut files);
        assert!(
            kryphal_rules::Rulebook::load(&dir).is_ok(),
            "the unmodified pack loads"
        );
        Pack { dir, files }
    })
}

fuzz_target!(|data: &[u8]| {
    let (first, content) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let pack = pack();
    let which = pack
        .files
        .iter()
        .position(|(name, _)| name.as_bytes() == first)
        .unwrap_or_else(|| first.iter().map(|&b| b as usize).sum::<usize>() % pack.files.len());
    let (name, original) = &pack.files[which];
    let path = pack.dir.join(name);
    std::fs::write(&path, content).unwrap();
    let loaded = kryphal_rules::Rulebook::load(&pack.dir);
    std::fs::write(&path, original).unwrap();
    if let Ok(book) = loaded {
        // A pack that loads must also screen text without trouble.
        let _ = kryphal_rules::check_book(&book);
    }
});
