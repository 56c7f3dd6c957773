//! One operation, from the spec to its [`OperationModel`]: what it is (an alternate is located
//! at, and answers like, the operation it comes from), its parameters and server, the request
//! body's media type, the restorations ([`crate::restore`]), its responses and its security.
//! The post-process side of the same operation is `postprocess/layer/operation.rs`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use openapiv3::{Components, Operation, Parameter, PathItem, ReferenceOr};

use super::client::{is_lifted, server_url};
use super::responses::{Responses, operation_responses};
use super::security::operation_schemes;
use crate::error::{Error, Result, Stage, escape_token, pointer};
use crate::model::{OperationModel, ParamModel, SchemeModel, SuccessBody};
use crate::names;
use crate::openapi::Method;
use crate::openapi::media::{MediaType, choose_media_type};
use crate::openapi::resolve::{parameter, resolve_request_body};
use crate::pagination;
use crate::restore::{self, OperationSlot};

/// What every operation's normalization shares.
pub(crate) struct Context<'a> {
    /// The spec's file, for errors.
    pub(crate) file: &'a Path,
    /// The header parameters lifted onto the client (lower case).
    pub(crate) lifted: &'a BTreeSet<String>,
    /// The schemes a client can satisfy.
    pub(crate) schemes: &'a [SchemeModel],
    /// The spec's global security requirements.
    pub(crate) global_security: &'a Option<Vec<openapiv3::SecurityRequirement>>,
    /// The settings' pagination entries, and their file.
    pub(crate) pagination: (
        &'a std::collections::BTreeMap<String, crate::pagination::PaginationSettings>,
        &'a Path,
    ),
    /// Operations done, by `operationId`, whose alternates answer as they do: their
    /// rewritten responses and what the model says of them.
    pub(crate) done: HashMap<String, (openapiv3::Responses, ResponsesOf)>,
    /// The Rust names of `components/schemas` (their keys in PascalCase), kept up to date
    /// as responses hoist their inline schemas there: a hoisted schema gets a free one.
    pub(crate) schema_names: names::Taken,
    /// Schemas hoisted into `components/schemas`, by key: where each was in the document.
    pub(crate) hoisted: std::collections::BTreeMap<String, String>,
}

/// An operation's responses in the model (kept for its alternates).
#[derive(Clone)]
pub(crate) struct ResponsesOf {
    success_statuses: Vec<crate::model::StatusMatch>,
    success: SuccessBody,
    errors: Vec<crate::model::ResponseModel>,
}

/// Normalizes the operation `method` of the path item `item` at `path`; returns its model.
pub(crate) fn operation(
    cx: &mut Context<'_>,
    path: &str,
    item: &mut PathItem,
    method: Method,
    components: &mut Components,
) -> Result<Option<OperationModel>> {
    // Taken out of the path item while its parameters and servers are read, and put back at
    // the end (an error discards the whole spec).
    let Some(mut op) = method.slot(item).take() else {
        return Ok(None);
    };
    let id = op.operation_id.clone().ok_or_else(|| {
        Error::at(
            Stage::Normalize,
            cx.file,
            pointer(["paths", path, method.key()]),
            "the operation has no operationId",
        )
    })?;
    let alternates = restore::alternate::take(&mut op);
    // An alternate is located at, and documented as, the operation it comes from.
    let (real_path, at) = match &alternates.of {
        Some((real, alt)) => (
            real.clone(),
            format!(
                "{}/requestBody/content/{}",
                pointer(["paths", real, method.key()]),
                escape_token(alt.media_type.as_str())
            ),
        ),
        None => (path.to_owned(), pointer(["paths", path, method.key()])),
    };
    op.parameters
        .retain(|p| !is_lifted(p, components, cx.lifted));
    let params = params(&item.parameters, &op.parameters, components);
    let server = op
        .servers
        .first()
        .or_else(|| item.servers.first())
        .map(server_url);
    let unused_request_media_types =
        choose_request_body(&mut op, &alternates.alternates, &at, cx.file, components)?;

    let mut model = OperationModel {
        fn_name: names::snake(&id),
        alternates: alternates.alternates,
        alternate_of: alternates.of.map(|(_, alt)| alt),
        id,
        method,
        path: real_path,
        pointer: at,
        tags: op.tags.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        success_statuses: Vec::new(),
        success: SuccessBody::Empty,
        errors: Vec::new(),
        schemes: Vec::new(),
        anonymous: false,
        unused_request_media_types,
        request_media_type: None,
        body_example: None,
        params,
        server,
        deep_object_params: Vec::new(),
        content_type_override: None,
        renamed_params: Vec::new(),
        multipart: None,
        pagination: None,
        response_headers: Vec::new(),
    };
    let at = model.pointer.clone();
    if model.alternate_of.is_none()
        && let Some((declared, declared_in)) = pagination::declaration(
            &model.id,
            &op.extensions,
            &at,
            cx.file,
            cx.pagination.0,
            cx.pagination.1,
        )?
    {
        let parameters = pagination::parameters(&item.parameters, &op.parameters, components);
        model.pagination = Some(pagination::resolve(
            declared,
            declared_in,
            &parameters,
            &model.fn_name,
        )?);
    }
    restore::normalize(
        &mut OperationSlot {
            file: cx.file,
            at: &at,
            item_parameters: &mut item.parameters,
            operation: &mut op,
            components,
        },
        &mut model,
    )?;
    (model.request_media_type, model.body_example) = sent_body(&mut op);

    model.response_headers = super::response_headers::response_headers(&op.responses, components);
    let responses = responses(cx, &mut op, &model, components)?;
    model.success_statuses = responses.success_statuses;
    model.success = responses.success;
    model.errors = responses.errors;

    let security = op.security.clone().or_else(|| cx.global_security.clone());
    (model.schemes, model.anonymous) = operation_schemes(security.as_deref(), cx.schemes);
    *method.slot(item) = Some(op);
    Ok(Some(model))
}

/// The operation's responses in the model (an alternate's are its operation's), rewritten for
/// progenitor.
fn responses(
    cx: &mut Context<'_>,
    op: &mut Operation,
    model: &OperationModel,
    components: &mut Components,
) -> Result<ResponsesOf> {
    if let Some((rewritten, of)) = model
        .alternate_of
        .as_ref()
        .and_then(|a| cx.done.get(&a.of_id))
    {
        op.responses = rewritten.clone();
        return Ok(of.clone());
    }
    let Responses {
        success_statuses,
        success,
        errors,
    } = operation_responses(
        &mut op.responses,
        &model.id,
        &model.pointer,
        cx.file,
        components,
        &mut cx.schema_names,
        &mut cx.hoisted,
    )?;
    let of = ResponsesOf {
        success_statuses,
        success,
        errors,
    };
    if !model.alternates.is_empty() {
        cx.done
            .insert(model.id.clone(), (op.responses.clone(), of.clone()));
    }
    Ok(of)
}

/// The parameters of an operation (its path item's first), with the spec's examples.
fn params(
    item: &[ReferenceOr<Parameter>],
    op: &[ReferenceOr<Parameter>],
    components: &Components,
) -> Vec<ParamModel> {
    item.iter()
        .chain(op)
        .filter_map(|p| parameter(p, components))
        .map(|p| {
            let data = p.parameter_data_ref();
            // The schema's example, also where the schema is a component.
            let schema_example = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                    s.schema_data.example.clone()
                }
                openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Reference {
                    reference,
                }) => reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|name| components.schemas.get(name))
                    .and_then(ReferenceOr::as_item)
                    .and_then(|s| s.schema_data.example.clone()),
                _ => None,
            };
            ParamModel {
                api_name: data.name.clone(),
                rust_name: names::snake(&data.name),
                example: data.example.clone().or(schema_example),
                in_header: matches!(p, Parameter::Header { .. }),
            }
        })
        .collect()
}

/// Resolves the request body and keeps the one media type the method sends (JSON first);
/// returns the others that no alternate method sends.
fn choose_request_body(
    op: &mut Operation,
    alternates: &[(MediaType, String)],
    at: &str,
    file: &Path,
    components: &Components,
) -> Result<Vec<MediaType>> {
    let Some(body) = op.request_body.take() else {
        return Ok(Vec::new());
    };
    let reference = match &body {
        ReferenceOr::Reference { reference } => reference.clone(),
        ReferenceOr::Item(_) => String::new(),
    };
    let mut body = resolve_request_body(body, components).ok_or_else(|| {
        Error::at(
            Stage::Normalize,
            file,
            format!("{at}/requestBody"),
            format!("cannot resolve request body reference {reference:?}"),
        )
    })?;
    let mut unused: Vec<MediaType> = choose_media_type(&mut body.content)
        .iter()
        .map(|m| MediaType::new(m))
        .collect();
    unused.retain(|m| !alternates.iter().any(|(media, _)| media == m));
    op.request_body = Some(ReferenceOr::Item(body));
    Ok(unused)
}

/// The media type sent, as progenitor was given it, and the body's example (JSON text). Form
/// `encoding` entries, which progenitor cannot take, go: the body is sent form-encoded,
/// exploded (the restorations have read them).
fn sent_body(op: &mut Operation) -> (Option<MediaType>, Option<serde_json::Value>) {
    let Some(ReferenceOr::Item(body)) = op.request_body.as_mut() else {
        return (None, None);
    };
    let Some((media_type, media)) = body.content.first_mut() else {
        return (None, None);
    };
    media.encoding.clear();
    let example = media.example.clone().or_else(|| {
        media
            .examples
            .values()
            .find_map(|e| e.as_item().and_then(|e| e.value.clone()))
    });
    (Some(MediaType::new(media_type)), example)
}
