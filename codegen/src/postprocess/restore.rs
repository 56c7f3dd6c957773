//! Request restorations (temporary home).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{FnArg, Pat, Signature};

use crate::model::OperationModel;

/// Restores in progenitor's request code what normalize changed for it: `deepObject` query
/// parameters are serialized by `finapi_runtime::DeepObject`, and a body progenitor sends
/// as another media type gets its real `Content-Type`.
pub(super) fn restore_request(
    f: &mut syn::ImplItemFn,
    op: &OperationModel,
) -> std::result::Result<(), String> {
    let mut restore = RestoreRequest {
        renamed: op.renamed_params.clone(),
        renamed_found: 0,
        deep: op.deep_object_params.iter().cloned().collect(),
        deep_found: BTreeSet::new(),
        content_type: op.content_type_override.clone(),
        content_type_set: false,
        multipart: op.multipart.is_some(),
        multipart_body_set: false,
        marker: op.alternate_of.as_ref().map(|a| a.marker.clone()),
        marker_removed: 0,
    };
    restore.visit_block_mut(&mut f.block);
    if let Some(marker) = &restore.marker {
        if restore.marker_removed != 1 {
            return Err(format!(
                "expected the path marker {marker:?} once in progenitor's URL, found it {} times",
                restore.marker_removed
            ));
        }
        // progenitor's doc comment names the path too.
        for attr in &mut f.attrs {
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &nv.value
                && text.value().contains(marker.as_str())
            {
                let value = text.value().replace(marker.as_str(), "");
                nv.value = syn::parse_quote!(#value);
            }
        }
    }
    if restore.multipart {
        multipart_signature(&mut f.sig)?;
        if !restore.multipart_body_set {
            return Err("progenitor's request code sends no body to encode as multipart".into());
        }
    }
    if let Some(missing) = restore.deep.difference(&restore.deep_found).next() {
        return Err(format!(
            "progenitor's request code does not serialize the deepObject query parameter {missing:?}"
        ));
    }
    if restore.renamed_found != restore.renamed.len() {
        return Err(format!(
            "progenitor's request code does not send the renamed query parameters {:?}",
            restore.renamed
        ));
    }
    if let Some(ct) = &restore.content_type
        && !restore.content_type_set
    {
        return Err(format!(
            "progenitor's request code sends no body to give the Content-Type {ct:?}"
        ));
    }
    Ok(())
}

/// A multipart operation's method takes a `finapi_runtime::Multipart` where progenitor's
/// takes any `B: Into<reqwest::Body>`.
pub(super) fn multipart_signature(sig: &mut Signature) -> std::result::Result<(), String> {
    let mut generic = None;
    for input in &mut sig.inputs {
        if let FnArg::Typed(t) = input
            && matches!(&*t.pat, Pat::Ident(p) if p.ident == "body")
        {
            if let syn::Type::Path(path) = &*t.ty
                && let Some(ident) = path.path.get_ident()
            {
                generic = Some(ident.clone());
            }
            *t.ty = syn::parse_quote!(::finapi_runtime::Multipart);
        }
    }
    let generic = generic.ok_or("progenitor's method has no generic `body` parameter")?;
    let before = sig.generics.params.len();
    sig.generics.params = sig
        .generics
        .params
        .clone()
        .into_iter()
        .filter(|p| !matches!(p, syn::GenericParam::Type(t) if t.ident == generic))
        .collect();
    if sig.generics.params.len() + 1 != before {
        return Err(format!(
            "progenitor's method has no type parameter `{generic}`"
        ));
    }
    Ok(())
}

pub(super) struct RestoreRequest {
    renamed: Vec<(String, String)>,
    renamed_found: usize,
    deep: BTreeSet<String>,
    deep_found: BTreeSet<String>,
    content_type: Option<String>,
    content_type_set: bool,
    /// The body is a `finapi_runtime::Multipart`: its own Content-Type (with the boundary)
    /// and its encoded bytes.
    multipart: bool,
    multipart_body_set: bool,
    /// An alternate's path marker, to take out of the URL's format string.
    marker: Option<String>,
    marker_removed: usize,
}

impl RestoreRequest {
    /// Takes the marker out of string literals in `tokens` (a `format!` call's arguments).
    fn unmark(&mut self, tokens: TokenStream) -> TokenStream {
        let Some(marker) = self.marker.clone() else {
            return tokens;
        };
        tokens
            .into_iter()
            .map(|tree| match tree {
                proc_macro2::TokenTree::Literal(lit) => {
                    match syn::parse2::<syn::LitStr>(
                        proc_macro2::TokenTree::Literal(lit.clone()).into(),
                    ) {
                        Ok(s) if s.value().contains(&marker) => {
                            self.marker_removed += 1;
                            let value = s.value().replacen(&marker, "", 1);
                            let mut new = proc_macro2::Literal::string(&value);
                            new.set_span(lit.span());
                            proc_macro2::TokenTree::Literal(new)
                        }
                        _ => proc_macro2::TokenTree::Literal(lit),
                    }
                }
                proc_macro2::TokenTree::Group(g) => {
                    let mut new = proc_macro2::Group::new(g.delimiter(), self.unmark(g.stream()));
                    new.set_span(g.span());
                    proc_macro2::TokenTree::Group(new)
                }
                other => other,
            })
            .collect()
    }
}

impl VisitMut for RestoreRequest {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format") {
            mac.tokens = self.unmark(std::mem::take(&mut mac.tokens));
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        match expr {
            syn::Expr::Call(call) => {
                let syn::Expr::Path(func) = &*call.func else {
                    return;
                };
                let segments: Vec<String> = func
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if !segments.ends_with(&["QueryParam".to_owned(), "new".to_owned()]) {
                    return;
                }
                let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                })) = call.args.first()
                else {
                    return;
                };
                let given = name.value();
                if self.deep.contains(&given) {
                    self.deep_found.insert(given.clone());
                    call.func = syn::parse_quote!(::finapi_runtime::DeepObject::new);
                }
                if let Some((_, real)) = self.renamed.iter().find(|(g, _)| *g == given) {
                    call.args[0] = syn::parse_quote!(#real);
                    self.renamed_found += 1;
                }
            }
            syn::Expr::MethodCall(call)
                if call.method == "header"
                    && call.args.len() == 2
                    && quote!(#call).to_string().contains("CONTENT_TYPE") =>
            {
                // progenitor names the type it was given: name the real one instead.
                let Some(ct) = &self.content_type else {
                    return;
                };
                call.args[1] = if self.multipart {
                    syn::parse_quote!(body.content_type())
                } else {
                    syn::parse_quote!(::reqwest::header::HeaderValue::from_static(#ct))
                };
                self.content_type_set = true;
            }
            syn::Expr::MethodCall(call)
                if self.multipart
                    && call.method == "body"
                    && call.args.len() == 1
                    && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("body")) =>
            {
                call.args[0] = syn::parse_quote!(body.into_bytes());
                self.multipart_body_set = true;
            }
            syn::Expr::MethodCall(call)
                if matches!(call.method.to_string().as_str(), "json" | "form")
                    && !self.content_type_set =>
            {
                // reqwest sets `application/json` only where no Content-Type is set.
                let Some(ct) = &self.content_type else {
                    return;
                };
                let receiver = &call.receiver;
                call.receiver = syn::parse_quote! {
                    #receiver.header(::reqwest::header::CONTENT_TYPE, #ct)
                };
                self.content_type_set = true;
            }
            _ => {}
        }
    }
}
