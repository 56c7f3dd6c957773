//! Constrained strings of one shape emitted once. typify makes a newtype per constrained
//! string property (`maxLength`, `pattern`: a struct, its checking `FromStr` and one
//! `constrained_string!` call each), and a large spec has thousands of them in a few dozen
//! shapes: build time and memory grew with string properties, not operations. Newtypes whose
//! struct (but for its docs) and checking `FromStr` are the same, token for token, become one
//! type, the first of them, and every other name a `pub type` alias of it: every name a user
//! or the generated code writes still exists, and every check is the same check.
//!
//! Only newtypes with nothing else of their own are shared: one another impl (a redacted
//! `Debug`, a conversion naming it in its trait) keeps a newtype apart.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::Item;
use syn::parse::Parser as _;

use crate::syntax::{doc, impl_target, impl_trait};

/// Shares the constrained string newtypes of `items` (the `types` module's, parsed) by shape;
/// returns how many became aliases.
pub(super) fn share_constrained_strings(items: &mut Vec<Item>) -> usize {
    // Each candidate's parts: struct, FromStr impl, macro call (indexes into `items`).
    let mut parts: BTreeMap<String, [Option<usize>; 3]> = BTreeMap::new();
    let mut other_impls: BTreeSet<String> = BTreeSet::new();
    // typify's constrained newtypes: a private `String` field.
    let newtypes: BTreeSet<String> = super::constrained::string_newtypes(items, false)
        .iter()
        .map(ToString::to_string)
        .collect();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Struct(s) if newtypes.contains(&s.ident.to_string()) => {
                parts.entry(s.ident.to_string()).or_default()[0] = Some(i);
            }
            Item::Impl(imp) => {
                let Some(name) = impl_target(imp) else {
                    continue;
                };
                // One checking FromStr is the newtype's; any other impl (a second FromStr
                // too) keeps it apart.
                let from_str = &mut parts.entry(name.clone()).or_default()[1];
                if impl_trait(imp).as_deref() == Some("FromStr") && from_str.is_none() {
                    *from_str = Some(i);
                } else {
                    other_impls.insert(name);
                }
                // A type named inside an impl's trait (`impl From<X> for Y`) keeps its own
                // identity: sharing it could make two impls one.
                if let Some((path, _)) = &imp.trait_ {
                    let mut names = Names::default();
                    syn::visit::visit_path(&mut names, path);
                    other_impls.extend(names.0);
                }
            }
            Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "constrained_string") =>
            {
                if let Some(name) = first_ident(&m.mac.tokens) {
                    parts.entry(name).or_default()[2] = Some(i);
                }
            }
            _ => {}
        }
    }
    // The shape of each complete candidate: its struct without docs, its FromStr's items.
    let mut groups: Vec<(String, Vec<Member>)> = Vec::new();
    let mut by_shape: BTreeMap<String, usize> = BTreeMap::new();
    let mut candidates: Vec<(usize, String, [usize; 3])> = parts
        .into_iter()
        .filter(|(name, _)| !other_impls.contains(name))
        .filter_map(|(name, p)| Some((p[0]?, name, [p[0]?, p[1]?, p[2]?])))
        .collect();
    candidates.sort();
    for (_, name, at) in candidates {
        let (Item::Struct(s), Item::Impl(imp)) = (&items[at[0]], &items[at[1]]) else {
            continue;
        };
        let mut bare = s.clone();
        bare.attrs.retain(|a| !a.path().is_ident("doc"));
        bare.ident = syn::Ident::new("Shape", bare.ident.span());
        let body: proc_macro2::TokenStream =
            imp.items.iter().map(|i| i.to_token_stream()).collect();
        let shape = format!("{} {}", bare.to_token_stream(), body);
        match by_shape.get(&shape) {
            Some(&g) => groups[g].1.push((name, at)),
            None => {
                by_shape.insert(shape, groups.len());
                groups.push((name.clone(), vec![(name, at)]));
            }
        }
    }
    let mut drop: BTreeSet<usize> = BTreeSet::new();
    let mut aliased = 0;
    for (canonical, members) in groups.iter().filter(|(_, m)| m.len() > 1) {
        let target = syn::Ident::new(canonical, proc_macro2::Span::call_site());
        for (_, at) in &members[1..] {
            let Item::Struct(s) = &items[at[0]] else {
                continue;
            };
            let note = doc(&format!(
                "\nThe same checks as [`{canonical}`], whose type it is (one type per shape \
                 of constrained string)."
            ));
            // `pub type Ident = Target;` with the struct's docs, then the note; the docs are
            // copied over as they are, not parsed again (they may be long).
            let mut attrs: Vec<syn::Attribute> = s
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            attrs.extend(syn::Attribute::parse_outer.parse2(note).unwrap_or_default());
            let ident = &s.ident;
            let mut alias: syn::ItemType = syn::parse_quote!(pub type #ident = #target;);
            alias.attrs = attrs;
            items[at[0]] = Item::Type(alias);
            drop.insert(at[1]);
            drop.insert(at[2]);
            aliased += 1;
        }
        let others = members.len() - 1;
        let note = doc(&format!(
            "\nShared: {others} other constrained string type{} of the same checks \
             {} aliases of this one.",
            if others == 1 { "" } else { "s" },
            if others == 1 { "is an" } else { "are" },
        ));
        if let Item::Struct(s) = &mut items[members[0].1[0]]
            && let Ok(note) = syn::Attribute::parse_outer.parse2(note)
        {
            s.attrs.extend(note);
        }
    }
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
    aliased
}

/// A newtype of a group: its name and where its struct, `FromStr` and macro call are.
type Member = (String, [usize; 3]);

fn first_ident(tokens: &proc_macro2::TokenStream) -> Option<String> {
    match tokens.clone().into_iter().next()? {
        proc_macro2::TokenTree::Ident(i) => Some(i.to_string()),
        _ => None,
    }
}

/// Every identifier of the paths a visit meets.
#[derive(Default)]
struct Names(BTreeSet<String>);

impl<'ast> syn::visit::Visit<'ast> for Names {
    fn visit_path_segment(&mut self, s: &'ast syn::PathSegment) {
        self.0.insert(s.ident.to_string());
        syn::visit::visit_path_segment(self, s);
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r##"
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses:
        "204": {description: created}
components:
  schemas:
    Thing:
      type: object
      required: [code, label]
      properties:
        code: {type: string, maxLength: 8, pattern: "^[A-Z]+$", description: The thing's code.}
        label: {type: string, maxLength: 8, pattern: "^[A-Z]+$", description: Its label.}
        note: {type: string, maxLength: 9, pattern: "^[A-Z]+$"}
"##;

    /// Three newtypes of one shape as the types pass sees them; `C` has a second `FromStr`.
    const ITEMS: &str = r#"
        pub struct A(::std::string::String);
        impl ::std::str::FromStr for A { type Err = E; fn from_str(v: &str) -> Result<Self, E> { Ok(Self(v.into())) } }
        ::finapi_runtime::constrained_string!(A);
        pub struct B(::std::string::String);
        impl ::std::str::FromStr for B { type Err = E; fn from_str(v: &str) -> Result<Self, E> { Ok(Self(v.into())) } }
        ::finapi_runtime::constrained_string!(B);
        pub struct C(::std::string::String);
        impl ::std::str::FromStr for C { type Err = E; fn from_str(v: &str) -> Result<Self, E> { Ok(Self(v.into())) } }
        impl ::std::str::FromStr for C { type Err = E; fn from_str(v: &str) -> Result<Self, E> { Ok(Self(v.into())) } }
        ::finapi_runtime::constrained_string!(C);
    "#;

    #[test]
    fn a_newtype_with_an_impl_of_its_own_is_kept_apart() {
        let mut items = syn::parse_str::<syn::File>(ITEMS).unwrap().items;
        assert_eq!(super::share_constrained_strings(&mut items), 1, "B only");
        let aliases: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Type(t) => Some(t.ident.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(aliases, ["B"]);
    }

    #[test]
    fn newtypes_of_one_shape_are_one_type_and_the_others_aliases() {
        let files = generate(SPEC);
        expect![[r#"
            ///Its label.
            ///
            /// The same checks as [`ThingCode`], whose type it is (one type per shape of constrained string).
            pub type ThingLabel = ThingCode;
        "#]]
        .assert_eq(&item(&files, &["types", "ThingLabel"]));
        let code = &files.files[std::path::Path::new("src/generated.rs")];
        assert!(code.contains("constrained_string!(ThingCode)"));
        assert!(!code.contains("constrained_string!(ThingLabel)"), "{code}");
        assert!(
            code.contains("constrained_string!(ThingNote)"),
            "another shape keeps its own"
        );
    }
}
