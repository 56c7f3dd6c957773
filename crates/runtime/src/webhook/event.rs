//! Typed events from a verified body: the [`Events`] trait generated event enums implement,
//! the helpers their `decode` calls ([`event_type`], [`payload`]), and [`Delivery`], what
//! `verify` returns. Decoding keeps serde's path and never a value of the body.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::WebhookError;
use super::replay::Receipt;
use crate::decode_error::DecodeFailure;

/// The events of one provider, decoded from a verified body. Generated crates implement it
/// for their `webhooks::Event`: a variant per event the spec declares and `Unknown` for any
/// other type, so that an event a provider adds is delivered, never an error.
pub trait Events: Sized {
    /// Decodes a body. Fails only where a declared event does not match its schema.
    fn decode(body: &[u8]) -> Result<Self, DecodeFailure>;
}

/// The envelope of a provider that has none (every field is the event's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoEnvelope;

impl<'de> serde::Deserialize<'de> for NoEnvelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer)?;
        Ok(Self)
    }
}

/// The string at `field` of a JSON object body: the event's type.
pub fn event_type(body: &[u8], field: &str) -> Result<String, DecodeFailure> {
    payload(body, Some(field))
}

/// The value at `field` of a JSON object body (`None`: the whole body) as `T`. A failure
/// names the path from the body's root (`data.status`).
pub fn payload<T: DeserializeOwned>(body: &[u8], field: Option<&str>) -> Result<T, DecodeFailure> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
    let value = match field {
        Some(field) => AtField::<T>(field, PhantomData).deserialize(tracked),
        None => T::deserialize(tracked),
    };
    let value = value.and_then(|value| de.end().map(|()| value));
    value.map_err(|inner| {
        DecodeFailure::new(serde_path_to_error::Error::new(track.path(), inner), body)
    })
}

/// Deserializes the value of one field of a map, skipping every other.
struct AtField<'f, T>(&'f str, PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for AtField<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for AtField<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}` field", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.0 && found.is_none() {
                found = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        found.ok_or_else(|| serde::de::Error::custom(format!("missing field `{}`", self.0)))
    }
}

/// A verified delivery: the envelope every event shares, the event, the delivery headers
/// the scheme exposes, and the receipt that records it as processed.
///
/// Process the event, then [`Delivery::commit`]. Dropping a delivery without committing it
/// (the handler failed) leaves its nonce free, so the provider's retry is accepted.
#[must_use = "commit the delivery once the event is processed, or its retry is not deduplicated"]
pub struct Delivery<Env, Ev> {
    /// The fields every event shares (ids, times), where the provider has an envelope.
    pub envelope: Env,
    /// The event.
    pub event: Ev,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) receipt: Receipt,
}

impl<Env, Ev> Delivery<Env, Ev> {
    /// A delivery header the scheme exposes (MoneyKit's `MoneyKit-Delivery-Token`, ...),
    /// by its name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Records the delivery as processed: a replay of it is then refused with
    /// [`WebhookError::Replayed`]. Returns the envelope and the event.
    pub async fn commit(self) -> Result<(Env, Ev), WebhookError> {
        self.receipt.commit().await?;
        Ok((self.envelope, self.event))
    }
}

impl<Env: fmt::Debug, Ev: fmt::Debug> fmt::Debug for Delivery<Env, Ev> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<_> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("Delivery")
            .field("envelope", &self.envelope)
            .field("event", &self.event)
            .field("headers", &headers)
            .finish_non_exhaustive()
    }
}

/// Any JSON body, for verifiers of webhooks no spec describes.
impl Events for serde_json::Value {
    fn decode(body: &[u8]) -> Result<Self, DecodeFailure> {
        payload(body, None)
    }
}
