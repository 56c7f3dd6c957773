//! The typed layer: the error enum of an operation, a variant per documented status.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::statuses::{error_enum_name, status_label, variant_name};
use crate::error::Result;
use crate::model::{Body, OperationModel, StatusMatch};
use crate::syntax::type_index::Types;
use crate::syntax::*;

pub(super) fn error_enum(op: &OperationModel, types: &Types<'_>) -> Result<TokenStream> {
    let name = error_enum_name(op);
    let id = &op.id;
    let fn_name = &op.fn_name;
    let mut variants = Vec::new();
    let mut idents = Vec::new();
    for response in &op.errors {
        let variant = variant_name(&response.status);
        let body = match &response.body {
            Body::None => quote!(()),
            Body::Raw => quote!(::finapi_runtime::export::Bytes),
            Body::Json(t) => types.body(t)?,
        };
        let mut text = status_label(&response.status);
        if !response.description.trim().is_empty() {
            text.push_str(": ");
            text.push_str(response.description.trim());
        }
        let docs = doc(&text);
        variants.push(quote! {
            #docs
            #variant(::finapi_runtime::ApiError<#body>),
        });
        idents.push(variant);
    }
    if !op.errors.iter().any(|r| r.status == StatusMatch::Default) {
        variants.push(quote! {
            /// A status the spec does not document for this operation, with its raw body.
            Undocumented(::finapi_runtime::ApiError<::finapi_runtime::export::Bytes>),
        });
        idents.push(format_ident!("Undocumented"));
    }
    let docs = doc(&format!(
        "The error statuses of [`Client::{fn_name}`] (`{id}`), one variant per documented status.\n\n\
         Every variant carries the status, the request id, the headers and the raw body \
         (`err.status()`, `err.request_id()`, `err.headers()`, `err.raw_body()`), and the body \
         the spec documents for that status where there is one (`body()`)."
    ));
    Ok(quote! {
        #docs
        #[derive(Debug)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        ::finapi_runtime::operation_error!(#name { #(#idents),* });
    })
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r##"
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "404": {description: no such thing}
        "422": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
        "5XX": {description: server error}
components:
  schemas:
    Problem: {type: object, properties: {detail: {type: string}}}
"##;

    #[test]
    fn an_error_enum_has_a_variant_per_documented_status() {
        expect![[r#"
            /// The error statuses of [`Client::get_thing`] (`getThing`), one variant per documented status.
            ///
            /// Every variant carries the status, the request id, the headers and the raw body (`err.status()`, `err.request_id()`, `err.headers()`, `err.raw_body()`), and the body the spec documents for that status where there is one (`body()`).
            #[derive(Debug)]
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum GetThingError {
                /// `404` Not Found: no such thing
                NotFound(::finapi_runtime::ApiError<()>),
                /// `422` Unprocessable Entity: invalid
                UnprocessableEntity(::finapi_runtime::ApiError<types::Problem>),
                /// `5XX`: server error
                Status5xx(::finapi_runtime::ApiError<()>),
                /// A status the spec does not document for this operation, with its raw body.
                Undocumented(::finapi_runtime::ApiError<::finapi_runtime::export::Bytes>),
            }
            ::finapi_runtime::operation_error!(
                GetThingError { NotFound, UnprocessableEntity, Status5xx, Undocumented }
            );
        "#]]
        .assert_eq(&item(&generate(SPEC), &["GetThingError"]));
    }

    #[test]
    fn the_decoder_matches_codes_before_classes_and_any_2xx() {
        expect![[r#"
            /// Decodes a response of `getThing` as the spec documents it.
            #[inline]
            fn decode_get_thing(
                raw: ::finapi_runtime::RawResponse,
            ) -> ::std::result::Result<
                ::finapi_runtime::Response<types::GetThingResponse>,
                ::finapi_runtime::Error<GetThingError>,
            > {
                match raw.status() {
                    200..=299 => raw.json(),
                    404 => Err(raw.error_empty(GetThingError::NotFound)),
                    422 => Err(raw.error_json(GetThingError::UnprocessableEntity)),
                    500..=599 => Err(raw.error_empty(GetThingError::Status5xx)),
                    _ => Err(raw.error_raw(GetThingError::Undocumented)),
                }
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["Client", "decode_get_thing"]));
    }
}
