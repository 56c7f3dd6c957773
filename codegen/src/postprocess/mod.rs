//! Stage 5, post-process: restore with syn / quote what the normalize stage took from
//! progenitor's view, fix what progenitor gets wrong, and add the typed layer. The passes, in
//! order, each in its own module by what it reads and writes:
//!
//! 1. `progenitor`: progenitor's code. Parsed; its undocumented `api-version` header and its
//!    panicking `Client::new` removed; each method's request restored (`crate::restore`),
//!    and the method made to hand it back built, unsent (`raw_methods`): the runtime's call
//!    engine sends it.
//! 2. `types`: typify's types. Open enums, redacted `Debug`, null-tolerant lists and maps,
//!    docs on every public field and variant.
//! 3. `layer`: the typed layer, from the [`Model`]: a method and a decoder per operation,
//!    error and success enums, the client and its builder, the token endpoint, `from_env`.
//! 4. `examples`: one example per operation, and the README's quickstart.
//! 5. `fences`: every doc fence rustdoc would compile (a spec's text) becomes `text`.

mod examples;
pub(crate) mod features;
mod items;
mod layer;
pub(crate) use layer::headers::headers_name;
mod progenitor;
mod raw_methods;
mod types;

use std::path::Path;

use quote::quote;

use crate::error::{At, Result};
use crate::generate::Generated;
use crate::model::Model;
use crate::syntax::type_index::TypeIndex;

/// The post-processed crate code: the generated module and one example per operation.
#[derive(Debug, Clone)]
pub struct Output {
    /// `src/generated.rs`.
    pub file: syn::File,
    /// `examples/<name>.rs`, by name.
    pub examples: Vec<(String, syn::File)>,
    /// The README's quickstart: Rust statements calling one operation.
    pub quickstart: Vec<String>,
}

/// Rewrites progenitor's output and adds the typed layer.
/// Post-processes progenitor's code (whose tokens it takes: they are not needed after).
pub fn postprocess(generated: &mut Generated, model: &Model, file: &Path) -> Result<Output> {
    use crate::timings::stage;
    let mut raw = stage("post-process: parse", || progenitor::parse(generated, file))?;
    // Enum values first: every later pass reads the wire values.
    stage("post-process: wire names", || {
        crate::restore::wire_names::restore(&mut raw, &model.enum_values)
    })
    .map_err(|left| {
        At::new(file, "/components/schemas").error(format!(
            "enum values the generator renamed are left renamed in the code: {}",
            left.join(", ")
        ))
    })?;
    let signatures = stage("post-process: progenitor", || {
        progenitor::strip_api_version(&mut raw, model, file)?;
        progenitor::client_methods(&mut raw, model, file)
    })?;
    let type_names = stage("post-process: types", || {
        types::process(&mut raw, model, file)
    })?;
    let typed = stage("post-process: typed layer", || {
        let index = TypeIndex::new(types::items(&raw));
        layer::typed_layer(model, &signatures, &type_names, &index, file)
    })?;

    // The file is assembled as syntax: progenitor's items move into `mod raw` as they are
    // (tokenizing and parsing them again would double the peak memory of a large spec).
    let mut generated = stage("post-process: assemble", || assemble(raw, typed))
        .map_err(|e| At::new(file, "").error(format!("the typed layer does not parse: {e}")))?;
    stage("post-process: features", || {
        features::gate_types(&mut generated)
    });
    let builders = stage("post-process: builders", || {
        types::builders::add(&mut generated, &body_types(&signatures))
    });
    stage("post-process: fences", || {
        crate::syntax::fences::text_fences(&mut generated)
    });
    let (examples, quickstart) = stage("post-process: examples", || {
        let index = TypeIndex::new(types::assembled_items(&generated));
        let examples = examples::examples(model, &signatures, (&index, &builders), file)?;
        let quickstart = examples::quickstart(model, &signatures, (&index, &builders));
        Ok::<_, crate::error::Error>((examples, quickstart))
    })?;
    // Last: the passes above read wire names and defaults from these attributes.
    stage("post-process: serde attributes", || {
        if let Some(items) = types::assembled_items_mut(&mut generated) {
            types::serde_structs::strip_serde_attributes(items);
        }
    });
    Ok(Output {
        file: generated,
        examples,
        quickstart,
    })
}

/// The types the operations take as request bodies (`body: &types::Name`).
fn body_types(
    signatures: &std::collections::BTreeMap<String, syn::Signature>,
) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for sig in signatures.values() {
        for input in &sig.inputs {
            let syn::FnArg::Typed(t) = input else {
                continue;
            };
            let syn::Pat::Ident(p) = &*t.pat else {
                continue;
            };
            if p.ident != "body" {
                continue;
            }
            let mut ty = &*t.ty;
            while let syn::Type::Reference(r) = ty {
                ty = &r.elem;
            }
            if let syn::Type::Path(path) = ty
                && path.path.segments.len() == 2
                && path.path.segments[0].ident == "types"
            {
                out.insert(path.path.segments[1].ident.to_string());
            }
        }
    }
    out
}

/// `mod raw { progenitor's items }`, `pub use raw::types`, then the typed layer.
fn assemble(raw: syn::File, typed: proc_macro2::TokenStream) -> syn::Result<syn::File> {
    let mut raw_mod: syn::ItemMod = syn::parse_quote! {
        #[allow(
            dead_code,
            unused_imports,
            unused_mut,
            unreachable_patterns,

            clippy::all,
            clippy::pedantic,
            rustdoc::all
        )]
        mod raw {}
    };
    raw_mod.content = Some((Default::default(), raw.items));
    let rest: syn::File = syn::parse2(quote! {
        /// Types of the spec's schemas: request and response bodies, parameters.
        pub use raw::types;

        #typed
    })?;
    let mut file = rest;
    file.items.insert(0, syn::Item::Mod(raw_mod));
    Ok(file)
}
