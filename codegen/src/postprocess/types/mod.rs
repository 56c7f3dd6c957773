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
        if let Some((_, items)) = m.content.as_mut() {
            docs::document_types(items);
        }
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
    module(&raw.items, "types").map_or(&[], |items| &items[..])
}

/// The `types` module's items, in the assembled file (inside `mod raw`).
pub(super) fn assembled_items(file: &syn::File) -> &[Item] {
    module(&file.items, "raw")
        .and_then(|raw| module(raw, "types"))
        .map_or(&[], |items| &items[..])
}

/// [`assembled_items`], to change them.
pub(super) fn assembled_items_mut(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    module_mut(&mut file.items, "raw").and_then(|raw| module_mut(raw, "types"))
}

/// The items of the inline module `name` among `items`.
fn module<'a>(items: &'a [Item], name: &str) -> Option<&'a Vec<Item>> {
    items.iter().find_map(|i| match i {
        Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// [`module`], to change them.
fn module_mut<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|i| match i {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}
