//! Prints what Kryphål reads from a reviewed Word file, as JSON, for a
//! developer's look: `cargo run -p kryphal-export --example read_review -- FILE.docx`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: read_review FILE.docx");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    match kryphal_export::read_review(&bytes) {
        Ok(reading) => println!("{}", serde_json::to_string_pretty(&reading).expect("JSON")),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
