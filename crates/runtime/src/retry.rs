//! Layer 4 of the runtime: how often and how long to wait before sending a request again
//! ([`RetryPolicy`]). Whether it may be sent again at all is [`crate::classify`]'s to say.
//!
//! - A 429 waits for `X-Retry-In` (milliseconds) or `Retry-After` (seconds or an HTTP date)
//!   when that wait is within [`RetryPolicy::max_retry_after`]; a longer one goes back to the
//!   caller.
//! - Other retries wait for what the server asked, within the same cap, or back off
//!   exponentially with full jitter.
//! - Attempts and total time are bounded.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::HeaderMap;

use crate::classify::RetryAction;

/// How a client retries. On by default ([`RetryPolicy::default`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// The base of the exponential backoff.
    pub initial_backoff: Duration,
    /// The largest backoff between two attempts.
    pub max_backoff: Duration,
    /// The longest `X-Retry-In` / `Retry-After` the client waits for; a 429 that asks for more
    /// is returned to the caller.
    pub max_retry_after: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub max_elapsed: Duration,
    /// Request headers whose presence makes a POST (or PATCH) safe to send twice.
    pub idempotency_headers: Vec<&'static str>,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 200 ms up to 5 s, a `Retry-After` of at most 30 s, 60 s in all;
    /// `Idempotency-Key` and `X-Idempotency-Key` mark a request as safe to repeat.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(60),
            idempotency_headers: vec!["idempotency-key", "x-idempotency-key"],
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether a request may be sent twice without harm.
    pub(crate) fn is_repeatable(&self, method: &Method, headers: &HeaderMap) -> bool {
        let idempotent = matches!(
            *method,
            Method::GET
                | Method::HEAD
                | Method::PUT
                | Method::DELETE
                | Method::OPTIONS
                | Method::TRACE
        );
        // A request's header names are lower case already: each is compared with the
        // policy's names as they are written, without parsing those on every call.
        idempotent
            || headers.keys().any(|name| {
                self.idempotency_headers
                    .iter()
                    .any(|h| name.as_str().eq_ignore_ascii_case(h))
            })
    }

    /// How long to wait before attempt `attempt + 1`, where [`classify`](crate::classify)
    /// says it may be made: the wait the server asked for if the policy allows it, a backoff
    /// where it asked for none (or a 5xx asked for too long), `None` to stop (a 429 that asks
    /// for more than `max_retry_after` goes back to the caller).
    pub(crate) fn wait(&self, action: RetryAction, attempt: u32) -> Option<Duration> {
        match action {
            RetryAction::Stop => None,
            RetryAction::Retry {
                asked: Some(wait), ..
            } if wait <= self.max_retry_after => Some(wait),
            RetryAction::Retry {
                asked: Some(_),
                rate_limited: true,
            } => None,
            RetryAction::Retry { .. } => Some(self.backoff(attempt)),
        }
    }

    /// Full-jitter exponential backoff: a random wait up to `initial * 2^(attempt-1)`, capped.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let cap = exp.min(self.max_backoff);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("header"));
        }
        h
    }

    #[test]
    fn the_policy_waits_as_asked_within_its_cap_and_otherwise_backs_off() {
        let p = RetryPolicy::default();
        let asked = |secs, rate_limited| RetryAction::Retry {
            asked: Some(Duration::from_secs(secs)),
            rate_limited,
        };
        assert_eq!(p.wait(RetryAction::Stop, 1), None);
        assert_eq!(p.wait(asked(7, true), 1), Some(Duration::from_secs(7)));
        // A 429 asking for more than the cap goes back to the caller; a 503, backs off.
        assert_eq!(p.wait(asked(3600, true), 1), None);
        let backoff = p.wait(asked(3600, false), 1).expect("a backoff");
        assert!(backoff <= p.initial_backoff);
        let none = RetryAction::Retry {
            asked: None,
            rate_limited: true,
        };
        assert!(p.wait(none, 2).expect("a backoff") <= 2 * p.initial_backoff);
        let none = HeaderMap::new();
        assert!(p.is_repeatable(&Method::GET, &none));
        assert!(!p.is_repeatable(&Method::POST, &none));
        assert!(p.is_repeatable(&Method::POST, &headers(&[("x-idempotency-key", "k")])));
        // A policy's names match whatever their case, and no other header does.
        let mixed = RetryPolicy {
            idempotency_headers: vec!["X-Request-Key"],
            ..RetryPolicy::default()
        };
        let keyed = headers(&[("content-type", "application/json"), ("x-request-key", "k")]);
        assert!(mixed.is_repeatable(&Method::POST, &keyed));
        assert!(!p.is_repeatable(&Method::POST, &keyed));
        assert!(!mixed.is_repeatable(&Method::PATCH, &headers(&[("x-request", "k")])));
    }

    #[test]
    fn backoff_grows_within_its_cap() {
        let p = RetryPolicy::default();
        for attempt in 1..10 {
            let cap = (p.initial_backoff * (1 << (attempt - 1))).min(p.max_backoff);
            for _ in 0..50 {
                assert!(p.backoff(attempt) <= cap);
            }
        }
        let spread: std::collections::BTreeSet<_> = (0..50).map(|_| p.backoff(3)).collect();
        assert!(spread.len() > 10, "jitter spreads waits");
    }
}
