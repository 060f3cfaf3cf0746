//! One running app per library. A second `kryphal-desktop` started on the
//! same library (a `.kryphal` file opened from the file manager or Explorer
//! while the app runs, or the icon clicked again) hands its file to the
//! running app and exits; the running app comes forward and offers the
//! import. Two processes on one library would keep two undo histories and
//! two search caches of the same file.
//!
//! The channel is a Unix socket on Linux ([`unix`]) and a named pipe on
//! Windows ([`windows`]), named by a hash of the library's full path, so two
//! different libraries still run side by side. The protocol is the same on
//! both: one line each way, `kryphal 1 open PATH` or `kryphal 1 focus`,
//! answered by `ok`; anything else is answered `no` and ignored. Only an
//! absolute path of an existing regular file is offered; any other path just
//! brings the window forward.

use std::path::PathBuf;
use std::time::Duration;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::{Instance, InstanceGuard, claim};

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::{Instance, InstanceGuard, claim};

/// Every request line starts with this (the protocol's version is the 1).
const HELLO: &str = "kryphal 1 ";
/// Longest request line read (a path is far shorter).
const MAX_LINE: u64 = 16 * 1024;
/// How long a starting instance waits for the running one to answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);
/// How long a starting instance keeps trying while another one is claiming.
const CLAIM_WITHIN: Duration = Duration::from_secs(10);

/// What a starting instance should do.
#[cfg(any(unix, windows))]
pub enum Claim {
    /// No other instance runs on this library: this one serves the channel.
    First(Instance),
    /// The running instance took the file (or was brought forward): exit.
    HandedOver,
    /// The channel could not be set up; run without hand-over (`reason` says why).
    Alone(String),
}

/// What the running instance is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Come forward, and offer to import this file.
    Open(PathBuf),
    /// Come forward.
    Focus,
}

/// FNV-1a over `bytes`: stable between builds and Rust versions, so every
/// version of Kryphål finds the same socket or pipe name.
fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
