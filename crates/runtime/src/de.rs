//! Tolerant decoding helpers that generated types name: `null_as_empty` in
//! `#[serde(deserialize_with)]`, `open_enum` (what every open string enum decodes with), and
//! [`Unlisted`], the last variant of every union the spec tells apart by a discriminator.
//! Imports nothing of the crate.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Decodes `null` as the empty value (`[]`, `{}`): providers written in Go send `null` for an
/// empty list or map. Generated code puts it on every array and map field, so that a `null`
/// there never fails a whole response; any other value decodes as usual.
pub fn null_as_empty<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Decodes an open string enum (see [`open_enum!`](crate::open_enum)) from a string: a listed
/// value as its variant, any other string as `Unrecognized`. Anything but a string fails.
pub fn open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    struct Open<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for Open<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
    deserializer.deserialize_str(Open(std::marker::PhantomData))
}

/// A value of a union (a `oneOf` with a discriminator) whose tag the spec does not list
/// (yet): kept as received, sent back unchanged, so that a variant a provider adds never
/// fails a response. Its `Debug` shows only what kind of value it is and its size: it may
/// carry fields the spec would mark sensitive.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Unlisted(serde_json::Value);

impl Unlisted {
    /// The value as received.
    pub fn value(&self) -> &serde_json::Value {
        &self.0
    }

    /// The value of its field `name` where that is a string (the tag, for instance).
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.0.get(name)?.as_str()
    }

    /// Consumes it, returning the value as received.
    pub fn into_value(self) -> serde_json::Value {
        self.0
    }
}

impl fmt::Debug for Unlisted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            serde_json::Value::Object(map) => write!(f, "Unlisted(<object, {} fields>)", map.len()),
            serde_json::Value::Array(list) => write!(f, "Unlisted(<array, {} items>)", list.len()),
            _ => f.write_str("Unlisted(<value>)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Link {
        #[serde(deserialize_with = "super::null_as_empty")]
        tags: Vec<String>,
        #[serde(default, deserialize_with = "super::null_as_empty")]
        meta: HashMap<String, u32>,
        name: String,
    }

    #[test]
    fn null_lists_and_maps_are_empty_and_other_values_decode_as_usual() {
        let link: Link =
            serde_json::from_str(r#"{"tags":null,"meta":null,"name":"x"}"#).expect("nulls");
        assert!(link.tags.is_empty() && link.meta.is_empty());
        let link: Link =
            serde_json::from_str(r#"{"tags":["a"],"meta":{"k":1},"name":"x"}"#).expect("values");
        assert_eq!(link.tags, vec!["a".to_owned()]);
        assert_eq!(link.meta["k"], 1);
        let link: Link = serde_json::from_str(r#"{"tags":[],"name":"x"}"#).expect("default");
        assert!(link.meta.is_empty());
        // A required list that is absent, and a null for a required scalar, still fail.
        assert!(serde_json::from_str::<Link>(r#"{"name":"x"}"#).is_err());
        assert!(serde_json::from_str::<Link>(r#"{"tags":[],"name":null}"#).is_err());
        assert!(serde_json::from_str::<Link>(r#"{"tags":"a","name":"x"}"#).is_err());
    }

    #[test]
    fn an_unlisted_value_round_trips_and_its_debug_shows_no_content() {
        let json = r#"{"paymentMethodType":"instant-bank","accountNumber":"0004321567000"}"#;
        let unlisted: super::Unlisted = serde_json::from_str(json).expect("any value");
        assert_eq!(
            unlisted.str_field("paymentMethodType"),
            Some("instant-bank")
        );
        assert_eq!(serde_json::to_string(&unlisted).expect("encode"), json);
        let debug = format!("{unlisted:?}");
        assert_eq!(debug, "Unlisted(<object, 2 fields>)");
    }
}
