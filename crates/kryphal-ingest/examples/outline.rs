//! Prints the outline of a file as the importer builds it: `cargo run -p
//! kryphal-ingest --example outline -- FILE` (a developer's look, not a test).
fn main() {
    let path = std::env::args().nth(1).expect("usage: outline FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let name = std::path::Path::new(&path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    match kryphal_ingest::import(&name, &bytes, "x", &kryphal_ingest::Limits::default()) {
        Err(e) => println!("refused: {e}"),
        Ok(imp) => {
            println!(
                "title: {}\ndnr: {}\ndecided: {}",
                imp.meta.title, imp.meta.dnr, imp.meta.decided
            );
            for w in &imp.warnings {
                println!("warning: {w}");
            }
            let mut items: Vec<(u32, String)> = imp
                .outline
                .sections
                .iter()
                .map(|s| {
                    (
                        s.position,
                        format!(
                            "{} [{}] {}",
                            "=".repeat(usize::from(s.level)),
                            s.number,
                            s.title
                        ),
                    )
                })
                .collect();
            items.extend(
                imp.outline
                    .clauses
                    .iter()
                    .map(|c| (c.position, format!("- [{}] {}", c.number, c.text))),
            );
            items.sort();
            for (_, l) in items {
                println!("{l}");
            }
        }
    }
}
