//! Any bytes offered as a .kryphal analysis bundle: the reader either gives
//! a bundle whose every entry passed its checks, or refuses the file with an
//! error, and never panics, hangs or runs out of memory (zip bombs included).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kryphal_bundle::read_bundle("fuzz.kryphal", data, &kryphal_bundle::Limits::default());
});
