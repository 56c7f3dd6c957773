//! Layer 2 of the runtime, errors: a response body that does not match the spec.
//!
//! serde's messages quote the offending input (`invalid type: string "0004321567000",
//! expected f64`): a drifted field carrying an account number or a national id would print it.
//! A [`DecodeFailure`] keeps what a reader needs and nothing of the body: the JSON path, what
//! was expected (which comes from the spec's types), the *kind* of value found (string,
//! number, object, ...) read from the body at that path, and the line and column.
//!
//! No `Display` or `Debug` of an error built from a response holds a value taken from the
//! response.

use std::fmt;
use std::ops::Deref;

use serde_json::Value;

use crate::meta::ResponseMeta;
use crate::secret::BodySummary;

/// A response whose status is documented but whose body does not match the spec. Keeps
/// everything that was received (through `Deref`: `e.status()`, `e.request_id()`,
/// `e.raw_body()`), and where and why decoding stopped ([`DecodeError::failure`]).
pub struct DecodeError {
    meta: ResponseMeta,
    failure: DecodeFailure,
}

impl DecodeError {
    /// A decode error of a response, from serde's error while decoding its body.
    pub(crate) fn new(
        meta: ResponseMeta,
        error: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let failure = DecodeFailure::new(error, meta.raw_body());
        Self { meta, failure }
    }

    /// Where decoding stopped and why, without any value of the body.
    pub fn failure(&self) -> &DecodeFailure {
        &self.failure
    }

    /// The response's status, request id, headers and raw body.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
}

impl Deref for DecodeError {
    type Target = ResponseMeta;

    fn deref(&self) -> &ResponseMeta {
        &self.meta
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.meta.operation())
            .field("status", &self.meta.status())
            .field("request_id", &self.meta.request_id())
            .field(
                "body",
                &BodySummary::new::<bytes::Bytes>(self.meta.raw_body().len()),
            )
            .field("failure", &self.failure)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the {} response body does not match the spec",
            self.meta.operation(),
            self.meta.status()
        )?;
        if self.failure.path != "." {
            write!(f, " at `{}`", self.failure.path)?;
        }
        write!(f, ": {}", self.failure)?;
        if let Some(id) = self.meta.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.failure)
    }
}

/// The kind of a JSON value: what a decode error says it found, instead of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl JsonKind {
    fn of(value: &Value) -> Self {
        match value {
            Value::Null => JsonKind::Null,
            Value::Bool(_) => JsonKind::Boolean,
            Value::Number(_) => JsonKind::Number,
            Value::String(_) => JsonKind::String,
            Value::Array(_) => JsonKind::Array,
            Value::Object(_) => JsonKind::Object,
        }
    }
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonKind::Null => "null",
            JsonKind::Boolean => "boolean",
            JsonKind::Number => "number",
            JsonKind::String => "string",
            JsonKind::Array => "array",
            JsonKind::Object => "object",
        })
    }
}

/// What was wrong with the body, in words that come from the spec's types and from serde_json,
/// never from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The body is not JSON, or is cut short (serde_json's syntax messages quote no input).
    Syntax(String),
    /// A value of another type than the spec's.
    InvalidType {
        /// What the spec's type expects (`f64`, `a string`, `struct Account`).
        expected: String,
    },
    /// A value of the right type that the spec's type refuses (out of range, for instance).
    InvalidValue {
        /// What the spec's type expects.
        expected: String,
    },
    /// An array or tuple of the wrong length.
    InvalidLength {
        /// What the spec's type expects.
        expected: String,
    },
    /// A tag that names none of an enum's variants.
    UnknownVariant {
        /// The variants the spec lists.
        expected: String,
    },
    /// A field the spec's type does not allow.
    UnknownField {
        /// The fields the spec lists.
        expected: String,
    },
    /// A required field is absent.
    MissingField(String),
    /// A field appears twice.
    DuplicateField(String),
    /// The spec's type refused the value for another reason: its message, with anything
    /// quoted from the input taken out.
    Refused(String),
}

/// Where decoding a body stopped and why: the JSON path, the problem, the kind of value found
/// there, and the line and column. Holds no value of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    path: String,
    problem: Problem,
    found: Option<JsonKind>,
    line: usize,
    column: usize,
}

impl DecodeFailure {
    pub(crate) fn new(error: serde_path_to_error::Error<serde_json::Error>, body: &[u8]) -> Self {
        let path = error.path().to_string();
        let value = found_value(body, error.path());
        let found = value.as_ref().map(JsonKind::of);
        let inner = error.into_inner();
        let (line, column) = (inner.line(), inner.column());
        let message = inner.to_string();
        let message = message
            .strip_suffix(&format!(" at line {line} column {column}"))
            .unwrap_or(&message)
            .to_owned();
        let problem = match inner.classify() {
            serde_json::error::Category::Data => data_problem(&message, value.as_ref()),
            // serde_json's own syntax and end-of-input messages quote no input.
            _ => Problem::Syntax(message),
        };
        Self {
            path,
            problem,
            found,
            line,
            column,
        }
    }

    /// The JSON path where decoding stopped (`account.balances.available`; `.` for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The kind of value found at the path, where the body is JSON.
    pub fn found(&self) -> Option<JsonKind> {
        self.found
    }

    /// The line (from 1) and column of the body where decoding stopped; 0 where unknown.
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = |f: &mut fmt::Formatter<'_>| match self.found {
            Some(kind) => write!(f, ": {kind}"),
            None => Ok(()),
        };
        match &self.problem {
            Problem::Syntax(message) => f.write_str(message)?,
            Problem::InvalidType { expected } => {
                f.write_str("invalid type")?;
                found(f)?;
                write!(f, ", expected {expected}")?;
            }
            Problem::InvalidValue { expected } => {
                f.write_str("invalid value")?;
                found(f)?;
                write!(f, ", expected {expected}")?;
            }
            Problem::InvalidLength { expected } => {
                write!(f, "invalid length, expected {expected}")?;
            }
            Problem::UnknownVariant { expected } => {
                write!(f, "unknown variant, expected {expected}")?;
            }
            Problem::UnknownField { expected } => write!(f, "unknown field, expected {expected}")?,
            Problem::MissingField(field) => write!(f, "missing field `{field}`")?,
            Problem::DuplicateField(field) => write!(f, "duplicate field `{field}`")?,
            Problem::Refused(message) => {
                f.write_str("invalid value")?;
                found(f)?;
                write!(f, " ({message})")?;
            }
        }
        if self.line > 0 {
            write!(f, " at line {} column {}", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeFailure {}

/// The value at `path` in `body`, where the body is JSON.
fn found_value(body: &[u8], path: &serde_path_to_error::Path) -> Option<Value> {
    use serde_path_to_error::Segment;
    let mut value: Value = serde_json::from_slice(body).ok()?;
    for segment in path.iter() {
        value = match (segment, value) {
            (Segment::Seq { index }, Value::Array(mut items)) if *index < items.len() => {
                items.swap_remove(*index)
            }
            (Segment::Map { key }, Value::Object(mut map)) => map.remove(key)?,
            // An externally tagged enum's variant is an object key; other enums add no level.
            (Segment::Enum { variant }, Value::Object(mut map)) if map.contains_key(variant) => {
                map.remove(variant)?
            }
            (Segment::Enum { .. }, value) => value,
            _ => return None,
        };
    }
    Some(value)
}

// Invariant (no error quotes a response): what serde quotes from the input is dropped here.
/// serde's data messages, rebuilt from what the spec's types say: the part that quotes input
/// (`string "..."`, `integer `5``, `unknown variant `...``) is dropped.
fn data_problem(message: &str, value: Option<&Value>) -> Problem {
    // The expected part comes last; the value before it may itself contain ", expected ".
    let expected = || {
        message
            .rsplit_once(", expected ")
            .map(|(_, e)| e.to_owned())
            .unwrap_or_else(|| "another value".to_owned())
    };
    let backticked = |rest: &str| {
        rest.strip_prefix('`')
            .and_then(|r| r.split_once('`'))
            .map(|(name, _)| name.to_owned())
    };
    if message.starts_with("invalid type: ") {
        Problem::InvalidType {
            expected: expected(),
        }
    } else if message.starts_with("invalid value: ") {
        Problem::InvalidValue {
            expected: expected(),
        }
    } else if message.starts_with("invalid length ") {
        Problem::InvalidLength {
            expected: expected(),
        }
    } else if message.starts_with("unknown variant ") {
        Problem::UnknownVariant {
            expected: if message.ends_with("there are no variants") {
                "no variant".to_owned()
            } else {
                expected()
            },
        }
    } else if message.starts_with("unknown field ") {
        Problem::UnknownField {
            expected: if message.ends_with("there are no fields") {
                "no field".to_owned()
            } else {
                expected()
            },
        }
    } else if let Some(field) = message.strip_prefix("missing field ").and_then(backticked) {
        // Field names come from the spec's types (serde's derive), not from the body.
        Problem::MissingField(field)
    } else if let Some(field) = message
        .strip_prefix("duplicate field ")
        .and_then(backticked)
    {
        Problem::DuplicateField(field)
    } else {
        Problem::Refused(elide(message, value))
    }
}

/// A message of a type's own (`Error::custom`) with what it may quote from the input taken
/// out: every `"..."` and `` `...` `` segment, and the value's own text wherever it appears.
fn elide(message: &str, value: Option<&Value>) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
                out.push('…');
            }
            '`' => {
                for c in chars.by_ref() {
                    if c == '`' {
                        break;
                    }
                }
                out.push('…');
            }
            c => out.push(c),
        }
    }
    let text = match value {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    match text {
        // Shorter texts would cut words apart; they carry nothing personal.
        Some(text) if text.chars().count() >= 3 => out.replace(&text, "…"),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use bytes::Bytes;
    use http::{HeaderMap, StatusCode};
    use serde::Deserialize;

    fn decode<T: serde::de::DeserializeOwned + fmt::Debug>(body: &'static str) -> DecodeError {
        let mut de = serde_json::Deserializer::from_slice(body.as_bytes());
        let mut track = serde_path_to_error::Track::new();
        let error = T::deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
            .and_then(|_| de.end())
            .expect_err("does not decode");
        let meta = ResponseMeta::new(
            "getAccount",
            StatusCode::OK,
            HeaderMap::new(),
            Some("req-1".into()),
            Bytes::from_static(body.as_bytes()),
        );
        DecodeError::new(meta, serde_path_to_error::Error::new(track.path(), error))
    }

    /// Every way this error can be printed.
    fn printed(e: &DecodeError) -> String {
        let mut text = format!("{e}\n{e:?}\n{e:#?}");
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            text.push_str(&format!("\n{s}\n{s:?}"));
            source = s.source();
        }
        text
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Balances {
        available: f64,
        count: u8,
        kind: Kind,
        id: Option<Id>,
        tags: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Account {
        balances: Balances,
        pair: (u8, u8),
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Checking,
        Savings,
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Id(String);

    impl<'de> Deserialize<'de> for Id {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = String::deserialize(d)?;
            if s.starts_with("id_") {
                Ok(Id(s))
            } else {
                Err(serde::de::Error::custom(format!(
                    "bad id `{s}`: should start with \"id_\", got {s}"
                )))
            }
        }
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named_by_its_kind_only() {
        let body = r#"{"balances":{"available":"0004321567000","count":1,"kind":"checking","tags":[]},"pair":[1,2]}"#;
        let e = decode::<Account>(body);
        let text = printed(&e);
        assert!(!text.contains("0004321567000"), "{text}");
        assert_eq!(
            e.to_string(),
            "getAccount: the 200 OK response body does not match the spec at `balances.available`: \
             invalid type: string, expected f64 at line 1 column 40 (request id req-1)"
        );
        assert_eq!(e.failure().found(), Some(JsonKind::String));
        assert_eq!(e.failure().path(), "balances.available");
    }

    #[test]
    fn no_serde_message_that_quotes_input_survives() {
        let cases: [(&'static str, &str); 6] = [
            // invalid value (out of range)
            (
                r#"{"balances":{"available":1,"count":4321567000,"kind":"checking","tags":[]},"pair":[1,2]}"#,
                "invalid value: number, expected u8",
            ),
            // unknown variant
            (
                r#"{"balances":{"available":1,"count":1,"kind":"m4321567000","tags":[]},"pair":[1,2]}"#,
                "unknown variant, expected `checking` or `savings`",
            ),
            // invalid length (serde's message gives the length found: dropped)
            (
                r#"{"balances":{"available":1,"count":1,"kind":"checking","tags":[]},"pair":[1]}"#,
                "invalid length, expected a tuple of size 2",
            ),
            // a custom message that quotes its input, in quotes, backticks and bare
            (
                r#"{"balances":{"available":1,"count":1,"kind":"checking","id":"x4321567000","tags":[]},"pair":[1,2]}"#,
                "invalid value: string (bad id …: should start with …, got …)",
            ),
            // a string where an array is
            (
                r#"{"balances":{"available":1,"count":1,"kind":"checking","tags":"4321567000"},"pair":[1,2]}"#,
                "invalid type: string, expected a sequence",
            ),
            // a string whose text mimics serde's own message
            (
                r#"{"balances":{"available":"4321567000, expected f64","count":1,"kind":"checking","tags":[]},"pair":[1,2]}"#,
                "invalid type: string, expected f64",
            ),
        ];
        for (body, expected) in cases {
            let e = decode::<Account>(body);
            let text = printed(&e);
            assert!(!text.contains("4321567000"), "{body}:\n{text}");
            assert!(e.to_string().contains(expected), "{body}:\n{e}");
        }
    }

    #[test]
    fn syntax_errors_and_missing_fields_keep_serde_json_words() {
        let e = decode::<Account>(r#"{"balances":{"available":1,"#);
        assert!(matches!(e.failure().problem(), Problem::Syntax(_)), "{e}");
        assert!(e.to_string().contains("EOF while parsing"), "{e}");
        let e = decode::<Account>(r#"{"pair":[1,2]}"#);
        assert_eq!(
            e.failure().problem(),
            &Problem::MissingField("balances".into())
        );
        let e = decode::<Account>("4321567000");
        assert!(!printed(&e).contains("4321567000"), "{}", printed(&e));
        assert_eq!(e.failure().found(), Some(JsonKind::Number));
    }
}
