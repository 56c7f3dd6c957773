//! Webhook deliveries verified and decoded (feature `webhooks`): one [`Verifier`] per
//! provider, built from the scheme generated crates hold as data (`webhooks::SCHEME`), with
//! the user's secret, key set or inbound credentials.
//!
//! A delivery is checked in this order: signature or credentials (constant time), signing
//! time within the tolerance, body decoded into the envelope and the event, then the replay
//! guard. The guard reserves the delivery's key; [`Delivery::commit`] records it after the
//! handler succeeds, and a handler that fails (drops the delivery) leaves the key free, so
//! the provider's retry is not lost.

mod error;
mod event;
mod hmac;
mod inbound;
mod jwks;
mod jwt;
mod replay;
pub mod testing;

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderMap;
use serde::de::DeserializeOwned;

pub use self::error::WebhookError;
pub use self::event::{Delivery, Events, NoEnvelope, event_type, payload};
pub use self::hmac::{
    HmacAlgorithm, HmacScheme, SignatureEncoding, TimestampFormat, TimestampHeader,
};
pub use self::inbound::InboundAuth;
pub use self::jwks::{FetchKeys, Jwks};
pub use self::jwt::JwtScheme;
use self::replay::Receipt;
pub use self::replay::{GuardFuture, MemoryReplayGuard, ReplayGuard, Seen, StoreError};
use crate::secret::Secret;

/// Where a delivery's replay key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayKey {
    /// A header (Moov's `X-Nonce`).
    Header(&'static str),
    /// A top-level string field of the body (MoneyKit's `webhook_idempotency_key`, which a
    /// retry keeps): only for schemes that sign the body.
    BodyField(&'static str),
}

/// How a delivery proves where it comes from.
#[derive(Debug)]
enum Check {
    Hmac(HmacScheme, Secret),
    Jwt(JwtScheme, Arc<Jwks>),
    Inbound(InboundAuth),
}

/// Verifies and decodes one provider's deliveries into `Delivery<Env, Ev>`.
pub struct Verifier<Env, Ev> {
    check: Check,
    max_age: Option<Duration>,
    leeway: Duration,
    replay: Option<(ReplayKey, Arc<dyn ReplayGuard>)>,
    exposed: &'static [&'static str],
    events: PhantomData<fn() -> (Env, Ev)>,
}

impl<Env, Ev> Verifier<Env, Ev> {
    /// How long a replay key is kept where no maximum age bounds a delivery's replays.
    pub const DEFAULT_KEEP: Duration = Duration::from_secs(72 * 3600);
    /// The default leeway for clocks: a signing time at most this far in the future (and a
    /// JWT at most this far past its `exp`) passes. It never extends [`Verifier::max_age`].
    pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(300);

    /// Deliveries signed with an HMAC of header values. No maximum age until
    /// [`Verifier::max_age`] sets one; no replay guard until [`Verifier::replay_guard`].
    pub fn hmac(scheme: HmacScheme, secret: impl Into<Secret>) -> Self {
        Self::with(Check::Hmac(scheme, secret.into()))
    }

    /// Deliveries signed with a JWT over the body's hash, by a key of `keys`.
    pub fn jwt(scheme: JwtScheme, keys: Jwks) -> Self {
        Self::with(Check::Jwt(scheme, Arc::new(keys)))
    }

    /// Deliveries that carry the inbound credentials the integrator configured.
    pub fn inbound(auth: InboundAuth) -> Self {
        Self::with(Check::Inbound(auth))
    }

    fn with(check: Check) -> Self {
        Self {
            check,
            max_age: None,
            leeway: Self::DEFAULT_LEEWAY,
            replay: None,
            exposed: &[],
            events: PhantomData,
        }
    }

    /// Refuses deliveries signed longer ago than `max_age`, exactly: the leeway does not
    /// extend it. A delivery passes when its signing time (an HMAC scheme's timestamp
    /// header, a JWT's `iat`, or its `nbf` if later) lies within `[now - max_age, now +
    /// leeway]`. A stolen, validly signed delivery can be replayed for `max_age` to a process
    /// that lacks its key; set it only as long as the provider's retries last, or a retry
    /// that keeps its first signature is lost.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Accepts deliveries of any age (the default).
    pub fn no_max_age(mut self) -> Self {
        self.max_age = None;
        self
    }

    /// Sets the clock leeway (default [`Verifier::DEFAULT_LEEWAY`], 5 minutes), for a
    /// provider whose clock runs ahead of this one: how far in the future a signing time may
    /// lie, and how long past its `exp` a JWT still passes. It never extends `max_age`;
    /// `Duration::ZERO` makes every bound exact.
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Refuses a second delivery with the same key (see [`Delivery::commit`]) recorded in
    /// `guard`; keys are kept as long as `max_age` (or [`Verifier::DEFAULT_KEEP`]).
    pub fn replay_guard(mut self, key: ReplayKey, guard: Arc<dyn ReplayGuard>) -> Self {
        self.replay = Some((key, guard));
        self
    }

    /// Turns replay protection off.
    pub fn no_replay_guard(mut self) -> Self {
        self.replay = None;
        self
    }

    /// Delivery headers to keep on the [`Delivery`] (read with [`Delivery::header`]).
    pub fn expose_headers(mut self, names: &'static [&'static str]) -> Self {
        self.exposed = names;
        self
    }

    /// The key set of a JWT verifier (to read [`Jwks::fetches`]).
    pub fn keys(&self) -> Option<&Jwks> {
        match &self.check {
            Check::Jwt(_, keys) => Some(keys),
            _ => None,
        }
    }
}

impl<Env: DeserializeOwned, Ev: Events> Verifier<Env, Ev> {
    /// Verifies a delivery from its headers and raw body (exactly the bytes received: parse
    /// nothing before), then decodes it. The delivery is not recorded as processed until
    /// [`Delivery::commit`].
    pub async fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Delivery<Env, Ev>, WebhookError> {
        let now = SystemTime::now();
        let (signed_at, expires_at) = match &self.check {
            Check::Hmac(scheme, secret) => {
                scheme.verify(secret, headers, body)?;
                (scheme.signed_at(headers)?, None)
            }
            Check::Jwt(scheme, keys) => {
                let times = scheme.verify(keys, headers, body).await?;
                let not_before = times.not_before.filter(|nbf| Some(*nbf) > times.issued_at);
                (times.issued_at.max(not_before), times.expires_at)
            }
            Check::Inbound(auth) => {
                auth.verify(headers)?;
                (None, None)
            }
        };
        if let Some(at) = signed_at {
            match at.duration_since(now) {
                Ok(ahead) if ahead > self.leeway => {
                    return Err(WebhookError::StaleTimestamp {
                        skew: ahead,
                        future: true,
                    });
                }
                Ok(_) => {}
                Err(behind) => {
                    let age = behind.duration();
                    // `max_age` is exact: the leeway is for clocks that run ahead, not age.
                    if self.max_age.is_some_and(|max| age > max) {
                        return Err(WebhookError::StaleTimestamp {
                            skew: age,
                            future: false,
                        });
                    }
                }
            }
        }
        if let Some(Err(past)) = expires_at.map(|exp| (exp + self.leeway).duration_since(now)) {
            return Err(WebhookError::StaleTimestamp {
                skew: past.duration(),
                future: false,
            });
        }
        let envelope = payload::<Env>(body, None).map_err(WebhookError::Malformed)?;
        let event = Ev::decode(body).map_err(WebhookError::Malformed)?;
        let receipt = match &self.replay {
            None => Receipt::none(),
            Some((key, guard)) => {
                let key = match key {
                    ReplayKey::Header(name) => header(headers, name)?.to_owned(),
                    ReplayKey::BodyField(field) => {
                        event_type(body, field).map_err(WebhookError::Malformed)?
                    }
                };
                let keep = self.max_age.unwrap_or(Self::DEFAULT_KEEP) + self.leeway;
                Receipt::begin(guard, key, keep).await?
            }
        };
        let headers = self
            .exposed
            .iter()
            .filter_map(|name| Some((*name, headers.get(*name)?.to_str().ok()?.to_owned())))
            .collect();
        Ok(Delivery {
            envelope,
            event,
            headers,
            receipt,
        })
    }
}

impl<Env, Ev> std::fmt::Debug for Verifier<Env, Ev> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("check", &self.check)
            .field("max_age", &self.max_age)
            .field("leeway", &self.leeway)
            .field("replay", &self.replay.as_ref().map(|(key, _)| key))
            .finish_non_exhaustive()
    }
}

/// A header's one value, as text. A header that appears more than once is refused: which of
/// its values a check reads must not decide whether a delivery passes.
fn header<'h>(headers: &'h HeaderMap, name: &str) -> Result<&'h str, WebhookError> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or_else(|| WebhookError::MissingHeader {
        name: name.to_owned(),
    })?;
    if values.next().is_some() {
        return Err(WebhookError::RepeatedHeader {
            name: name.to_owned(),
        });
    }
    value.to_str().map_err(|_| WebhookError::InvalidHeader {
        name: name.to_owned(),
        expected: "visible ASCII",
    })
}

#[cfg(test)]
mod tests;
