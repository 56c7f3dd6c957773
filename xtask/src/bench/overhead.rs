//! The "Request overhead" section: the generated client against a hand-written reqwest +
//! serde call, interleaved in rounds, with allocations split by the phase of the call.

use std::fmt::Write as _;
use std::path::Path;

pub(super) fn overhead(md: &mut String, root: &Path) -> Result<(), String> {
    const ROUNDS: &str = "15";
    const REQUESTS: &str = "10000";
    let v = super::common::bench_bin(root, "overhead", &[ROUNDS, REQUESTS])?;
    let num = |p: &str| v.pointer(p).and_then(|x| x.as_f64()).unwrap_or(f64::NAN);
    let _ = writeln!(md, "## Request overhead\n");
    let _ = writeln!(
        md,
        "`cargo run --release -p finapi-bench --bin overhead -- {ROUNDS} {REQUESTS}`: sequential linkBankAccount calls over one keep-alive connection to a loopback server in a child process, which answers with a bank account; after 1,000 warm-up calls each, {ROUNDS} rounds of {REQUESTS} calls per client, interleaved (generated then hand-written, then the other way round, ...), so that drift on the machine falls on both alike. The hand-written call sends the same headers and decodes into a hand-written struct. Allocations are counted by a counting global allocator in the client process, each in the phase of the call it happens in (the runtime's `probe` marks; the hand-written call marks the same phases where it has them). CPU per request: the time the client's thread ran (Linux `/proc/thread-self/schedstat`, user and kernel) over all rounds. Future: the size of one call's future, made and not polled (what each move of it copies). Targets: allocations per request at most 1.15x the hand-written call, requests per second at least 0.95x (the median of the rounds' ratios).\n"
    );
    let _ = writeln!(
        md,
        "| client | requests/s (median of rounds) | CPU/request | future | allocations/request | span | build | hooks | send | collect | decode |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (label, key) in [
        ("generated (moov-client)", "generated"),
        ("hand-written reqwest + serde", "hand"),
    ] {
        let phase = |p: &str| num(&format!("/{key}/phases/{p}"));
        let _ = writeln!(
            md,
            "| {label} | {:.0} | {:.1} µs | {:.0} bytes | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            num(&format!("/{key}/rps/median")),
            num(&format!("/{key}/cpu_us_per_request")),
            num(&format!("/{key}/future_bytes")),
            num(&format!("/{key}/allocs_per_request")),
            phase("span"),
            phase("build"),
            phase("hooks"),
            phase("send"),
            phase("collect"),
            phase("decode"),
        );
    }
    let _ = writeln!(
        md,
        "\n| ratio generated / hand-written, per round | median | min | max | target |\n|---|---:|---:|---:|---|"
    );
    for (label, key, target) in [
        ("requests/s", "rps", "≥ 0.95"),
        ("allocations/request", "allocs", "≤ 1.15"),
    ] {
        let _ = writeln!(
            md,
            "| {label} | {:.2} | {:.2} | {:.2} | {target} |",
            num(&format!("/ratio/{key}/median")),
            num(&format!("/ratio/{key}/min")),
            num(&format!("/ratio/{key}/max")),
        );
    }
    let _ = writeln!(md);
    Ok(())
}
