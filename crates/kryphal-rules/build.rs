//! Embeds the default packs under `rulebooks/` so that the program always
//! has a valid rulebook. Generates `builtin_packs.rs` in `OUT_DIR`: for each
//! pack, its files as `(relative path, contents)` pairs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const PACKS: &[&str] = &["bra-mur-sv", "korruption-sv", "marc-en"];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulebooks");
    let mut out = String::from("pub(crate) const BUILTIN_PACKS: &[(&str, &[(&str, &str)])] = &[\n");
    for pack in PACKS {
        let dir = root.join(pack);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("default pack folder exists") {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "toml") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                files.push((name, path));
            }
        }
        let rules = dir.join("rules");
        println!("cargo:rerun-if-changed={}", rules.display());
        if rules.is_dir() {
            for entry in std::fs::read_dir(&rules).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|x| x == "toml") {
                    let name = format!("rules/{}", path.file_name().unwrap().to_string_lossy());
                    files.push((name, path));
                }
            }
        }
        files.sort();
        writeln!(out, "    ({pack:?}, &[").unwrap();
        for (name, path) in &files {
            println!("cargo:rerun-if-changed={}", path.display());
            let abs = path.canonicalize().unwrap();
            writeln!(
                out,
                "        ({name:?}, include_str!({:?})),",
                abs.display().to_string()
            )
            .unwrap();
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_packs.rs");
    std::fs::write(dest, out).unwrap();
}
