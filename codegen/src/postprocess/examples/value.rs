//! A spec's example (JSON) written as a Rust value of the generated types: a request body's
//! structs through their builders (`types::Name::builder().field(..)...build()?`, a setter's
//! argument as plain as it converts: `"text"` for a constrained string or a UUID, a nested
//! builder, `[..]` for a list), other structs as literals (with `..Default::default()` where
//! the type has a default), enum variants by name, a oneOf through its variant, dates and
//! numbers as typed literals. What an example or the quickstart passes to a method, so that a
//! reader sees the types, not a JSON string. Paths are `types::Name`: the code around it
//! imports the crate's `types`.
//!
//! [`Render::value`] gives `None` where it cannot write the example as the type (a shape it does
//! not know, a required field the example lacks): the caller falls back to [`Render::minimal`],
//! the smallest value of the type.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{Fields, Item, Type};

use crate::syntax::type_index::{TypeIndex, generated_name, segment};
use crate::syntax::{serde_flag, serde_value, wire_name};

/// Writes values of the generated types of the crate `krate`.
pub(crate) struct Render<'a> {
    pub(crate) types: &'a TypeIndex<'a>,
    pub(crate) krate: &'a syn::Ident,
    /// The generated types whose smallest value is being written: one met again holds
    /// itself (a required field of its own type), and has no smallest value.
    pub(crate) writing: std::cell::RefCell<Vec<String>>,
    /// The structs with a builder (`types::builders`).
    pub(crate) builders: &'a BTreeSet<String>,
    /// Builders set the required fields only (the quickstart: the shortest real call).
    pub(crate) required_only: bool,
}

/// Whether `text` is a UUID in its hyphenated form (what `uuid::uuid!` takes).
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

const INTEGERS: [&str; 12] = [
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
];

impl Render<'_> {
    /// A generated type, by its name.
    fn generated(&self, name: &str) -> Option<&Item> {
        self.types.get(name)
    }

    /// The path of a generated type, from code that imports the crate's `types`.
    fn path(&self, name: &str) -> TokenStream {
        let ident = format_ident!("{}", name);
        quote!(types::#ident)
    }

    /// A type of the types module (whose own names are bare) as code outside it writes it.
    fn outside(&self, ty: &Type) -> Type {
        struct Outside<'b>(&'b TypeIndex<'b>);
        impl syn::visit_mut::VisitMut for Outside<'_> {
            fn visit_path_mut(&mut self, path: &mut syn::Path) {
                if path.leading_colon.is_none()
                    && path.segments.len() == 1
                    && self.0.get(&path.segments[0].ident.to_string()).is_some()
                {
                    path.segments
                        .insert(0, syn::PathSegment::from(format_ident!("types")));
                }
                syn::visit_mut::visit_path_mut(self, path);
            }
        }
        let mut ty = ty.clone();
        syn::visit_mut::VisitMut::visit_type_mut(&mut Outside(self.types), &mut ty);
        ty
    }

    /// A builder of the struct `name` with the fields `map` gives (`null`s left out) and the
    /// required ones it does not, at their smallest values; `None` where a required field has
    /// no value to write.
    fn builder_chain(
        &self,
        name: &str,
        fields: &syn::FieldsNamed,
        map: &serde_json::Map<String, Value>,
    ) -> Option<TokenStream> {
        let path = self.path(name);
        let mut calls = Vec::new();
        let required = crate::postprocess::types::builders::required;
        // A type without required fields is shown with what the example gives it.
        let required_only = self.required_only && fields.named.iter().any(required);
        for field in &fields.named {
            let ident = field.ident.as_ref()?;
            if serde_flag(&field.attrs, "flatten") {
                continue;
            }
            let required = required(field);
            if required_only && !required {
                continue;
            }
            let arg = match map.get(&wire_name(&field.attrs, ident)) {
                Some(v) if !v.is_null() => self.setter_value(&field.ty, v)?,
                _ if required => self.setter_minimal(&field.ty)?,
                _ => continue,
            };
            calls.push(quote!(.#ident(#arg)));
        }
        Some(quote!(#path::builder() #(#calls)*))
    }

    /// What a builder's setter for a field of type `ty` is given for `json`: the plainest
    /// value that converts into it.
    fn setter_value(&self, ty: &Type, json: &Value) -> Option<TokenStream> {
        if let Some(name) = generated_name(ty, self.types) {
            return match (self.generated(&name)?, json) {
                (Item::Struct(s), Value::Object(map)) if self.builders.contains(&name) => {
                    let Fields::Named(fields) = &s.fields else {
                        return None;
                    };
                    self.builder_chain(&name, fields, map)
                }
                // A string newtype: `From<&str>` or (constrained) `TryFrom<&str>`.
                (Item::Struct(s), Value::String(text))
                    if matches!(&s.fields, Fields::Unnamed(f) if f.unnamed.len() == 1
                        && segment(&f.unnamed[0].ty).is_some_and(|(n, _)| n == "String")) =>
                {
                    Some(quote!(#text))
                }
                (Item::Type(t), _) => self.setter_value(&t.ty, json),
                _ => self.value(ty, json),
            };
        }
        let (name, args) = segment(ty)?;
        match (name.as_str(), json) {
            ("Option", _) => self.setter_value(args.first()?, json),
            ("Vec", Value::Array(items)) if items.is_empty() => {
                let item = self.outside(args.first()?);
                Some(quote!(::std::vec::Vec::<#item>::new()))
            }
            ("Vec", Value::Array(items)) => {
                let item = args.first()?;
                let items = items
                    .iter()
                    .map(|i| self.setter_value(item, i))
                    .collect::<Option<Vec<_>>>()?;
                Some(quote!([#(#items),*]))
            }
            ("String", Value::String(text)) => Some(quote!(#text)),
            ("Uuid", Value::String(text)) if is_uuid(text) => Some(quote!(#text)),
            ("NonZeroU64" | "NonZeroU32" | "NonZeroI64" | "NonZeroI32", Value::Number(n)) => {
                let int = name.trim_start_matches("NonZero").to_ascii_lowercase();
                typed_integer(n, &int)
            }
            // An integer the default (`i32`) cannot hold, or a float that is not `f64`, says
            // its type.
            (int, Value::Number(n)) if INTEGERS.contains(&int) => {
                match n.as_i64().map(i32::try_from) {
                    Some(Ok(_)) => self.value(ty, json),
                    _ => typed_integer(n, int),
                }
            }
            ("f32", Value::Number(n)) => {
                let lit = Literal::f32_suffixed(n.as_f64()? as f32);
                Some(quote!(#lit))
            }
            // A setter's argument has no type to infer a collection from: the map says its own.
            ("HashMap" | "BTreeMap", Value::Object(map)) => {
                let (key, value) = (args.first()?, args.get(1)?);
                let entries = map
                    .iter()
                    .map(|(k, v)| {
                        let k = self.value(key, &Value::String(k.clone()))?;
                        let v = self.value(value, v)?;
                        Some(quote!((#k, #v)))
                    })
                    .collect::<Option<Vec<_>>>()?;
                let ty = self.outside(ty);
                Some(quote!(<#ty>::from_iter([#(#entries),*])))
            }
            ("Map", Value::Object(map)) => {
                let entries = map.iter().map(|(k, v)| {
                    let v = json_value(v);
                    quote!((#k.to_owned(), #v))
                });
                let ty = self.outside(ty);
                Some(quote!(<#ty>::from_iter([#(#entries),*])))
            }
            _ => self.typed(ty, self.value(ty, json)?),
        }
    }

    /// `expr`, a value of `ty`, written so that it says its type where it would leave it to
    /// inference (`Default::default()`): a setter's argument has none to infer from.
    fn typed(&self, ty: &Type, expr: TokenStream) -> Option<TokenStream> {
        if expr.to_string() != "Default :: default ()" {
            return Some(expr);
        }
        let ty = self.outside(ty);
        Some(match &ty {
            Type::Path(p)
                if p.qself.is_none() && p.path.segments.iter().all(|s| s.arguments.is_empty()) =>
            {
                quote!(#ty::default())
            }
            _ => quote!(<#ty>::default()),
        })
    }

    /// The smallest value a setter for a required field of type `ty` is given.
    fn setter_minimal(&self, ty: &Type) -> Option<TokenStream> {
        if let Some(name) = generated_name(ty, self.types)
            && self.builders.contains(&name)
            && !self.types.has_default(&name)
        {
            if self.writing.borrow().contains(&name) {
                return None;
            }
            let Some(Item::Struct(s)) = self.generated(&name) else {
                return None;
            };
            let Fields::Named(fields) = &s.fields else {
                return None;
            };
            self.writing.borrow_mut().push(name.clone());
            let chain = self.builder_chain(&name, fields, &serde_json::Map::new());
            self.writing.borrow_mut().pop();
            return chain;
        }
        match segment(ty) {
            Some((name, args)) if name == "Vec" => {
                let item = self.outside(args.first()?);
                Some(quote!(::std::vec::Vec::<#item>::new()))
            }
            _ => self.typed(ty, self.minimal(ty)?),
        }
    }

    /// Whether a value of `ty` can be parsed from a string (for overriding it from the
    /// environment).
    pub(crate) fn parses_from_str(&self, ty: &Type) -> bool {
        if let Some(name) = generated_name(ty, self.types) {
            return self.types.is_from_str(&name)
                || matches!(self.generated(&name), Some(Item::Type(t)) if self.parses_from_str(&t.ty));
        }
        match segment(ty) {
            Some((name, _)) => {
                INTEGERS.contains(&name.as_str())
                    || matches!(
                        name.as_str(),
                        "String"
                            | "str"
                            | "bool"
                            | "f32"
                            | "f64"
                            | "Uuid"
                            | "NaiveDate"
                            | "DateTime"
                    )
            }
            None => false,
        }
    }

    /// `json` as a value of `ty`.
    pub(crate) fn value(&self, ty: &Type, json: &Value) -> Option<TokenStream> {
        if let Type::Reference(r) = ty {
            return self.value(&r.elem, json);
        }
        if let Some(name) = generated_name(ty, self.types) {
            return self.generated_value(&name, json);
        }
        let (name, args) = segment(ty)?;
        match (name.as_str(), json) {
            ("Option", Value::Null) => Some(quote!(None)),
            ("Option", _) => {
                let inner = self.value(args.first()?, json)?;
                Some(quote!(Some(#inner)))
            }
            ("Box", _) => {
                let inner = self.value(args.first()?, json)?;
                Some(quote!(Box::new(#inner)))
            }
            ("Vec", Value::Array(items)) => {
                let item = args.first()?;
                let items = items
                    .iter()
                    .map(|i| self.value(item, i))
                    .collect::<Option<Vec<_>>>()?;
                Some(quote!(vec![#(#items),*]))
            }
            ("HashMap" | "BTreeMap", Value::Object(map)) => {
                let (key, value) = (args.first()?, args.get(1)?);
                let entries = map
                    .iter()
                    .map(|(k, v)| {
                        let k = self.value(key, &Value::String(k.clone()))?;
                        let v = self.value(value, v)?;
                        Some(quote!((#k, #v)))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(quote!([#(#entries),*].into_iter().collect()))
            }
            ("Value", _) => Some(json_value(json)),
            ("Map", Value::Object(map)) => {
                let entries = map.iter().map(|(k, v)| {
                    let v = json_value(v);
                    quote!((#k.to_owned(), #v))
                });
                Some(quote!([#(#entries),*].into_iter().collect()))
            }
            ("String", Value::String(s)) => Some(quote!(#s.to_owned())),
            ("str", Value::String(s)) => Some(quote!(#s)),
            ("bool", Value::Bool(b)) => Some(quote!(#b)),
            ("f32" | "f64", Value::Number(n)) => {
                let lit = Literal::f64_unsuffixed(n.as_f64()?);
                Some(quote!(#lit))
            }
            (int, Value::Number(n)) if INTEGERS.contains(&int) => {
                let lit = if let Some(i) = n.as_i64() {
                    Literal::i64_unsuffixed(i)
                } else {
                    Literal::u64_unsuffixed(n.as_u64()?)
                };
                Some(quote!(#lit))
            }
            ("NonZeroU64" | "NonZeroU32" | "NonZeroI64" | "NonZeroI32", Value::Number(n))
                if n.as_i64().is_some_and(|i| i != 0) =>
            {
                let lit = Literal::i64_unsuffixed(n.as_i64()?);
                Some(quote!(#ty::new(#lit).ok_or("zero")?))
            }
            ("Uuid", Value::String(s)) if is_uuid(s) => Some(quote!(::uuid::uuid!(#s))),
            (
                "DateTime" | "NaiveDate" | "NaiveTime" | "NaiveDateTime" | "IpAddr" | "Ipv4Addr"
                | "Ipv6Addr",
                Value::String(s),
            ) => Some(quote!(#s.parse::<#ty>()?)),
            _ => None,
        }
    }

    /// `json` as a value of the generated type `name`.
    fn generated_value(&self, name: &str, json: &Value) -> Option<TokenStream> {
        match self.generated(name)? {
            // An alias of a constrained string (one type per shape): parsed as the alias.
            Item::Type(t) => match (generated_name(&t.ty, self.types), json) {
                (Some(target), Value::String(s)) if self.types.is_from_str(&target) => {
                    let path = self.path(name);
                    Some(quote!(#s.parse::<#path>()?))
                }
                _ => self.value(&t.ty, json),
            },
            Item::Struct(s) => match (&s.fields, json) {
                (Fields::Named(fields), Value::Object(map)) if self.builders.contains(name) => {
                    let chain = self.builder_chain(name, fields, map)?;
                    Some(quote!(#chain.build()?))
                }
                (Fields::Named(fields), Value::Object(map)) => {
                    self.struct_literal(name, fields, map, None)
                }
                (Fields::Unnamed(_), Value::String(s)) if self.types.is_from_str(name) => {
                    let path = self.path(name);
                    Some(quote!(#s.parse::<#path>()?))
                }
                (Fields::Unnamed(f), _) if f.unnamed.len() == 1 => {
                    let public = matches!(f.unnamed[0].vis, syn::Visibility::Public(_));
                    let inner = self.value(&f.unnamed[0].ty, json)?;
                    let path = self.path(name);
                    public.then(|| quote!(#path(#inner)))
                }
                _ => None,
            },
            Item::Enum(e) => self.enum_value(name, e, json),
            _ => None,
        }
    }

    /// A struct literal of `name` from a JSON object: the fields the example gives, the others
    /// by `..Default::default()` where the type has a default, else their smallest values.
    /// `extra`: a variant's path, for an enum's struct variant.
    fn struct_literal(
        &self,
        name: &str,
        fields: &syn::FieldsNamed,
        map: &serde_json::Map<String, Value>,
        variant: Option<TokenStream>,
    ) -> Option<TokenStream> {
        let mut set = Vec::new();
        let mut missing = Vec::new();
        for field in &fields.named {
            let ident = field.ident.as_ref()?;
            if serde_flag(&field.attrs, "flatten") {
                missing.push((ident, &field.ty));
                continue;
            }
            match map.get(&wire_name(&field.attrs, ident)) {
                Some(v) => {
                    let value = self.value(&field.ty, v)?;
                    set.push(quote!(#ident: #value));
                }
                None => missing.push((ident, &field.ty)),
            }
        }
        let path = variant.unwrap_or_else(|| self.path(name));
        if !missing.is_empty() && self.types.has_default(name) {
            return Some(quote!(#path { #(#set,)* ..Default::default() }));
        }
        for (ident, ty) in missing {
            let value = self.minimal(ty)?;
            set.push(quote!(#ident: #value));
        }
        Some(quote!(#path { #(#set),* }))
    }

    /// `json` as a value of the enum `name`: a string enum's variant by its wire name, a
    /// tagged enum's variant by its tag, an untagged enum's first variant that fits.
    fn enum_value(&self, name: &str, e: &syn::ItemEnum, json: &Value) -> Option<TokenStream> {
        let path = self.path(name);
        if let Value::String(s) = json
            && let Some(v) = e
                .variants
                .iter()
                .find(|v| matches!(v.fields, Fields::Unit) && wire_name(&v.attrs, &v.ident) == *s)
        {
            let ident = &v.ident;
            return Some(quote!(#path::#ident));
        }
        if let Some(tag) = serde_value(&e.attrs, "tag")
            && let Value::Object(map) = json
        {
            let wire = map.get(&tag)?.as_str()?;
            let v = e
                .variants
                .iter()
                .find(|v| wire_name(&v.attrs, &v.ident) == wire)?;
            let ident = &v.ident;
            return match &v.fields {
                Fields::Named(fields) => {
                    let mut rest = map.clone();
                    rest.remove(&tag);
                    self.struct_literal(name, fields, &rest, Some(quote!(#path::#ident)))
                }
                Fields::Unit => Some(quote!(#path::#ident)),
                Fields::Unnamed(_) => None,
            };
        }
        if serde_flag(&e.attrs, "untagged") {
            // The first variant whose type takes the example as it is, keys and all; then the
            // first that takes it at all.
            for strict in [true, false] {
                for v in &e.variants {
                    let ident = &v.ident;
                    match &v.fields {
                        Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                            let ty = &f.unnamed[0].ty;
                            if strict && !self.fits(ty, json) {
                                continue;
                            }
                            if let Some(inner) = self.value(ty, json) {
                                return Some(quote!(#path::#ident(#inner)));
                            }
                        }
                        Fields::Named(fields) => {
                            let Value::Object(map) = json else {
                                continue;
                            };
                            if strict && !fields_fit(fields, map) {
                                continue;
                            }
                            let variant = Some(quote!(#path::#ident));
                            if let Some(literal) = self.struct_literal(name, fields, map, variant) {
                                return Some(literal);
                            }
                        }
                        _ => {}
                    }
                }
            }
            return None;
        }
        // Externally tagged: `{"Variant": ...}`.
        let Value::Object(map) = json else {
            return None;
        };
        let (wire, inner) = map.iter().next().filter(|_| map.len() == 1)?;
        let v = e
            .variants
            .iter()
            .find(|v| wire_name(&v.attrs, &v.ident) == *wire)?;
        let ident = &v.ident;
        match &v.fields {
            Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                let inner = self.value(&f.unnamed[0].ty, inner)?;
                Some(quote!(#path::#ident(#inner)))
            }
            _ => None,
        }
    }

    /// Whether every key of a JSON object is a field of the struct `ty` (for choosing an
    /// untagged enum's variant as serde does: the first that takes the value).
    fn fits(&self, ty: &Type, json: &Value) -> bool {
        let Some((name, _)) = segment(ty) else {
            return false;
        };
        match (self.generated(&name), json) {
            (Some(Item::Struct(s)), Value::Object(map)) => match &s.fields {
                Fields::Named(fields) => fields_fit(fields, map),
                _ => false,
            },
            (Some(Item::Struct(_) | Item::Enum(_)), _) => false,
            _ => true,
        }
    }

    /// The smallest value of `ty`: `None`, empty lists and maps, a default, zero; `None` where
    /// there is no such value to write (a required string with constraints, say).
    pub(crate) fn minimal(&self, ty: &Type) -> Option<TokenStream> {
        if let Some(name) = generated_name(ty, self.types) {
            return self.generated_minimal(&name);
        }
        let (name, args) = segment(ty)?;
        match name.as_str() {
            "Option" => Some(quote!(None)),
            "Vec" => Some(quote!(Vec::new())),
            "HashMap" | "BTreeMap" | "Map" => Some(quote!(Default::default())),
            "Value" => Some(quote!(::serde_json::Value::Null)),
            "String" => Some(quote!(String::new())),
            "bool" => Some(quote!(false)),
            "f32" | "f64" => Some(quote!(0.0)),
            int if INTEGERS.contains(&int) => Some(quote!(0)),
            "Uuid" => Some(quote!(::uuid::Uuid::nil())),
            "DateTime" | "NaiveDate" | "NaiveTime" | "NaiveDateTime" => {
                Some(quote!(Default::default()))
            }
            "Ipv4Addr" => Some(quote!(::std::net::Ipv4Addr::LOCALHOST)),
            "Ipv6Addr" => Some(quote!(::std::net::Ipv6Addr::LOCALHOST)),
            "IpAddr" => Some(quote!(::std::net::IpAddr::V4(
                ::std::net::Ipv4Addr::LOCALHOST
            ))),
            "NonZeroU64" | "NonZeroU32" | "NonZeroI64" | "NonZeroI32" => Some(quote!(#ty::MIN)),
            "Box" => {
                let inner = self.minimal(args.first()?)?;
                Some(quote!(Box::new(#inner)))
            }
            _ => None,
        }
    }

    /// The smallest value of the generated type `name`.
    fn generated_minimal(&self, name: &str) -> Option<TokenStream> {
        if self.types.has_default(name) {
            // A struct with a builder is written so that it says its type (its let has
            // none).
            if self.builders.contains(name) {
                let path = self.path(name);
                return Some(quote!(#path::default()));
            }
            return Some(quote!(Default::default()));
        }
        if self.writing.borrow().iter().any(|n| n == name) {
            return None;
        }
        self.writing.borrow_mut().push(name.to_owned());
        let value = self.generated_minimal_of(name);
        self.writing.borrow_mut().pop();
        value
    }

    fn generated_minimal_of(&self, name: &str) -> Option<TokenStream> {
        match self.generated(name)? {
            Item::Type(t) => self.minimal(&t.ty),
            Item::Struct(s) => match &s.fields {
                Fields::Named(fields) if self.builders.contains(name) => {
                    let chain = self.builder_chain(name, fields, &serde_json::Map::new())?;
                    Some(quote!(#chain.build()?))
                }
                Fields::Named(fields) => {
                    self.struct_literal(name, fields, &serde_json::Map::new(), None)
                }
                _ => None,
            },
            Item::Enum(e) => {
                // A string enum's first value.
                let v = e
                    .variants
                    .iter()
                    .find(|v| matches!(v.fields, Fields::Unit))?;
                let (path, ident) = (self.path(name), &v.ident);
                Some(quote!(#path::#ident))
            }
            _ => None,
        }
    }
}

/// An integer literal with its type's suffix (`5000000000i64`).
fn typed_integer(n: &serde_json::Number, int: &str) -> Option<TokenStream> {
    let text = match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => i.to_string(),
        (_, Some(u)) => u.to_string(),
        _ => return None,
    };
    let lit: Literal = format!("{text}{int}").parse().ok()?;
    Some(quote!(#lit))
}

/// Whether every key of a JSON object is a field of `fields`, by wire name.
fn fields_fit(fields: &syn::FieldsNamed, map: &serde_json::Map<String, Value>) -> bool {
    let wires: BTreeSet<String> = fields
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref().map(|i| wire_name(&f.attrs, i)))
        .collect();
    map.keys().all(|k| wires.contains(k))
}

/// A JSON value as `serde_json::json!(...)`, its strings as Rust string literals.
fn json_value(json: &Value) -> TokenStream {
    fn tokens(json: &Value) -> TokenStream {
        match json {
            Value::Null => quote!(null),
            Value::Bool(b) => quote!(#b),
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => {
                    let lit = Literal::i64_unsuffixed(i);
                    quote!(#lit)
                }
                (_, Some(u), _) => {
                    let lit = Literal::u64_unsuffixed(u);
                    quote!(#lit)
                }
                (_, _, Some(f)) => {
                    let lit = Literal::f64_unsuffixed(f);
                    quote!(#lit)
                }
                _ => quote!(null),
            },
            Value::String(s) => quote!(#s),
            Value::Array(items) => {
                let items = items.iter().map(tokens);
                quote!([#(#items),*])
            }
            Value::Object(map) => {
                let entries = map.iter().map(|(k, v)| {
                    let v = tokens(v);
                    quote!(#k: #v)
                });
                quote!({#(#entries),*})
            }
        }
    }
    let inner = tokens(json);
    quote!(::serde_json::json!(#inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_recognized_by_their_form() {
        assert!(is_uuid("456cb5b6-20dc-4585-97b4-745d013adb1f"));
        assert!(!is_uuid("456cb5b620dc458597b4745d013adb1f"));
        assert!(!is_uuid("string"));
    }
}
