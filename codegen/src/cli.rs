//! The command line of the installable `finapi-codegen` binary (`cargo install --path codegen`);
//! `cargo xtask generate` runs the same code.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::Error;

/// The text of `finapi-codegen --help`.
pub const HELP: &str = "\
finapi-codegen: a typed Rust client crate from an OpenAPI document.

USAGE:
    finapi-codegen generate <SPEC> --out <DIR> [--name <CRATE>] [--settings <FILE>]
                            [--runtime-path <DIR>] [--strict] [--timings]
    finapi-codegen --help | --version

ARGUMENTS:
    <SPEC>    The OpenAPI document: 3.0 or 3.1, YAML or JSON, possibly split over files
              (relative $refs). Settings are read from <stem>.settings.yaml beside it when
              that file exists (crate name, base URL, client headers, token endpoint, ...).

OPTIONS:
    --out <DIR>
        Where to write the crate: a package with its own [workspace], so that it builds
        where it is written. An existing crate there is replaced only once generation has
        succeeded; on any error nothing is written.
    --name <CRATE>
        The package name. Default: the settings' `package`, else one made from the spec's
        title (`Acme API` becomes `acme-api-client`).
    --settings <FILE>
        The settings to generate with (crate name, base URL, client headers, token endpoint,
        pagination of list operations, ...), for a spec you cannot put a settings file
        beside. Default: <stem>.settings.yaml beside the spec, if it exists.
    --runtime-path <DIR>
        Depend on a local copy of the finapi-runtime crate at <DIR>, written as a path
        relative to --out (for developing the runtime and a crate together). Default: the
        registry's finapi-runtime, by version.
    --strict
        Refuse the spec at the first construct the generator cannot type. Without it such a
        construct costs only itself: a schema becomes any JSON (serde_json::Value), a body
        any JSON, a parameter a string, or at most the operation is left out; each is a
        warning on stderr that names the file and the node, and the crate's README lists
        them.
    --timings
        After writing, print each stage's wall time and the process's peak memory (RSS)
        after it, as a table.
    -h, --help
        Print this text.
    -V, --version
        Print the generator's version.

EXIT STATUS:
    0   The crate was written (with a warning on stderr for each construct given up).
    1   The spec, its settings, the runtime path or the output folder was refused. The error
        names the file and the node (JSON pointer, or line:column); nothing was written.
    2   The command line is wrong (an unknown option, a missing argument).
";

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The command line is wrong: exit status 2.
    Usage(String),
    /// The input was refused: exit status 1.
    Refused(Error),
}

/// Runs the command line `args` (without the program's name), printing what it says; the exit
/// status.
pub fn main(args: &[String]) -> ExitCode {
    match run(args) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}\n\nRun `finapi-codegen --help` for the options.");
            ExitCode::from(2)
        }
        Err(Failure::Refused(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

/// Runs the command line `args`: what to print on success.
pub fn run(args: &[String]) -> Result<String, Failure> {
    match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("-h" | "--help" | "help") => Ok(HELP.trim_end().to_owned()),
        Some("-V" | "--version") => Ok(format!("finapi-codegen {}", env!("CARGO_PKG_VERSION"))),
        Some(other) => Err(Failure::Usage(format!("unknown command {other:?}"))),
        None => Err(Failure::Usage("no command given".into())),
    }
}

/// `generate <SPEC> --out <DIR> [--name <CRATE>] [--settings <FILE>] [--runtime-path <DIR>]
/// [--timings]`.
fn generate(args: &[String]) -> Result<String, Failure> {
    let mut spec = None;
    let mut out = None;
    let mut name = None;
    let mut runtime = None;
    let mut settings = None;
    let mut timed = false;
    let mut strict = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |option: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Failure::Usage(format!("{option} needs a value")))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(HELP.trim_end().to_owned()),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--name" => name = Some(value("--name")?),
            "--runtime-path" => runtime = Some(PathBuf::from(value("--runtime-path")?)),
            "--settings" => settings = Some(PathBuf::from(value("--settings")?)),
            "--timings" => timed = true,
            "--strict" => strict = true,
            s if s.starts_with('-') => {
                return Err(Failure::Usage(format!("unknown option {s:?}")));
            }
            s if spec.is_none() => spec = Some(PathBuf::from(s)),
            s => return Err(Failure::Usage(format!("unexpected argument {s:?}"))),
        }
    }
    let spec = spec.ok_or_else(|| Failure::Usage("no <SPEC> given".into()))?;
    let out = out.ok_or_else(|| Failure::Usage("no --out <DIR> given".into()))?;
    if timed {
        crate::timings::record(peak_rss_kib);
    }
    let started = std::time::Instant::now();
    let mut builder = crate::Builder::new(&spec).strict(strict);
    if let Some(name) = name {
        builder = builder.package_name(name);
    }
    if let Some(settings) = settings {
        builder = builder.settings_file(settings);
    }
    if let Some(runtime) = runtime {
        builder = builder.runtime_checkout(runtime, &out);
    }
    let files = builder.generate_crate().map_err(Failure::Refused)?;
    let generation = started.elapsed().as_secs_f64();
    crate::timings::stage("emit", || files.write_to(&out)).map_err(Failure::Refused)?;
    for warning in &files.report.warnings {
        eprintln!("warning: {warning}");
    }
    let mut report = format!("wrote {}", out.display());
    if !files.report.warnings.is_empty() {
        report.push_str(&format!(
            " ({} construct(s) given up: see the warnings above, or the crate's README)",
            files.report.warnings.len()
        ));
    }
    if timed {
        report.push_str(&timings_table(&crate::timings::take(), generation));
    }
    Ok(report)
}

/// The stages' times and the peak RSS after each, as a table; `generation` is the wall time
/// of generation (every stage but `emit`), whose part outside the stages (values dropped and
/// moved between them) gets a row of its own.
fn timings_table(stages: &[crate::timings::StageTime], generation: f64) -> String {
    let staged: f64 = stages
        .iter()
        .filter(|s| s.stage != "emit")
        .map(|s| s.seconds)
        .sum();
    let between = (generation - staged).max(0.0);
    let total: f64 = stages.iter().map(|s| s.seconds).sum::<f64>() + between;
    let mut out = String::from(
        "\n\n| stage | seconds | share | peak RSS after (MiB) |\n|---|---:|---:|---:|\n",
    );
    for s in stages {
        if s.stage == "emit" {
            out.push_str(&format!(
                "| between stages (drops, moves) | {between:.3} | {:.0}% | - |\n",
                100.0 * between / total.max(f64::EPSILON)
            ));
        }
        let rss = s
            .probe
            .map_or_else(|| "-".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0));
        out.push_str(&format!(
            "| {} | {:.3} | {:.0}% | {rss} |\n",
            s.stage,
            s.seconds,
            100.0 * s.seconds / total.max(f64::EPSILON)
        ));
    }
    out.push_str(&format!("| total | {total:.3} | 100% | |"));
    out
}

/// The process's peak resident set so far (Linux: `VmHWM`), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_command_line_is_checked_before_anything_is_read() {
        for (line, expected) in [
            (&["generate"][..], "no <SPEC> given"),
            (&["generate", "a.yaml"][..], "no --out <DIR> given"),
            (&["generate", "a.yaml", "--out"][..], "--out needs a value"),
            (
                &["generate", "a.yaml", "--frobnicate"][..],
                "unknown option",
            ),
            (&["generate", "a.yaml", "b.yaml"][..], "unexpected argument"),
            (&["launch"][..], "unknown command"),
            (&[][..], "no command given"),
        ] {
            match run(&args(line)) {
                Err(Failure::Usage(message)) => assert!(message.contains(expected), "{message}"),
                other => panic!("{line:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn help_documents_every_option() {
        let help = run(&args(&["--help"])).expect("help");
        for option in [
            "--out",
            "--name",
            "--runtime-path",
            "--settings",
            "--timings",
            "--help",
            "--version",
            "EXIT STATUS",
        ] {
            assert!(help.contains(option), "{option} is not documented");
        }
        assert_eq!(run(&args(&["generate", "--help"])).expect("help"), help);
    }

    #[test]
    fn timings_say_where_the_time_went() {
        let out = std::env::temp_dir().join(format!("finapi-cli-timings-{}", std::process::id()));
        let spec = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/specs/names.yaml"
        );
        let report = run(&args(&[
            "generate",
            spec,
            "--out",
            out.to_str().unwrap(),
            "--timings",
        ]))
        .expect("generated");
        let _ = std::fs::remove_dir_all(&out);
        for stage in [
            "| load |",
            "| validate |",
            "| generate |",
            "| post-process: parse |",
            "| format |",
            "| between stages (drops, moves) |",
            "| emit |",
            "| total |",
        ] {
            assert!(report.contains(stage), "{stage} missing from {report}");
        }
        assert!(
            crate::timings::take().is_empty(),
            "recording ends with the command"
        );
    }
}
