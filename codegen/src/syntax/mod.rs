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
        match flat_rename(attr) {
            Some(Some(renamed)) => name = renamed,
            Some(None) => {}
            None => {
                if let Some(renamed) = syn_rename(attr) {
                    name = renamed;
                }
            }
        }
    }
    name
}

/// The last `rename = "…"` syn's reader finds in one `#[serde(…)]`, before anything it
/// cannot read.
fn syn_rename(attr: &syn::Attribute) -> Option<String> {
    let mut name = None;
    let _ = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("rename") {
            let value: syn::LitStr = meta.value()?.parse()?;
            name = Some(value.value());
        } else if meta.input.peek(syn::Token![=]) {
            let _: syn::Expr = meta.value()?.parse()?;
        }
        Ok(())
    });
    name
}

/// The last `rename = "…"` of a `#[serde(…)]` read by [`flat_serde`]; `None` for any
/// attribute it does not read, which [`wire_name`] gives to syn's reader.
fn flat_rename(attr: &syn::Attribute) -> Option<Option<String>> {
    Some(
        flat_serde(attr)?
            .into_iter()
            .filter(|(key, _)| key == "rename")
            .filter_map(|(_, text)| text)
            .last()
            .map(|text| text.value()),
    )
}

/// The entries of a `#[serde(…)]` whose entries are all single words or `word = "text"` (as
/// typify writes most of them), read from its tokens without syn's parser: each word, with
/// its text if it has one. `None` for any other attribute (another form, a path, a number,
/// a group), for syn's reader.
fn flat_serde(attr: &syn::Attribute) -> Option<Vec<(syn::Ident, Option<syn::LitStr>)>> {
    use proc_macro2::TokenTree;
    let syn::Meta::List(list) = &attr.meta else {
        return None;
    };
    let is = |t: &TokenTree, c: char| matches!(t, TokenTree::Punct(p) if p.as_char() == c);
    let mut tokens = list.tokens.clone().into_iter();
    let mut entries = Vec::new();
    loop {
        let key = match tokens.next() {
            None => return Some(entries),
            Some(TokenTree::Ident(key)) => key,
            Some(_) => return None,
        };
        match tokens.next() {
            None => {
                entries.push((key, None));
                return Some(entries);
            }
            Some(t) if is(&t, ',') => entries.push((key, None)),
            Some(t) if is(&t, '=') => {
                let Some(TokenTree::Literal(lit)) = tokens.next() else {
                    return None;
                };
                let syn::Lit::Str(text) = syn::Lit::new(lit) else {
                    return None;
                };
                entries.push((key, Some(text)));
                match tokens.next() {
                    None => return Some(entries),
                    Some(t) if is(&t, ',') => {}
                    Some(_) => return None,
                }
            }
            Some(_) => return None,
        }
    }
}

/// `#[doc = text]`, built as syn would parse it.
pub(crate) fn doc_attr(text: &str) -> syn::Attribute {
    let span = proc_macro2::Span::call_site();
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Ident::new("doc", span).into(),
            eq_token: Default::default(),
            value: syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(text, span)),
            }),
        }),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The name syn's reader gives alone: what [`wire_name`] gave before its token reader.
    fn read_by_syn(attrs: &[syn::Attribute], ident: &syn::Ident) -> String {
        let mut name = ident.to_string().trim_start_matches("r#").to_owned();
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            if let Some(renamed) = syn_rename(attr) {
                name = renamed;
            }
        }
        name
    }

    #[test]
    fn wire_names_read_from_tokens_are_syns() {
        let field: syn::Ident = syn::parse_quote!(r#type);
        let cases: Vec<Vec<syn::Attribute>> = vec![
            vec![],
            vec![syn::parse_quote!(#[serde(rename = "@type")])],
            vec![syn::parse_quote!(#[serde(rename = "a\"b\\u{e9}")])],
            vec![syn::parse_quote!(#[serde(rename = r"raw")])],
            vec![
                syn::parse_quote!(#[serde(default, rename = "x", skip_serializing_if = "Option::is_none")]),
            ],
            vec![syn::parse_quote!(#[serde(rename = "x",)])],
            vec![syn::parse_quote!(#[serde()])],
            vec![syn::parse_quote!(#[serde(default)])],
            vec![
                syn::parse_quote!(#[serde(rename = "first")]),
                syn::parse_quote!(#[doc = "not serde"]),
                syn::parse_quote!(#[serde(rename = "second")]),
            ],
            // What the token reader leaves to syn.
            vec![syn::parse_quote!(#[serde(rename(serialize = "s"), rename = "after")])],
            vec![syn::parse_quote!(#[serde(rename = "before", bound(deserialize = ""))])],
            vec![syn::parse_quote!(#[serde(rename = 3)])],
            vec![syn::parse_quote!(#[serde(a::b = "c", rename = "d")])],
            vec![syn::parse_quote!(#[serde(rename = "x" "y")])],
            vec![syn::parse_quote!(#[serde = "x"])],
            vec![syn::parse_quote!(#[serde])],
        ];
        for attrs in &cases {
            assert_eq!(
                wire_name(attrs, &field),
                read_by_syn(attrs, &field),
                "{}",
                quote!(#(#attrs)*)
            );
        }
        assert_eq!(wire_name(&cases[4], &field), "x");
        assert_eq!(wire_name(&cases[8], &field), "second");
        assert_eq!(wire_name(&cases[0], &field), "type");
    }

    #[test]
    fn a_built_doc_attribute_is_the_parsed_one() {
        for text in [" The `id` field.", "", "quote \" and \\ and \n newline"] {
            let parsed: syn::Attribute = syn::parse_quote!(#[doc = #text]);
            assert_eq!(doc_attr(text), parsed);
            assert_eq!(quote!(#parsed).to_string(), {
                let built = doc_attr(text);
                quote!(#built).to_string()
            });
        }
    }
}
