//! Signed bundles: who made a bundle, provably.
//!
//! A plain bundle's checksums (the manifest's SHA-256 of every entry) show
//! that the entries are the ones the manifest lists — a damaged or
//! half-copied file is caught. They do **not** show who made it: anyone can
//! change an entry, recompute its checksum and write any author into the
//! manifest. A signature does. The exporting user's Ed25519 key (RFC 8032,
//! through `ed25519-dalek`) signs the exact bytes of `manifest.json`, which
//! lists the SHA-256 of every other entry; the signature, with the public
//! key, is the entry [`SIGNATURE_ENTRY`]. Reading checks it before anything
//! else is trusted: a changed byte anywhere makes the bundle refused.
//!
//! What a valid signature proves is that the holder of that key made the
//! bundle and nobody changed it since. Whether the key is the colleague's
//! is for the user to compare: the key's [`fingerprint`] is shown on import
//! and by `kryphal key show` on the sender's machine. The author *name* in
//! the manifest stays a claim either way.
//!
//! A signed bundle has format version 2, so a version of Kryphål that knows
//! only unsigned bundles says it was made by a newer version instead of
//! calling the extra entry tampering.

use ed25519_dalek::Signer as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The entry that holds a signed bundle's signature (not listed in the
/// manifest, which it signs).
pub const SIGNATURE_ENTRY: &str = "signature.json";

/// The algorithm name written into [`SIGNATURE_ENTRY`].
pub const ALGORITHM: &str = "ed25519";

/// A user's signing key: the 32-byte Ed25519 secret, wiped when dropped.
pub struct SigningKey(ed25519_dalek::SigningKey);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", fingerprint(&self.public_key()))
    }
}

impl SigningKey {
    /// A new random key (from the operating system's random source).
    pub fn generate() -> Result<SigningKey, String> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut())
            .map_err(|e| format!("no random numbers for a new key: {e}"))?;
        Ok(SigningKey::from_seed(&seed))
    }

    /// The key with this 32-byte secret.
    pub fn from_seed(seed: &[u8; 32]) -> SigningKey {
        SigningKey(ed25519_dalek::SigningKey::from_bytes(seed))
    }

    /// The secret, for storing (as hex, in a file only its owner reads).
    pub fn seed_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.to_bytes()))
    }

    /// The key from its stored hex secret.
    pub fn from_seed_hex(text: &str) -> Option<SigningKey> {
        let bytes = Zeroizing::new(hex::decode(text.trim()).ok()?);
        let seed: &[u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(SigningKey::from_seed(seed))
    }

    /// The public half.
    pub fn public_key(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

/// How a public key is shown to people: the first 16 bytes of its SHA-256
/// as 8 groups of 4 hex digits (`3f2a 9c01 …`), to compare by eye or phone.
pub fn fingerprint(public_key: &[u8; 32]) -> String {
    let digest = Sha256::digest(public_key);
    hex::encode(&digest[..16])
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("hex is ASCII"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The signature entry's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignatureFile {
    pub algorithm: String,
    /// The signer's public key, hex.
    pub public_key: String,
    /// The signature of `manifest.json`'s bytes, hex.
    pub signature: String,
}

impl SignatureFile {
    pub(crate) fn new(key: &SigningKey, manifest: &[u8]) -> SignatureFile {
        SignatureFile {
            algorithm: ALGORITHM.to_string(),
            public_key: hex::encode(key.public_key()),
            signature: hex::encode(key.sign(manifest)),
        }
    }

    /// The signer's public key when the signature is valid for `manifest`;
    /// why not otherwise (a lower-case clause).
    pub(crate) fn verify(&self, manifest: &[u8]) -> Result<[u8; 32], String> {
        if self.algorithm != ALGORITHM {
            return Err(format!(
                "it is signed with {}, which this version does not know",
                self.algorithm
            ));
        }
        let public: [u8; 32] = hex::decode(&self.public_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("its signature's public key is malformed")?;
        let signature: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("its signature is malformed")?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&public)
            .map_err(|_| "its signature's public key is not a valid key")?;
        key.verify_strict(manifest, &ed25519_dalek::Signature::from_bytes(&signature))
            .map_err(|_| "its signature does not match its contents".to_string())?;
        Ok(public)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_the_signed_bytes_with_the_signers_key() {
        let key = SigningKey::generate().unwrap();
        let again = SigningKey::from_seed_hex(&key.seed_hex()).unwrap();
        assert_eq!(key.public_key(), again.public_key());
        let file = SignatureFile::new(&key, b"manifest");
        assert_eq!(file.verify(b"manifest"), Ok(key.public_key()));
        assert!(file.verify(b"manifesT").is_err());
        let other = SigningKey::generate().unwrap();
        let forged = SignatureFile {
            public_key: hex::encode(other.public_key()),
            ..file.clone()
        };
        assert!(forged.verify(b"manifest").is_err());
        let fp = fingerprint(&key.public_key());
        assert_eq!(fp.len(), 39, "{fp}");
        assert!(!format!("{key:?}").contains(key.seed_hex().as_str()));
    }
}
