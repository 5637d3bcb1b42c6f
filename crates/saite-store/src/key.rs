//! The data key and the key file that keeps it wrapped.
//!
//! The database is encrypted (SQLCipher) with a random 256-bit **data key**. The data
//! key is stored only **wrapped**: encrypted with XChaCha20-Poly1305 under a key
//! derived from the user's passphrase with Argon2id. So a lost laptop yields nothing
//! without the passphrase, a passphrase change rewraps 32 bytes instead of re-encrypting
//! the database, and destroying the key file destroys the data (crypto-shred).
//!
//! A wrong passphrase fails the AEAD tag check before the database is opened, so it
//! cannot damage anything.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use argon2::{Algorithm, Argon2, Params, Version};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use chacha20poly1305::{
    Key, XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, KeyInit, OsRng, Payload, rand_core::RngCore},
};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Binds a wrapped key to its purpose and format, so the ciphertext cannot be passed
/// off as something else.
const AAD: &[u8] = b"saite-store data key v1";
/// The key file format of new stores: 2. Format 1 (stores made before 2026-12) differs
/// only in the database's page authentication ([`PageHmac`]).
const FORMAT: u32 = 2;
pub(crate) const KEY_LEN: usize = 32;

/// How SQLCipher authenticates each database page (an HMAC over the encrypted page,
/// checked on every read). Fixed when a store is made; its key file's format says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageHmac {
    /// SQLCipher 4's default, HMAC-SHA512: stores of key file format 1.
    Sha512,
    /// HMAC-SHA256, keyed with 256 bits like the default and as strong for authenticating
    /// a page. Processors hash it in hardware (SHA extensions) where SHA-512 runs in
    /// software, and hashing pages was a laptop's largest single cost in a first push.
    Sha256,
}

impl PageHmac {
    fn of_format(format: u32) -> Option<PageHmac> {
        match format {
            1 => Some(PageHmac::Sha512),
            2 => Some(PageHmac::Sha256),
            _ => None,
        }
    }

    fn format(self) -> u32 {
        match self {
            PageHmac::Sha512 => 1,
            PageHmac::Sha256 => 2,
        }
    }
}

/// The key SQLCipher encrypts the database with, and how its pages are authenticated.
/// Wiped from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey {
    bytes: [u8; KEY_LEN],
    #[zeroize(skip)]
    page_hmac: PageHmac,
}

impl DataKey {
    pub(crate) fn random(page_hmac: PageHmac) -> DataKey {
        let mut bytes = [0u8; KEY_LEN];
        OsRng.fill_bytes(&mut bytes);
        DataKey { bytes, page_hmac }
    }

    /// The key in SQLCipher's raw-key form, `x'<64 hex digits>'`.
    pub(crate) fn raw_key_literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(3 + 2 * KEY_LEN));
        s.push_str("x'");
        for b in self.bytes {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\'');
        s
    }

    /// The key from its bytes (a backup's, once unsealed).
    pub(crate) fn from_bytes(bytes: [u8; KEY_LEN], page_hmac: PageHmac) -> DataKey {
        DataKey { bytes, page_hmac }
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// Opens `conn`'s database with this key: SQLCipher's `PRAGMA key` in its raw-key
    /// form (`x'<64 hex digits>'`, no key derivation), then the page HMAC, both before
    /// the first read.
    pub(crate) fn unlock_database(&self, conn: &rusqlite::Connection) -> rusqlite::Result<()> {
        conn.pragma_update(None, "key", self.raw_key_literal().as_str())?;
        match self.page_hmac {
            PageHmac::Sha512 => Ok(()),
            PageHmac::Sha256 => conn.pragma_update(None, "cipher_hmac_algorithm", "HMAC_SHA256"),
        }
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// Argon2id cost. The default takes about half a second on a 2-core laptop; tests use
/// [`KdfParams::FAST_FOR_TESTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// OWASP's Argon2id recommendation (m = 46 MiB, t = 1, p = 1) raised to 64 MiB, t = 3.
    pub const DEFAULT: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };
    /// Minimal cost, so tests that create stores stay fast. Never used by the app.
    pub const FAST_FOR_TESTS: KdfParams = KdfParams { memory_kib: 256, iterations: 1, parallelism: 1 };
}

/// The on-disk key file (`store.key`, JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyFile {
    pub format: u32,
    pub kdf: KdfParams,
    /// Argon2 salt, base64.
    pub salt: String,
    /// XChaCha20-Poly1305 nonce, base64.
    pub nonce: String,
    /// The data key encrypted under the passphrase-derived key, base64.
    pub wrapped_key: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error("the key file {path} is damaged or of an unknown format: {detail}")]
    Damaged { path: PathBuf, detail: String },
    #[error("cannot read or write the key file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

fn derive_wrapping_key(passphrase: &str, salt: &[u8], kdf: KdfParams) -> Result<Zeroizing<[u8; KEY_LEN]>, String> {
    let params =
        Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(KEY_LEN)).map_err(|e| e.to_string())?;
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// A secret sealed under a passphrase: XChaCha20-Poly1305 under a key Argon2id derives
/// from the passphrase and a random salt. The key file's data key and a backup's are
/// sealed so; `aad` binds the ciphertext to its purpose.
pub(crate) struct Sealed {
    pub kdf: KdfParams,
    pub salt: Vec<u8>,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

impl Sealed {
    pub fn seal(secret: &[u8], passphrase: &str, kdf: KdfParams, aad: &[u8]) -> Result<Sealed, KeyError> {
        if passphrase.is_empty() {
            return Err(KeyError::EmptyPassphrase);
        }
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        let wrapping = derive_wrapping_key(passphrase, &salt, kdf)
            .map_err(|detail| KeyError::Damaged { path: PathBuf::new(), detail })?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(wrapping.as_ref()));
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext =
            cipher.encrypt(&nonce, Payload { msg: secret, aad }).expect("encrypting a short secret cannot fail");
        Ok(Sealed { kdf, salt: salt.to_vec(), nonce: nonce.to_vec(), ciphertext })
    }

    /// The secret; [`KeyError::WrongPassphrase`] when the tag does not verify (a wrong
    /// passphrase, or a sealed secret altered).
    pub fn open(&self, passphrase: &str, aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let damaged = |detail: String| KeyError::Damaged { path: PathBuf::new(), detail };
        if self.nonce.len() != 24 {
            return Err(damaged("nonce length".into()));
        }
        let wrapping = derive_wrapping_key(passphrase, &self.salt, self.kdf).map_err(damaged)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(wrapping.as_ref()));
        cipher
            .decrypt(XNonce::from_slice(&self.nonce), Payload { msg: &self.ciphertext, aad })
            .map(Zeroizing::new)
            .map_err(|_| KeyError::WrongPassphrase)
    }
}

impl KeyFile {
    /// Makes a new random data key and wraps it under `passphrase`.
    pub fn create(passphrase: &str, kdf: KdfParams) -> Result<(KeyFile, DataKey), KeyError> {
        Self::create_with(passphrase, kdf, PageHmac::of_format(FORMAT).expect("the current format is known"))
    }

    /// [`KeyFile::create`] with a given page HMAC: `Sha512` makes a key file of format 1,
    /// as the app did before, for tests that such a store still opens.
    #[doc(hidden)]
    pub fn create_with(passphrase: &str, kdf: KdfParams, page_hmac: PageHmac) -> Result<(KeyFile, DataKey), KeyError> {
        let key = DataKey::random(page_hmac);
        let file = Self::wrap(&key, passphrase, kdf)?;
        Ok((file, key))
    }

    pub(crate) fn wrap(key: &DataKey, passphrase: &str, kdf: KdfParams) -> Result<KeyFile, KeyError> {
        let sealed = Sealed::seal(&key.bytes, passphrase, kdf, AAD)?;
        Ok(KeyFile {
            format: key.page_hmac.format(),
            kdf,
            salt: B64.encode(sealed.salt),
            nonce: B64.encode(sealed.nonce),
            wrapped_key: B64.encode(sealed.ciphertext),
        })
    }

    /// Unwraps the data key; [`KeyError::WrongPassphrase`] when the tag does not verify.
    pub fn unlock(&self, passphrase: &str, path: &Path) -> Result<DataKey, KeyError> {
        let damaged = |detail: String| KeyError::Damaged { path: path.to_owned(), detail };
        let page_hmac = PageHmac::of_format(self.format).ok_or_else(|| damaged(format!("format {}", self.format)))?;
        let sealed = Sealed {
            kdf: self.kdf,
            salt: B64.decode(&self.salt).map_err(|e| damaged(e.to_string()))?,
            nonce: B64.decode(&self.nonce).map_err(|e| damaged(e.to_string()))?,
            ciphertext: B64.decode(&self.wrapped_key).map_err(|e| damaged(e.to_string()))?,
        };
        let plain = sealed.open(passphrase, AAD).map_err(|e| match e {
            KeyError::Damaged { detail, .. } => damaged(detail),
            other => other,
        })?;
        let bytes: [u8; KEY_LEN] = plain.as_slice().try_into().map_err(|_| damaged("key length".into()))?;
        Ok(DataKey { bytes, page_hmac })
    }

    /// The same data key wrapped under a new passphrase (with a fresh salt and nonce).
    pub fn rewrap(&self, old: &str, new: &str, path: &Path) -> Result<KeyFile, KeyError> {
        let key = self.unlock(old, path)?;
        Self::wrap(&key, new, self.kdf)
    }

    pub fn read(path: &Path) -> Result<KeyFile, KeyError> {
        let bytes = fs::read(path).map_err(|source| KeyError::Io { path: path.to_owned(), source })?;
        serde_json::from_slice(&bytes).map_err(|e| KeyError::Damaged { path: path.to_owned(), detail: e.to_string() })
    }

    /// Writes atomically: temporary file, fsync, rename, fsync of the folder.
    pub fn write(&self, path: &Path) -> Result<(), KeyError> {
        let io = |source| KeyError::Io { path: path.to_owned(), source };
        let tmp = path.with_extension("key.tmp");
        let mut f = fs::File::create(&tmp).map_err(io)?;
        f.write_all(&serde_json::to_vec_pretty(self).expect("key file serialises")).map_err(io)?;
        f.sync_all().map_err(io)?;
        fs::rename(&tmp, path).map_err(io)?;
        if let Some(dir) = path.parent() {
            #[cfg(unix)]
            fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "store.key";

    #[test]
    fn unlock_with_the_right_passphrase_yields_the_same_key() {
        let (file, key) = KeyFile::create("correct horse", KdfParams::FAST_FOR_TESTS).unwrap();
        let again = file.unlock("correct horse", Path::new(P)).unwrap();
        assert_eq!(key.bytes, again.bytes);
    }

    #[test]
    fn a_wrong_passphrase_is_refused() {
        let (file, _) = KeyFile::create("correct horse", KdfParams::FAST_FOR_TESTS).unwrap();
        assert!(matches!(file.unlock("Correct horse", Path::new(P)), Err(KeyError::WrongPassphrase)));
        assert!(matches!(file.unlock("", Path::new(P)), Err(KeyError::WrongPassphrase)));
    }

    #[test]
    fn rewrapping_keeps_the_key_and_retires_the_old_passphrase() {
        let (file, key) = KeyFile::create("old pass", KdfParams::FAST_FOR_TESTS).unwrap();
        let new = file.rewrap("old pass", "new pass", Path::new(P)).unwrap();
        assert_eq!(new.unlock("new pass", Path::new(P)).unwrap().bytes, key.bytes);
        assert!(matches!(new.unlock("old pass", Path::new(P)), Err(KeyError::WrongPassphrase)));
        assert_ne!(new.salt, file.salt);
        assert!(matches!(file.rewrap("wrong", "x", Path::new(P)), Err(KeyError::WrongPassphrase)));
    }

    #[test]
    fn tampering_is_detected() {
        let (mut file, _) = KeyFile::create("pass", KdfParams::FAST_FOR_TESTS).unwrap();
        let mut bytes = B64.decode(&file.wrapped_key).unwrap();
        bytes[0] ^= 1;
        file.wrapped_key = B64.encode(bytes);
        assert!(matches!(file.unlock("pass", Path::new(P)), Err(KeyError::WrongPassphrase)));
        file.format = 99;
        assert!(matches!(file.unlock("pass", Path::new(P)), Err(KeyError::Damaged { .. })));
    }

    #[test]
    fn an_empty_passphrase_is_refused() {
        assert!(matches!(KeyFile::create("", KdfParams::FAST_FOR_TESTS), Err(KeyError::EmptyPassphrase)));
    }

    #[test]
    fn the_key_file_round_trips_and_holds_no_key_in_clear() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("store.key");
        let (file, key) = KeyFile::create("pass", KdfParams::FAST_FOR_TESTS).unwrap();
        file.write(&path).unwrap();
        assert_eq!(KeyFile::read(&path).unwrap(), file);
        let text = fs::read_to_string(&path).unwrap();
        let hex: String = key.bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert!(!text.contains(&hex) && !text.contains(&B64.encode(key.bytes)));
    }
}
