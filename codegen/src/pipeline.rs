//! The pure part of the generator, in its order: one loaded spec ([`Input`]) in, a crate's
//! files out: validate → normalize → generate (progenitor) → post-process → format →
//! package. Nothing here touches the disk: `load` read the input, `emit` writes the output.
//!
//! A valid spec with a construct the generator cannot type costs that construct, not the
//! crate (`degrade`): where a stage fails at a schema or an operation, that is given up on
//! the document, with a located warning, and the stages after the document rewrite run
//! again. In strict mode the first such failure is the error.

use std::path::Path;

use serde_json::Value;

use crate::degrade::{self, Degrader, Site};
use crate::error::{Error, Result, Stage};
use crate::load::Input;
use crate::normalize::document::Rewritten;
use crate::package::{CrateFiles, Example, Layout, RuntimeDependency};
use crate::{format, generate, normalize, package, postprocess, timings, validate};

/// Validates, normalizes, generates, post-processes, formats and packages one loaded spec.
/// Errors and warnings are located in the file the user wrote (a split spec's part, or the
/// spec). `strict`: what would be given up with a warning is an error instead.
pub(crate) fn build_crate(input: &Input, layout: &Layout, strict: bool) -> Result<CrateFiles> {
    let mut files = build(input, layout, strict).map_err(|e| input.source.locate(e))?;
    files.report.warnings = std::mem::take(&mut files.report.warnings)
        .into_iter()
        .map(|w| input.source.locate(w))
        .collect();
    Ok(files)
}

fn build(input: &Input, layout: &Layout, strict: bool) -> Result<CrateFiles> {
    let file = input.source.path.as_path();
    // Invariant (crates build anywhere): a local runtime is named by a relative path only.
    if let RuntimeDependency::Path(path) = &layout.runtime
        && Path::new(path).has_root()
    {
        return Err(Error::file(
            Stage::Load,
            file,
            "the runtime's path must be relative to the crate, not absolute",
        ));
    }
    timings::stage("validate", || validate::check(&input.source))?;
    let Rewritten {
        value: mut doc,
        notes,
        enum_values,
        repairs,
    } = timings::stage("normalize (document)", || {
        normalize::document::document(input.source.value.clone())
    });
    let mut warnings: Vec<Error> = repairs
        .into_iter()
        // A spec without a server is no loss where the settings name the base URL.
        .filter(|(pointer, _)| {
            !(pointer == degrade::NO_SERVER && input.settings.base_url.is_some())
        })
        .map(|given| degrade::repaired(file, given))
        .collect();
    if strict && let Some(first) = warnings.first() {
        return Err(first.clone());
    }
    let mut degrader = Degrader::default();
    loop {
        let failure = match attempt(input, layout, &doc, (&notes, &enum_values), &warnings) {
            Ok(mut files) => {
                files.report.warnings = warnings;
                return Ok(files);
            }
            Err(failure) => failure,
        };
        // Invariant (degrade locally): a failure at a schema or an operation gives up that
        // one, with a warning; anything else, or strict mode, is the error.
        let (error, site) = *failure;
        let Some(site) = site.filter(|_| !strict) else {
            return Err(error);
        };
        match degrader.give_up(&mut doc, &site, &error, file) {
            Some(warning) => degrade::record(&mut warnings, warning),
            None => return Err(error),
        }
    }
}

/// Why an attempt failed, and where, if a schema or an operation is at fault (boxed: the
/// rare path).
type Failure = Box<(Error, Option<Site>)>;

/// The stages after the document rewrite, once, on `doc`.
fn attempt(
    input: &Input,
    layout: &Layout,
    doc: &Value,
    (notes, enum_values): (&[String], &std::collections::BTreeMap<String, String>),
    warnings: &[Error],
) -> std::result::Result<CrateFiles, Failure> {
    let file = input.source.path.as_path();
    // A failure the spec's own file locates at a schema or an operation (not one in the
    // settings: those are the user's to fix).
    let at = |e: Error| {
        let site = (e.file == file)
            .then(|| e.pointer.as_deref().and_then(Site::of_pointer))
            .flatten();
        Box::new((e, site))
    };
    let spec = timings::stage("parse", || validate::parse(file, doc)).map_err(at)?;
    let (spec, mut model) = timings::stage("normalize", || {
        normalize::normalize(spec, &input.settings, file, &input.settings_file)
    })
    .map_err(at)?;
    model.notes = notes.to_vec();
    model.enum_values = enum_values.clone();
    // What was given up, as the README lists it: where (in the file the user wrote) and why.
    model.left_out = warnings
        .iter()
        .map(|w| {
            let w = input.source.locate(w.clone());
            let pointer = w.pointer.as_deref().unwrap_or_default();
            let part = (w.file != file)
                .then(|| w.file.file_name().map(|n| n.to_string_lossy().into_owned()))
                .flatten()
                .map(|n| format!(" (in `{n}`)"))
                .unwrap_or_default();
            format!("`#{pointer}`{part}: {}", w.message)
        })
        .collect();
    let mut generated = match timings::stage("generate", || generate::generate(&spec)) {
        Ok(generated) => generated,
        Err(failure) => {
            let message = failure.message();
            // Found by bisection: each probe is one generation of a smaller spec.
            let culprit = timings::stage("locate", || {
                degrade::locate(&spec, &|s| generate::generate(s).is_err())
            });
            let site = Site::of_culprit(&culprit, &spec, &model.hoisted);
            let pointer = site.as_ref().map_or_else(String::new, Site::pointer);
            return Err(Box::new((
                Error::at(Stage::Generate, file, pointer, message),
                site,
            )));
        }
    };
    // The normalized spec is not needed past progenitor: freed before post-process peaks.
    drop(spec);
    // post-process times its passes itself.
    // A date-time response header is a `chrono::DateTime` too.
    generated.uses_chrono |= model.operations.iter().any(|op| {
        op.response_headers
            .iter()
            .any(|h| h.kind == crate::model::HeaderKind::DateTime)
    });
    let output = postprocess::postprocess(&mut generated, &model, file).map_err(at)?;
    let code = timings::stage("format", || {
        format::format_rust(&output.file, &layout.spec_label)
    });
    let mut examples: Vec<Example> = output
        .examples
        .iter()
        .map(|(method, file)| Example {
            name: package::example_name(&input.settings.package, method),
            operation: Some(method.clone()),
            code: format::format_rust(file, &layout.spec_label),
            flow: None,
        })
        .collect();
    for flow in &input.flows {
        if examples.iter().any(|e| e.name == flow.name) {
            let message = format!(
                "an operation's generated example is named `{}` too",
                flow.name
            );
            return Err(Box::new((
                Error::file(Stage::Package, &flow.file, message),
                None,
            )));
        }
        examples.push(Example {
            name: flow.name.clone(),
            operation: None,
            code: format::copied_example(&flow.code, &flow.name, &layout.spec_label),
            flow: Some(flow.what.clone()),
        });
    }
    Ok(timings::stage("package", || {
        package::package(
            code,
            examples,
            &output.quickstart,
            &generated,
            &model,
            &input.settings,
            layout,
        )
    }))
}

/// progenitor's output alone for a spec after validate and normalize, in the positional or
/// builder interface (for `cargo xtask bench`).
pub(crate) fn progenitor_only(input: &Input, builder: bool) -> Result<String> {
    let file = input.source.path.as_path();
    validate::check(&input.source)?;
    let document = normalize::document::document(input.source.value.clone());
    let spec = validate::parse(file, &document.value)?;
    let (spec, _) = normalize::normalize(spec, &input.settings, file, &input.settings_file)?;
    generate::progenitor_only(&spec, builder, file)
}
