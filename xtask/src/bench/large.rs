//! The "Large crates" section: for the corpus specs with the most operations, our crate and
//! openapi-generator's side by side: lines (and lines per operation), cold build, rebuild
//! after touching the generated code, and the peak memory of each build; then what one tag's
//! cargo feature saves on the first of them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::build::{Builds, Built, EVERY_OPERATION, builds, builds_with};
use super::common::{label, ours, secs, short, specs, theirs};

/// How many of the largest specs are built.
const LARGEST: usize = 2;

/// The synthetic spec built beside them: operations, nesting depth, constrained strings per
/// level (300 operations, 150 resources of 3 levels of 6 strings: 2,700 constrained strings,
/// 300 nested inline objects).
const SYNTHETIC: (usize, usize, usize) = (300, 2, 6);

/// The lines of every `.rs` file under `dir`.
fn lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .map(|p| {
            if p.is_dir() {
                lines(&p)
            } else if p.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&p).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// The corpus specs with the most operations, most first.
fn largest(root: &Path) -> Vec<(PathBuf, usize)> {
    let mut specs: Vec<(PathBuf, usize)> = specs(root)
        .into_iter()
        .filter(|s| !s.name.starts_with("specs/"))
        .map(|s| {
            let n = crate::corpus::count_operations(&s.path);
            (s.path, n)
        })
        .collect();
    specs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    specs.truncate(LARGEST);
    specs
}

fn cell(b: &Built) -> String {
    match b.peak_mib {
        Some(mib) => format!("{} / {:.0} MiB", secs(b.time), mib),
        None => format!("{} / n/a", secs(b.time)),
    }
}

/// Writes the section.
pub(super) fn large_crates(
    md: &mut String,
    root: &Path,
    work: &Path,
    og: &Path,
) -> Result<(), String> {
    let _ = writeln!(md, "## Large crates\n");
    let _ = writeln!(
        md,
        "The {LARGEST} corpus specs with the most operations, and a synthetic one (xtask/src/bench/synthetic.rs: {} operations, {} constrained strings, {} nested inline objects). Each crate is built standalone with `cargo build` (dev profile): cold (fresh target directory, dependencies included), then again after touching its generated code (ours `src/generated.rs`, openapi-generator's `src/lib.rs`); each cell is the wall time / the peak resident set of the build (GNU time's `%M`: the largest of cargo and the compilers it ran). openapi-generator's crate gets the same TLS choice (`same_tls`). Lines count every `.rs` file of the crate. Our operations' functions are `#[inline]` (ARCHITECTURE.md, pay per call): their code is generated in the program that calls them; the \"ours, every operation\" row generates it in the crate itself (`cargo rustc --lib -- -C link-dead-code`), what a program calling every operation adds to its own build.\n",
        SYNTHETIC.0,
        SYNTHETIC.0.div_ceil(2) * (SYNTHETIC.1 + 1) * SYNTHETIC.2,
        SYNTHETIC.0.div_ceil(2) * SYNTHETIC.1,
    );
    let _ = writeln!(
        md,
        "| spec | operations | crate | lines | lines/operation | cold build | rebuild |\n|---|---:|---|---:|---:|---:|---:|"
    );
    let mut first = None;
    // And a synthetic spec of the shape that grows build memory: hundreds of operations,
    // thousands of constrained strings, nested inline objects (synthetic.rs).
    let synthetic = super::synthetic::write(&work.join("synthetic"), "synthetic-large", SYNTHETIC)?;
    let mut specs = largest(root);
    specs.push((synthetic, SYNTHETIC.0));
    for (spec, ops) in specs {
        let label = label(&spec);
        eprintln!("  {label}: {ops} operations");
        let ours_dir = work.join("large-ours").join(&label);
        ours(root, &spec, &ours_dir)?;
        let ours = builds(
            &ours_dir,
            &work.join("target-large-ours"),
            &ours_dir.join("src/generated.rs"),
            &[],
        );
        let every = builds_with(
            &ours_dir,
            &work.join("target-large-ours"),
            &ours_dir.join("src/generated.rs"),
            &EVERY_OPERATION,
        );
        let og_dir = work.join("large-og").join(&label);
        let theirs = theirs(og, &spec, &og_dir).and_then(|_| {
            builds(
                &og_dir,
                &work.join("target-large-og"),
                &og_dir.join("src/lib.rs"),
                &["--no-default-features", "--features", "rustls"],
            )
        });
        let mut whole = None;
        for (name, dir, result) in [
            ("ours", &ours_dir, ours),
            ("ours, every operation", &ours_dir, every),
            ("openapi-generator", &og_dir, theirs),
        ] {
            let n = lines(&dir.join("src"));
            let per_op = n.checked_div(ops).unwrap_or(0);
            let (cold, rebuild) = match &result {
                Ok(b) => (cell(&b.cold), cell(&b.rebuild)),
                Err(e) => (format!("fails: {}", short(e)), String::new()),
            };
            eprintln!("    {name}: {n} lines, cold {cold}, rebuild {rebuild}");
            let _ = writeln!(
                md,
                "| {label} | {ops} | {name} | {n} | {per_op} | {cold} | {rebuild} |"
            );
            if name == "ours" && first.is_none() {
                whole = result.ok();
            }
        }
        if first.is_none() {
            first = Some((spec, ops, whole));
        }
    }
    md.push('\n');
    if let Some((spec, ops, Some(whole))) = first {
        per_tag(md, work, &spec, ops, &whole)?;
    }
    Ok(())
}

/// The crate's features per tag, from its Cargo.toml (`# Tag `T`: op, op.` above `f = []`):
/// (feature, tag, operations).
fn tag_features(manifest: &str) -> Vec<(String, String, usize)> {
    let lines: Vec<&str> = manifest.lines().collect();
    lines
        .windows(2)
        .filter_map(|w| {
            let rest = w[0].strip_prefix("# Tag `")?;
            let (tag, ops) = rest.split_once("`: ")?;
            let feature = w[1].strip_suffix(" = []")?;
            let count = ops.trim_end_matches('.').split(", ").count();
            Some((feature.to_owned(), tag.to_owned(), count))
        })
        .collect()
}

/// What cargo features per tag save: the cold build of the whole crate of the largest spec
/// against the same crate with one tag's feature (the tag nearest 5 operations).
fn per_tag(
    md: &mut String,
    work: &Path,
    spec: &Path,
    ops: usize,
    whole: &Builds,
) -> Result<(), String> {
    let label = label(spec);
    let dir = work.join("large-ours").join(&label);
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let Some((feature, tag, n)) = tag_features(&manifest)
        .into_iter()
        .min_by_key(|(_, _, n)| n.abs_diff(5))
    else {
        let _ = writeln!(md, "{label}: no tags, so no features per tag.\n");
        return Ok(());
    };
    let features = format!("rustls,{feature}");
    let part = builds(
        &dir,
        &work.join("target-per-tag"),
        &dir.join("src/generated.rs"),
        &["--no-default-features", "--features", &features],
    )?;
    let saved = 1.0 - part.cold.time.as_secs_f64() / whole.cold.time.as_secs_f64();
    let _ = writeln!(
        md,
        "Cargo features per tag, on {label}: the same crate built with `--no-default-features --features {features}` (tag `{tag}`, {n} operations: the tag nearest 5), against its default features (all {ops} operations), both cold as above.\n"
    );
    let _ = writeln!(
        md,
        "| features | cold build | rebuild |\n|---|---:|---:|\n| default (all {ops} operations) | {} | {} |\n| `{features}` ({n} operations) | {} | {} |\n",
        cell(&whole.cold),
        cell(&whole.rebuild),
        cell(&part.cold),
        cell(&part.rebuild),
    );
    let _ = writeln!(
        md,
        "Saved on the cold build: {:.0}% (built because the estimate passed a third).\n",
        saved * 100.0
    );
    Ok(())
}
