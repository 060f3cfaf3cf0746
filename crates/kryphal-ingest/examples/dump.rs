//! Prints what Kryphål imports from a file: `cargo run -p kryphal-ingest --example dump -- FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let name = std::path::Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match kryphal_ingest::import(&name, &bytes, "d", &kryphal_ingest::Limits::default()) {
        Err(e) => println!("ERROR: {e}"),
        Ok(imp) => {
            println!("{:?}\n{:#?}", imp.format, imp.meta);
            for w in &imp.warnings {
                println!("WARNING: {w}");
            }
            let mut lines: Vec<(u32, String)> = imp
                .outline
                .sections
                .iter()
                .map(|s| {
                    (
                        s.position,
                        format!(
                            "{}# {} {}",
                            "  ".repeat(usize::from(s.level) - 1),
                            s.number,
                            s.title
                        ),
                    )
                })
                .collect();
            lines.extend(
                imp.outline
                    .clauses
                    .iter()
                    .map(|c| (c.position, format!("    [{}] {}", c.label, c.text))),
            );
            lines.sort();
            for (_, l) in lines {
                println!("{l}");
            }
        }
    }
}
