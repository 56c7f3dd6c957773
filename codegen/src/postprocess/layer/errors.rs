//! The typed layer: the error enum of an operation, a variant per documented status.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::*;
use crate::error::Result;
use crate::model::{Body, OperationModel, StatusMatch};
use crate::postprocess::syntax::*;

pub(super) fn error_enum(op: &OperationModel, types: &super::Types<'_>) -> Result<TokenStream> {
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
