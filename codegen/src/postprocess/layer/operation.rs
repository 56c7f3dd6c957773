//! The typed layer: one method per operation over `finapi_runtime::call`, and the decoder
//! of its responses (`Client::decode_<op>`, shared with its alternates and the `testing`
//! module). The normalize side of the same operation is `normalize/operation.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{FnArg, Pat, Signature};

use super::statuses::{error_enum_name, status_pattern, success_enum_name, variant_name};
use crate::error::Result;
use crate::model::{Body, OperationModel, PartKind, PartModel, StatusMatch, SuccessBody};
use crate::openapi::media::MediaType;
use crate::syntax::doc;
use crate::syntax::type_index::Types;

/// The method of an operation (and its decoder, unless it is an alternate).
pub(super) fn operation_method(
    op: &OperationModel,
    sig: &Signature,
    types: &Types<'_>,
) -> Result<TokenStream> {
    let name = &sig.ident;
    let name_text = name.to_string();
    let generics = &sig.generics;
    let inputs = sig.inputs.iter();
    let args = arguments(sig, types)?;
    let enum_name = error_enum_name(op);
    let (success_type, decode) = success(op, types)?;
    let docs = doc(&method_docs(op));
    let decode_fn = format_ident!("decode_{}", op.decoder_of());
    // Spans and errors name the spec's operation, also for an alternate.
    let id = op.alternate_of.as_ref().map_or(&op.id, |a| &a.of_id);
    let (method, path) = (op.method.upper(), &op.path);
    let idempotency = match op.idempotency_header() {
        Some(header) => quote!(::std::option::Option::Some(#header)),
        None => quote!(::std::option::Option::None),
    };
    let decoder = op.alternate_of.is_none().then(|| {
        let decode_doc = format!(
            " Decodes a response of `{}` as the spec documents it.",
            op.id
        );
        let (arms, fallback) = error_arms(op);
        quote! {
            #[doc = #decode_doc]
            #[inline]
            fn #decode_fn(
                raw: ::finapi_runtime::RawResponse,
            ) -> ::std::result::Result<
                ::finapi_runtime::Response<#success_type>,
                ::finapi_runtime::Error<#enum_name>,
            > {
                match raw.status() {
                    // Invariant (decoding is tolerant, and strict where it matters): any 2xx
                    // is a success, an undocumented one decoded as the documented body (the
                    // status stays on the response), or as `Other`.
                    200..=299 => #decode,
                    #(#arms)*
                    #fallback
                }
            }
        }
    });
    // Invariant (pay per call): the method and its decoder are `#[inline]`, so the crate's own
    // build generates no machine code for them (nor for serde's decoding of their bodies);
    // a user's build generates it for the operations it calls.
    Ok(quote! {
        #docs
        #[inline]
        pub async fn #name #generics (#(#inputs),*) -> ::std::result::Result<
            ::finapi_runtime::Response<#success_type>,
            ::finapi_runtime::Error<#enum_name>,
        > {
            ::finapi_runtime::call(
                &self.raw.inner,
                ::finapi_runtime::Operation {
                    id: #id,
                    name: #name_text,
                    method: #method,
                    path: #path,
                    idempotency_header: #idempotency,
                },
                || self.raw.#name(#(#args),*),
                Self::#decode_fn,
            )
            .await
        }

        #decoder
    })
}

/// The names of progenitor's method's arguments, to pass them on.
fn arguments(sig: &Signature, types: &Types<'_>) -> Result<Vec<syn::Ident>> {
    let mut args = Vec::new();
    for input in &sig.inputs {
        if let FnArg::Typed(t) = input {
            match &*t.pat {
                Pat::Ident(p) => args.push(p.ident.clone()),
                _ => {
                    return Err(types
                        .at()
                        .error("progenitor's method has a parameter that is not a name"));
                }
            }
        }
    }
    Ok(args)
}

/// The success type of an operation, and how its decoder decodes a 2xx into it.
fn success(op: &OperationModel, types: &Types<'_>) -> Result<(TokenStream, TokenStream)> {
    Ok(match &op.success {
        SuccessBody::Empty => (quote!(()), quote!(raw.empty())),
        SuccessBody::Raw => (quote!(::finapi_runtime::export::Bytes), quote!(raw.bytes())),
        SuccessBody::Json(t) => {
            let t = types.body(t)?;
            (quote!(#t), quote!(raw.json()))
        }
        SuccessBody::OptionalJson(t) => {
            let t = types.body(t)?;
            (
                quote!(::std::option::Option<#t>),
                quote!(raw.optional_json()),
            )
        }
        SuccessBody::Several(statuses) => {
            let name = success_enum_name(op);
            let mut arms = Vec::new();
            for (status, body) in statuses {
                let pattern = status_pattern(&[status]);
                let variant = variant_name(status);
                let decode = match body {
                    Body::None => quote!(raw.empty().map(|r| r.map(|()| #name::#variant))),
                    Body::Raw => quote!(raw.bytes().map(|r| r.map(#name::#variant))),
                    Body::Json(t) => {
                        let t = types.body(t)?;
                        quote!(raw.json::<#t, _>().map(|r| r.map(#name::#variant)))
                    }
                };
                arms.push(quote!(#pattern => #decode,));
            }
            (
                quote!(#name),
                quote!(match raw.status() { #(#arms)* _ => raw.bytes().map(|r| r.map(#name::Other)), }),
            )
        }
    })
}

/// The decoder's arms for the error statuses (codes before classes before `default`,
/// whatever the spec's order), and its fallback for a status the spec does not document.
fn error_arms(op: &OperationModel) -> (Vec<TokenStream>, Option<TokenStream>) {
    let enum_name = error_enum_name(op);
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
    arms.sort_by(|a, b| a.0.cmp(&b.0));
    let fallback =
        (!has_default).then(|| quote!(_ => Err(raw.error_raw(#enum_name::Undocumented)),));
    (arms.into_iter().map(|(_, arm)| arm).collect(), fallback)
}

/// The method's docs: the spec's summary and description, what it sends, its errors, its
/// multipart parts, and the other media types the spec accepts.
fn method_docs(op: &OperationModel) -> String {
    let enum_name = error_enum_name(op);
    let mut text = String::new();
    for part in [&op.summary, &op.description].into_iter().flatten() {
        text.push_str(part.trim());
        text.push_str("\n\n");
    }
    match &op.alternate_of {
        Some(alt) => text.push_str(&format!(
            "Sends `{} {}` (operation `{}`) with a `{}` body: the spec's other media type for \
             [`Client::{}`], with the same responses.\n\n",
            op.method, op.path, alt.of_id, alt.media_type, alt.of_fn
        )),
        None => text.push_str(&format!(
            "Sends `{} {}` (operation `{}`).\n\n",
            op.method, op.path, op.id
        )),
    }
    text.push_str(&format!(
        "Errors: [`{enum_name}`] has a variant for each documented error status.\n"
    ));
    if let Some(parts) = &op.multipart {
        text.push_str(&multipart_docs(parts));
    }
    if !op.alternates.is_empty() {
        text.push_str("\nThe spec also accepts the body as ");
        let list: Vec<String> = op
            .alternates
            .iter()
            .map(|(media, method)| format!("`{media}` ([`Client::{method}`])"))
            .collect();
        text.push_str(&list.join(", "));
        text.push_str(".\n");
    }
    if !op.unused_request_media_types.is_empty() {
        text.push_str(&format!(
            "\nThe body is sent as the spec's preferred media type; the spec also accepts {}.\n",
            op.unused_request_media_types
                .iter()
                .map(MediaType::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text
}

/// How to build a multipart body, and the spec's parts.
fn multipart_docs(parts: &[PartModel]) -> String {
    let mut text = String::from(
        "\nThe body is `multipart/form-data`: build it with [`finapi_runtime::Multipart`], \
         which also sets the `Content-Type` with its boundary. The spec's parts:\n\n",
    );
    for part in parts {
        let how = match part.kind {
            PartKind::File => format!(
                "a file (`Multipart::file`{})",
                part.content_type
                    .as_deref()
                    .map(|c| format!(", `{c}`"))
                    .unwrap_or_default()
            ),
            PartKind::Json => "JSON (`Multipart::json`)".to_owned(),
            PartKind::Text => "text (`Multipart::text`)".to_owned(),
        };
        let required = if part.required {
            "required"
        } else {
            "optional"
        };
        let description = part
            .description
            .as_deref()
            .map(|d| format!(": {}", d.trim().replace('\n', " ")))
            .unwrap_or_default();
        text.push_str(&format!(
            "- `{}`: {how}, {required}{description}\n",
            part.name
        ));
    }
    text
}
