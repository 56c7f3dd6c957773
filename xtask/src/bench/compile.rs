//! The "Compile time" section: each provider crate's cold build and rebuild beside
//! openapi-generator's for the same spec and TLS choice, then the measured effect of the
//! choices that cut compile time (TLS backends, the off-by-default `webhooks` and `mock`,
//! progenitor's interface style).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::build::{EVERY_OPERATION, build_times, builds_with};
use super::common::{cargo, label, median, ours, run, secs, short, specs, theirs, timed};

/// Writes the section, and its choices that cut compile time.
pub(super) fn compile(md: &mut String, root: &Path, work: &Path, og: &Path) -> Result<(), String> {
    let _ = writeln!(md, "## Compile time\n");
    let _ = writeln!(
        md,
        "`cargo build` (dev profile) of each provider crate as a standalone crate: cold (fresh target directory, all dependencies included), then incremental after touching the generated file. openapi-generator's crate for the same spec is built the same way with the same TLS choice: its `rustls` feature, default features off, patched from reqwest's aws-lc provider to ring as ours (`same_tls` in xtask/src/bench/common.rs). Both crates are built {ROUNDS} times, interleaved (ours first in odd rounds, openapi-generator's first in even ones), so that the machine's drift falls on both alike: each cell is the median, and the ratio is the median of the rounds' ratios of the cold builds (the same build varies by a second or more from one run to the next). Our operations' functions are `#[inline]` (ARCHITECTURE.md, pay per call): rustc generates their code in the program that calls them, not in the crate; \"ours, every operation\" is the cold build with that code generated in the crate itself (`cargo rustc --lib -- -C link-dead-code`, once), what a program that calls every operation adds to its own build.\n"
    );
    let _ = writeln!(
        md,
        "| crate | ours cold | ours incremental | ours, every operation, cold | openapi-generator cold | openapi-generator incremental | ours / openapi-generator, cold (median of rounds) |\n|---|---:|---:|---:|---:|---:|---:|"
    );
    let mut ratios: Vec<(String, f64)> = Vec::new();
    for spec in specs(root)
        .into_iter()
        .filter(|s| s.name.starts_with("specs/"))
    {
        let label = label(&spec.path);
        let ours_dir = work.join("compile-ours").join(&label);
        ours(root, &spec.path, &ours_dir)?;
        let og_dir = work.join("compile-og").join(&label);
        let og_ready = theirs(og, &spec.path, &og_dir);
        let build_ours = || {
            build_times(
                &ours_dir,
                &work.join("target-ours"),
                &ours_dir.join("src/generated.rs"),
                &[],
            )
        };
        let build_theirs = || {
            og_ready.clone().and_then(|_| {
                build_times(
                    &og_dir,
                    &work.join("target-og"),
                    &og_dir.join("src/lib.rs"),
                    &["--no-default-features", "--features", "rustls"],
                )
            })
        };
        let (mut ours_runs, mut theirs_runs) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            if round % 2 == 0 {
                ours_runs.push(build_ours());
                theirs_runs.push(build_theirs());
            } else {
                theirs_runs.push(build_theirs());
                ours_runs.push(build_ours());
            }
            eprintln!(
                "  {label}, round {}: ours {:?}, openapi-generator {:?}",
                round + 1,
                ours_runs[round].as_ref().ok(),
                theirs_runs[round].as_ref().ok()
            );
        }
        let every = builds_with(
            &ours_dir,
            &work.join("target-ours"),
            &ours_dir.join("src/generated.rs"),
            &EVERY_OPERATION,
        )
        .map(|b| b.cold.time);
        let ratio = median(
            ours_runs
                .iter()
                .zip(&theirs_runs)
                .filter_map(|(o, t)| {
                    let (o, t) = (o.as_ref().ok()?, t.as_ref().ok()?);
                    Some(o.0.as_secs_f64() / t.0.as_secs_f64())
                })
                .collect(),
        );
        let ratio_cell = ratio.map_or_else(|| "-".to_owned(), |r| format!("{r:.2}"));
        if let Some(r) = ratio {
            ratios.push((label.clone(), r));
        }
        let every = duration_cell(every.as_ref().copied());
        let (ours_cold, ours_inc) = cells(&ours_runs);
        let (theirs_cold, theirs_inc) = cells(&theirs_runs);
        let _ = writeln!(
            md,
            "| {label} | {ours_cold} | {ours_inc} | {every} | {theirs_cold} | {theirs_inc} | {ratio_cell} |"
        );
    }
    md.push('\n');
    if !ratios.is_empty() {
        let over: Vec<String> = ratios
            .iter()
            .filter(|(_, r)| *r > 1.0)
            .map(|(n, r)| format!("{n} at {r:.2}"))
            .collect();
        let _ = writeln!(
            md,
            "Target: every provider crate's cold build at or below openapi-generator's (ratio ≤ 1.00). Met by {} of {}{}.",
            ratios.len() - over.len(),
            ratios.len(),
            if over.is_empty() {
                String::new()
            } else {
                format!("; over: {}", over.join(", "))
            }
        );
    }
    md.push('\n');
    choices(md, work)
}

/// How many times each provider crate and openapi-generator's are built, interleaved.
const ROUNDS: usize = 3;

/// The cells of a crate's `runs` (each a cold build's time and the incremental rebuild's):
/// the median of each, or the first failure where none built.
fn cells(runs: &[Result<(Duration, Duration), String>]) -> (String, String) {
    let built: Vec<&(Duration, Duration)> = runs.iter().filter_map(|r| r.as_ref().ok()).collect();
    let cell = |pick: fn(&(Duration, Duration)) -> Duration| match median(
        built.iter().map(|b| pick(b)).collect(),
    ) {
        Some(d) => secs(d),
        None => runs
            .iter()
            .find_map(|r| r.as_ref().err())
            .map_or_else(|| "-".to_owned(), |e| duration_cell(Err(e))),
    };
    (cell(|b| b.0), cell(|b| b.1))
}

/// A table cell: a build's time, or why it failed.
fn duration_cell(r: Result<Duration, &String>) -> String {
    match r {
        Ok(d) => secs(d),
        Err(e) => format!("fails: {}", short(e)),
    }
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
    // The crate's other default features, kept on in every row so that only the choice
    // changes (`--no-default-features` would drop them too).
    let others: Vec<&str> = ["all-operations"]
        .into_iter()
        .filter(|f| manifest.contains(&format!("\n{f} = [")))
        .collect();
    let with = |extra: &[&str]| {
        extra
            .iter()
            .copied()
            .chain(others.iter().copied())
            .collect::<Vec<_>>()
            .join(",")
    };
    let rustls_ring = cold(&[], "ring");
    rows.push(("TLS: rustls on ring (our default)".to_owned(), rustls_ring));
    let pq = cold(
        &[
            "--no-default-features",
            "--features",
            &with(&["rustls-aws-lc"]),
        ],
        "aws-lc",
    );
    rows.push((
        "TLS: rustls on aws-lc-rs, post-quantum key exchange (`rustls-aws-lc`)".to_owned(),
        pq,
    ));
    // reqwest's own default TLS (rustls on aws-lc) with its other defaults (HTTP/2, proxies).
    let patched = manifest.replace(
        "reqwest = { version = \"0.13\", default-features = false,",
        "reqwest = { version = \"0.13\", default-features = true,",
    );
    std::fs::write(&manifest_path, &patched).map_err(|e| e.to_string())?;
    let aws = cold(
        &["--no-default-features", "--features", &with(&[])],
        "awslc",
    );
    std::fs::write(&manifest_path, &manifest).map_err(|e| e.to_string())?;
    rows.push((
        "TLS: reqwest's defaults (rustls on aws-lc, HTTP/2, proxies)".to_owned(),
        aws,
    ));
    let native = cold(
        &[
            "--no-default-features",
            "--features",
            &with(&["native-tls"]),
        ],
        "native",
    );
    rows.push(("TLS: native-tls (OpenSSL)".to_owned(), native));
    // What the off-by-default features add to the default build.
    for feature in ["webhooks", "mock"] {
        if manifest.contains(&format!("\n{feature} = [")) {
            let d = cold(&["--features", feature], feature);
            rows.push((format!("the default and `{feature}` (off by default)"), d));
        }
    }
    let _ = writeln!(
        md,
        "Cold `cargo build` of the generated Moov crate, dependencies included, fresh target directory each. The TLS rows have the crate's default features (`all-operations`) with only the TLS choice changed; the last rows add one off-by-default feature to the defaults:\n\n| choice | cold build |\n|---|---:|"
    );
    let interface = interface(work);
    for (name, r) in rows {
        let cell = duration_cell(r.as_ref().copied());
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
    let moov = finapi_codegen::Builder::new(root.join("specs/moov.yaml"));
    let target = work.join("target-interface");
    let mut rows = Vec::new();
    for (name, builder) in [("positional (ours)", false), ("builder", true)] {
        let code = moov.progenitor_only(builder).map_err(|e| e.to_string())?;
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::cells;

    #[test]
    fn a_crates_cells_are_the_medians_of_its_builds_or_its_first_failure() {
        let s = Duration::from_secs;
        let runs = vec![
            Ok((s(30), s(3))),
            Err("timed out".to_owned()),
            Ok((s(20), s(1))),
            Ok((s(25), s(2))),
        ];
        assert_eq!(cells(&runs), ("25.0 s".to_owned(), "2.0 s".to_owned()));
        let failed = vec![
            Err("E0428: defined twice".to_owned()),
            Err("later".to_owned()),
        ];
        let (cold, inc) = cells(&failed);
        assert!(cold.starts_with("fails: E0428"), "{cold}");
        assert_eq!(cold, inc);
    }
}
