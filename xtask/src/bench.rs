//! `cargo xtask bench`: measures generation time, compile time, the build of large crates,
//! request overhead, client build time and decode throughput, each beside its anchor in the same run, and writes
//! `BENCHMARKS.md`.
//!
//! Anchors: openapi-generator 7.x (`rust`, from PyPI's `openapi-generator-cli`, run on Java)
//! for generation and compile time; a hand-written reqwest + serde call for request overhead;
//! a plain `reqwest::Client` for client build time; `serde_json::Value` for decode throughput. No test asserts on any of these figures.

mod build;
mod client_build;
mod common;
mod compile;
mod decode;
mod generation;
mod large;
mod locate;
mod overhead;
mod scaling;
mod synthetic;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use self::common::{OPENAPI_GENERATOR, in_release, openapi_generator, run};

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
    eprintln!("bench: generation scaling");
    scaling::scaling(&mut md, &work)?;
    eprintln!("bench: compile time");
    compile::compile(&mut md, root, &work, &og)?;
    eprintln!("bench: large crates");
    large::large_crates(&mut md, root, &work, &og)?;
    eprintln!("bench: locating a panic");
    locate::locate(&mut md, root, &work)?;
    eprintln!("bench: request overhead");
    overhead::overhead(&mut md, root)?;
    eprintln!("bench: client build");
    client_build::client_build(&mut md, root)?;
    eprintln!("bench: decode throughput");
    decode::decode(&mut md, root)?;
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

/// The sections `--only` re-measures, by name and heading.
pub const SECTIONS: [(&str, &str); 6] = [
    ("generation", "## Generation time"),
    ("scaling", "## Generation scaling"),
    ("compile", "## Compile time"),
    ("large-crates", "## Large crates"),
    ("locate", "## Locating a panic"),
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
        "scaling" => scaling::scaling(&mut text, &work)?,
        "compile" => {
            let og = openapi_generator(&work)?;
            compile::compile(&mut text, root, &work, &og)?;
        }
        "large-crates" => {
            let og = openapi_generator(&work)?;
            large::large_crates(&mut text, root, &work, &og)?;
        }
        "locate" => locate::locate(&mut text, root, &work)?,
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
