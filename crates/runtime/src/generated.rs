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
