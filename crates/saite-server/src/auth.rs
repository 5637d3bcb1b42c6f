//! Passwords, device tokens, and who is calling.
//!
//! Passwords are stored as Argon2id hashes (PHC strings). A device token is 32 random
//! bytes in base64url; the server stores only its SHA-256, so a stolen database holds
//! no usable token. Sign-ins are limited twice: per user (a lock-out after repeated
//! failures, kept in the database so every instance honours it) and per client
//! address (a sliding minute in memory).

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use axum::{
    extract::FromRequestParts,
    http::{StatusCode, request::Parts},
};
use base64::Engine;
use saite_protocol::{APP_VERSION_HEADER, ApiErrorCode, OUTBOX_SEQ_HEADER, PROTOCOL_VERSION, VERSION_HEADER};
use saite_server_storage::{Contact, Device, ServerStorage, Tenant, User};
use sha2::{Digest, Sha256};

use crate::{AppState, failure::Failure};

/// An Argon2id hash of `password` (PHC string form).
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS provides random bytes");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes encode");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("Argon2 hashes any password").to_string()
}

/// Whether `password` matches `hash`. A malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a random password, verified when the e-mail is unknown so that the answer
/// takes as long as for a known one (no telling which addresses exist).
pub static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password(&new_token()));

/// A one-time password: 16 letters and digits a person can read out and type without
/// mistaking one for another (no 0/O, 1/l/I), in groups of four; 80 bits.
pub fn one_time_password() -> String {
    const READABLE: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS provides random bytes");
    let chars: Vec<char> = bytes.iter().map(|b| READABLE[usize::from(*b) % READABLE.len()] as char).collect();
    chars.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A new device token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS provides random bytes");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the server stores of a token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The authenticated device behind a request, with its user and tenant.
#[derive(Debug, Clone)]
pub struct Caller {
    pub device: Device,
    pub user: User,
    pub tenant: Tenant,
}

/// Refuses a request without the protocol header of this version.
pub fn check_protocol(parts: &Parts) -> Result<(), Failure> {
    let got = parts.headers.get(VERSION_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if got.trim().parse::<u32>().ok() == Some(PROTOCOL_VERSION) { Ok(()) } else { Err(Failure::version_mismatch(got)) }
}

impl<S: ServerStorage> FromRequestParts<Arc<AppState<S>>> for Caller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState<S>>) -> Result<Caller, Failure> {
        check_protocol(parts)?;
        let signed_out = || {
            Failure::new(
                StatusCode::UNAUTHORIZED,
                ApiErrorCode::SignedOut,
                "sign in from the app to get a device token",
            )
        };
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(signed_out)?;
        let (device, user, tenant) =
            state.storage.caller_by_token_hash(&token_hash(token.trim())).await?.ok_or_else(signed_out)?;
        if device.revoked_at_ms.is_some() {
            return Err(Failure::new(StatusCode::UNAUTHORIZED, ApiErrorCode::DeviceRevoked, "this device was revoked"));
        }
        if user.disabled {
            return Err(Failure::new(StatusCode::UNAUTHORIZED, ApiErrorCode::UserDisabled, "this user is disabled"));
        }
        let contact = contact_of(parts, state.clock.now_ms());
        if contact.news_for(&device) {
            state.storage.note_contact(device.id, contact).await?;
        }
        Ok(Caller { device, user, tenant })
    }
}

/// What a request's headers say of the laptop ([`APP_VERSION_HEADER`],
/// [`OUTBOX_SEQ_HEADER`]); a header that does not read is left out.
fn contact_of(parts: &Parts, at_ms: u64) -> Contact {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    Contact {
        at_ms,
        // A version is short; anything longer is not one.
        app_version: header(APP_VERSION_HEADER).filter(|v| !v.is_empty() && v.len() <= 40).map(str::to_owned),
        outbox_seq: header(OUTBOX_SEQ_HEADER).and_then(|v| v.parse().ok()),
    }
}

/// Sign-in attempts per client address within the current minute.
pub struct SignInRate {
    per_minute: u32,
    seen: Mutex<HashMap<IpAddr, (u64, u32)>>,
}

impl SignInRate {
    pub fn new(per_minute: u32) -> SignInRate {
        SignInRate { per_minute, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt from `ip` at `now_ms`; false when over the limit.
    pub fn allow(&self, ip: IpAddr, now_ms: u64) -> bool {
        let minute = now_ms / 60_000;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        // Forget earlier minutes so the map stays small.
        seen.retain(|_, (m, _)| *m == minute);
        let entry = seen.entry(ip).or_insert((minute, 0));
        entry.1 += 1;
        entry.1 <= self.per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("Drošā māja 2012");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Drošā māja 2012", &h));
        assert!(!verify_password("drošā māja 2012", &h));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("", &DUMMY_HASH));
        assert!(
            PasswordHash::new(&DUMMY_HASH).is_ok(),
            "the dummy hash parses, so verifying it costs a real Argon2 run"
        );
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    #[test]
    fn the_sign_in_rate_resets_each_minute() {
        let rate = SignInRate::new(2);
        let ip: IpAddr = "10.0.0.7".parse().unwrap();
        assert!(rate.allow(ip, 0));
        assert!(rate.allow(ip, 1_000));
        assert!(!rate.allow(ip, 2_000));
        assert!(rate.allow("10.0.0.8".parse().unwrap(), 2_000), "another address has its own count");
        assert!(rate.allow(ip, 60_000));
    }
}
