//! Any bytes offered as a .txt file: the import either gives an outline
//! or refuses the file with an error, and never panics, hangs or runs out of memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kryphal_ingest::import("fuzz.txt", data, "fz", &kryphal_ingest::Limits::default());
});
