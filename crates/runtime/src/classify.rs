//! Layer 2 of the runtime, errors: the one rule of what may be sent again, [`classify`]. The
//! call loop, the token loop and every error's `is_retryable()` ask it, so they cannot
//! disagree; [`crate::RetryPolicy`] (layer 4) only decides how long to wait, and how often.
//!
//! - 429: the server refused the request without acting on it: again, whatever the method.
//! - 408, 502, 503, 504: again only where a second copy cannot do harm (an idempotent method,
//!   or a request with an idempotency key): a gateway may have passed the first on.
//! - No connection: nothing was sent: again, whatever the method.
//! - Any other transport failure (a timeout, a connection lost): again only where repeating
//!   is harmless; the server may have received the request.
//! - Anything else: not again.
//!
//! Imports nothing of the runtime: what a response or a failure is comes in as plain values.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be opened (refused, DNS, TLS handshake): nothing was sent.
    Connect,
    /// An attempt took longer than the request timeout, or the call's deadline passed.
    Timeout,
    /// The response body could not be read (reset or cut short).
    Body,
    /// Anything else: the connection closed before an answer, a response that is not HTTP.
    Other,
}

impl TransportKind {
    /// The kind of a reqwest failure.
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_connect() {
            Self::Connect
        } else if error.is_timeout() {
            Self::Timeout
        } else if error.is_body() || error.is_decode() {
            Self::Body
        } else {
            Self::Other
        }
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome<'a> {
    /// The server answered with this status and these headers.
    Response(StatusCode, &'a HeaderMap),
    /// No answer: a transport failure of this kind.
    Transport(TransportKind),
}

/// Whether an attempt may be made again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryAction {
    /// No: sending it again cannot help, or could do harm.
    Stop,
    /// Yes: after the wait the server asked for, where it asked, else after a backoff.
    Retry {
        /// The wait the server asked for (`X-Retry-In`, `Retry-After`).
        asked: Option<Duration>,
        /// The server refused to serve now (429): a wait longer than the policy allows goes
        /// back to the caller instead of being shortened.
        rate_limited: bool,
    },
}

impl RetryAction {
    /// Whether the attempt may be made again at all.
    pub(crate) fn is_retry(self) -> bool {
        self != Self::Stop
    }
}

/// Whether the attempt that came to `outcome` may be made again; `repeatable`: whether
/// sending its request twice is harmless (an idempotent method or an idempotency key, or a
/// request never sent).
pub(crate) fn classify(outcome: Outcome<'_>, repeatable: bool, now: SystemTime) -> RetryAction {
    match outcome {
        // Invariant (never a retry that can charge twice): only a 429 and a connection never
        // made are retried whatever the method; the rest only where repeating is harmless.
        Outcome::Response(status, headers) => match status.as_u16() {
            429 => RetryAction::Retry {
                asked: retry_after(headers, now),
                rate_limited: true,
            },
            408 | 502 | 503 | 504 if repeatable => RetryAction::Retry {
                asked: retry_after(headers, now),
                rate_limited: false,
            },
            _ => RetryAction::Stop,
        },
        Outcome::Transport(TransportKind::Connect) => RetryAction::Retry {
            asked: None,
            rate_limited: false,
        },
        Outcome::Transport(_) if repeatable => RetryAction::Retry {
            asked: None,
            rate_limited: false,
        },
        Outcome::Transport(_) => RetryAction::Stop,
    }
}

/// The wait a response asks for: `X-Retry-In` (milliseconds, Moov) or `Retry-After`
/// (seconds, or an HTTP date).
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
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("header"));
        }
        h
    }

    fn status(code: u16, repeatable: bool) -> RetryAction {
        let status = StatusCode::from_u16(code).expect("status");
        classify(
            Outcome::Response(status, &HeaderMap::new()),
            repeatable,
            SystemTime::now(),
        )
    }

    #[test]
    fn a_rate_limit_is_retried_whatever_the_method_other_statuses_only_when_repeatable() {
        let backoff = RetryAction::Retry {
            asked: None,
            rate_limited: false,
        };
        for repeatable in [true, false] {
            assert_eq!(
                status(429, repeatable),
                RetryAction::Retry {
                    asked: None,
                    rate_limited: true
                }
            );
        }
        for code in [408, 502, 503, 504] {
            assert_eq!(status(code, true), backoff, "{code}");
            assert_eq!(status(code, false), RetryAction::Stop, "{code}");
        }
        for code in [200, 201, 400, 401, 404, 409, 422, 500, 501] {
            assert_eq!(status(code, true), RetryAction::Stop, "{code}");
        }
    }

    #[test]
    fn a_connection_never_made_is_retried_whatever_the_method() {
        let now = SystemTime::now();
        let connect = Outcome::Transport(TransportKind::Connect);
        assert!(classify(connect, false, now).is_retry());
        for kind in [
            TransportKind::Timeout,
            TransportKind::Body,
            TransportKind::Other,
        ] {
            assert!(classify(Outcome::Transport(kind), true, now).is_retry());
            assert!(!classify(Outcome::Transport(kind), false, now).is_retry());
        }
    }

    #[test]
    fn the_wait_asked_for_is_read_from_milliseconds_seconds_and_dates() {
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
        let asked = classify(
            Outcome::Response(
                StatusCode::SERVICE_UNAVAILABLE,
                &headers(&[("retry-after", "2")]),
            ),
            true,
            now,
        );
        assert_eq!(
            asked,
            RetryAction::Retry {
                asked: Some(Duration::from_secs(2)),
                rate_limited: false
            }
        );
    }
}
