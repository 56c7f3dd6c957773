//! Request restorations: constructs of a request that progenitor cannot take. Each owns both
//! of its sides, in one file: what the normalize stage rewrites for progenitor and records in
//! the operation's [`OperationModel`], and what the post-process stage puts back in
//! progenitor's method, failing generation where progenitor's code lacks what it restores (so
//! that a progenitor upgrade cannot silently drop it).
//!
//! | restoration | normalize gives progenitor | post-process restores |
//! |---|---|---|
//! | [`alternate`] | each other request media type as an operation on a marker path | the real path |
//! | [`deep_object`] | `deepObject` query parameters as `form` | `name[key]=value` serialization |
//! | [`renamed_query`] | clashing query names renamed | the real names on the wire |
//! | [`content_type`] | `+json` as JSON, unsendable types as bytes | the real `Content-Type` |
//! | [`multipart`] | `multipart/form-data` as bytes | a `Multipart` body and its boundary |
//!
//!
//! One restoration is document-wide rather than per operation: [`wire_names`] gives enum
//! values typify cannot name substitutes in the JSON document, and puts the values back in
//! the generated code.
//!
//! They are independent: each rewrites a part of the operation none of the others rewrites,
//! records in a model field of its own, and edits syntax none of the others edits, so the
//! order of [`registry`] changes nothing (a test runs it reversed). A new one is one file
//! here, one line in the registry, one field of [`OperationModel`] and one fixture.

pub(crate) mod alternate;
pub(crate) mod content_type;
pub(crate) mod deep_object;
pub(crate) mod multipart;
pub(crate) mod renamed_query;
mod syntax;
pub(crate) mod wire_names;

use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{Components, MediaType, OpenAPI, Operation, Parameter, ReferenceOr};

use crate::error::{Error, Result, Stage};
use crate::model::OperationModel;

/// What a restoration may read and rewrite of one operation while normalizing. Its request
/// body, if any, is resolved and holds the one media type the method sends.
pub(crate) struct OperationSlot<'a> {
    /// The spec's file, for errors.
    pub(crate) file: &'a Path,
    /// The operation's JSON pointer, for errors.
    pub(crate) at: &'a str,
    /// The parameters of its path item (shared with the path's other operations).
    pub(crate) item_parameters: &'a mut Vec<ReferenceOr<Parameter>>,
    /// The operation.
    pub(crate) operation: &'a mut Operation,
    /// The spec's components.
    pub(crate) components: &'a mut Components,
}

impl OperationSlot<'_> {
    /// The request body's media types (the one sent), where there is a body.
    pub(crate) fn content_mut(&mut self) -> Option<&mut IndexMap<String, MediaType>> {
        match self.operation.request_body.as_mut()? {
            ReferenceOr::Item(body) => Some(&mut body.content),
            ReferenceOr::Reference { .. } => None,
        }
    }
}

/// One restoration: its normalize side and its post-process side.
pub(crate) trait Restoration: Sync {
    /// Its name, for messages and tests.
    fn name(&self) -> &'static str;

    /// Spec-wide rewrites before any operation is normalized (default: none).
    fn prepare(&self, _spec: &mut OpenAPI, _components: &mut Components) {}

    /// Rewrites what progenitor cannot take of one operation, and records it in `model`.
    fn normalize(&self, op: &mut OperationSlot<'_>, model: &mut OperationModel) -> Result<()>;

    /// Puts back in progenitor's method of the operation what `normalize` changed; an error
    /// where progenitor's code lacks it.
    fn restore(&self, method: &mut syn::ImplItemFn, model: &OperationModel) -> RestoreResult;
}

/// What restoring says when progenitor's code lacks what it restores (located at the
/// operation by [`restore`]).
pub(crate) type RestoreResult = std::result::Result<(), Missing>;

/// What progenitor's code lacks for a restoration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Missing(pub(crate) String);

/// The restorations, in the order they run (any order gives the same crate).
pub(crate) fn registry() -> Vec<&'static dyn Restoration> {
    #[cfg_attr(not(test), allow(unused_mut))]
    let mut all: Vec<&'static dyn Restoration> = vec![
        &alternate::Alternate,
        &deep_object::DeepObject,
        &renamed_query::RenamedQuery,
        &content_type::ContentType,
        &multipart::Multipart,
    ];
    #[cfg(test)]
    if tests::REVERSED.with(std::cell::Cell::get) {
        all.reverse();
    }
    all
}

/// Every restoration's spec-wide step.
pub(crate) fn prepare(spec: &mut OpenAPI, components: &mut Components) {
    for restoration in registry() {
        restoration.prepare(spec, components);
    }
}

/// Every restoration's normalize side, for one operation.
// Invariant (never weaken a spec): what progenitor cannot take is rewritten here and
// recorded in the model, and `restore` puts it back; the spec on disk stays as written.
pub(crate) fn normalize(op: &mut OperationSlot<'_>, model: &mut OperationModel) -> Result<()> {
    for restoration in registry() {
        restoration.normalize(op, model)?;
    }
    Ok(())
}

/// Every restoration's post-process side, for progenitor's method of one operation.
// Invariant (every request media type is reachable): what a restoration restores must be in
// progenitor's code, or generation fails here.
pub(crate) fn restore(
    method: &mut syn::ImplItemFn,
    model: &OperationModel,
    file: &Path,
) -> Result<()> {
    for restoration in registry() {
        restoration
            .restore(method, model)
            .map_err(|Missing(message)| {
                Error::at(
                    Stage::PostProcess,
                    file,
                    &model.pointer,
                    format!("{}: {message}", restoration.name()),
                )
            })?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::Cell;

    thread_local! {
        /// Runs the registry in reverse order (this thread only).
        pub(crate) static REVERSED: Cell<bool> = const { Cell::new(false) };
    }

    /// The order of the registry changes nothing: every fixture spec generates the same crate
    /// with the restorations run the other way round.
    #[test]
    fn restorations_do_not_depend_on_their_order() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut specs: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/specs"))
            .expect("fixtures")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "yaml")
                    && crate::load::settings_path(p).is_file()
            })
            .collect();
        specs.sort();
        assert!(specs.len() >= 4, "the fixture specs are there");
        specs.push(root.join("specs/moov.yaml"));
        for spec in specs {
            let input = crate::load::input(&spec, crate::load::SettingsFrom::Beside, None, true)
                .expect("loads");
            let layout = crate::package::Layout {
                runtime: crate::RuntimeDependency::Path("../runtime".into()),
                standalone: false,
                spec_label: "spec.yaml".into(),
                publish: true,
                repository: None,
            };
            let forward = crate::pipeline::build_crate(&input, &layout, false).expect("generates");
            REVERSED.with(|r| r.set(true));
            let reversed = crate::pipeline::build_crate(&input, &layout, false);
            REVERSED.with(|r| r.set(false));
            let reversed = reversed.expect("generates with the registry reversed");
            let differ: Vec<_> = forward
                .files
                .iter()
                .filter(|(path, text)| reversed.files.get(*path) != Some(*text))
                .map(|(path, _)| path.display().to_string())
                .collect();
            assert!(
                differ.is_empty(),
                "{}: the registry reversed changes {differ:?}",
                spec.display()
            );
        }
    }
}
