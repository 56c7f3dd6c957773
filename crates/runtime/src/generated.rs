//! Layer 4 of the runtime, configuration: what every generated crate would otherwise repeat,
//! as macros its generated code invokes. A new client option or error accessor is a change
//! here, and every crate has it at its next build, without a regen.
//!
//! - [`client_builder_methods!`](crate::client_builder_methods): the builder methods every
//!   provider's `ClientBuilder` shares (its own methods, for its schemes, token endpoint and
//!   headers, stay generated).
//! - [`operation_error!`](crate::operation_error): what an operation's error enum is: it
//!   derefs to the response's [`ResponseMeta`](crate::ResponseMeta) (`err.status()`,
//!   `err.request_id()`, ... with no trait to import), prints as it, and is an error.
//! - [`open_enum!`](crate::open_enum): an open string enum's conversions and serde.
//! - [`constrained_string!`](crate::constrained_string): the conversions of a string newtype
//!   whose `FromStr` checks the spec's constraints.
//! - [`deserialize_struct!`](crate::deserialize_struct) and
//!   [`serialize_struct!`](crate::serialize_struct): serde's `Deserialize` and `Serialize`
//!   for a struct, as serde's derives decode and encode it, in a fraction of the code.

/// The `ClientBuilder` methods every generated crate shares, for a builder struct with a
/// `config: finapi_runtime::ClientConfig` field. Invoked inside the builder's `impl`.
#[doc(hidden)]
#[macro_export]
macro_rules! client_builder_methods {
    () => {
        /// Sets the base URL: scheme, host, optional port and path prefix.
        pub fn base_url(
            mut self,
            base_url: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.config.set_base_url(base_url);
            self
        }

        /// Sets the credentials to send.
        pub fn credentials(mut self, credentials: $crate::Credentials) -> Self {
            self.config.set_credentials(credentials);
            self
        }

        /// Sets the connect timeout and the timeout of one attempt, from sending the request
        /// to reading the last byte of its response (defaults:
        /// [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT),
        /// [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT)). A whole call, retries and waits
        /// included, ends by [`RetryPolicy::max_elapsed`](crate::RetryPolicy::max_elapsed).
        pub fn timeouts(
            mut self,
            connect: ::std::time::Duration,
            request: ::std::time::Duration,
        ) -> Self {
            self.config.set_timeouts(connect, request);
            self
        }

        /// Sets how the client retries and the deadline of a whole call (default
        /// [`RetryPolicy::default`](crate::RetryPolicy::default): 429 after the server's
        /// delay, 408/502/503/504 and transport errors for repeatable requests only, 60 s
        /// per call; [`RetryPolicy::none`](crate::RetryPolicy::none) turns retries off).
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.config.set_retry_policy(policy);
            self
        }

        /// Adds an interceptor: its hooks run before each attempt is sent, when a response
        /// arrives and once a call has ended, after those of interceptors added before it
        /// ([`Interceptor`](crate::Interceptor)). Credentials are withheld from it unless it
        /// asks for them.
        pub fn interceptor(mut self, interceptor: impl $crate::Interceptor) -> Self {
            self.config.add_interceptor(interceptor);
            self
        }

        /// Sends requests through this `reqwest::Client` (its own timeouts and TLS apply to
        /// each attempt). Build it from [`http_client_builder`](crate::http_client_builder),
        /// which sets up TLS.
        pub fn http_client(mut self, client: $crate::export::reqwest::Client) -> Self {
            self.config.set_http_client(client);
            self
        }

        /// Sets the `User-Agent` header (default: this crate's name and version).
        pub fn user_agent(
            mut self,
            user_agent: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.config.set_user_agent(user_agent);
            self
        }
    };
}

/// What an operation's error enum is, given its name and variants (each holding an
/// [`ApiError`](crate::ApiError)): it derefs to the response's
/// [`ResponseMeta`](crate::ResponseMeta), prints as it (operation, status, request id: never a
/// body), and is a `std::error::Error`.
#[doc(hidden)]
#[macro_export]
macro_rules! operation_error {
    ($name:ident { $($variant:ident),+ $(,)? }) => {
        /// Every variant's status, request id, headers and raw body:
        /// `err.status()`, `err.request_id()`, `err.raw_body()`.
        impl ::std::ops::Deref for $name {
            type Target = $crate::ResponseMeta;
            fn deref(&self) -> &$crate::ResponseMeta {
                match self {
                    $(Self::$variant(e) => e.meta(),)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&**self, f)
            }
        }

        impl ::std::error::Error for $name {}
    };
}

/// What an open string enum is, given its name and its listed variants with their wire
/// values (the enum itself, generated, ends with `Unrecognized(String)`): `as_str` (the value
/// as it is sent), `Display`, `FromStr` and `From<&str>` / `From<String>` (any value: a listed
/// one as its variant, any other as `Unrecognized`, kept as received), and serde's
/// `Serialize` / `Deserialize` as that string. One macro, so that each enum of a generated
/// crate is a few lines and none derives serde's code for an untagged fallback.
// Invariant (enums are open): a value the spec does not list decodes into `Unrecognized`.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unrecognized(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unrecognized(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Unrecognized(value),
                }
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<__S: $crate::__serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                $crate::de::open_enum(deserializer)
            }
        }
    };
}

/// The conversions of a string newtype `struct Name(String)` whose generated `FromStr`
/// checks the spec's constraints (length, pattern), as typify writes them for each such
/// type: `Deref` to the string, `From<Name> for String`, `TryFrom<&str>` and
/// `TryFrom<String>` (through `FromStr`), and serde's `Deserialize` (a string, then
/// `FromStr`: a value that breaks a constraint is a decode error). One macro, so that each
/// such type of a generated crate is its struct, its `FromStr` and a line.
#[doc(hidden)]
#[macro_export]
macro_rules! constrained_string {
    ($name:ident) => {
        impl ::std::ops::Deref for $name {
            type Target = ::std::string::String;
            fn deref(&self) -> &::std::string::String {
                &self.0
            }
        }

        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = <$name as ::std::str::FromStr>::Err;
            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = <$name as ::std::str::FromStr>::Err;
            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                let value: ::std::string::String =
                    $crate::__serde::Deserialize::deserialize(deserializer)?;
                value
                    .parse()
                    .map_err(|e: <$name as ::std::str::FromStr>::Err| {
                        <__D::Error as $crate::__serde::de::Error>::custom(e.to_string())
                    })
            }
        }
    };
}

/// serde's `Deserialize` for a struct with named fields, decoding as
/// `#[derive(Deserialize)]` does, attribute for attribute, for the attributes generated types
/// use: from a map (each field once; an unknown key skipped, or an error where the struct
/// denies them) or a sequence (the fields in order), through `deserialize_struct`, so every
/// serde format reads it as it reads a derived struct. What the derive writes into each struct
/// (a field enum, its visitor, a wrapper per `deserialize_with`) is shared here:
/// [`de::Field`](crate::de::Field) reads a key as the field's index, and a struct's impl is
/// a few lines per field. Large specs have hundreds of structs: the derive's expansion was
/// most of their crates' code.
///
/// Each field: `index name: Type = "wire name" value finish(default)`, naming the methods of
/// [`de::Fields`](crate::de::Fields) that decode it: `value`, `value_null_as_empty` (the
/// field has `#[serde(deserialize_with = "finapi_runtime::de::null_as_empty")]`) or
/// `value_datetime` (a `chrono::DateTime<Utc>`, or an `Option` of one: the runtime's `chrono`
/// feature), and what a
/// field without a value is: `absent` (serde's rule: `None` for an `Option`, else an error),
/// `required` (an error: a field with `deserialize_with`) or `or_default`; `default` is
/// `None`, or the function of `#[serde(default)]` / `#[serde(default = "path")]`. Names of
/// functions, not macro arms: each field is a few lines of the expansion and no nested
/// expansion. A struct is its [`de::FromFields`](crate::de::FromFields): one body reads it
/// from a map and from a sequence ([`de::MapFields`](crate::de::MapFields),
/// [`de::SeqFields`](crate::de::SeqFields)), and one visitor in the runtime serves every
/// struct, where the derive writes a visitor and a body for each source into each struct.
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_struct {
    // Its own names start with `__`, as serde's derive's do: a generated type may be called
    // `D` or `F`.
    ($name:ident, $seq:literal, $deny:literal, {
        $($index:literal $field:ident : $ty:ty = $wire:literal
            $value:ident $finish:ident ($default:expr)),+ $(,)?
    }) => {
        impl $crate::de::FromFields for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),+];
            const EXPECTING: &'static str = $seq;
            const DENY_UNKNOWN: bool = $deny;

            fn from_fields<'de, __F: $crate::de::Fields<'de>>(
                mut fields: __F,
            ) -> ::std::result::Result<Self, __F::Error> {
                $(let mut $field: ::std::option::Option<$ty> = ::std::option::Option::None;)+
                while let ::std::option::Option::Some(index) = fields.next_index()? {
                    match index {
                        $($index => fields.$value(&mut $field, $wire)?,)+
                        _ => fields.skip()?,
                    }
                }
                ::std::result::Result::Ok($name {
                    $($field: fields.$finish($field, $index, $wire, $default)?,)+
                })
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                $crate::de::deserialize_struct(deserializer)
            }
        }
    };
}

/// serde's `Serialize` for a struct with named fields, encoding as `#[derive(Serialize)]`
/// does for the attributes generated types use (`rename`, `skip_serializing_if`): through
/// `serialize_struct`, with the number of fields not skipped, then each field in order
/// (`serialize_field`, or `skip_field` where its `skip_serializing_if` holds). Each field:
/// `index name = "wire name"`, then `skip_if(path)` where it has `#[serde(skip_serializing_if
/// = "path")]`. What the derive writes per field (a branch, a count, two `?`) is one call
/// of [`ser::StructFields`](crate::ser::StructFields): the derive's `Serialize` was the
/// largest part of a large spec's code after its `Deserialize`.
#[doc(hidden)]
#[macro_export]
macro_rules! serialize_struct {
    // Its own names start with `__`, as serde's derive's do.
    ($name:ident, { $($index:literal $field:ident = $wire:literal $(skip_if($skip:path))?),+ $(,)? }) => {
        impl $crate::__serde::Serialize for $name {
            fn serialize<__S: $crate::__serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                let __present = [$(true $(&& !$skip(&self.$field))?),+];
                let mut __fields =
                    $crate::ser::StructFields::new(serializer, ::std::stringify!($name), &__present);
                $(__fields.field($wire, &self.$field, __present[$index]);)+
                __fields.end()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::{ApiError, ResponseMeta};

    #[derive(Debug)]
    enum OpError {
        NotFound(ApiError<()>),
        Undocumented(ApiError<bytes::Bytes>),
    }

    crate::operation_error!(OpError {
        NotFound,
        Undocumented
    });

    #[derive(Debug, Clone, PartialEq)]
    enum Status {
        Open,
        ClosedByBank,
        Unrecognized(String),
    }

    crate::open_enum!(Status {
        Open => "open",
        ClosedByBank => "closed-by-bank",
    });

    #[derive(Debug, Clone, PartialEq)]
    struct Token(String);

    impl std::str::FromStr for Token {
        type Err = String;
        fn from_str(value: &str) -> Result<Self, String> {
            if value.chars().count() > 4 {
                return Err("longer than 4 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }

    crate::constrained_string!(Token);

    #[test]
    fn a_constrained_string_converts_through_its_checks() {
        let token = Token::try_from("abcd").expect("four characters");
        assert_eq!(token.len(), 4, "derefs to the string");
        assert_eq!(String::from(token.clone()), "abcd");
        assert_eq!(Token::try_from(String::from("abcd")), Ok(token));
        assert_eq!(
            Token::try_from("abcde"),
            Err("longer than 4 characters".to_string())
        );
        let decoded: Token = serde_json::from_str(r#""ab""#).expect("decodes");
        assert_eq!(decoded, Token("ab".into()));
        let err = serde_json::from_str::<Token>(r#""abcdef""#).expect_err("too long");
        assert!(
            err.to_string().contains("longer than 4 characters"),
            "{err}"
        );
        assert!(
            serde_json::from_str::<Token>("7").is_err(),
            "a number is no string"
        );
    }

    #[test]
    fn an_open_enum_keeps_values_it_does_not_list_and_sends_them_back() {
        let decoded: Vec<Status> =
            serde_json::from_str(r#"["open", "closed-by-bank", "frozen"]"#).expect("decodes");
        assert_eq!(
            decoded,
            [
                Status::Open,
                Status::ClosedByBank,
                Status::Unrecognized("frozen".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&decoded).expect("encodes"),
            r#"["open","closed-by-bank","frozen"]"#
        );
        assert_eq!("closed-by-bank".parse(), Ok(Status::ClosedByBank));
        assert_eq!(Status::from(String::from("x")).to_string(), "x");
        let keyed: std::collections::BTreeMap<String, u8> =
            [(Status::Open.to_string(), 1)].into_iter().collect();
        assert_eq!(keyed["open"], 1);
        let err = serde_json::from_str::<Status>("7").expect_err("a number is no status");
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn an_operation_error_derefs_to_its_response_and_prints_as_it() {
        let meta = ResponseMeta::new(
            "getThing",
            http::StatusCode::NOT_FOUND,
            http::HeaderMap::new(),
            Some("req-9".into()),
            bytes::Bytes::from_static(b"{\"secret\":\"0004321567000\"}"),
        );
        let e = OpError::NotFound(ApiError::new(meta, ()));
        assert_eq!(e.status().as_u16(), 404);
        assert_eq!(e.request_id(), Some("req-9"));
        assert_eq!(
            e.to_string(),
            "getThing: status 404 Not Found (request id req-9)"
        );
        let source: &dyn std::error::Error = &e;
        assert!(!format!("{source} {e:?}").contains("0004321567000"));
        let _ = OpError::Undocumented;
    }
}

#[cfg(test)]
mod deserialize_tests;
#[cfg(test)]
mod serialize_tests;
