//! What the benchmarks share: running commands and timing them, formatting figures, the
//! specs they run, openapi-generator (the anchor) installed and run, our crate and theirs
//! written for one spec, and the finapi-bench binaries.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(super) const OPENAPI_GENERATOR: &str = "7.26.0";

pub(super) fn run(cmd: &mut Command) -> Result<String, String> {
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let out = String::from_utf8_lossy(&output.stdout);
        let all: Vec<&str> = err.lines().chain(out.lines()).collect();
        // The first error line says what failed; the command comes after it.
        let first = all
            .iter()
            .find(|l| l.trim_start().starts_with("error"))
            .or_else(|| all.iter().find(|l| !l.trim().is_empty()))
            .copied()
            .unwrap_or("no output");
        return Err(format!("{first}\n(from {cmd:?})"));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

pub(super) fn timed(cmd: &mut Command) -> Result<Duration, String> {
    let started = Instant::now();
    run(cmd)?;
    Ok(started.elapsed())
}

pub(super) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The median of `values` (the upper one of an even count), if there are any.
pub(super) fn median<T: Copy + PartialOrd>(mut values: Vec<T>) -> Option<T> {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values.get(values.len() / 2).copied()
}

pub(super) fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

pub(super) fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The first line of an error, without the file's path, for a table cell.
pub(super) fn short(e: &str) -> String {
    let line = e.lines().find(|l| !l.trim().is_empty()).unwrap_or(e);
    let line = line.find(": at #").map_or(line, |i| &line[i + 2..]);
    let line: String = line.chars().take(110).collect();
    line.replace('|', "\\|")
}

/// Runs `cargo xtask <args>` on the release build: generation is timed in-process.
pub(super) fn in_release(root: &Path, args: &[&str]) -> Result<(), String> {
    let status = Command::new(cargo())
        .args(["run", "--quiet", "--release", "--package", "xtask", "--"])
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err("bench failed".into())
    }
}

/// Installs openapi-generator-cli in a virtualenv under target/bench; returns its launcher.
pub(super) fn openapi_generator(work: &Path) -> Result<PathBuf, String> {
    let venv = work.join("venv");
    let launcher = venv.join("bin/openapi-generator-cli");
    if !launcher.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            &format!("openapi-generator-cli=={OPENAPI_GENERATOR}"),
        ]))?;
    }
    Ok(launcher)
}

/// A spec the benchmarks run: its name in tables (`specs/moov.yaml`, `corpus/x.yaml`) and
/// its path.
pub(super) struct Spec {
    pub(super) name: String,
    pub(super) path: PathBuf,
}

/// Our specs, then the corpus's.
pub(super) fn specs(root: &Path) -> Vec<Spec> {
    let mut out = Vec::new();
    for (spec, _) in xtask::workspace::discover(&root.join("specs")).unwrap_or_default() {
        out.push(Spec {
            name: format!("specs/{}", label(&spec)),
            path: spec,
        });
    }
    for folder in ["corpus", "corpus-next"] {
        let corpus = root.join("../shared").join(folder);
        let Ok(entries) = std::fs::read_dir(&corpus) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            })
            .collect();
        files.sort();
        for path in files {
            out.push(Spec {
                name: format!("{folder}/{}", label(&path)),
                path,
            });
        }
    }
    out
}

/// openapi-generator's crate for `spec`, written to `out`; its generation time.
pub(super) fn og_generate(og: &Path, spec: &Path, out: &Path) -> Result<Duration, String> {
    let _ = std::fs::remove_dir_all(out);
    timed(
        Command::new(og)
            .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
            .arg(spec)
            .arg("-o")
            .arg(out)
            .args([
                "--additional-properties",
                // info.version (`v2024.01.00`, `2023-02-18`) is no semver: name the package.
                "supportAsync=true,library=reqwest,packageName=og-client,packageVersion=0.1.0",
            ]),
    )
}

/// The name of a spec's file, as tables and folders show it.
pub(super) fn label(spec: &Path) -> String {
    spec.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Our crate for `spec` (standalone, on this checkout's runtime), written to `dir`.
pub(super) fn ours(root: &Path, spec: &Path, dir: &Path) -> Result<(), String> {
    let files = finapi_codegen::Builder::new(spec)
        .runtime_checkout(root.join("crates/runtime"), dir)
        .generate_crate()
        .map_err(|e| e.to_string())?;
    files.write_to(dir).map_err(|e| e.to_string())?;
    Ok(())
}

/// openapi-generator's crate for `spec`, written to `dir` and given our TLS choice.
pub(super) fn theirs(og: &Path, spec: &Path, dir: &Path) -> Result<(), String> {
    og_generate(og, spec, dir)?;
    same_tls(&dir.join("Cargo.toml"))
}

/// Gives openapi-generator's crate our TLS choice: its `rustls` feature means reqwest's rustls
/// on aws-lc; this makes it rustls on ring, as ours.
pub(super) fn same_tls(manifest: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| e.to_string())?;
    if !text.contains("rustls = [\"reqwest/rustls\"]") {
        return Err("openapi-generator's Cargo.toml has no `rustls` feature to patch".into());
    }
    let text = text
        .replace(
            "rustls = [\"reqwest/rustls\"]",
            "rustls = [\"reqwest/rustls-no-provider\", \"dep:rustls\"]",
        )
        .replace(
            "[features]",
            "rustls = { version = \"0.23\", default-features = false, features = [\"ring\", \"std\", \"tls12\"], optional = true }\n\n[features]",
        );
    // Its own workspace, as our standalone crates, since it sits under this repository.
    let text = format!("{text}\n[workspace]\n");
    std::fs::write(manifest, text).map_err(|e| e.to_string())
}

/// Runs `cargo run --release -p finapi-bench --bin <bin> -- <args>` and reads the JSON line
/// it prints last.
pub(super) fn bench_bin(
    root: &Path,
    bin: &str,
    args: &[&str],
) -> Result<serde_json::Value, String> {
    let out = run(Command::new(cargo())
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "finapi-bench",
            "--bin",
            bin,
            "--",
        ])
        .args(args)
        .current_dir(root))?;
    serde_json::from_str(out.lines().last().unwrap_or("{}")).map_err(|e| e.to_string())
}
