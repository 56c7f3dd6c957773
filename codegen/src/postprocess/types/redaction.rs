//! typify's types: `x-sensitive` fields (and their newtypes) print redacted in `Debug`.

use std::collections::{BTreeMap, BTreeSet};

use quote::quote;
use syn::Item;

use crate::error::At;
use crate::error::Result;
use crate::syntax::*;

/// Replaces the derived `Debug` of structs with fields marked `x-sensitive` by one that prints
/// a fixed placeholder for those fields.
/// `pointers` locates a type's schema for errors (the components' otherwise).
// Invariant (secrets never print): a field marked `x-sensitive` prints redacted, and a marked
// field that is not found fails generation.
pub(super) fn redact_sensitive(
    items: &mut Vec<Item>,
    sensitive: &BTreeSet<(String, String)>,
    pointers: &BTreeMap<String, String>,
    at: At<'_>,
) -> Result<()> {
    let locate = |name: &str, message: String| {
        let pointer = pointers
            .get(name)
            .map_or("/components/schemas", String::as_str);
        At::new(at.file, pointer).error(message)
    };
    // typify wraps a nullable object schema `S` as `S(Option<SInner>)`: its fields are SInner's.
    let mut holder: BTreeMap<String, String> = BTreeMap::new();
    for item in items.iter() {
        if let Item::Struct(s) = item {
            let name = s.ident.to_string();
            let inner = match &s.fields {
                syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                    innermost_type_name(&f.unnamed[0].ty)
                }
                _ => None,
            };
            holder.insert(name.clone(), inner.unwrap_or(name));
        }
    }
    let sensitive: BTreeSet<(String, String)> = sensitive
        .iter()
        .map(|(t, f)| {
            (
                holder.get(t).cloned().unwrap_or_else(|| t.clone()),
                f.clone(),
            )
        })
        .collect();
    let mut impls = Vec::new();
    let mut done = BTreeSet::new();
    // The types of the sensitive fields.
    let mut newtypes = BTreeSet::new();
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let name = s.ident.to_string();
        if !sensitive.iter().any(|(t, _)| *t == name) {
            continue;
        }
        let syn::Fields::Named(fields) = &s.fields else {
            return Err(locate(
                &name,
                format!("{name} has sensitive fields but no named fields"),
            ));
        };
        let mut entries = Vec::new();
        for field in &fields.named {
            let ident = field.ident.as_ref().expect("named");
            let wire = wire_name(&field.attrs, ident);
            let shown = ident.to_string();
            if sensitive.contains(&(name.clone(), wire.clone())) {
                newtypes.extend(innermost_type_name(&field.ty));
                done.insert((name.clone(), wire));
                entries.push(quote!(.field(#shown, &::finapi_runtime::Redacted)));
            } else {
                entries.push(quote!(.field(#shown, &self.#ident)));
            }
        }
        if !derives_remove(&mut s.attrs, &["Debug"]) {
            return Err(locate(&name, format!("{name} does not derive Debug")));
        }
        let ident = &s.ident;
        impls.push(syn::parse_quote! {
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name)#(#entries)*.finish()
                }
            }
        });
    }
    if let Some((t, f)) = sensitive.difference(&done).next() {
        // Reported, not ignored: a sensitive field printed in clear is a leak.
        return Err(locate(
            t,
            format!("x-sensitive field `{f}` of `{t}` not found in the generated types"),
        ));
    }
    // A sensitive field's own newtype (typify's `PsuId(String)` for a constrained string)
    // prints when printed alone: it redacts too.
    let generated: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let syn::Fields::Unnamed(fields) = &s.fields else {
            continue;
        };
        let name = s.ident.to_string();
        let wraps_generated = fields.unnamed.len() != 1
            || innermost_type_name(&fields.unnamed[0].ty).is_some_and(|t| generated.contains(&t));
        if !newtypes.contains(&name) || wraps_generated {
            continue;
        }
        if !derives_remove(&mut s.attrs, &["Debug"]) {
            return Err(locate(&name, format!("{name} does not derive Debug")));
        }
        let ident = &s.ident;
        impls.push(syn::parse_quote! {
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_tuple(#name).field(&::finapi_runtime::Redacted).finish()
                }
            }
        });
    }
    items.extend(impls);
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
    Account:
      type: object
      required: [holder, number]
      properties:
        holder: {type: string}
        number: {type: string, pattern: "^[0-9]+$", x-sensitive: true}
"#;

    #[test]
    fn a_sensitive_field_prints_redacted_in_its_struct() {
        expect![[r#"
            ///`Account`
            #[derive(Clone, PartialEq)]
            pub struct Account {
                /// The `holder` field.
                pub holder: ::std::string::String,
                /// The `number` field.
                pub number: AccountNumber,
            }
            ::finapi_runtime::deserialize_struct!(
                Account, "struct Account with 2 elements", false, { 0 holder : ::std::string::String
                = "holder" value absent(::std::option::Option::None), 1 number : AccountNumber =
                "number" value absent(::std::option::Option::None) }
            );
            ::finapi_runtime::serialize_struct!(
                Account, { 0 holder = "holder", 1 number = "number" }
            );
            impl ::std::fmt::Debug for Account {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("Account")
                        .field("holder", &self.holder)
                        .field("number", &::finapi_runtime::Redacted)
                        .finish()
                }
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["types", "Account"]));
    }

    #[test]
    fn a_sensitive_fields_newtype_prints_redacted_alone() {
        let code = item(&generate(SPEC), &["types", "AccountNumber"]);
        let debug = code
            .split("impl ::std::fmt::Debug for AccountNumber")
            .nth(1)
            .expect("a Debug impl of its own");
        assert!(debug.contains("::finapi_runtime::Redacted"), "{code}");
    }
}
