//! The locate section: what a construct progenitor panics on costs in the largest corpus
//! spec. One `not` schema typify does not implement (it panics) is put into a copy of the
//! spec, once in a component schema and once in an operation's query parameter, both in the
//! middle of their lists; the generator must find it by bisection, give up that one schema or
//! parameter with a located warning, and generate the rest. Ours (`xtask generate
//! --timings`, release, a fresh process per run), median of 3, against the same spec clean.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use super::common::{label, specs};

/// What typify panics on ("not yet implemented: unhandled not schema").
fn panicking_schema() -> Value {
    json!({"type": "string", "not": {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]}})
}

pub(super) fn locate(md: &mut String, root: &Path, work: &Path) -> Result<(), String> {
    let largest = specs(root)
        .into_iter()
        .filter(|s| s.name.starts_with("corpus"))
        .max_by_key(|s| std::fs::metadata(&s.path).map(|m| m.len()).unwrap_or(0))
        .ok_or("no corpus spec")?;
    let text = std::fs::read_to_string(&largest.path).map_err(|e| e.to_string())?;
    let doc: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    let dir = work.join("locate");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;

    let mut in_schema = doc.clone();
    let schema_key = {
        let schemas = in_schema
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
            .ok_or("the spec has no component schemas")?;
        // The middle one of the objects (one property more, nothing else changed).
        let objects: Vec<String> = schemas
            .iter()
            .filter(|(_, s)| s.get("properties").is_some_and(Value::is_object))
            .map(|(k, _)| k.clone())
            .collect();
        let key = objects
            .get(objects.len() / 2)
            .cloned()
            .ok_or("no object schema")?;
        schemas[&key]["properties"]["finapiBenchPanic"] = panicking_schema();
        key
    };
    let mut in_parameter = doc.clone();
    let operation = {
        let paths = in_parameter
            .get_mut("paths")
            .and_then(Value::as_object_mut)
            .ok_or("the spec has no paths")?;
        let path = paths
            .keys()
            .nth(paths.len() / 2)
            .cloned()
            .ok_or("no path")?;
        let item = paths[&path].as_object_mut().ok_or("a path item")?;
        let method = ["get", "post", "put", "patch", "delete"]
            .into_iter()
            .find(|m| item.contains_key(*m))
            .ok_or("no operation")?;
        let op = &mut item[method];
        if !op.get("parameters").is_some_and(Value::is_array) {
            op["parameters"] = json!([]);
        }
        op["parameters"].as_array_mut().ok_or("parameters")?.push(
            json!({"name": "finapi_bench_panic", "in": "query", "schema": panicking_schema()}),
        );
        format!("{} {path}", method.to_ascii_uppercase())
    };
    let stem = label(&largest.path);
    let clean = dir.join(format!("{stem}.json"));
    let schema_spec = dir.join(format!("{stem}-panic-in-schema.json"));
    let parameter_spec = dir.join(format!("{stem}-panic-in-parameter.json"));
    for (path, value) in [
        (&clean, &doc),
        (&schema_spec, &in_schema),
        (&parameter_spec, &in_parameter),
    ] {
        let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| e.to_string())?;
    }

    let _ = writeln!(md, "## Locating a panic\n");
    let _ = writeln!(
        md,
        "The largest corpus spec, {} ({:.1} MB), clean and with one schema typify panics on (a `not` it does not implement) put in the middle of its component schemas (`{schema_key}`), or in the middle of its operations as a query parameter (`{operation}`). The generator catches the panic, finds its schema or operation by bisection (one progenitor run per probe), gives up that one construct with a located warning, and generates everything else. Ours: `cargo xtask generate <spec> --out <dir> --timings`, release, a fresh process per run, median of 3: generation (every stage but `emit`) and, of it, the `locate` stage.\n",
        largest.name,
        text.len() as f64 / 1e6
    );
    let _ = writeln!(
        md,
        "| spec | generation | of which locating | warnings (where) |\n|---|---:|---:|---|"
    );
    for (what, path) in [
        ("clean", &clean),
        ("a panic in a schema", &schema_spec),
        ("a panic in a parameter", &parameter_spec),
    ] {
        let out = dir.join("out");
        let (generation, locating, warnings) = median_of_3(path, &out)?;
        eprintln!("  {what}: {generation:.2} s, locating {locating:.2} s; {warnings}");
        let _ = writeln!(
            md,
            "| {what} | {generation:.2} s | {locating:.2} s | {warnings} |"
        );
    }
    md.push('\n');
    Ok(())
}

/// Three runs: the median generation time, its locating time, and the warnings of the last
/// run (where each was given, not the spec's name).
fn median_of_3(spec: &Path, out: &Path) -> Result<(f64, f64, String), String> {
    let mut runs = Vec::new();
    let mut warnings = String::new();
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(out);
        let output = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
            .arg("generate")
            .arg(spec)
            .arg("--out")
            .arg(out)
            .arg("--timings")
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            let err = String::from_utf8_lossy(&output.stderr);
            return Err(err.lines().next().unwrap_or("failed").to_owned());
        }
        let table = String::from_utf8_lossy(&output.stdout);
        let sum = |stage: &str| -> f64 {
            table
                .lines()
                .filter(|l| l.starts_with(&format!("| {stage} |")))
                .filter_map(|l| l.split('|').nth(2)?.trim().parse::<f64>().ok())
                .fold(0.0, |a, b| a + b)
        };
        runs.push((sum("total") - sum("emit"), sum("locate")));
        let stderr = String::from_utf8_lossy(&output.stderr);
        let listed: Vec<String> = stderr
            .lines()
            .filter_map(|l| l.strip_prefix("warning: "))
            .map(|l| l.split_once(": at ").map_or(l, |(_, rest)| rest))
            .map(|l| match l.split_once(": ") {
                Some((pointer, what)) => format!("`{pointer}`: {}", what.replace('|', "\\|")),
                None => l.replace('|', "\\|"),
            })
            .collect();
        warnings = if listed.is_empty() {
            "none".into()
        } else {
            listed.join("; ")
        };
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (generation, locating) = runs[1];
    Ok((generation, locating, warnings))
}
