//! The "Decode throughput" section: the largest provider responses decoded into their
//! generated types beside `serde_json::Value` (criterion).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use super::common::{cargo, run};

/// Writes the section.
pub(super) fn decode(md: &mut String, root: &Path) -> Result<(), String> {
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
