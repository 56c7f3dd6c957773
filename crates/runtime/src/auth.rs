//! Layer 4 of the runtime, configuration: the credentials a client holds ([`Credentials`]),
//! the kinds of credentials an operation accepts ([`Scheme`], [`OperationSecurity`]), and the
//! `Authorization` header they make, marked sensitive.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::secret::{REDACTED, Secret};
use crate::token::TokenCredentials;

/// A kind of credentials an operation accepts, as declared by the spec's `securitySchemes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// HTTP Basic authentication (`type: http, scheme: basic`).
    Basic,
    /// A bearer token (`type: http, scheme: bearer`, or OAuth2).
    Bearer,
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::Basic => "HTTP Basic",
            Scheme::Bearer => "bearer token",
        })
    }
}

/// The security requirements of one operation, generated from the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationSecurity {
    /// The operation's Rust method name: what progenitor's `OperationInfo` carries.
    pub operation: &'static str,
    /// The schemes the operation accepts, any one of which suffices.
    pub schemes: &'static [Scheme],
    /// Whether the operation may also be called without credentials (an empty requirement).
    pub anonymous: bool,
}

/// The credentials a client sends.
#[derive(Clone, Default)]
pub enum Credentials {
    /// No credentials.
    #[default]
    None,
    /// HTTP Basic credentials.
    Basic {
        /// The username (for Moov: the public API key).
        username: Secret,
        /// The password (for Moov: the private API key).
        password: Secret,
    },
    /// A static bearer token.
    Bearer(Secret),
    /// Credentials exchanged at the provider's token endpoint for bearer tokens, which the
    /// client caches and refreshes.
    Token(TokenCredentials),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Basic { .. } => f
                .debug_struct("Basic")
                .field("username", &format_args!("{REDACTED}"))
                .field("password", &format_args!("{REDACTED}"))
                .finish(),
            Credentials::Bearer(_) => f
                .debug_tuple("Bearer")
                .field(&format_args!("{REDACTED}"))
                .finish(),
            Credentials::Token(t) => f.debug_tuple("Token").field(t).finish(),
        }
    }
}

impl Credentials {
    /// Basic credentials from a username and a password.
    pub fn basic(username: impl Into<Secret>, password: impl Into<Secret>) -> Self {
        Credentials::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// A static bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Credentials::Bearer(token.into())
    }

    /// The scheme these credentials belong to, if any.
    pub fn scheme(&self) -> Option<Scheme> {
        match self {
            Credentials::None => None,
            Credentials::Basic { .. } => Some(Scheme::Basic),
            Credentials::Bearer(_) | Credentials::Token(_) => Some(Scheme::Bearer),
        }
    }

    /// The `Authorization` header value, marked sensitive so that it is never logged.
    pub(crate) fn authorization(&self) -> Result<Option<HeaderValue>, String> {
        let text = match self {
            Credentials::None | Credentials::Token(_) => return Ok(None),
            Credentials::Basic { username, password } => {
                let raw = format!("{}:{}", username.expose(), password.expose());
                format!("Basic {}", base64(raw.as_bytes()))
            }
            Credentials::Bearer(token) => format!("Bearer {}", token.expose()),
        };
        let mut value = HeaderValue::from_str(&text)
            .map_err(|_| "credentials contain characters not allowed in a header".to_owned())?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

/// Static credentials with their `Authorization` value, made once when the client is built
/// (not on every call).
pub(crate) struct StaticCredentials {
    credentials: Credentials,
    header: Option<HeaderValue>,
}

impl StaticCredentials {
    /// The credentials themselves.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The credentials and their header value; fails where they cannot go in a header.
    pub(crate) fn new(credentials: Credentials) -> Result<Self, String> {
        let header = credentials.authorization()?;
        Ok(Self {
            credentials,
            header,
        })
    }

    /// Sets `Authorization` on `request` as the operation's security requirements allow
    /// (static credentials only; token sources are applied by the runtime).
    pub(crate) fn apply(
        &self,
        request: &mut reqwest::Request,
        security: &OperationSecurity,
    ) -> Result<(), String> {
        let Some(scheme) = self.credentials.scheme() else {
            return Ok(());
        };
        if security.accepts(scheme)?
            && let Some(value) = &self.header
        {
            request.headers_mut().insert(AUTHORIZATION, value.clone());
        }
        Ok(())
    }
}

impl OperationSecurity {
    /// Whether credentials of `scheme` go with this operation: yes where it accepts them, no
    /// where it may be called without them (or with schemes a client cannot hold), and an
    /// error where it needs credentials of another kind.
    pub(crate) fn accepts(&self, scheme: Scheme) -> Result<bool, String> {
        if self.schemes.contains(&scheme) {
            return Ok(true);
        }
        if self.anonymous || self.schemes.is_empty() {
            return Ok(false);
        }
        Err(format!(
            "operation {} accepts {}, but the client holds {scheme} credentials",
            self.operation,
            self.schemes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" or "),
        ))
    }
}

/// Standard base64 with padding (RFC 4648), enough for HTTP Basic credentials.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "input {input:?}");
        }
    }

    #[test]
    fn debug_redacts_every_credential() {
        let basic = Credentials::basic("pk_public", "sk_private");
        let bearer = Credentials::bearer("tok_123");
        let text = format!("{basic:?} {bearer:?} {basic:#?}");
        for secret in ["pk_public", "sk_private", "tok_123"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains(REDACTED));
    }

    fn request() -> reqwest::Request {
        reqwest::Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/".parse().expect("url"),
        )
    }

    #[test]
    fn applies_only_what_the_operation_accepts() {
        const BOTH: OperationSecurity = OperationSecurity {
            operation: "op",
            schemes: &[Scheme::Basic, Scheme::Bearer],
            anonymous: false,
        };
        const BASIC_OR_NONE: OperationSecurity = OperationSecurity {
            operation: "token",
            schemes: &[Scheme::Basic],
            anonymous: true,
        };
        const BASIC_ONLY: OperationSecurity = OperationSecurity {
            operation: "basic",
            schemes: &[Scheme::Basic],
            anonymous: false,
        };
        let basic = StaticCredentials::new(Credentials::basic("Aladdin", "open sesame"))
            .expect("a header value");
        let mut r = request();
        basic.apply(&mut r, &BOTH).expect("apply");
        assert_eq!(
            r.headers()[AUTHORIZATION],
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert!(r.headers()[AUTHORIZATION].is_sensitive());

        let bearer =
            StaticCredentials::new(Credentials::bearer("tok_secret_9")).expect("a header value");
        let mut r = request();
        bearer.apply(&mut r, &BOTH).expect("apply");
        assert_eq!(r.headers()[AUTHORIZATION], "Bearer tok_secret_9");

        let mut r = request();
        bearer.apply(&mut r, &BASIC_OR_NONE).expect("apply");
        assert!(r.headers().get(AUTHORIZATION).is_none());

        let err = bearer
            .apply(&mut request(), &BASIC_ONLY)
            .expect_err("bearer on a basic-only operation");
        assert!(err.contains("accepts HTTP Basic"), "{err}");
        assert!(!err.contains("tok_secret_9"), "{err}");
    }
}
