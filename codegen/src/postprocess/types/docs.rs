//! typify's types: every public field and variant gets a doc.

use syn::Item;

use crate::syntax::*;

/// Gives every public field and variant of the generated types a doc: the spec's name for
/// it, where the spec has no description (typify documents those that have one). Only the
/// items are walked, not their types or bodies: typify defines no type inside another item
/// but a module.
// Invariant (every public item has rustdoc): fields and variants the spec leaves undescribed
// are documented with their wire names.
pub(super) fn document_types(items: &mut [Item]) {
    for item in items {
        match item {
            Item::Struct(s) => {
                for field in s.fields.iter_mut() {
                    if let syn::Visibility::Public(_) = field.vis {
                        document_field(field);
                    }
                }
            }
            Item::Enum(e) => e.variants.iter_mut().for_each(document_variant),
            Item::Mod(m) => {
                if let Some((_, items)) = m.content.as_mut() {
                    document_types(items);
                }
            }
            _ => {}
        }
    }
}

/// A named field without a doc gets its wire name's.
fn document_field(field: &mut syn::Field) {
    if let Some(ident) = &field.ident
        && !has_doc(&field.attrs)
    {
        let text = format!(" The `{}` field.", wire_name(&field.attrs, ident));
        field.attrs.insert(0, doc_attr(&text));
    }
}

fn document_variant(variant: &mut syn::Variant) {
    if !has_doc(&variant.attrs) {
        let text = match &variant.fields {
            syn::Fields::Unit => format!(" `{}`", wire_name(&variant.attrs, &variant.ident)),
            _ => format!(" The `{}` shape.", variant.ident),
        };
        variant.attrs.insert(0, doc_attr(&text));
    }
    // A struct variant's fields are as public as the enum, without `pub`.
    if let syn::Fields::Named(fields) = &mut variant.fields {
        fields.named.iter_mut().for_each(document_field);
    }
}
