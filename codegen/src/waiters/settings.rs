//! A waiter as a settings file declares it, typed ([`WaiterSettings`]); checked by `check.rs`.
//!
//! ```yaml
//! waiters:
//!   bank_account_verified:         # client.wait_for_bank_account_verified(..)
//!     operation: getBankAccount    # the operation polled (its required parameters are the
//!                                  # waiter's arguments)
//!     state: status                # dotted path (wire names) of the state in the resource
//!     success: [verified]          # states that end the wait with the resource
//!     failure: [verificationFailed, errored]   # states that end it with WaitError::Failed
//!     description: ...             # optional: what the wait is for (the method's doc)
//!     # find: { key: id, argument: connection_id }   # the resource is an item of a
//!     #   paginated list: the one whose `key` equals the waiter's `argument`
//! ```

use serde::Deserialize;

/// One waiter: which operation it polls, where the state is and which states are final.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterSettings {
    /// The `operationId` polled.
    pub operation: String,
    /// The dotted path (wire names) of the state in the resource.
    pub state: String,
    /// The states that end the wait with the resource.
    pub success: Vec<String>,
    /// The states that end the wait with a failure naming the state.
    pub failure: Vec<String>,
    /// What the wait is for, for the method's documentation.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the resource is one item of a paginated list: how to find it.
    #[serde(default)]
    pub find: Option<FindSettings>,
}

/// How to find the resource among a list operation's items.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindSettings {
    /// The item's field (wire name) that names it.
    pub key: String,
    /// The waiter's argument that gives the key's value (snake_case).
    pub argument: String,
}
