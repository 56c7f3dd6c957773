//! typify's types: every public field and variant gets a doc.

use syn::visit_mut::VisitMut;

use crate::syntax::*;

/// Gives every public field and variant of the generated types a doc: the spec's name for
/// it, where the spec has no description (typify documents those that have one).
// Invariant (every public item has rustdoc): fields and variants the spec leaves undescribed
// are documented with their wire names.
pub(super) struct DocumentTypes;

impl VisitMut for DocumentTypes {
    // typify defines no type inside an impl block or a function: their bodies are not walked.
    fn visit_item_impl_mut(&mut self, _: &mut syn::ItemImpl) {}

    fn visit_item_fn_mut(&mut self, _: &mut syn::ItemFn) {}

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        if let (Some(ident), syn::Visibility::Public(_)) = (&field.ident, &field.vis)
            && !has_doc(&field.attrs)
        {
            let text = format!(" The `{}` field.", wire_name(&field.attrs, ident));
            field.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
        }
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        if !has_doc(&variant.attrs) {
            let text = match &variant.fields {
                syn::Fields::Unit => format!(" `{}`", wire_name(&variant.attrs, &variant.ident)),
                _ => format!(" The `{}` shape.", variant.ident),
            };
            variant.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
        }
        // A struct variant's fields are as public as the enum, without `pub`.
        if let syn::Fields::Named(fields) = &mut variant.fields {
            for field in &mut fields.named {
                if let Some(ident) = &field.ident
                    && !has_doc(&field.attrs)
                {
                    let text = format!(" The `{}` field.", wire_name(&field.attrs, ident));
                    field.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
                }
            }
        }
        syn::visit_mut::visit_variant_mut(self, variant);
    }
}
