//! Waiters: polling a resource until it reaches a state the provider documents as final. A
//! generated crate describes each waiter as data (the operation polled, where the state is
//! read, which states end the wait and how); the polling lives here, once.
//!
//! A waiter polls with exponential backoff and jitter, each poll a call like any other (the
//! client's retries, interceptors and tracing apply) whose deadline is the time the wait has
//! left. A poll that fails with an error worth retrying (a rate limit, an outage: the rule of
//! [`Error::is_retryable`]) does not end the wait: the next poll comes after the wait the
//! response asked for (`Retry-After`, `X-Retry-In`), if the wait has that long left. Any
//! other error ends it.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::ops::Deref;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use crate::error::Error;
use crate::meta::ResponseMeta;

/// The longest a waiter waits unless told otherwise ([`Waiter::max_wait`]): 5 minutes.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(300);
/// The first pause between polls unless told otherwise ([`Waiter::min_delay`]): 2 s.
pub const DEFAULT_MIN_DELAY: Duration = Duration::from_secs(2);
/// The longest pause between polls unless told otherwise ([`Waiter::max_delay`]): 30 s.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(30);

/// What a generated crate says of one waiter.
#[derive(Debug)]
pub struct WaiterSpec {
    /// The waiter's name (`bank_account_verified`), for errors and traces.
    pub name: &'static str,
    /// The states that end the wait with the resource.
    pub success: &'static [&'static str],
    /// The states that end the wait with [`WaitError::Failed`].
    pub failure: &'static [&'static str],
}

/// One poll's future: the resource, `None` where the poll did not find it (a list that does
/// not hold it yet), or the call's error.
pub type PollFuture<'a, T, E> =
    Pin<Box<dyn Future<Output = Result<Option<T>, Error<E>>> + Send + 'a>>;

type PollFn<'a, T, E> = Box<dyn FnMut(Duration) -> PollFuture<'a, T, E> + Send + 'a>;

/// A wait for a resource's final state, returned by a generated `wait_for_<name>` method: set
/// its bounds, then `.await` it. It ends with the resource in a success state, with
/// [`WaitError::Failed`] in a failure state, with [`WaitError::TimedOut`] once
/// [`max_wait`](Self::max_wait) has passed, or with [`WaitError::Call`] when a poll fails with
/// an error that waiting will not mend.
#[must_use = "a waiter does nothing until it is awaited"]
pub struct Waiter<'a, T, E> {
    spec: &'static WaiterSpec,
    poll: PollFn<'a, T, E>,
    state: fn(&T) -> Option<&str>,
    max_wait: Duration,
    min_delay: Duration,
    max_delay: Duration,
}

impl<T, E> fmt::Debug for Waiter<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("name", &self.spec.name)
            .field("max_wait", &self.max_wait)
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .finish_non_exhaustive()
    }
}

impl<'a, T, E> Waiter<'a, T, E> {
    /// A waiter that polls with `poll` (given the time the wait has left, to bound the call)
    /// and reads the state of what it returns with `state` (`None`: no state yet).
    pub fn new(
        spec: &'static WaiterSpec,
        poll: impl FnMut(Duration) -> PollFuture<'a, T, E> + Send + 'a,
        state: fn(&T) -> Option<&str>,
    ) -> Self {
        Self {
            spec,
            poll: Box::new(poll),
            state,
            max_wait: DEFAULT_MAX_WAIT,
            min_delay: DEFAULT_MIN_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
        }
    }

    /// The longest the whole wait may take, polls included (default [`DEFAULT_MAX_WAIT`]).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The pause after the first poll (default [`DEFAULT_MIN_DELAY`]); each pause after it
    /// doubles, up to [`max_delay`](Self::max_delay), with jitter.
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// The longest pause between two polls (default [`DEFAULT_MAX_DELAY`]); a longer wait a
    /// response asks for is honoured all the same.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }
}

/// Why a wait ended without a resource in a success state.
#[non_exhaustive]
pub enum WaitError<T, E> {
    /// The resource reached a state the provider documents as a failure.
    Failed {
        /// The waiter's name.
        waiter: &'static str,
        /// The state it reached (as sent).
        state: String,
        /// The resource as the last poll returned it.
        resource: Box<T>,
    },
    /// The wait's [`max_wait`](Waiter::max_wait) passed before a final state.
    TimedOut {
        /// The waiter's name.
        waiter: &'static str,
        /// The state the last poll read, if any (`None`: no poll found the resource or read
        /// a state).
        last_state: Option<String>,
        /// How many polls were made.
        polls: u32,
        /// How long the wait took.
        waited: Duration,
    },
    /// A poll failed with an error that waiting will not mend (or the client's own error
    /// handling ended it): the call's error.
    Call(Error<E>),
}

impl<T, E> WaitError<T, E> {
    /// The state the wait ended in: the failure state, or the last state read before the
    /// time ran out.
    pub fn state(&self) -> Option<&str> {
        match self {
            WaitError::Failed { state, .. } => Some(state),
            WaitError::TimedOut { last_state, .. } => last_state.as_deref(),
            WaitError::Call(_) => None,
        }
    }

    /// Whether the wait ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaitError::TimedOut { .. })
    }
}

// The resource is left out of `Debug` and `Display`: it may hold personal data.
impl<T, E: fmt::Debug> fmt::Debug for WaitError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed { waiter, state, .. } => f
                .debug_struct("Failed")
                .field("waiter", waiter)
                .field("state", state)
                .finish_non_exhaustive(),
            WaitError::TimedOut {
                waiter,
                last_state,
                polls,
                waited,
            } => f
                .debug_struct("TimedOut")
                .field("waiter", waiter)
                .field("last_state", last_state)
                .field("polls", polls)
                .field("waited", waited)
                .finish(),
            WaitError::Call(e) => f.debug_tuple("Call").field(e).finish(),
        }
    }
}

impl<T, E: fmt::Display> fmt::Display for WaitError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed { waiter, state, .. } => {
                write!(
                    f,
                    "waiter `{waiter}`: the resource reached the failure state {state:?}"
                )
            }
            WaitError::TimedOut {
                waiter,
                last_state,
                polls,
                waited,
            } => {
                write!(
                    f,
                    "waiter `{waiter}`: no final state after {polls} polls in {waited:?}"
                )?;
                match last_state {
                    Some(s) => write!(f, " (last state {s:?})"),
                    None => f.write_str(" (no state read)"),
                }
            }
            WaitError::Call(e) => write!(f, "a poll failed: {e}"),
        }
    }
}

impl<T, E: std::error::Error + 'static> std::error::Error for WaitError<T, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Call(e) => Some(e),
            _ => None,
        }
    }
}

/// Where a state falls.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Success,
    Failure,
    Pending,
}

fn verdict(spec: &WaiterSpec, state: &str) -> Verdict {
    if spec.success.contains(&state) {
        Verdict::Success
    } else if spec.failure.contains(&state) {
        Verdict::Failure
    } else {
        Verdict::Pending
    }
}

/// The wait a failed poll's response asks for, where it answered.
fn asked_wait<E: Deref<Target = ResponseMeta>>(error: &Error<E>) -> Option<Duration> {
    let headers = match error {
        Error::Api(e) => e.headers(),
        Error::Decode(e) => e.headers(),
        _ => return None,
    };
    crate::classify::retry_after(headers, SystemTime::now())
}

impl<'a, T, E> IntoFuture for Waiter<'a, T, E>
where
    T: Send + 'a,
    E: Deref<Target = ResponseMeta> + Send + 'a,
{
    type Output = Result<T, WaitError<T, E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(mut self) -> Self::IntoFuture {
        Box::pin(async move {
            let start = Instant::now();
            let mut delay = self.min_delay.min(self.max_delay);
            let mut polls = 0u32;
            let mut last_state: Option<String> = None;
            loop {
                let left = self.max_wait.saturating_sub(start.elapsed());
                let timed_out = |last_state, polls| WaitError::TimedOut {
                    waiter: self.spec.name,
                    last_state,
                    polls,
                    waited: start.elapsed(),
                };
                if left.is_zero() {
                    return Err(timed_out(last_state, polls));
                }
                polls += 1;
                let mut asked = None;
                match (self.poll)(left).await {
                    Ok(Some(resource)) => {
                        if let Some(state) = (self.state)(&resource) {
                            match verdict(self.spec, state) {
                                Verdict::Success => return Ok(resource),
                                Verdict::Failure => {
                                    return Err(WaitError::Failed {
                                        waiter: self.spec.name,
                                        state: state.to_owned(),
                                        resource: Box::new(resource),
                                    });
                                }
                                Verdict::Pending => last_state = Some(state.to_owned()),
                            }
                        }
                    }
                    Ok(None) => {}
                    Err(e) if e.is_retryable() => asked = asked_wait(&e),
                    Err(Error::Transport(t)) if t.is_timeout() => {
                        // The poll's deadline was the wait's: the time has run out.
                        if start.elapsed() >= self.max_wait {
                            return Err(timed_out(last_state, polls));
                        }
                        return Err(WaitError::Call(Error::Transport(t)));
                    }
                    Err(e) => return Err(WaitError::Call(e)),
                }
                let jittered = delay.mul_f64(0.5 + fastrand::f64() * 0.5);
                let pause = asked.map_or(jittered, |a| a.max(jittered));
                let left = self.max_wait.saturating_sub(start.elapsed());
                if pause >= left {
                    // The next poll would come after the wait's end.
                    tokio::time::sleep(left).await;
                    return Err(timed_out(last_state, polls));
                }
                tokio::time::sleep(pause).await;
                delay = (delay * 2).min(self.max_delay);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPEC: WaiterSpec = WaiterSpec {
        name: "thing_ready",
        success: &["ready"],
        failure: &["broken", "gone"],
    };

    #[test]
    fn states_fall_where_the_spec_puts_them() {
        assert_eq!(verdict(&SPEC, "ready"), Verdict::Success);
        assert_eq!(verdict(&SPEC, "gone"), Verdict::Failure);
        assert_eq!(verdict(&SPEC, "pending"), Verdict::Pending);
        assert_eq!(
            verdict(&SPEC, "Ready"),
            Verdict::Pending,
            "states are exact"
        );
    }

    fn waiter<'a>(
        states: &'a [&'a str],
        polls: &'a std::sync::atomic::AtomicUsize,
    ) -> Waiter<'a, String, crate::ApiError<()>> {
        Waiter::new(
            &SPEC,
            move |_left| {
                let i = polls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let state = states.get(i).or(states.last()).map(|s| s.to_string());
                Box::pin(async move { Ok(state) })
            },
            |s: &String| Some(s.as_str()),
        )
        .min_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(4))
    }

    #[tokio::test]
    async fn a_wait_ends_at_the_first_final_state() {
        let polls = std::sync::atomic::AtomicUsize::new(0);
        let done = waiter(&["new", "pending", "ready"], &polls).await.unwrap();
        assert_eq!(done, "ready");
        assert_eq!(polls.load(std::sync::atomic::Ordering::SeqCst), 3);

        let polls = std::sync::atomic::AtomicUsize::new(0);
        let e = waiter(&["new", "gone"], &polls).await.unwrap_err();
        assert_eq!(e.state(), Some("gone"));
        assert!(e.to_string().contains("failure state \"gone\""), "{e}");
        assert!(matches!(e, WaitError::Failed { resource, .. } if *resource == "gone"));
    }

    #[tokio::test]
    async fn a_wait_that_never_ends_times_out_at_max_wait() {
        let polls = std::sync::atomic::AtomicUsize::new(0);
        let start = Instant::now();
        let e = waiter(&["pending"], &polls)
            .max_wait(Duration::from_millis(60))
            .await
            .unwrap_err();
        let took = start.elapsed();
        assert!(e.is_timeout(), "{e:?}");
        assert_eq!(e.state(), Some("pending"));
        assert!(took >= Duration::from_millis(60), "{took:?}");
        assert!(took < Duration::from_secs(5), "{took:?}");
        assert!(polls.load(std::sync::atomic::Ordering::SeqCst) >= 2);
    }
}
