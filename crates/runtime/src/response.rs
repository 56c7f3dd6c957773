use std::fmt;
use std::ops::Deref;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use http::{HeaderMap, StatusCode};
use progenitor_client::{ByteStream, ResponseValue};
use serde::de::DeserializeOwned;

use crate::config::Runtime;
use crate::error::{DecodeError, Error, ErrorResponse, TransportError};

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

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
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

/// An error response of one documented (or undocumented) status: status, request id,
/// headers, the decoded body `B` (`()` where the spec documents none) and the raw bytes.
#[derive(Clone)]
pub struct ApiError<B> {
    status: StatusCode,
    request_id: Option<String>,
    headers: HeaderMap,
    body: B,
    raw: Bytes,
}

impl<B> ApiError<B> {
    /// The decoded body the spec documents for this status.
    pub fn body(&self) -> &B {
        &self.body
    }

    /// Consumes the error, returning the decoded body.
    pub fn into_body(self) -> B {
        self.body
    }
}

impl<B> fmt::Debug for ApiError<B> {
    /// Status, request id, and the body's type and size: never the body itself, which may
    /// echo personal data or credentials sent in the request. Read it with [`ApiError::body`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body", &BodySummary::new::<B>(&self.raw))
            .finish_non_exhaustive()
    }
}

/// What Debug shows of a response body: its type and length.
pub(crate) struct BodySummary(&'static str, usize);

impl BodySummary {
    pub(crate) fn new<B>(raw: &Bytes) -> Self {
        let name = std::any::type_name::<B>();
        Self(name.rsplit("::").next().unwrap_or(name), raw.len())
    }
}

impl fmt::Debug for BodySummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}, {} bytes>", self.0, self.1)
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body is left out on purpose: it may hold personal data.
        write!(f, "status {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl<B> std::error::Error for ApiError<B> {}

impl<B> ErrorResponse for ApiError<B> {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    fn raw_body(&self) -> &Bytes {
        &self.raw
    }
}

/// A complete response as received, before it is decoded by the operation's generated code.
#[derive(Debug)]
pub struct RawResponse {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    body: Bytes,
}

/// A body type progenitor's raw methods return: a byte stream, or `()` for an operation that
/// documents no error response (progenitor then never returns an error body).
pub trait RawBody {
    /// Reads the whole body.
    fn read_all(self) -> impl Future<Output = reqwest::Result<Bytes>> + Send;
}

impl RawBody for ByteStream {
    async fn read_all(self) -> reqwest::Result<Bytes> {
        let mut stream = self.into_inner();
        let mut body = BytesMut::new();
        while let Some(chunk) = stream.next().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body.freeze())
    }
}

impl RawBody for () {
    async fn read_all(self) -> reqwest::Result<Bytes> {
        Ok(Bytes::new())
    }
}

async fn read_value<B: RawBody>(
    value: ResponseValue<B>,
) -> reqwest::Result<(StatusCode, HeaderMap, Bytes)> {
    let status = value.status();
    let headers = value.headers().clone();
    let body = value.into_inner().read_all().await?;
    Ok((status, headers, body))
}

/// Reads the whole response of a generated raw call, or turns its failure into an [`Error`].
pub async fn collect<E, B: RawBody>(
    runtime: &Runtime,
    operation: &'static str,
    result: Result<ResponseValue<ByteStream>, progenitor_client::Error<B>>,
) -> Result<RawResponse, Error<E>> {
    use progenitor_client::Error as P;
    let transport = |source| Error::Transport(TransportError { operation, source });
    let (status, headers, body) = match result {
        Ok(value) => read_value(value).await.map_err(transport)?,
        Err(P::ErrorResponse(value)) => read_value(value).await.map_err(transport)?,
        Err(P::UnexpectedResponse(response)) => {
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(transport)?;
            (status, headers, body)
        }
        Err(P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e)) => {
            return Err(transport(e));
        }
        Err(P::InvalidRequest(message)) => {
            return Err(Error::InvalidRequest { operation, message });
        }
        Err(P::Custom(message)) => return Err(Error::Auth { operation, message }),
        Err(P::InvalidResponsePayload(_, e)) => {
            // Generated code never asks progenitor to decode; keep the message if it does.
            return Err(Error::InvalidRequest {
                operation,
                message: format!("unexpected decode by the raw client: {e}"),
            });
        }
    };
    let request_id = headers
        .get(runtime.request_id_header())
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let span = tracing::Span::current();
    span.record("status", status.as_u16());
    if let Some(id) = &request_id {
        span.record("request_id", id.as_str());
    }
    Ok(RawResponse {
        operation,
        status,
        headers,
        request_id,
        body,
    })
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
        Self {
            operation,
            status,
            headers,
            request_id,
            body,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    fn success<T>(self, value: T) -> Response<T> {
        Response {
            value,
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }

    fn decode<T: DeserializeOwned>(&self) -> Result<T, Box<DecodeError>> {
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let mut track = serde_path_to_error::Track::new();
        let result = T::deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
            .and_then(|value| de.end().map(|()| value));
        result.map_err(|e| {
            Box::new(DecodeError {
                operation: self.operation,
                status: self.status,
                request_id: self.request_id.clone(),
                headers: self.headers.clone(),
                body: self.body.clone(),
                source: serde_path_to_error::Error::new(track.path(), e),
            })
        })
    }

    fn is_blank(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// A success documented with a JSON body.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let value = self.decode().map_err(Error::Decode)?;
        Ok(self.success(value))
    }

    /// A success whose JSON body may be absent (some documented statuses have none):
    /// an empty body is `None`.
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
        let body = self.body.clone();
        Ok(self.success(body))
    }

    fn api_error<B>(self, body: B) -> ApiError<B> {
        ApiError {
            status: self.status,
            request_id: self.request_id,
            headers: self.headers,
            body,
            raw: self.body,
        }
    }

    /// An error status documented with a JSON body, as the operation's variant `variant`.
    pub fn error_json<B: DeserializeOwned, E>(self, variant: fn(ApiError<B>) -> E) -> Error<E> {
        match self.decode() {
            Ok(body) => Error::Api(variant(self.api_error(body))),
            Err(e) => Error::Decode(e),
        }
    }

    /// An error status documented without a body. A body sent anyway is kept as raw bytes.
    pub fn error_empty<E>(self, variant: fn(ApiError<()>) -> E) -> Error<E> {
        Error::Api(variant(self.api_error(())))
    }

    /// An error status whose body is not JSON, or a status the spec does not document.
    pub fn error_raw<E>(self, variant: fn(ApiError<Bytes>) -> E) -> Error<E> {
        let body = self.body.clone();
        Error::Api(variant(self.api_error(body)))
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
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
        assert_eq!(&e.body[..], br#"{"error":"x","n":"seven"}"#);
        let text = e.to_string();
        assert!(text.contains("at `n`"), "{text}");
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
    }

    #[test]
    fn display_of_an_api_error_leaves_the_body_out() {
        let Error::Api(OpError::BadRequest(e)) =
            raw(400, r#"{"error":"account 0004321567000"}"#).error_json(OpError::BadRequest)
        else {
            panic!("expected BadRequest")
        };
        let text = e.to_string();
        assert!(!text.contains("0004321567000"), "{text}");
        assert!(text.contains("400"), "{text}");
    }
}
