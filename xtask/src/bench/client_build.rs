//! The "Building a client" section: the time to build a Moov client, first and further, beside
//! a plain `reqwest::Client`.

use std::fmt::Write as _;
use std::path::Path;

use super::common::bench_bin;

/// Writes the section.
pub(super) fn client_build(md: &mut String, root: &Path) -> Result<(), String> {
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
