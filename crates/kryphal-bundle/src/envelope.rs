//! The encrypted envelope around a bundle: a layer *outside* the bundle
//! format, so that the zip and its manifest stay exactly as
//! [`write_bundle`](crate::write_bundle) makes them. [`seal`] wraps a
//! bundle's bytes, [`open`] unwraps them; [`is_sealed`] tells an envelope
//! from a plain bundle by its first bytes.
//!
//! The key is derived from the passphrase with Argon2id (RFC 9106; 64 MiB,
//! 3 passes, 1 lane, a random 16-byte salt per file) and the bundle is
//! encrypted and authenticated with XChaCha20-Poly1305 (a random 24-byte
//! nonce per file). The header (magic, version, Argon2 parameters, salt,
//! nonce) is authenticated as associated data, so a changed byte anywhere
//! in the file makes [`open`] refuse it. Both primitives come from the
//! RustCrypto crates `argon2` and `chacha20poly1305`.
//!
//! ```text
//! offset  size  what
//!      0    16  magic "KRYPHAL-SEALED\r\n" (never the start of a zip)
//!     16     1  envelope version (1)
//!     17     4  Argon2id memory in KiB, little endian
//!     21     4  Argon2id passes
//!     25     4  Argon2id lanes
//!     29    16  salt
//!     45    24  nonce
//!     69     …  ciphertext of the bundle, then the 16-byte Poly1305 tag
//! ```

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use kryphal_domain::Passphrase;
use zeroize::Zeroizing;

/// The first bytes of every sealed bundle.
pub const MAGIC: &[u8; 16] = b"KRYPHAL-SEALED\r\n";
/// The envelope version this crate writes and reads.
pub const VERSION: u8 = 1;

const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = MAGIC.len() + 1 + 4 * 3 + SALT_LEN + NONCE_LEN;

/// The Argon2id cost written into new envelopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub passes: u32,
    /// Lanes (parallelism).
    pub lanes: u32,
}

impl Default for KdfCost {
    /// RFC 9106's second recommended option: 64 MiB, 3 passes, 1 lane.
    fn default() -> Self {
        KdfCost {
            memory_kib: 64 * 1024,
            passes: 3,
            lanes: 1,
        }
    }
}

/// The most an envelope may ask [`open`] to spend on deriving its key
/// (a hostile file must not make the app allocate gigabytes).
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_PASSES: u32 = 16;
const MAX_LANES: u32 = 16;

/// Why an envelope could not be made or opened.
#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    /// The passphrase is empty.
    #[error("An empty passphrase cannot protect a bundle: type the passphrase.")]
    EmptyPassphrase,
    /// Decryption failed: the passphrase is wrong or the file was changed.
    #[error(
        "{name} could not be opened: the passphrase is wrong, or the encrypted bundle was changed or damaged after it was written."
    )]
    WrongPassphraseOrTampered { name: String },
    /// The envelope is cut short or its header is impossible.
    #[error("{name} is a damaged encrypted bundle: {reason}.")]
    Damaged { name: String, reason: String },
    /// The envelope was written by a newer Kryphål.
    #[error(
        "{name} is an encrypted bundle of a newer version of Kryphål (envelope version {found}); update Kryphål to open it."
    )]
    Newer { name: String, found: u8 },
    /// The system's random number generator or the key derivation failed.
    #[error("the bundle could not be encrypted: {0}.")]
    Crypto(String),
}

/// Whether `bytes` is a sealed bundle (by its first bytes).
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

fn derive_key(
    passphrase: &Passphrase,
    salt: &[u8],
    cost: KdfCost,
) -> Result<Zeroizing<[u8; 32]>, String> {
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, Some(32))
        .map_err(|e| e.to_string())?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.expose().as_bytes(), salt, key.as_mut())
        .map_err(|e| e.to_string())?;
    Ok(key)
}

/// Encrypts `bundle` (the bytes of a `.kryphal` zip) with `passphrase` at
/// the default cost.
pub fn seal(bundle: &[u8], passphrase: &Passphrase) -> Result<Vec<u8>, EnvelopeError> {
    seal_with_cost(bundle, passphrase, KdfCost::default())
}

/// [`seal`] with a chosen key-derivation cost (tests use a small one).
pub fn seal_with_cost(
    bundle: &[u8],
    passphrase: &Passphrase,
    cost: KdfCost,
) -> Result<Vec<u8>, EnvelopeError> {
    if passphrase.is_empty() {
        return Err(EnvelopeError::EmptyPassphrase);
    }
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut salt)
        .and_then(|()| getrandom::fill(&mut nonce))
        .map_err(|e| EnvelopeError::Crypto(format!("no random numbers ({e})")))?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.push(VERSION);
    header.extend_from_slice(&cost.memory_kib.to_le_bytes());
    header.extend_from_slice(&cost.passes.to_le_bytes());
    header.extend_from_slice(&cost.lanes.to_le_bytes());
    header.extend_from_slice(&salt);
    header.extend_from_slice(&nonce);
    debug_assert_eq!(header.len(), HEADER_LEN);
    let key = derive_key(passphrase, &salt, cost).map_err(EnvelopeError::Crypto)?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref())
        .map_err(|e| EnvelopeError::Crypto(e.to_string()))?;
    let sealed = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: bundle,
                aad: &header,
            },
        )
        .map_err(|_| EnvelopeError::Crypto("encryption failed".into()))?;
    let mut out = header;
    out.extend_from_slice(&sealed);
    Ok(out)
}

fn le_u32(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

/// Decrypts the sealed bundle `bytes` (named `name` in messages) with
/// `passphrase` and returns the bundle's bytes — only when the whole file
/// is authentic: a wrong passphrase and a changed byte are both refused.
pub fn open(
    name: &str,
    bytes: &[u8],
    passphrase: &Passphrase,
) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
    let damaged = |reason: &str| EnvelopeError::Damaged {
        name: name.to_string(),
        reason: reason.to_string(),
    };
    if !is_sealed(bytes) {
        return Err(damaged("it does not start like an encrypted bundle"));
    }
    if passphrase.is_empty() {
        return Err(EnvelopeError::EmptyPassphrase);
    }
    if bytes.len() < HEADER_LEN + TAG_LEN {
        return Err(damaged("the file is cut short"));
    }
    let version = bytes[MAGIC.len()];
    if version > VERSION {
        return Err(EnvelopeError::Newer {
            name: name.to_string(),
            found: version,
        });
    }
    if version == 0 {
        return Err(damaged("its version is 0"));
    }
    let at = MAGIC.len() + 1;
    let cost = KdfCost {
        memory_kib: le_u32(bytes, at),
        passes: le_u32(bytes, at + 4),
        lanes: le_u32(bytes, at + 8),
    };
    if cost.memory_kib > MAX_MEMORY_KIB || cost.passes > MAX_PASSES || cost.lanes > MAX_LANES {
        return Err(damaged("its key-derivation cost is out of range"));
    }
    let salt = &bytes[at + 12..at + 12 + SALT_LEN];
    let nonce_at = at + 12 + SALT_LEN;
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&bytes[nonce_at..nonce_at + NONCE_LEN]);
    let key = derive_key(passphrase, salt, cost)
        .map_err(|_| damaged("its key-derivation parameters are invalid"))?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref())
        .map_err(|e| EnvelopeError::Crypto(e.to_string()))?;
    cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &bytes[HEADER_LEN..],
                aad: &bytes[..HEADER_LEN],
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| EnvelopeError::WrongPassphraseOrTampered {
            name: name.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfCost = KdfCost {
        memory_kib: 64,
        passes: 1,
        lanes: 1,
    };

    fn pass(s: &str) -> Passphrase {
        Passphrase::new(s.to_string())
    }

    #[test]
    fn a_sealed_bundle_opens_with_its_passphrase_only() {
        let plain = b"PK\x03\x04 pretend zip: Nuvarande lydelse".to_vec();
        let sealed = seal_with_cost(&plain, &pass("rätt fras"), CHEAP).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!is_sealed(&plain));
        assert!(
            !sealed.windows(9).any(|w| w == b"Nuvarande"),
            "plaintext in the envelope"
        );
        assert_eq!(
            open("b.kryphal", &sealed, &pass("rätt fras"))
                .unwrap()
                .as_slice(),
            plain.as_slice()
        );
        let err = open("b.kryphal", &sealed, &pass("fel fras")).unwrap_err();
        assert!(
            matches!(err, EnvelopeError::WrongPassphraseOrTampered { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("the passphrase is wrong"), "{err}");
    }

    #[test]
    fn every_changed_byte_is_refused() {
        let plain = vec![7u8; 300];
        let sealed = seal_with_cost(&plain, &pass("p"), CHEAP).unwrap();
        // Every header field after the magic and a sample of the body.
        for i in (MAGIC.len()..sealed.len()).step_by(7) {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(
                open("b.kryphal", &bad, &pass("p")).is_err(),
                "byte {i} changed and still opened"
            );
        }
        let cut = &sealed[..sealed.len() - 1];
        assert!(open("b.kryphal", cut, &pass("p")).is_err());
        let err = open("b.kryphal", &sealed[..HEADER_LEN], &pass("p")).unwrap_err();
        assert!(err.to_string().contains("cut short"), "{err}");
    }

    #[test]
    fn two_seals_of_the_same_bundle_differ() {
        let a = seal_with_cost(b"same", &pass("p"), CHEAP).unwrap();
        let b = seal_with_cost(b"same", &pass("p"), CHEAP).unwrap();
        assert_ne!(a, b, "salt and nonce must be fresh per file");
    }

    #[test]
    fn hostile_costs_and_newer_versions_are_refused_before_any_work() {
        let mut sealed = seal_with_cost(b"x", &pass("p"), CHEAP).unwrap();
        sealed[MAGIC.len() + 1..MAGIC.len() + 5].copy_from_slice(&u32::MAX.to_le_bytes());
        let err = open("b.kryphal", &sealed, &pass("p")).unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
        sealed[MAGIC.len()] = VERSION + 1;
        let err = open("b.kryphal", &sealed, &pass("p")).unwrap_err();
        assert!(matches!(err, EnvelopeError::Newer { .. }), "{err}");
        assert!(matches!(
            seal(b"x", &pass("")),
            Err(EnvelopeError::EmptyPassphrase)
        ));
    }
}
