//! When and how long to wait before sending a request again.
//!
//! - 429 is retried after `X-Retry-In` (milliseconds) or `Retry-After` (seconds or an HTTP
//!   date), when that wait is within [`RetryPolicy::max_retry_after`].
//! - 408, 502, 503, 504 and transport errors are retried only where a second copy cannot do
//!   harm: an idempotent method, or a request carrying an idempotency key.
//! - Waits grow exponentially with full jitter, within a bound on attempts and total time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

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
        idempotent
            || self
                .idempotency_headers
                .iter()
                .any(|h| headers.contains_key(*h))
    }

    /// How long to wait before attempt `attempt + 1` after a response, or `None` not to retry.
    pub(crate) fn after_response(
        &self,
        attempt: u32,
        status: StatusCode,
        headers: &HeaderMap,
        repeatable: bool,
        now: SystemTime,
    ) -> Option<Duration> {
        match status.as_u16() {
            429 => match retry_after(headers, now) {
                Some(wait) if wait <= self.max_retry_after => Some(wait),
                Some(_) => None,
                None => Some(self.backoff(attempt)),
            },
            408 | 502 | 503 | 504 if repeatable => {
                // A 503 may say when to come back too.
                Some(
                    retry_after(headers, now)
                        .filter(|w| *w <= self.max_retry_after)
                        .unwrap_or_else(|| self.backoff(attempt)),
                )
            }
            _ => None,
        }
    }

    /// Full-jitter exponential backoff: a random wait up to `initial * 2^(attempt-1)`, capped.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let cap = exp.min(self.max_backoff);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(if nanos == 0 {
            0
        } else {
            random() % (nanos + 1)
        })
    }
}

/// The wait a response asks for: `X-Retry-In` (milliseconds, Moov) or `Retry-After`
/// (seconds, or an IMF-fixdate HTTP date).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("x-retry-in").and_then(|v| v.parse::<u64>().ok()) {
        return Some(Duration::from_millis(ms));
    }
    let value = text("retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(text: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let day: u64 = day.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as u64
        + 1;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<u64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *s > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, mo) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * mo as i64 + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + (*h * 3600 + *m * 60 + *s) as i64;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

/// A cheap, non-cryptographic random number for jitter.
fn random() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    // splitmix64
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
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
    fn retry_after_reads_milliseconds_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            retry_after(&headers(&[("x-retry-in", "250")]), now),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")]), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:40 GMT")]),
                now
            ),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]),
                now
            ),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn http_dates_match_known_instants() {
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(UNIX_EPOCH));
        assert_eq!(
            http_date("Sat, 21 Nov 2026 20:24:27 GMT"),
            Some(UNIX_EPOCH + Duration::from_secs(1_795_292_667))
        );
        assert_eq!(http_date("Sat, 21 Nov 2026 20:24:27 UTC"), None);
        assert_eq!(http_date("Sat, 32 Nov 2026 20:24:27 GMT"), None);
    }

    #[test]
    fn only_repeatable_requests_retry_server_errors() {
        let p = RetryPolicy::default();
        let now = SystemTime::now();
        let none = HeaderMap::new();
        assert!(
            p.after_response(1, StatusCode::SERVICE_UNAVAILABLE, &none, true, now)
                .is_some()
        );
        assert!(
            p.after_response(1, StatusCode::SERVICE_UNAVAILABLE, &none, false, now)
                .is_none()
        );
        assert!(
            p.after_response(1, StatusCode::TOO_MANY_REQUESTS, &none, false, now)
                .is_some()
        );
        assert!(
            p.after_response(1, StatusCode::INTERNAL_SERVER_ERROR, &none, true, now)
                .is_none()
        );
        assert!(
            p.after_response(1, StatusCode::BAD_REQUEST, &none, true, now)
                .is_none()
        );
        let far = headers(&[("retry-after", "3600")]);
        assert!(
            p.after_response(1, StatusCode::TOO_MANY_REQUESTS, &far, true, now)
                .is_none()
        );
        assert!(p.is_repeatable(&Method::GET, &none));
        assert!(!p.is_repeatable(&Method::POST, &none));
        assert!(p.is_repeatable(&Method::POST, &headers(&[("x-idempotency-key", "k")])));
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
