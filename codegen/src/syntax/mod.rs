//! syn helpers every pass that reads or writes Rust shares: derives, serde names, docs,
//! paths; and the index of typify's types ([`type_index`]). A bottom layer: imports nothing
//! of the generator but its errors.

pub(crate) mod access;
pub(crate) mod args;
pub(crate) mod fences;
pub(crate) mod type_index;

use proc_macro2::TokenStream;
use quote::quote;

/// The last segments of the paths an item derives (`Deserialize`, `Debug`, ...).
pub(crate) fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .filter_map(|a| {
            a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .ok()
        })
        .flatten()
        .filter_map(|p| p.segments.last().map(|s| s.ident.to_string()))
        .collect()
}

/// The value of `#[serde(name = "...")]` (`tag`, `content`), where the attributes give one.
pub(crate) fn serde_value(attrs: &[syn::Attribute], name: &str) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.input.peek(syn::Token![=]) {
                let value: syn::Expr = meta.value()?.parse()?;
                if meta.path.is_ident(name)
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = value
                {
                    found = Some(s.value());
                }
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.parse_nested_meta(|_| Ok(()));
            }
            Ok(())
        });
    }
    found
}

/// Whether `#[serde(...)]` attributes hold the flag `name` (`untagged`, `transparent`).
pub(crate) fn serde_flag(attrs: &[syn::Attribute], name: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            found |= meta.path.is_ident(name);
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.parse_nested_meta(|_| Ok(()));
            }
            Ok(())
        });
    }
    found
}

/// Takes the derives named in `remove` (by their last segment) off `attrs`; whether it took
/// any. The `derive` attributes' tokens are rewritten in place, not parsed again.
pub(crate) fn derives_remove(attrs: &mut [syn::Attribute], remove: &[&str]) -> bool {
    let mut found = false;
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| {
                let hit = p
                    .segments
                    .last()
                    .is_some_and(|s| remove.iter().any(|r| s.ident == r));
                found |= hit;
                !hit
            })
            .collect();
        if kept.len() == paths.len() {
            continue;
        }
        if let syn::Meta::List(list) = &mut attr.meta {
            list.tokens = quote!(#(#kept),*);
        }
    }
    found
}

pub(crate) fn impl_target(imp: &syn::ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

pub(crate) fn impl_trait(imp: &syn::ItemImpl) -> Option<String> {
    imp.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .map(|s| s.ident.to_string())
}

/// `X` of `X`, `Option<X>` or `Box<X>`.
pub(crate) fn innermost_type_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(inner) => innermost_type_name(inner),
            _ => None,
        },
        _ => Some(last.ident.to_string()),
    }
}

pub(crate) fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

/// The name on the wire: `#[serde(rename = "...")]`, or the Rust name.
pub(crate) fn wire_name(attrs: &[syn::Attribute], ident: &syn::Ident) -> String {
    let mut name = ident.to_string().trim_start_matches("r#").to_owned();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                name = value.value();
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    name
}

pub(crate) fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// `#[doc]` attributes, one per line; fences rustdoc would compile become `text` (the text
/// may be a spec's).
pub(crate) fn doc(text: &str) -> TokenStream {
    let text = fences::as_text(text);
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

/// Names as prose lists code: `` `a`, `b` ``.
pub(crate) fn code_list<S: std::fmt::Display>(items: impl IntoIterator<Item = S>) -> String {
    items
        .into_iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `T` of `Option<T>`.
pub(crate) fn option_inner(ty: &syn::Type) -> Option<syn::Type> {
    wrapped_inner(ty, "Option")
}

/// `T` of `<wrapper><T>` (`Vec<T>`, `Option<T>`), by the wrapper's last path segment.
pub(crate) fn wrapped_inner(ty: &syn::Type, wrapper: &str) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        },
        _ => None,
    }
}
