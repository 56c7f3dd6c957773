//! `<Operation>Headers`: the headers an operation's responses document, a field each, typed
//! by its schema (`finapi_runtime::FromHeaders`), read with `headers_as` from a response or
//! from any of the operation's errors.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{HeaderKind, OperationModel};

/// The struct's name for an operation.
pub(crate) fn headers_name(op: &OperationModel) -> String {
    format!("{}Headers", crate::names::pascal(&op.id))
}

/// The operation's headers struct and its `FromHeaders`, or nothing where its responses
/// document no header.
pub(super) fn headers_struct(op: &OperationModel) -> Option<TokenStream> {
    if op.response_headers.is_empty() {
        return None;
    }
    let name = format_ident!("{}", headers_name(op));
    let doc = format!(
        " The headers `{}`'s responses document, typed: \
         `response.headers_as::<{name}>()`, and `headers_as` on its errors. A header that \
         is absent, or whose value does not parse as its schema says, is `None`; \
         `headers()` has them all as sent.",
        op.id
    );
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    for header in &op.response_headers {
        let field = format_ident!("{}", header.field);
        let ty = match header.kind {
            HeaderKind::I32 => quote!(i32),
            HeaderKind::I64 => quote!(i64),
            HeaderKind::F64 => quote!(f64),
            HeaderKind::Bool => quote!(bool),
            HeaderKind::DateTime => quote!(::chrono::DateTime<::chrono::offset::Utc>),
            HeaderKind::String => quote!(::std::string::String),
        };
        let description = header
            .description
            .as_deref()
            .map(|d| format!(": {}", d.trim().replace('\n', " ")))
            .unwrap_or_default();
        let field_doc = format!(
            " `{}` ({}){description}",
            header.name,
            header.statuses.join(", ")
        );
        let wire = header.name.to_ascii_lowercase();
        fields.push(quote! {
            #[doc = #field_doc]
            pub #field: ::std::option::Option<#ty>,
        });
        reads.push(quote!(#field: ::finapi_runtime::header_value(headers, #wire),));
    }
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl ::finapi_runtime::FromHeaders for #name {
            fn from_headers(headers: &::finapi_runtime::export::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    })
}
