//! What the client holds rather than each operation: header parameters lifted onto it, its
//! servers, the token endpoint the settings describe.

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr};

use crate::error::{Error, Result, Stage};
use crate::model::{ClientHeaderModel, OperationModel, TokenExpiry, TokenFieldModel, TokenModel};
use crate::openapi::media::{MediaKind, MediaType};
use crate::openapi::resolve::parameter;
use crate::settings::ExpirySettings;
use crate::settings::{Settings, TokenSettings, placeholder};

/// The token endpoint the settings describe, checked against the spec.
// Invariant (provider policy is data): what a provider's token endpoint is comes from its
// settings and spec, never from code that names a provider.
pub(crate) fn token_model(
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
    let form = match operation.request_media_type.as_ref().map(MediaType::kind) {
        Some(MediaKind::Form) => true,
        Some(MediaKind::Json) => false,
        _ => {
            return Err(err(
                "/token/operation",
                format!(
                    "the token operation must take a JSON or form body, not {:?}",
                    operation.request_media_type.as_ref().map(MediaType::as_str)
                ),
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
        expiry: match &t.expiry {
            ExpirySettings::Seconds(f) => TokenExpiry::Seconds(f.clone()),
            ExpirySettings::UnixOrSeconds(f) => TokenExpiry::UnixOrSeconds(f.clone()),
            ExpirySettings::JwtExp => TokenExpiry::JwtExp,
        },
        expired_marker: t.expired_marker.clone(),
    })
}

/// A server's URL with its variables set to their defaults.
pub(crate) fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url
}

pub(crate) fn is_lifted(
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

pub(crate) fn client_headers(
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
