//! typify's structs encode and decode through `finapi_runtime::serialize_struct!` and
//! `deserialize_struct!` instead of serde's derives. Measured on lithic (218 operations,
//! `rustc -Z macro-stats`): the derive's `Deserialize` was 166,849 of the crate's expanded
//! lines, half of all the code rustc saw, and `Serialize` the next largest; build memory went
//! with them (the crate alone, dependencies built: 1,314 → 1,228 MiB when its `Serialize`
//! bodies were emptied, an upper bound measured before the macro). The macros encode and
//! decode as the derives do (the runtime tests both on the same inputs and serializer calls,
//! errors included) with the per-field work shared in the runtime, so a struct costs a few
//! lines per field.
//!
//! Only what the macros reproduce exactly moves: a struct with named fields and no generics
//! that derives both `Serialize` and `Deserialize`, whose only container attribute is
//! `deny_unknown_fields` and whose fields use only `rename`, `default`, `default = ".."`,
//! `skip_serializing_if` and the two `deserialize_with`s generated code writes. Anything else
//! (a flattened map, an alias, an enum, a newtype) keeps the derives. A moved struct's
//! `#[serde]` attributes stay while later passes read wire names and defaults from them, and
//! go at the end of post-process ([`strip_serde_attributes`]): without a derive, rustc knows
//! no such attribute.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Item;

use super::nulls::NULL_AS_EMPTY;
use crate::syntax::{derives, derives_remove, option_inner};

/// typify's `deserialize_with` for a required field that may be `null` (the other one the
/// macro takes is the nulls pass's [`NULL_AS_EMPTY`]).
const OPTION: &str = "::std::option::Option::deserialize";

/// Moves the structs of `items` (the `types` module's, parsed) that the macros encode and
/// decode exactly from the derives to a `deserialize_struct!` and a `serialize_struct!` call
/// after each; returns how many moved. Their `#[serde]` attributes stay for the passes that
/// read wire names and defaults from them, until [`strip_serde_attributes`].
pub(super) fn compact_serde(items: &mut Vec<Item>) -> usize {
    let mut moved = 0;
    let mut out = Vec::with_capacity(items.len() * 2);
    let de: syn::Path = syn::parse_quote!(::finapi_runtime::deserialize_struct);
    let ser: syn::Path = syn::parse_quote!(::finapi_runtime::serialize_struct);
    for mut item in items.drain(..) {
        let calls = match &item {
            Item::Struct(s) => calls(s, &de, &ser),
            _ => None,
        };
        match calls {
            Some([de, ser]) => {
                if let Item::Struct(s) = &mut item {
                    derives_remove(&mut s.attrs, &["Serialize", "Deserialize"]);
                }
                out.extend([item, de, ser]);
                moved += 1;
            }
            None => out.push(item),
        }
    }
    *items = out;
    moved
}

/// Takes the `#[serde]` attributes off the structs and enums of the `types` module that
/// derive neither serde trait (the runtime's macros implement them: `serialize_struct!` and
/// `deserialize_struct!`, `open_enum!`), their fields' and their variants': without a derive,
/// rustc knows no `serde` attribute. Runs after every pass that reads wire names and defaults
/// from them (the typed layer, builders, examples).
pub(in crate::postprocess) fn strip_serde_attributes(items: &mut [Item]) {
    fn strip(attrs: &mut Vec<syn::Attribute>) {
        attrs.retain(|a| !a.path().is_ident("serde"));
    }
    for item in items {
        let (attrs, fields, variants) = match item {
            Item::Struct(s) => (&mut s.attrs, Some(&mut s.fields), None),
            Item::Enum(e) => (&mut e.attrs, None, Some(&mut e.variants)),
            _ => continue,
        };
        if derives(attrs)
            .iter()
            .any(|d| d == "Serialize" || d == "Deserialize")
        {
            continue;
        }
        strip(attrs);
        for field in fields.into_iter().flat_map(|f| f.iter_mut()) {
            strip(&mut field.attrs);
        }
        for variant in variants.into_iter().flatten() {
            strip(&mut variant.attrs);
            for field in variant.fields.iter_mut() {
                strip(&mut field.attrs);
            }
        }
    }
}

/// What one field's `#[serde]` attributes say of its encoding and decoding.
#[derive(Default)]
struct FieldAttrs {
    rename: Option<String>,
    default: bool,
    default_path: Option<syn::Path>,
    with: Option<String>,
    skip_if: Option<syn::Path>,
}

/// The macro calls (of `de` and `ser`) that decode and encode `s`, if the macros do it as the
/// derives would.
fn calls(s: &syn::ItemStruct, de: &syn::Path, ser: &syn::Path) -> Option<[Item; 2]> {
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
    let mut encoded: Vec<TokenStream> = Vec::with_capacity(named.named.len());
    for (index, field) in named.named.iter().enumerate() {
        let ident = field.ident.as_ref()?;
        let attrs = field_attrs(&field.attrs)?;
        let wire = attrs
            .rename
            .unwrap_or_else(|| syn::ext::IdentExt::unraw(ident).to_string());
        // The method of `finapi_runtime::de::Fields` that reads it.
        let decode = match attrs.with.as_deref() {
            Some(NULL_AS_EMPTY) => quote!(value_null_as_empty),
            Some(OPTION) | None if is_date_time(&field.ty) => quote!(value_datetime),
            Some(OPTION) | None => quote!(value),
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
        let skip = attrs.skip_if.as_ref().map(|path| quote!(skip_if(#path)));
        encoded.push(quote!(#index #ident = #wire #skip));
    }
    let name = &s.ident;
    let count = entries.len();
    let seq = format!(
        "struct {name} with {count} element{}",
        if count == 1 { "" } else { "s" }
    );
    Some([
        call(de, quote!(#name, #seq, #deny, { #(#entries),* })),
        call(ser, quote!(#name, { #(#encoded),* })),
    ])
}

/// Whether a field's type is typify's date-time, `::chrono::DateTime<::chrono::offset::Utc>`,
/// or an `Option` of one: the runtime decodes those through chrono's RFC 3339 parser first
/// (`Fields::value_datetime`, the same values and errors as chrono's `Deserialize`).
fn is_date_time(ty: &syn::Type) -> bool {
    let is = |ty: &syn::Type| {
        quote!(#ty)
            .to_string()
            .chars()
            .filter(|c| !c.is_whitespace())
            .eq("::chrono::DateTime<::chrono::offset::Utc>".chars())
    };
    is(ty) || option_inner(ty).is_some_and(|inner| is(&inner))
}

/// `path!(tokens);`, built, not parsed: a large spec has hundreds of these, and parsing copies
/// each call's tokens twice.
fn call(path: &syn::Path, tokens: TokenStream) -> Item {
    Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: path.clone(),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        },
        semi_token: Some(Default::default()),
    })
}

/// A field's `#[serde]` attributes, if they are only those the macro reproduces.
fn field_attrs(attrs: &[syn::Attribute]) -> Option<FieldAttrs> {
    let mut found = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let text = |meta: &syn::meta::ParseNestedMeta| -> syn::Result<String> {
                Ok(meta.value()?.parse::<syn::LitStr>()?.value())
            };
            if meta.path.is_ident("skip_serializing_if") && found.skip_if.is_none() {
                found.skip_if = Some(syn::parse_str(&text(&meta)?)?);
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
      required: [id, tags, note, created]
      properties:
        id: {type: string}
        created: {type: string, format: date-time}
        updated: {type: string, format: date-time}
        day: {type: string, format: date}
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
            #[derive(Clone, Debug, PartialEq)]
            pub struct Account {
                /// The `count` field.
                pub count: i64,
                /// The `created` field.
                pub created: ::chrono::DateTime<::chrono::offset::Utc>,
                /// The `day` field.
                pub day: ::std::option::Option<::chrono::naive::NaiveDate>,
                /// The `id` field.
                pub id: ::std::string::String,
                /// The `labels` field.
                pub labels: ::std::collections::HashMap<
                    ::std::string::String,
                    ::std::string::String,
                >,
                /// The `note` field.
                pub note: ::std::option::Option<::std::string::String>,
                /// The `tags` field.
                pub tags: ::std::vec::Vec<::std::string::String>,
                /// The `type` field.
                pub type_: ::std::option::Option<::std::string::String>,
                /// The `updated` field.
                pub updated: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
            }
            ::finapi_runtime::deserialize_struct!(
                Account, "struct Account with 9 elements", false, { 0 count : i64 = "count" value
                or_default(::std::option::Option::Some(defaults::default_u64:: < i64, 3 >)), 1
                created : ::chrono::DateTime < ::chrono::offset::Utc > = "created" value_datetime
                absent(::std::option::Option::None), 2 day : ::std::option::Option <
                ::chrono::naive::NaiveDate > = "day" value absent(::std::option::Option::None), 3 id
                : ::std::string::String = "id" value absent(::std::option::Option::None), 4 labels :
                ::std::collections::HashMap < ::std::string::String, ::std::string::String > =
                "labels" value_null_as_empty
                or_default(::std::option::Option::Some(::std::default::Default::default)), 5 note :
                ::std::option::Option < ::std::string::String > = "note" value
                required(::std::option::Option::None), 6 tags : ::std::vec::Vec <
                ::std::string::String > = "tags" value_null_as_empty
                required(::std::option::Option::None), 7 type_ : ::std::option::Option <
                ::std::string::String > = "type" value absent(::std::option::Option::None), 8 updated
                : ::std::option::Option < ::chrono::DateTime < ::chrono::offset::Utc > > = "updated"
                value_datetime absent(::std::option::Option::None) }
            );
            ::finapi_runtime::serialize_struct!(
                Account, { 0 count = "count", 1 created = "created", 2 day = "day"
                skip_if(::std::option::Option::is_none), 3 id = "id", 4 labels = "labels"
                skip_if(::std::collections::HashMap::is_empty), 5 note = "note", 6 tags = "tags", 7
                type_ = "type" skip_if(::std::option::Option::is_none), 8 updated = "updated"
                skip_if(::std::option::Option::is_none) }
            );
        "#]]
        .assert_eq(&item(&generate(SPEC), &["types", "Account"]));
    }

    #[test]
    fn a_struct_with_a_flattened_map_keeps_the_derive() {
        let loose = item(&generate(SPEC), &["types", "Loose"]);
        assert!(loose.contains("::serde::Deserialize"), "{loose}");
        assert!(!loose.contains("deserialize_struct!"), "{loose}");
    }
}
