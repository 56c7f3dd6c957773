//! Layer 4 of the runtime, configuration: what a provider's token endpoint is (path, media
//! type, body fields, where the token and its expiry are), as data generated from the spec and
//! the provider's settings ([`TokenEndpoint`]), the credentials exchanged there, and reading a
//! token's lifetime. Fetching and caching tokens is the call engine's
//! (`token_source.rs`).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::response::RawResponse;
use crate::secret::{REDACTED, Secret};

/// Decodes an error response of the token endpoint as its operation's documented error (the
/// generated error enum), boxed; `None` where the body does not match the spec.
pub type TokenErrorDecoder = fn(RawResponse) -> Option<Box<dyn std::error::Error + Send + Sync>>;

/// A provider's token endpoint, generated from its spec and settings.
#[derive(Debug, Clone, Copy)]
pub struct TokenEndpoint {
    /// The token operation's `operationId`, for messages.
    pub operation: &'static str,
    /// The token operation's Rust method name (progenitor's operation name).
    pub method_name: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path, relative to the server.
    pub path: &'static str,
    /// The operation's own server, where it is not the API's (see [`crate::OperationServer`]).
    pub server: Option<&'static str>,
    /// `application/x-www-form-urlencoded` rather than JSON.
    pub form: bool,
    /// The body's fields.
    pub body: &'static [(&'static str, TokenField)],
    /// The response field that holds the access token.
    pub access_token: &'static str,
    /// How the token's expiry is known.
    pub expiry: Expiry,
    /// What a 401 body contains when it says the token expired; `None`: any 401 does.
    pub expired_marker: Option<&'static str>,
    /// Decodes the endpoint's error responses as its documented error enum.
    pub decode_error: TokenErrorDecoder,
}

/// Where a token request's body field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenField {
    /// A fixed value (`grant_type: client_credentials`).
    Literal(&'static str),
    /// A credential the user gives (`client_secret`).
    Credential(&'static str),
    /// A value the user may give (`scope`); left out when not given.
    Optional(&'static str),
}

/// How the expiry of a token is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The named response field holds the token's lifetime in seconds.
    Seconds(&'static str),
    /// The named field holds either a lifetime in seconds or the Unix time of expiry (values
    /// past 10^9 are taken as Unix times): for providers that document one and send the other.
    UnixOrSeconds(&'static str),
    /// The token is a JWT: its `exp` claim is the Unix time of expiry.
    JwtExp,
}

/// The credentials a token source exchanges for tokens.
#[derive(Clone)]
pub struct TokenCredentials {
    pub(crate) endpoint: &'static TokenEndpoint,
    pub(crate) values: Vec<(&'static str, Secret)>,
}

impl TokenCredentials {
    /// Credentials for `endpoint`: `values` names each [`TokenField::Credential`] (and any
    /// [`TokenField::Optional`] given).
    pub fn new(endpoint: &'static TokenEndpoint, values: Vec<(&'static str, Secret)>) -> Self {
        Self { endpoint, values }
    }

    /// Sets an optional value (such as `scope`).
    pub fn set(&mut self, name: &'static str, value: impl Into<Secret>) {
        self.values.retain(|(n, _)| *n != name);
        self.values.push((name, value.into()));
    }

    pub(crate) fn endpoint(&self) -> &'static TokenEndpoint {
        self.endpoint
    }

    pub(crate) fn value(&self, name: &str) -> Option<&Secret> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The credentials the endpoint needs and were not given.
    pub(crate) fn missing(&self) -> Vec<&'static str> {
        self.endpoint
            .body
            .iter()
            .filter_map(|(_, f)| match f {
                TokenField::Credential(name) if self.value(name).is_none() => Some(*name),
                _ => None,
            })
            .collect()
    }
}

impl fmt::Debug for TokenCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = self.values.iter().map(|(n, _)| *n).collect();
        f.debug_struct("TokenCredentials")
            .field("endpoint", &self.endpoint.operation)
            .field("values", &format_args!("{names:?}: {REDACTED}"))
            .finish()
    }
}

/// How long before expiry a token is refreshed: a tenth of its life, at most a minute.
pub(crate) fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(60))
}

/// The lifetime of a token from its response (or from the token itself).
pub(crate) fn lifetime(
    expiry: &Expiry,
    response: &Value,
    token: &str,
    now: SystemTime,
) -> Result<Duration, String> {
    let now_unix = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let until = |unix: u64| Duration::from_secs(unix.saturating_sub(now_unix));
    let number = |field: &str| {
        response
            .get(field)
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("the token response has no whole number `{field}`"))
    };
    match expiry {
        Expiry::Seconds(field) => Ok(Duration::from_secs(number(field)?)),
        Expiry::UnixOrSeconds(field) => {
            let n = number(field)?;
            Ok(if n > 1_000_000_000 {
                until(n)
            } else {
                Duration::from_secs(n)
            })
        }
        Expiry::JwtExp => jwt_exp(token).map(until),
    }
}

/// The `exp` claim of a JWT (not verified: the provider verifies its own tokens).
pub(crate) fn jwt_exp(token: &str) -> Result<u64, String> {
    let payload = token
        .split('.')
        .nth(1)
        .ok_or("the access token is not a JWT")?;
    let bytes = base64url_decode(payload).ok_or("the access token's payload is not base64url")?;
    let claims: Value =
        serde_json::from_slice(&bytes).map_err(|_| "the access token's payload is not JSON")?;
    claims
        .get("exp")
        .and_then(|e| e.as_u64().or_else(|| e.as_f64().map(|f| f as u64)))
        .ok_or_else(|| "the access token has no `exp` claim".to_owned())
}

fn base64url_decode(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in input.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_exp_is_read_from_the_payload() {
        // {"sub":"user-1234","exp":1799999999}
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMzQiLCJleHAiOjE3OTk5OTk5OTl9.sig";
        assert_eq!(jwt_exp(token), Ok(1_799_999_999));
        assert!(jwt_exp("opaque-token").is_err());
        assert!(jwt_exp("a.!!!.c").is_err());
    }

    #[test]
    fn lifetimes_follow_the_declared_expiry() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let response = serde_json::json!({"expires_in": 3600, "at": 1_700_000_600u64});
        assert_eq!(
            lifetime(&Expiry::Seconds("expires_in"), &response, "", now),
            Ok(Duration::from_secs(3600))
        );
        assert_eq!(
            lifetime(&Expiry::UnixOrSeconds("at"), &response, "", now),
            Ok(Duration::from_secs(600))
        );
        assert_eq!(
            lifetime(&Expiry::UnixOrSeconds("expires_in"), &response, "", now),
            Ok(Duration::from_secs(3600))
        );
        assert!(lifetime(&Expiry::Seconds("missing"), &response, "", now).is_err());
        // An exp in the past is a token to refresh at once.
        let past = "h.eyJleHAiOjF9.s"; // {"exp":1}
        assert_eq!(
            lifetime(&Expiry::JwtExp, &response, past, now),
            Ok(Duration::ZERO)
        );
    }

    #[test]
    fn refresh_happens_before_expiry() {
        assert_eq!(
            refresh_margin(Duration::from_secs(3600)),
            Duration::from_secs(60)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(10)),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn debug_of_token_credentials_hides_values() {
        static EP: TokenEndpoint = TokenEndpoint {
            operation: "token",
            method_name: "token",
            method: "POST",
            path: "/token",
            server: None,
            form: false,
            body: &[("client_secret", TokenField::Credential("client_secret"))],
            access_token: "access_token",
            expiry: Expiry::JwtExp,
            expired_marker: None,
            decode_error: |_| None,
        };
        let c = TokenCredentials::new(&EP, vec![("client_secret", Secret::new("s3cr3t"))]);
        let text = format!("{c:?}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(text.contains("client_secret"), "{text}");
        assert!(c.missing().is_empty());
        assert_eq!(
            TokenCredentials::new(&EP, vec![]).missing(),
            vec!["client_secret"]
        );
    }
}
