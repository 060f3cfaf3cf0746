//! # kryphal-platform
//!
//! What differs between Linux and Windows, in one small crate that knows
//! nothing else of Kryphål, so that the rest of the code has no `cfg` of its
//! own and the Windows paths can be tested on their own (cross-compiled and
//! run under Wine by `tests/windows.sh`, in seconds, without building the
//! whole app):
//!
//! - [`replace_file`]: the atomic replace every export, backup and
//!   preference file goes through (Windows refuses a rename over a file
//!   another program holds open: retried for a moment, then said clearly);
//! - [`instance`]: one running desktop app per library (a Unix socket, a
//!   Windows named pipe);
//! - [`notice::show_error`]: a message box for what must be said before
//!   there is a window (no WebView2 on a Windows machine).
//!
//! Where the library and the preferences live is decided in `kryphal-app`
//! with the `directories` crate (the local, non-roaming data folder).

pub mod instance;
pub mod notice;
mod replace;

pub use replace::replace_file;
