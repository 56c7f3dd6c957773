//! Layer 1 of the runtime, secrets and redaction: what `Debug` prints in place of a
//! credential, a token, a sensitive field or a response body. Imports nothing of the crate.

use std::fmt;

/// What `Debug` prints in place of a credential, a token or a field marked sensitive.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Stands in for a sensitive value in generated `Debug` output: prints [`REDACTED`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

// Invariant (secrets never print): `Secret` has no `Display`, and its `Debug` is a placeholder.
/// A string that must never be printed: a password, a key, a token.
///
/// `Debug` prints [`REDACTED`]; there is deliberately no `Display`. Read the value with
/// [`Secret::expose`] where it has to go on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// What `Debug` shows of a response body: its type and length, never its content.
pub(crate) struct BodySummary(&'static str, usize);

impl BodySummary {
    pub(crate) fn new<B>(len: usize) -> Self {
        let name = std::any::type_name::<B>();
        Self(name.rsplit("::").next().unwrap_or(name), len)
    }
}

impl fmt::Debug for BodySummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}, {} bytes>", self.0, self.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("sk_live_123");
        assert_eq!(format!("{s:?}"), REDACTED);
        assert_eq!(format!("{s:#?}"), REDACTED);
        assert_eq!(s.expose(), "sk_live_123");
    }
}
