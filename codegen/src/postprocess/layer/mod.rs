//! Pass 3 of post-process, the typed layer, generated from the [`Model`]: what reads the
//! model, one module per generated feature. A method and a decoder per operation
//! ([`operation`]), an error enum per operation ([`errors`]) and a success enum where its
//! successes differ ([`success`]), the client and its builder ([`client`], [`token`],
//! [`from_env`]), and the hidden `testing` module ([`testing`]).

pub(super) mod client;
pub(super) mod errors;
pub(super) mod from_env;
pub(super) mod operation;
pub(crate) mod pagination;
pub(super) mod success;
pub(super) mod testing;
pub(super) mod token;
pub(super) mod webhooks;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::Signature;

use super::At;
use crate::error::Result;
use crate::model::{Model, OperationModel, StatusMatch};
use crate::names;

/// The types typify generated, for naming response bodies; errors are located at `at`.
pub(super) struct Types<'a> {
    names: &'a BTreeSet<String>,
    file: &'a Path,
    pointer: &'a str,
}

impl Types<'_> {
    /// Where errors are located.
    pub(super) fn at(&self) -> At<'_> {
        At::new(self.file, self.pointer)
    }

    /// The Rust type of a JSON body, checked against what typify generated.
    pub(super) fn body(&self, name: &str) -> Result<TokenStream> {
        if name.starts_with("::") {
            return syn::parse_str::<syn::Type>(name)
                .map(|t| quote!(#t))
                .map_err(|e| self.at().error(format!("bad type {name}: {e}")));
        }
        if !self.names.contains(name) {
            return Err(self.at().error(format!(
                "typify generated no type `{name}` for a response body"
            )));
        }
        let ident = format_ident!("{}", name);
        Ok(quote!(types::#ident))
    }
}

/// The typed layer: the client, a method per operation, the error and success enums, the
/// `testing` module.
pub(super) fn typed_layer(
    model: &Model,
    signatures: &BTreeMap<String, Signature>,
    types: &BTreeSet<String>,
    index: &crate::postprocess::types::index::TypeIndex,
    file: &Path,
) -> Result<TokenStream> {
    let mut operations = Vec::new();
    let mut error_enums = Vec::new();
    let features = super::features::Features::new(model);
    for op in &model.operations {
        let cfg = features.cfg(op);
        let types = Types {
            names: types,
            file,
            pointer: &op.pointer,
        };
        let sig = signatures.get(&op.fn_name).ok_or_else(|| {
            types
                .at()
                .error(format!("progenitor generated no method `{}`", op.fn_name))
        })?;
        let method = operation::operation_method(op, sig, &types)?;
        if let Some((pages, stream)) = pagination::method_names(op)
            && let Some(taken) = [Some(pages), stream]
                .into_iter()
                .flatten()
                .find(|name| signatures.contains_key(name))
        {
            return Err(types.at().error(format!(
                "the paginator `{taken}` would have the name of another operation's method"
            )));
        }
        let paginators = pagination::paginators(op, sig, &types, index)?;
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
        }
    }
    let client = client::client(model);
    let testing = testing::testing(model);
    let at_root = Types {
        names: types,
        file,
        pointer: "/x-webhooks",
    };
    let webhooks = webhooks::module(model.webhooks.as_ref(), signatures, &at_root, types)?;
    Ok(quote! {
        #client

        #(#operations)*

        #(#error_enums)*

        #testing

        #webhooks
    })
}

pub(super) fn status_pattern(statuses: &[&StatusMatch]) -> TokenStream {
    let pats = statuses.iter().map(|s| match s {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let (lo, hi) = (
                Literal::u16_unsuffixed(r * 100),
                Literal::u16_unsuffixed(r * 100 + 99),
            );
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    });
    quote!(#(#pats)|*)
}

pub(super) fn variant_name(status: &StatusMatch) -> syn::Ident {
    match status {
        StatusMatch::Code(c) => format_ident!("{}", names::status_variant(*c)),
        StatusMatch::Range(r) => format_ident!("Status{}xx", r),
        StatusMatch::Default => format_ident!("Default"),
    }
}

pub(super) fn status_label(status: &StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match names::reason(*c) {
            Some(reason) => format!("`{c}` {reason}"),
            None => format!("`{c}`"),
        },
        StatusMatch::Range(r) => format!("`{r}XX`"),
        StatusMatch::Default => "Any status not otherwise documented".to_owned(),
    }
}

pub(super) fn success_enum_name(op: &OperationModel) -> syn::Ident {
    let id = op.alternate_of.as_ref().map_or(&op.id, |a| &a.of_id);
    format_ident!("{}Success", names::pascal(id))
}

pub(super) fn error_enum_name(op: &OperationModel) -> syn::Ident {
    let id = op.alternate_of.as_ref().map_or(&op.id, |a| &a.of_id);
    format_ident!("{}Error", names::pascal(id))
}

/// The method name whose `decode_` function decodes this operation's responses.
pub(super) fn decoder_of(op: &OperationModel) -> &str {
    op.alternate_of.as_ref().map_or(&op.fn_name, |a| &a.of_fn)
}
