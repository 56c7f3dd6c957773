//! YAML read into `serde_yaml::Value` with what its own reader refuses: integers beyond 64
//! bits (an example account reference `55677577464787638476446`) load as the digits they
//! were written with, a string, where `serde_yaml::Value` stops the whole document.

use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_yaml::Value as Y;
use serde_yaml::value::{Tag, TaggedValue};

/// Parses one YAML document.
pub(super) fn from_str(text: &str) -> Result<Y, serde_yaml::Error> {
    Seed.deserialize(serde_yaml::Deserializer::from_str(text))
}

#[derive(Clone, Copy)]
struct Seed;

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Y;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Y, D::Error> {
        deserializer.deserialize_any(Seed)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Y;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Y, E> {
        Ok(Y::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Y, E> {
        Ok(Y::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Y, E> {
        Ok(Y::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Y, E> {
        Ok(match i64::try_from(v) {
            Ok(v) => Y::Number(v.into()),
            Err(_) => Y::String(v.to_string()),
        })
    }

    fn visit_u128<E>(self, v: u128) -> Result<Y, E> {
        Ok(match u64::try_from(v) {
            Ok(v) => Y::Number(v.into()),
            Err(_) => Y::String(v.to_string()),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Y, E> {
        Ok(Y::Number(v.into()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Y, E> {
        Ok(Y::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Y, E> {
        Ok(Y::String(v))
    }

    fn visit_unit<E>(self) -> Result<Y, E> {
        Ok(Y::Null)
    }

    fn visit_none<E>(self) -> Result<Y, E> {
        Ok(Y::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Y, D::Error> {
        d.deserialize_any(Seed)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Y, D::Error> {
        d.deserialize_any(Seed)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Y, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element_seed(Seed)? {
            out.push(item);
        }
        Ok(Y::Sequence(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Y, A::Error> {
        let mut out = serde_yaml::Mapping::new();
        while let Some(key) = map.next_key_seed(Seed)? {
            let value = map.next_value_seed(Seed)?;
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate key {key:?}")));
            }
            out.insert(key, value);
        }
        Ok(Y::Mapping(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Y, A::Error> {
        let (tag, variant) = data.variant::<String>()?;
        let value = variant.newtype_variant_seed(Seed)?;
        Ok(Y::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_64_bits_load_as_their_digits() {
        let y = from_str("a: 55677577464787638476446\nb: -99999999999999999999\nc: 7\nd: !tag x\n")
            .unwrap();
        assert_eq!(y["a"], Y::String("55677577464787638476446".into()));
        assert_eq!(y["b"], Y::String("-99999999999999999999".into()));
        assert_eq!(y["c"], Y::Number(7.into()));
        assert!(matches!(&y["d"], Y::Tagged(t) if t.value == Y::String("x".into())));
        assert!(from_str("a: 1\na: 2\n").is_err(), "duplicate keys");
    }
}
