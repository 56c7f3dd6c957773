//! What the normalize stage learns about the spec before rewriting it for progenitor, and
//! what the post-process stage uses to restore the typed meaning progenitor never saw.

use std::collections::BTreeSet;

use crate::names;
use crate::openapi::media::MediaType;

/// Which statuses a documented response covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A class: `4` for `4XX`.
    Range(u16),
    /// `default`: every status not otherwise documented.
    Default,
}

impl std::fmt::Display for StatusMatch {
    /// The status as the spec's `responses` keys it: `404`, `4XX`, `default`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusMatch::Code(c) => write!(f, "{c}"),
            StatusMatch::Range(r) => write!(f, "{r}XX"),
            StatusMatch::Default => f.write_str("default"),
        }
    }
}

/// What a documented response body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    None,
    /// JSON, decoded into the named type of the generated `types` module (or a path such
    /// as `::serde_json::Value`).
    Json(String),
    /// Another media type: the bytes as received.
    Raw,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseModel {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Its description.
    pub description: String,
    /// Its body.
    pub body: Body,
}

/// How a success is decoded, derived from all the success responses of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuccessBody {
    /// No success response has a body: `()`.
    Empty,
    /// Every success response has this JSON body.
    Json(String),
    /// Some success responses have this JSON body, some none: `Option<T>`.
    OptionalJson(String),
    /// A non-JSON body: bytes.
    Raw,
    /// Success statuses with different bodies: an enum with a variant per status.
    Several(Vec<(StatusMatch, Body)>),
}

/// A kind of credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SchemeKind {
    /// HTTP Basic.
    Basic,
    /// Bearer token (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
}

/// A security scheme of the spec that the client can satisfy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeModel {
    /// Its name under `components/securitySchemes`.
    pub name: String,
    /// Its kind.
    pub kind: SchemeKind,
    /// Its description.
    pub description: Option<String>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationModel {
    /// The `operationId`.
    pub id: String,
    /// The Rust method name (progenitor's).
    pub fn_name: String,
    /// The HTTP method.
    pub method: crate::openapi::Method,
    /// The path template.
    pub path: String,
    /// The JSON pointer of the operation in the spec.
    pub pointer: String,
    /// The operation's tags, in spec order: the cargo features that gate it (one per tag).
    pub tags: Vec<String>,
    /// The summary.
    pub summary: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The success statuses (codes and classes), in order.
    pub success_statuses: Vec<StatusMatch>,
    /// How the success body is decoded.
    pub success: SuccessBody,
    /// The documented error responses (and `default`), in order.
    pub errors: Vec<ResponseModel>,
    /// The schemes any one of which the operation accepts.
    pub schemes: Vec<SchemeKind>,
    /// Whether the operation may be called without credentials.
    pub anonymous: bool,
    /// Request media types the spec offers that the generated method does not send.
    pub unused_request_media_types: Vec<MediaType>,
    /// The request media type the generated method sends.
    pub request_media_type: Option<MediaType>,
    /// The request body's example, if the spec gives one (for another media type of the same
    /// body, the one the spec gives there).
    pub body_example: Option<serde_json::Value>,
    /// The parameters (without those lifted onto the client), with the spec's examples.
    pub params: Vec<ParamModel>,
    /// The operation's own server (path- or operation-level `servers`), defaults applied.
    pub server: Option<String>,
    /// Query parameters in the `deepObject` style (given to progenitor as `form`; the
    /// post-process stage serializes them with `finapi_runtime::DeepObject`).
    pub deep_object_params: Vec<String>,
    /// The request's real `Content-Type` where progenitor was given another one (a `+json`
    /// type as `application/json`, a type it cannot send as `application/octet-stream`).
    pub content_type_override: Option<MediaType>,
    /// Query parameters given to progenitor under another name, because their names clash
    /// as Rust names: (given name, real name).
    pub renamed_params: Vec<(String, String)>,
    /// For a `multipart/form-data` body: its parts, as the schema gives them (the method
    /// takes a `finapi_runtime::Multipart`).
    pub multipart: Option<Vec<PartModel>>,
    /// Set on a method that sends another of an operation's request media types: which.
    pub alternate_of: Option<AlternateModel>,
    /// The methods that send this operation's other request media types: (media type,
    /// method name).
    pub alternates: Vec<(MediaType, String)>,
    /// How its pages follow each other, where the spec or the settings declare it.
    pub pagination: Option<PaginationModel>,
    /// The headers its responses document (every status's, by name), typed.
    pub response_headers: Vec<HeaderModel>,
}

/// A header an operation's responses document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderModel {
    /// Its name as the spec writes it (the first spelling met).
    pub name: String,
    /// Its field in the operation's headers struct.
    pub field: String,
    /// The Rust type its value parses as.
    pub kind: HeaderKind,
    /// The spec's description (the first given).
    pub description: Option<String>,
    /// The statuses that document it, as the spec writes them (`201`, `4XX`, `default`).
    pub statuses: Vec<String>,
}

/// The Rust type of a documented header, from its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    /// `integer` with format `int32`.
    I32,
    /// Another `integer`.
    I64,
    /// `number`.
    F64,
    /// `boolean`.
    Bool,
    /// `string` with format `date-time` (RFC 3339).
    DateTime,
    /// Any other schema.
    String,
}

impl OperationModel {
    /// The idempotency header the operation declares (one of the runtime's, lower case): the
    /// call sends a key in it when the caller gives none.
    pub fn idempotency_header(&self) -> Option<String> {
        self.params.iter().find_map(|p| {
            let name = p.api_name.to_ascii_lowercase();
            (p.in_header && crate::runtime_bounds::IDEMPOTENCY_HEADERS.contains(&name.as_str()))
                .then_some(name)
        })
    }

    /// The `operationId` whose responses this method decodes: an alternate's operation's.
    fn decoded_id(&self) -> &str {
        self.alternate_of.as_ref().map_or(&self.id, |a| &a.of_id)
    }

    /// The name of the operation's error enum (an alternate shares its operation's).
    pub fn error_enum(&self) -> String {
        format!("{}Error", crate::names::pascal(self.decoded_id()))
    }

    /// The name of the operation's success enum, where its successes differ.
    pub fn success_enum(&self) -> String {
        format!("{}Success", crate::names::pascal(self.decoded_id()))
    }

    /// The method whose `decode_` function decodes this operation's responses.
    pub fn decoder_of(&self) -> &str {
        self.alternate_of
            .as_ref()
            .map_or(&self.fn_name, |a| &a.of_fn)
    }
}

/// The feature that turns on every operation; in `default`.
pub const ALL: &str = "all-operations";

/// Feature names the crate has for other things.
const RESERVED: [&str; 6] = ["default", "rustls", "native-tls", "webhooks", "mock", ALL];

/// Each tag's feature, in the order the spec first names the tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    by_tag: Vec<(String, String)>,
    /// Methods ungated code calls (the token endpoint's, the webhook keys'): always built.
    always: BTreeSet<String>,
}

impl Features {
    /// The features of the operations' tags: ASCII kebab-case, made unique; `always`: the methods
    /// ungated code calls (the token endpoint's, the webhook keys').
    pub(crate) fn new(operations: &[OperationModel], always: BTreeSet<String>) -> Self {
        let mut by_tag: Vec<(String, String)> = Vec::new();
        for tag in operations.iter().flat_map(|op| &op.tags) {
            if by_tag.iter().any(|(t, _)| t == tag) {
                continue;
            }
            // ASCII alone: a feature is a bare key of Cargo.toml and a `cfg` string.
            let base: String = names::field(tag)
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let base = base.trim_matches('_').replace('_', "-");
            let base = if base.is_empty() {
                "tag".to_owned()
            } else {
                base
            };
            let feature = names::first_free(&base, "-", |n| {
                !RESERVED.contains(&n) && !by_tag.iter().any(|(_, f)| f == n)
            });
            by_tag.push((tag.clone(), feature));
        }
        Self { by_tag, always }
    }

    /// Whether the spec has tags (and so the crate has features per tag).
    pub fn is_empty(&self) -> bool {
        self.by_tag.is_empty()
    }

    /// `(tag, feature)`, in spec order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_tag.iter().map(|(t, f)| (t.as_str(), f.as_str()))
    }

    fn feature(&self, tag: &str) -> Option<&str> {
        self.by_tag
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, f)| f.as_str())
    }

    /// The features of `op` (empty: always built).
    pub fn of(&self, op: &OperationModel) -> BTreeSet<String> {
        if self.always.contains(&op.fn_name) {
            return BTreeSet::new();
        }
        op.tags
            .iter()
            .filter_map(|t| self.feature(t).map(str::to_owned))
            .collect()
    }
}

/// A method made for one more request media type of an operation: normalize gives it to
/// progenitor as an operation of its own, on a path with a marker segment (progenitor keys
/// operations by path and method), and the post-process stage takes the marker out of the
/// URL; its responses are the operation's, decoded by the operation's own code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternateModel {
    /// The operation's `operationId`.
    pub of_id: String,
    /// The operation's method name.
    pub of_fn: String,
    /// The media type this method sends.
    pub media_type: MediaType,
    /// The path segment added for progenitor (`/__finapi_alternate_1`).
    pub marker: String,
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartModel {
    /// The field name.
    pub name: String,
    /// Whether the schema requires it.
    pub required: bool,
    /// How it is sent.
    pub kind: PartKind,
    /// The content type the spec's `encoding` gives it.
    pub content_type: Option<String>,
    /// The schema's description of it.
    pub description: Option<String>,
}

/// How a multipart part is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A file (`format: binary` or `byte`): `Multipart::file`.
    File,
    /// An object or array: JSON, `Multipart::json`.
    Json,
    /// A scalar: `Multipart::text`.
    Text,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamModel {
    /// Its name in the spec.
    pub api_name: String,
    /// Its Rust name (progenitor's).
    pub rust_name: String,
    /// The spec's example.
    pub example: Option<serde_json::Value>,
    /// Whether it is a header.
    pub in_header: bool,
}

/// A field of a token request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenFieldModel {
    /// A fixed value.
    Literal(String),
    /// A credential the user must give.
    Credential(String),
    /// A value the user may give.
    Optional(String),
}

/// How a token's expiry is known (the settings' `expiry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenExpiry {
    /// This response field holds the lifetime in seconds.
    Seconds(String),
    /// This field holds a lifetime in seconds or a Unix time (values past 10^9).
    UnixOrSeconds(String),
    /// The token is a JWT; its `exp` claim is the expiry.
    JwtExp,
}

/// The provider's token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenModel {
    /// The token operation.
    pub operation: OperationModel,
    /// Whether its body is form-encoded (else JSON).
    pub form: bool,
    /// The body's fields.
    pub body: Vec<(String, TokenFieldModel)>,
    /// The credentials the user must give, in argument order.
    pub credentials: Vec<String>,
    /// The values the user may give.
    pub optional: Vec<String>,
    /// The response field holding the token.
    pub access_token: String,
    /// How the expiry is known.
    pub expiry: TokenExpiry,
    /// What a 401 body says when the token expired.
    pub expired_marker: Option<String>,
}

/// A header parameter lifted onto the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHeaderModel {
    /// The header's name.
    pub name: String,
    /// The builder method that sets it.
    pub builder_method: String,
    /// Its default value, sent when the user sets none.
    pub default: Option<String>,
    /// The parameter's description.
    pub description: Option<String>,
}

/// Everything post-processing needs to know about the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The Rust name of the generated crate (`moov_client`).
    pub crate_name: String,
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The default base URL.
    pub base_url: String,
    /// The security schemes the client can satisfy.
    pub schemes: Vec<SchemeModel>,
    /// The operations, in spec order.
    pub operations: Vec<OperationModel>,
    /// Header parameters lifted onto the client.
    pub client_headers: Vec<ClientHeaderModel>,
    /// The response header that carries the request id.
    pub request_id_header: String,
    /// The provider's token endpoint, where the settings describe one.
    pub token: Option<TokenModel>,
    /// The prefix of the environment variables `Client::from_env` and the examples read.
    pub env_prefix: Option<String>,
    /// The variables (after the prefix) holding HTTP Basic credentials.
    pub basic_env: Option<[String; 2]>,
    /// Fields marked `x-sensitive: true`: (Rust type name, wire field name).
    pub sensitive: std::collections::BTreeSet<(String, String)>,
    /// The JSON pointer of each component schema, by the Rust name typify gives its type
    /// (for locating errors found in the generated types).
    pub type_pointers: std::collections::BTreeMap<String, String>,
    /// Schemas normalize hoisted into `components/schemas` (inline response bodies), by key:
    /// where each is written in the document (what a degraded one replaces).
    pub hoisted: std::collections::BTreeMap<String, String>,
    /// Unions the spec tells apart by a discriminator: (Rust type name, tag property).
    pub discriminated: Vec<(String, String)>,
    /// What the spec holds that the crate gave up (a schema typed as any JSON, a body, a
    /// parameter, an operation), one located line each (listed in the README).
    pub left_out: Vec<String>,
    /// What the document rewrite changed that a user should know (listed in the README).
    pub notes: Vec<String>,
    /// The provider's webhooks, where the settings declare how they are verified.
    pub webhooks: Option<crate::webhooks::WebhookModel>,
    /// The cargo features per tag, decided once (the manifest, the README and every gated
    /// item read them).
    pub features: Features,
    /// Enum values typify cannot name, by the substitutes it was given
    /// (`crate::restore::wire_names`).
    pub enum_values: std::collections::BTreeMap<String, String>,
    /// The waiters the settings declare, in their order.
    pub waiters: Vec<WaiterModel>,
}

/// A waiter, checked against the operations: what post-process writes `wait_for_<name>` from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterModel {
    /// The file and JSON pointer of the declaration, for errors.
    pub declared_in: (std::path::PathBuf, String),
    /// Its name (`bank_account_verified`).
    pub name: String,
    /// Its method: `wait_for_<name>`.
    pub method: String,
    /// The `operationId` polled.
    pub operation: String,
    /// What the wait is for.
    pub description: Option<String>,
    /// Where the state is in the resource.
    pub state: FieldPath,
    /// The states that end the wait with the resource.
    pub success: Vec<String>,
    /// The states that end it with a failure.
    pub failure: Vec<String>,
    /// Where the resource is an item of a paginated list: how it is found.
    pub find: Option<FindModel>,
}

/// How a waiter finds its resource among a list operation's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindModel {
    /// The item's field (wire name) that names it.
    pub key: String,
    /// The waiter's argument that gives its value.
    pub argument: String,
    /// The operation's item stream (`<method>_stream`).
    pub stream_method: String,
}

/// A dotted path into a response body: its wire field names (empty: the body itself).
pub type FieldPath = Vec<String>;

/// Where the next page's cursor comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextCursor {
    /// A field of the page.
    Field(FieldPath),
    /// A field of the page's last item.
    LastItem(FieldPath),
}

/// How an operation pages, checked against its parameters: what post-process writes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationModel {
    /// The file and JSON pointer of the declaration, for errors.
    pub declared_in: (std::path::PathBuf, String),
    /// The method of every page: `<method>_pages`.
    pub pages_method: String,
    /// The method of every item, where pages hold a list of items: `<method>_stream`.
    pub stream_method: Option<String>,
    /// How the next page is asked for, and by which parameter (its Rust name).
    pub paging: PagingModel,
    /// The list of items in a page.
    pub items: Option<FieldPath>,
    /// The boolean that says whether more pages follow.
    pub has_more: Option<FieldPath>,
    /// The total number of items.
    pub total: Option<FieldPath>,
    /// The total number of pages.
    pub total_pages: Option<FieldPath>,
}

/// The paging parameters of each style (Rust argument names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingModel {
    /// An opaque cursor.
    Cursor {
        /// The parameter that takes it.
        param: String,
        /// Where the next one comes from.
        next: NextCursor,
    },
    /// Page numbers.
    Page {
        /// The page parameter.
        param: String,
        /// The API's first page number.
        first: u64,
        /// The page size parameter, if any.
        size: Option<String>,
        /// The page size when the caller gives none.
        default_size: Option<u64>,
    },
    /// Offsets.
    Offset {
        /// The offset parameter.
        param: String,
        /// The page size parameter, if any.
        size: Option<String>,
        /// The page size when the caller gives none.
        default_size: Option<u64>,
    },
}
