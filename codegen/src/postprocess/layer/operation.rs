//! The typed layer: one method per operation over `finapi_runtime::call`, and its decoder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{FnArg, Pat, Signature};

use super::*;
use crate::error::Result;
use crate::model::{Body, OperationModel, StatusMatch, SuccessBody};
use crate::postprocess::syntax::*;

pub(super) fn operation_method(
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
    let (method, path) = (&op.method, &op.path);
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
                        let t = ty(t).map_err(|e| e.message)?;
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
    };
    // Any 2xx is a success: an undocumented one decodes as the documented body (the status
    // stays on the response), or as the success enum's `Other`.
    let success_pattern = quote!(200..=299);
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
    match &op.alternate_of {
        Some(alt) => text.push_str(&format!(
            "Sends `{} {}` (operation `{}`) with a `{}` body: the spec's other media type for \
             [`Client::{}`], with the same responses.\n\n",
            op.method, op.path, alt.of_id, alt.media_type, alt.of_fn
        )),
        None => text.push_str(&format!(
            "Sends `{} {}` (operation `{id}`).\n\n",
            op.method, op.path
        )),
    }
    text.push_str(&format!(
        "Errors: [`{enum_name}`] has a variant for each documented error status.\n"
    ));
    if let Some(parts) = &op.multipart {
        text.push_str(
            "\nThe body is `multipart/form-data`: build it with [`finapi_runtime::Multipart`], \
             which also sets the `Content-Type` with its boundary. The spec's parts:\n\n",
        );
        for part in parts {
            let how = match part.kind {
                crate::model::PartKind::File => format!(
                    "a file (`Multipart::file`{})",
                    part.content_type
                        .as_deref()
                        .map(|c| format!(", `{c}`"))
                        .unwrap_or_default()
                ),
                crate::model::PartKind::Json => "JSON (`Multipart::json`)".to_owned(),
                crate::model::PartKind::Text => "text (`Multipart::text`)".to_owned(),
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
            op.unused_request_media_types.join(", ")
        ));
    }
    let docs = doc(&text);
    let decode_fn = format_ident!("decode_{}", decoder_of(op));
    let decode_doc = format!(" Decodes a response of `{id}` as the spec documents it.");
    // Spans and errors name the spec's operation, also for an alternate.
    let id = op.alternate_of.as_ref().map_or(id, |a| &a.of_id);
    let decoder = op.alternate_of.is_none().then(|| {
        quote! {
            #[doc = #decode_doc]
            fn #decode_fn(
                raw: ::finapi_runtime::RawResponse,
            ) -> ::std::result::Result<
                ::finapi_runtime::Response<#success_type>,
                ::finapi_runtime::Error<#enum_name>,
            > {
                match raw.status() {
                    #success_pattern => #decode,
                    #(#arms)*
                    #fallback
                }
            }
        }
    });
    Ok(quote! {
        #docs
        pub async fn #name #generics (#(#inputs),*) -> ::std::result::Result<
            ::finapi_runtime::Response<#success_type>,
            ::finapi_runtime::Error<#enum_name>,
        > {
            ::finapi_runtime::call(
                &self.raw.inner,
                ::finapi_runtime::Operation { id: #id, method: #method, path: #path },
                self.raw.#name(#(#args),*),
                Self::#decode_fn,
            )
            .await
        }

        #decoder
    })
}
