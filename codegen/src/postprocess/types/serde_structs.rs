//! typify's structs decode through `finapi_runtime::deserialize_struct!` instead of serde's
//! derive. Measured on lithic (218 operations, `rustc -Z macro-stats`): the derive's
//! `Deserialize` was 166,849 of the crate's expanded lines, half of all the code rustc saw,
//! and build memory went with it. The macro decodes as the derive does (the runtime tests both
//! on the same inputs, errors included) with the field matching shared in the runtime, so a
//! struct costs a few lines per field.
//!
//! Only what the macro reproduces exactly moves: a struct with named fields and no generics
//! that derives both `Serialize` and `Deserialize` (its `#[serde]` attributes stay, for
//! `Serialize`), whose only container attribute is `deny_unknown_fields` and whose fields
//! use only `rename`, `default`, `default = ".."`, `skip_serializing_if` and the two
//! `deserialize_with`s generated code writes. Anything else (a flattened map, an alias, an
//! enum, a newtype) keeps the derive.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Item;

use super::nulls::NULL_AS_EMPTY;
use crate::syntax::{derives, derives_remove};

/// typify's `deserialize_with` for a required field that may be `null` (the other one the
/// macro takes is the nulls pass's [`NULL_AS_EMPTY`]).
const OPTION: &str = "::std::option::Option::deserialize";

/// Moves the structs of `items` (the `types` module's, parsed) that the macro decodes exactly
/// from the derive to a `deserialize_struct!` call after each; returns how many moved.
pub(super) fn compact_deserialize(items: &mut Vec<Item>) -> usize {
    let mut moved = 0;
    let mut out = Vec::with_capacity(items.len() + items.len() / 2);
    let path: syn::Path = syn::parse_quote!(::finapi_runtime::deserialize_struct);
    for mut item in items.drain(..) {
        let call = match &item {
            Item::Struct(s) => call(s, &path),
            _ => None,
        };
        match call {
            Some(call) => {
                if let Item::Struct(s) = &mut item {
                    derives_remove(&mut s.attrs, &["Deserialize"]);
                }
                out.push(item);
                out.push(call);
                moved += 1;
            }
            None => out.push(item),
        }
    }
    *items = out;
    moved
}

/// What one field's `#[serde]` attributes say of its decoding.
#[derive(Default)]
struct FieldAttrs {
    rename: Option<String>,
    default: bool,
    default_path: Option<syn::Path>,
    with: Option<String>,
}

/// The macro call (of `path`) that decodes `s`, if the macro decodes it as the derive would.
fn call(s: &syn::ItemStruct, path: &syn::Path) -> Option<Item> {
    let derived = derives(&s.attrs);
    if !derived.iter().any(|d| d == "Deserialize")
        || !derived.iter().any(|d| d == "Serialize")
        || !s.generics.params.is_empty()
    {
        return None;
    }
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    if named.named.is_empty() {
        return None;
    }
    let mut deny = false;
    for attr in s.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("deny_unknown_fields") {
                deny = true;
                Ok(())
            } else {
                Err(meta.error("not decoded by the macro"))
            }
        })
        .ok()?;
    }
    let mut entries: Vec<TokenStream> = Vec::with_capacity(named.named.len());
    for (index, field) in named.named.iter().enumerate() {
        let ident = field.ident.as_ref()?;
        let attrs = field_attrs(&field.attrs)?;
        let wire = attrs
            .rename
            .unwrap_or_else(|| syn::ext::IdentExt::unraw(ident).to_string());
        // The functions of `finapi_runtime::de` that read it from a map and a sequence.
        let decode = match attrs.with.as_deref() {
            Some(NULL_AS_EMPTY) => quote!(value_null_as_empty element_null_as_empty),
            Some(OPTION) | None => quote!(value element),
            Some(_) => return None,
        };
        // What an absent field is, and its default.
        let absent = match (attrs.default, attrs.default_path, &attrs.with) {
            (true, _, _) => quote!(or_default(::std::option::Option::Some(
                ::std::default::Default::default
            ))),
            (false, Some(path), _) => quote!(or_default(::std::option::Option::Some(#path))),
            (false, None, Some(_)) => quote!(required(::std::option::Option::None)),
            (false, None, None) => quote!(absent(::std::option::Option::None)),
        };
        let index = Literal::usize_unsuffixed(index);
        let ty = &field.ty;
        entries.push(quote!(#index #ident: #ty = #wire #decode #absent));
    }
    let name = &s.ident;
    let count = entries.len();
    let seq = format!(
        "struct {name} with {count} element{}",
        if count == 1 { "" } else { "s" }
    );
    // Built, not parsed: a large spec has hundreds of these, and parsing copies each call's
    // tokens twice.
    Some(Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: path.clone(),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: quote!(#name, #seq, #deny, { #(#entries),* }),
        },
        semi_token: Some(Default::default()),
    }))
}

/// A field's `#[serde]` attributes, if they are only those the macro reproduces.
fn field_attrs(attrs: &[syn::Attribute]) -> Option<FieldAttrs> {
    let mut found = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let text = |meta: &syn::meta::ParseNestedMeta| -> syn::Result<String> {
                Ok(meta.value()?.parse::<syn::LitStr>()?.value())
            };
            if meta.path.is_ident("skip_serializing_if") {
                text(&meta)?;
            } else if meta.path.is_ident("rename") && found.rename.is_none() {
                found.rename = Some(text(&meta)?);
            } else if meta.path.is_ident("default") && !meta.input.peek(syn::Token![=]) {
                found.default = true;
            } else if meta.path.is_ident("default") && found.default_path.is_none() {
                found.default_path = Some(syn::parse_str(&text(&meta)?)?);
            } else if meta.path.is_ident("deserialize_with") && found.with.is_none() {
                found.with = Some(text(&meta)?);
            } else {
                return Err(meta.error("not decoded by the macro"));
            }
            Ok(())
        })
        .ok()?;
    }
    // Both defaults: serde refuses the struct; leave it to say so.
    (!(found.default && found.default_path.is_some())).then_some(found)
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r#"
paths: {}
components:
  schemas:
    Account:
      type: object
      required: [id, tags, note]
      properties:
        id: {type: string}
        type: {type: string}
        tags: {type: array, items: {type: string}}
        note: {type: string, nullable: true}
        labels: {type: object, additionalProperties: {type: string}}
        count: {type: integer, default: 3}
    Loose:
      type: object
      properties:
        id: {type: string}
      additionalProperties: {type: integer}
"#;

    #[test]
    fn a_struct_decodes_through_the_macro_with_each_fields_rule() {
        expect![[r#"
            ///`Account`
            #[derive(::serde::Serialize, Clone, Debug, PartialEq)]
            pub struct Account {
                /// The `count` field.
                #[serde(default = "defaults::default_u64::<i64, 3>")]
                pub count: i64,
                /// The `id` field.
                pub id: ::std::string::String,
                /// The `labels` field.
                #[serde(default, skip_serializing_if = ":: std :: collections :: HashMap::is_empty")]
                #[serde(deserialize_with = "::finapi_runtime::de::null_as_empty")]
                pub labels: ::std::collections::HashMap<
                    ::std::string::String,
                    ::std::string::String,
                >,
                /// The `note` field.
                #[serde(deserialize_with = "::std::option::Option::deserialize")]
                pub note: ::std::option::Option<::std::string::String>,
                /// The `tags` field.
                #[serde(deserialize_with = "::finapi_runtime::de::null_as_empty")]
                pub tags: ::std::vec::Vec<::std::string::String>,
                /// The `type` field.
                #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
                pub type_: ::std::option::Option<::std::string::String>,
            }
            ::finapi_runtime::deserialize_struct!(
                Account, "struct Account with 6 elements", false, { 0 count : i64 = "count" value
                element or_default(::std::option::Option::Some(defaults::default_u64:: < i64, 3 >)),
                1 id : ::std::string::String = "id" value element
                absent(::std::option::Option::None), 2 labels : ::std::collections::HashMap <
                ::std::string::String, ::std::string::String > = "labels" value_null_as_empty
                element_null_as_empty
                or_default(::std::option::Option::Some(::std::default::Default::default)), 3 note :
                ::std::option::Option < ::std::string::String > = "note" value element
                required(::std::option::Option::None), 4 tags : ::std::vec::Vec <
                ::std::string::String > = "tags" value_null_as_empty element_null_as_empty
                required(::std::option::Option::None), 5 type_ : ::std::option::Option <
                ::std::string::String > = "type" value element absent(::std::option::Option::None) }
            );
        "#]].assert_eq(&item(&generate(SPEC), &["types", "Account"]));
    }

    #[test]
    fn a_struct_with_a_flattened_map_keeps_the_derive() {
        let loose = item(&generate(SPEC), &["types", "Loose"]);
        assert!(loose.contains("::serde::Deserialize"), "{loose}");
        assert!(!loose.contains("deserialize_struct!"), "{loose}");
    }
}
