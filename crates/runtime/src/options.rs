//! Per-call options: one call (or a few) with another timeout, retry policy, deadline, extra
//! headers or idempotency key, on the same client (its connections, credentials and token
//! source), without building a second one: `client.with(CallOptions::new().timeout(..))`.

use std::sync::Arc;
use std::time::Duration;

use crate::retry::RetryPolicy;

/// Options for the calls made through a client returned by a generated `Client::with`. What
/// is not set is the client's own.
///
/// ```
/// use std::time::Duration;
/// use finapi_runtime::{CallOptions, RetryPolicy};
///
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(60)) // one attempt
///     .deadline(Duration::from_secs(120)) // the whole call, retries and waits included
///     .retry_policy(RetryPolicy::none())
///     .header("x-trace-id", "checkout-42")
///     .idempotency_key("order-7f3a");
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) idempotency_key: Option<String>,
}

impl CallOptions {
    /// No option set: the client's own behaviour.
    pub fn new() -> Self {
        Self::default()
    }

    /// The longest one attempt may take (sending the request and reading its whole response).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest the whole call may take, from its start: attempts, waits, token requests
    /// (the policy's [`RetryPolicy::max_elapsed`] otherwise).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How the call retries ([`RetryPolicy::none`]: not at all).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A header sent on the request, beside those the call sets (it replaces one of the same
    /// name). A name or value HTTP does not allow fails the call with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest), which names the header only.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The idempotency key of an operation whose spec declares an idempotency header (the
    /// client otherwise generates one per call). The same key goes with every attempt of the
    /// call, so that a retried request is the one request to the provider.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Shared by the runtime of a client made with these options.
    pub(crate) fn shared(self) -> Arc<Self> {
        Arc::new(self)
    }
}

/// A fresh idempotency key: 128 random bits as 32 hexadecimal digits (unique, not secret).
pub(crate) fn new_idempotency_key() -> String {
    let mut rng = fastrand::Rng::new();
    format!("{:016x}{:016x}", rng.u64(..), rng.u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_and_distinct() {
        let a = new_idempotency_key();
        let b = new_idempotency_key();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
