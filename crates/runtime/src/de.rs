//! Tolerant decoding helpers that generated types name in `#[serde(deserialize_with)]`.
//! Imports nothing of the crate.

use serde::{Deserialize, Deserializer};

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
}
