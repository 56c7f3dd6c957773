//! Responses: each becomes a raw byte stream for progenitor, and what it really is (status,
//! JSON type, no body) goes into the model; inline JSON schemas move under
//! `components/schemas` so that typify still names them.

use std::collections::BTreeSet;
use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{Components, MediaType, ReferenceOr, Response, StatusCode};

use crate::error::{Error, Result, Stage};
use crate::model::{Body, ResponseModel, StatusMatch, SuccessBody};
use crate::names;
use crate::openapi::media::{binary_schema, is_json};
use crate::openapi::resolve::resolve_response;

/// What an operation's responses are, in the model; they become raw byte streams for
/// progenitor. `at` is the operation's pointer.
pub(crate) struct Responses {
    /// The success statuses (codes and classes), in order.
    pub(crate) success_statuses: Vec<StatusMatch>,
    /// How the success body is decoded.
    pub(crate) success: SuccessBody,
    /// The documented error responses (and `default`), in order.
    pub(crate) errors: Vec<ResponseModel>,
}

/// Reads the responses of an operation into the model, hoisting inline JSON schemas, and
/// rewrites them for progenitor.
pub(crate) fn operation_responses(
    responses: &mut openapiv3::Responses,
    id: &str,
    at: &str,
    file: &Path,
    components: &mut Components,
    schema_names: &mut names::Taken,
    hoisted: &mut std::collections::BTreeMap<String, String>,
) -> Result<Responses> {
    let pascal_id = names::pascal(id);
    let mut success = Vec::new();
    let mut errors = Vec::new();
    let documented: Vec<(StatusMatch, ReferenceOr<Response>)> = responses
        .responses
        .iter()
        .map(|(code, r)| {
            let status = match code {
                StatusCode::Code(c) => StatusMatch::Code(*c),
                StatusCode::Range(r) => StatusMatch::Range(*r),
            };
            (status, r.clone())
        })
        .chain(responses.default.clone().map(|r| (StatusMatch::Default, r)))
        .collect();
    for (status, response) in documented {
        let response_at = format!("{at}/responses/{status}");
        let err = |message: String| Error::at(Stage::Normalize, file, &response_at, message);
        let reference = match &response {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => String::new(),
        };
        let response = resolve_response(response, components)
            .ok_or_else(|| err(format!("cannot resolve response reference {reference:?}")))?;
        // Where the response is written: here, or the component it refers to.
        let written_at = reference
            .strip_prefix('#')
            .map_or_else(|| response_at.clone(), str::to_owned);
        let hoist_name = match &status {
            StatusMatch::Code(c) if (200..300).contains(c) => format!("{pascal_id}Response"),
            StatusMatch::Range(2) => format!("{pascal_id}Response"),
            StatusMatch::Code(c) => format!("{pascal_id}{}Body", names::status_variant(*c)),
            StatusMatch::Range(r) => format!("{pascal_id}Status{r}xxBody"),
            StatusMatch::Default => format!("{pascal_id}DefaultBody"),
        };
        let (body, keys) = body_of(&response, &hoist_name, components, schema_names, &err)?;
        if let Some((media_type, _)) = response.content.iter().find(|(k, _)| is_json(k)) {
            // Every component made of the schema (its inner part, the inline schemas in it)
            // was written there.
            let pointer = format!(
                "{written_at}/content/{}/schema",
                crate::error::escape_token(media_type)
            );
            for key in keys {
                hoisted.insert(key, pointer.clone());
            }
        }
        let model = ResponseModel {
            status: status.clone(),
            description: response.description.clone(),
            body,
        };
        if matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2)) {
            success.push(model);
        } else {
            errors.push(model);
        }
    }
    let (success_statuses, success) = if success.is_empty() {
        (vec![StatusMatch::Range(2)], SuccessBody::Raw)
    } else {
        let statuses = success.iter().map(|r| r.status.clone()).collect();
        (statuses, success_body(&success))
    };
    rewrite_responses(responses);
    Ok(Responses {
        success_statuses,
        success,
        errors,
    })
}

/// What a response's body is; an inline JSON schema moves under `components/schemas`. `err`
/// locates an error at the response.
fn body_of(
    response: &Response,
    hoist_name: &str,
    components: &mut Components,
    schema_names: &mut names::Taken,
    err: &dyn Fn(String) -> Error,
) -> Result<(Body, Vec<String>)> {
    let Some((media_type, media)) = response
        .content
        .iter()
        .find(|(k, _)| is_json(k))
        .or_else(|| response.content.first())
    else {
        return Ok((Body::None, Vec::new()));
    };
    if !is_json(media_type) {
        return Ok((Body::Raw, Vec::new()));
    }
    match &media.schema {
        None => Ok((Body::Json("::serde_json::Value".into()), Vec::new())),
        Some(ReferenceOr::Reference { reference }) => {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .ok_or_else(|| {
                    err(format!(
                        "response schema reference {reference:?} is not under #/components/schemas"
                    ))
                })?;
            Ok((Body::Json(names::pascal(name)), Vec::new()))
        }
        Some(ReferenceOr::Item(schema)) => {
            let name = schema_names.claim(hoist_name);
            // Named as component schemas are (`hoist_response_schema`): a nullable union
            // becomes a nullable use of an inner component; inline schemas inside it that
            // typify would name like another type get names of their own.
            let parts = serde_json::to_value(schema)
                .ok()
                .map(|json| {
                    crate::normalize::document::hoist_response_schema(json, &name, schema_names)
                })
                .and_then(|parts| {
                    parts
                        .into_iter()
                        .map(|(k, v)| {
                            Some((k, serde_json::from_value::<openapiv3::Schema>(v).ok()?))
                        })
                        .collect::<Option<Vec<_>>>()
                });
            let mut keys = Vec::new();
            match parts {
                Some(parts) => {
                    for (key, part) in parts {
                        keys.push(key.clone());
                        components.schemas.insert(key, ReferenceOr::Item(part));
                    }
                }
                None => {
                    keys.push(name.clone());
                    components
                        .schemas
                        .insert(name.clone(), ReferenceOr::Item(schema.clone()));
                }
            }
            Ok((Body::Json(names::pascal(&name)), keys))
        }
    }
}

fn success_body(success: &[ResponseModel]) -> SuccessBody {
    let mut json = BTreeSet::new();
    let (mut none, mut raw) = (false, false);
    for r in success {
        match &r.body {
            Body::None => none = true,
            Body::Raw => raw = true,
            Body::Json(t) => {
                json.insert(t.clone());
            }
        }
    }
    match (json.len(), raw) {
        (0, false) => SuccessBody::Empty,
        (0, true) => SuccessBody::Raw,
        (1, false) => {
            let t = json.into_iter().next().unwrap_or_default();
            if none {
                SuccessBody::OptionalJson(t)
            } else {
                SuccessBody::Json(t)
            }
        }
        _ => SuccessBody::Several(
            success
                .iter()
                .map(|r| (r.status.clone(), r.body.clone()))
                .collect(),
        ),
    }
}

/// Every response becomes a raw byte stream for progenitor.
fn rewrite_responses(responses: &mut openapiv3::Responses) {
    let raw = |description: String| {
        let mut content = IndexMap::new();
        content.insert(
            "application/octet-stream".to_owned(),
            MediaType {
                schema: Some(ReferenceOr::Item(binary_schema())),
                ..Default::default()
            },
        );
        ReferenceOr::Item(Response {
            description,
            content,
            ..Default::default()
        })
    };
    let description = |r: &ReferenceOr<Response>| match r {
        ReferenceOr::Item(r) => r.description.clone(),
        ReferenceOr::Reference { .. } => String::new(),
    };
    for response in responses.responses.values_mut() {
        *response = raw(description(response));
    }
    if let Some(default) = responses.default.as_mut() {
        *default = raw(description(default));
    }
}
