//! The typed layer: `Client`, its `ClientBuilder`, and the tables the runtime reads (each
//! operation's security requirements and server). The builder's methods every crate shares
//! come from the runtime (`finapi_runtime::client_builder_methods!`); the ones generated here
//! are the provider's own: its schemes, token endpoint and client headers.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::token::TokenItems;
use crate::model::{Model, SchemeKind};
use crate::syntax::doc;

/// `Client`, `ClientBuilder`, `API` and the token endpoint's items.
pub(super) fn client(model: &Model) -> TokenStream {
    let api = api(model);
    let client = client_struct(model);
    let TokenItems {
        statics,
        methods,
        options_field,
        options_init,
        take_config,
    } = super::token::token_items(model);
    let from_env = super::from_env::from_env(model);
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
    let base_url = &model.base_url;
    let schemes = scheme_methods(model);
    let headers = header_methods(model);
    quote! {
        #api
        #statics

        #client

        impl Client {
            /// The base URL a client uses unless its builder is given another.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            /// Starts building a client with the default base URL, timeouts and headers.
            pub fn builder() -> ClientBuilder {
                let #config_mut config = ::finapi_runtime::ClientConfig::new(Self::DEFAULT_BASE_URL, USER_AGENT);
                #(#defaults)*
                ClientBuilder { config, #options_init }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.raw.baseurl
            }

            /// This client with options for the calls made through the client it returns: a
            /// timeout, a deadline, a retry policy, extra headers, an idempotency key
            /// ([`CallOptions`](crate::CallOptions)). Connections, credentials, token source
            /// and interceptors are this client's; nothing else changes for its other calls.
            pub fn with(&self, options: ::finapi_runtime::CallOptions) -> Client {
                Client {
                    raw: raw::Client::new_with_client(
                        &self.raw.baseurl,
                        self.raw.client.clone(),
                        self.raw.inner.with_options(options),
                    ),
                }
            }

            #from_env
        }

        /// Builds a [`Client`]: base URL, credentials, headers, timeouts.
        #[derive(Debug)]
        pub struct ClientBuilder {
            config: ::finapi_runtime::ClientConfig,
            #options_field
        }

        impl ClientBuilder {
            ::finapi_runtime::client_builder_methods!();

            #schemes
            #methods

            #(#headers)*

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

/// `USER_AGENT` and `API`: what the runtime reads of the spec (each operation's security
/// requirements and own server, the request id header).
fn api(model: &Model) -> TokenStream {
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
    let servers = model.operations.iter().filter_map(|op| {
        let operation = &op.fn_name;
        op.server.as_ref().map(|url| {
            quote! { ::finapi_runtime::OperationServer { operation: #operation, url: #url }, }
        })
    });
    quote! {
        const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
        const API: ::finapi_runtime::Api = ::finapi_runtime::Api {
            security: &[#(#security)*],
            servers: &[#(#servers)*],
            request_id_header: #request_id_header,
        };
    }
}

/// The `Client` struct and its docs.
fn client_struct(model: &Model) -> TokenStream {
    let mut text = format!("Client for {}.", model.title.trim());
    if let Some(d) = &model.description {
        text.push_str("\n\n");
        text.push_str(d.trim());
    }
    text.push_str(&format!(
        "\n\nAPI version {}. Build one with [`Client::builder`].",
        model.version
    ));
    let docs = doc(&text);
    quote! {
        #docs
        #[derive(Clone, Debug)]
        pub struct Client {
            raw: raw::Client,
        }
    }
}

/// `basic_auth` and `bearer_token`, for the schemes the spec declares.
fn scheme_methods(model: &Model) -> TokenStream {
    let has = |kind: SchemeKind| model.schemes.iter().any(|s| s.kind == kind);
    let scheme_doc = |kind: SchemeKind| {
        model
            .schemes
            .iter()
            .find(|s| s.kind == kind)
            .and_then(|s| s.description.clone())
            .map(|d| doc(&format!("\n{}", d.trim())))
    };
    let basic = has(SchemeKind::Basic).then(|| {
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
    let bearer = has(SchemeKind::Bearer).then(|| {
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
    quote!(#basic #bearer)
}

/// A setter per header the settings lift onto the client.
fn header_methods(model: &Model) -> Vec<TokenStream> {
    model
        .client_headers
        .iter()
        .map(|h| {
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
        })
        .collect()
}

/// The runtime's name of a kind of credentials.
fn scheme_tokens(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Basic => quote!(::finapi_runtime::Scheme::Basic),
        SchemeKind::Bearer => quote!(::finapi_runtime::Scheme::Bearer),
    }
}
