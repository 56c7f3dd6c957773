//! Stage 3, normalize: rewrite what progenitor cannot take, without losing meaning.
//! [`document`] rewrites the JSON document before the typed parse; this module rewrites the
//! typed model after it:
//!
//! - Every response body becomes `application/octet-stream`, so that progenitor hands back
//!   status, headers and bytes for every status (it asserts on operations whose responses mix
//!   schemas, or bodies and no body). What each response really is goes into the [`Model`],
//!   and the post-process stage decodes it from there into typed values and per-status errors.
//! - Inline response schemas move under `components/schemas`, so typify still generates their
//!   types.
//! - Header parameters the settings lift onto the client leave the operations.
//! - A request body offered in several media types keeps the one the client sends (JSON
//!   first); the others are recorded in the model.

pub mod document;

use std::collections::BTreeSet;
use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{
    Components, MediaType, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme, StatusCode,
};

use crate::error::{Error, Result, Stage, pointer};
use crate::model::{
    Body, ClientHeaderModel, Model, OperationModel, ParamModel, ResponseModel, SchemeKind,
    SchemeModel, StatusMatch, SuccessBody, TokenFieldModel, TokenModel,
};
use crate::names;
use crate::settings::{Settings, TokenSettings, placeholder};

/// Rewrites `spec` for progenitor and returns what the rewrite took out.
pub fn normalize(
    mut spec: OpenAPI,
    settings: &Settings,
    file: &Path,
    settings_file: &Path,
) -> Result<(OpenAPI, Model)> {
    let err = |at: String, message: String| Error::at(Stage::Normalize, file, at, message);
    let base_url = match (&settings.base_url, spec.servers.first()) {
        (Some(url), _) => url.clone(),
        (None, Some(server)) => server_url(server),
        (None, None) => {
            return Err(err(
                "/servers".into(),
                "the spec names no server and the settings no base_url".into(),
            ));
        }
    };
    let mut components = spec.components.take().unwrap_or_default();
    let schemes = schemes(&components);
    let client_headers = client_headers(&spec, &components, settings, settings_file)?;
    let lifted: BTreeSet<String> = client_headers
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .collect();

    let deep_components = deep_object_components(&mut components);
    let alternates = add_alternates(&mut spec, &components);
    // Responses of operations done, for their alternates: (rewritten responses, success
    // statuses, success body, errors).
    let mut done: std::collections::HashMap<
        String,
        (
            openapiv3::Responses,
            Vec<StatusMatch>,
            SuccessBody,
            Vec<ResponseModel>,
        ),
    > = std::collections::HashMap::new();
    let mut operations = Vec::new();
    let global_security = spec.security.clone();
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            return Err(err(
                pointer(["paths", path]),
                "path items given by `$ref` are not supported".into(),
            ));
        };
        item.parameters
            .retain(|p| !is_lifted(p, &components, &lifted));
        let item_deep = deep_objects(&mut item.parameters, &deep_components);
        for method in crate::validate::METHODS {
            // Taken out of the path item while its parameters and servers are read, and put
            // back at the end (an error discards the whole spec).
            let Some(mut op) = crate::validate::operation_slot(item, method).take() else {
                continue;
            };
            let id = op.operation_id.clone().ok_or_else(|| {
                err(
                    pointer(["paths", path, method]),
                    "the operation has no operationId".into(),
                )
            })?;
            let alternate = alternates.by_id.get(&id).cloned();
            // An alternate is located at, and documented as, the operation it comes from.
            let (real_path, at) = match &alternate {
                Some((real, alt)) => (
                    real.clone(),
                    format!(
                        "{}/requestBody/content/{}",
                        pointer(["paths", real, method]),
                        crate::error::escape_token(&alt.media_type)
                    ),
                ),
                None => (path.clone(), pointer(["paths", path, method])),
            };
            op.parameters
                .retain(|p| !is_lifted(p, &components, &lifted));
            let params = item
                .parameters
                .iter()
                .chain(&op.parameters)
                .filter_map(|p| parameter(p, &components))
                .map(|p| {
                    let data = p.parameter_data_ref();
                    let schema_example = match &data.format {
                        openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                            s.schema_data.example.clone()
                        }
                        _ => None,
                    };
                    ParamModel {
                        api_name: data.name.clone(),
                        rust_name: names::snake(&data.name),
                        example: data.example.clone().or(schema_example).map(example_text),
                    }
                })
                .collect();
            let server = op
                .servers
                .first()
                .or_else(|| item.servers.first())
                .map(server_url);

            let renamed_params =
                rename_clashing_params(&item.parameters, &mut op.parameters, &components);
            let mut content_type_override = None;
            let mut multipart = None;
            let mut deep_object_params = deep_objects(&mut op.parameters, &deep_components);
            deep_object_params.extend(item_deep.iter().cloned());
            let (unused_request_media_types, request_media_type, body_example) =
                match op.request_body.take() {
                    Some(body) => {
                        let mut body = resolve_request_body(body, &components)
                            .map_err(|m| err(format!("{at}/requestBody"), m))?;
                        let mut unused = choose_media_type(&mut body.content);
                        if let Some(alts) = alternates.of.get(&id) {
                            unused.retain(|m| !alts.iter().any(|(media, _)| media == m));
                        }
                        multipart = multipart_parts(&body.content, &components)
                            .map_err(|m| err(format!("{at}/requestBody"), m))?;
                        content_type_override = progenitor_media_type(&mut body.content);
                        let chosen = body.content.first().map(|(k, media)| {
                            let example = media
                                .example
                                .clone()
                                .or_else(|| {
                                    media
                                        .examples
                                        .values()
                                        .find_map(|e| e.as_item().and_then(|e| e.value.clone()))
                                })
                                .map(|v| v.to_string());
                            (k.clone(), example)
                        });
                        op.request_body = Some(ReferenceOr::Item(body));
                        let (media_type, example) = chosen.unzip();
                        (unused, media_type, example.flatten())
                    }
                    None => (Vec::new(), None, None),
                };

            let reused = alternate
                .as_ref()
                .and_then(|(_, alt)| done.get(&alt.of_id))
                .cloned();
            let (success_statuses, success_body, errors) = match reused {
                Some((responses, statuses, body, errors)) => {
                    op.responses = responses;
                    (statuses, body, errors)
                }
                None => {
                    let pascal_id = names::pascal(&id);
                    let mut success = Vec::new();
                    let mut errors = Vec::new();
                    let documented: Vec<(StatusMatch, ReferenceOr<Response>)> = op
                        .responses
                        .responses
                        .iter()
                        .map(|(code, r)| {
                            let status = match code {
                                StatusCode::Code(c) => StatusMatch::Code(*c),
                                StatusCode::Range(r) => StatusMatch::Range(*r),
                            };
                            (status, r.clone())
                        })
                        .chain(
                            op.responses
                                .default
                                .clone()
                                .map(|r| (StatusMatch::Default, r)),
                        )
                        .collect();
                    for (status, response) in documented {
                        let response_at = format!("{at}/responses/{status}");
                        let response = resolve_response(response, &components)
                            .map_err(|m| err(response_at.clone(), m))?;
                        let hoist_name = match &status {
                            StatusMatch::Code(c) if (200..300).contains(c) => {
                                format!("{pascal_id}Response")
                            }
                            StatusMatch::Range(2) => format!("{pascal_id}Response"),
                            StatusMatch::Code(c) => {
                                format!("{pascal_id}{}Body", names::status_variant(*c))
                            }
                            StatusMatch::Range(r) => format!("{pascal_id}Status{r}xxBody"),
                            StatusMatch::Default => format!("{pascal_id}DefaultBody"),
                        };
                        let body = body_of(&response, &hoist_name, &mut components)
                            .map_err(|m| err(response_at.clone(), m))?;
                        let model = ResponseModel {
                            status: status.clone(),
                            description: response.description.clone(),
                            body,
                        };
                        let is_success =
                            matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
                        if is_success {
                            success.push(model);
                        } else {
                            errors.push(model);
                        }
                    }
                    let (success_statuses, success_body) = if success.is_empty() {
                        (vec![StatusMatch::Range(2)], SuccessBody::Raw)
                    } else {
                        let statuses = success.iter().map(|r| r.status.clone()).collect();
                        let body = success_body(&success);
                        (statuses, body)
                    };
                    rewrite_responses(&mut op.responses);
                    if alternates.of.contains_key(&id) {
                        done.insert(
                            id.clone(),
                            (
                                op.responses.clone(),
                                success_statuses.clone(),
                                success_body.clone(),
                                errors.clone(),
                            ),
                        );
                    }
                    (success_statuses, success_body, errors)
                }
            };

            let security = op.security.clone().or_else(|| global_security.clone());
            let (op_schemes, anonymous) = operation_schemes(security.as_deref(), &schemes);
            operations.push(OperationModel {
                fn_name: names::snake(&id),
                alternates: alternates.of.get(&id).cloned().unwrap_or_default(),
                alternate_of: alternate.map(|(_, alt)| alt),
                id,
                method: method.to_ascii_uppercase(),
                path: real_path,
                pointer: at,
                summary: op.summary.clone(),
                description: op.description.clone(),
                success_statuses,
                success: success_body,
                errors,
                schemes: op_schemes,
                anonymous,
                unused_request_media_types,
                request_media_type,
                body_example,
                params,
                server,
                deep_object_params,
                content_type_override,
                renamed_params,
                multipart,
            });
            *crate::validate::operation_slot(item, method) = Some(op);
        }
    }
    spec.components = Some(components);
    let token = match &settings.token {
        Some(t) => Some(token_model(t, &operations, settings_file)?),
        None => None,
    };
    let sensitive = spec
        .components
        .iter()
        .flat_map(|c| c.schemas.iter())
        .filter_map(|(name, schema)| Some((name, schema.as_item()?)))
        .flat_map(|(name, schema)| {
            let properties = match &schema.schema_kind {
                openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => Some(&o.properties),
                _ => None,
            };
            properties
                .into_iter()
                .flatten()
                .filter(|(_, p)| {
                    p.as_item().is_some_and(|p| {
                        p.schema_data.extensions.get("x-sensitive")
                            == Some(&serde_json::Value::Bool(true))
                    })
                })
                .map(move |(property, _)| (names::pascal(name), property.clone()))
        })
        .collect();
    let model = Model {
        sensitive,
        crate_name: settings.package.replace('-', "_"),
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        version: spec.info.version.clone(),
        base_url,
        schemes,
        operations,
        client_headers,
        request_id_header: settings.request_id_header.clone(),
        token,
        env_prefix: settings.env_prefix.clone(),
        basic_env: settings.basic_env.clone(),
        left_out: Vec::new(),
        notes: Vec::new(),
    };
    Ok((spec, model))
}

/// An example as text: a string as it is, anything else as JSON.
fn example_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// The token endpoint the settings describe, checked against the spec.
fn token_model(
    t: &TokenSettings,
    operations: &[OperationModel],
    settings_file: &Path,
) -> Result<TokenModel> {
    let err = |at: &str, message: String| Error::at(Stage::Normalize, settings_file, at, message);
    let operation = operations
        .iter()
        .find(|op| op.id == t.operation)
        .ok_or_else(|| {
            err(
                "/token/operation",
                format!("the spec has no operation {:?}", t.operation),
            )
        })?
        .clone();
    let form = match operation.request_media_type.as_deref() {
        Some(m) if m.eq_ignore_ascii_case("application/x-www-form-urlencoded") => true,
        Some(m) if is_json(m) => false,
        other => {
            return Err(err(
                "/token/operation",
                format!("the token operation must take a JSON or form body, not {other:?}"),
            ));
        }
    };
    let body = t
        .body
        .iter()
        .map(|(field, value)| {
            let kind = match placeholder(value) {
                Some(name) if t.credentials.iter().any(|c| c == name) => {
                    TokenFieldModel::Credential(name.to_owned())
                }
                Some(name) => TokenFieldModel::Optional(name.to_owned()),
                None => TokenFieldModel::Literal(value.clone()),
            };
            (field.clone(), kind)
        })
        .collect();
    Ok(TokenModel {
        operation,
        form,
        body,
        credentials: t.credentials.clone(),
        optional: t.optional.clone(),
        access_token: t.access_token.clone(),
        expiry: t.expiry.clone(),
        expired_marker: t.expired_marker.clone(),
    })
}

/// A server's URL with its variables set to their defaults.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url
}

fn schemes(components: &Components) -> Vec<SchemeModel> {
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let ReferenceOr::Item(scheme) = scheme else {
            continue;
        };
        let (kind, description) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (SchemeKind::Bearer, description),
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (SchemeKind::Bearer, description)
            }
            _ => continue,
        };
        out.push(SchemeModel {
            name: name.clone(),
            kind,
            description: description.clone(),
        });
    }
    out
}

fn operation_schemes(
    security: Option<&[openapiv3::SecurityRequirement]>,
    schemes: &[SchemeModel],
) -> (Vec<SchemeKind>, bool) {
    let Some(requirements) = security else {
        return (Vec::new(), true);
    };
    let mut kinds = BTreeSet::new();
    let mut anonymous = requirements.is_empty();
    for requirement in requirements {
        if requirement.is_empty() {
            anonymous = true;
        } else if requirement.len() == 1 {
            let name = requirement.keys().next().map(String::as_str);
            if let Some(s) = schemes.iter().find(|s| Some(s.name.as_str()) == name) {
                kinds.insert(s.kind);
            }
        }
    }
    (kinds.into_iter().collect(), anonymous)
}

fn parameter<'a>(
    p: &'a ReferenceOr<Parameter>,
    components: &'a Components,
) -> Option<&'a Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match components.parameters.get(name)? {
                ReferenceOr::Item(p) => Some(p),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn is_lifted(
    p: &ReferenceOr<Parameter>,
    components: &Components,
    lifted: &BTreeSet<String>,
) -> bool {
    matches!(
        parameter(p, components),
        Some(Parameter::Header { parameter_data, .. })
            if lifted.contains(&parameter_data.name.to_ascii_lowercase())
    )
}

fn client_headers(
    spec: &OpenAPI,
    components: &Components,
    settings: &Settings,
    settings_file: &Path,
) -> Result<Vec<ClientHeaderModel>> {
    let mut out = Vec::new();
    for (i, header) in settings.client_headers.iter().enumerate() {
        let all = spec
            .paths
            .iter()
            .filter_map(|(_, item)| item.as_item())
            .flat_map(|item| {
                item.parameters
                    .iter()
                    .chain(item.iter().flat_map(|(_, op)| op.parameters.iter()))
            })
            .chain(components.parameters.values());
        let found = all
            .filter_map(|p| parameter(p, components))
            .find_map(|p| match p {
                Parameter::Header { parameter_data, .. }
                    if parameter_data.name.eq_ignore_ascii_case(&header.name) =>
                {
                    Some(parameter_data)
                }
                _ => None,
            });
        let Some(data) = found else {
            return Err(Error::at(
                Stage::Normalize,
                settings_file,
                format!("/client_headers/{i}/name"),
                format!("the spec has no header parameter named {:?}", header.name),
            ));
        };
        out.push(ClientHeaderModel {
            name: data.name.clone(),
            builder_method: header.builder_method.clone(),
            default: header.default.clone(),
            description: data.description.clone(),
        });
    }
    Ok(out)
}

fn resolve_request_body(
    body: ReferenceOr<RequestBody>,
    components: &Components,
) -> std::result::Result<RequestBody, String> {
    match body {
        ReferenceOr::Item(b) => Ok(b),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/requestBodies/")
            .and_then(|name| components.request_bodies.get(name))
            .and_then(|b| b.as_item().cloned())
            .ok_or_else(|| format!("cannot resolve request body reference {reference:?}")),
    }
}

fn resolve_response(
    response: ReferenceOr<Response>,
    components: &Components,
) -> std::result::Result<Response, String> {
    match response {
        ReferenceOr::Item(r) => Ok(r),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| components.responses.get(name))
            .and_then(|r| r.as_item().cloned())
            .ok_or_else(|| format!("cannot resolve response reference {reference:?}")),
    }
}

/// A media type without its parameters (`application/json; charset=utf-8` →
/// `application/json`), case as written.
fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type).to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Query parameters whose names give the same Rust name (`name` and `name[]`) would make
/// progenitor bind one argument twice: later ones get a distinct name for progenitor
/// (`name_list`, `name_2`), inlined into the operation; returns (given name, real name) for
/// the post-process stage to put the real name back on the wire.
fn rename_clashing_params(
    item_params: &[ReferenceOr<Parameter>],
    op_params: &mut [ReferenceOr<Parameter>],
    components: &Components,
) -> Vec<(String, String)> {
    let mut taken: BTreeSet<String> = item_params
        .iter()
        .filter_map(|p| parameter(p, components))
        .map(|p| names::snake(&p.parameter_data_ref().name))
        .collect();
    let mut renamed = Vec::new();
    for p in op_params.iter_mut() {
        let Some(resolved) = parameter(p, components) else {
            continue;
        };
        let real = resolved.parameter_data_ref().name.clone();
        if taken.insert(names::snake(&real)) {
            continue;
        }
        let Parameter::Query { .. } = resolved else {
            continue;
        };
        let base = match real.strip_suffix("[]") {
            Some(stem) => format!("{}_list", names::snake(stem)),
            None => names::snake(&real),
        };
        let given = names::first_free(&base, "_", |n| !taken.contains(&names::snake(n)));
        taken.insert(names::snake(&given));
        let mut inline = resolved.clone();
        if let Parameter::Query { parameter_data, .. } = &mut inline {
            parameter_data.name = given.clone();
        }
        *p = ReferenceOr::Item(inline);
        renamed.push((given, real));
    }
    renamed
}

/// Component parameters in the `deepObject` style become `form` for progenitor; returns
/// their names (component key → parameter name).
fn deep_object_components(components: &mut Components) -> IndexMap<String, String> {
    let mut out = IndexMap::new();
    for (key, p) in components.parameters.iter_mut() {
        if let ReferenceOr::Item(p) = p
            && let Some(name) = undeep(p)
        {
            out.insert(key.clone(), name);
        }
    }
    out
}

/// A `deepObject` query parameter becomes `form` for progenitor; returns its name.
fn undeep(p: &mut Parameter) -> Option<String> {
    match p {
        Parameter::Query {
            parameter_data,
            style: style @ openapiv3::QueryStyle::DeepObject,
            ..
        } => {
            *style = openapiv3::QueryStyle::Form;
            parameter_data.explode = Some(true);
            Some(parameter_data.name.clone())
        }
        _ => None,
    }
}

/// The `deepObject` query parameters of a parameter list (inline ones become `form`).
fn deep_objects(
    params: &mut [ReferenceOr<Parameter>],
    deep_components: &IndexMap<String, String>,
) -> Vec<String> {
    params
        .iter_mut()
        .filter_map(|p| match p {
            ReferenceOr::Item(p) => undeep(p),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/parameters/")
                .and_then(|key| deep_components.get(key).cloned()),
        })
        .collect()
}

/// The request media types progenitor sends as they are.
fn progenitor_sends(media_type: &str) -> bool {
    // As progenitor matches them: case-sensitively.
    matches!(
        essence(media_type),
        "application/json"
            | "application/x-www-form-urlencoded"
            | "application/octet-stream"
            | "text/plain"
    )
}

/// Gives progenitor a media type it sends: a `+json` type as `application/json`, anything
/// else it cannot send as raw bytes (`application/octet-stream`). Form `encoding` entries,
/// which progenitor cannot take, go (the body is sent form-encoded, exploded). Returns the
/// real `Content-Type` where it changed.
fn progenitor_media_type(content: &mut IndexMap<String, MediaType>) -> Option<String> {
    let (key, media) = content.first_mut()?;
    media.encoding.clear();
    if progenitor_sends(key) {
        return None;
    }
    let real = key.clone();
    let mut media = content.shift_remove(&real)?;
    let replacement = if is_json(&real) {
        "application/json"
    } else {
        media.schema = Some(ReferenceOr::Item(binary_schema()));
        "application/octet-stream"
    };
    content.insert(replacement.to_owned(), media);
    Some(real)
}

/// The parts of a `multipart/form-data` body (the one media type kept), from its schema's
/// properties; `None` for other media types.
fn multipart_parts(
    content: &IndexMap<String, MediaType>,
    components: &Components,
) -> std::result::Result<Option<Vec<crate::model::PartModel>>, String> {
    use crate::model::{PartKind, PartModel};
    use openapiv3::{SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    let Some((key, media)) = content.first() else {
        return Ok(None);
    };
    if !essence(key).eq_ignore_ascii_case("multipart/form-data") {
        return Ok(None);
    }
    let resolve = |s: &ReferenceOr<Schema>| -> std::result::Result<Schema, String> {
        let mut s = s.clone();
        // A chain of references ends (validate checked they all resolve) or is refused.
        for _ in 0..32 {
            match s {
                ReferenceOr::Item(item) => return Ok(item),
                ReferenceOr::Reference { reference } => {
                    s = reference
                        .strip_prefix("#/components/schemas/")
                        .and_then(|name| components.schemas.get(name))
                        .cloned()
                        .ok_or_else(|| format!("cannot resolve schema reference {reference:?}"))?;
                }
            }
        }
        Err("a chain of schema references does not end".into())
    };
    let Some(schema) = &media.schema else {
        return Ok(Some(Vec::new()));
    };
    let schema = resolve(schema)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Ok(Some(Vec::new()));
    };
    let mut parts = Vec::new();
    for (name, property) in &object.properties {
        let property = resolve(&property.clone().unbox())?;
        let kind = match &property.schema_kind {
            SchemaKind::Type(Type::String(s))
                if matches!(
                    s.format,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary | StringFormat::Byte)
                ) =>
            {
                PartKind::File
            }
            SchemaKind::Type(Type::String(_) | Type::Number(_) | Type::Integer(_))
            | SchemaKind::Type(Type::Boolean(_)) => PartKind::Text,
            _ => PartKind::Json,
        };
        parts.push(PartModel {
            name: name.clone(),
            required: object.required.contains(name),
            kind,
            content_type: media
                .encoding
                .get(name)
                .and_then(|e| e.content_type.clone()),
            description: property.schema_data.description.clone(),
        });
    }
    Ok(Some(parts))
}

fn binary_schema() -> Schema {
    Schema {
        schema_data: Default::default(),
        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(openapiv3::StringType {
            format: openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary),
            ..Default::default()
        })),
    }
}

/// The media type the client's method sends: JSON first.
fn preferred_media_type(content: &IndexMap<String, MediaType>) -> String {
    const PREFERENCE: [fn(&str) -> bool; 4] = [
        |m| m.eq_ignore_ascii_case("application/json"),
        is_json,
        |m| m.eq_ignore_ascii_case("application/x-www-form-urlencoded"),
        |m| m.eq_ignore_ascii_case("application/octet-stream"),
    ];
    PREFERENCE
        .iter()
        .find_map(|pred| content.keys().find(|k| pred(k)).cloned())
        .or_else(|| content.keys().next().cloned())
        .unwrap_or_default()
}

/// The alternates of a spec: by alternate operationId, (the operation's path, what it is);
/// by operationId, its alternates' (media type, method name).
#[derive(Default)]
struct Alternates {
    by_id: std::collections::HashMap<String, (String, crate::model::AlternateModel)>,
    of: std::collections::HashMap<String, Vec<(String, String)>>,
}

/// The marker segment of alternates' paths.
const ALTERNATE_MARKER: &str = "__finapi_alternate_";

/// For each request media type an operation offers beside the one its method sends, an
/// operation of its own (`<operationId>_as_<media>`), so that every media type is reachable.
/// A JSON type beside the JSON type sent, with the same schema, is the same body and gets
/// none. The new operations go at the end of `paths`, on the operation's path plus a marker
/// segment.
fn add_alternates(spec: &mut OpenAPI, components: &Components) -> Alternates {
    let mut out = Alternates::default();
    let mut ids: BTreeSet<String> = spec
        .operations()
        .filter_map(|(_, _, op)| op.operation_id.as_ref().map(|id| names::snake(id)))
        .collect();
    let mut new_items = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let (Some(id), Some(body)) = (&op.operation_id, &op.request_body) else {
                continue;
            };
            let Ok(body) = resolve_request_body(body.clone(), components) else {
                continue;
            };
            if body.content.len() <= 1 {
                continue;
            }
            let chosen = preferred_media_type(&body.content);
            let chosen_schema = body.content.get(&chosen).and_then(|m| m.schema.as_ref());
            for (media_type, media) in &body.content {
                if *media_type == chosen
                    || (is_json(media_type)
                        && is_json(&chosen)
                        && media.schema.as_ref() == chosen_schema)
                {
                    continue;
                }
                let suffix = media_suffix(media_type);
                let alt_id = names::first_free(&format!("{id}_as_{suffix}"), "_", |n| {
                    !ids.contains(&names::snake(n))
                });
                ids.insert(names::snake(&alt_id));
                let marker = format!("/{ALTERNATE_MARKER}{}", out.by_id.len() + 1);
                let mut alt = op.clone();
                alt.operation_id = Some(alt_id.clone());
                let mut content = IndexMap::new();
                content.insert(media_type.clone(), media.clone());
                alt.request_body = Some(ReferenceOr::Item(RequestBody {
                    content,
                    ..body.clone()
                }));
                let mut alt_item = openapiv3::PathItem {
                    parameters: item.parameters.clone(),
                    servers: item.servers.clone(),
                    ..Default::default()
                };
                *crate::validate::operation_slot(&mut alt_item, method) = Some(alt);
                new_items.push((format!("{path}{marker}"), alt_item));
                out.of
                    .entry(id.clone())
                    .or_default()
                    .push((media_type.clone(), names::snake(&alt_id)));
                out.by_id.insert(
                    alt_id,
                    (
                        path.clone(),
                        crate::model::AlternateModel {
                            of_id: id.clone(),
                            of_fn: names::snake(id),
                            media_type: media_type.clone(),
                            marker,
                        },
                    ),
                );
            }
        }
    }
    for (path, item) in new_items {
        spec.paths.paths.insert(path, ReferenceOr::Item(item));
    }
    out
}

/// A method-name suffix for a media type: `form`, `multipart`, `xml`, `jose_jwe`...
fn media_suffix(media_type: &str) -> String {
    match essence(media_type).to_ascii_lowercase().as_str() {
        "application/x-www-form-urlencoded" => "form".into(),
        "multipart/form-data" => "multipart".into(),
        "application/xml" | "text/xml" => "xml".into(),
        "text/plain" => "text".into(),
        "application/octet-stream" => "bytes".into(),
        other => {
            let subtype = other.strip_prefix("application/").unwrap_or(other);
            names::snake(&subtype.replace(['/', '+', '.', '-'], "_"))
        }
    }
}

/// Keeps the one media type the client sends, JSON first; returns the others.
fn choose_media_type(content: &mut IndexMap<String, MediaType>) -> Vec<String> {
    if content.len() <= 1 {
        return Vec::new();
    }
    let chosen = preferred_media_type(content);
    let unused: Vec<String> = content.keys().filter(|k| **k != chosen).cloned().collect();
    content.retain(|k, _| *k == chosen);
    unused
}

/// What a response's body is; inline JSON schemas move under `components/schemas`.
fn body_of(
    response: &Response,
    hoist_name: &str,
    components: &mut Components,
) -> std::result::Result<Body, String> {
    let Some((media_type, media)) = response
        .content
        .iter()
        .find(|(k, _)| is_json(k))
        .or_else(|| response.content.first())
    else {
        return Ok(Body::None);
    };
    if !is_json(media_type) {
        return Ok(Body::Raw);
    }
    match &media.schema {
        None => Ok(Body::Json("::serde_json::Value".into())),
        Some(ReferenceOr::Reference { reference }) => {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .ok_or_else(|| {
                    format!(
                        "response schema reference {reference:?} is not under #/components/schemas"
                    )
                })?;
            Ok(Body::Json(names::pascal(name)))
        }
        Some(ReferenceOr::Item(schema)) => {
            let name = unique_schema_name(hoist_name, components);
            components
                .schemas
                .insert(name.clone(), ReferenceOr::Item(schema.clone()));
            Ok(Body::Json(names::pascal(&name)))
        }
    }
}

fn unique_schema_name(base: &str, components: &Components) -> String {
    names::first_free(base, "", |n| {
        !components
            .schemas
            .keys()
            .any(|k| names::pascal(k) == names::pascal(n))
    })
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
