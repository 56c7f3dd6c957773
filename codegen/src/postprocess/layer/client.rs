//! The typed layer: `Client`, its `ClientBuilder`, the security and server tables.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Model, SchemeKind};
use crate::postprocess::syntax::*;

pub(super) fn client(model: &Model) -> TokenStream {
    let mut text = format!("Client for {}.", model.title.trim());
    if let Some(d) = &model.description {
        text.push_str("\n\n");
        text.push_str(d.trim());
    }
    text.push_str(&format!(
        "\n\nAPI version {}. Build one with [`Client::builder`].",
        model.version
    ));
    let client_docs = doc(&text);
    let base_url = &model.base_url;
    let request_id_header = &model.request_id_header;
    let security = model.operations.iter().map(|op| {
        let operation = &op.fn_name;
        let anonymous = op.anonymous;
        let schemes = op.schemes.iter().map(scheme_tokens);
        quote! {
            ::finapi_runtime::OperationSecurity {
                operation: #operation,
                schemes: &[#(#schemes),*],
                anonymous: #anonymous,
            },
        }
    });
    let defaults: Vec<_> = model
        .client_headers
        .iter()
        .filter_map(|h| {
            let name = &h.name;
            h.default
                .as_ref()
                .map(|d| quote!(config.set_header(#name, #d);))
        })
        .collect();
    let config_mut = (!defaults.is_empty()).then(|| quote!(mut));
    let servers = model.operations.iter().filter_map(|op| {
        let operation = &op.fn_name;
        op.server.as_ref().map(|url| {
            quote! { ::finapi_runtime::OperationServer { operation: #operation, url: #url }, }
        })
    });
    let token = super::token::token_items(model);
    let (token_static, token_methods) = (token.statics, token.methods);
    let (token_options_field, token_options_init, take_config) =
        (token.options_field, token.options_init, token.take_config);
    let from_env = super::from_env::from_env(model);
    let header_methods = model.client_headers.iter().map(|h| {
        let method = format_ident!("{}", h.builder_method);
        let name = &h.name;
        let mut text = format!("Sets the `{name}` header sent with every request.");
        if let Some(d) = &h.description {
            text.push_str("\n\n");
            text.push_str(d.trim());
        }
        if let Some(default) = &h.default {
            text.push_str(&format!("\n\nDefault: `{default}`."));
        }
        let docs = doc(&text);
        quote! {
            #docs
            pub fn #method(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.config.set_header(#name, value);
                self
            }
        }
    });
    let scheme_doc = |kind: SchemeKind| {
        model
            .schemes
            .iter()
            .find(|s| s.kind == kind)
            .and_then(|s| s.description.clone())
            .map(|d| doc(&format!("\n{}", d.trim())))
    };
    let basic = model.schemes.iter().any(|s| s.kind == SchemeKind::Basic).then(|| {
        let extra = scheme_doc(SchemeKind::Basic);
        quote! {
            /// Authenticates with HTTP Basic credentials.
            #extra
            pub fn basic_auth(
                mut self,
                username: impl ::std::convert::Into<::finapi_runtime::Secret>,
                password: impl ::std::convert::Into<::finapi_runtime::Secret>,
            ) -> Self {
                self.config.set_credentials(::finapi_runtime::Credentials::basic(username, password));
                self
            }
        }
    });
    let bearer = model
        .schemes
        .iter()
        .any(|s| s.kind == SchemeKind::Bearer)
        .then(|| {
            let extra = scheme_doc(SchemeKind::Bearer);
            quote! {
                /// Authenticates with a static bearer token.
                #extra
                pub fn bearer_token(
                    mut self,
                    token: impl ::std::convert::Into<::finapi_runtime::Secret>,
                ) -> Self {
                    self.config.set_credentials(::finapi_runtime::Credentials::bearer(token));
                    self
                }
            }
        });
    quote! {
        const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
        const API: ::finapi_runtime::Api = ::finapi_runtime::Api {
            security: &[#(#security)*],
            servers: &[#(#servers)*],
            request_id_header: #request_id_header,
        };
        #token_static

        #client_docs
        #[derive(Clone, Debug)]
        pub struct Client {
            raw: raw::Client,
        }

        impl Client {
            /// The base URL a client uses unless its builder is given another.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            /// Starts building a client with the default base URL, timeouts and headers.
            pub fn builder() -> ClientBuilder {
                let #config_mut config = ::finapi_runtime::ClientConfig::new(Self::DEFAULT_BASE_URL, USER_AGENT);
                #(#defaults)*
                ClientBuilder { config, #token_options_init }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.raw.baseurl
            }

            #from_env
        }

        /// Builds a [`Client`]: base URL, credentials, headers, timeouts.
        #[derive(Debug)]
        pub struct ClientBuilder {
            config: ::finapi_runtime::ClientConfig,
            #token_options_field
        }

        impl ClientBuilder {
            // The methods every crate's builder shares: base_url, credentials, timeouts,
            // retry_policy, http_client, user_agent.
            ::finapi_runtime::client_builder_methods!();

            #basic
            #bearer
            #token_methods

            #(#header_methods)*

            /// Builds the client.
            pub fn build(self) -> ::std::result::Result<Client, ::finapi_runtime::BuildError> {
                let config = #take_config;
                let (base_url, http, runtime) = ::finapi_runtime::Runtime::new(config, API)?;
                Ok(Client {
                    raw: raw::Client::new_with_client(&base_url, http, runtime),
                })
            }
        }
    }
}

pub(super) fn scheme_tokens(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Basic => quote!(::finapi_runtime::Scheme::Basic),
        SchemeKind::Bearer => quote!(::finapi_runtime::Scheme::Bearer),
    }
}
