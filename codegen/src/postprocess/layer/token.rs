//! The typed layer: the token endpoint (`TOKEN_ENDPOINT`) and its builder methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::TokenExpiry;
use crate::model::{Model, TokenFieldModel};
use crate::syntax::*;

/// What a token endpoint adds to the client: its description, and builder methods.
#[derive(Default)]
pub(super) struct TokenItems {
    pub(super) statics: TokenStream,
    pub(super) methods: TokenStream,
    pub(super) options_field: TokenStream,
    pub(super) options_init: TokenStream,
    pub(super) take_config: TokenStream,
}

pub(super) fn token_items(model: &Model) -> TokenItems {
    let Some(t) = &model.token else {
        return TokenItems {
            take_config: quote!(self.config),
            ..TokenItems::default()
        };
    };
    let op = &t.operation;
    let (operation, method_name, method, path) = (&op.id, &op.fn_name, op.method.upper(), &op.path);
    let decode_fn = format_ident!("decode_{}", op.decoder_of());
    let server = match &op.server {
        Some(url) => quote!(::std::option::Option::Some(#url)),
        None => quote!(::std::option::Option::None),
    };
    let form = t.form;
    let body = t.body.iter().map(|(field, kind)| {
        let kind = match kind {
            TokenFieldModel::Literal(v) => quote!(::finapi_runtime::TokenField::Literal(#v)),
            TokenFieldModel::Credential(v) => quote!(::finapi_runtime::TokenField::Credential(#v)),
            TokenFieldModel::Optional(v) => quote!(::finapi_runtime::TokenField::Optional(#v)),
        };
        quote!((#field, #kind),)
    });
    let access_token = &t.access_token;
    let expiry = match &t.expiry {
        TokenExpiry::Seconds(f) => quote!(::finapi_runtime::Expiry::Seconds(#f)),
        TokenExpiry::UnixOrSeconds(f) => quote!(::finapi_runtime::Expiry::UnixOrSeconds(#f)),
        TokenExpiry::JwtExp => quote!(::finapi_runtime::Expiry::JwtExp),
    };
    let marker = match &t.expired_marker {
        Some(m) => quote!(::std::option::Option::Some(#m)),
        None => quote!(::std::option::Option::None),
    };
    let statics = quote! {
        /// The provider's token endpoint, for [`TokenCredentials`](crate::TokenCredentials).
        pub static TOKEN_ENDPOINT: ::finapi_runtime::TokenEndpoint = ::finapi_runtime::TokenEndpoint {
            operation: #operation,
            method_name: #method_name,
            method: #method,
            path: #path,
            server: #server,
            form: #form,
            body: &[#(#body)*],
            access_token: #access_token,
            expiry: #expiry,
            expired_marker: #marker,
            decode_error: decode_token_error,
        };

        /// A token endpoint's error response as its documented error (`Error::Auth` keeps it).
        fn decode_token_error(
            raw: ::finapi_runtime::RawResponse,
        ) -> ::std::option::Option<::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> {
            match Client::#decode_fn(raw) {
                Err(::finapi_runtime::Error::Api(e)) => ::std::option::Option::Some(::std::boxed::Box::new(e)),
                _ => ::std::option::Option::None,
            }
        }
    };
    let args: Vec<_> = t
        .credentials
        .iter()
        .map(|c| format_ident!("{}", c))
        .collect();
    let names = &t.credentials;
    let expiry_text = match &t.expiry {
        TokenExpiry::Seconds(f) => format!("the response's `{f}` (seconds)"),
        TokenExpiry::UnixOrSeconds(f) => {
            format!("the response's `{f}` (seconds, or a Unix time)")
        }
        TokenExpiry::JwtExp => "the token's JWT `exp` claim".to_owned(),
    };
    let docs = doc(&format!(
        "Authenticates with bearer tokens from `{operation}` (`{method} {path}`), exchanging \
         these credentials.\n\nThe client fetches a token on first use, caches it, and fetches a \
         new one before it expires (from {expiry_text}); concurrent calls wait for a single \
         fetch. A 401 that says the token expired makes the client fetch a new token and send \
         the request once more."
    ));
    let mut methods = quote! {
        #docs
        pub fn client_credentials(
            mut self,
            #(#args: impl ::std::convert::Into<::finapi_runtime::Secret>),*
        ) -> Self {
            self.config.set_credentials(::finapi_runtime::Credentials::Token(
                ::finapi_runtime::TokenCredentials::new(&TOKEN_ENDPOINT, vec![#((#names, #args.into())),*]),
            ));
            self
        }
    };
    for name in &t.optional {
        let method = format_ident!("token_{}", name);
        let docs = doc(&format!(
            "Sets `{name}` in token requests (with [`ClientBuilder::client_credentials`])."
        ));
        methods.extend(quote! {
            #docs
            pub fn #method(mut self, value: impl ::std::convert::Into<::finapi_runtime::Secret>) -> Self {
                self.token_options.push((#name, value.into()));
                self
            }
        });
    }
    TokenItems {
        statics,
        methods,
        options_field: quote!(token_options: ::std::vec::Vec<(&'static str, ::finapi_runtime::Secret)>,),
        options_init: quote!(token_options: ::std::vec::Vec::new()),
        take_config: quote! {{
            let mut config = self.config;
            if let ::finapi_runtime::Credentials::Token(token) = config.credentials_mut() {
                for (name, value) in self.token_options {
                    token.set(name, value);
                }
            }
            config
        }},
    }
}
