//! The README section of waiters: each waiter, what it polls and which states end it.

use std::fmt::Write as _;

use crate::model::Model;
use crate::runtime_bounds::{WAITER_MAX_DELAY, WAITER_MAX_WAIT, WAITER_MIN_DELAY, prose};
use crate::syntax::code_list;

/// The `## Waiters` section (nothing where the settings declare none).
pub(crate) fn readme(out: &mut String, model: &Model) {
    if model.waiters.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "\n## Waiters\n\nA resource that reaches its final state later (after a verification, a \
         consent, a sync) is waited for with a `wait_for_<name>` method, not a loop of your own: \
         it polls with backoff ({min}, doubling to {max}, with jitter), honours `Retry-After`, \
         bounds each poll by the time the wait has left, and carries on through errors worth \
         retrying (a rate limit, an outage). `.max_wait(..)` bounds the whole wait (default \
         {wait}); `.min_delay(..)` and `.max_delay(..)` set the pauses. It returns the resource \
         in a success state, or `WaitError::Failed` naming the failure state it reached (the \
         resource inside), `WaitError::TimedOut` (the last state read), or `WaitError::Call` \
         (an error waiting does not mend). The testing section below has one reaching each of \
         its ends against the mock.\n\n\
         | Method | Polls | State | Success | Failure |\n|---|---|---|---|---|\n",
        min = prose(WAITER_MIN_DELAY),
        max = prose(WAITER_MAX_DELAY),
        wait = prose(WAITER_MAX_WAIT),
    );
    for w in &model.waiters {
        let Some(op) = model.operations.iter().find(|op| op.id == w.operation) else {
            continue;
        };
        let polls = match &w.find {
            None => format!("`{}`", op.fn_name),
            Some(f) => format!(
                "`{}`, the item whose `{}` is `{}`",
                f.stream_method, f.key, f.argument
            ),
        };
        let _ = writeln!(
            out,
            "| `{}` | {polls} | `{}` | {} | {} |",
            w.method,
            w.state.join("."),
            code_list(&w.success),
            code_list(&w.failure)
        );
    }
}
