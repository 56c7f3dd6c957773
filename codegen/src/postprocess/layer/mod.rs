//! Pass 3 of post-process, the typed layer, generated from the [`Model`]: what reads the
//! model, one module per generated feature. A method and a decoder per operation
//! ([`operation`]), an error enum per operation ([`errors`]) and a success enum where its
//! successes differ ([`success`]), the client and its builder ([`client`], [`token`],
//! [`from_env`]), the hidden `testing` module ([`testing`]) and the `mock` module ([`mock`]);
//! the waiters are their capability folder's (`crate::waiters`).

pub(super) mod client;
pub(super) mod errors;
pub(super) mod from_env;
pub(crate) mod headers;
pub(super) mod mock;
pub(super) mod operation;
pub(super) mod statuses;
pub(super) mod success;
pub(super) mod testing;
pub(super) mod token;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;
use syn::Signature;

use crate::error::{At, Result};
use crate::model::Model;
use crate::syntax::type_index::Types;

/// The typed layer: the client, a method per operation, the error and success enums, the
/// `testing` module.
pub(super) fn typed_layer(
    model: &Model,
    signatures: &BTreeMap<String, Signature>,
    types: &BTreeSet<String>,
    index: &crate::syntax::type_index::TypeIndex,
    file: &Path,
) -> Result<TokenStream> {
    let mut operations = Vec::new();
    let mut error_enums = Vec::new();
    let features = &model.features;
    for op in &model.operations {
        let cfg = crate::postprocess::features::cfg(features, op);
        let types = Types::new(types, file, &op.pointer);
        let sig = signatures.get(&op.fn_name).ok_or_else(|| {
            types
                .at()
                .error(format!("progenitor generated no method `{}`", op.fn_name))
        })?;
        let method = operation::operation_method(op, sig, &types)?;
        let paginators = crate::pagination::paginators(op, sig, &types, index)?;
        // One impl block per operation, so that its tags' features gate it whole.
        operations.push(quote! {
            // Error bodies are the spec's types; their size is the spec's business.
            // Signatures are progenitor's (`<'a>` even where only `&self` borrows).
            #cfg
            #[allow(
                clippy::too_many_arguments,
                clippy::result_large_err,
                clippy::needless_lifetimes
            )]
            impl Client {
                #method
                #paginators
            }
        });
        if op.alternate_of.is_none() {
            // An alternate's responses are its operation's, decoded by the same code.
            error_enums.push(super::features::gate_items(
                errors::error_enum(op, &types)?,
                cfg.as_ref(),
            ));
            if let Some(success) = success::success_enum(op, &types)? {
                error_enums.push(super::features::gate_items(success, cfg.as_ref()));
            }
            if let Some(headers) = headers::headers_struct(op) {
                error_enums.push(super::features::gate_items(headers, cfg.as_ref()));
            }
        }
    }
    let client = client::client(model);
    let testing = testing::testing(model);
    let mock = mock::mock_module(model, signatures, types, file)?;
    let cfg_of =
        |op: &crate::model::OperationModel| crate::postprocess::features::cfg(features, op);
    let waiters = crate::waiters::waiters(model, cfg_of, signatures, types, index, file)?;
    let webhooks = crate::webhooks::module(
        model.webhooks.as_ref(),
        signatures,
        types,
        At::new(file, "/x-webhooks"),
    )?;
    Ok(quote! {
        #client

        #(#operations)*

        #(#error_enums)*

        #waiters

        #testing

        #mock

        #webhooks
    })
}
