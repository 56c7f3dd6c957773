//! Reading a field of a response through the generated types: a declared dotted path (wire
//! names) becomes Rust statements that walk typify's structs, through `Option`s and `Box`es,
//! to the field, and the field's type. What pagination builds a page's `PageInfo` and its
//! items from, and what a waiter reads a resource's state with.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Fields, Item, Type};

use crate::error::At;
use crate::error::Result;
use crate::syntax::type_index::{TypeIndex, generated_name, segment};
use crate::syntax::wire_name;

/// The steps from a value to one of its fields, and the field's type.
pub(crate) struct Walk {
    /// Statements over `v`: each rebinds `v` one step further (`?` where a step is optional,
    /// so they run inside a closure that returns an `Option`).
    pub(crate) steps: Vec<TokenStream>,
    /// The type `v` has after the steps (without `Option` or `Box`).
    pub(crate) ty: Type,
}

/// How the walk holds the value: by reference (reading a page) or by value (taking its items
/// out).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hold {
    Borrow,
    Own,
}

/// Walks `path` (wire names) from a value of type `ty` (bound to `v`); an error at `at` where
/// the path does not exist in the generated types.
pub(crate) fn walk(
    types: &TypeIndex,
    ty: &Type,
    path: &[String],
    hold: Hold,
    at: At<'_>,
) -> Result<Walk> {
    let mut steps = Vec::new();
    let mut ty = unwrap(types, ty, hold, &mut steps);
    for name in path {
        let field = field(types, &ty, name).ok_or_else(|| {
            at.error(format!(
                "the response has no field {name:?} here (in {})",
                show(&ty)
            ))
        })?;
        let ident = field.ident.clone().unwrap_or_else(|| format_ident!("_"));
        steps.push(match hold {
            Hold::Borrow => quote!(let v = &v.#ident;),
            Hold::Own => quote!(let v = v.#ident;),
        });
        ty = unwrap(types, &field.ty, hold, &mut steps);
    }
    Ok(Walk { steps, ty })
}

/// The type inside `Option`s, `Box`es and type aliases; steps that go inside them.
fn unwrap(types: &TypeIndex, ty: &Type, hold: Hold, steps: &mut Vec<TokenStream>) -> Type {
    let mut ty = ty.clone();
    loop {
        if let Some(alias) = generated_name(&ty, types).and_then(|n| match types.get(&n) {
            Some(Item::Type(t)) => Some((*t.ty).clone()),
            _ => None,
        }) {
            ty = alias;
            continue;
        }
        let Some((name, args)) = segment(&ty) else {
            return ty;
        };
        let inner = match (name.as_str(), args.first()) {
            ("Option", Some(inner)) => {
                steps.push(match hold {
                    Hold::Borrow => quote!(let v = v.as_ref()?;),
                    Hold::Own => quote!(let v = v?;),
                });
                (*inner).clone()
            }
            ("Box", Some(inner)) => {
                steps.push(match hold {
                    Hold::Borrow => quote!(let v = &**v;),
                    Hold::Own => quote!(let v = *v;),
                });
                (*inner).clone()
            }
            _ => return ty,
        };
        ty = inner;
    }
}

/// The field of the generated struct `ty` whose wire name is `name`.
fn field(types: &TypeIndex, ty: &Type, name: &str) -> Option<syn::Field> {
    let Item::Struct(s) = types.get(&generated_name(ty, types)?)? else {
        return None;
    };
    let Fields::Named(fields) = &s.fields else {
        return None;
    };
    fields
        .named
        .iter()
        .find(|f| {
            f.ident
                .as_ref()
                .is_some_and(|i| wire_name(&f.attrs, i) == name)
        })
        .cloned()
}

/// The element type of a list: `Vec<T>`, or a generated newtype around one (then with the
/// step into it).
pub(crate) fn list_element(types: &TypeIndex, ty: &Type) -> Option<(Type, Option<TokenStream>)> {
    if let Some((name, args)) = segment(ty)
        && name == "Vec"
    {
        return Some(((*args.first()?).clone(), None));
    }
    let Item::Struct(s) = types.get(&generated_name(ty, types)?)? else {
        return None;
    };
    let Fields::Unnamed(fields) = &s.fields else {
        return None;
    };
    let [inner] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let (element, _) = list_element(types, &inner.ty)?;
    Some((element, Some(quote!(.0))))
}

/// What kind of value a field holds, for reading it into a `PageInfo`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Leaf {
    /// `String`, or a generated newtype around one: `as_str()`.
    Text,
    /// A number: `Number::to_u64`.
    Number,
    /// `bool`.
    Bool,
    /// Anything else with a `Display` (a UUID, a generated enum): `to_string()`.
    Display,
}

/// The kind of value of type `ty`.
pub(crate) fn leaf(types: &TypeIndex, ty: &Type) -> Leaf {
    const NUMBERS: &[&str] = &[
        "i8",
        "i16",
        "i32",
        "i64",
        "u8",
        "u16",
        "u32",
        "u64",
        "usize",
        "isize",
        "f32",
        "f64",
        "NonZeroU32",
        "NonZeroU64",
        "NonZeroI32",
        "NonZeroI64",
    ];
    let Some((name, _)) = segment(ty) else {
        return Leaf::Display;
    };
    if name == "String" {
        return Leaf::Text;
    }
    if name == "bool" {
        return Leaf::Bool;
    }
    if NUMBERS.contains(&name.as_str()) {
        return Leaf::Number;
    }
    match generated_name(ty, types).and_then(|n| types.get(&n)) {
        Some(Item::Struct(s)) if matches!(&s.fields, Fields::Unnamed(f) if f.unnamed.len() == 1) => {
            match &s.fields {
                Fields::Unnamed(f) => match leaf(types, &f.unnamed[0].ty) {
                    Leaf::Text => Leaf::Text,
                    _ => Leaf::Display,
                },
                _ => Leaf::Display,
            }
        }
        _ => Leaf::Display,
    }
}

/// `ty` as code outside the `types` module names it: a generated type `Foo` (as typify writes
/// it inside the module) becomes `types::Foo`, also inside generics.
pub(crate) fn qualify(types: &TypeIndex, ty: &Type) -> Type {
    struct Qualify<'a>(&'a TypeIndex<'a>);
    impl VisitMut for Qualify<'_> {
        fn visit_type_path_mut(&mut self, p: &mut syn::TypePath) {
            syn::visit_mut::visit_type_path_mut(self, p);
            let bare =
                p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1;
            if bare && self.0.get(&p.path.segments[0].ident.to_string()).is_some() {
                p.path.segments.insert(0, format_ident!("types").into());
            }
        }
    }
    let mut ty = ty.clone();
    Qualify(types).visit_type_mut(&mut ty);
    ty
}

/// A type as the spec's reader would name it, for errors.
fn show(ty: &Type) -> String {
    segment(ty).map_or_else(|| quote!(#ty).to_string(), |(name, _)| name)
}
