//! typify's types: a `oneOf` the spec tells apart by a `discriminator` (typify makes it an
//! untagged enum of its variants) decodes by its tag, and a tag the spec does not list into a
//! last `Unrecognized(finapi_runtime::Unlisted)` variant. Each variant's tag is a one-value
//! enum: it stays closed (the `open_enums` pass skips it), so that serde's first-fit decoding
//! of the untagged enum picks the variant whose tag matches, not the first whose shape fits.

use std::collections::BTreeSet;

use quote::format_ident;
use syn::{Fields, Item};

use crate::error::At;
use crate::error::Result;
use crate::postprocess::types::open_enums::UNRECOGNIZED;
use crate::syntax::{serde_flag, wire_name};

/// Adds the `Unrecognized` variant to every discriminated union (`(type name, tag property)`)
/// whose variants each have a one-value tag enum, and returns the names of those tag enums,
/// which stay closed. A union whose tags are plain strings stays as typify made it.
// Invariant (enums are open): a union told apart by a discriminator takes a tag it does not
// list into `Unrecognized`.
pub(super) fn tag_unions(
    items: &mut [Item],
    discriminated: &[(String, String)],
    at: At<'_>,
) -> Result<BTreeSet<String>> {
    let mut tags = BTreeSet::new();
    for (union, property) in discriminated {
        let variants: Vec<String> = match items.iter().find_map(|i| match i {
            Item::Enum(e) if e.ident == union.as_str() && serde_flag(&e.attrs, "untagged") => {
                Some(e)
            }
            _ => None,
        }) {
            Some(e) => e
                .variants
                .iter()
                .filter_map(|v| match &v.fields {
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        crate::syntax::type_index::segment(&f.unnamed[0].ty).map(|(name, _)| name)
                    }
                    _ => None,
                })
                .collect(),
            // typify took it another way (an internally tagged enum, a struct): nothing to do.
            None => continue,
        };
        let mut union_tags = Vec::new();
        let mut told_apart = true;
        for variant in &variants {
            let tag = items.iter().find_map(|i| match i {
                Item::Struct(s) if s.ident == variant.as_str() => match &s.fields {
                    Fields::Named(f) => f
                        .named
                        .iter()
                        .find(|f| {
                            f.ident
                                .as_ref()
                                .is_some_and(|i| wire_name(&f.attrs, i) == *property)
                        })
                        .and_then(|f| crate::syntax::type_index::segment(&f.ty))
                        .map(|(name, _)| name),
                    _ => None,
                },
                _ => None,
            });
            // A one-value enum is a tag serde can tell the variants apart by.
            let one_value = tag.as_ref().is_some_and(|t| {
                items.iter().any(|i| {
                    matches!(i, Item::Enum(e)
                    if e.ident == t.as_str() && e.variants.len() == 1
                        && matches!(e.variants[0].fields, Fields::Unit))
                })
            });
            match tag {
                Some(t) if one_value => union_tags.push(t),
                // Tags serde cannot tell apart (a plain string): the union stays as typify
                // made it, first fit, with no catch-all that would hide a wrong variant.
                _ => told_apart = false,
            }
        }
        if !told_apart {
            continue;
        }
        tags.extend(union_tags);
        let Some(Item::Enum(e)) = items
            .iter_mut()
            .find(|i| matches!(i, Item::Enum(e) if e.ident == union.as_str()))
        else {
            continue;
        };
        if e.variants.iter().any(|v| v.ident == UNRECOGNIZED) {
            return Err(at.error(format!(
                "the union {union} already has a variant `{UNRECOGNIZED}`"
            )));
        }
        let unrecognized = format_ident!("{}", UNRECOGNIZED);
        let doc = format!(
            " A `{property}` the spec does not list (yet): the value as received (its `Debug` \
             shows no content), sent back unchanged."
        );
        e.variants.push(syn::parse_quote! {
            #[doc = #doc]
            #unrecognized(::finapi_runtime::Unlisted)
        });
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r#"
paths:
  /methods:
    get:
      operationId: listMethods
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Method'}}
components:
  schemas:
    Method:
      oneOf:
        - $ref: '#/components/schemas/Wallet'
        - $ref: '#/components/schemas/Bank'
      discriminator: {propertyName: kind}
    Wallet:
      type: object
      required: [kind, id]
      properties:
        kind: {type: string, enum: [wallet]}
        id: {type: string}
    Bank:
      type: object
      required: [kind, id]
      properties:
        kind: {type: string, enum: [bank]}
        id: {type: string}
"#;

    #[test]
    fn a_discriminated_union_keeps_its_tags_closed_and_takes_unlisted_tags() {
        let files = generate(SPEC);
        expect![[r#"
            ///`Method`
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
            #[serde(untagged)]
            pub enum Method {
                /// The `Wallet` shape.
                Wallet(Wallet),
                /// The `Bank` shape.
                Bank(Bank),
                /// A `kind` the spec does not list (yet): the value as received (its `Debug` shows no content), sent back unchanged.
                Unrecognized(::finapi_runtime::Unlisted),
            }
        "#]]
        .assert_eq(
            item(&files, &["types", "Method"])
                .split("impl ")
                .next()
                .unwrap_or_default(),
        );
        let tag = item(&files, &["types", "BankKind"]);
        assert!(!tag.contains("Unrecognized"), "the tag stays closed: {tag}");
    }

    #[test]
    fn a_union_whose_tags_serde_cannot_tell_apart_stays_as_typify_made_it() {
        let spec = SPEC.replace("kind: {type: string, enum: [bank]}", "kind: {type: string}");
        let files = generate(&spec);
        let union = item(&files, &["types", "Method"]);
        assert!(!union.contains("Unrecognized"), "{union}");
    }
}
