//! A provider's signing keys ([`Jwks`]): fetched through the client on first use, cached,
//! fetched again when past their TTL or on an unknown `kid`, in *rounds*, as the token
//! source fetches tokens.
//!
//! - One fetch at a time, and every verification that waited on a round gets that round's
//!   result, keys or error: any number of concurrent deliveries cause one fetch.
//! - A failed round is remembered for [`Jwks::DEFAULT_FAILURE_BACKOFF`]: until then no
//!   delivery starts another, so an outage of the key endpoint costs at most one round per
//!   back-off, not one per delivery.
//! - Keys past their TTL keep verifying while refreshes fail, for at most
//!   [`Jwks::DEFAULT_MAX_STALE`] past the TTL; while a refresh runs, other deliveries verify
//!   with them instead of waiting.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine as _;
use p256::ecdsa::VerifyingKey;
use serde::Deserialize;

use super::WebhookError;
use super::jwt::URL;
use super::replay::{GuardFuture, StoreError};

/// Fetches the key set (a JWKS document) from the provider.
pub type FetchKeys =
    Arc<dyn Fn() -> GuardFuture<'static, Result<serde_json::Value, StoreError>> + Send + Sync>;

/// A provider's signing keys by `kid`, fetched in rounds (one fetch for every verification
/// that waits on it):
/// - fetched on first use and kept [`Jwks::DEFAULT_TTL`] (12 hours; [`Jwks::ttl`]);
/// - fetched again when older, or when a JWT names a `kid` the set lacks, at most once per
///   [`Jwks::DEFAULT_REFETCH_INTERVAL`] (5 minutes; [`Jwks::refetch_interval`]);
/// - after a failed fetch, none for [`Jwks::DEFAULT_FAILURE_BACKOFF`] (10 seconds;
///   [`Jwks::failure_backoff`]): deliveries meanwhile get that failure
///   ([`WebhookError::KeyFetch`], answer 503) at once, or verify with the keys held;
/// - keys past their TTL keep verifying while refreshes fail, for at most
///   [`Jwks::DEFAULT_MAX_STALE`] (12 hours; [`Jwks::max_stale`]) past the TTL.
pub struct Jwks {
    fetch: Option<FetchKeys>,
    ttl: Duration,
    refetch_interval: Duration,
    failure_backoff: Duration,
    max_stale: Duration,
    /// What the last rounds left: read and written briefly, never held across a fetch.
    state: Mutex<KeyState>,
    /// Held across a round: one fetch at a time.
    round: tokio::sync::Mutex<()>,
    fetches: AtomicUsize,
}

#[derive(Default)]
struct KeyState {
    keys: Arc<HashMap<String, VerifyingKey>>,
    /// When the keys held were fetched.
    fetched_at: Option<Instant>,
    /// When the last round started.
    attempted_at: Option<Instant>,
    /// The last round's failure and when it ended, until a round succeeds.
    failure: Option<(Arc<dyn std::error::Error + Send + Sync>, Instant)>,
    /// Rounds ended so far: a verification that sees it move while waiting for the round
    /// lock got the result of a round it waited on.
    rounds: u64,
}

/// What a verification sees of the keys at one moment.
struct View {
    key: Option<VerifyingKey>,
    /// Within the TTL.
    fresh: bool,
    /// Within the TTL and the stale bound.
    usable: bool,
    /// A fetch for an unknown `kid` is allowed (the last round started long enough ago).
    may_refetch: bool,
    /// The last round's failure, if it failed.
    failure: Option<Arc<dyn std::error::Error + Send + Sync>>,
    /// That failure is recent: no round starts before the back-off has passed.
    backing_off: bool,
    rounds: u64,
}

impl Jwks {
    /// How long a fetched set is used before it is fetched again.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(12 * 3600);
    /// The least time between two fetches caused by unknown `kid`s.
    pub const DEFAULT_REFETCH_INTERVAL: Duration = Duration::from_secs(300);
    /// How long a failed fetch is remembered: no fetch starts until it has passed.
    pub const DEFAULT_FAILURE_BACKOFF: Duration = Duration::from_secs(10);
    /// How long past their TTL keys keep verifying while refreshes fail.
    pub const DEFAULT_MAX_STALE: Duration = Duration::from_secs(12 * 3600);

    /// A key set fetched with `fetch` (generated crates fetch through their client).
    pub fn fetched_with(fetch: FetchKeys) -> Self {
        Self {
            fetch: Some(fetch),
            ttl: Self::DEFAULT_TTL,
            refetch_interval: Self::DEFAULT_REFETCH_INTERVAL,
            failure_backoff: Self::DEFAULT_FAILURE_BACKOFF,
            max_stale: Self::DEFAULT_MAX_STALE,
            state: Mutex::new(KeyState::default()),
            round: tokio::sync::Mutex::new(()),
            fetches: AtomicUsize::new(0),
        }
    }

    /// A fixed key set, never fetched (keys pinned by configuration, tests).
    pub fn fixed(set: &serde_json::Value) -> Self {
        Self {
            fetch: None,
            ttl: Duration::MAX,
            refetch_interval: Duration::MAX,
            failure_backoff: Duration::MAX,
            max_stale: Duration::MAX,
            state: Mutex::new(KeyState {
                keys: Arc::new(parse_set(set)),
                fetched_at: Some(Instant::now()),
                ..KeyState::default()
            }),
            round: tokio::sync::Mutex::new(()),
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

    /// Sets how long a failed fetch is remembered before another may start.
    pub fn failure_backoff(mut self, backoff: Duration) -> Self {
        self.failure_backoff = backoff;
        self
    }

    /// Sets how long past their TTL keys keep verifying while refreshes fail
    /// (`Duration::ZERO`: never past the TTL).
    pub fn max_stale(mut self, max_stale: Duration) -> Self {
        self.max_stale = max_stale;
        self
    }

    /// How many times the set has been fetched (or a fetch attempted).
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::Relaxed)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, KeyState> {
        // Nothing panics while holding it; a poisoned lock still holds consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn view(&self, kid: &str) -> View {
        let state = self.state();
        let age = state.fetched_at.map(|at| at.elapsed());
        View {
            key: state.keys.get(kid).copied(),
            fresh: age.is_some_and(|age| age < self.ttl),
            usable: age.is_some_and(|age| age < self.ttl.saturating_add(self.max_stale)),
            may_refetch: state
                .attempted_at
                .is_none_or(|at| at.elapsed() >= self.refetch_interval),
            failure: state.failure.as_ref().map(|(e, _)| Arc::clone(e)),
            backing_off: state
                .failure
                .as_ref()
                .is_some_and(|(_, at)| at.elapsed() < self.failure_backoff),
            rounds: state.rounds,
        }
    }

    /// The key `kid` names, from the keys held or a round's.
    pub(super) async fn key(&self, kid: &str) -> Result<VerifyingKey, WebhookError> {
        let view = self.view(kid);
        if self.fetch.is_none() || (view.fresh && view.key.is_some()) {
            return view.key.ok_or_else(|| unknown(kid));
        }
        let wanted = !view.fresh || view.may_refetch;
        if !wanted {
            return Err(unknown(kid));
        }
        if view.backing_off
            && let Some(failure) = view.failure
        {
            // A round failed within the back-off: no new one; the keys held if they serve.
            return match view.key {
                Some(key) if view.usable => Ok(key),
                _ => Err(key_fetch(failure)),
            };
        }
        // Invariant (one key fetch per round): the round lock is held across the fetch, and
        // a verification that waited on a round takes its result.
        let _round = match (view.key, view.usable) {
            // Past the TTL but usable: refresh if no one is, else verify with these keys.
            (Some(key), true) => match self.round.try_lock() {
                Ok(round) => round,
                Err(_) => return Ok(key),
            },
            _ => self.round.lock().await,
        };
        let now = self.view(kid);
        if now.rounds != view.rounds {
            // A round ended while this verification waited: its result, not another fetch.
            return match (now.key, now.failure) {
                (Some(key), _) if now.usable => Ok(key),
                (_, Some(failure)) => Err(key_fetch(failure)),
                _ => Err(unknown(kid)),
            };
        }
        match self.refresh().await {
            Ok(keys) => keys.get(kid).copied().ok_or_else(|| unknown(kid)),
            Err(failure) => match view.key {
                Some(key) if self.view(kid).usable => Ok(key),
                _ => Err(key_fetch(failure)),
            },
        }
    }

    /// One round: fetch the set, and record what came of it. The caller holds the round lock.
    async fn refresh(
        &self,
    ) -> Result<Arc<HashMap<String, VerifyingKey>>, Arc<dyn std::error::Error + Send + Sync>> {
        let Some(fetch) = &self.fetch else {
            return Ok(Arc::clone(&self.state().keys));
        };
        self.fetches.fetch_add(1, Ordering::Relaxed);
        self.state().attempted_at = Some(Instant::now());
        let outcome = fetch().await;
        let mut state = self.state();
        state.rounds += 1;
        match outcome {
            Ok(set) => {
                state.keys = Arc::new(parse_set(&set));
                state.fetched_at = Some(Instant::now());
                state.failure = None;
                Ok(Arc::clone(&state.keys))
            }
            Err(e) => {
                let failure: Arc<dyn std::error::Error + Send + Sync> = Arc::from(e);
                state.failure = Some((Arc::clone(&failure), Instant::now()));
                Err(failure)
            }
        }
    }
}

fn unknown(kid: &str) -> WebhookError {
    WebhookError::UnknownKey {
        kid: kid.to_owned(),
    }
}

fn key_fetch(failure: Arc<dyn std::error::Error + Send + Sync>) -> WebhookError {
    WebhookError::KeyFetch(Box::new(RoundFailure(failure)))
}

/// A failed round's error, shared by every verification that got it.
struct RoundFailure(Arc<dyn std::error::Error + Send + Sync>);

impl fmt::Debug for RoundFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for RoundFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for RoundFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl fmt::Debug for Jwks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwks")
            .field("fetched", &self.fetch.is_some())
            .field("ttl", &self.ttl)
            .field("refetch_interval", &self.refetch_interval)
            .field("failure_backoff", &self.failure_backoff)
            .field("max_stale", &self.max_stale)
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
