//! Signatures that are a JWT over the body's hash: MoneyKit's scheme. The JWT (ES256, JWS
//! compact form) names its key by `kid`; [`Jwks`] holds the provider's key set, fetched
//! through the client, cached, and fetched again on an unknown `kid` at most every five
//! minutes. Signature checks are RustCrypto's `p256`; the body hash is compared in constant
//! time (`subtle`).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use http::HeaderMap;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::replay::{GuardFuture, StoreError};
use super::{WebhookError, header};

/// A JWT signature scheme: the header that carries the JWT, the algorithms accepted, and the
/// claim that holds the body's hex SHA-256. Generated crates hold their provider's as
/// `webhooks::SCHEME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwtScheme {
    /// The header that carries the JWT.
    pub header: &'static str,
    /// The `alg` values accepted (this runtime verifies `ES256`; anything else is refused).
    pub algorithms: &'static [&'static str],
    /// The claim that holds the hex SHA-256 of the raw body.
    pub body_hash_claim: &'static str,
}

/// What a verified JWT says of time.
pub(super) struct Times {
    pub(super) issued_at: Option<SystemTime>,
    pub(super) expires_at: Option<SystemTime>,
    pub(super) not_before: Option<SystemTime>,
}

#[derive(Deserialize)]
struct JoseHeader {
    alg: String,
    kid: Option<String>,
}

impl JwtScheme {
    /// Checks the JWT's signature with the key it names, and the body hash it vouches for.
    pub(super) async fn verify(
        &self,
        keys: &Jwks,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Times, WebhookError> {
        let token = header(headers, self.header)?.trim();
        let invalid = || WebhookError::InvalidHeader {
            name: self.header.to_owned(),
            expected: "a JWS compact JWT",
        };
        let mut parts = token.split('.');
        let (Some(head), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let head: JoseHeader = decode_json(head).ok_or_else(invalid)?;
        if head.alg != "ES256" || !self.algorithms.contains(&head.alg.as_str()) {
            return Err(WebhookError::UnsupportedAlgorithm);
        }
        let kid = head.kid.ok_or_else(invalid)?;
        let signature = URL
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or(WebhookError::BadSignature)?;
        let key = keys.key(&kid).await?;
        let signed = &token[..token.rfind('.').unwrap_or(0)];
        key.verify(signed.as_bytes(), &signature)
            .map_err(|_| WebhookError::BadSignature)?;

        let claims: serde_json::Map<String, serde_json::Value> =
            decode_json(claims).ok_or_else(invalid)?;
        let hash = claims
            .get(self.body_hash_claim)
            .and_then(|v| v.as_str())
            .and_then(|hex_hash| hex::decode(hex_hash).ok())
            .ok_or(WebhookError::BodyHashMismatch)?;
        let actual = Sha256::digest(body);
        // Invariant (webhooks are verified in constant time): subtle compares the hashes.
        if !bool::from(actual[..].ct_eq(&hash)) {
            return Err(WebhookError::BodyHashMismatch);
        }
        let time = |name: &str| {
            claims
                .get(name)
                .and_then(|v| v.as_f64())
                .filter(|secs| secs.is_finite() && *secs >= 0.0)
                .map(|secs| UNIX_EPOCH + Duration::from_secs_f64(secs.min(1e12)))
        };
        Ok(Times {
            issued_at: time("iat"),
            expires_at: time("exp"),
            not_before: time("nbf"),
        })
    }
}

pub(super) const URL: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_encode_padding(false),
);

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Option<T> {
    serde_json::from_slice(&URL.decode(part).ok()?).ok()
}

/// Fetches the key set (a JWKS document) from the provider.
pub type FetchKeys =
    Arc<dyn Fn() -> GuardFuture<'static, Result<serde_json::Value, StoreError>> + Send + Sync>;

/// A provider's signing keys by `kid`: fetched on first use, kept `ttl` (12 hours), fetched
/// again when older, or when a JWT names a `kid` the set lacks, at most once per
/// `refetch_interval` (5 minutes). Concurrent verifications wait on one fetch.
pub struct Jwks {
    fetch: Option<FetchKeys>,
    state: tokio::sync::Mutex<KeyState>,
    ttl: Duration,
    refetch_interval: Duration,
    fetches: AtomicUsize,
}

#[derive(Default)]
struct KeyState {
    keys: HashMap<String, VerifyingKey>,
    fetched_at: Option<Instant>,
    attempted_at: Option<Instant>,
}

impl Jwks {
    /// How long a fetched set is used before it is fetched again.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(12 * 3600);
    /// The least time between two fetches caused by unknown `kid`s.
    pub const DEFAULT_REFETCH_INTERVAL: Duration = Duration::from_secs(300);

    /// A key set fetched with `fetch` (generated crates fetch through their client).
    pub fn fetched_with(fetch: FetchKeys) -> Self {
        Self {
            fetch: Some(fetch),
            state: tokio::sync::Mutex::new(KeyState::default()),
            ttl: Self::DEFAULT_TTL,
            refetch_interval: Self::DEFAULT_REFETCH_INTERVAL,
            fetches: AtomicUsize::new(0),
        }
    }

    /// A fixed key set, never fetched (keys pinned by configuration, tests).
    pub fn fixed(set: &serde_json::Value) -> Self {
        let keys = parse_set(set);
        Self {
            fetch: None,
            state: tokio::sync::Mutex::new(KeyState {
                keys,
                fetched_at: Some(Instant::now()),
                attempted_at: None,
            }),
            ttl: Duration::MAX,
            refetch_interval: Duration::MAX,
            fetches: AtomicUsize::new(0),
        }
    }

    /// Sets how long a fetched set is used (at most 24 hours is the providers' advice).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets the least time between two fetches caused by unknown `kid`s.
    pub fn refetch_interval(mut self, interval: Duration) -> Self {
        self.refetch_interval = interval;
        self
    }

    /// How many times the set has been fetched (or a fetch attempted).
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::Relaxed)
    }

    async fn key(&self, kid: &str) -> Result<VerifyingKey, WebhookError> {
        let mut state = self.state.lock().await;
        let fresh = state.fetched_at.is_some_and(|at| at.elapsed() < self.ttl);
        if !fresh
            && self.fetch.is_some()
            && let Err(e) = self.refresh(&mut state).await
        {
            // Keys fetched within a day stay usable while the endpoint fails.
            let usable = state
                .fetched_at
                .is_some_and(|at| at.elapsed() < Duration::from_secs(24 * 3600));
            if !usable {
                return Err(e);
            }
        }
        if let Some(key) = state.keys.get(kid) {
            return Ok(*key);
        }
        let may_refetch = self.fetch.is_some()
            && state
                .attempted_at
                .is_none_or(|at| at.elapsed() >= self.refetch_interval);
        if may_refetch {
            self.refresh(&mut state).await?;
        }
        state
            .keys
            .get(kid)
            .copied()
            .ok_or_else(|| WebhookError::UnknownKey {
                kid: kid.to_owned(),
            })
    }

    async fn refresh(&self, state: &mut KeyState) -> Result<(), WebhookError> {
        let Some(fetch) = &self.fetch else {
            return Ok(());
        };
        self.fetches.fetch_add(1, Ordering::Relaxed);
        state.attempted_at = Some(Instant::now());
        let set = fetch().await.map_err(WebhookError::KeyFetch)?;
        state.keys = parse_set(&set);
        state.fetched_at = Some(Instant::now());
        Ok(())
    }
}

impl std::fmt::Debug for Jwks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwks")
            .field("fetched", &self.fetch.is_some())
            .field("ttl", &self.ttl)
            .field("refetch_interval", &self.refetch_interval)
            .finish_non_exhaustive()
    }
}

/// The P-256 keys of a JWKS document by `kid`; keys of other kinds are skipped.
fn parse_set(set: &serde_json::Value) -> HashMap<String, VerifyingKey> {
    #[derive(Deserialize)]
    struct Jwk {
        kty: String,
        crv: Option<String>,
        kid: Option<String>,
        x: Option<String>,
        y: Option<String>,
    }
    let keys = set.get("keys").and_then(|k| k.as_array());
    keys.into_iter()
        .flatten()
        .filter_map(|key| serde_json::from_value::<Jwk>(key.clone()).ok())
        .filter(|key| key.kty == "EC" && key.crv.as_deref() == Some("P-256"))
        .filter_map(|key| {
            let x: [u8; 32] = URL.decode(key.x?).ok()?.try_into().ok()?;
            let y: [u8; 32] = URL.decode(key.y?).ok()?.try_into().ok()?;
            let point = p256::EncodedPoint::from_affine_coordinates(
                &p256::FieldBytes::from(x),
                &p256::FieldBytes::from(y),
                false,
            );
            Some((key.kid?, VerifyingKey::from_encoded_point(&point).ok()?))
        })
        .collect()
}
