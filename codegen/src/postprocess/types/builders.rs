//! Builders of request bodies: every struct a request body reaches (the body's own type, the
//! structs its fields and union variants hold, down) gets `Type::builder()`, a setter per
//! field that takes anything converting into the field's type, and `build()`, whose error
//! names the field (`finapi_runtime::body_builder!`, one call per type, in
//! `types::builders`). Struct literals keep working: the fields stay public.
//!
//! Runs after the features pass: a builder carries its type's `#[cfg(feature = ..)]`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Item;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use crate::syntax::{option_inner, wrapped_inner};

/// The field a builder keeps its first failure in: a struct with a field of that name (or
/// one named like `build`, the builder's last call) gets no builder.
const RESERVED: [&str; 2] = ["build", "error"];

/// Adds `pub mod builders` to the `types` module of `file` (inside `mod raw`), with a builder
/// for each struct reachable from `roots` (the names of request body types); returns the
/// structs that have one.
pub(in crate::postprocess) fn add(
    file: &mut syn::File,
    roots: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut built = BTreeSet::new();
    let Some(items) = super::assembled_items_mut(file) else {
        return built;
    };
    let names: BTreeSet<String> = items.iter().filter_map(defined).collect();
    let by_name: BTreeMap<String, &Item> = items
        .iter()
        .filter_map(|i| Some((defined(i)?, i)))
        .collect();
    // Every struct and enum a body reaches.
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = roots
        .iter()
        .filter(|r| names.contains(*r))
        .cloned()
        .collect();
    while let Some(name) = stack.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(item) = by_name.get(&name) {
            let mut found = Mentions {
                names: &names,
                found: BTreeSet::new(),
            };
            found.visit_item(item);
            stack.extend(found.found.into_iter().filter(|n| !reached.contains(n)));
        }
    }
    let calls: Vec<TokenStream> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if reached.contains(&s.ident.to_string()) => {
                let call = builder(s, &names)?;
                built.insert(s.ident.to_string());
                Some(call)
            }
            _ => None,
        })
        .collect();
    if calls.is_empty() {
        return built;
    }
    let module: Item = syn::parse_quote! {
        /// Builders of the request bodies' types: `types::Name::builder()`, a setter per field
        /// (taking anything that converts into the field's type: a `&str` for a constrained
        /// string, a nested builder for a nested object, the value itself for an optional
        /// field, any iterator for a list), then `build()`, whose error names the field.
        pub mod builders {
            #(#calls)*
        }
    };
    items.push(module);
    built
}

/// The name an item of the types module defines (modules too: `defaults`).
fn defined(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Mod(m) => Some(m.ident.to_string()),
        _ => None,
    }
}

/// The names of the types module an item mentions.
struct Mentions<'a> {
    names: &'a BTreeSet<String>,
    found: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Mentions<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(first) = path.segments.first()
            && path.leading_colon.is_none()
            && self.names.contains(&first.ident.to_string())
        {
            self.found.insert(first.ident.to_string());
        }
        syn::visit::visit_path(self, path);
    }
}

/// Paths that name an item of the types module, seen from `types::builders`: `super::Name`.
struct FromBuilders<'a> {
    names: &'a BTreeSet<String>,
}

impl VisitMut for FromBuilders<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path
                .segments
                .first()
                .is_some_and(|s| self.names.contains(&s.ident.to_string()))
        {
            path.segments
                .insert(0, syn::PathSegment::from(format_ident!("super")));
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// How serde fills a field that is absent: `None` where it is required.
enum Absent {
    Required,
    Default,
    From(syn::ExprPath),
}

/// A field's `#[serde(default ..)]` / `#[serde(flatten)]`.
fn absent(field: &syn::Field) -> Absent {
    let mut out = Absent::Required;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                out = match meta.value() {
                    Ok(value) => {
                        let text: syn::LitStr = value.parse()?;
                        match text.parse::<syn::ExprPath>() {
                            Ok(path) => Absent::From(path),
                            Err(_) => Absent::Default,
                        }
                    }
                    Err(_) => Absent::Default,
                };
            } else if meta.path.is_ident("flatten") {
                out = Absent::Default;
            } else if meta.input.peek(syn::Token![=]) {
                // `rename = ".."`, `skip_serializing_if = ".."`, ...: skip the value.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    out
}

/// Whether a builder needs the field set: not an `Option`, no serde default, not flattened.
pub(in crate::postprocess) fn required(field: &syn::Field) -> bool {
    option_inner(&field.ty).is_none() && matches!(absent(field), Absent::Required)
}

/// One struct's `body_builder!` call, or `None` where it cannot have one (not named fields,
/// generics, a reserved field name).
fn builder(s: &syn::ItemStruct, names: &BTreeSet<String>) -> Option<TokenStream> {
    let syn::Fields::Named(fields) = &s.fields else {
        return None;
    };
    if !s.generics.params.is_empty() || fields.named.is_empty() {
        return None;
    }
    let mut rows = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref()?;
        if RESERVED.contains(&ident.to_string().as_str())
            || !matches!(field.vis, syn::Visibility::Public(_))
        {
            return None;
        }
        let mut ty = field.ty.clone();
        FromBuilders { names }.visit_type_mut(&mut ty);
        let (presence, value) = match option_inner(&ty) {
            Some(inner) => (quote!(optional), inner),
            None => match absent(field) {
                Absent::Required => (quote!(required), ty),
                Absent::Default => (quote!(default), ty),
                Absent::From(mut path) => {
                    FromBuilders { names }.visit_expr_path_mut(&mut path);
                    (quote!(default(#path)), ty)
                }
            },
        };
        let (kind, item) = match wrapped_inner(&value, "Vec") {
            Some(item) => (quote!(list), item),
            None => (quote!(one), value),
        };
        rows.push(quote!(#ident: #presence #kind(#item)));
    }
    let cfgs = s.attrs.iter().filter(|a| a.path().is_ident("cfg"));
    let name = &s.ident;
    Some(quote! {
        ::finapi_runtime::body_builder!(#(#cfgs)* super::#name => #name { #(#rows),* });
    })
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::generate;

    const SPEC: &str = r##"
paths:
  /payments:
    post:
      operationId: createPayment
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Payment"}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Receipt"}}}}
components:
  schemas:
    Payment:
      type: object
      required: [amount, payee]
      properties:
        amount: {type: integer, minimum: 1}
        payee: {$ref: "#/components/schemas/Payee"}
        tags: {type: array, items: {type: string, maxLength: 8}}
        retries: {type: integer, default: 3}
        memo: {type: string}
        odd: {$ref: "#/components/schemas/Odd"}
    Payee:
      type: object
      required: [iban]
      properties:
        iban: {type: string, pattern: "^[A-Z]{2}[0-9]{2}"}
    Receipt:
      type: object
      required: [id]
      properties:
        id: {type: string}
    Odd:
      type: object
      required: [build]
      properties:
        build: {type: string}
"##;

    #[test]
    fn every_struct_a_request_body_reaches_gets_a_builder_and_no_other() {
        let files = generate(SPEC);
        let code = &files.files[std::path::Path::new("src/generated.rs")];
        let module = code
            .split("pub mod builders {")
            .nth(1)
            .and_then(|m| m.split("\n        }\n").next())
            .expect("a builders module")
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n");
        expect![[r#"

            ::finapi_runtime::body_builder!(
            super::Payee => Payee { iban : required one(super::PayeeIban) }
            );
            ::finapi_runtime::body_builder!(
            super::Payment => Payment { amount : required
            one(::std::num::NonZeroU64), memo : optional one(::std::string::String),
            odd : optional one(super::Odd), payee : required one(super::Payee),
            retries : default(super::defaults::default_u64:: < i64, 3 >) one(i64),
            tags : default list(super::PaymentTagsItem) }
            );"#]]
        .assert_eq(&module);
        // A response's type has none, nor a struct with a field named as a builder's method
        // (its literal still works).
        assert!(!module.contains("Receipt"));
        assert!(!module.contains("Odd =>"));
    }
}
