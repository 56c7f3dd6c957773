//! Stage 5, post-process: restore with syn / quote what the normalize stage took from
//! progenitor's view, and fix what progenitor gets wrong.
//!
//! - progenitor's output becomes a private `raw` module; its `types` are re-exported.
//! - The undocumented `api-version` header progenitor sends on every request is removed, and
//!   so is `Client::new`, which panics when the HTTP client cannot be built.
//! - progenitor's hooks call the runtime crate: client-level headers, credentials.
//! - A typed layer wraps every raw method: the success decoded as the spec documents it, and
//!   one error enum per operation with a variant per documented status.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{FnArg, ImplItem, Item, Pat, Signature};

use crate::error::{Error, Result, Stage};
use crate::generate::Generated;
use crate::model::{Body, Model, OperationModel, SchemeKind, StatusMatch, SuccessBody};
use crate::names;

/// Rewrites progenitor's output and adds the typed layer.
pub fn postprocess(generated: &Generated, model: &Model, file: &Path) -> Result<syn::File> {
    let err = |at: &str, message: String| Error::at(Stage::PostProcess, file, at, message);
    let mut raw: syn::File = syn::parse2(generated.tokens.clone())
        .map_err(|e| err("", format!("progenitor's output does not parse: {e}")))?;

    let mut strip = StripApiVersion { removed: 0 };
    strip.visit_file_mut(&mut raw);
    if strip.removed != model.operations.len() {
        return Err(err(
            "",
            format!(
                "expected one `api-version` header per operation in progenitor's output, found {} for {} operations",
                strip.removed,
                model.operations.len()
            ),
        ));
    }

    let mut signatures = BTreeMap::new();
    let mut types = BTreeSet::new();
    for item in &mut raw.items {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() && is_client(&imp.self_ty) => {
                imp.items
                    .retain(|i| !matches!(i, ImplItem::Fn(f) if f.sig.ident == "new"));
                for i in &imp.items {
                    if let ImplItem::Fn(f) = i {
                        signatures.insert(f.sig.ident.to_string(), f.sig.clone());
                    }
                }
            }
            Item::Mod(m) if m.ident == "types" => {
                for i in m.content.iter().flat_map(|(_, items)| items) {
                    match i {
                        Item::Struct(s) => types.insert(s.ident.to_string()),
                        Item::Enum(e) => types.insert(e.ident.to_string()),
                        Item::Type(t) => types.insert(t.ident.to_string()),
                        _ => false,
                    };
                }
            }
            _ => {}
        }
    }

    let mut operations = Vec::new();
    let mut error_enums = Vec::new();
    for op in &model.operations {
        let sig = signatures.get(&op.fn_name).ok_or_else(|| {
            err(
                &op.pointer,
                format!("progenitor generated no method `{}`", op.fn_name),
            )
        })?;
        let ty = |name: &str| body_type(name, &types).map_err(|m| err(&op.pointer, m));
        operations.push(operation_method(op, sig, &ty).map_err(|m| err(&op.pointer, m))?);
        error_enums.push(error_enum(op, &ty)?);
    }

    let raw_items = &raw.items;
    let client = client(model);
    let tokens = quote! {
        #[allow(
            dead_code,
            unused_imports,
            unused_mut,
            unreachable_patterns,
            missing_docs,
            clippy::all,
            clippy::pedantic,
            rustdoc::all
        )]
        mod raw {
            #(#raw_items)*

            impl ClientHooks<::finapi_runtime::Runtime> for Client {
                async fn pre<E>(
                    &self,
                    request: &mut reqwest::Request,
                    info: &OperationInfo,
                ) -> ::std::result::Result<(), Error<E>> {
                    self.inner
                        .prepare(request, info.operation_id)
                        .await
                        .map_err(Error::Custom)
                }
            }
        }

        /// Types of the spec's schemas: request and response bodies, parameters.
        pub use raw::types;

        #client

        // Error bodies are the spec's types; their size is the spec's business.
        #[allow(clippy::too_many_arguments, clippy::result_large_err)]
        impl Client {
            #(#operations)*
        }

        #(#error_enums)*
    };
    syn::parse2(tokens).map_err(|e| err("", format!("the typed layer does not parse: {e}")))
}

struct StripApiVersion {
    removed: usize,
}

impl VisitMut for StripApiVersion {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block
            .stmts
            .retain(|s| !quote!(#s).to_string().contains("\"api-version\""));
        self.removed += before - block.stmts.len();
        syn::visit_mut::visit_block_mut(self, block);
    }
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// The Rust type of a JSON body, checked against what typify generated.
fn body_type(name: &str, types: &BTreeSet<String>) -> std::result::Result<TokenStream, String> {
    if name.starts_with("::") {
        return syn::parse_str::<syn::Type>(name)
            .map(|t| quote!(#t))
            .map_err(|e| format!("bad type {name}: {e}"));
    }
    if !types.contains(name) {
        return Err(format!(
            "typify generated no type `{name}` for a response body"
        ));
    }
    let ident = format_ident!("{}", name);
    Ok(quote!(types::#ident))
}

/// `#[doc]` attributes, one per line.
fn doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

fn status_pattern(statuses: &[&StatusMatch]) -> TokenStream {
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

fn variant_name(status: &StatusMatch) -> syn::Ident {
    match status {
        StatusMatch::Code(c) => format_ident!("{}", names::status_variant(*c)),
        StatusMatch::Range(r) => format_ident!("Status{}xx", r),
        StatusMatch::Default => format_ident!("Default"),
    }
}

fn status_label(status: &StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match names::reason(*c) {
            Some(reason) => format!("`{c}` {reason}"),
            None => format!("`{c}`"),
        },
        StatusMatch::Range(r) => format!("`{r}XX`"),
        StatusMatch::Default => "Any status not otherwise documented".to_owned(),
    }
}

fn error_enum_name(op: &OperationModel) -> syn::Ident {
    format_ident!("{}Error", names::pascal(&op.id))
}

fn operation_method(
    op: &OperationModel,
    sig: &Signature,
    ty: &dyn Fn(&str) -> Result<TokenStream>,
) -> std::result::Result<TokenStream, String> {
    let name = &sig.ident;
    let generics = &sig.generics;
    let inputs = sig.inputs.iter();
    let mut args = Vec::new();
    for input in &sig.inputs {
        if let FnArg::Typed(t) = input {
            match &*t.pat {
                Pat::Ident(p) => args.push(p.ident.clone()),
                other => return Err(format!("unexpected parameter pattern {}", quote!(#other))),
            }
        }
    }
    let id = &op.id;
    let enum_name = error_enum_name(op);
    let (success_type, decode) = match &op.success {
        SuccessBody::Empty => (quote!(()), quote!(raw.empty())),
        SuccessBody::Raw => (quote!(::finapi_runtime::export::Bytes), quote!(raw.bytes())),
        SuccessBody::Json(t) => {
            let t = ty(t).map_err(|e| e.message)?;
            (quote!(#t), quote!(raw.json()))
        }
        SuccessBody::OptionalJson(t) => {
            let t = ty(t).map_err(|e| e.message)?;
            (
                quote!(::std::option::Option<#t>),
                quote!(raw.optional_json()),
            )
        }
    };
    let success_pattern = status_pattern(&op.success_statuses.iter().collect::<Vec<_>>());
    let mut arms = Vec::new();
    let mut has_default = false;
    for response in &op.errors {
        let pattern = status_pattern(&[&response.status]);
        let variant = variant_name(&response.status);
        has_default |= response.status == StatusMatch::Default;
        let call = match &response.body {
            Body::None => quote!(raw.error_empty(#enum_name::#variant)),
            Body::Json(_) => quote!(raw.error_json(#enum_name::#variant)),
            Body::Raw => quote!(raw.error_raw(#enum_name::#variant)),
        };
        arms.push((response.status.clone(), quote!(#pattern => Err(#call),)));
    }
    // Codes before classes before `default`, whatever the spec's order.
    arms.sort_by(|a, b| a.0.cmp(&b.0));
    let arms = arms.into_iter().map(|(_, arm)| arm);
    let fallback =
        (!has_default).then(|| quote!(_ => Err(raw.error_raw(#enum_name::Undocumented)),));

    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim());
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Sends `{} {}` (operation `{id}`).\n\n",
        op.method, op.path
    ));
    text.push_str(&format!(
        "Errors: [`{enum_name}`] has a variant for each documented error status.\n"
    ));
    if !op.unused_request_media_types.is_empty() {
        text.push_str(&format!(
            "\nThe body is sent as the spec's preferred media type; the spec also accepts {}.\n",
            op.unused_request_media_types.join(", ")
        ));
    }
    let docs = doc(&text);
    Ok(quote! {
        #docs
        pub async fn #name #generics (#(#inputs),*) -> ::std::result::Result<
            ::finapi_runtime::Response<#success_type>,
            ::finapi_runtime::Error<#enum_name>,
        > {
            let result = self.raw.#name(#(#args),*).await;
            let raw = ::finapi_runtime::collect(&self.raw.inner, #id, result).await?;
            match raw.status() {
                #success_pattern => #decode,
                #(#arms)*
                #fallback
            }
        }
    })
}

fn error_enum(
    op: &OperationModel,
    ty: &dyn Fn(&str) -> Result<TokenStream>,
) -> Result<TokenStream> {
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
            Body::Json(t) => ty(t)?,
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
         Every variant carries the status, the request id, the headers and the raw body, and the \
         body the spec documents for that status where there is one."
    ));
    let arms = |method: TokenStream| {
        let idents = &idents;
        quote! { match self { #(Self::#idents(e) => e.#method,)* } }
    };
    let status = arms(quote!(status()));
    let request_id = arms(quote!(request_id()));
    let headers = arms(quote!(headers()));
    let raw_body = arms(quote!(raw_body()));
    let display = {
        let idents = &idents;
        let format = format!("{}: {{}}", id.replace('{', "{{").replace('}', "}}"));
        quote! { match self { #(Self::#idents(e) => write!(f, #format, e),)* } }
    };
    Ok(quote! {
        #docs
        #[derive(Debug)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        impl ::finapi_runtime::ErrorResponse for #name {
            fn status(&self) -> ::finapi_runtime::export::StatusCode { #status }
            fn request_id(&self) -> ::std::option::Option<&str> { #request_id }
            fn headers(&self) -> &::finapi_runtime::export::HeaderMap { #headers }
            fn raw_body(&self) -> &::finapi_runtime::export::Bytes { #raw_body }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for #name {}
    })
}

fn client(model: &Model) -> TokenStream {
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
        const REQUEST_ID_HEADER: &str = #request_id_header;
        const SECURITY: &[::finapi_runtime::OperationSecurity] = &[#(#security)*];

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
                ClientBuilder { config }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.raw.baseurl
            }
        }

        /// Builds a [`Client`]: base URL, credentials, headers, timeouts.
        #[derive(Debug)]
        pub struct ClientBuilder {
            config: ::finapi_runtime::ClientConfig,
        }

        impl ClientBuilder {
            /// Sets the base URL: scheme, host, optional port and path prefix.
            pub fn base_url(mut self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.config.set_base_url(base_url);
                self
            }

            #basic
            #bearer

            /// Sets the credentials to send.
            pub fn credentials(mut self, credentials: ::finapi_runtime::Credentials) -> Self {
                self.config.set_credentials(credentials);
                self
            }

            #(#header_methods)*

            /// Sets the connect timeout and the whole-request timeout (defaults:
            /// [`finapi_runtime::DEFAULT_CONNECT_TIMEOUT`], [`finapi_runtime::DEFAULT_TIMEOUT`]).
            pub fn timeouts(mut self, connect: ::std::time::Duration, request: ::std::time::Duration) -> Self {
                self.config.set_timeouts(connect, request);
                self
            }

            /// Sends requests through this `reqwest::Client` (its own timeouts and TLS apply).
            pub fn http_client(mut self, client: ::finapi_runtime::export::reqwest::Client) -> Self {
                self.config.set_http_client(client);
                self
            }

            /// Sets the `User-Agent` header (default: this crate's name and version).
            pub fn user_agent(mut self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.config.set_user_agent(user_agent);
                self
            }

            /// Builds the client.
            pub fn build(self) -> ::std::result::Result<Client, ::finapi_runtime::BuildError> {
                let (base_url, http, runtime) = self.config.build(SECURITY, REQUEST_ID_HEADER)?;
                Ok(Client {
                    raw: raw::Client::new_with_client(&base_url, http, runtime),
                })
            }
        }
    }
}

fn scheme_tokens(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Basic => quote!(::finapi_runtime::Scheme::Basic),
        SchemeKind::Bearer => quote!(::finapi_runtime::Scheme::Bearer),
    }
}
