//! `cargo xtask bench`: measures generation time, compile time, the build of large crates,
//! request overhead, client build time and decode throughput, each beside its anchor in the same run, and writes
//! `BENCHMARKS.md`.
//!
//! Anchors: openapi-generator 7.x (`rust`, from PyPI's `openapi-generator-cli`, run on Java)
//! for generation and compile time; a hand-written reqwest + serde call for request overhead;
//! a plain `reqwest::Client` for client build time; `serde_json::Value` for decode throughput. No test asserts on any of these figures.

mod build;
mod generation;
mod large;
mod overhead;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OPENAPI_GENERATOR: &str = "7.26.0";

fn run(cmd: &mut Command) -> Result<String, String> {
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

fn timed(cmd: &mut Command) -> Result<Duration, String> {
    let started = Instant::now();
    run(cmd)?;
    Ok(started.elapsed())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The first line of an error, without the file's path, for a table cell.
fn short(e: &str) -> String {
    let line = e.lines().find(|l| !l.trim().is_empty()).unwrap_or(e);
    let line = line.find(": at #").map_or(line, |i| &line[i + 2..]);
    let line: String = line.chars().take(110).collect();
    line.replace('|', "\\|")
}

/// Runs `cargo xtask <args>` on the release build: generation is timed in-process.
fn in_release(root: &Path, args: &[&str]) -> Result<(), String> {
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

/// Runs the benchmarks and writes BENCHMARKS.md.
pub fn bench(root: &Path) -> Result<(), String> {
    if cfg!(debug_assertions) {
        return in_release(root, &["bench"]);
    }
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench` (xtask/src/bench.rs). Each figure stands beside its anchor, measured in the same run on the same machine. No test asserts on any of them.\n"
    );
    machine(&mut md, root);

    eprintln!("bench: installing openapi-generator {OPENAPI_GENERATOR}");
    let og = openapi_generator(&work)?;
    eprintln!("bench: generation time");
    generation::generation(&mut md, root, &work, &og)?;
    eprintln!("bench: compile time");
    compile(&mut md, root, &work, &og)?;
    eprintln!("bench: large crates");
    large::large_crates(&mut md, root, &work, &og)?;
    eprintln!("bench: request overhead");
    overhead::overhead(&mut md, root)?;
    eprintln!("bench: client build");
    client_build(&mut md, root)?;
    eprintln!("bench: decode throughput");
    decode(&mut md, root)?;
    std::fs::write(root.join("BENCHMARKS.md"), md).map_err(|e| e.to_string())?;
    eprintln!("bench: wrote BENCHMARKS.md");
    Ok(())
}

fn machine(md: &mut String, root: &Path) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map(|kb| format!("{:.0} GiB", kb as f64 / 1024.0 / 1024.0))
        .unwrap_or_else(|| "unknown".into());
    let rustc = run(Command::new("rustc").arg("-V")).unwrap_or_default();
    let java = Command::new("java")
        .arg("-version")
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .unwrap_or_default();
    let date = run(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_default();
    let commit = run(Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root))
    .unwrap_or_default();
    let _ = writeln!(md, "## Machine\n");
    let _ = writeln!(md, "- date: {}", date.trim());
    let _ = writeln!(md, "- commit: {}", commit.trim());
    let _ = writeln!(md, "- CPU: {cpu}, {cores} cores; memory {memory}");
    let _ = writeln!(md, "- {}; {}", rustc.trim(), java.trim());
    let _ = writeln!(
        md,
        "- anchor: openapi-generator {OPENAPI_GENERATOR} (`rust` generator)\n"
    );
}

/// Installs openapi-generator-cli in a virtualenv under target/bench; returns its launcher.
fn openapi_generator(work: &Path) -> Result<PathBuf, String> {
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

struct Spec {
    name: String,
    path: PathBuf,
}

fn specs(root: &Path) -> Vec<Spec> {
    let mut out = Vec::new();
    for (spec, _) in finapi_codegen::load::discover(&root.join("specs")).unwrap_or_default() {
        out.push(Spec {
            name: format!("specs/{}", finapi_codegen::spec_label(&spec)),
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
                name: format!("{folder}/{}", finapi_codegen::spec_label(&path)),
                path,
            });
        }
    }
    out
}

fn og_generate(og: &Path, spec: &Path, out: &Path) -> Result<Duration, String> {
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

/// The sections `--only` re-measures, by name and heading.
pub const SECTIONS: [(&str, &str); 4] = [
    ("generation", "## Generation time"),
    ("compile", "## Compile time"),
    ("large-crates", "## Large crates"),
    ("overhead", "## Request overhead"),
];

/// Re-measures one section alone and replaces it in BENCHMARKS.md (appends it where the file
/// has none), saying when and at which commit; the other sections keep their own run's
/// figures.
pub fn only(root: &Path, section: &str) -> Result<(), String> {
    let Some(&(_, heading)) = SECTIONS.iter().find(|(name, _)| *name == section) else {
        return Err(format!(
            "no section `{section}`: one of {}",
            SECTIONS.map(|(n, _)| n).join(", ")
        ));
    };
    if cfg!(debug_assertions) {
        return in_release(root, &["bench", "--only", section]);
    }
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let mut text = String::new();
    match section {
        "generation" => {
            let og = openapi_generator(&work)?;
            generation::generation(&mut text, root, &work, &og)?;
        }
        "compile" => {
            let og = openapi_generator(&work)?;
            compile(&mut text, root, &work, &og)?;
        }
        "large-crates" => {
            let og = openapi_generator(&work)?;
            large::large_crates(&mut text, root, &work, &og)?;
        }
        _ => overhead::overhead(&mut text, root)?,
    }
    let commit = run(Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root))
    .unwrap_or_default();
    let date = run(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_default();
    let text = text.replacen(
        "\n\n",
        &format!(
            "\n\nMeasured {} at commit {} by `cargo xtask bench --only {section}` (the other sections are from the run the Machine section describes).\n\n",
            date.trim(),
            commit.trim()
        ),
        1,
    );
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let new = match old.find(heading) {
        Some(start) => {
            let end = old[start + 3..]
                .find("\n## ")
                .map_or(old.len(), |i| start + 3 + i + 1);
            format!("{}{}{}", &old[..start], text, &old[end..])
        }
        None => format!("{}\n{}", old.trim_end(), format_args!("\n{text}")),
    };
    std::fs::write(&path, new).map_err(|e| e.to_string())?;
    eprintln!("bench: replaced the {heading} section of BENCHMARKS.md");
    Ok(())
}

/// Cold build (fresh target directory, dependencies included) and incremental rebuild after
/// touching `touch`, of the crate at `dir`: their wall times.
fn build_times(
    dir: &Path,
    target: &Path,
    touch: &Path,
    args: &[&str],
) -> Result<(Duration, Duration), String> {
    build::builds(dir, target, touch, args).map(|b| (b.cold.time, b.rebuild.time))
}

/// Gives openapi-generator's crate our TLS choice: its `rustls` feature means reqwest's rustls
/// on aws-lc; this makes it rustls on ring, as ours.
fn same_tls(manifest: &Path) -> Result<(), String> {
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

fn compile(md: &mut String, root: &Path, work: &Path, og: &Path) -> Result<(), String> {
    let runtime = root.join("crates/runtime");
    let _ = writeln!(md, "## Compile time\n");
    let _ = writeln!(
        md,
        "`cargo build` (dev profile) of each provider crate as a standalone crate: cold (fresh target directory, all dependencies included), then incremental after touching the generated file. openapi-generator's crate for the same spec is built the same way with the same TLS choice: its `rustls` feature, default features off, patched from reqwest's aws-lc provider to ring as ours (`same_tls` in xtask/src/bench.rs).\n"
    );
    let _ = writeln!(
        md,
        "| crate | ours cold | ours incremental | openapi-generator cold | openapi-generator incremental |\n|---|---:|---:|---:|---:|"
    );
    for spec in specs(root)
        .into_iter()
        .filter(|s| s.name.starts_with("specs/"))
    {
        let label = finapi_codegen::spec_label(&spec.path);
        let ours_dir = work.join("compile-ours").join(&label);
        let files = finapi_codegen::generate_standalone(
            &spec.path,
            &ours_dir,
            finapi_codegen::Standalone {
                runtime: Some(&runtime),
                ..Default::default()
            },
        )
        .map_err(|e| e.to_string())?;
        finapi_codegen::emit::emit(&files, &ours_dir).map_err(|e| e.to_string())?;
        let ours = build_times(
            &ours_dir,
            &work.join("target-ours"),
            &ours_dir.join("src/generated.rs"),
            &[],
        );
        let og_dir = work.join("compile-og").join(&label);
        let theirs = og_generate(og, &spec.path, &og_dir).and_then(|_| {
            same_tls(&og_dir.join("Cargo.toml"))?;
            build_times(
                &og_dir,
                &work.join("target-og"),
                &og_dir.join("src/lib.rs"),
                &["--no-default-features", "--features", "rustls"],
            )
        });
        let cell = |r: &Result<(Duration, Duration), String>, i: usize| match r {
            Ok((cold, inc)) => secs(if i == 0 { *cold } else { *inc }),
            Err(e) => format!("fails: {}", short(e)),
        };
        eprintln!(
            "  {label}: ours {:?}, openapi-generator {:?}",
            ours.as_ref().ok(),
            theirs.as_ref().ok()
        );
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {} |",
            cell(&ours, 0),
            cell(&ours, 1),
            cell(&theirs, 0),
            cell(&theirs, 1)
        );
    }
    md.push('\n');
    choices(md, work)
}

/// The measured effect of the choices that cut compile time.
fn choices(md: &mut String, work: &Path) -> Result<(), String> {
    let _ = writeln!(md, "### Choices that cut compile time\n");
    let moov = work.join("compile-ours/moov.yaml");
    let mut rows: Vec<(String, Result<Duration, String>)> = Vec::new();
    let cold = |args: &[&str], name: &str| -> Result<Duration, String> {
        build_times(
            &moov,
            &work.join(format!("target-choice-{name}")),
            &moov.join("src/generated.rs"),
            args,
        )
        .map(|(c, _)| c)
    };
    let manifest_path = moov.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| e.to_string())?;
    // The crate's other default features, kept on in every TLS row so that only the TLS
    // choice changes (`--no-default-features` would drop them too).
    let others: Vec<&str> = ["webhooks", "all-operations"]
        .into_iter()
        .filter(|f| manifest.contains(&format!("\n{f} = [")))
        .collect();
    let with = |tls: &str| {
        std::iter::once(tls)
            .chain(others.iter().copied())
            .filter(|f| !f.is_empty())
            .collect::<Vec<_>>()
            .join(",")
    };
    let rustls_ring = cold(&[], "ring");
    rows.push(("TLS: rustls on ring (our default)".to_owned(), rustls_ring));
    // reqwest's own default TLS (rustls on aws-lc) with its other defaults (HTTP/2, proxies).
    let patched = manifest.replace(
        "reqwest = { version = \"0.13\", default-features = false,",
        "reqwest = { version = \"0.13\", default-features = true,",
    );
    std::fs::write(&manifest_path, &patched).map_err(|e| e.to_string())?;
    let aws = cold(&["--no-default-features", "--features", &with("")], "awslc");
    std::fs::write(&manifest_path, &manifest).map_err(|e| e.to_string())?;
    rows.push((
        "TLS: reqwest's defaults (rustls on aws-lc, HTTP/2, proxies)".to_owned(),
        aws,
    ));
    let native = cold(
        &["--no-default-features", "--features", &with("native-tls")],
        "native",
    );
    rows.push(("TLS: native-tls (OpenSSL)".to_owned(), native));
    // What the `webhooks` default costs: the default without it.
    if others.contains(&"webhooks") {
        let features: Vec<&str> = std::iter::once("rustls")
            .chain(others.iter().copied().filter(|f| *f != "webhooks"))
            .collect();
        let without = cold(
            &["--no-default-features", "--features", &features.join(",")],
            "no-webhooks",
        );
        rows.push((
            format!(
                "rustls on ring, without the `webhooks` default feature ({})",
                features.join(", ")
            ),
            without,
        ));
    }
    let _ = writeln!(
        md,
        "Cold `cargo build` of the generated Moov crate, dependencies included, fresh target directory each; every row but the last with the crate's default features (`webhooks`, `all-operations`) and only the TLS choice changed:\n\n| choice | cold build |\n|---|---:|"
    );
    let interface = interface(work);
    for (name, r) in rows {
        let cell = match r {
            Ok(d) => secs(d),
            Err(e) => format!("fails: {}", short(&e)),
        };
        let _ = writeln!(md, "| {name} | {cell} |");
    }
    let _ = writeln!(
        md,
        "\nInterface: progenitor's output alone for Moov's normalized spec, in each style, built with its dependencies already built (the time of the crate itself, after touching it):\n\n| progenitor interface | lines | crate build |\n|---|---:|---:|"
    );
    match interface {
        Ok(rows) => {
            for (name, lines, time) in rows {
                let _ = writeln!(md, "| {name} | {lines} | {} |", secs(time));
            }
        }
        Err(e) => {
            let _ = writeln!(md, "| both | | fails: {} |", short(&e));
        }
    }
    md.push('\n');
    Ok(())
}

/// Builds progenitor's positional and builder output for Moov; (style, lines, crate build time).
fn interface(work: &Path) -> Result<Vec<(&'static str, usize, Duration)>, String> {
    let root = work.parent().and_then(Path::parent).ok_or("no root")?;
    let input =
        finapi_codegen::load_input(&root.join("specs/moov.yaml")).map_err(|e| e.to_string())?;
    let target = work.join("target-interface");
    let mut rows = Vec::new();
    for (name, builder) in [("positional (ours)", false), ("builder", true)] {
        let code = finapi_codegen::progenitor_only(&input, builder).map_err(|e| e.to_string())?;
        let dir = work.join(format!("interface-{builder}"));
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"iface-{builder}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nprogenitor-client = \"=0.15.1\"\nreqwest = {{ version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\", \"form\"] }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\nchrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\nuuid = {{ version = \"1\", features = [\"serde\"] }}\nregress = \"0.12\"\n\n[workspace]\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        let lib = dir.join("src/lib.rs");
        std::fs::write(&lib, format!("#![allow(warnings)]\n{code}")).map_err(|e| e.to_string())?;
        let build = || {
            let mut cmd = Command::new(cargo());
            cmd.args(["build", "--quiet"])
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", &target);
            cmd
        };
        run(&mut build())?;
        std::fs::write(&lib, format!("#![allow(warnings)]\n{code}\n"))
            .map_err(|e| e.to_string())?;
        rows.push((name, code.lines().count(), timed(&mut build())?));
    }
    Ok(rows)
}

/// Runs `cargo run --release -p finapi-bench --bin <bin> -- <args>` and reads the JSON line
/// it prints last.
fn bench_bin(root: &Path, bin: &str, args: &[&str]) -> Result<serde_json::Value, String> {
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

fn client_build(md: &mut String, root: &Path) -> Result<(), String> {
    let v = bench_bin(root, "client_build", &["50"])?;
    let num = |p: &str| v.pointer(p).and_then(|x| x.as_f64()).unwrap_or(f64::NAN);
    let _ = writeln!(
        md,
        "## Building a client
"
    );
    let _ = writeln!(
        md,
        "`cargo run --release -p finapi-bench --bin client_build -- 50`: 50 Moov clients built one after another, then 50 plain `reqwest::Client`s with rustls on ring (reqwest reads the system's CA roots for each). The first build pays for what a process does once.\n"
    );
    let _ = writeln!(
        md,
        "| client | first build | each further build (median) | slowest further build |\n|---|---:|---:|---:|"
    );
    for (label, key) in [
        ("moov-client (one TLS configuration per process)", "ours"),
        ("plain reqwest (anchor)", "reqwest"),
    ] {
        let _ = writeln!(
            md,
            "| {label} | {:.1} ms | {:.3} ms | {:.3} ms |",
            num(&format!("/{key}/first_us")) / 1000.0,
            num(&format!("/{key}/median_us")) / 1000.0,
            num(&format!("/{key}/max_us")) / 1000.0
        );
    }
    md.push('\n');
    Ok(())
}

fn decode(md: &mut String, root: &Path) -> Result<(), String> {
    run(Command::new(cargo())
        .args([
            "bench",
            "--quiet",
            "-p",
            "finapi-bench",
            "--bench",
            "decode",
        ])
        .current_dir(root))?;
    let _ = writeln!(md, "## Decode throughput\n");
    let _ = writeln!(
        md,
        "`cargo bench -p finapi-bench --bench decode` (criterion, mean): the largest response of the provider crates (MoneyKit get_account, the page's example) and a Moov bank account, into the generated type and into `serde_json::Value`.\n"
    );
    let _ = writeln!(
        md,
        "| response | bytes | typed | `serde_json::Value` | typed / Value |\n|---|---:|---:|---:|---:|"
    );
    // The payloads finapi-bench includes, by file (xtask does not link the generated crates,
    // so that `cargo xtask regen` runs even when they do not compile).
    let payload = |path: &str| {
        std::fs::metadata(root.join(path))
            .map(|m| m.len() as usize)
            .map_err(|e| format!("{path}: {e}"))
    };
    for (group, bytes) in [
        (
            "moneykit_get_account",
            payload("tests/fixtures/pages/moneykit-get-account.json")?,
        ),
        (
            "moov_bank_account",
            payload("bench/payloads/moov-bank-account.json")?,
        ),
    ] {
        let mean = |f: &str| -> Option<f64> {
            let path = root.join(format!("target/criterion/{group}/{f}/new/estimates.json"));
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
            v.pointer("/mean/point_estimate")?.as_f64()
        };
        let (Some(typed), Some(value)) = (mean("typed"), mean("value")) else {
            return Err(format!("no criterion estimates for {group}"));
        };
        let mbps = |ns: f64| bytes as f64 / ns * 1e9 / 1e6;
        let _ = writeln!(
            md,
            "| {group} | {bytes} | {:.2} µs ({:.0} MB/s) | {:.2} µs ({:.0} MB/s) | {:.2} |",
            typed / 1000.0,
            mbps(typed),
            value / 1000.0,
            mbps(value),
            typed / value
        );
    }
    md.push('\n');
    Ok(())
}
