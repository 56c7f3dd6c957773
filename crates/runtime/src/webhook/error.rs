//! What can go wrong verifying or decoding a webhook delivery: [`WebhookError`]. No variant
//! holds a secret, a signature, a header value or the body; the kid of an unknown key (public
//! by design) is the only value of a delivery an error keeps.

use std::fmt;
use std::time::Duration;

use crate::decode_error::DecodeFailure;

// Invariant (secrets never print): no variant carries a secret, a header value or the body.
/// Why a webhook delivery was refused. Answer the provider with [`WebhookError::status`]:
/// 400 or 401 for a delivery that must not be processed, 200 for a replay of one already
/// processed (the provider then stops retrying it), 503 where the check itself failed
/// (the provider retries later).
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is absent.
    MissingHeader {
        /// The header's name.
        name: String,
    },
    /// A header the scheme reads (signature, signed value, timestamp, credentials, replay
    /// key) appears more than once: ambiguous, so refused whatever its values.
    RepeatedHeader {
        /// The header's name.
        name: String,
    },
    /// A header is present but not what the scheme expects (not text, not a timestamp, not a
    /// JWT, not the encoding the signature uses).
    InvalidHeader {
        /// The header's name.
        name: String,
        /// What it should have been.
        expected: &'static str,
    },
    /// The signature does not match: the delivery was not signed with this secret or key,
    /// or a signed header was changed.
    BadSignature,
    /// The JWT names an algorithm the scheme does not accept.
    UnsupportedAlgorithm,
    /// The signing time is outside the tolerance: by `skew`, in the past or the future.
    StaleTimestamp {
        /// How far outside now the signing time is.
        skew: Duration,
        /// Whether it lies in the future.
        future: bool,
    },
    /// This delivery (its nonce or idempotency key) has been processed already (or is being
    /// processed by another handler): answer 2xx without processing it again.
    Replayed {
        /// Another handler holds it and has not committed yet (answer 409 or 503 so the
        /// provider retries; if that handler fails, the retry gets through).
        in_flight: bool,
    },
    /// The JWT names a key the provider's key set does not have (after a refetch, or the last
    /// refetch was too recent to ask again).
    UnknownKey {
        /// The `kid` the JWT names (public).
        kid: String,
    },
    /// The key set could not be fetched.
    KeyFetch(Box<dyn std::error::Error + Send + Sync>),
    /// The body's SHA-256 differs from the one the signature vouches for.
    BodyHashMismatch,
    /// The inbound credentials (Basic, bearer or custom header values) do not match.
    Unauthorized,
    /// The body is not the event the spec describes (where and why, never the values).
    Malformed(DecodeFailure),
    /// The replay guard failed (the user's store is down): nothing was recorded.
    ReplayStore(Box<dyn std::error::Error + Send + Sync>),
}

impl WebhookError {
    /// The status to answer the provider with: 200 for a replay of a processed delivery,
    /// 409 for one in flight, 503 when the key set or the replay store failed (retry later),
    /// 401 for a bad signature or credentials, 400 for anything else.
    pub fn status(&self) -> u16 {
        match self {
            Self::Replayed { in_flight: false } => 200,
            Self::Replayed { in_flight: true } => 409,
            Self::KeyFetch(_) | Self::ReplayStore(_) => 503,
            Self::BadSignature | Self::Unauthorized | Self::UnknownKey { .. } => 401,
            _ => 400,
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader { name } => write!(f, "webhook: missing header `{name}`"),
            Self::RepeatedHeader { name } => {
                write!(f, "webhook: header `{name}` appears more than once")
            }
            Self::InvalidHeader { name, expected } => {
                write!(f, "webhook: header `{name}` is not {expected}")
            }
            Self::BadSignature => f.write_str("webhook: the signature does not match"),
            Self::UnsupportedAlgorithm => f.write_str("webhook: unsupported signature algorithm"),
            Self::StaleTimestamp { skew, future } => write!(
                f,
                "webhook: signed {}s {} the tolerance allows",
                skew.as_secs(),
                if *future {
                    "further in the future than"
                } else {
                    "earlier than"
                }
            ),
            Self::Replayed { in_flight: false } => {
                f.write_str("webhook: this delivery was processed already")
            }
            Self::Replayed { in_flight: true } => {
                f.write_str("webhook: this delivery is being processed by another handler")
            }
            Self::UnknownKey { kid } => write!(f, "webhook: no signing key with kid `{kid}`"),
            Self::KeyFetch(_) => f.write_str("webhook: the signing keys could not be fetched"),
            Self::BodyHashMismatch => f.write_str("webhook: the body is not the one signed"),
            Self::Unauthorized => f.write_str("webhook: the inbound credentials do not match"),
            Self::Malformed(failure) => write!(f, "webhook: malformed event: {failure}"),
            Self::ReplayStore(_) => f.write_str("webhook: the replay guard's store failed"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::KeyFetch(e) | Self::ReplayStore(e) => Some(e.as_ref()),
            Self::Malformed(failure) => Some(failure),
            _ => None,
        }
    }
}
