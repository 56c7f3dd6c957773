//! Request bodies progenitor cannot send as their own media type (other than multipart,
//! [`super::multipart`]'s).
//!
//! - normalize: a `+json` type goes to progenitor as `application/json` (the body is JSON);
//!   any other type it cannot send (XML, JOSE, ...) as `application/octet-stream`, the caller
//!   giving the bytes. The operation records the real type.
//! - post-process: the request sends the real `Content-Type`: progenitor's
//!   `.header(CONTENT_TYPE, ..)` names it, or (for JSON, where reqwest sets
//!   `application/json` only when no `Content-Type` is set) a header is put before `.json(..)`.

use openapiv3::ReferenceOr;

use super::syntax::content_type_header;
use super::{Missing, OperationSlot, Restoration, RestoreResult};
use crate::error::Result;
use crate::model::OperationModel;
use crate::openapi::media::{MediaType, binary_schema, essence, is_json};

/// The restoration.
pub(crate) struct ContentType;

impl Restoration for ContentType {
    fn name(&self) -> &'static str {
        "real Content-Type"
    }

    fn normalize(&self, op: &mut OperationSlot<'_>, model: &mut OperationModel) -> Result<()> {
        let Some(content) = op.content_mut() else {
            return Ok(());
        };
        let Some(real) = content.keys().next().cloned() else {
            return Ok(());
        };
        if progenitor_sends(&real) || essence(&real).eq_ignore_ascii_case("multipart/form-data") {
            return Ok(());
        }
        let Some(mut media) = content.shift_remove(&real) else {
            return Ok(());
        };
        let replacement = if is_json(&real) {
            "application/json"
        } else {
            media.schema = Some(ReferenceOr::Item(binary_schema()));
            "application/octet-stream"
        };
        content.insert(replacement.to_owned(), media);
        model.content_type_override = Some(MediaType::new(&real));
        Ok(())
    }

    fn restore(&self, method: &mut syn::ImplItemFn, model: &OperationModel) -> RestoreResult {
        let Some(real) = &model.content_type_override else {
            return Ok(());
        };
        // progenitor names the type it was given: name the real one instead.
        let real = real.as_str();
        let mut header = Header { real, set: false };
        syn::visit_mut::VisitMut::visit_block_mut(&mut header, &mut method.block);
        if header.set {
            return Ok(());
        }
        let mut json = Json { real, set: false };
        syn::visit_mut::VisitMut::visit_block_mut(&mut json, &mut method.block);
        if json.set {
            return Ok(());
        }
        Err(Missing(format!(
            "progenitor's request code sends no body to give the Content-Type {real:?}"
        )))
    }
}

/// Names the real type in progenitor's `.header(CONTENT_TYPE, ..)`.
struct Header<'a> {
    real: &'a str,
    set: bool,
}

impl syn::visit_mut::VisitMut for Header<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Some(call) = content_type_header(expr) {
            let real = self.real;
            call.args[1] = syn::parse_quote!(::reqwest::header::HeaderValue::from_static(#real));
            self.set = true;
        }
    }
}

/// Puts `.header(CONTENT_TYPE, real)` before the first `.json(..)` / `.form(..)`.
struct Json<'a> {
    real: &'a str,
    set: bool,
}

impl syn::visit_mut::VisitMut for Json<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if self.set {
            return;
        }
        let real = self.real;
        let body =
            matches!(expr, syn::Expr::MethodCall(c) if c.method == "json" || c.method == "form");
        if body && let syn::Expr::MethodCall(call) = expr {
            let receiver = &call.receiver;
            call.receiver = syn::parse_quote! {
                #receiver.header(::reqwest::header::CONTENT_TYPE, #real)
            };
            self.set = true;
        }
    }
}

/// The request media types progenitor sends as they are.
fn progenitor_sends(media_type: &str) -> bool {
    // As progenitor matches them: case-sensitively.
    matches!(
        crate::openapi::media::essence(media_type),
        "application/json"
            | "application/x-www-form-urlencoded"
            | "application/octet-stream"
            | "text/plain"
    )
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::test_support::{generate, item, method, operation_model};

    const SPEC: &str = r#"
paths:
  /patch:
    patch:
      operationId: patchThing
      requestBody:
        content:
          application/merge-patch+json: {schema: {type: object, properties: {name: {type: string}}}}
      responses:
        "200": {description: ok}
  /xml:
    post:
      operationId: postXml
      requestBody:
        content:
          application/xml: {schema: {type: string}}
      responses:
        "200": {description: ok}
"#;

    #[test]
    fn a_json_type_goes_out_as_json_with_its_own_content_type() {
        expect![[r#"
            pub fn patch_thing<'a>(
                &'a self,
                body: &'a types::PatchThingBody,
            ) -> Result<::reqwest::Request, Error<()>> {
                let url = format!("{}/patch", self.baseurl,);
                #[allow(unused_mut)]
                let mut request = self
                    .client
                    .patch(url)
                    .header(::reqwest::header::CONTENT_TYPE, "application/merge-patch+json")
                    .json(&body)
                    .headers(header_map)
                    .build()?;
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["request", "patch_thing"]));
    }

    #[test]
    fn a_type_progenitor_cannot_send_goes_out_as_bytes_with_its_own_content_type() {
        expect![[r#"
            pub fn post_xml<'a, B: Into<reqwest::Body>>(
                &'a self,
                body: B,
            ) -> Result<::reqwest::Request, Error<()>> {
                let url = format!("{}/xml", self.baseurl,);
                #[allow(unused_mut)]
                let mut request = self
                    .client
                    .post(url)
                    .header(
                        ::reqwest::header::CONTENT_TYPE,
                        ::reqwest::header::HeaderValue::from_static("application/xml"),
                    )
                    .body(body)
                    .headers(header_map)
                    .build()?;
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["request", "post_xml"]));
    }

    #[test]
    fn progenitor_code_without_a_body_fails_generation() {
        let mut model = operation_model();
        model.content_type_override = Some(MediaType::new("application/xml"));
        let mut f = method(quote::quote!({
            let request = self.client.post(url).build()?;
        }));
        assert!(ContentType.restore(&mut f, &model).is_err());
    }
}
