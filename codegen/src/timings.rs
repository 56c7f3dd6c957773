//! Per-stage timings for `generate --timings`: where generation time (and memory) goes.
//! Off unless [`record`] turns it on for the current thread; a stage is timed by `stage`.
//! The memory probe is the caller's (the CLI reads the process's peak RSS): the pipeline
//! itself touches nothing outside its inputs.

use std::cell::RefCell;
use std::time::Instant;

/// One stage: its name, its wall time, and the probe's reading after it (peak RSS in KiB).
#[derive(Debug, Clone, PartialEq)]
pub struct StageTime {
    /// The stage (`validate`, `normalize`, `generate`, ...).
    pub stage: &'static str,
    /// Its wall time in seconds.
    pub seconds: f64,
    /// What the probe read after the stage.
    pub probe: Option<u64>,
}

struct Recorder {
    stages: Vec<StageTime>,
    probe: fn() -> Option<u64>,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Records the stages run on this thread from now on, reading `probe` after each.
pub fn record(probe: fn() -> Option<u64>) {
    RECORDER.with(|r| {
        *r.borrow_mut() = Some(Recorder {
            stages: Vec::new(),
            probe,
        })
    });
}

/// Stops recording and returns what was recorded.
pub fn take() -> Vec<StageTime> {
    RECORDER.with(|r| r.borrow_mut().take().map(|r| r.stages).unwrap_or_default())
}

/// Runs `f` as the stage `name`, timed where recording is on.
pub(crate) fn stage<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    let on = RECORDER.with(|r| r.borrow().is_some());
    if !on {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let seconds = start.elapsed().as_secs_f64();
    RECORDER.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            let probe = (rec.probe)();
            rec.stages.push(StageTime {
                stage: name,
                seconds,
                probe,
            });
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_recorded_only_when_asked() {
        assert_eq!(stage("a", || 1), 1);
        assert!(take().is_empty());
        record(|| Some(7));
        stage("b", || ());
        stage("c", || ());
        let stages = take();
        assert_eq!(
            stages.iter().map(|s| s.stage).collect::<Vec<_>>(),
            ["b", "c"]
        );
        assert_eq!(stages[0].probe, Some(7));
        stage("d", || ());
        assert!(take().is_empty(), "recording stopped");
    }
}
