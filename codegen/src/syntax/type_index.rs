//! What post-process knows of typify's types after its passes: every generated type by name
//! (for the examples' values and the paginators' field access), and how a Rust type names one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use syn::{GenericArgument, Item, PathArguments, Type};

use crate::error::{At, Result};
use crate::syntax::derives;

/// What post-process needs to know of typify's types: each by name, and which have a
/// `Default` or a `FromStr`. It borrows the `types` module's items: it is built where it is
/// read (before the typed layer, and again for the examples), not copied.
#[derive(Debug, Default)]
pub(crate) struct TypeIndex<'a> {
    items: BTreeMap<String, &'a Item>,
    defaults: BTreeSet<String>,
    from_str: BTreeSet<String>,
}

impl<'a> TypeIndex<'a> {
    /// The index of a `types` module's items.
    pub(crate) fn new(items: &'a [Item]) -> Self {
        let mut index = TypeIndex::default();
        for item in items {
            match item {
                Item::Struct(s) => {
                    if derives(&s.attrs).iter().any(|d| d == "Default") {
                        index.defaults.insert(s.ident.to_string());
                    }
                    index.items.insert(s.ident.to_string(), item);
                }
                Item::Enum(e) => {
                    index.items.insert(e.ident.to_string(), item);
                }
                Item::Type(t) => {
                    index.items.insert(t.ident.to_string(), item);
                }
                Item::Impl(imp) => {
                    let target = crate::syntax::impl_target(imp);
                    let trait_ = crate::syntax::impl_trait(imp);
                    if let (Some(target), Some(trait_)) = (target, trait_) {
                        match trait_.as_str() {
                            "Default" => index.defaults.insert(target),
                            "FromStr" => index.from_str.insert(target),
                            _ => false,
                        };
                    }
                }
                // `open_enum!(Name { .. })` writes the open enum's `FromStr`.
                Item::Macro(m)
                    if m.mac
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "open_enum") =>
                {
                    if let Some(proc_macro2::TokenTree::Ident(name)) =
                        m.mac.tokens.clone().into_iter().next()
                    {
                        index.from_str.insert(name.to_string());
                    }
                }
                _ => {}
            }
        }
        index
    }

    /// The generated type `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&'a Item> {
        self.items.get(name).copied()
    }

    /// Whether the generated type `name` has a `Default`.
    pub(crate) fn has_default(&self, name: &str) -> bool {
        self.defaults.contains(name)
    }

    /// Whether the generated type `name` has a `FromStr`.
    pub(crate) fn is_from_str(&self, name: &str) -> bool {
        self.from_str.contains(name)
    }
}

/// The last segment of a type's path: its name and its generic types.
pub(crate) fn segment(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let args = match &last.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

/// The name of a generated type `ty` names: `Account`, or `<crate>::types::Account` (a bare
/// one-segment path inside the `types` module, a path through `types` outside it). Library
/// types are written with their crates' paths (`::chrono::DateTime`, `::std::string::String`).
pub(crate) fn generated_name(ty: &Type, types: &TypeIndex<'_>) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    let segments = &p.path.segments;
    let name = segments.last()?.ident.to_string();
    let ours = (p.path.leading_colon.is_none() && segments.len() == 1)
        || segments.iter().any(|s| s.ident == "types");
    (ours && types.items.contains_key(&name)).then_some(name)
}

/// The types typify generated, for naming response bodies; errors are located at `at`.
pub(crate) struct Types<'a> {
    names: &'a BTreeSet<String>,
    file: &'a Path,
    pointer: &'a str,
}

impl<'a> Types<'a> {
    /// The types typify generated (`names`); errors located at `pointer` of `file`.
    pub(crate) fn new(names: &'a BTreeSet<String>, file: &'a Path, pointer: &'a str) -> Self {
        Self {
            names,
            file,
            pointer,
        }
    }

    /// Where errors are located.
    pub(crate) fn at(&self) -> At<'_> {
        At::new(self.file, self.pointer)
    }

    /// The Rust type of a JSON body, checked against what typify generated.
    pub(crate) fn body(&self, name: &str) -> Result<TokenStream> {
        if name.starts_with("::") {
            return syn::parse_str::<syn::Type>(name)
                .map(|t| quote!(#t))
                .map_err(|e| self.at().error(format!("bad type {name}: {e}")));
        }
        if !self.names.contains(name) {
            return Err(self.at().error(format!(
                "typify generated no type `{name}` for a response body"
            )));
        }
        let ident = format_ident!("{}", name);
        Ok(quote!(types::#ident))
    }
}
