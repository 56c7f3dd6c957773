//! `multipart/form-data` request bodies: progenitor cannot send them.
//!
//! - normalize: the body goes to progenitor as `application/octet-stream` bytes; the operation
//!   records its parts from the schema's properties (name, required, file / JSON / text, the
//!   `encoding`'s content type, description) for the method's docs and the examples.
//! - post-process: the method takes a `finapi_runtime::Multipart` instead of progenitor's
//!   `B: Into<reqwest::Body>`, sends its bytes, and its `Content-Type` with the boundary.

use indexmap::IndexMap;
use openapiv3::VariantOrUnknownOrEmpty;
use openapiv3::{Components, MediaType, ReferenceOr, SchemaKind, StringFormat, Type};
use syn::{FnArg, Pat, Signature};

use super::syntax::{content_type_header, is_ident, method_call};
use super::{Missing, OperationSlot, Restoration, RestoreResult};
use crate::error::Result;
use crate::model::{OperationModel, PartKind, PartModel};
use crate::openapi::media::{binary_schema, essence};
use crate::openapi::resolve::resolve_schema;

/// The restoration.
pub(crate) struct Multipart;

impl Restoration for Multipart {
    fn name(&self) -> &'static str {
        "multipart body"
    }

    fn normalize(&self, op: &mut OperationSlot<'_>, model: &mut OperationModel) -> Result<()> {
        let (components, at, file) = (&*op.components, op.at, op.file);
        let Some(ReferenceOr::Item(body)) = op.operation.request_body.as_mut() else {
            return Ok(());
        };
        let content = &mut body.content;
        let Some(key) = content.keys().next().cloned() else {
            return Ok(());
        };
        if !essence(&key).eq_ignore_ascii_case("multipart/form-data") {
            return Ok(());
        }
        let parts = parts(content, components).ok_or_else(|| {
            crate::error::Error::at(
                crate::error::Stage::Normalize,
                file,
                format!("{at}/requestBody"),
                "cannot resolve a schema reference of the multipart body",
            )
        })?;
        if let Some(mut media) = content.shift_remove(&key) {
            media.schema = Some(ReferenceOr::Item(binary_schema()));
            content.insert("application/octet-stream".to_owned(), media);
        }
        model.multipart = Some(parts);
        Ok(())
    }

    fn restore(&self, method: &mut syn::ImplItemFn, model: &OperationModel) -> RestoreResult {
        if model.multipart.is_none() {
            return Ok(());
        }
        signature(&mut method.sig)?;
        let mut body = Body::default();
        syn::visit_mut::VisitMut::visit_block_mut(&mut body, &mut method.block);
        if !body.bytes || !body.content_type {
            return Err(Missing(
                "progenitor's request code sends no body to encode as multipart".into(),
            ));
        }
        Ok(())
    }
}

/// The parts of a `multipart/form-data` body, from its schema's properties; `None` where a
/// schema reference does not resolve (validate checked that they do).
fn parts(content: &IndexMap<String, MediaType>, components: &Components) -> Option<Vec<PartModel>> {
    let Some((_, media)) = content.first() else {
        return Some(Vec::new());
    };
    let Some(schema) = &media.schema else {
        return Some(Vec::new());
    };
    let schema = resolve_schema(schema, components)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Some(Vec::new());
    };
    let mut parts = Vec::new();
    for (name, property) in &object.properties {
        let property = resolve_schema(&property.clone().unbox(), components)?;
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
    Some(parts)
}

/// The method takes a `finapi_runtime::Multipart` where progenitor's takes any
/// `B: Into<reqwest::Body>`.
fn signature(sig: &mut Signature) -> RestoreResult {
    let mut generic = None;
    for input in &mut sig.inputs {
        if let FnArg::Typed(t) = input
            && matches!(&*t.pat, Pat::Ident(p) if p.ident == "body")
        {
            if let syn::Type::Path(path) = &*t.ty
                && let Some(ident) = path.path.get_ident()
            {
                generic = Some(ident.clone());
            }
            *t.ty = syn::parse_quote!(::finapi_runtime::Multipart);
        }
    }
    let generic = generic
        .ok_or_else(|| Missing("progenitor's method has no generic `body` parameter".into()))?;
    let before = sig.generics.params.len();
    sig.generics.params = sig
        .generics
        .params
        .clone()
        .into_iter()
        .filter(|p| !matches!(p, syn::GenericParam::Type(t) if t.ident == generic))
        .collect();
    if sig.generics.params.len() + 1 != before {
        return Err(Missing(format!(
            "progenitor's method has no type parameter `{generic}`"
        )));
    }
    Ok(())
}

/// The body's bytes and its `Content-Type` (with the boundary) come from the `Multipart`.
#[derive(Default)]
struct Body {
    bytes: bool,
    content_type: bool,
}

impl syn::visit_mut::VisitMut for Body {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Some(call) = content_type_header(expr) {
            call.args[1] = syn::parse_quote!(body.content_type());
            self.content_type = true;
        } else if let Some(call) = method_call(expr, "body", 1)
            && is_ident(&call.args[0], "body")
        {
            call.args[0] = syn::parse_quote!(body.into_bytes());
            self.bytes = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::test_support::{generate, item, method, operation_model};

    const SPEC: &str = r#"
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary, description: the document}
                note: {type: string}
            encoding:
              file: {contentType: application/pdf}
      responses:
        "204": {description: done}
"#;

    #[test]
    fn a_multipart_body_is_a_multipart_with_its_boundary() {
        expect![[r#"
            pub fn upload<'a>(
                &'a self,
                body: ::finapi_runtime::Multipart,
            ) -> Result<::reqwest::Request, Error<()>> {
                let url = format!("{}/upload", self.baseurl,);
                #[allow(unused_mut)]
                let mut request = self
                    .client
                    .post(url)
                    .header(::reqwest::header::CONTENT_TYPE, body.content_type())
                    .body(body.into_bytes())
                    .headers(header_map)
                    .build()?;
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["request", "upload"]));
    }

    #[test]
    fn progenitor_code_without_a_body_fails_generation() {
        let mut model = operation_model();
        model.multipart = Some(Vec::new());
        let mut f: syn::ImplItemFn = syn::parse_quote! {
            pub async fn op<'a, B: Into<reqwest::Body>>(&'a self, body: B) -> Result<(), ()> {
                let request = self.client.post(url).build()?;
            }
        };
        assert!(Multipart.restore(&mut f, &model).is_err());
        let mut f = method(quote::quote!({}));
        assert!(
            Multipart.restore(&mut f, &model).is_err(),
            "no generic body"
        );
    }
}
