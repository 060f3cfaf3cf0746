//! A passphrase held in memory only as long as it is needed.

use zeroize::Zeroizing;

/// The passphrase of an encrypted library or bundle.
///
/// Its bytes are wiped from memory when it is dropped ([`zeroize`]); it is
/// neither `Serialize` nor `Display`, and its `Debug` output never shows it,
/// so it cannot end up in a log line, an error message, the audit trail or
/// the preferences by accident. Read it with [`Passphrase::expose`] only
/// where it is handed to SQLCipher or the key derivation.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes ownership of `text` (which is wiped when the passphrase is
    /// dropped). One trailing line break (from a file or a terminal) is
    /// removed; nothing else is changed.
    pub fn new(text: String) -> Passphrase {
        let mut text = Zeroizing::new(text);
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        Passphrase(text)
    }

    /// The passphrase's text, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is empty (an empty passphrase is refused everywhere).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::Passphrase;

    #[test]
    fn debug_output_never_shows_the_passphrase() {
        let p = Passphrase::new("hemlig-fras-123\n".to_string());
        assert_eq!(p.expose(), "hemlig-fras-123");
        let shown = format!("{p:?} {:?}", Some(p.clone()));
        assert!(!shown.contains("hemlig"), "{shown}");
    }

    #[test]
    fn only_one_trailing_line_break_is_removed() {
        assert_eq!(Passphrase::new("a b \r\n".into()).expose(), "a b ");
        assert_eq!(Passphrase::new("a\n\n".into()).expose(), "a\n");
        assert!(Passphrase::new("\n".into()).is_empty());
    }
}
