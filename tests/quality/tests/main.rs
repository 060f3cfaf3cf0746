//! The quality suites: measured figures on real documents, with floors.
//! One test binary for the crate (see `tests/quality/README.md`).

mod outline;
mod screening;
mod search;
