//! typify's types: every string enum gets `Unrecognized(String)` and open conversions.

use std::collections::BTreeSet;

use std::collections::BTreeMap;

use quote::format_ident;
use syn::Item;

use crate::error::Result;
use crate::postprocess::At;
use crate::postprocess::syntax::*;

/// The name of the variant that keeps values a string enum's spec does not list.
pub(super) const UNRECOGNIZED: &str = "Unrecognized";

/// Makes every string enum forward-compatible: a value the spec does not list decodes into
/// `Unrecognized(String)` and encodes back unchanged; listed values stay typed variants; a
/// caller can send a value the spec does not list yet. typify's closed conversions (Display,
/// FromStr, TryFrom) are replaced by open ones.
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
        derives_remove(&mut e.attrs, "Copy");
        let unrecognized = format_ident!("{}", UNRECOGNIZED);
        e.variants.push(syn::parse_quote! {
            /// A value the spec does not list (yet): kept as received, and sent back unchanged.
            #[serde(untagged)]
            #unrecognized(::std::string::String)
        });
        opened.push((e.ident.clone(), values));
    }
    let names: BTreeSet<String> = opened.iter().map(|(i, _)| i.to_string()).collect();
    const CLOSED: [&str; 3] = ["Display", "FromStr", "TryFrom"];
    items.retain(|item| {
        !matches!(item, Item::Impl(imp)
            if impl_target(imp).is_some_and(|t| names.contains(&t))
                && impl_trait(imp).is_some_and(|t| CLOSED.contains(&t.as_str())))
    });
    let unrecognized = format_ident!("{}", UNRECOGNIZED);
    for (name, values) in opened {
        let idents: Vec<_> = values.iter().map(|(i, _)| i).collect();
        let wires: Vec<_> = values.iter().map(|(_, w)| w).collect();
        items.push(syn::parse_quote! {
            impl #name {
                /// The value as it is sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#idents => #wires,)*
                        Self::#unrecognized(value) => value.as_str(),
                    }
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    Ok(match value {
                        #(#wires => Self::#idents,)*
                        other => Self::#unrecognized(other.to_owned()),
                    })
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value.parse() {
                        Ok(v) => v,
                        Err(never) => match never {},
                    }
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    Self::from(value.as_str())
                }
            }
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
servers: [{url: "https://t.test"}]
paths: {}
components:
  schemas:
    Status: {type: string, enum: [open, closed-by-bank]}
"#;

    #[test]
    fn a_string_enum_keeps_values_it_does_not_list() {
        expect![[r#"
            ///`Status`
            #[derive(
                ::serde::Deserialize,
                ::serde::Serialize,
                Clone,
                Debug,
                Eq,
                Hash,
                Ord,
                PartialEq,
                PartialOrd
            )]
            pub enum Status {
                /// `open`
                #[serde(rename = "open")]
                Open,
                /// `closed-by-bank`
                #[serde(rename = "closed-by-bank")]
                ClosedByBank,
                /// A value the spec does not list (yet): kept as received, and sent back unchanged.
                #[serde(untagged)]
                Unrecognized(::std::string::String),
            }
            impl Status {
                /// The value as it is sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        Self::Open => "open",
                        Self::ClosedByBank => "closed-by-bank",
                        Self::Unrecognized(value) => value.as_str(),
                    }
                }
            }
            impl ::std::fmt::Display for Status {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::std::str::FromStr for Status {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    Ok(
                        match value {
                            "open" => Self::Open,
                            "closed-by-bank" => Self::ClosedByBank,
                            other => Self::Unrecognized(other.to_owned()),
                        },
                    )
                }
            }
            impl ::std::convert::From<&str> for Status {
                fn from(value: &str) -> Self {
                    match value.parse() {
                        Ok(v) => v,
                        Err(never) => match never {}
                    }
                }
            }
            impl ::std::convert::From<::std::string::String> for Status {
                fn from(value: ::std::string::String) -> Self {
                    Self::from(value.as_str())
                }
            }
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
            code.contains("#[serde(rename = \"Unrecognized\")]\n    UnrecognizedValue,"),
            "{code}"
        );
        assert!(
            code.contains("Self::UnrecognizedValue => \"Unrecognized\""),
            "{code}"
        );
        assert!(
            code.contains("Unrecognized(::std::string::String)"),
            "{code}"
        );
    }
}
