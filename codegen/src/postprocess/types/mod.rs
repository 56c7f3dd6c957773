//! Pass 2 of post-process, typify's types (the `types` module progenitor generated): string
//! enums opened, constrained strings' conversions made one macro call, sensitive fields
//! redacted, `null` lists and maps tolerated, constrained strings of one shape shared, structs
//! encoded and decoded through the runtime's compact `Serialize` and `Deserialize`, every
//! public field and variant documented.

pub(super) mod builders;
mod constrained;
mod docs;
mod nulls;
mod open_enums;
mod redaction;
pub(super) mod serde_structs;
mod shared;
mod unions;

use std::collections::BTreeSet;
use std::path::Path;

use syn::Item;
use syn::visit_mut::VisitMut;

use crate::error::Result;
use crate::model::Model;

/// Runs the passes over the `types` module; returns the names of the types it holds.
pub(super) fn process(raw: &mut syn::File, model: &Model, file: &Path) -> Result<BTreeSet<String>> {
    let at = crate::error::At::new(file, "");
    let mut types = BTreeSet::new();
    for item in &mut raw.items {
        let Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        if let Some((_, items)) = m.content.as_mut() {
            let tags = unions::tag_unions(items, &model.discriminated, at)?;
            open_enums::open_enums(items, &model.type_pointers, &tags, at)?;
            constrained::constrained_strings(items);
            super::items::materialize(items)
                .map_err(|e| at.error(format!("progenitor's output does not parse: {e}")))?;
            constrained::plain_strings_from_str(items);
            constrained::drop_vacuous_checks(items);
            redaction::redact_sensitive(items, &model.sensitive, &model.type_pointers, at)?;
            nulls::tolerate_nulls(items);
            shared::share_constrained_strings(items);
            serde_structs::compact_serde(items);
        }
        docs::DocumentTypes.visit_item_mod_mut(m);
        for i in m.content.iter().flat_map(|(_, items)| items) {
            match i {
                Item::Struct(s) => types.insert(s.ident.to_string()),
                Item::Enum(e) => types.insert(e.ident.to_string()),
                Item::Type(t) => types.insert(t.ident.to_string()),
                _ => false,
            };
        }
    }
    Ok(types)
}

/// The `types` module's items, in progenitor's file (`raw`, before assembly).
pub(super) fn items(raw: &syn::File) -> &[Item] {
    raw.items
        .iter()
        .find_map(|i| match i {
            Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .unwrap_or_default()
}

/// The `types` module's items, in the assembled file (inside `mod raw`).
pub(super) fn assembled_items(file: &syn::File) -> &[Item] {
    file.items
        .iter()
        .find_map(|i| match i {
            Item::Mod(m) if m.ident == "raw" => m.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .and_then(|raw| {
            raw.iter().find_map(|i| match i {
                Item::Mod(m) if m.ident == "types" => {
                    m.content.as_ref().map(|(_, items)| &items[..])
                }
                _ => None,
            })
        })
        .unwrap_or_default()
}
