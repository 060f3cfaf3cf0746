//! Times the phases of one import: `cargo run --release -p kryphal-ingest --example phases -- FILE`.

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    for _ in 0..3 {
        let t = Instant::now();
        let text = kryphal_ingest::text::decode("f", &bytes).unwrap();
        let t1 = t.elapsed();
        let raw = kryphal_ingest::markdown::read(&text);
        let t2 = t.elapsed();
        let mut meta = raw.meta.clone();
        let outline = kryphal_ingest::structure::build(&raw.blocks, &mut meta, "d");
        let t3 = t.elapsed();
        println!(
            "decode {t1:?} read {:?} build {:?} ({} clauses)",
            t2 - t1,
            t3 - t2,
            outline.clauses.len()
        );
    }
}
