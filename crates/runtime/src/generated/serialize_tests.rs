//! `serialize_struct!` against serde's derive: the same struct both ways must make the same
//! calls of the serializer (`serialize_struct` with its count, each field written or skipped,
//! `end`), the same JSON, and stop at the same error.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct};

/// A field whose encoding fails when it holds `fail`.
#[derive(Debug, Clone, PartialEq)]
struct Fails(bool);

impl Serialize for Fails {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 {
            Err(ser::Error::custom("this field does not encode"))
        } else {
            serializer.serialize_bool(false)
        }
    }
}

/// Declares the struct twice: `Derived` through serde's derive (with the attributes given)
/// and `Ours` through the macro.
macro_rules! both {
    ($($index:literal $field:ident : $ty:ty = $wire:literal $(skip_if($skip:path))?
        [$($attr:meta),*]),+) => {
        #[derive(Debug, Clone, Serialize)]
        struct Derived {
            $($(#[$attr])* $field: $ty),+
        }
        #[derive(Debug, Clone)]
        struct Ours {
            $($field: $ty),+
        }
        crate::serialize_struct!(Ours, {
            $($index $field = $wire $(skip_if($skip))?),+
        });
        impl From<&Derived> for Ours {
            fn from(d: &Derived) -> Self {
                Ours { $($field: d.$field.clone()),+ }
            }
        }
    };
}

both!(
    0 id: String = "id" [],
    1 kind: Option<String> = "type" skip_if(Option::is_none)
        [serde(rename = "type", skip_serializing_if = "Option::is_none")],
    2 tags: Vec<String> = "tags" skip_if(Vec::is_empty)
        [serde(skip_serializing_if = "Vec::is_empty")],
    3 note: Option<String> = "note" [],
    4 fails: Fails = "fails" [],
    5 meta: BTreeMap<String, u32> = "meta" skip_if(BTreeMap::is_empty)
        [serde(skip_serializing_if = "BTreeMap::is_empty")]
);

/// A serializer that records what a struct's `Serialize` calls, each field's value as JSON.
struct Record<'a>(&'a mut Vec<String>);

#[derive(Debug)]
struct Failed(String);

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Failed(msg.to_string())
    }
}

fn unsupported<T>() -> Result<T, Failed> {
    Err(Failed("only structs are recorded".into()))
}

impl SerializeStruct for Record<'_> {
    type Ok = ();
    type Error = Failed;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        let json = serde_json::to_string(value).map_err(|e| Failed(e.to_string()))?;
        self.0.push(format!("field {key} = {json}"));
        Ok(())
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), Failed> {
        self.0.push(format!("skip {key}"));
        Ok(())
    }

    fn end(self) -> Result<(), Failed> {
        self.0.push("end".into());
        Ok(())
    }
}

impl<'a> ser::Serializer for Record<'a> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Impossible<(), Failed>;
    type SerializeTuple = Impossible<(), Failed>;
    type SerializeTupleStruct = Impossible<(), Failed>;
    type SerializeTupleVariant = Impossible<(), Failed>;
    type SerializeMap = Impossible<(), Failed>;
    type SerializeStruct = Record<'a>;
    type SerializeStructVariant = Impossible<(), Failed>;

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Record<'a>, Failed> {
        self.0.push(format!("struct {name} with {len}"));
        Ok(self)
    }

    fn serialize_bool(self, _: bool) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_i8(self, _: i8) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_i16(self, _: i16) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_i32(self, _: i32) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_i64(self, _: i64) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_u8(self, _: u8) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_u16(self, _: u16) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_u32(self, _: u32) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_u64(self, _: u64) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_f32(self, _: f32) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_f64(self, _: f64) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_char(self, _: char) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_str(self, _: &str) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_none(self) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_unit(self) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Failed> {
        unsupported()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Failed> {
        unsupported()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Failed> {
        unsupported()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Failed> {
        unsupported()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Failed> {
        unsupported()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Failed> {
        unsupported()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Failed> {
        unsupported()
    }
}

/// The serializer's calls and the outcome, the type's name taken out.
fn calls<T: Serialize>(value: &T, name: &str) -> String {
    let mut log = Vec::new();
    let outcome = value.serialize(Record(&mut log));
    log.push(match outcome {
        Ok(()) => "ok".into(),
        Err(e) => format!("error: {e}"),
    });
    log.join("\n").replace(name, "_")
}

fn values() -> Vec<Derived> {
    let full = Derived {
        id: "a".into(),
        kind: Some("t".into()),
        tags: vec!["x".into()],
        note: Some("n".into()),
        fails: Fails(false),
        meta: [("k".to_owned(), 1)].into_iter().collect(),
    };
    let empty = Derived {
        id: String::new(),
        kind: None,
        tags: Vec::new(),
        note: None,
        fails: Fails(false),
        meta: BTreeMap::new(),
    };
    let failing = Derived {
        fails: Fails(true),
        ..full.clone()
    };
    let some = Derived {
        kind: None,
        meta: BTreeMap::new(),
        ..full.clone()
    };
    vec![full, empty, failing, some]
}

#[test]
fn the_macro_encodes_as_the_derive_does() {
    for derived in values() {
        let ours = Ours::from(&derived);
        assert_eq!(
            calls(&ours, "Ours"),
            calls(&derived, "Derived"),
            "calls for {derived:?}"
        );
        let json = |r: serde_json::Result<String>| r.unwrap_or_else(|e| format!("error: {e}"));
        assert_eq!(
            json(serde_json::to_string(&ours)),
            json(serde_json::to_string(&derived)),
            "JSON of {derived:?}"
        );
        let value = |r: serde_json::Result<serde_json::Value>| {
            r.map(|v| v.to_string())
                .unwrap_or_else(|e| format!("error: {e}"))
        };
        assert_eq!(
            value(serde_json::to_value(&ours)),
            value(serde_json::to_value(&derived)),
            "value of {derived:?}"
        );
    }
}

#[test]
fn a_skipped_field_is_not_counted_nor_written() {
    let empty = &values()[1];
    let log = calls(&Ours::from(empty), "Ours");
    assert!(log.starts_with("struct _ with 3\n"), "{log}");
    assert!(
        log.contains("skip type\n") && !log.contains("field type"),
        "{log}"
    );
}
