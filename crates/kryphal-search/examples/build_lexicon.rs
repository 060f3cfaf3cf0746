//! Compiles a Hunspell dictionary into Kryphål's lexicon file. Run by
//! `scripts/gen-lexicon.sh`, which says where the dictionary comes from:
//!
//! ```text
//! cargo run --release -p kryphal-search --example build_lexicon -- \
//!     sv_SE.aff sv_SE.dic OUT.lex "source description" [FORMS.tsv]
//! ```
//!
//! With a fifth argument it also writes every form with its readings as
//! text (form, lemma, roles), for reading and grepping, never committed.

use kryphal_search::lexicon_build::build;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: build_lexicon AFF DIC OUT SOURCE [FORMS.tsv]");
        std::process::exit(2);
    }
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let (bytes, report) =
        build(&read(&args[0]), &read(&args[1]), &args[3]).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&args[2], &bytes).unwrap_or_else(|e| panic!("{}: {e}", args[2]));
    print!("{}", report.summary());
    if let Some(tsv) = args.get(4) {
        let lexicon = kryphal_search::Lexicon::from_bytes(bytes).expect("just built");
        std::fs::write(tsv, lexicon.dump()).unwrap_or_else(|e| panic!("{tsv}: {e}"));
        let links: String = report
            .linked
            .iter()
            .map(|(a, b)| format!("{a} → {b}\n"))
            .collect();
        std::fs::write(format!("{tsv}.linked"), links).expect("links");
    }
}
