//! The runtime's bounds that generated READMEs and docs state (key sets, replay guard, empty
//! pages, retries, timeouts, waiters), in one place: the generator
//! does not link `finapi-runtime`, so each is restated here, and a test (which does link it)
//! ties every one to the runtime's own constant. A change in the runtime that is not made
//! here fails that test instead of leaving a README wrong.

use std::time::Duration;

/// `Jwks::DEFAULT_TTL`: how long fetched signing keys are used.
pub(crate) const JWKS_TTL: Duration = Duration::from_secs(12 * 3600);
/// `Jwks::DEFAULT_REFETCH_INTERVAL`: the least time between fetches for unknown `kid`s.
pub(crate) const JWKS_REFETCH_INTERVAL: Duration = Duration::from_secs(300);
/// `Jwks::DEFAULT_FAILURE_BACKOFF`: how long a failed key fetch is remembered.
pub(crate) const JWKS_FAILURE_BACKOFF: Duration = Duration::from_secs(10);
/// `Jwks::DEFAULT_MAX_STALE`: how long past their TTL keys verify while refreshes fail.
pub(crate) const JWKS_MAX_STALE: Duration = Duration::from_secs(12 * 3600);
/// `Verifier::DEFAULT_LEEWAY`: how far ahead a signing time may lie.
pub(crate) const WEBHOOK_LEEWAY: Duration = Duration::from_secs(300);
/// `MemoryReplayGuard::DEFAULT_CAPACITY`: keys the in-memory replay guard holds.
pub(crate) const REPLAY_GUARD_CAPACITY: usize = 100_000;
/// `pagination::DEFAULT_MAX_EMPTY_PAGES`: empty pages in a row a stream asks for.
pub(crate) const MAX_EMPTY_PAGES: u32 = 50;
/// `RetryPolicy::default().max_attempts`.
pub(crate) const RETRY_ATTEMPTS: u32 = 3;
/// `RetryPolicy::default().initial_backoff`.
pub(crate) const RETRY_INITIAL_BACKOFF: Duration = Duration::from_millis(200);
/// `RetryPolicy::default().max_backoff`.
pub(crate) const RETRY_MAX_BACKOFF: Duration = Duration::from_secs(5);
/// `RetryPolicy::default().max_retry_after`.
pub(crate) const RETRY_MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// `RetryPolicy::default().max_elapsed`.
pub(crate) const RETRY_MAX_ELAPSED: Duration = Duration::from_secs(60);
/// `DEFAULT_TIMEOUT`: one attempt.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// `DEFAULT_CONNECT_TIMEOUT`.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// `RetryPolicy::default().idempotency_headers`: a request carrying one is repeatable; an
/// operation whose spec declares one gets a key per call.
pub(crate) const IDEMPOTENCY_HEADERS: [&str; 2] = ["idempotency-key", "x-idempotency-key"];

/// `waiter::DEFAULT_MAX_WAIT`: how long a waiter waits unless told otherwise.
pub(crate) const WAITER_MAX_WAIT: Duration = Duration::from_secs(300);
/// `waiter::DEFAULT_MIN_DELAY`: a waiter's first pause.
pub(crate) const WAITER_MIN_DELAY: Duration = Duration::from_secs(2);
/// `waiter::DEFAULT_MAX_DELAY`: a waiter's longest pause.
pub(crate) const WAITER_MAX_DELAY: Duration = Duration::from_secs(30);

/// A duration as prose writes it: `12 hours`, `5 minutes`, `10 s`, `200 ms`.
pub(crate) fn prose(d: Duration) -> String {
    let secs = d.as_secs();
    if d.subsec_nanos() != 0 || secs == 0 {
        return format!("{} ms", d.as_millis());
    }
    match secs {
        s if s % 3600 == 0 => plural(s / 3600, "hour"),
        s if s % 60 == 0 && s >= 120 => plural(s / 60, "minute"),
        s => format!("{s} s"),
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A count as prose writes it: `100,000`.
pub(crate) fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use finapi_runtime::webhook::{Jwks, MemoryReplayGuard, NoEnvelope, Verifier};

    type AnyVerifier = Verifier<NoEnvelope, NoEnvelope>;

    #[test]
    fn every_bound_is_the_runtimes() {
        assert_eq!(JWKS_TTL, Jwks::DEFAULT_TTL);
        assert_eq!(JWKS_REFETCH_INTERVAL, Jwks::DEFAULT_REFETCH_INTERVAL);
        assert_eq!(JWKS_FAILURE_BACKOFF, Jwks::DEFAULT_FAILURE_BACKOFF);
        assert_eq!(JWKS_MAX_STALE, Jwks::DEFAULT_MAX_STALE);
        assert_eq!(WEBHOOK_LEEWAY, AnyVerifier::DEFAULT_LEEWAY);
        assert_eq!(REPLAY_GUARD_CAPACITY, MemoryReplayGuard::DEFAULT_CAPACITY);
        assert_eq!(
            MAX_EMPTY_PAGES,
            finapi_runtime::pagination::DEFAULT_MAX_EMPTY_PAGES
        );
        let policy = finapi_runtime::RetryPolicy::default();
        assert_eq!(RETRY_ATTEMPTS, policy.max_attempts);
        assert_eq!(RETRY_INITIAL_BACKOFF, policy.initial_backoff);
        assert_eq!(RETRY_MAX_BACKOFF, policy.max_backoff);
        assert_eq!(RETRY_MAX_RETRY_AFTER, policy.max_retry_after);
        assert_eq!(RETRY_MAX_ELAPSED, policy.max_elapsed);
        assert_eq!(REQUEST_TIMEOUT, finapi_runtime::DEFAULT_TIMEOUT);
        assert_eq!(WAITER_MAX_WAIT, finapi_runtime::waiter::DEFAULT_MAX_WAIT);
        assert_eq!(WAITER_MIN_DELAY, finapi_runtime::waiter::DEFAULT_MIN_DELAY);
        assert_eq!(WAITER_MAX_DELAY, finapi_runtime::waiter::DEFAULT_MAX_DELAY);
        assert_eq!(CONNECT_TIMEOUT, finapi_runtime::DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(IDEMPOTENCY_HEADERS.to_vec(), policy.idempotency_headers);
    }

    #[test]
    fn bounds_read_as_prose() {
        assert_eq!(prose(JWKS_TTL), "12 hours");
        assert_eq!(prose(JWKS_REFETCH_INTERVAL), "5 minutes");
        assert_eq!(prose(JWKS_FAILURE_BACKOFF), "10 s");
        assert_eq!(prose(RETRY_MAX_ELAPSED), "60 s");
        assert_eq!(prose(RETRY_INITIAL_BACKOFF), "200 ms");
        assert_eq!(prose(Duration::from_secs(3600)), "1 hour");
        assert_eq!(count(REPLAY_GUARD_CAPACITY), "100,000");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
    }
}
