//! `cargo xtask corpus [DIR...] [--only NAME,...] [--no-check] [--doctests]`: generate a
//! standalone crate for every spec of the folders (default `../shared/corpus`), `cargo check`
//! each, and print a table. `--doctests` also runs `cargo test --doc` on every crate whose
//! docs carry a fenced block from its spec (made `text`: none may compile or run).
//!
//! A spec's settings, where this repository keeps some (`specs/corpus/<stem>.settings.yaml`,
//! for instance the pagination of its list operations), are used; the corpus folder itself is
//! never edited.
//!
//! Crates are written under `target/corpus/crates/<spec stem>/` and checked with one shared
//! target directory (`target/corpus/target`), so dependencies build once. The table is also
//! written to `target/corpus/REPORT.md`. Any failure makes the command exit non-zero.
//!
//! Each spec's warnings (what generation gave up, located) are counted against the baseline
//! kept in `specs/corpus/warnings.baseline` (`<stem> <count>` a line): a count above its
//! baseline fails the run; one below it is reported, for the baseline to come down with it
//! (`--update-baseline` writes the counts of this run).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One spec's outcome.
struct Row {
    spec: String,
    operations: usize,
    kept: Option<usize>,
    alternates: usize,
    generate: Result<f64, String>,
    check: Result<f64, String>,
    /// `cargo test --doc`, where run.
    doctest: Option<Result<f64, String>>,
    warnings: Vec<String>,
}

pub fn corpus(root: &Path, args: &[String]) -> Result<(), String> {
    let mut dirs = Vec::new();
    let mut only: Option<Vec<String>> = None;
    let mut no_check = false;
    let mut doctests = false;
    let mut update_baseline = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--only" => {
                let list = it.next().ok_or("--only takes a comma-separated list")?;
                only = Some(list.split(',').map(str::to_owned).collect());
            }
            "--no-check" => no_check = true,
            "--doctests" => doctests = true,
            "--update-baseline" => update_baseline = true,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => dirs.push(PathBuf::from(s)),
        }
    }
    if dirs.is_empty() {
        dirs.push(root.join("../shared/corpus"));
    }
    let mut specs: Vec<PathBuf> = Vec::new();
    for dir in &dirs {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
                matches!(ext, "yaml" | "yml" | "json") && !name.contains(".settings.")
            })
            .filter(|p| {
                only.as_ref().is_none_or(|only| {
                    let stem = stem(p);
                    only.contains(&stem)
                })
            })
            .collect();
        found.sort();
        specs.extend(found);
    }
    if specs.is_empty() {
        let listed: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(format!("no specs in {}", listed.join(", ")));
    }
    let out_dir = root.join("target/corpus");
    let target_dir = out_dir.join("target");
    let runtime = root.join("crates/runtime");
    let mut rows = Vec::new();
    for spec in &specs {
        let stem = stem(spec);
        eprintln!("corpus: {stem}");
        let crate_dir = out_dir.join("crates").join(&stem);
        let name = format!("corpus-{}", package_part(&stem));
        // Settings this repository keeps for a corpus spec (the corpus itself is never edited).
        let settings = Some(
            root.join("specs/corpus")
                .join(format!("{stem}.settings.yaml")),
        )
        .filter(|f| f.is_file());
        let start = Instant::now();
        let mut builder = finapi_codegen::Builder::new(spec)
            .package_name(&name)
            .runtime_checkout(&runtime, &crate_dir);
        if let Some(settings) = &settings {
            builder = builder.settings_file(settings);
        }
        let generated = builder.generate_crate();
        let seconds = start.elapsed().as_secs_f64();
        let operations = count_operations(spec);
        let mut row = Row {
            spec: stem.clone(),
            operations,
            kept: None,
            alternates: 0,
            generate: Err(String::new()),
            check: Err("not run".into()),
            doctest: None,
            warnings: Vec::new(),
        };
        match generated {
            Err(e) => row.generate = Err(e.to_string()),
            Ok(files) => {
                row.kept = Some(files.report.kept);
                row.alternates = files.report.alternates;
                row.warnings = files
                    .report
                    .warnings
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                match files.write_to(&crate_dir) {
                    Err(e) => row.generate = Err(e.to_string()),
                    Ok(_) => {
                        row.generate = Ok(seconds);
                        if !no_check {
                            row.check = cargo_check(&crate_dir, &target_dir);
                        }
                        let fenced = files.files.values().any(|text| text.contains("```text"));
                        if doctests && fenced && row.check.is_ok() {
                            row.doctest = Some(cargo_doctest(&crate_dir, &target_dir));
                        }
                    }
                }
            }
        }
        rows.push(row);
    }
    let baseline_file = root.join(BASELINE);
    let baseline = read_baseline(&baseline_file)?;
    let table = render(&rows, no_check, &baseline);
    print!("{table}");
    let _ = std::fs::create_dir_all(&out_dir);
    let _ = std::fs::write(out_dir.join("REPORT.md"), &table);
    if update_baseline {
        let mut counts = baseline.clone();
        for r in &rows {
            counts.insert(r.spec.clone(), r.warnings.len());
        }
        write_baseline(&baseline_file, &counts)?;
        eprintln!("corpus: wrote {BASELINE}");
    }
    let failed = rows
        .iter()
        .filter(|r| {
            r.generate.is_err()
                || (!no_check && r.check.is_err())
                || matches!(r.doctest, Some(Err(_)))
        })
        .count();
    let risen: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let allowed = baseline.get(&r.spec).copied().unwrap_or(0);
            (r.generate.is_ok() && r.warnings.len() > allowed).then(|| {
                format!(
                    "{}: {} warning(s), baseline {allowed}",
                    r.spec,
                    r.warnings.len()
                )
            })
        })
        .collect();
    if failed > 0 {
        return Err(format!("{failed} of {} spec(s) failed", rows.len()));
    }
    if !risen.is_empty() && !update_baseline {
        return Err(format!(
            "warnings rose above the baseline ({BASELINE}): {}",
            risen.join("; ")
        ));
    }
    Ok(())
}

/// The corpus specs' warning counts the repository accepts.
const BASELINE: &str = "specs/corpus/warnings.baseline";

/// `<stem> <count>` a line; `#` starts a comment.
fn read_baseline(path: &Path) -> Result<std::collections::BTreeMap<String, usize>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut out = std::collections::BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let (stem, count) = line
            .rsplit_once(char::is_whitespace)
            .and_then(|(s, c)| Some((s.trim(), c.parse::<usize>().ok()?)))
            .ok_or_else(|| format!("{}:{}: expected `<stem> <count>`", path.display(), i + 1))?;
        out.insert(stem.to_owned(), count);
    }
    Ok(out)
}

fn write_baseline(
    path: &Path,
    counts: &std::collections::BTreeMap<String, usize>,
) -> Result<(), String> {
    let mut text = String::from(
        "# Warnings each corpus spec may give (what generation gave up, located): `cargo xtask\n\
         # corpus` fails when a spec gives more. Lower a count when a change lowers it; rewrite\n\
         # it with `cargo xtask corpus <DIR...> --update-baseline`.\n",
    );
    for (stem, count) in counts {
        let _ = writeln!(text, "{stem} {count}");
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned()
}

/// A spec stem as part of a package name.
fn package_part(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// Operations in the document as written (a path item given by `$ref` counts none; 0 where
/// the spec cannot be read).
pub(crate) fn count_operations(spec: &Path) -> usize {
    finapi_codegen::Builder::new(spec).operations().unwrap_or(0)
}

fn cargo_check(crate_dir: &Path, target_dir: &Path) -> Result<f64, String> {
    let (seconds, output) = cargo_on(
        crate_dir,
        target_dir,
        &[
            "check",
            "--all-targets",
            // The typed mock too: it is generated for every crate, off by default.
            "--features",
            "mock",
            "--quiet",
            "--message-format",
            "short",
        ],
    )?;
    if output.status.success() {
        return Ok(seconds);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    let first = errors.first().copied().unwrap_or("cargo check failed");
    Err(format!("{} error line(s); first: {first}", errors.len()))
}

/// `cargo test --doc` of a crate: its docs' code blocks compile and run (or are text).
fn cargo_doctest(crate_dir: &Path, target_dir: &Path) -> Result<f64, String> {
    let (seconds, output) = cargo_on(crate_dir, target_dir, &["test", "--doc", "--quiet"])?;
    if output.status.success() {
        return Ok(seconds);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let failed: Vec<&str> = stdout.lines().filter(|l| l.contains("FAILED")).collect();
    let first = failed.first().copied().unwrap_or("cargo test --doc failed");
    Err(format!(
        "{} failing doctest line(s); first: {first}",
        failed.len()
    ))
}

/// Runs `cargo <args>` on the crate at `crate_dir` with the shared target directory: its
/// wall time and output.
fn cargo_on(
    crate_dir: &Path,
    target_dir: &Path,
    args: &[&str],
) -> Result<(f64, std::process::Output), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let start = Instant::now();
    let output = Command::new(cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(|e| format!("cannot run cargo {}: {e}", args.join(" ")))?;
    Ok((start.elapsed().as_secs_f64(), output))
}

fn render(
    rows: &[Row],
    no_check: bool,
    baseline: &std::collections::BTreeMap<String, usize>,
) -> String {
    let mut out = String::from(
        "| spec | operations | kept | other media types | warnings (baseline) | generation (s) | cargo check |\n|---|---:|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        let kept = r.kept.map(|k| k.to_string()).unwrap_or_else(|| "-".into());
        let generate = match &r.generate {
            Ok(s) => format!("{s:.2}"),
            Err(_) => "failed".into(),
        };
        let check = match (&r.generate, &r.check) {
            (Err(e), _) => format!("not generated: {}", one_line(e)),
            (Ok(_), _) if no_check => "skipped (--no-check)".into(),
            (Ok(_), Ok(s)) => format!("ok ({s:.0} s)"),
            (Ok(_), Err(e)) => format!("FAILED: {}", one_line(e)),
        };
        let check = match &r.doctest {
            None => check,
            Some(Ok(s)) => format!("{check}; doctests ok ({s:.0} s)"),
            Some(Err(e)) => format!("{check}; doctests FAILED: {}", one_line(e)),
        };
        let warnings = format!(
            "{} ({})",
            r.warnings.len(),
            baseline.get(&r.spec).copied().unwrap_or(0)
        );
        let _ = writeln!(
            out,
            "| {} | {} | {kept} | {} | {warnings} | {generate} | {check} |",
            r.spec, r.operations, r.alternates
        );
    }
    let warned: Vec<&Row> = rows.iter().filter(|r| !r.warnings.is_empty()).collect();
    if !warned.is_empty() {
        out.push_str("\nWhat generation gave up:\n");
        for r in warned {
            for w in &r.warnings {
                let _ = writeln!(out, "- {}: {w}", r.spec);
            }
        }
    }
    let _ = writeln!(
        out,
        "\nGeneration times are of this build of xtask ({} profile).",
        if cfg!(debug_assertions) {
            "dev"
        } else {
            "release"
        }
    );
    out
}

fn one_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default().replace('|', "\\|");
    if line.len() > 300 {
        let mut cut = 300;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &line[..cut])
    } else {
        line
    }
}
