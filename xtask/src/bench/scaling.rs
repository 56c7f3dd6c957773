//! The "Generation scaling" section: our generation time and peak memory on synthetic
//! documents (`synthetic.rs`) of growing size at one nesting depth, then of growing depth at
//! one size, so that what grows faster than the spec shows.

use std::fmt::Write as _;
use std::path::Path;

use super::common::millis;
use super::generation::ours_median;
use super::synthetic;

/// Operations at depth 3, then depths at 50 operations; 6 constrained strings per level.
const SIZES: [usize; 5] = [25, 50, 100, 200, 400];
const DEPTHS: [usize; 5] = [1, 2, 4, 8, 16];
const STRINGS: usize = 6;

pub(super) fn scaling(md: &mut String, work: &Path) -> Result<(), String> {
    let _ = writeln!(md, "## Generation scaling\n");
    let _ = writeln!(
        md,
        "Synthetic documents made by xtask/src/bench/synthetic.rs: N operations (a GET and a POST per resource), each resource a schema with {STRINGS} constrained strings and an inline object nested D deep (the same strings at every level). Ours as in Generation time (median of 5 fresh processes, peak resident set). Per KB: generation time over the document's size; a cost linear in the spec keeps it flat.\n"
    );
    let _ = writeln!(
        md,
        "| operations | depth | document | generation | per KB | peak memory |\n|---:|---:|---:|---:|---:|---:|"
    );
    let dir = work.join("synthetic");
    let shapes = SIZES
        .iter()
        .map(|&n| (n, 3))
        .chain(DEPTHS.iter().map(|&d| (50, d)));
    for (ops, depth) in shapes {
        let name = format!("synthetic-{ops}-{depth}");
        let spec = synthetic::write(&dir, &name, (ops, depth, STRINGS))?;
        let bytes = std::fs::metadata(&spec).map(|m| m.len()).unwrap_or(0);
        let kb = bytes as f64 / 1024.0;
        let row = match ours_median(&spec, &work.join("synthetic-out").join(&name)) {
            Ok((time, peak)) => format!(
                "{} | {:.2} ms | {}",
                millis(time),
                time.as_secs_f64() * 1000.0 / kb.max(1.0),
                peak.map_or_else(|| "-".to_owned(), |p| format!("{p:.0} MiB"))
            ),
            Err(e) => format!("fails: {e} | | "),
        };
        eprintln!("  {ops} operations, depth {depth}: {row}");
        let _ = writeln!(md, "| {ops} | {depth} | {kb:.0} KB | {row} |");
    }
    md.push('\n');
    Ok(())
}
