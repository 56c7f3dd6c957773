//! typify's types: every string enum gets `Unrecognized(String)` and open conversions and
//! serde impls (`finapi_runtime::open_enum!`).

use std::collections::BTreeSet;

use std::collections::BTreeMap;

use quote::format_ident;
use syn::Item;

use crate::error::At;
use crate::error::Result;
use crate::syntax::*;

/// The name of the variant that keeps values a string enum's spec does not list.
pub(super) const UNRECOGNIZED: &str = "Unrecognized";

/// Makes every string enum forward-compatible: a value the spec does not list decodes into
/// `Unrecognized(String)` and encodes back unchanged; listed values stay typed variants; a
/// caller can send a value the spec does not list yet. typify's closed conversions (Display,
/// FromStr, TryFrom) and serde derives are replaced by the runtime's `open_enum!`, which
/// writes the open ones (the variants' `#[serde]` attributes, which hold the wire values
/// later passes read, go at the end of post-process: `serde_structs::strip_serde_attributes`).
/// `pointers` locates a type's schema for errors (the components' otherwise); `tags` are the
/// variant tags of discriminated unions, which stay closed.
// Invariant (enums are open): every string enum gets `Unrecognized(String)`.
pub(super) fn open_enums(
    items: &mut Vec<Item>,
    pointers: &BTreeMap<String, String>,
    tags: &BTreeSet<String>,
    at: At<'_>,
) -> Result<()> {
    let mut opened: Vec<(syn::Ident, Vec<(syn::Ident, String)>)> = Vec::new();
    let unrecognized = format_ident!("{}", UNRECOGNIZED);
    // Built once, cloned into each enum (parsing it per enum was a tenth of this pass).
    let unrecognized: syn::Variant = syn::parse_quote! {
        /// A value the spec does not list (yet): kept as received, and sent back unchanged.
        #unrecognized(::std::string::String)
    };
    for item in items.iter_mut() {
        let Item::Enum(e) = item else { continue };
        let string_enum = !e.variants.is_empty()
            && e.variants
                .iter()
                .all(|v| matches!(v.fields, syn::Fields::Unit))
            && derives(&e.attrs).iter().any(|d| d == "Deserialize")
            && !serde_flag(&e.attrs, "untagged");
        // A discriminated union's variant tag stays closed (see `unions`).
        if !string_enum || tags.contains(&e.ident.to_string()) {
            continue;
        }
        let values: Vec<(syn::Ident, String)> = e
            .variants
            .iter()
            .map(|v| (v.ident.clone(), wire_name(&v.attrs, &v.ident)))
            .collect();
        if values.iter().any(|(i, _)| i == UNRECOGNIZED) {
            let name = e.ident.to_string();
            let pointer = pointers
                .get(&name)
                .map_or("/components/schemas", String::as_str);
            return Err(At::new(at.file, pointer).error(format!(
                "enum {name} already has a variant `{UNRECOGNIZED}`"
            )));
        }
        // serde's impls come from `open_enum!`: a string, listed or not.
        derives_remove(&mut e.attrs, &["Copy", "Serialize", "Deserialize"]);
        e.variants.push(unrecognized.clone());
        opened.push((e.ident.clone(), values));
    }
    let names: BTreeSet<String> = opened.iter().map(|(i, _)| i.to_string()).collect();
    const CLOSED: [&str; 3] = ["Display", "FromStr", "TryFrom"];
    items.retain(|item| {
        let conversion = match item {
            Item::Impl(imp) => impl_trait(imp).zip(impl_target(imp)),
            // Kept as tokens by the parse (see `items`).
            _ => crate::postprocess::items::conversion(item),
        };
        !conversion.is_some_and(|(trait_, target)| {
            CLOSED.contains(&trait_.as_str()) && names.contains(&target)
        })
    });
    // `::finapi_runtime::open_enum!(Name { Variant => "wire", .. });`, built as syntax: its
    // tokens are the macro's to read, and parsing each call was another tenth of this pass.
    let open_enum: syn::ItemMacro = syn::parse_quote! { ::finapi_runtime::open_enum!(); };
    for (name, values) in opened {
        let idents = values.iter().map(|(i, _)| i);
        let wires = values.iter().map(|(_, w)| w);
        let mut call = open_enum.clone();
        call.mac.tokens = quote::quote! { #name { #(#idents => #wires),* } };
        items.push(Item::Macro(call));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r#"
paths: {}
components:
  schemas:
    Status: {type: string, enum: [open, closed-by-bank]}
"#;

    #[test]
    fn a_string_enum_keeps_values_it_does_not_list() {
        expect![[r#"
            ///`Status`
            #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
            pub enum Status {
                /// `open`
                Open,
                /// `closed-by-bank`
                ClosedByBank,
                /// A value the spec does not list (yet): kept as received, and sent back unchanged.
                Unrecognized(::std::string::String),
            }
            ::finapi_runtime::open_enum!(
                Status { Open => "open", ClosedByBank => "closed-by-bank" }
            );
        "#]]
        .assert_eq(&item(&generate(SPEC), &["types", "Status"]));
    }

    #[test]
    fn a_value_named_like_the_added_variant_gets_a_name_of_its_own() {
        // `crate::restore::wire_names` renames it; the wire value stays.
        let code = item(
            &generate(&SPEC.replace("closed-by-bank", "Unrecognized")),
            &["types", "Status"],
        );
        assert!(
            code.contains("/// `Unrecognized`\n    UnrecognizedValue,"),
            "{code}"
        );
        assert!(
            code.contains("UnrecognizedValue => \"Unrecognized\""),
            "{code}"
        );
        assert!(
            code.contains("Unrecognized(::std::string::String)"),
            "{code}"
        );
    }
}
