//! Layer 3 of the runtime, responses: a received response ([`RawResponse`]) decoded by the
//! generated code into a success ([`Response`]) or an error ([`ApiError`], [`DecodeError`]).
//! Imports the layers below it (errors, secrets); nothing of configuration or the call engine.

use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::decode_error::DecodeError;
use crate::error::{ApiError, Error};
use crate::meta::ResponseMeta;

/// A successful response: the decoded value with the status, headers and request id.
///
/// Dereferences to the value; [`Response::into_inner`] takes it out.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status (any 2xx, also one the spec does not list).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers the spec documents on the operation's responses, typed: the generated
    /// `<Operation>Headers` (`response.headers_as::<CreatePaymentHeaders>()`).
    pub fn headers_as<H: crate::FromHeaders>(&self) -> H {
        H::from_headers(&self.headers)
    }

    /// The provider's request id, if the response carried one. Support asks for it.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The same response with its body mapped (status, headers and request id kept).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// A complete response as received, before the operation's generated code decodes it.
pub struct RawResponse(ResponseMeta);

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawResponse").field(&self.0).finish()
    }
}

impl From<ResponseMeta> for RawResponse {
    fn from(meta: ResponseMeta) -> Self {
        Self(meta)
    }
}

impl RawResponse {
    /// Assembles a response by hand (for tests and custom transports).
    pub fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        body: Bytes,
    ) -> Self {
        Self(ResponseMeta::new(
            operation, status, headers, request_id, body,
        ))
    }

    /// A response to a request of a call: whether that request was safe to send twice
    /// goes with it, for `is_retryable`.
    pub(crate) fn answering(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        body: Bytes,
        repeatable: bool,
    ) -> Self {
        Self(
            ResponseMeta::new(operation, status, headers, request_id, body)
                .with_repeatable(repeatable),
        )
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.0.status().as_u16()
    }

    /// The response's status, request id, headers and body.
    pub fn meta(&self) -> &ResponseMeta {
        &self.0
    }

    /// Consumes the response, returning its metadata.
    pub fn into_meta(self) -> ResponseMeta {
        self.0
    }

    fn success<T>(self, value: T) -> Response<T> {
        let (status, headers, request_id, _) = self.0.into_parts();
        Response {
            value,
            status,
            headers,
            request_id,
        }
    }

    fn decode<T: DeserializeOwned>(&self) -> Result<T, Box<DecodeError>> {
        let body = self.0.raw_body();
        // The path of a failure is tracked only on failure: tracking allocates each map key
        // as it goes, and a decode that succeeds needs none of them. Decoding is
        // deterministic, so the second pass fails where the first did.
        if let Ok(value) = serde_json::from_slice(body) {
            return Ok(value);
        }
        let mut de = serde_json::Deserializer::from_slice(body);
        let mut track = serde_path_to_error::Track::new();
        let result = T::deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
            .and_then(|value| de.end().map(|()| value));
        result.map_err(|e| {
            Box::new(DecodeError::new(
                self.0.clone(),
                serde_path_to_error::Error::new(track.path(), e),
            ))
        })
    }

    fn is_blank(&self) -> bool {
        self.0.raw_body().iter().all(u8::is_ascii_whitespace)
    }

    /// A success documented with a JSON body.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let value = self.decode().map_err(Error::Decode)?;
        Ok(self.success(value))
    }

    /// A success whose JSON body may be absent (some documented statuses have none, and an
    /// undocumented 2xx may have none): an empty body is `None`.
    pub fn optional_json<T: DeserializeOwned, E>(self) -> Result<Response<Option<T>>, Error<E>> {
        if self.is_blank() {
            return Ok(self.success(None));
        }
        let value = self.decode().map_err(Error::Decode)?;
        Ok(self.success(Some(value)))
    }

    /// A success documented without a body.
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(self.success(()))
    }

    /// A success whose body is not JSON: the bytes as received.
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        let body = self.0.raw_body().clone();
        Ok(self.success(body))
    }

    /// An error status documented with a JSON body, as the operation's variant `variant`.
    pub fn error_json<B: DeserializeOwned, E>(self, variant: fn(ApiError<B>) -> E) -> Error<E> {
        match self.decode() {
            Ok(body) => Error::Api(variant(ApiError::new(self.0, body))),
            Err(e) => Error::Decode(e),
        }
    }

    /// An error status documented without a body. A body sent anyway is kept as raw bytes.
    pub fn error_empty<E>(self, variant: fn(ApiError<()>) -> E) -> Error<E> {
        Error::Api(variant(ApiError::new(self.0, ())))
    }

    /// An error status whose body is not JSON, or a status the spec does not document.
    pub fn error_raw<E>(self, variant: fn(ApiError<Bytes>) -> E) -> Error<E> {
        let body = self.0.raw_body().clone();
        Error::Api(variant(ApiError::new(self.0, body)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &'static str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req-1".parse().expect("header"));
        RawResponse::new(
            "op",
            StatusCode::from_u16(status).expect("status"),
            headers,
            Some("req-1".into()),
            Bytes::from_static(body.as_bytes()),
        )
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Body {
        error: String,
        n: Option<u32>,
    }

    #[derive(Debug)]
    enum OpError {
        BadRequest(ApiError<Body>),
        Unauthorized(ApiError<()>),
        Undocumented(ApiError<Bytes>),
    }

    #[test]
    fn decode_error_names_the_field_and_keeps_the_body() {
        let err = raw(400, r#"{"error":"x","n":"seven"}"#).error_json(OpError::BadRequest);
        let Error::Decode(e) = err else {
            panic!("expected a decode error, got {err:?}")
        };
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.request_id(), Some("req-1"));
        assert_eq!(&e.raw_body()[..], br#"{"error":"x","n":"seven"}"#);
        let text = e.to_string();
        assert!(text.contains("at `n`"), "{text}");
        assert!(!text.contains("seven"), "{text}");
        assert!(text.contains("request id req-1"), "{text}");
    }

    #[test]
    fn trailing_garbage_is_a_decode_error() {
        let err = raw(200, r#"{"error":"x"} trailing"#).json::<Body, OpError>();
        assert!(matches!(err, Err(Error::Decode(_))), "{err:?}");
    }

    #[test]
    fn typed_variants_keep_status_request_id_and_raw_body() {
        let Error::Api(OpError::BadRequest(e)) =
            raw(400, r#"{"error":"bad"}"#).error_json(OpError::BadRequest)
        else {
            panic!("expected BadRequest")
        };
        assert_eq!(e.body().error, "bad");
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.request_id(), Some("req-1"));

        let Error::Api(OpError::Unauthorized(e)) =
            raw(401, "surprise").error_empty(OpError::Unauthorized)
        else {
            panic!("expected Unauthorized")
        };
        assert_eq!(&e.raw_body()[..], b"surprise");

        let Error::Api(OpError::Undocumented(e)) =
            raw(418, "teapot").error_raw(OpError::Undocumented)
        else {
            panic!("expected Undocumented")
        };
        assert_eq!(e.status().as_u16(), 418);
        assert_eq!(&e.body()[..], b"teapot");
    }

    #[test]
    fn optional_json_treats_blank_bodies_as_none() {
        let r = raw(201, " \n")
            .optional_json::<Body, OpError>()
            .expect("blank");
        assert!(r.is_none());
        let r = raw(201, r#"{"error":"e"}"#)
            .optional_json::<Body, OpError>()
            .expect("body");
        assert_eq!(r.as_ref().map(|b| b.error.as_str()), Some("e"));
        assert_eq!(r.request_id(), Some("req-1"));
        assert_eq!(r.status(), StatusCode::CREATED);
    }
}
