//! The pure part of the generator, in its order: one loaded spec ([`Input`]) in, a crate's
//! files out: validate → normalize → generate (progenitor) → post-process → format →
//! package. Nothing here touches the disk: `load` read the input, `emit` writes the output.

use std::path::Path;

use crate::error::{Error, Result, Stage};
use crate::load::Input;
use crate::package::{CrateFiles, Example, Layout, RuntimeDependency};
use crate::{format, generate, model, normalize, package, postprocess, timings, validate};

/// Validates, normalizes, generates, post-processes, formats and packages one loaded spec.
/// Errors are located in the file the user wrote (a split spec's part, or the spec).
pub(crate) fn build_crate(input: &Input, layout: &Layout) -> Result<CrateFiles> {
    build(input, layout).map_err(|e| input.source.locate(e))
}

fn build(input: &Input, layout: &Layout) -> Result<CrateFiles> {
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
    let (spec, model) = validate_and_normalize(input)?;
    let mut generated = timings::stage("generate", || generate::generate(&spec, file))?;
    // The normalized spec is not needed past progenitor: freed before post-process peaks.
    drop(spec);
    // post-process times its passes itself.
    let output = postprocess::postprocess(&mut generated, &model, file)?;
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
            return Err(Error::file(
                Stage::Package,
                &flow.file,
                format!(
                    "an operation's generated example is named `{}` too",
                    flow.name
                ),
            ));
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

/// Validate and normalize: check the document, rewrite it as JSON, parse it, then rewrite
/// the typed model for progenitor.
fn validate_and_normalize(input: &Input) -> Result<(openapiv3::OpenAPI, model::Model)> {
    let file = input.source.path.as_path();
    timings::stage("validate", || validate::check(&input.source))?;
    let document = timings::stage("normalize (document)", || {
        normalize::document::document(input.source.value.clone())
    });
    let spec = timings::stage("parse", || validate::parse(file, &document.value))?;
    let (spec, mut model) = timings::stage("normalize", || {
        normalize::normalize(spec, &input.settings, file, &input.settings_file)
    })?;
    model.notes = document.notes;
    model.enum_values = document.enum_values;
    Ok((spec, model))
}

/// progenitor's output alone for a spec after validate and normalize, in the positional or
/// builder interface (for `cargo xtask bench`).
pub(crate) fn progenitor_only(input: &Input, builder: bool) -> Result<String> {
    let file = input.source.path.as_path();
    let (spec, _) = validate_and_normalize(input)?;
    generate::progenitor_only(&spec, builder, file)
}
