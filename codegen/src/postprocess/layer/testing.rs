//! The typed layer: the hidden `testing` module, through which tests and fuzzers drive each
//! operation's decoder exactly as a call does.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Model;

/// `testing::OPERATIONS` and `testing::decode`.
pub(crate) fn testing(model: &Model) -> TokenStream {
    let ids = model.operations.iter().map(|op| &op.id);
    let features = &model.features;
    let arms = model.operations.iter().map(|op| {
        let id = &op.id;
        let decode_fn = format_ident!("decode_{}", op.decoder_of());
        let cfg = crate::postprocess::features::cfg(features, op);
        quote! {
            #cfg
            #id => Some(::finapi_runtime::testing::outcome(Client::#decode_fn(raw))),
        }
    });
    quote! {
        /// Hooks for tests and fuzzers; not part of the supported API.
        #[doc(hidden)]
        pub mod testing {
            use super::Client;

            /// The operation ids, in spec order.
            pub const OPERATIONS: &[&str] = &[#(#ids),*];

            /// Decodes `body` as a `status` response of `operation`, exactly as a call does:
            /// `Some(Ok(()))` for a success, `Some(Err(printed))` for a typed error or a
            /// decode error (every way it prints: `Display`, `Debug`, its sources), `None`
            /// for an unknown operation.
            // Invariant (pay per call): reaches every decoder; `#[inline]`, so that only a
            // program that calls it generates their code.
            #[inline]
            pub fn decode(
                operation: &str,
                status: u16,
                body: ::finapi_runtime::export::Bytes,
            ) -> ::std::option::Option<::std::result::Result<(), ::std::string::String>> {
                let status = ::finapi_runtime::export::StatusCode::from_u16(status).ok()?;
                let raw = ::finapi_runtime::RawResponse::new(
                    "fuzz",
                    status,
                    ::finapi_runtime::export::HeaderMap::new(),
                    None,
                    body,
                );
                match operation {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    }
}
