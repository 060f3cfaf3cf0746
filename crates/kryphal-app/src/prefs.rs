//! The user's preferences: set once, kept outside any library (in the OS's
//! local config directory, `~/.config/kryphal/preferences.json` on Linux,
//! `%LOCALAPPDATA%\Kryphal\kryphal\config\preferences.json` on Windows,
//! beside the library's folder; or in the folder named by `KRYPHAL_CONFIG_DIR`). Written whole through a temporary
//! file, so a crash never leaves half a file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, AppResult, ErrorCode};

/// What the user chose once and expects to be remembered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct Preferences {
    /// The name recorded in the audit trail; empty means the OS user name.
    pub user_name: String,
    /// Interface language, `sv` or `en`; empty means Swedish.
    pub language: String,
    /// The first start has asked for the display name (given or skipped),
    /// so the app does not ask again.
    pub name_asked: bool,
}

static CONFIG_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Makes `dir` the preferences folder of this process (the desktop app's
/// `--config-dir`); it wins over `KRYPHAL_CONFIG_DIR`. Only the first call counts.
pub fn use_config_dir(dir: PathBuf) {
    let _ = CONFIG_DIR.set(dir);
}

fn dir() -> PathBuf {
    if let Some(dir) = CONFIG_DIR.get() {
        return dir.clone();
    }
    std::env::var_os("KRYPHAL_CONFIG_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("se", "Kryphal", "kryphal")
                .map(|d| d.config_local_dir().to_path_buf())
        })
        .unwrap_or_else(|| PathBuf::from("."))
}

impl Preferences {
    /// The saved preferences; defaults when none are saved or the file is unreadable.
    pub fn load() -> Preferences {
        std::fs::read_to_string(dir().join("preferences.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Checks and saves the preferences.
    pub fn save(&self) -> AppResult<()> {
        if !matches!(self.language.as_str(), "" | "sv" | "en") {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "Language “{}” is not available; choose sv or en.",
                    self.language
                ),
            ));
        }
        if self.user_name.chars().count() > 200 || self.user_name.contains(['\n', '\r']) {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "The user name must be one line of at most 200 characters.",
            ));
        }
        let dir = dir();
        let fail = |e: std::io::Error| {
            AppError::new(
                ErrorCode::Io,
                format!("Cannot save the preferences in {}: {e}.", dir.display()),
            )
        };
        std::fs::create_dir_all(&dir).map_err(fail)?;
        let text = serde_json::to_string_pretty(self).expect("preferences are JSON");
        let tmp = dir.join("preferences.json.tmp");
        std::fs::write(&tmp, text).map_err(fail)?;
        kryphal_platform::replace_file(&tmp, &dir.join("preferences.json")).map_err(fail)
    }

    /// The name to act as: the saved one, else `KRYPHAL_USER`, else the OS user name.
    pub fn effective_user(&self) -> String {
        let name = self.user_name.trim();
        if name.is_empty() {
            crate::default_user()
        } else {
            name.to_string()
        }
    }
}

/// The file beside the preferences that holds the user's bundle signing key.
const SIGNING_KEY_FILE: &str = "signing-key";

/// The public half of the user's signing key, as `kryphal key show` and
/// the app show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SigningKeyInfo {
    /// How people compare keys: 8 groups of 4 hex digits.
    pub fingerprint: String,
    /// The whole public key, hex.
    pub public_key: String,
    /// Where the key is kept (readable by its owner only).
    pub path: String,
    /// Whether it was made just now.
    pub created: bool,
}

/// The user's Ed25519 key for signing bundles, kept beside the preferences
/// in `signing-key` (the secret as hex; owner-only, 0600 on Unix). Made on
/// first use when `create`; `Ok(None)` when there is none and `create` is
/// false.
pub fn signing_key(
    create: bool,
) -> AppResult<Option<(kryphal_bundle::signing::SigningKey, SigningKeyInfo)>> {
    use kryphal_bundle::signing::{SigningKey, fingerprint};
    let dir = dir();
    let path = dir.join(SIGNING_KEY_FILE);
    let fail = |e: std::io::Error| {
        AppError::new(
            ErrorCode::Io,
            format!("Cannot use the signing key {}: {e}.", path.display()),
        )
    };
    let info = |key: &SigningKey, created: bool| SigningKeyInfo {
        fingerprint: fingerprint(&key.public_key()),
        public_key: hex::encode(key.public_key()),
        path: path.display().to_string(),
        created,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let text = zeroize::Zeroizing::new(text);
            let key = SigningKey::from_seed_hex(&text).ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "The signing key {} is damaged; move it away and a new key is made (bundles signed with the old one then show another fingerprint).",
                        path.display()
                    ),
                )
            })?;
            let shown = info(&key, false);
            Ok(Some((key, shown)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !create {
                return Ok(None);
            }
            let key = SigningKey::generate()
                .map_err(|e| AppError::new(ErrorCode::Internal, format!("{e}.")))?;
            std::fs::create_dir_all(&dir).map_err(fail)?;
            write_private(&path, key.seed_hex().as_bytes()).map_err(fail)?;
            let shown = info(&key, true);
            Ok(Some((key, shown)))
        }
        Err(e) => Err(fail(e)),
    }
}

/// Writes a new file readable by its owner only, whole or not at all (it
/// is never overwritten: a second writer fails instead).
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let tmp = path.with_extension(format!("{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        // A hard link fails if the key appeared meanwhile: the first one stays.
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}
