//! The headers an operation's responses document (`responses.<status>.headers`, `$ref`s to
//! `components/headers` and `components/schemas` followed), merged by name across statuses
//! and typed by their schemas: what the typed layer makes `<Operation>Headers` of.

use openapiv3::{
    Components, Header, ParameterSchemaOrContent, Responses, SchemaKind, StatusCode, Type,
    VariantOrUnknownOrEmpty,
};

use crate::model::{HeaderKind, HeaderModel};
use crate::names;
use crate::openapi::resolve;

/// The documented headers of `responses`, in the order first met; `Content-Type` and
/// `Content-Length` left out (HTTP's own: the response already says them).
pub(crate) fn response_headers(responses: &Responses, components: &Components) -> Vec<HeaderModel> {
    let mut out: Vec<HeaderModel> = Vec::new();
    let statuses = responses
        .responses
        .iter()
        .map(|(code, r)| {
            let status = match code {
                StatusCode::Code(c) => c.to_string(),
                StatusCode::Range(r) => format!("{r}XX"),
            };
            (status, r)
        })
        .chain(responses.default.iter().map(|r| ("default".to_owned(), r)));
    for (status, response) in statuses {
        let Some(response) = resolve::response(response, components) else {
            continue;
        };
        for (name, header) in &response.headers {
            let lower = name.to_ascii_lowercase();
            if matches!(lower.as_str(), "content-type" | "content-length") {
                continue;
            }
            let Some(header) = resolve::header(header, components) else {
                continue;
            };
            let kind = kind(header, components);
            match out.iter_mut().find(|h| h.name.eq_ignore_ascii_case(name)) {
                Some(known) => {
                    // Documented twice with different types: its text.
                    if known.kind != kind {
                        known.kind = HeaderKind::String;
                    }
                    if !known.statuses.contains(&status) {
                        known.statuses.push(status.clone());
                    }
                    if known.description.is_none() {
                        known.description = header.description.clone();
                    }
                }
                None => out.push(HeaderModel {
                    name: name.clone(),
                    field: String::new(),
                    kind,
                    description: header.description.clone(),
                    statuses: vec![status.clone()],
                }),
            }
        }
    }
    // Field names, each once (`X-Request-Id` and `X_Request_Id` are two headers).
    let mut taken = std::collections::BTreeSet::new();
    for header in &mut out {
        let base = names::field(&header.name);
        let mut field = base.clone();
        let mut n = 2;
        while !taken.insert(field.clone()) {
            field = format!("{base}_{n}");
            n += 1;
        }
        header.field = field;
    }
    out
}

/// The Rust type a header's schema says; text where it says nothing more.
fn kind(header: &Header, components: &Components) -> HeaderKind {
    let ParameterSchemaOrContent::Schema(schema) = &header.format else {
        return HeaderKind::String;
    };
    let Some(schema) = resolve::resolve_schema(schema, components) else {
        return HeaderKind::String;
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => match &i.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => HeaderKind::I32,
            _ => HeaderKind::I64,
        },
        SchemaKind::Type(Type::Number(_)) => HeaderKind::F64,
        SchemaKind::Type(Type::Boolean(_)) => HeaderKind::Bool,
        SchemaKind::Type(Type::String(s)) => match &s.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => {
                HeaderKind::DateTime
            }
            _ => HeaderKind::String,
        },
        _ => HeaderKind::String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_merged_by_name_and_typed_by_their_schema() {
        let doc: openapiv3::OpenAPI = serde_yaml::from_str(
            r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /p:
    post:
      responses:
        "201":
          description: created
          headers:
            Location: {schema: {type: string}}
            X-RateLimit-Remaining: {$ref: "#/components/headers/Remaining"}
            Content-Type: {schema: {type: string}}
            Sunset: {schema: {type: string, format: date-time}}
        "429":
          description: slow down
          headers:
            x-ratelimit-remaining: {$ref: "#/components/headers/Remaining"}
            Retry-After: {schema: {type: integer}}
        default:
          $ref: "#/components/responses/Problem"
components:
  headers:
    Remaining: {description: Requests left., schema: {type: integer, format: int32}}
  responses:
    Problem:
      description: a problem
      headers:
        Location: {schema: {type: integer}}
"##,
        )
        .expect("spec");
        let op = doc.paths.paths["/p"]
            .as_item()
            .and_then(|i| i.post.as_ref())
            .expect("post");
        let components = doc.components.expect("components");
        let headers = response_headers(&op.responses, &components);
        let summary: Vec<(String, String, HeaderKind, Vec<String>)> = headers
            .into_iter()
            .map(|h| (h.name, h.field, h.kind, h.statuses))
            .collect();
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            summary,
            [
                // A string at 201, an integer under `default`: text.
                (
                    "Location".into(),
                    "location".into(),
                    HeaderKind::String,
                    s(&["201", "default"])
                ),
                (
                    "X-RateLimit-Remaining".into(),
                    "x_rate_limit_remaining".into(),
                    HeaderKind::I32,
                    s(&["201", "429"])
                ),
                (
                    "Sunset".into(),
                    "sunset".into(),
                    HeaderKind::DateTime,
                    s(&["201"])
                ),
                (
                    "Retry-After".into(),
                    "retry_after".into(),
                    HeaderKind::I64,
                    s(&["429"])
                ),
            ]
        );
    }
}
