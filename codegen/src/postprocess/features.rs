//! Cargo features per tag: an operation builds only with a feature of one of its tags, and a
//! type only with a feature of a tag whose operations reach it, so that a user who needs a few
//! operations of a large API compiles those and their types. The default feature set
//! (`all-operations`) keeps every operation; operations without tags, and the types that
//! untagged code (the client, webhooks) reaches, are always built.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use syn::Item;
use syn::visit::Visit;

use crate::model::{Features, OperationModel};

/// `#[cfg(any(feature = "a", ..))]` for `op`, or nothing for an untagged one.
pub(crate) fn cfg(features: &Features, op: &OperationModel) -> Option<TokenStream> {
    cfg_any(&features.of(op))
}

fn cfg_any(features: &BTreeSet<String>) -> Option<TokenStream> {
    (!features.is_empty()).then(|| {
        let condition = any(features);
        quote!(#[cfg(#condition)])
    })
}

/// `feature = "a"`, or `any(feature = "a", ..)` for several.
fn any(features: &BTreeSet<String>) -> TokenStream {
    match features.iter().collect::<Vec<_>>().as_slice() {
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    }
}

/// Puts `cfg` on every item of `tokens` (an impl block takes it whole).
pub(crate) fn gate_items(tokens: TokenStream, cfg: Option<&TokenStream>) -> TokenStream {
    let Some(cfg) = cfg else { return tokens };
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => {
            let items = file.items;
            quote!(#(#cfg #items)*)
        }
        // Not items: left for the compiler to report, as without features.
        Err(_) => tokens,
    }
}

/// The generated type names an item mentions (any path segment that names one).
struct Mentions<'a> {
    types: &'a BTreeSet<String>,
    found: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Mentions<'_> {
    // Types only: `Self::Transfer` (a variant) is no mention of a type `Transfer`.
    fn visit_type_path(&mut self, path: &'ast syn::TypePath) {
        for segment in &path.path.segments {
            let name = segment.ident.to_string();
            if self.types.contains(&name) {
                self.found.insert(name);
            }
        }
        syn::visit::visit_type_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `open_enum!(Name { .. })`, `operation_error!(..)`: names in the tokens.
        for token in mac.tokens.clone() {
            if let proc_macro2::TokenTree::Ident(i) = token {
                let name = i.to_string();
                if self.types.contains(&name) {
                    self.found.insert(name);
                }
            }
        }
        syn::visit::visit_macro(self, mac);
    }
}

fn mentions<'a>(
    types: &'a BTreeSet<String>,
    visit: impl FnOnce(&mut Mentions<'a>),
) -> BTreeSet<String> {
    let mut m = Mentions {
        types,
        found: BTreeSet::new(),
    };
    visit(&mut m);
    m.found
}

/// The name an item of the types module defines, if it defines a type.
fn defined(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// Whether an item's attributes hold a `cfg`.
fn cfg_features(attrs: &[syn::Attribute]) -> Option<BTreeSet<String>> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        let mut set = BTreeSet::new();
        // `cfg(feature = "a")` or `cfg(any(feature = "a", ..))`, as `Features::cfg` writes.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("feature") {
                let value: syn::LitStr = meta.value()?.parse()?;
                set.insert(value.value());
                return Ok(());
            }
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("feature") {
                    let value: syn::LitStr = inner.value()?.parse()?;
                    set.insert(value.value());
                }
                Ok(())
            })
        });
        found = Some(set);
    }
    found
}

/// Gates the types module of `file`: each type (and its impls) by the features of the tags
/// whose gated code reaches it, through the types that mention it; a type that ungated code
/// reaches, or that nothing reaches, stays ungated.
// Invariant (a tag's features build alone): every type a gated item mentions is built with
// that item's features.
pub(crate) fn gate_types(file: &mut syn::File) {
    let Some(raw_at) = file
        .items
        .iter()
        .position(|i| matches!(i, Item::Mod(m) if m.ident == "raw" && m.content.is_some()))
    else {
        return;
    };
    let raw_items = match &mut file.items[raw_at] {
        Item::Mod(m) => std::mem::take(&mut m.content.as_mut().expect("inline module").1),
        _ => return,
    };
    let (mut types_mod, others): (Vec<Item>, Vec<Item>) = raw_items
        .into_iter()
        .partition(|i| matches!(i, Item::Mod(m) if m.ident == "types"));
    if let Some(Item::Mod(m)) = types_mod.first_mut()
        && let Some((_, items)) = m.content.as_mut()
    {
        gate_type_items(items, &others, &file.items);
    }
    types_mod.extend(others);
    if let Item::Mod(m) = &mut file.items[raw_at] {
        m.content.as_mut().expect("inline module").1 = types_mod;
    }
}

/// Features that gate whole modules rather than tags' operations.
const NON_TAG: &[&str] = &["mock"];

/// Gates `items`, the types module's, given the raw module's other items and the file's.
fn gate_type_items(items: &mut [Item], others: &[Item], file_items: &[Item]) {
    let names: BTreeSet<String> = items.iter().filter_map(defined).collect();
    // What each type mentions (its fields, variants, aliases).
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in items.iter() {
        if let Some(name) = defined(item) {
            let found = mentions(&names, |m| m.visit_item(item));
            edges.entry(name).or_default().extend(found);
        }
    }
    // Roots: what the code outside the types module mentions, gated or not.
    let mut always: BTreeSet<String> = BTreeSet::new();
    let mut by_feature: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut root = |attrs: &[syn::Attribute], found: BTreeSet<String>| match cfg_features(attrs) {
        Some(features) if !features.is_empty() => {
            for f in features {
                by_feature
                    .entry(f)
                    .or_default()
                    .extend(found.iter().cloned());
            }
        }
        _ => always.extend(found),
    };
    // Each item (an ungated impl's methods, a module's items), with the cfg it is built
    // under, given to `root` with the types it mentions.
    fn roots(
        items: &mut dyn Iterator<Item = &Item>,
        names: &BTreeSet<String>,
        root: &mut dyn FnMut(&[syn::Attribute], BTreeSet<String>),
    ) {
        for item in items {
            match item {
                Item::Impl(imp) if cfg_features(&imp.attrs).is_none() => {
                    // An ungated impl (progenitor's client): each method on its own.
                    for i in &imp.items {
                        match i {
                            syn::ImplItem::Fn(f) => {
                                root(&f.attrs, mentions(names, |m| m.visit_impl_item_fn(f)))
                            }
                            other => {
                                root(&imp.attrs, mentions(names, |m| m.visit_impl_item(other)))
                            }
                        }
                    }
                }
                Item::Mod(m) if m.ident == "raw" => {}
                // A module only non-tag features gate (`mock`): its items, each under its own
                // cfg, are what reach types (each operation's mock is gated as the operation);
                // so are those of a module no cfg gates (`mock::operations`, `testing`).
                Item::Mod(m)
                    if m.content.is_some()
                        && cfg_features(&m.attrs)
                            .is_none_or(|f| f.iter().all(|f| NON_TAG.contains(&f.as_str()))) =>
                {
                    roots(
                        &mut m.content.iter().flat_map(|(_, items)| items),
                        names,
                        root,
                    );
                }
                other => root(item_attrs(other), mentions(names, |m| m.visit_item(other))),
            }
        }
    }
    roots(
        &mut others.iter().chain(file_items.iter()),
        &names,
        &mut root,
    );
    let close = |start: &BTreeSet<String>| {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack: Vec<String> = start.iter().cloned().collect();
        while let Some(n) = stack.pop() {
            if seen.insert(n.clone())
                && let Some(next) = edges.get(&n)
            {
                stack.extend(next.iter().filter(|x| !seen.contains(*x)).cloned());
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> = by_feature
        .iter()
        .map(|(f, roots)| (f, close(roots)))
        .collect();
    // A type no operation reaches stays ungated, and so does all it mentions.
    let mut ungated = always;
    ungated.extend(
        names
            .iter()
            .filter(|n| !reached.values().any(|r| r.contains(*n)))
            .cloned(),
    );
    let always = close(&ungated);
    let mut condition: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (feature, types) in reached {
        for name in types {
            if !always.contains(&name) {
                condition.entry(name).or_default().insert(feature.clone());
            }
        }
    }
    for item in items.iter_mut() {
        gate(item, &names, &condition);
    }
}

/// Puts on `item` the features of the gated types it is or mentions (a nested module: on each
/// of its items).
fn gate(item: &mut Item, names: &BTreeSet<String>, condition: &BTreeMap<String, BTreeSet<String>>) {
    if let Item::Mod(m) = item
        && let Some((_, inner)) = m.content.as_mut()
    {
        for i in inner.iter_mut() {
            gate(i, names, condition);
        }
        return;
    }
    // A type goes by its own condition, an impl by the types its header names (its body's
    // `Self::Variant` paths are no types), an `open_enum!` by its type; anything else by all
    // the types it mentions.
    let own = match item {
        Item::Impl(imp) => Some(mentions(names, |m| {
            m.visit_type(&imp.self_ty);
            if let Some((path, _)) = &imp.trait_ {
                m.visit_path(path);
            }
        })),
        Item::Macro(_) => Some(mentions(names, |m| m.visit_item(item))),
        _ => defined(item).map(|name| BTreeSet::from([name])),
    };
    let needed: Vec<&BTreeSet<String>> = own
        .unwrap_or_else(|| mentions(names, |m| m.visit_item(item)))
        .iter()
        .filter_map(|n| condition.get(n))
        .collect();
    if needed.is_empty() {
        return;
    }
    let conditions: BTreeSet<&BTreeSet<String>> = needed.into_iter().collect();
    let anys: Vec<TokenStream> = conditions.into_iter().map(any).collect();
    let attr: syn::Attribute = match anys.as_slice() {
        [one] => syn::parse_quote!(#[cfg(#one)]),
        many => syn::parse_quote!(#[cfg(all(#(#many),*))]),
    };
    if let Some(attrs) = item_attrs_mut(item) {
        attrs.insert(0, attr);
    }
}

fn item_attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_attrs_mut(item: &mut Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::{generate, item};

    const SPEC: &str = r#"
paths:
  /cards:
    post:
      operationId: createCard
      tags: [Card programs]
      responses:
        '201':
          description: The card.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Card'}
  /accounts:
    get:
      operationId: getAccount
      tags: [Accounts, Card programs]
      responses:
        '200':
          description: The account.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Account'}
  /health:
    get:
      operationId: getHealth
      responses:
        '200':
          description: Up.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Health'}
components:
  schemas:
    Card:
      type: object
      properties:
        kind: {$ref: '#/components/schemas/CardKind'}
        account: {$ref: '#/components/schemas/Account'}
    CardKind: {type: string, enum: [virtual, physical]}
    Account: {type: object, properties: {id: {type: string}}}
    Health: {type: object, properties: {ok: {type: boolean}}}
"#;

    fn code() -> String {
        generate(SPEC).files[std::path::Path::new("src/generated.rs")].clone()
    }

    #[test]
    fn an_operation_is_gated_by_its_tags_features_and_an_untagged_one_is_not() {
        let files = generate(SPEC);
        assert!(
            item(&files, &["raw", "create_card"])
                .starts_with("#[cfg(feature = \"card-programs\")]"),
        );
        assert!(
            item(&files, &["raw", "get_account"])
                .starts_with("#[cfg(any(feature = \"accounts\", feature = \"card-programs\"))]"),
        );
        assert!(!item(&files, &["raw", "get_health"]).contains("cfg("));
        let code = code();
        assert!(
            code.contains(
                "#[cfg(feature = \"card-programs\")]\n#[allow(\n    clippy::too_many_arguments,"
            ),
            "the typed method's impl block is gated:\n{code}"
        );
    }

    #[test]
    fn a_type_is_gated_by_the_tags_that_reach_it() {
        let files = generate(SPEC);
        let card_kind = item(&files, &["types", "CardKind"]);
        assert!(
            card_kind.starts_with("#[cfg(feature = \"card-programs\")]"),
            "{card_kind}"
        );
        // Its `open_enum!` goes with it.
        assert!(
            card_kind.contains("#[cfg(feature = \"card-programs\")]\n::finapi_runtime::open_enum!"),
            "{card_kind}"
        );
        // Reached from both tags (Card mentions it; getAccount returns it).
        let account = item(&files, &["types", "Account"]);
        assert!(
            account.starts_with("#[cfg(any(feature = \"accounts\", feature = \"card-programs\"))]"),
            "{account}"
        );
        assert!(!item(&files, &["types", "Health"]).contains("cfg("));
    }

    #[test]
    fn the_crate_has_a_feature_per_tag_and_keeps_every_operation_by_default() {
        let files = generate(SPEC);
        let manifest = &files.files[std::path::Path::new("Cargo.toml")];
        assert!(
            manifest.contains("default = [\"rustls\", \"all-operations\"]"),
            "{manifest}"
        );
        assert!(
            manifest.contains("all-operations = [\"card-programs\", \"accounts\"]"),
            "{manifest}"
        );
        assert!(
            manifest
                .contains("# Tag `Card programs`: create_card, get_account.\ncard-programs = []"),
            "{manifest}"
        );
    }
}
