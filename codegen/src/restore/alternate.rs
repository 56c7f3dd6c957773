//! Every request media type is reachable: for each media type an operation offers beside the
//! one its method sends, a method of its own (`<op>_as_<media>`).
//!
//! - normalize: progenitor keys operations by path and method, so each alternate becomes an
//!   operation of its own on the operation's path plus a marker segment
//!   (`/__finapi_alternate_1`), at the end of `paths`. The alternate carries what it is
//!   ([`AlternateModel`]) and the operation its alternates, as `x-finapi-*` extensions, which
//!   [`take`] reads back when the operation normalizer reaches them.
//! - post-process: the marker leaves progenitor's URL (its `format!` string) and doc comment;
//!   it must be there exactly once.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Operation, ReferenceOr, RequestBody};
use serde_json::{Value, json};

use super::{Missing, OperationSlot, Restoration, RestoreResult};
use crate::error::Result;
use crate::model::{AlternateModel, OperationModel};
use crate::names;
use crate::openapi::Method;
use crate::openapi::media::{MediaType, essence, is_json, preferred_media_type};
use crate::openapi::resolve::resolve_request_body;

/// The marker segment of alternates' paths.
const MARKER: &str = "__finapi_alternate_";
/// On an alternate: what it is. Read and removed by [`take`].
const OF: &str = "x-finapi-alternate-of";
/// On an operation: its alternates. Read and removed by [`take`].
const ALTERNATES: &str = "x-finapi-alternates";

/// The path of the operation an alternate was made for, where `path` is an alternate's
/// (the operation's path and a marker segment).
pub(crate) fn real_path(path: &str) -> Option<&str> {
    let at = path.rfind(&format!("/{MARKER}"))?;
    Some(&path[..at])
}

/// The restoration.
pub(crate) struct Alternate;

impl Restoration for Alternate {
    fn name(&self) -> &'static str {
        "alternate media type"
    }

    /// For each request media type an operation offers beside the one its method sends, an
    /// operation of its own (`<operationId>_as_<media>`). A JSON type beside the JSON type
    /// sent, with the same schema, is the same body and gets none.
    fn prepare(&self, spec: &mut OpenAPI, components: &mut Components) {
        let mut ids: BTreeSet<String> = spec
            .operations()
            .filter_map(|(_, _, op)| op.operation_id.as_ref().map(|id| names::snake(id)))
            .collect();
        let mut new_items = Vec::new();
        let mut marked: Vec<(String, Method, Value)> = Vec::new();
        for (path, item) in spec.paths.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (key, op) in item.iter() {
                let Some(method) = Method::from_key(key) else {
                    continue;
                };
                let (Some(id), Some(body)) = (&op.operation_id, &op.request_body) else {
                    continue;
                };
                let Some(body) = resolve_request_body(body.clone(), components) else {
                    continue;
                };
                if body.content.len() <= 1 {
                    continue;
                }
                let chosen = preferred_media_type(&body.content);
                let chosen_schema = body.content.get(&chosen).and_then(|m| m.schema.as_ref());
                let mut alternates = Vec::new();
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
                    let marker = format!("/{MARKER}{}", new_items.len() + 1);
                    let mut alt = op.clone();
                    alt.operation_id = Some(alt_id.clone());
                    let mut content = IndexMap::new();
                    let mut media = media.clone();
                    // The same body in another media type: the example the spec gives for
                    // the one the operation's method sends serves this method's too.
                    if media.example.is_none()
                        && media.examples.is_empty()
                        && let Some(sent) = body.content.get(&chosen)
                        && sent.schema == media.schema
                    {
                        media.example = sent.example.clone();
                    }
                    content.insert(media_type.clone(), media);
                    alt.request_body = Some(ReferenceOr::Item(RequestBody {
                        content,
                        ..body.clone()
                    }));
                    alt.extensions.insert(
                        OF.to_owned(),
                        json!({
                            "path": path,
                            "of_id": id,
                            "of_fn": names::snake(id),
                            "media_type": media_type,
                            "marker": marker,
                        }),
                    );
                    let mut alt_item = openapiv3::PathItem {
                        parameters: item.parameters.clone(),
                        servers: item.servers.clone(),
                        ..Default::default()
                    };
                    *method.slot(&mut alt_item) = Some(alt);
                    new_items.push((format!("{path}{marker}"), alt_item));
                    alternates.push(json!([media_type, names::snake(&alt_id)]));
                }
                if !alternates.is_empty() {
                    marked.push((path.clone(), method, Value::Array(alternates)));
                }
            }
        }
        for (path, method, alternates) in marked {
            if let Some(ReferenceOr::Item(item)) = spec.paths.paths.get_mut(&path)
                && let Some(op) = method.slot(item)
            {
                op.extensions.insert(ALTERNATES.to_owned(), alternates);
            }
        }
        for (path, item) in new_items {
            spec.paths.paths.insert(path, ReferenceOr::Item(item));
        }
    }

    /// Recorded by [`take`], which the operation normalizer calls first: where an alternate is
    /// located and what it answers depend on it.
    fn normalize(&self, _op: &mut OperationSlot<'_>, _model: &mut OperationModel) -> Result<()> {
        Ok(())
    }

    fn restore(&self, method: &mut syn::ImplItemFn, model: &OperationModel) -> RestoreResult {
        let Some(alternate) = &model.alternate_of else {
            return Ok(());
        };
        let marker = alternate.marker.as_str();
        let mut unmark = Unmark { marker, removed: 0 };
        syn::visit_mut::VisitMut::visit_block_mut(&mut unmark, &mut method.block);
        if unmark.removed != 1 {
            return Err(Missing(format!(
                "expected the path marker {marker:?} once in progenitor's URL, found it {} times",
                unmark.removed
            )));
        }
        // progenitor's doc comment names the path too.
        for attr in &mut method.attrs {
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &nv.value
                && text.value().contains(marker)
            {
                let value = text.value().replace(marker, "");
                nv.value = syn::parse_quote!(#value);
            }
        }
        Ok(())
    }
}

/// What an operation's `x-finapi-*` extensions say of its alternates, taken out of it.
#[derive(Debug, Default)]
pub(crate) struct Taken {
    /// For an alternate: the operation's path, and what the alternate is.
    pub(crate) of: Option<(String, AlternateModel)>,
    /// For an operation: its alternates, (media type, method name).
    pub(crate) alternates: Vec<(MediaType, String)>,
}

/// Takes the records [`Alternate::prepare`] put on an operation.
pub(crate) fn take(op: &mut Operation) -> Taken {
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let of = op.extensions.shift_remove(OF).map(|v| {
        (
            text(&v, "path"),
            AlternateModel {
                of_id: text(&v, "of_id"),
                of_fn: text(&v, "of_fn"),
                media_type: MediaType::new(&text(&v, "media_type")),
                marker: text(&v, "marker"),
            },
        )
    });
    let alternates = op
        .extensions
        .shift_remove(ALTERNATES)
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|pair| {
            Some((
                MediaType::new(pair.get(0)?.as_str()?),
                pair.get(1)?.as_str()?.to_owned(),
            ))
        })
        .collect();
    Taken { of, alternates }
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

/// Takes the marker out of the URL: the format string of `format!` calls.
struct Unmark<'a> {
    marker: &'a str,
    removed: usize,
}

impl syn::visit_mut::VisitMut for Unmark<'_> {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format")
            && let Ok(mut args) = mac.parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            )
            && let Some(first) = args.first_mut()
            && let Some(text) = super::syntax::str_lit(first)
            && text.contains(self.marker)
        {
            self.removed += 1;
            let value = text.replacen(self.marker, "", 1);
            *first = syn::parse_quote!(#value);
            mac.tokens = quote::quote!(#args);
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_name_their_methods() {
        assert_eq!(media_suffix("application/x-www-form-urlencoded"), "form");
        assert_eq!(media_suffix("multipart/form-data; boundary=x"), "multipart");
        assert_eq!(media_suffix("text/xml"), "xml");
        assert_eq!(media_suffix("application/jose+jwe"), "jose_jwe");
    }
}

#[cfg(test)]
mod snapshots {
    use expect_test::expect;

    use super::*;
    use crate::test_support::{generate, item, method, operation_model};

    const SPEC: &str = r##"
paths:
  /tokens:
    post:
      operationId: createToken
      requestBody:
        content:
          application/json: {schema: {$ref: "#/components/schemas/Grant"}}
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/Grant"}}
      responses:
        "200": {description: ok}
components:
  schemas:
    Grant: {type: object, properties: {grant_type: {type: string}}}
"##;

    #[test]
    fn another_media_type_is_a_method_on_the_real_path() {
        expect![[r#"
            pub fn create_token_as_form<'a>(
                &'a self,
                body: &'a types::Grant,
            ) -> Result<::reqwest::Request, Error<()>> {
                let url = format!("{}/tokens", self.baseurl,);
                #[allow(unused_mut)]
                let mut request = self
                    .client
                    .post(url)
                    .form_urlencoded(&body)?
                    .headers(header_map)
                    .build()?;
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["request", "create_token_as_form"]));
    }

    #[test]
    fn progenitor_code_without_the_marker_fails_generation() {
        let mut model = operation_model();
        model.alternate_of = Some(AlternateModel {
            of_id: "op".into(),
            of_fn: "op".into(),
            media_type: MediaType::new("application/xml"),
            marker: "/__finapi_alternate_1".into(),
        });
        let mut f = method(quote::quote!({
            let url = format!("{}/op", self.baseurl,);
        }));
        assert!(Alternate.restore(&mut f, &model).is_err());
    }
}
