//! typify's string newtypes with constraints (`maxLength`, `minLength`, `pattern`): beside
//! the struct and its checking `FromStr`, typify writes five impls for each (`Deref`,
//! `From<Name> for String`, `TryFrom<&str>`, `TryFrom<String>`, and a `Deserialize` through
//! `FromStr`). They become one `finapi_runtime::constrained_string!(Name);`, which writes the
//! same five, where all five are exactly typify's (compared token for token); anything else
//! is left as it is.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use syn::Item;

use crate::postprocess::items;

/// Replaces the five impls of each constrained string newtype of `items` (the `types`
/// module's, its impl blocks still tokens) with a `constrained_string!` call; returns how
/// many types it rewrote.
pub(super) fn constrained_strings(items: &mut Vec<Item>) -> usize {
    // The newtypes typify gives a private `String` (a constrained one; an unconstrained
    // newtype's field is `pub`).
    let names = string_newtypes(items, false);
    if names.is_empty() {
        return 0;
    }
    // Each impl typify would write, as text, by the type it is for (written when an impl
    // names the type). An impl is compared with those of the names its header holds (a
    // constrained newtype's name is a word of it): the many impls for other types are not
    // written out.
    let index: HashMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(n, name)| (name.to_string(), n))
        .collect();
    let mut wanted: Vec<Option<[String; 5]>> = vec![None; names.len()];
    const TRAITS: [&str; 4] = ["Deref", "From", "TryFrom", "Deserialize"];
    let mut found: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, item) in items.iter().enumerate() {
        let Some((tokens, top, Some(trait_))) = items::deferred_impl(item) else {
            continue;
        };
        if !TRAITS.contains(&trait_.as_str()) {
            continue;
        }
        let mut text = None;
        for word in top[..top.len() - 1].iter().filter_map(|t| match t {
            TokenTree::Ident(word) => Some(word),
            _ => None,
        }) {
            let Some(&n) = index.get(&word.to_string()) else {
                continue;
            };
            let text = text.get_or_insert_with(|| tokens.to_string());
            let impls =
                wanted[n].get_or_insert_with(|| typify_impls(&names[n]).map(|i| i.to_string()));
            if impls.contains(text) {
                found[n].push(i);
                break;
            }
        }
    }
    let mut drop: BTreeSet<usize> = BTreeSet::new();
    let mut calls = Vec::new();
    for (n, hits) in found.into_iter().enumerate() {
        if hits.len() == 5 {
            drop.extend(hits);
            calls.push(&names[n]);
        }
    }
    let rewritten = calls.len();
    let calls: Vec<Item> = calls
        .into_iter()
        .map(|name| syn::parse_quote!(::finapi_runtime::constrained_string!(#name);))
        .collect();
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
    items.extend(calls);
    rewritten
}

/// Gives each unconstrained string newtype (`pub struct Name(pub String)`, which typify makes
/// `From<String>`) a `From<&str>` as well, where it has none: a string literal converts into
/// it as into a constrained one (`TryFrom<&str>`), for a builder's setter and for a caller.
/// Runs on parsed items.
pub(super) fn plain_strings_from_str(items: &mut Vec<Item>) {
    let names = string_newtypes(items, true);
    let from_str_ref: BTreeSet<String> = items
        .iter()
        .filter_map(|item| {
            let Item::Impl(imp) = item else { return None };
            let (path, _) = imp.trait_.as_ref()?;
            let last = path.segments.last()?;
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            let is_str_ref = matches!(args.args.first(), Some(syn::GenericArgument::Type(syn::Type::Reference(r)))
                if matches!(&*r.elem, syn::Type::Path(p) if p.path.is_ident("str")));
            (matches!(last.ident.to_string().as_str(), "From" | "TryFrom") && is_str_ref)
                .then(|| crate::syntax::impl_target(imp))
                .flatten()
        })
        .collect();
    for name in names {
        if !from_str_ref.contains(&name.to_string()) {
            items.push(syn::parse_quote! {
                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self(value.to_owned())
                    }
                }
            });
        }
    }
}

/// Drops from the `FromStr` impls of `items` (parsed) the checks that can never fail: typify
/// writes `minLength: 0` as `if value.chars().count() < 0usize { .. }`, which rustc warns is
/// useless (a generated crate builds without warnings). Returns how many it dropped.
pub(super) fn drop_vacuous_checks(items: &mut [Item]) -> usize {
    let vacuous = |stmt: &syn::Stmt| {
        matches!(stmt, syn::Stmt::Expr(syn::Expr::If(i), _)
            if i.else_branch.is_none()
                && matches!(&*i.cond, syn::Expr::Binary(b)
                    if matches!(b.op, syn::BinOp::Lt(_))
                        && matches!(&*b.right, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(n), .. })
                            if n.base10_digits() == "0")))
    };
    let mut dropped = 0;
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        if crate::syntax::impl_trait(imp).as_deref() != Some("FromStr") {
            continue;
        }
        for inner in &mut imp.items {
            if let syn::ImplItem::Fn(f) = inner {
                let before = f.block.stmts.len();
                f.block.stmts.retain(|s| !vacuous(s));
                dropped += before - f.block.stmts.len();
            }
        }
    }
    dropped
}

/// The newtypes over a `String` (`struct Name(String)`, no generics) whose field is public
/// (`public`) or private.
pub(super) fn string_newtypes(items: &[Item], public: bool) -> Vec<syn::Ident> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => match &s.fields {
                syn::Fields::Unnamed(f)
                    if f.unnamed.len() == 1
                        && matches!(f.unnamed[0].vis, syn::Visibility::Public(_)) == public
                        && is_string(&f.unnamed[0].ty)
                        && s.generics.params.is_empty() =>
                {
                    Some(s.ident.clone())
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p)
        if p.qself.is_none()
            && p.path.leading_colon.is_some()
            && p.path.segments.iter().map(|s| s.ident.to_string()).eq(["std", "string", "String"])
            && p.path.segments.iter().all(|s| s.arguments.is_none()))
}

/// The five impls typify 0.8 writes for a constrained string newtype `name` beside its
/// `FromStr` (typify-impl's `type_entry.rs`, `output_newtype`), the ones
/// `finapi_runtime::constrained_string!` writes.
fn typify_impls(name: &syn::Ident) -> [TokenStream; 5] {
    [
        quote! {
            impl ::std::ops::Deref for #name {
                type Target = ::std::string::String;
                fn deref(&self) -> &::std::string::String {
                    &self.0
                }
            }
        },
        quote! {
            impl ::std::convert::From<#name> for ::std::string::String {
                fn from(value: #name) -> Self {
                    value.0
                }
            }
        },
        quote! {
            impl ::std::convert::TryFrom<&str> for #name {
                type Error = self::error::ConversionError;

                fn try_from(value: &str) ->
                    ::std::result::Result<Self, self::error::ConversionError>
                {
                    value.parse()
                }
            }
        },
        quote! {
            impl ::std::convert::TryFrom<::std::string::String> for #name {
                type Error = self::error::ConversionError;

                fn try_from(value: ::std::string::String) ->
                    ::std::result::Result<Self, self::error::ConversionError>
                {
                    value.parse()
                }
            }
        },
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    ::std::string::String::deserialize(deserializer)?
                    .parse()
                    .map_err(|e: self::error::ConversionError| {
                        <D::Error as ::serde::de::Error>::custom(
                            e.to_string(),
                        )
                    })
                }
            }
        },
    ]
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r#"
paths: {}
components:
  schemas:
    Token: {type: string, maxLength: 4}
    Free: {type: string}
"#;

    #[test]
    fn a_constrained_string_is_its_struct_its_checks_and_one_call() {
        expect![[r#"
            ///`Token`
            #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
            #[serde(transparent)]
            pub struct Token(::std::string::String);
            impl ::std::str::FromStr for Token {
                type Err = self::error::ConversionError;
                fn from_str(
                    value: &str,
                ) -> ::std::result::Result<Self, self::error::ConversionError> {
                    if value.chars().count() > 4usize {
                        return Err("longer than 4 characters".into());
                    }
                    Ok(Self(value.to_string()))
                }
            }
            ::finapi_runtime::constrained_string!(Token);
        "#]]
        .assert_eq(&item(&generate(SPEC), &["types", "Token"]));
    }

    #[test]
    fn a_minimum_length_of_zero_is_no_check() {
        const SPEC: &str = r#"
paths: {}
components:
  schemas:
    Pan: {type: string, minLength: 0, maxLength: 16}
"#;
        let pan = item(&generate(SPEC), &["types", "Pan"]);
        assert!(pan.contains("> 16usize"), "{pan}");
        assert!(!pan.contains("< 0usize"), "{pan}");
    }

    #[test]
    fn an_unconstrained_newtype_keeps_typify_impls() {
        let mut items: Vec<syn::Item> = vec![
            syn::parse_quote!(
                pub struct Free(pub ::std::string::String);
            ),
            syn::Item::Verbatim(super::typify_impls(&quote::format_ident!("Free"))[0].clone()),
        ];
        assert_eq!(super::constrained_strings(&mut items), 0);
        assert_eq!(items.len(), 2);
        // A private `String` with four of the five impls (one written otherwise): kept too.
        let name = quote::format_ident!("Token");
        let impls = super::typify_impls(&name);
        let mut items: Vec<syn::Item> = vec![syn::parse_quote!(
            pub struct Token(::std::string::String);
        )];
        items.extend(impls[..4].iter().cloned().map(syn::Item::Verbatim));
        items.push(syn::Item::Verbatim(quote::quote! {
            impl<'de> ::serde::Deserialize<'de> for Token {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                    todo!()
                }
            }
        }));
        assert_eq!(super::constrained_strings(&mut items), 0);
        assert_eq!(items.len(), 6);
        // All five as typify writes them: one call.
        let mut items: Vec<syn::Item> = vec![syn::parse_quote!(
            pub struct Token(::std::string::String);
        )];
        items.extend(impls.iter().cloned().map(syn::Item::Verbatim));
        assert_eq!(super::constrained_strings(&mut items), 1);
        assert_eq!(items.len(), 2);
    }
}
