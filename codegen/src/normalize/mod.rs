//! Stage 3, normalize: rewrite what progenitor cannot take, without losing meaning.
//! `document` rewrites the JSON document before the typed parse; this module rewrites the
//! typed model after it, one step per module:
//!
//! - `client`: the base URL; header parameters the settings lift onto the client leave the
//!   operations; the token endpoint the settings describe.
//! - `security`: the schemes a client can satisfy.
//! - `operation`, for each operation: its parameters and server, the request body's media
//!   type (`media`: JSON first; the others are recorded), the request restorations
//!   (`crate::restore`), its responses (`responses`: every body becomes
//!   `application/octet-stream`, so that progenitor hands back status, headers and bytes for
//!   every status; what each really is goes into the [`Model`]; inline response schemas move
//!   under `components/schemas`, so typify still names them), its security.
//! - What the spec marks `x-sensitive`, for post-process to redact.

pub mod document;

pub(crate) mod client;
pub(crate) mod operation;
pub(crate) mod response_headers;
pub(crate) mod responses;
pub(crate) mod security;

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{Error, Result, Stage, pointer};
use crate::model::Features;
use crate::model::Model;
use crate::names;
use crate::settings::Settings;

/// Rewrites `spec` for progenitor and returns what the rewrite took out.
pub fn normalize(
    mut spec: OpenAPI,
    settings: &Settings,
    file: &Path,
    settings_file: &Path,
) -> Result<(OpenAPI, Model)> {
    let base_url = match (&settings.base_url, spec.servers.first()) {
        (Some(url), _) => url.clone(),
        (None, Some(server)) => client::server_url(server),
        (None, None) => {
            return Err(Error::at(
                Stage::Normalize,
                file,
                "/servers",
                "the spec names no server and the settings no base_url",
            ));
        }
    };
    let mut components = spec.components.take().unwrap_or_default();
    let schemes = security::schemes(&components);
    let client_headers = client::client_headers(&spec, &components, settings, settings_file)?;
    let lifted: BTreeSet<String> = client_headers
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .collect();
    crate::restore::prepare(&mut spec, &mut components);

    let global_security = spec.security.clone();
    let mut cx = operation::Context {
        file,
        lifted: &lifted,
        schemes: &schemes,
        global_security: &global_security,
        pagination: (&settings.pagination, settings_file),
        done: Default::default(),
        schema_names: names::Taken::new(components.schemas.keys()),
        hoisted: Default::default(),
    };
    let mut operations = Vec::new();
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            return Err(Error::at(
                Stage::Normalize,
                file,
                pointer(["paths", path]),
                "path items given by `$ref` are not supported",
            ));
        };
        item.parameters
            .retain(|p| !client::is_lifted(p, &components, &lifted));
        for method in crate::openapi::Method::ALL {
            operations.extend(operation::operation(
                &mut cx,
                path,
                item,
                method,
                &mut components,
            )?);
        }
    }
    if let Some(id) = settings
        .pagination
        .keys()
        .find(|id| !operations.iter().any(|op| op.id == **id))
    {
        return Err(Error::at(
            Stage::Normalize,
            settings_file,
            pointer(["pagination", id]),
            format!("the spec has no operation {id:?}"),
        ));
    }
    // The paginators' names, decided by the check: none may be an operation's method.
    for op in &operations {
        let Some(p) = &op.pagination else { continue };
        let names = std::iter::once(&p.pages_method).chain(&p.stream_method);
        if let Some(taken) = names
            .into_iter()
            .find(|name| operations.iter().any(|other| other.fn_name == **name))
        {
            return Err(Error::at(
                Stage::Normalize,
                &p.declared_in.0,
                &p.declared_in.1,
                format!(
                    "the paginator `{taken}` would have the name of another operation's method"
                ),
            ));
        }
    }
    strip_marks(&mut spec, &mut components);
    spec.components = Some(components);
    let method_of = |id: &str| {
        operations
            .iter()
            .find(|op| op.id == id && op.alternate_of.is_none())
            .map(|op| op.fn_name.clone())
    };
    let webhooks = crate::webhooks::check(
        &spec,
        settings.webhooks.as_ref(),
        &method_of,
        file,
        settings_file,
    )?;
    let waiters = crate::waiters::check(&settings.waiters, &operations, settings_file)?;
    let token = match &settings.token {
        Some(t) => Some(client::token_model(t, &operations, settings_file)?),
        None => None,
    };
    // Methods ungated code calls are built whatever the features: the token endpoint's and
    // the webhook keys'.
    let always = token
        .iter()
        .map(|t| t.operation.fn_name.clone())
        .chain(webhooks.as_ref().and_then(|w| w.jwks_method.clone()))
        .collect();
    let features = Features::new(&operations, always);
    let model = Model {
        sensitive: sensitive(&spec),
        type_pointers: type_pointers(&spec),
        hoisted: std::mem::take(&mut cx.hoisted),
        discriminated: discriminated(&spec),
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
        webhooks,
        features,
        enum_values: Default::default(),
        waiters,
    };
    Ok((spec, model))
}

/// Component schemas that are a `oneOf` with a `discriminator`: (Rust type name, tag).
fn discriminated(spec: &OpenAPI) -> Vec<(String, String)> {
    spec.components
        .iter()
        .flat_map(|c| c.schemas.iter())
        .filter_map(|(name, schema)| {
            let schema = schema.as_item()?;
            let discriminator = schema.schema_data.discriminator.as_ref()?;
            matches!(schema.schema_kind, openapiv3::SchemaKind::OneOf { .. })
                .then(|| (names::pascal(name), discriminator.property_name.clone()))
        })
        .collect()
}

/// The pointer of each component schema, by the Rust name of its type.
fn type_pointers(spec: &OpenAPI) -> std::collections::BTreeMap<String, String> {
    spec.components
        .iter()
        .flat_map(|c| c.schemas.keys())
        .map(|key| (names::pascal(key), pointer(["components", "schemas", key])))
        .collect()
}

/// Fields marked `x-sensitive: true`: (Rust type name, wire field name).
fn sensitive(spec: &OpenAPI) -> BTreeSet<(String, String)> {
    spec.components
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
        .collect()
}

/// The prefix of the extensions restorations mark the spec with while normalizing.
const MARK: &str = "x-finapi-";

/// Takes the restorations' marks out of the spec progenitor gets.
fn strip_marks(spec: &mut OpenAPI, components: &mut openapiv3::Components) {
    let unmark = |p: &mut ReferenceOr<openapiv3::Parameter>| {
        if let ReferenceOr::Item(p) = p {
            match p {
                openapiv3::Parameter::Query { parameter_data, .. }
                | openapiv3::Parameter::Header { parameter_data, .. }
                | openapiv3::Parameter::Path { parameter_data, .. }
                | openapiv3::Parameter::Cookie { parameter_data, .. } => parameter_data
                    .extensions
                    .retain(|k, _| !k.starts_with(MARK)),
            }
        }
    };
    components.parameters.values_mut().for_each(unmark);
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        item.parameters.iter_mut().for_each(unmark);
        for method in crate::openapi::Method::ALL {
            if let Some(op) = method.slot(item) {
                op.parameters.iter_mut().for_each(unmark);
                op.extensions.retain(|k, _| !k.starts_with(MARK));
            }
        }
    }
}
