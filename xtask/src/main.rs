//! `cargo xtask`: the project's maintenance commands.
//!
//! - `cargo xtask regen`: regenerate every crate under `crates/` from `specs/`.
//! - `cargo xtask check`: fail with a unified diff where a committed generated file differs
//!   from what `regen` writes, then build and test the generated crates.
//! - `cargo xtask generate <SPEC> --out <DIR> [--name <CRATE>] [--runtime-path <DIR>]`: write
//!   a standalone crate for any spec (the installable `finapi-codegen generate`).
//! - `cargo xtask corpus [DIR...] [--doctests]`: generate and `cargo check` a crate for
//!   every spec of the folders (default `../shared/corpus`) and print a table; non-zero on
//!   any failure.
//! - `cargo xtask fuzz-specs [--cases N] [--seed S] [--no-check] [--shrink-seconds T]`:
//!   random valid OpenAPI documents through the generator (none refused, none panics) and
//!   their crates through one `cargo check`; a failure shrinks to a small document kept under
//!   `tests/fixtures/fuzz/`, replayed by every run.
//! - `cargo xtask bench [--only SECTION]`: measure generation time, compile time, the build
//!   of large crates, request overhead and decode throughput against their anchors, and write
//!   `BENCHMARKS.md` (with `--only generation|compile|large-crates|locate|overhead`, re-measure that
//!   section alone and replace it).

mod bench;
mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

// The allocator of the installable `finapi-codegen` binary, so that `regen`, `corpus` and
// `bench` generate as it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  cargo xtask regen
  cargo xtask check [--no-build]
  cargo xtask generate <SPEC> --out <DIR> [--name <CRATE>] [--runtime-path <DIR>]
  cargo xtask bench [--only generation|compile|large-crates|locate|overhead]
  cargo xtask corpus [DIR...] [--only STEM,...] [--no-check] [--doctests] [--update-baseline]
  cargo xtask fuzz-specs [--cases N] [--seed S] [--no-check] [--shrink-seconds T]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") if args.len() == 1 => regen(),
        Some("check") => check(args[1..].iter().any(|a| a == "--no-build")),
        // The installable generator's own command line: the same code, the same exit codes.
        Some("generate") => return finapi_codegen::cli::main(&args),
        Some("bench") if args.len() == 1 => bench::bench(&root()),
        Some("bench") if args.len() == 3 && args[1] == "--only" => bench::only(&root(), &args[2]),
        Some("corpus") => corpus::corpus(&root(), &args[1..]),
        Some("fuzz-specs") => xtask::spec_fuzz::run(&root(), &args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_owned()
}

/// Paths relative to the workspace in messages, whatever the current directory.
fn show(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn regen() -> Result<(), String> {
    let root = root();
    let results = xtask::workspace::regen(&root).map_err(|e| e.to_string())?;
    for (dir, changed) in results {
        println!(
            "{:>10} {}",
            if changed { "wrote" } else { "unchanged" },
            show(&dir)
        );
    }
    Ok(())
}

fn check(no_build: bool) -> Result<(), String> {
    let root = root();
    let stale = xtask::workspace::check(&root).map_err(|e| e.to_string())?;
    if !stale.is_empty() {
        for (dir, mismatches) in &stale {
            eprint!(
                "{}",
                finapi_codegen::render(Path::new(&show(dir)), mismatches)
            );
        }
        return Err(format!(
            "{} generated crate(s) differ from their specs: run `cargo xtask regen` and commit the result",
            stale.len()
        ));
    }
    println!("generated crates match their specs");
    if no_build {
        return Ok(());
    }
    let mut packages = vec!["finapi-runtime".to_owned(), "tests".to_owned()];
    for (spec, _) in xtask::workspace::discover(&root.join("specs")).map_err(|e| e.to_string())? {
        let names = xtask::workspace::names_of(&spec).map_err(|e| e.to_string())?;
        packages.push(names.package);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for step in ["build", "test"] {
        let mut cmd = Command::new(&cargo);
        cmd.arg(step).current_dir(&root);
        if step == "build" {
            cmd.arg("--all-targets");
        }
        for p in &packages {
            cmd.args(["-p", p]);
        }
        let status = cmd
            .status()
            .map_err(|e| format!("cannot run cargo {step}: {e}"))?;
        if !status.success() {
            return Err(format!("cargo {step} of the generated crates failed"));
        }
    }
    Ok(())
}
