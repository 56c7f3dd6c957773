//! The typed layer: `Client::from_env`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Model, SchemeKind};
use crate::syntax::*;

/// `Client::from_env`, where the settings name an environment prefix.
pub(super) fn from_env(model: &Model) -> TokenStream {
    let Some(prefix) = &model.env_prefix else {
        return TokenStream::new();
    };
    let base = format!("{prefix}_BASE_URL");
    let mut wanted: Vec<String> = Vec::new();
    // (the `if let` condition, what it does): the first whose variables are all set wins.
    let mut branches: Vec<(TokenStream, TokenStream)> = Vec::new();
    if model.schemes.iter().any(|s| s.kind == SchemeKind::Bearer) {
        let access = format!("{prefix}_ACCESS_TOKEN");
        wanted.push(format!("`{access}`"));
        branches.push((
            quote!(::std::option::Option::Some(token) = ::finapi_runtime::env_var(#access)),
            quote!(builder.bearer_token(token)),
        ));
    }
    if let (Some([user, pass]), true) = (
        &model.basic_env,
        model.schemes.iter().any(|s| s.kind == SchemeKind::Basic),
    ) {
        let (user, pass) = (format!("{prefix}_{user}"), format!("{prefix}_{pass}"));
        wanted.push(format!("`{user}` and `{pass}`"));
        branches.push((
            quote!((::std::option::Option::Some(user), ::std::option::Option::Some(pass)) =
                (::finapi_runtime::env_var(#user), ::finapi_runtime::env_var(#pass))),
            quote!(builder.basic_auth(user, pass)),
        ));
    }
    if let Some(t) = &model.token {
        let vars: Vec<String> = t
            .credentials
            .iter()
            .map(|c| format!("{prefix}_{}", c.to_ascii_uppercase()))
            .collect();
        let idents: Vec<_> = t
            .credentials
            .iter()
            .map(|c| format_ident!("{}", c))
            .collect();
        wanted.push(
            vars.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" + "),
        );
        let optional = t.optional.iter().map(|o| {
            let var = format!("{prefix}_{}", o.to_ascii_uppercase());
            let method = format_ident!("token_{}", o);
            quote! {
                if let ::std::option::Option::Some(value) = ::finapi_runtime::env_var(#var) {
                    builder = builder.#method(value);
                }
            }
        });
        branches.push((
            quote!((#(::std::option::Option::Some(#idents)),*) = (#(::finapi_runtime::env_var(#vars)),*)),
            {
                let optional: Vec<_> = optional.collect();
                if optional.is_empty() {
                    quote!(builder.client_credentials(#(#idents),*))
                } else {
                    quote!({
                        let mut builder = builder.client_credentials(#(#idents),*);
                        #(#optional)*
                        builder
                    })
                }
            },
        ));
    }
    if branches.is_empty() {
        return TokenStream::new();
    }
    let wanted = wanted.join(", or ");
    let message = format!("set {wanted}");
    let docs = doc(&format!(
        "A client configured from the environment: `{base}` (default [`Client::DEFAULT_BASE_URL`]) \
         and credentials, the first that is set of: {wanted}."
    ));
    let chain = branches
        .iter()
        .map(|(cond, body)| quote!(if let #cond { #body }));
    quote! {
        #docs
        pub fn from_env() -> ::std::result::Result<Client, ::finapi_runtime::BuildError> {
            let mut builder = Client::builder();
            if let ::std::option::Option::Some(url) = ::finapi_runtime::env_var(#base) {
                builder = builder.base_url(url);
            }
            let builder = #(#chain else)* {
                return Err(::finapi_runtime::BuildError::Credentials(#message.to_owned()));
            };
            builder.build()
        }
    }
}
