//! Replay protection that loses no event: a delivery's key (its nonce, or its idempotency
//! key) is reserved while the handler runs and recorded only when the handler commits; a
//! handler that fails releases it, so the provider's retry gets through.
//! [`MemoryReplayGuard`] is the bounded in-process default; [`ReplayGuard`] is the trait a
//! shared store (Redis, a database) implements.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::WebhookError;

/// A boxed future of a [`ReplayGuard`] method.
pub type GuardFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The error a user's replay store reports.
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// What [`ReplayGuard::begin`] found for a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Never seen (or released): the key is now reserved for this delivery.
    New,
    /// Committed before: the delivery was processed.
    Committed,
    /// Reserved by a handler that has not finished.
    InFlight,
}

/// Where a verifier records the deliveries it has let through.
///
/// A store shared between processes makes replay protection hold across them; a store that
/// has no notion of "in flight" may answer `begin` with `New` or `Committed` only, and do
/// nothing in `release`.
pub trait ReplayGuard: Send + Sync + 'static {
    /// Reserves `key` if it is new; it needs keeping until `until` at least.
    fn begin<'a>(
        &'a self,
        key: &'a str,
        until: SystemTime,
    ) -> GuardFuture<'a, Result<Seen, StoreError>>;
    /// Records `key` as processed, until `until`.
    fn commit<'a>(
        &'a self,
        key: &'a str,
        until: SystemTime,
    ) -> GuardFuture<'a, Result<(), StoreError>>;
    /// Frees a reservation whose handler did not commit (called from `Drop`: must not block).
    fn release(&self, key: &str);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    InFlight,
    Committed,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, (State, SystemTime)>,
    by_expiry: BTreeSet<(SystemTime, String)>,
}

impl Entries {
    fn remove(&mut self, key: &str) {
        if let Some((_, until)) = self.by_key.remove(key) {
            self.by_expiry.remove(&(until, key.to_owned()));
        }
    }

    fn insert(&mut self, key: &str, state: State, until: SystemTime) {
        self.remove(key);
        self.by_key.insert(key.to_owned(), (state, until));
        self.by_expiry.insert((until, key.to_owned()));
    }

    fn expire(&mut self, now: SystemTime) {
        while let Some((until, key)) = self.by_expiry.first().cloned() {
            if until > now {
                break;
            }
            self.remove(&key);
        }
    }
}

/// The default replay guard: keys in memory, each kept until the tolerance would refuse its
/// delivery anyway, at most `capacity` of them (past that the one that expires first is
/// forgotten). Holds in one process only: behind several, give the verifier a shared store.
pub struct MemoryReplayGuard {
    entries: Mutex<Entries>,
    capacity: usize,
}

impl MemoryReplayGuard {
    /// The default capacity: 100,000 keys (a few MB).
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A guard that remembers at most `capacity` keys.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(Entries::default()),
            capacity: capacity.max(1),
        }
    }

    /// How many keys it holds now (reserved or committed).
    pub fn len(&self) -> usize {
        self.lock().by_key.len()
    }

    /// Whether it holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves consistent maps: every change is one call.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for MemoryReplayGuard {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl ReplayGuard for MemoryReplayGuard {
    fn begin<'a>(
        &'a self,
        key: &'a str,
        until: SystemTime,
    ) -> GuardFuture<'a, Result<Seen, StoreError>> {
        let mut entries = self.lock();
        entries.expire(SystemTime::now());
        let seen = match entries.by_key.get(key) {
            Some((State::Committed, _)) => Seen::Committed,
            Some((State::InFlight, _)) => Seen::InFlight,
            None => {
                while entries.by_key.len() >= self.capacity {
                    let Some((_, oldest)) = entries.by_expiry.first().cloned() else {
                        break;
                    };
                    entries.remove(&oldest);
                }
                entries.insert(key, State::InFlight, until);
                Seen::New
            }
        };
        Box::pin(std::future::ready(Ok(seen)))
    }

    fn commit<'a>(
        &'a self,
        key: &'a str,
        until: SystemTime,
    ) -> GuardFuture<'a, Result<(), StoreError>> {
        self.lock().insert(key, State::Committed, until);
        Box::pin(std::future::ready(Ok(())))
    }

    fn release(&self, key: &str) {
        let mut entries = self.lock();
        if matches!(entries.by_key.get(key), Some((State::InFlight, _))) {
            entries.remove(key);
        }
    }
}

/// The proof that a delivery passed the replay guard: [`Receipt::commit`] records it;
/// dropping it uncommitted releases the reservation.
pub(super) struct Receipt(Option<(Arc<dyn ReplayGuard>, String, SystemTime)>);

impl Receipt {
    /// A receipt with nothing to record (the verifier has no replay guard).
    pub(super) fn none() -> Self {
        Self(None)
    }

    /// Reserves `key` in `guard`.
    pub(super) async fn begin(
        guard: &Arc<dyn ReplayGuard>,
        key: String,
        keep: Duration,
    ) -> Result<Self, WebhookError> {
        let until = SystemTime::now() + keep;
        match guard
            .begin(&key, until)
            .await
            .map_err(WebhookError::ReplayStore)?
        {
            Seen::New => Ok(Self(Some((Arc::clone(guard), key, until)))),
            Seen::Committed => Err(WebhookError::Replayed { in_flight: false }),
            Seen::InFlight => Err(WebhookError::Replayed { in_flight: true }),
        }
    }

    pub(super) async fn commit(mut self) -> Result<(), WebhookError> {
        if let Some((guard, key, until)) = self.0.take() {
            let result = guard.commit(&key, until).await;
            if result.is_err() {
                guard.release(&key);
            }
            result.map_err(WebhookError::ReplayStore)?;
        }
        Ok(())
    }
}

// Invariant (no event is lost to a guard): an uncommitted reservation is released, so the
// provider's retry of a delivery whose handler failed passes.
impl Drop for Receipt {
    fn drop(&mut self) {
        if let Some((guard, key, _)) = self.0.take() {
            guard.release(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn guard(capacity: usize) -> Arc<dyn ReplayGuard> {
        Arc::new(MemoryReplayGuard::new(capacity))
    }

    async fn begin(guard: &Arc<dyn ReplayGuard>, key: &str) -> Result<Receipt, WebhookError> {
        Receipt::begin(guard, key.to_owned(), HOUR).await
    }

    #[tokio::test]
    async fn a_committed_key_is_a_replay_and_an_uncommitted_one_is_free_again() {
        let g = guard(10);
        let first = begin(&g, "n1").await.unwrap();
        assert!(matches!(
            begin(&g, "n1").await,
            Err(WebhookError::Replayed { in_flight: true })
        ));
        drop(first);
        let retry = begin(&g, "n1").await.unwrap();
        retry.commit().await.unwrap();
        assert!(matches!(
            begin(&g, "n1").await,
            Err(WebhookError::Replayed { in_flight: false })
        ));
        assert!(begin(&g, "n2").await.is_ok());
    }

    #[tokio::test]
    async fn the_guard_is_bounded_and_forgets_what_expires_first() {
        let g = MemoryReplayGuard::new(2);
        let far = SystemTime::now() + HOUR;
        for (i, key) in ["a", "b", "c"].into_iter().enumerate() {
            assert_eq!(
                g.begin(key, far + Duration::from_secs(i as u64))
                    .await
                    .unwrap(),
                Seen::New
            );
            g.commit(key, far + Duration::from_secs(i as u64))
                .await
                .unwrap();
        }
        assert_eq!(g.len(), 2);
        assert_eq!(g.begin("a", far).await.unwrap(), Seen::New);
        assert_eq!(g.begin("c", far).await.unwrap(), Seen::Committed);
    }

    #[tokio::test]
    async fn expired_keys_are_dropped() {
        let g = MemoryReplayGuard::new(10);
        let past = SystemTime::now() - Duration::from_secs(1);
        g.commit("old", past).await.unwrap();
        assert_eq!(
            g.begin("old", SystemTime::now() + HOUR).await.unwrap(),
            Seen::New
        );
    }
}
