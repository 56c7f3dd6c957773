//! Tolerant decoding helpers that generated types name: `null_as_empty` in
//! `#[serde(deserialize_with)]`, `open_enum` (what every open string enum decodes with),
//! [`Unlisted`], the last variant of every union the spec tells apart by a discriminator, and
//! what [`deserialize_struct!`](crate::deserialize_struct) expands to: a struct's one body
//! ([`FromFields`]) read through one visitor ([`deserialize_struct`]) from [`Fields`]: a map
//! ([`MapFields`], each key read as its field's index by [`Field`]) or a sequence
//! ([`SeqFields`]), with a field's value and an absent field's rule. Code every struct
//! shares, so that a struct's own code is a line or two per field. Imports nothing of the
//! crate.

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

/// Reads a struct's key as the index of its field in `fields` (the wire names, in order), as
/// serde's derive reads it (a name, its bytes, or an index from a format that numbers
/// fields); a key of no field is `fields.len()`, or an error where the struct denies unknown
/// fields. One copy serves every struct of a crate: the field match that serde's derive
/// writes into each struct is a loop here. Used by
/// [`deserialize_struct!`](crate::deserialize_struct), not meant to be named otherwise.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Field {
    fields: &'static [&'static str],
    deny_unknown: bool,
    /// Where the search for a name starts: after the field the previous key named, since
    /// providers tend to send fields in one order (often the schema's, as typify orders
    /// them). A struct's wire names are distinct (they are an object's property names), so
    /// where the search starts never changes which field a name is.
    start: usize,
}

impl Field {
    /// A key of a struct whose wire names are `fields`.
    pub const fn new(fields: &'static [&'static str], deny_unknown: bool) -> Self {
        Self {
            fields,
            deny_unknown,
            start: 0,
        }
    }

    /// The index of the field named `key`: from `start` to the end, then from the start.
    fn find(&self, key: impl Fn(&str) -> bool) -> Option<usize> {
        let start = self.start.min(self.fields.len());
        let (before, after) = self.fields.split_at(start);
        after
            .iter()
            .position(|f| key(f))
            .map(|i| i + start)
            .or_else(|| before.iter().position(|f| key(f)))
    }

    fn unknown<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        if self.deny_unknown {
            Err(E::unknown_field(key, self.fields))
        } else {
            Ok(self.fields.len())
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Field {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for Field {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_u64<E: serde::de::Error>(self, index: u64) -> Result<usize, E> {
        match usize::try_from(index) {
            Ok(i) if i < self.fields.len() => Ok(i),
            _ if self.deny_unknown => Err(E::invalid_value(
                serde::de::Unexpected::Unsigned(index),
                &format!("field index 0 <= i < {}", self.fields.len()).as_str(),
            )),
            _ => Ok(self.fields.len()),
        }
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        match self.find(|f| f == key) {
            Some(i) => Ok(i),
            None => self.unknown(key),
        }
    }

    fn visit_bytes<E: serde::de::Error>(self, key: &[u8]) -> Result<usize, E> {
        match self.find(|f| f.as_bytes() == key) {
            Some(i) => Ok(i),
            None => self.unknown(&String::from_utf8_lossy(key)),
        }
    }
}

/// A field decoded through [`null_as_empty`], as serde's derive wraps a `deserialize_with`.
struct NullAsEmpty<T>(T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for NullAsEmpty<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        null_as_empty(deserializer).map(NullAsEmpty)
    }
}

/// A `chrono::DateTime<Utc>` (or an `Option` of one) decoded as chrono's `Deserialize` does,
/// value for value and error for error, with one step less: chrono reads a date-time through
/// its lenient parser (`FromStr`, a general format interpreter, about 1,700 instructions for
/// one value), and here through its RFC 3339 parser (`DateTime::parse_from_rfc3339`) first,
/// which takes what providers send in a fraction of that; a text it refuses goes to `FromStr`,
/// which accepts every text RFC 3339 does and reads it to the same instant. Not meant to be
/// named otherwise.
#[cfg(feature = "chrono")]
#[doc(hidden)]
pub struct Rfc3339<T>(T);

#[cfg(feature = "chrono")]
impl<'de> Deserialize<'de> for Rfc3339<chrono::DateTime<chrono::Utc>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor).map(Rfc3339)
    }
}

#[cfg(feature = "chrono")]
impl<'de> Deserialize<'de> for Rfc3339<Option<chrono::DateTime<chrono::Utc>>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<Rfc3339<chrono::DateTime<chrono::Utc>>>::deserialize(deserializer)
            .map(|v| Rfc3339(v.map(|v| v.0)))
    }
}

/// chrono's visitor of a `DateTime<Utc>`, its expectation word for word.
#[cfg(feature = "chrono")]
struct DateTimeVisitor;

#[cfg(feature = "chrono")]
impl serde::de::Visitor<'_> for DateTimeVisitor {
    type Value = chrono::DateTime<chrono::Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
        chrono::DateTime::parse_from_rfc3339(value)
            .or_else(|_| value.parse::<chrono::DateTime<chrono::FixedOffset>>())
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(E::custom)
    }
}

/// A struct that [`deserialize_struct!`](crate::deserialize_struct) decodes: its name, its
/// fields' wire names, and one body that reads it from [`Fields`]. Not meant to be named
/// otherwise.
#[doc(hidden)]
pub trait FromFields: Sized {
    /// The struct's name, as serde's derive gives it to `deserialize_struct`.
    const NAME: &'static str;
    /// The wire names of its fields, in order.
    const FIELDS: &'static [&'static str];
    /// What a sequence too short for it is expected to be: "struct X with N elements".
    const EXPECTING: &'static str;
    /// Whether a key of no field is an error (`#[serde(deny_unknown_fields)]`).
    const DENY_UNKNOWN: bool;

    /// Reads the struct from its fields.
    fn from_fields<'de, F: Fields<'de>>(fields: F) -> Result<Self, F::Error>;
}

/// serde's `Deserialize` of a [`FromFields`] struct, as the derive's: `deserialize_struct`,
/// then from a map or a sequence. One visitor serves every struct.
#[doc(hidden)]
#[inline]
pub fn deserialize_struct<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromFields,
{
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(std::marker::PhantomData))
}

struct StructVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: FromFields> serde::de::Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::from_fields(SeqFields::new(seq, T::FIELDS.len(), T::EXPECTING))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_fields(MapFields::new(map, T::FIELDS, T::DENY_UNKNOWN))
    }
}

/// Where a struct's fields are read from: a map ([`MapFields`]: keys, each field once, in any
/// order) or a sequence ([`SeqFields`]: the fields in order). A struct's impl is one body over
/// either ([`deserialize_struct!`](crate::deserialize_struct)), where serde's derive writes one
/// per source. Not meant to be named otherwise.
#[doc(hidden)]
pub trait Fields<'de> {
    /// The format's error.
    type Error: serde::de::Error;

    /// The index of the next field there is a value for; `None` at the end.
    fn next_index(&mut self) -> Result<Option<usize>, Self::Error>;

    /// Reads the field's value into its `slot`.
    fn value<T: Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
        field: &'static str,
    ) -> Result<(), Self::Error>;

    /// [`Fields::value`] for a field that decodes through [`null_as_empty`].
    fn value_null_as_empty<T: Deserialize<'de> + Default>(
        &mut self,
        slot: &mut Option<T>,
        field: &'static str,
    ) -> Result<(), Self::Error>;

    /// [`Fields::value`] for a `chrono::DateTime<Utc>` field, or an `Option` of one: the
    /// same values and errors as chrono's `Deserialize`, RFC 3339 read by chrono's own
    /// parser for it first ([`Rfc3339`]).
    #[cfg(feature = "chrono")]
    fn value_datetime<T>(
        &mut self,
        slot: &mut Option<T>,
        field: &'static str,
    ) -> Result<(), Self::Error>
    where
        Rfc3339<T>: Deserialize<'de>;

    /// Skips the value of a key of no field.
    fn skip(&mut self) -> Result<(), Self::Error>;

    /// The field at `index`, or what it is when it had no value: serde's rule (`None` for an
    /// `Option`, else an error).
    fn absent<T: Deserialize<'de>>(
        &self,
        slot: Option<T>,
        index: usize,
        field: &'static str,
        default: Option<fn() -> T>,
    ) -> Result<T, Self::Error>;

    /// The field at `index`, which decodes through a function of its own: when it had no
    /// value, an error, as with serde's derive.
    fn required<T>(
        &self,
        slot: Option<T>,
        index: usize,
        field: &'static str,
        default: Option<fn() -> T>,
    ) -> Result<T, Self::Error>;

    /// The field at `index`, which has a default (`#[serde(default)]`, `#[serde(default =
    /// "path")]`): when it had no value, the default's.
    fn or_default<T>(
        &self,
        slot: Option<T>,
        index: usize,
        field: &'static str,
        default: Option<fn() -> T>,
    ) -> Result<T, Self::Error>;
}

/// A struct's fields from a map: each key read as its field's index ([`Field`]), a second
/// value for a field an error, an absent field by serde's rules.
#[doc(hidden)]
pub struct MapFields<A> {
    map: A,
    key: Field,
}

impl<A> MapFields<A> {
    /// The fields of a struct whose wire names are `fields`, from `map`.
    pub fn new(map: A, fields: &'static [&'static str], deny_unknown: bool) -> Self {
        Self {
            map,
            key: Field::new(fields, deny_unknown),
        }
    }
}

/// Puts what `read` decodes into a field's `slot`: a second value for it is an error, as
/// with serde's derive.
fn fill<T, E: serde::de::Error>(
    slot: &mut Option<T>,
    field: &'static str,
    read: impl FnOnce() -> Result<T, E>,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(field));
    }
    *slot = Some(read()?);
    Ok(())
}

impl<'de, A: serde::de::MapAccess<'de>> Fields<'de> for MapFields<A> {
    type Error = A::Error;

    fn next_index(&mut self) -> Result<Option<usize>, A::Error> {
        let index = self.map.next_key_seed(self.key)?;
        if let Some(i) = index {
            self.key.start = i + 1;
        }
        Ok(index)
    }

    fn value<T: Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
        field: &'static str,
    ) -> Result<(), A::Error> {
        fill(slot, field, || self.map.next_value())
    }

    fn value_null_as_empty<T: Deserialize<'de> + Default>(
        &mut self,
        slot: &mut Option<T>,
        field: &'static str,
    ) -> Result<(), A::Error> {
        fill(slot, field, || {
            self.map.next_value::<NullAsEmpty<T>>().map(|v| v.0)
        })
    }

    #[cfg(feature = "chrono")]
    fn value_datetime<T>(
        &mut self,
        slot: &mut Option<T>,
        field: &'static str,
    ) -> Result<(), A::Error>
    where
        Rfc3339<T>: Deserialize<'de>,
    {
        fill(slot, field, || {
            self.map.next_value::<Rfc3339<T>>().map(|v| v.0)
        })
    }

    fn skip(&mut self) -> Result<(), A::Error> {
        self.map.next_value::<serde::de::IgnoredAny>().map(drop)
    }

    fn absent<T: Deserialize<'de>>(
        &self,
        slot: Option<T>,
        _: usize,
        field: &'static str,
        _: Option<fn() -> T>,
    ) -> Result<T, A::Error> {
        match slot {
            Some(value) => Ok(value),
            None => missing_field(field),
        }
    }

    fn required<T>(
        &self,
        slot: Option<T>,
        _: usize,
        field: &'static str,
        _: Option<fn() -> T>,
    ) -> Result<T, A::Error> {
        slot.ok_or_else(|| serde::de::Error::missing_field(field))
    }

    fn or_default<T>(
        &self,
        slot: Option<T>,
        _: usize,
        field: &'static str,
        default: Option<fn() -> T>,
    ) -> Result<T, A::Error> {
        match (slot, default) {
            (Some(value), _) => Ok(value),
            (None, Some(default)) => Ok(default()),
            (None, None) => Err(serde::de::Error::missing_field(field)),
        }
    }
}

/// A struct's fields from a sequence, in order, as serde's derive reads them: past the
/// sequence's end, a field is its default where it has one, else an "invalid length" error
/// at its index (`expecting`: "struct X with N elements"), whatever its type.
#[doc(hidden)]
pub struct SeqFields<A> {
    seq: A,
    next: usize,
    len: usize,
    ended: bool,
    expecting: &'static str,
}

impl<A> SeqFields<A> {
    /// The `len` fields of a struct, from `seq`.
    pub fn new(seq: A, len: usize, expecting: &'static str) -> Self {
        Self {
            seq,
            next: 0,
            len,
            ended: false,
            expecting,
        }
    }

    /// The field at `index`: its element, else (the sequence ended before it) its default,
    /// else an "invalid length" error. serde's derive stops at that error; this reads no
    /// element past the end, and the first field in order without a value or a default is
    /// the error, at the same index.
    fn finish<T, E: serde::de::Error>(
        &self,
        slot: Option<T>,
        index: usize,
        default: Option<fn() -> T>,
    ) -> Result<T, E> {
        match (slot, default) {
            (Some(value), _) => Ok(value),
            (None, Some(default)) => Ok(default()),
            (None, None) => Err(E::invalid_length(index, &self.expecting)),
        }
    }

    fn element<T, E>(
        &mut self,
        slot: &mut Option<T>,
        read: impl FnOnce(&mut A) -> Result<Option<T>, E>,
    ) -> Result<(), E> {
        if !self.ended {
            *slot = read(&mut self.seq)?;
            self.ended = slot.is_none();
        }
        Ok(())
    }
}

impl<'de, A: serde::de::SeqAccess<'de>> Fields<'de> for SeqFields<A> {
    type Error = A::Error;

    fn next_index(&mut self) -> Result<Option<usize>, A::Error> {
        let index = self.next;
        self.next += 1;
        Ok((index < self.len).then_some(index))
    }

    fn value<T: Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
        _: &'static str,
    ) -> Result<(), A::Error> {
        self.element(slot, |seq| seq.next_element())
    }

    fn value_null_as_empty<T: Deserialize<'de> + Default>(
        &mut self,
        slot: &mut Option<T>,
        _: &'static str,
    ) -> Result<(), A::Error> {
        self.element(slot, |seq| {
            Ok(seq.next_element::<NullAsEmpty<T>>()?.map(|v| v.0))
        })
    }

    #[cfg(feature = "chrono")]
    fn value_datetime<T>(&mut self, slot: &mut Option<T>, _: &'static str) -> Result<(), A::Error>
    where
        Rfc3339<T>: Deserialize<'de>,
    {
        self.element(slot, |seq| {
            Ok(seq.next_element::<Rfc3339<T>>()?.map(|v| v.0))
        })
    }

    fn skip(&mut self) -> Result<(), A::Error> {
        Ok(())
    }

    fn absent<T: Deserialize<'de>>(
        &self,
        slot: Option<T>,
        index: usize,
        _: &'static str,
        default: Option<fn() -> T>,
    ) -> Result<T, A::Error> {
        self.finish(slot, index, default)
    }

    fn required<T>(
        &self,
        slot: Option<T>,
        index: usize,
        _: &'static str,
        default: Option<fn() -> T>,
    ) -> Result<T, A::Error> {
        self.finish(slot, index, default)
    }

    fn or_default<T>(
        &self,
        slot: Option<T>,
        index: usize,
        _: &'static str,
        default: Option<fn() -> T>,
    ) -> Result<T, A::Error> {
        self.finish(slot, index, default)
    }
}

/// The value of a field that is absent, as serde's derive makes it: `None` for an `Option`
/// (anything that decodes through `deserialize_option`), else a "missing field" error. Used
/// by [`deserialize_struct!`](crate::deserialize_struct).
#[doc(hidden)]
pub fn missing_field<'de, V, E>(field: &'static str) -> Result<V, E>
where
    V: Deserialize<'de>,
    E: serde::de::Error,
{
    struct Missing<E>(&'static str, std::marker::PhantomData<E>);
    impl<'de, E: serde::de::Error> Deserializer<'de> for Missing<E> {
        type Error = E;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
            Err(E::missing_field(self.0))
        }
        fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
            visitor.visit_none()
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf unit unit_struct newtype_struct seq tuple
            tuple_struct map struct enum identifier ignored_any
        }
    }
    V::deserialize(Missing(field, std::marker::PhantomData))
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

    /// Date-times RFC 3339 allows, texts only chrono's lenient parser takes, and texts and
    /// values neither takes: each decodes through [`super::Rfc3339`] to what chrono's own
    /// `Deserialize` gives, the error's message included, alone and in an `Option`.
    #[cfg(feature = "chrono")]
    #[test]
    fn a_date_time_decodes_as_chronos_deserialize_does() {
        use super::Rfc3339;
        use chrono::{DateTime, Utc};
        let inputs = [
            r#""2024-01-31T12:34:56Z""#,
            r#""2024-01-31t12:34:56z""#,
            r#""2024-01-31 12:34:56Z""#,
            r#""2024-01-31T12:34:56.5Z""#,
            r#""2024-01-31T12:34:56.123456789Z""#,
            r#""2024-01-31T12:34:56.1234567891234+00:00""#,
            r#""2024-01-31T12:34:56+05:30""#,
            r#""2024-01-31T12:34:56-00:00""#,
            r#""2024-01-31T12:34:56-23:59""#,
            r#""2016-12-31T23:59:60Z""#,
            r#""2016-12-31T23:59:60.5+01:00""#,
            r#""2024-01-31T12:34:56 UTC""#,
            r#""2024-01-31T12:34:56+0530""#,
            r#""2024-01-31T12:34:56 +05:30""#,
            r#""+2024-01-31T12:34:56Z""#,
            r#""12024-01-31T12:34:56Z""#,
            r#""2024-1-31T12:34:56Z""#,
            r#""2024-01-31T12:34Z""#,
            r#""2024-01-31""#,
            r#""2024-02-30T12:34:56Z""#,
            r#""2024-01-31T24:00:00Z""#,
            r#""2024-01-31T12:34:56+24:00""#,
            r#""2024-01-31T12:34:56Z trailing""#,
            r#""2024-01-31T12:34:56""#,
            r#""""#,
            r#""not a date""#,
            "20240131",
            "null",
            "true",
            "[]",
        ];
        for input in inputs {
            let theirs = serde_json::from_str::<DateTime<Utc>>(input).map_err(|e| e.to_string());
            let ours = serde_json::from_str::<Rfc3339<DateTime<Utc>>>(input)
                .map(|v| v.0)
                .map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{input}");
            let theirs =
                serde_json::from_str::<Option<DateTime<Utc>>>(input).map_err(|e| e.to_string());
            let ours = serde_json::from_str::<Rfc3339<Option<DateTime<Utc>>>>(input)
                .map(|v| v.0)
                .map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{input}");
        }
        // The fast parser takes the usual forms itself, and leaves the lenient ones to the
        // fallback: both paths are compared above.
        assert!(DateTime::parse_from_rfc3339("2016-12-31T23:59:60.5+01:00").is_ok());
        assert!(DateTime::parse_from_rfc3339("2024-01-31T12:34:56 UTC").is_err());
        assert!("2024-01-31T12:34:56 UTC".parse::<DateTime<Utc>>().is_ok());
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
