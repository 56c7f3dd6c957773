//! `deserialize_struct!` against serde's derive: the same struct both ways, decoded from the
//! same inputs, must give the same value or the same error message, from JSON text and from a
//! `serde_json::Value` (its own deserializer, which reads a struct from an array too).

use std::collections::BTreeMap;

use serde::Deserialize;

fn seven() -> u8 {
    7
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Inner {
    x: i64,
}

/// Declares the struct twice with the same fields: `Derived` through serde's derive (with the
/// attributes given) and `Ours` through the macro (with the functions given).
macro_rules! both {
    ($derived:ident, $ours:ident, $seq:literal, [$($container:meta)?], $deny:literal,
     $($index:literal $field:ident : $ty:ty = $wire:literal $value:ident
        $finish:ident ($default:expr) [$($attr:meta),*]),+) => {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        $(#[$container])?
        struct $derived {
            $($(#[$attr])* $field: $ty),+
        }
        #[derive(Debug)]
        #[allow(dead_code)]
        struct $ours {
            $($field: $ty),+
        }
        crate::deserialize_struct!($ours, $seq, $deny, {
            $($index $field: $ty = $wire $value $finish($default)),+
        });
    };
}

both!(Derived, Ours, "struct Ours with 8 elements", [], false,
    0 id: String = "id" value absent (None) [],
    1 kind: Option<String> = "type" value absent (None) [serde(rename = "type")],
    2 count: u32 = "count" value or_default (Some(Default::default)) [serde(default)],
    3 level: u8 = "level" value or_default (Some(seven)) [serde(default = "seven")],
    4 tags: Vec<String> = "tags" value_null_as_empty required (None)
        [serde(deserialize_with = "crate::de::null_as_empty")],
    5 meta: BTreeMap<String, u32> = "meta" value_null_as_empty
        or_default (Some(Default::default))
        [serde(default, deserialize_with = "crate::de::null_as_empty")],
    6 note: Option<String> = "note" value required (None)
        [serde(deserialize_with = "Option::deserialize")],
    7 inner: Option<Inner> = "inner" value absent (None) []
);

both!(DerivedDeny, OursDeny, "struct OursDeny with 2 elements", [serde(deny_unknown_fields)], true,
    0 id: String = "id" value absent (None) [],
    1 kind: Option<String> = "type" value absent (None) [serde(rename = "type")]
);

const INPUTS: &[&str] = &[
    r#"{"id":"a","type":"t","count":2,"level":3,"tags":["x"],"meta":{"k":1},"note":"n","inner":{"x":1}}"#,
    r#"{"id":"a","tags":[],"note":null}"#,
    r#"{"id":"a","tags":null,"meta":null,"note":null,"inner":null}"#,
    r#"{"id":"a","tags":[],"note":null,"unknown":{"deep":[1,2]},"other":3}"#,
    r#"{"id":"a","tags":[]}"#,
    r#"{"tags":[],"note":null}"#,
    r#"{"id":"a","id":"b","tags":[],"note":null}"#,
    r#"{"id":"a","tags":"x","note":null}"#,
    r#"{"id":1,"tags":[],"note":null}"#,
    r#"{"id":"a","tags":[],"note":null,"inner":{}}"#,
    r#"{"id":"a","tags":[],"note":null,"count":-1}"#,
    r#"{"id":"a","tags":[],"note":null,"type":null}"#,
    r#"["a","t",2,3,["x"],{"k":1},"n",null]"#,
    r#"["a",null,2,3,null,null,null,null]"#,
    r#"["a","t",2,3,["x"]]"#,
    r#"["a","t",2,3]"#,
    r#"["a"]"#,
    r#"["a","t","x"]"#,
    r#"["a","t",2,3,["x"],{"k":1},"n",null,9]"#,
    r#"[]"#,
    r#"null"#,
    r#""text""#,
    r#"7"#,
    r#"{"id":"a","tags":[],"note":null"#,
    r#"{"id":"a","type":"t"}"#,
    r#"{"id":"a","type":"t","extra":1}"#,
    r#"{"id":"a","id":"a"}"#,
    r#"{}"#,
];

/// The outcome with the type's name taken out: a value's fields, or the error's text.
fn outcome<T: std::fmt::Debug>(result: Result<T, serde_json::Error>, name: &str) -> String {
    match result {
        Ok(value) => format!("{value:?}"),
        Err(e) => format!("error: {e}"),
    }
    .replace(name, "_")
}

#[test]
fn the_macro_decodes_as_the_derive_does_from_text_and_from_values() {
    for input in INPUTS {
        let text = |derived: String, ours: String, what: &str| {
            assert_eq!(ours, derived, "{what} of {input}");
        };
        text(
            outcome(serde_json::from_str::<Derived>(input), "Derived"),
            outcome(serde_json::from_str::<Ours>(input), "Ours"),
            "text",
        );
        text(
            outcome(serde_json::from_str::<DerivedDeny>(input), "DerivedDeny"),
            outcome(serde_json::from_str::<OursDeny>(input), "OursDeny"),
            "text, unknown fields denied",
        );
        // serde_json::Value's own deserializer: maps, and structs read from arrays.
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(input) {
            text(
                outcome(serde_json::from_value::<Derived>(value.clone()), "Derived"),
                outcome(serde_json::from_value::<Ours>(value.clone()), "Ours"),
                "value",
            );
            text(
                outcome(
                    serde_json::from_value::<DerivedDeny>(value.clone()),
                    "DerivedDeny",
                ),
                outcome(serde_json::from_value::<OursDeny>(value), "OursDeny"),
                "value, unknown fields denied",
            );
        }
    }
}

#[test]
fn a_decoded_struct_has_every_field() {
    let ours: Ours = serde_json::from_str(INPUTS[0]).expect("decodes");
    assert_eq!(ours.id, "a");
    assert_eq!(ours.kind.as_deref(), Some("t"));
    assert_eq!((ours.count, ours.level), (2, 3));
    assert_eq!(ours.tags, ["x"]);
    assert_eq!(ours.meta.get("k"), Some(&1));
    assert_eq!(ours.note.as_deref(), Some("n"));
    assert!(ours.inner.is_some());
    let defaults: Ours = serde_json::from_str(INPUTS[1]).expect("decodes");
    assert_eq!((defaults.count, defaults.level), (0, 7));
}

/// Generated types named as the macros' own names would be (`Visitor`, `A`, `D`, `F`): each
/// macro's names start with `__`, so these compile and decode.
mod names {
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    pub struct A(pub u8);

    #[derive(Debug, PartialEq)]
    pub struct D(String);

    #[derive(Debug, PartialEq, Deserialize)]
    pub struct F(pub u8);

    impl std::str::FromStr for D {
        type Err = &'static str;
        fn from_str(value: &str) -> Result<Self, Self::Err> {
            if value.len() > 3 {
                return Err("longer than 3 characters");
            }
            Ok(Self(value.to_owned()))
        }
    }

    crate::constrained_string!(D);

    #[derive(Debug, PartialEq)]
    pub struct Visitor {
        a: A,
        d: D,
        f: F,
    }

    crate::deserialize_struct!(Visitor, "struct Visitor with 3 elements", false, {
        0 a: A = "a" value absent(None),
        1 d: D = "d" value absent(None),
        2 f: F = "f" value absent(None)
    });

    #[test]
    fn types_named_as_the_macros_names_decode() {
        let v: Visitor = serde_json::from_str(r#"{"a":1,"d":"abc","f":2}"#).expect("decodes");
        assert_eq!(v.a, A(1));
        assert_eq!(v.f, F(2));
        assert_eq!(v.d.as_str(), "abc");
        let e =
            serde_json::from_str::<Visitor>(r#"{"a":1,"d":"abcd","f":2}"#).expect_err("too long");
        assert!(e.to_string().contains("longer than 3"), "{e}");
    }
}

/// Date-time fields, which the macro decodes through `value_datetime`: the same values and
/// errors as the derive's (chrono's `Deserialize`), from maps and sequences.
#[cfg(feature = "chrono")]
mod dates {
    use super::outcome;
    use chrono::{DateTime, Utc};
    use serde::Deserialize;

    both!(Derived, Ours, "struct Ours with 3 elements", [], false,
        0 at: DateTime<Utc> = "at" value_datetime absent (None) [],
        1 until: Option<DateTime<Utc>> = "until" value_datetime absent (None) [],
        2 seen: Option<DateTime<Utc>> = "seen" value_datetime required (None)
            [serde(deserialize_with = "Option::deserialize")]
    );

    #[test]
    fn date_times_decode_as_the_derive_does() {
        let inputs = [
            r#"{"at":"2024-01-31T12:34:56Z","until":"2024-02-01T00:00:00.25+01:00","seen":null}"#,
            r#"{"at":"2024-01-31 12:34:56 UTC","seen":"2016-12-31T23:59:60Z"}"#,
            r#"{"at":"2024-01-31t12:34:56z","until":null,"seen":"2024-01-31T12:34:56-00:00"}"#,
            r#"{"at":"2024-01-31","seen":null}"#,
            r#"{"at":"2024-02-30T12:34:56Z","seen":null}"#,
            r#"{"at":null,"seen":null}"#,
            r#"{"at":17,"seen":null}"#,
            r#"{"at":"2024-01-31T12:34:56Z"}"#,
            r#"{"at":"2024-01-31T12:34:56Z","at":"2024-01-31T12:34:56Z","seen":null}"#,
            r#"{"until":"2024-01-31T12:34:56Z","seen":null}"#,
            r#"["2024-01-31T12:34:56Z",null,"2024-01-31T12:34:56+05:30"]"#,
            r#"["2024-01-31T12:34:56Z","nope",null]"#,
            r#"["2024-01-31T12:34:56Z"]"#,
        ];
        for input in inputs {
            assert_eq!(
                outcome(serde_json::from_str::<Ours>(input), "Ours"),
                outcome(serde_json::from_str::<Derived>(input), "Derived"),
                "text of {input}"
            );
            let value: serde_json::Value = serde_json::from_str(input).expect("JSON");
            assert_eq!(
                outcome(serde_json::from_value::<Ours>(value.clone()), "Ours"),
                outcome(serde_json::from_value::<Derived>(value), "Derived"),
                "value of {input}"
            );
        }
        let ours: Ours = serde_json::from_str(inputs[0]).expect("decodes");
        assert_eq!(ours.at.to_rfc3339(), "2024-01-31T12:34:56+00:00");
        assert_eq!(
            ours.until.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-01-31T23:00:00.250+00:00")
        );
    }
}
