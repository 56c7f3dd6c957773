//! Timed builds of a crate for the benchmarks: cold (fresh target directory, dependencies
//! included), then again after touching one file, each with the peak memory of the build.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::common::{cargo, run};

/// One build: its wall time and the peak resident set of cargo and the compilers it ran.
pub(super) struct Built {
    pub(super) time: Duration,
    pub(super) peak_mib: Option<f64>,
}

/// A crate's cold build and its rebuild after touching one file.
pub(super) struct Builds {
    pub(super) cold: Built,
    pub(super) rebuild: Built,
}

/// Runs `cargo build` in `dir` with a fresh target directory, then again after touching
/// `touch`. The peak memory comes from GNU time (`/usr/bin/time -f %M`: the largest resident
/// set among cargo and the processes it waited for, rustc included), where it is installed.
pub(super) fn builds(
    dir: &Path,
    target: &Path,
    touch: &Path,
    args: &[&str],
) -> Result<Builds, String> {
    let command: Vec<&str> = ["build"].into_iter().chain(args.iter().copied()).collect();
    builds_with(dir, target, touch, &command)
}

/// The arguments that build a crate's library with the code of every operation generated in
/// it, as a program that calls every operation would generate it in its own build (the
/// operations' functions are `#[inline]`: rustc generates their code where they are called;
/// `-C link-dead-code` generates it in the crate itself, for the crate only).
pub(super) const EVERY_OPERATION: [&str; 5] = ["rustc", "--lib", "--", "-C", "link-dead-code"];

/// [`builds`] with a cargo command of its own (`rustc --lib -- ..`, [`EVERY_OPERATION`]).
pub(super) fn builds_with(
    dir: &Path,
    target: &Path,
    touch: &Path,
    command: &[&str],
) -> Result<Builds, String> {
    let _ = std::fs::remove_dir_all(target);
    let report = target.with_extension("rss");
    let build = || -> Result<Built, String> {
        let gnu_time = Path::new("/usr/bin/time").is_file();
        let mut cmd = if gnu_time {
            let mut c = Command::new("/usr/bin/time");
            c.args(["-f", "%M", "-o"]).arg(&report).arg(cargo());
            c
        } else {
            Command::new(cargo())
        };
        let (sub, rest) = command.split_first().ok_or("no cargo command")?;
        // `--quiet` before any `--` that hands the rest to rustc.
        cmd.args([*sub, "--quiet"])
            .args(rest)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target);
        let started = Instant::now();
        run(&mut cmd)?;
        let time = started.elapsed();
        let peak_mib = gnu_time
            .then(|| std::fs::read_to_string(&report).ok())
            .flatten()
            .and_then(|t| t.lines().last()?.trim().parse::<f64>().ok())
            .map(|kib| kib / 1024.0);
        Ok(Built { time, peak_mib })
    };
    let cold = build()?;
    let text = std::fs::read_to_string(touch).map_err(|e| e.to_string())?;
    std::fs::write(touch, format!("{text}\n")).map_err(|e| e.to_string())?;
    let rebuild = build();
    std::fs::write(touch, text).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(target);
    Ok(Builds {
        cold,
        rebuild: rebuild?,
    })
}

/// Cold build (fresh target directory, dependencies included) and incremental rebuild after
/// touching `touch`, of the crate at `dir`: their wall times.
pub(super) fn build_times(
    dir: &Path,
    target: &Path,
    touch: &Path,
    args: &[&str],
) -> Result<(Duration, Duration), String> {
    builds(dir, target, touch, args).map(|b| (b.cold.time, b.rebuild.time))
}
