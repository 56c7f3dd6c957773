//! `cargo xtask fuzz-specs [--cases N] [--seed S] [--no-check] [--shrink-seconds T]`: the
//! proof that any valid OpenAPI document yields a crate. Random valid documents ([`document`],
//! one per seed) go through the generator in-process, as a user's spec would (not strict):
//! none may be refused or panic; then every crate is written into one workspace and checked
//! by one `cargo check --all-targets`: every crate compiles. Warnings (what generation gave
//! up, located) are allowed and counted.
//!
//! A failure shrinks ([`shrink`]) to a small document that fails the same way, saved under
//! `tests/fixtures/fuzz/`; every run replays the documents saved there first, so a fixed
//! class stays fixed. The run's table is written to `target/fuzz-specs/REPORT.md`.

pub mod documents;
pub mod shrink;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

pub use documents::document;

/// Where the documents that failed once are kept, replayed by every run.
pub const FINDINGS: &str = "tests/fixtures/fuzz";

/// Where a run writes its specs, crates and report.
const OUT: &str = "target/fuzz-specs";

/// The fuzz workspace's own target directory: the dependencies stay between runs, the
/// generated crates' artifacts go at the start of each (thousands of crates would fill a
/// disk).
const TARGET: &str = "target/fuzz-specs/target";

/// How a document failed: the kind of failure, stable while the document shrinks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Failure {
    /// The generator's process died (a stack overflow aborts; no `catch_unwind` catches it).
    Crash {
        /// How it ended.
        status: String,
    },
    /// The generator panicked (outside what it catches itself), at this source location.
    Panic {
        /// `file:line` of the panic.
        at: String,
        /// The panic's message.
        message: String,
    },
    /// The generator refused the document as a whole.
    Refused {
        /// The stage that refused it.
        stage: String,
        /// The error, located.
        message: String,
    },
    /// The crate did not compile.
    Compile {
        /// The first error's code (`E0428`), or `error` where it has none.
        code: String,
        /// The first error line.
        message: String,
    },
}

impl Failure {
    /// The same failure, as shrinking must keep it: the kind, and where or which.
    fn same_kind(&self, other: &Failure) -> bool {
        match (self, other) {
            (Failure::Crash { status: a }, Failure::Crash { status: b }) => {
                a.contains("stack overflow") == b.contains("stack overflow")
                    && a.split(' ').next() == b.split(' ').next()
            }
            (Failure::Panic { at: a, .. }, Failure::Panic { at: b, .. }) => a == b,
            (
                Failure::Refused {
                    stage: a,
                    message: m,
                },
                Failure::Refused {
                    stage: b,
                    message: n,
                },
            ) => a == b && gist(m) == gist(n),
            (Failure::Compile { code: a, .. }, Failure::Compile { code: b, .. }) => a == b,
            _ => false,
        }
    }

    /// A short name, for the saved document's file name.
    fn slug(&self) -> String {
        match self {
            Failure::Crash { .. } => "crash".into(),
            Failure::Panic { .. } => "panic".into(),
            Failure::Refused { stage, .. } => format!("refused-{}", stage.to_lowercase()),
            Failure::Compile { code, .. } => format!("compile-{code}"),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Crash { status } => write!(f, "the generator's process died: {status}"),
            Failure::Panic { at, message } => write!(f, "panicked at {at}: {message}"),
            Failure::Refused { message, .. } => write!(f, "refused: {message}"),
            Failure::Compile { message, .. } => write!(f, "does not compile: {message}"),
        }
    }
}

/// A message without its names (what is quoted, and the file and pointer before `: at`):
/// what stays while a document shrinks.
fn gist(message: &str) -> String {
    let text = message
        .split_once(": at ")
        .map_or(message, |(_, rest)| rest);
    let text = text.split_once(": ").map_or(text, |(_, rest)| rest);
    let mut out = String::new();
    let mut quoted = None;
    for c in text.chars() {
        match (quoted, c) {
            (None, '`' | '"') => quoted = Some(c),
            (Some(q), c) if c == q => quoted = None,
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    out
}

/// The last panic's location and message, recorded by the hook [`generate`] installs.
static LAST_PANIC: Mutex<Option<(String, String)>> = Mutex::new(None);

/// Generates the crate of `doc` in memory, as a user's spec would be (not strict), the
/// document written as JSON to `spec` first (the generator reads its input from a file).
/// `crate_dir` is where the crate will be written. A refusal or a panic is the failure.
pub fn generate(
    doc: &Value,
    spec: &Path,
    package: &str,
    runtime: &Path,
    crate_dir: &Path,
) -> Result<finapi_codegen::CrateFiles, Failure> {
    let text = serde_json::to_string_pretty(doc).expect("a JSON value serializes");
    if let Some(dir) = spec.parent() {
        std::fs::create_dir_all(dir).expect("the fuzz folder can be made");
    }
    std::fs::write(spec, text).expect("the fuzz spec can be written");
    let builder = finapi_codegen::Builder::new(spec)
        .package_name(package)
        .runtime_checkout(runtime, crate_dir)
        .standalone(false)
        .publishable(false);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some((at, message));
    }));
    let result = std::panic::catch_unwind(|| builder.generate_crate());
    std::panic::set_hook(previous);
    match result {
        Ok(Ok(files)) => Ok(files),
        Ok(Err(e)) => Err(Failure::Refused {
            stage: format!("{:?}", e.stage),
            message: e.to_string(),
        }),
        Err(_) => {
            let (at, message) = LAST_PANIC
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or_default();
            Err(Failure::Panic { at, message })
        }
    }
}

/// What a child process generating one crate reports (one JSON line on its stdout).
#[derive(serde::Serialize, serde::Deserialize)]
enum Report {
    Generated { warnings: Vec<String> },
    Failed(Failure),
}

/// [`generate`] in a child process (this program, `fuzz-specs --one ...`) that writes the
/// crate to `crate_dir`: a crash (a stack overflow aborts the process) is a failure like the
/// others, not the end of the run. The warnings' messages, or the failure.
fn generate_isolated(
    doc: &Value,
    spec: &Path,
    package: &str,
    runtime: &Path,
    crate_dir: &Path,
) -> Result<Result<Vec<String>, Failure>, String> {
    if let Some(dir) = spec.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(doc).expect("a JSON value serializes");
    std::fs::write(spec, text).map_err(|e| format!("{}: {e}", spec.display()))?;
    let _ = std::fs::remove_dir_all(crate_dir);
    // The harness failing to start its child is the harness's error, not a finding (say, an
    // executable rebuilt under a running fuzz run).
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let output = Command::new(&exe)
        .arg("fuzz-specs")
        .arg("--one")
        .arg(spec)
        .arg(package)
        .arg(runtime)
        .arg(crate_dir)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(
        match stdout.lines().last().map(serde_json::from_str::<Report>) {
            Some(Ok(Report::Generated { warnings })) if output.status.success() => Ok(warnings),
            Some(Ok(Report::Failed(failure))) => Err(failure),
            _ => {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let last = stderr
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or_default();
                Err(Failure::Crash {
                    status: format!("{} ({last})", output.status),
                })
            }
        },
    )
}

/// The child's side of [`generate_isolated`]: `--one <spec> <package> <runtime> <crate dir>`.
fn one(args: &[String]) -> Result<(), String> {
    let [spec, package, runtime, crate_dir] = args else {
        return Err("--one takes <spec> <package> <runtime> <crate dir>".into());
    };
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{spec}: {e}"))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{spec}: {e}"))?;
    let report = match generate(
        &doc,
        Path::new(spec),
        package,
        Path::new(runtime),
        Path::new(crate_dir),
    ) {
        Ok(files) => {
            files
                .write_to(Path::new(crate_dir))
                .map_err(|e| format!("{crate_dir}: {e}"))?;
            Report::Generated {
                warnings: files
                    .report
                    .warnings
                    .iter()
                    .map(|w| w.message.clone())
                    .collect(),
            }
        }
        Err(failure) => Report::Failed(failure),
    };
    println!(
        "{}",
        serde_json::to_string(&report).expect("a report serializes")
    );
    Ok(())
}

/// One document of a run.
struct Case {
    /// `seed-<n>`, or the saved finding's file stem.
    name: String,
    doc: Value,
    /// Where a finding's document is kept (a replayed one).
    saved: Option<PathBuf>,
}

/// What the run found, by case.
struct Outcome {
    name: String,
    warnings: Vec<String>,
    failure: Option<Failure>,
}

struct Options {
    cases: u64,
    seed: u64,
    check: bool,
    shrink_for: Duration,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        cases: 100,
        seed: 0,
        check: true,
        shrink_for: Duration::from_secs(600),
    };
    let mut it = args.iter();
    let number = |v: Option<&String>, what: &str| -> Result<u64, String> {
        v.and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{what} takes a number"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--cases" => o.cases = number(it.next(), "--cases")?,
            "--seed" => o.seed = number(it.next(), "--seed")?,
            "--shrink-seconds" => {
                o.shrink_for = Duration::from_secs(number(it.next(), "--shrink-seconds")?)
            }
            "--no-check" => o.check = false,
            s => return Err(format!("unknown argument {s}")),
        }
    }
    Ok(o)
}

/// `cargo xtask fuzz-specs`.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    if args.first().is_some_and(|a| a == "--one") {
        return one(&args[1..]);
    }
    let o = options(args)?;
    let started = Instant::now();
    let out = root.join(OUT);
    for sub in ["specs", "crates", "shrink"] {
        let _ = std::fs::remove_dir_all(out.join(sub));
    }
    forget_generated(&root.join(TARGET));
    let mut cases = saved(root)?;
    let replayed = cases.len();
    cases.extend((o.seed..o.seed.saturating_add(o.cases)).map(|seed| Case {
        name: format!("seed-{seed}"),
        doc: document(seed),
        saved: None,
    }));
    let runtime = root.join("crates/runtime");
    let mut outcomes = Vec::new();
    let mut members = Vec::new();
    let generation = Instant::now();
    for case in &cases {
        let crate_dir = out.join("crates").join(&case.name);
        let spec = out.join("specs").join(format!("{}.json", case.name));
        let package = format!("fuzz-{}", case.name);
        let mut outcome = Outcome {
            name: case.name.clone(),
            warnings: Vec::new(),
            failure: None,
        };
        match generate_isolated(&case.doc, &spec, &package, &runtime, &crate_dir)? {
            Ok(warnings) => {
                outcome.warnings = warnings;
                members.push(case.name.clone());
            }
            Err(failure) => {
                eprintln!("fuzz-specs: {}: {failure}", case.name);
                outcome.failure = Some(failure);
            }
        }
        outcomes.push(outcome);
    }
    let generation = generation.elapsed();
    let mut check_time = None;
    if o.check && !members.is_empty() {
        let t = Instant::now();
        let failed = check_workspace(root, &out, &members)?;
        check_time = Some(t.elapsed());
        for outcome in &mut outcomes {
            if let Some(failure) = failed.get(&outcome.name) {
                eprintln!("fuzz-specs: {}: {failure}", outcome.name);
                outcome.failure = Some(failure.clone());
            }
        }
    }
    // Shrink and keep what failed (a replayed finding is kept where it is).
    let deadline = Instant::now() + o.shrink_for;
    let mut kept = Vec::new();
    for (case, outcome) in cases.iter().zip(&outcomes) {
        let Some(failure) = &outcome.failure else {
            continue;
        };
        if let Some(saved) = &case.saved {
            kept.push(saved.clone());
            continue;
        }
        let small = minimize(root, &out, &case.doc, failure, deadline);
        let file = root
            .join(FINDINGS)
            .join(format!("{}-{}.json", failure.slug(), case.name));
        std::fs::create_dir_all(root.join(FINDINGS)).map_err(|e| e.to_string())?;
        let text = serde_json::to_string_pretty(&small).expect("a JSON value serializes") + "\n";
        std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
        eprintln!(
            "fuzz-specs: {}: kept as {}",
            case.name,
            relative(root, &file)
        );
        kept.push(file);
    }
    let report = render(
        &o,
        replayed,
        &outcomes,
        generation,
        check_time,
        started.elapsed(),
    );
    print!("{report}");
    let _ = std::fs::write(out.join("REPORT.md"), &report);
    if kept.is_empty() {
        Ok(())
    } else {
        let listed: Vec<String> = kept.iter().map(|p| relative(root, p)).collect();
        Err(format!(
            "{} document(s) failed; kept: {}",
            kept.len(),
            listed.join(", ")
        ))
    }
}

/// Removes what an earlier run built of its generated crates (`fuzz-*` artifacts) from the
/// target directory, keeping the dependencies.
fn forget_generated(target: &Path) {
    for dir in [
        "debug/deps",
        "debug/.fingerprint",
        "debug/build",
        "debug/examples",
    ] {
        let Ok(entries) = std::fs::read_dir(target.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("fuzz") || name.starts_with("libfuzz") {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }
    let _ = std::fs::remove_dir_all(target.join("debug/incremental"));
}

/// The documents kept from earlier runs' failures, by file name.
fn saved(root: &Path) -> Result<Vec<Case>, String> {
    let dir = root.join(FINDINGS);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let doc =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("saved");
            Ok(Case {
                name: format!("saved-{}", package_part(stem)),
                doc,
                saved: Some(file),
            })
        })
        .collect()
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn package_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Writes the workspace around `members` (under `out/crates/`, pinned to this repository's
/// lock file where it can be) and checks it in one `cargo check`: the failures, by member. A
/// member whose manifest cargo cannot load is a failure too, and the rest are checked without
/// it.
fn check_workspace(
    root: &Path,
    out: &Path,
    members: &[String],
) -> Result<BTreeMap<String, Failure>, String> {
    let mut failures = BTreeMap::new();
    let mut members: Vec<String> = members.to_vec();
    while !members.is_empty() {
        let listed: Vec<String> = members.iter().map(|m| format!("\"crates/{m}\"")).collect();
        let manifest = format!(
            "# The fuzzer's generated crates, checked together (written by `cargo xtask fuzz-specs`).\n\
             [workspace]\nresolver = \"3\"\nmembers = [{}]\n\n\
             # Checked, never run: no debug info, nothing incremental (thousands of crates).\n\
             [profile.dev]\ndebug = 0\nincremental = false\n",
            listed.join(", ")
        );
        std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        let lock = out.join("Cargo.lock");
        if !lock.exists() {
            let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(cargo)
            .args([
                "check",
                "--workspace",
                "--all-targets",
                "--keep-going",
                "--message-format",
                "short",
                "--quiet",
            ])
            .current_dir(out)
            .env("CARGO_TARGET_DIR", root.join(TARGET))
            .output()
            .map_err(|e| format!("cannot run cargo check: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if let Some(member) = unloadable(&stderr, &members) {
            let message = stderr
                .lines()
                .find(|l| l.starts_with("error"))
                .unwrap_or("cargo cannot load the manifest")
                .to_owned();
            failures.insert(
                member.clone(),
                Failure::Compile {
                    code: "manifest".into(),
                    message,
                },
            );
            members.retain(|m| *m != member);
            continue;
        }
        let found = compile_failures(&stderr, &members);
        if !output.status.success() && found.is_empty() {
            return Err(format!(
                "cargo check failed outside the generated crates:\n{}",
                stderr.lines().take(20).collect::<Vec<_>>().join("\n")
            ));
        }
        failures.extend(found);
        break;
    }
    Ok(failures)
}

/// The member whose manifest cargo could not load (`failed to load manifest for workspace
/// member `<dir>``), if one.
fn unloadable(stderr: &str, members: &[String]) -> Option<String> {
    let line = stderr
        .lines()
        .find(|l| l.contains("failed to load manifest for workspace member"))?;
    let dir = line.split('`').nth(1)?;
    let name = Path::new(dir).file_name()?.to_str()?;
    members.iter().find(|m| *m == name).cloned()
}

/// The first error of each member in `cargo check --message-format short`'s output
/// (`crates/<member>/src/lib.rs:1:2: error[E0428]: ...`).
fn compile_failures(stderr: &str, members: &[String]) -> BTreeMap<String, Failure> {
    let mut out = BTreeMap::new();
    for line in stderr.lines() {
        let Some((path, rest)) = line.split_once(": error") else {
            continue;
        };
        let Some(member) = path
            .strip_prefix("crates/")
            .and_then(|p| p.split('/').next())
            .filter(|m| members.iter().any(|x| x == m))
        else {
            continue;
        };
        let code = rest
            .strip_prefix('[')
            .and_then(|r| r.split(']').next())
            .unwrap_or("error")
            .to_owned();
        out.entry(member.to_owned()).or_insert(Failure::Compile {
            code,
            message: line.to_owned(),
        });
    }
    out
}

/// The smallest document found that fails as `doc` does, by `deadline`.
fn minimize(root: &Path, out: &Path, doc: &Value, failure: &Failure, deadline: Instant) -> Value {
    let runtime = root.join("crates/runtime");
    let work = out.join("shrink");
    let crate_dir = work.join("crates/case");
    let spec = work.join("case.json");
    let mut still_fails = |candidate: &Value| -> bool {
        let Ok(generated) =
            generate_isolated(candidate, &spec, "fuzz-shrink", &runtime, &crate_dir)
        else {
            return false;
        };
        let found = match (generated, failure) {
            (Err(f), _) => f,
            (Ok(_), Failure::Crash { .. } | Failure::Panic { .. } | Failure::Refused { .. }) => {
                return false;
            }
            (Ok(_), Failure::Compile { .. }) => {
                match check_workspace(root, &work, &["case".to_owned()]) {
                    Ok(failed) => match failed.into_values().next() {
                        Some(f) => f,
                        None => return false,
                    },
                    Err(_) => return false,
                }
            }
        };
        found.same_kind(failure)
    };
    let budget = shrink::Budget {
        tries: 5_000,
        until: Some(deadline),
    };
    let (small, tries) = shrink::shrink(doc.clone(), &mut still_fails, budget);
    eprintln!("fuzz-specs: shrank in {tries} tries");
    small
}

fn render(
    o: &Options,
    replayed: usize,
    outcomes: &[Outcome],
    generation: Duration,
    check: Option<Duration>,
    total: Duration,
) -> String {
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.failure.is_some()).collect();
    let warned = outcomes.iter().filter(|o| !o.warnings.is_empty()).count();
    let warnings: usize = outcomes.iter().map(|o| o.warnings.len()).sum();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "spec fuzz: {} document(s): {replayed} kept from earlier runs, {} random (seeds {}..{})",
        outcomes.len(),
        o.cases,
        o.seed,
        o.seed.saturating_add(o.cases)
    );
    let _ = writeln!(
        s,
        "- generated in-process in {:.1} s (not strict); {warnings} warning(s) in {warned} document(s)",
        generation.as_secs_f64()
    );
    match check {
        Some(t) => {
            let _ = writeln!(
                s,
                "- one cargo check --all-targets of every crate: {:.1} s",
                t.as_secs_f64()
            );
        }
        None => {
            let _ = writeln!(s, "- cargo check skipped (--no-check)");
        }
    }
    let _ = writeln!(
        s,
        "- failures: {}; total {:.1} s",
        failed.len(),
        total.as_secs_f64()
    );
    for o in &failed {
        if let Some(f) = &o.failure {
            let _ = writeln!(s, "  - {}: {}", o.name, one_line(&f.to_string()));
        }
    }
    // What was given up, by message (the names in it vary; the kinds are few).
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for w in outcomes.iter().flat_map(|o| &o.warnings) {
        *kinds.entry(one_line(w)).or_default() += 1;
    }
    if !kinds.is_empty() {
        let _ = writeln!(s, "\nWhat generation gave up (count, message):");
        for (message, count) in kinds {
            let _ = writeln!(s, "- {count} × {message}");
        }
    }
    s
}

fn one_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default();
    let mut cut = line.len().min(200);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    line[..cut].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_errors_are_read_by_member() {
        let stderr = "\
crates/seed-3/src/lib.rs:10:5: error[E0428]: the name `A` is defined multiple times
crates/seed-3/src/lib.rs:12:5: error[E0308]: mismatched types
crates/seed-4/examples/x.rs:1:1: error: expected item
warning: unused import
crates/other/src/lib.rs:1:1: error[E0001]: not ours
";
        let members = vec!["seed-3".to_owned(), "seed-4".to_owned()];
        let failed = compile_failures(stderr, &members);
        assert_eq!(failed.len(), 2);
        assert!(matches!(&failed["seed-3"], Failure::Compile { code, .. } if code == "E0428"));
        assert!(matches!(&failed["seed-4"], Failure::Compile { code, .. } if code == "error"));
    }

    #[test]
    fn a_refusal_keeps_its_gist_while_shrinking() {
        let refused = |m: &str| Failure::Refused {
            stage: "Validate".into(),
            message: m.into(),
        };
        let a = refused("/t/a.json: at #/x/style: unknown variant `simple`, expected `form`");
        let b = refused("/t/b.json: at #/y/style: unknown variant `label`, expected `form`");
        let c = refused("/t/b.json: at #: missing the `openapi` version field");
        assert!(a.same_kind(&b));
        assert!(!a.same_kind(&c));
    }

    #[test]
    fn a_failure_keeps_its_kind_while_shrinking() {
        let a = Failure::Compile {
            code: "E0428".into(),
            message: "x".into(),
        };
        let b = Failure::Compile {
            code: "E0428".into(),
            message: "y".into(),
        };
        let c = Failure::Compile {
            code: "E0308".into(),
            message: "x".into(),
        };
        assert!(a.same_kind(&b));
        assert!(!a.same_kind(&c));
    }
}
