//! The typed layer: the `mock` module (feature `mock`), a typed mock server for the tests of
//! a user's code: `MockServer` with one method per operation, each an
//! `finapi_runtime::mock::OperationMock` typed by an `Operation` impl generated here (what the
//! operation answers and is sent with, and how its success values and error variants are
//! written on the wire). The server itself is the runtime's.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::{Signature, Type};

use super::statuses::{error_enum_name, success_enum_name, variant_name};
use crate::error::Result;
use crate::model::{Body, Model, OperationModel, SchemeKind, StatusMatch, SuccessBody};
use crate::openapi::media::MediaKind;
use crate::syntax::args::Args;
use crate::syntax::type_index::Types;

/// The `mock` module, gated by the `mock` feature.
pub(super) fn mock_module(
    model: &Model,
    signatures: &std::collections::BTreeMap<String, Signature>,
    types: &std::collections::BTreeSet<String>,
    file: &std::path::Path,
) -> Result<TokenStream> {
    let mut methods = Vec::new();
    let mut impls = Vec::new();
    for op in model
        .operations
        .iter()
        .filter(|op| op.alternate_of.is_none())
    {
        let cfg = crate::postprocess::features::cfg(&model.features, op);
        let types = Types::new(types, file, &op.pointer);
        let marker = format_ident!("{}", crate::names::pascal(&op.fn_name));
        let method = format_ident!("{}", op.fn_name);
        let doc = crate::syntax::doc(&format!(
            "The answers of `{}` (`{} {}`): [`Client::{}`](super::Client::{}).",
            op.id,
            op.method.upper(),
            op.path,
            op.fn_name,
            op.fn_name
        ));
        methods.push(quote! {
            #cfg
            #doc
            pub fn #method(&self) -> ::finapi_runtime::mock::OperationMock<'_, operations::#marker> {
                self.inner.operation()
            }
        });
        let args = match signatures.get(&op.fn_name) {
            Some(sig) => Some(Args::of(sig, types.at())?),
            None => None,
        };
        impls.push(operation_impl(
            op,
            &marker,
            args.as_ref(),
            &types,
            cfg.as_ref(),
        )?);
    }
    let has = |k: SchemeKind| model.schemes.iter().any(|s| s.kind == k);
    let credentials = if has(SchemeKind::Bearer) {
        quote!(.bearer_token("mock-token"))
    } else if has(SchemeKind::Basic) {
        quote!(.basic_auth("mock-user", "mock-password"))
    } else {
        TokenStream::new()
    };
    let webhooks = model.webhooks.as_ref().map(|_| {
        quote! {
            /// Deliveries signed as the provider signs them, for the tests of a webhook
            /// handler (with [`SCHEME`](super::webhooks::SCHEME)): `hmac_sign`,
            /// `hmac_headers`, `TestKey` (ES256 JWTs and the key set to serve).
            #[cfg(feature = "webhooks")]
            pub use ::finapi_runtime::webhook::testing as webhooks;
        }
    });
    Ok(quote! {
        /// A typed mock server for the tests of your own code (feature `mock`, off by
        /// default): [`MockServer::start`], a client pointed at it with
        /// [`MockServer::client`], then one method per operation to script its answers
        /// (`respond(Ok(..))`, `respond(Err(..))`, faults, pages) and read the requests it
        /// received, typed.
        #[cfg(feature = "mock")]
        pub mod mock {
            pub use ::finapi_runtime::mock::{Fault, OperationMock, Received, Reply};
            #webhooks

            /// A mock of the API on 127.0.0.1, typed by its operations.
            #[derive(Debug)]
            pub struct MockServer {
                inner: ::finapi_runtime::mock::MockServer,
            }

            impl MockServer {
                /// A server on a free port of 127.0.0.1, answering 404 until answers are
                /// mounted.
                pub async fn start() -> Self {
                    Self { inner: ::finapi_runtime::mock::MockServer::start().await }
                }

                /// Its base URL.
                pub fn uri(&self) -> ::std::string::String {
                    self.inner.uri()
                }

                /// A client builder pointed at the server, with test credentials: set
                /// anything else (a retry policy, timeouts, interceptors), then `build()`.
                pub fn client_builder(&self) -> super::ClientBuilder {
                    super::Client::builder().base_url(self.uri()) #credentials
                }

                /// A client pointed at the server, with test credentials.
                ///
                /// # Panics
                /// If the HTTP client cannot be built (no TLS backend could start): what
                /// [`client_builder`](Self::client_builder)`().build()` returns as an error.
                pub fn client(&self) -> super::Client {
                    match self.client_builder().build() {
                        Ok(client) => client,
                        Err(e) => panic!("a client for the mock server: {e}"),
                    }
                }

                /// How many requests the server received, whichever operation they were for.
                pub async fn received_count(&self) -> usize {
                    self.inner.received_count().await
                }

                /// Forgets every answer mounted and every request received.
                pub async fn reset(&self) {
                    self.inner.reset().await
                }

                #(#methods)*
            }

            /// One type per operation, naming it for [`OperationMock`].
            pub mod operations {
                #[allow(unused_imports)]
                use super::super::types;

                #(#impls)*
            }
        }
    })
}

/// The marker type of one operation and its `Operation` impl.
fn operation_impl(
    op: &OperationModel,
    marker: &syn::Ident,
    args: Option<&Args<'_>>,
    types: &Types<'_>,
    cfg: Option<&TokenStream>,
) -> Result<TokenStream> {
    let (ok_type, ok) = ok_reply(op, types)?;
    let error_enum = error_enum_name(op);
    let mut arms = Vec::new();
    for response in &op.errors {
        let variant = variant_name(&response.status);
        let statuses = statuses(&response.status);
        let reply = match &response.body {
            Body::None => quote!(error_empty),
            Body::Raw => quote!(error_raw),
            Body::Json(_) => quote!(error_json),
        };
        arms.push(quote!(super::super::#error_enum::#variant(e) => ::finapi_runtime::mock::Reply::#reply(#statuses, e),));
    }
    if !op.errors.iter().any(|r| r.status == StatusMatch::Default) {
        arms.push(quote!(super::super::#error_enum::Undocumented(e) => ::finapi_runtime::mock::Reply::error_raw(::finapi_runtime::mock::Statuses::Any, e),));
    }
    let body = request_body(op, args);
    let id = &op.id;
    let method = op.method.upper();
    let path = &op.path;
    let doc = crate::syntax::doc(&format!("`{id}` (`{method} {path}`)."));
    Ok(quote! {
        #cfg
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #marker;

        #cfg
        impl ::finapi_runtime::mock::Operation for #marker {
            type Ok = #ok_type;
            type Err = super::super::#error_enum;
            type Body = #body;
            const ID: &'static str = #id;
            const METHOD: &'static str = #method;
            const PATH: &'static str = #path;
            fn ok(value: Self::Ok) -> ::finapi_runtime::mock::Reply {
                #ok
            }
            fn err(error: Self::Err) -> ::finapi_runtime::mock::Reply {
                match error {
                    #(#arms)*
                }
            }
        }
    })
}

/// The success type and the code that writes a value of it as a reply (over `value`).
fn ok_reply(op: &OperationModel, types: &Types<'_>) -> Result<(TokenStream, TokenStream)> {
    let codes: Vec<u16> = op
        .success_statuses
        .iter()
        .map(|s| match s {
            StatusMatch::Code(c) => *c,
            _ => 200,
        })
        .collect();
    let first = Literal::u16_unsuffixed(codes.first().copied().unwrap_or(200));
    Ok(match &op.success {
        SuccessBody::Empty => (
            quote!(()),
            quote!({ let () = value; ::finapi_runtime::mock::Reply::empty(#first) }),
        ),
        SuccessBody::Raw => (
            quote!(::finapi_runtime::export::Bytes),
            quote!(::finapi_runtime::mock::Reply::raw(#first, value, "application/octet-stream")),
        ),
        SuccessBody::Json(t) => {
            let t = types.body(t)?;
            (
                quote!(#t),
                quote!(::finapi_runtime::mock::Reply::json(#first, &value)),
            )
        }
        SuccessBody::OptionalJson(t) => {
            let t = types.body(t)?;
            // The bodiless status: 204 where it is documented, else the last.
            let empty = if codes.contains(&204) {
                204
            } else {
                codes.last().copied().unwrap_or(200)
            };
            let with_body = codes.iter().copied().find(|c| *c != empty).unwrap_or(200);
            let (empty, with_body) = (
                Literal::u16_unsuffixed(empty),
                Literal::u16_unsuffixed(with_body),
            );
            (
                quote!(::std::option::Option<#t>),
                quote! {
                    match value {
                        Some(value) => ::finapi_runtime::mock::Reply::json(#with_body, &value),
                        None => ::finapi_runtime::mock::Reply::empty(#empty),
                    }
                },
            )
        }
        SuccessBody::Several(statuses) => {
            let name = success_enum_name(op);
            let mut arms = Vec::new();
            for (status, body) in statuses {
                let variant = variant_name(status);
                let code = Literal::u16_unsuffixed(match status {
                    StatusMatch::Code(c) => *c,
                    StatusMatch::Range(r) => r * 100,
                    StatusMatch::Default => 200,
                });
                arms.push(match body {
                    Body::None => quote!(super::super::#name::#variant => ::finapi_runtime::mock::Reply::empty(#code),),
                    Body::Raw => quote!(super::super::#name::#variant(b) => ::finapi_runtime::mock::Reply::raw(#code, b, "application/octet-stream"),),
                    Body::Json(_) => quote!(super::super::#name::#variant(v) => ::finapi_runtime::mock::Reply::json(#code, &v),),
                });
            }
            (
                quote!(super::super::#name),
                quote! {
                    match value {
                        #(#arms)*
                        super::super::#name::Other(b) => ::finapi_runtime::mock::Reply::raw(#first, b, "application/octet-stream"),
                    }
                },
            )
        }
    })
}

/// The statuses an error variant stands for, as the runtime's `Statuses`.
fn statuses(status: &StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            quote!(::finapi_runtime::mock::Statuses::Code(#c))
        }
        StatusMatch::Range(r) => {
            let r = Literal::u16_unsuffixed(*r);
            quote!(::finapi_runtime::mock::Statuses::Class(#r))
        }
        StatusMatch::Default => quote!(::finapi_runtime::mock::Statuses::Any),
    }
}

/// The request body's type where it is JSON (what a received request is decoded as), `()`
/// otherwise.
fn request_body(op: &OperationModel, args: Option<&Args<'_>>) -> TokenStream {
    let json = op
        .request_media_type
        .as_ref()
        .is_some_and(|m| m.kind() == MediaKind::Json);
    let body = args.and_then(|a| a.ty("body").ok());
    let Some(ty) = body.filter(|_| json) else {
        return quote!(());
    };
    owned(ty).unwrap_or_else(|| quote!(()))
}

/// The owned type a body argument borrows (`&'a T` → `T`, `&'a str` → `String`, `&'a [T]` →
/// `Vec<T>`, `Option<&'a T>` → `Option<T>`), where there is one without a lifetime; `None`
/// otherwise (the received body is then left raw).
fn owned(ty: &Type) -> Option<TokenStream> {
    match ty {
        Type::Reference(r) => match &*r.elem {
            Type::Path(p) if p.qself.is_none() && p.path.is_ident("str") => {
                Some(quote!(::std::string::String))
            }
            Type::Slice(s) => {
                let inner = owned(&s.elem)?;
                Some(quote!(::std::vec::Vec<#inner>))
            }
            inner => owned(inner),
        },
        Type::Path(p) => {
            let last = p.path.segments.last()?;
            match &last.arguments {
                syn::PathArguments::None => Some(quote!(#ty)),
                syn::PathArguments::AngleBracketed(args) => {
                    let mut path = p.clone();
                    let mut owned_args = Vec::new();
                    for arg in &args.args {
                        match arg {
                            syn::GenericArgument::Type(t) => owned_args.push(owned(t)?),
                            _ => return None,
                        }
                    }
                    let last = path.path.segments.last_mut()?;
                    last.arguments = syn::PathArguments::None;
                    Some(quote!(#path<#(#owned_args),*>))
                }
                syn::PathArguments::Parenthesized(_) => None,
            }
        }
        Type::Tuple(t) if t.elems.is_empty() => Some(quote!(())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Snap, version: "1"}
servers: [{url: "https://api.snap.test"}]
paths:
  /things/{id}:
    put:
      operationId: putThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
        "204": {description: unchanged}
        "404": {description: no such thing}
        "422": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
        "5XX": {description: server error}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
    Problem: {type: object, properties: {detail: {type: string}}}
"##;

    #[test]
    fn a_borrowed_body_is_received_as_its_owned_type() {
        let owned = |ty: &str| super::owned(&syn::parse_str(ty).unwrap()).map(|t| t.to_string());
        assert_eq!(owned("&'a types::Thing").as_deref(), Some("types :: Thing"));
        assert_eq!(
            owned("&'a str").as_deref(),
            Some(":: std :: string :: String")
        );
        assert_eq!(
            owned("Option<&'a ::serde_json::Map<String, ::serde_json::Value>>").as_deref(),
            Some("Option < :: serde_json :: Map < String , :: serde_json :: Value > >")
        );
        assert_eq!(
            owned("&'a [types::Thing]").as_deref(),
            Some(":: std :: vec :: Vec < types :: Thing >")
        );
        assert_eq!(owned("impl Into<String>"), None);
    }

    #[test]
    fn an_operations_mock_writes_each_success_and_error_as_the_spec_says() {
        expect![[r#"
            /// `putThing` (`PUT /things/{id}`).
            #[derive(Debug, Clone, Copy)]
            pub struct PutThing;
            impl ::finapi_runtime::mock::Operation for PutThing {
                type Ok = ::std::option::Option<types::Thing>;
                type Err = super::super::PutThingError;
                type Body = types::Thing;
                const ID: &'static str = "putThing";
                const METHOD: &'static str = "PUT";
                const PATH: &'static str = "/things/{id}";
                fn ok(value: Self::Ok) -> ::finapi_runtime::mock::Reply {
                    match value {
                        Some(value) => ::finapi_runtime::mock::Reply::json(200, &value),
                        None => ::finapi_runtime::mock::Reply::empty(204),
                    }
                }
                fn err(error: Self::Err) -> ::finapi_runtime::mock::Reply {
                    match error {
                        super::super::PutThingError::NotFound(e) => {
                            ::finapi_runtime::mock::Reply::error_empty(
                                ::finapi_runtime::mock::Statuses::Code(404),
                                e,
                            )
                        }
                        super::super::PutThingError::UnprocessableEntity(e) => {
                            ::finapi_runtime::mock::Reply::error_json(
                                ::finapi_runtime::mock::Statuses::Code(422),
                                e,
                            )
                        }
                        super::super::PutThingError::Status5xx(e) => {
                            ::finapi_runtime::mock::Reply::error_empty(
                                ::finapi_runtime::mock::Statuses::Class(5),
                                e,
                            )
                        }
                        super::super::PutThingError::Undocumented(e) => {
                            ::finapi_runtime::mock::Reply::error_raw(
                                ::finapi_runtime::mock::Statuses::Any,
                                e,
                            )
                        }
                    }
                }
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["mock", "PutThing"]));
    }
}
