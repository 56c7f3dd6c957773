//! What [`serialize_struct!`](crate::serialize_struct) expands to: [`StructFields`], a
//! struct's fields written through `serialize_struct` as serde's derive writes them, each field
//! a line of the struct's impl where the derive writes a branch, a count and two `?`. Imports
//! nothing of the crate.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

/// A struct being written: `serialize_struct` with the number of fields written (those not
/// skipped by their `skip_serializing_if`), then each field (`serialize_field`, or
/// `skip_field` for a skipped one), in order, then `end`; the first error ends it, as with
/// serde's derive. Used by [`serialize_struct!`](crate::serialize_struct), not meant to be
/// named otherwise.
#[doc(hidden)]
pub struct StructFields<S: Serializer> {
    state: Result<S::SerializeStruct, S::Error>,
}

impl<S: Serializer> StructFields<S> {
    /// Starts the struct `name`, whose fields are written where `present` says so.
    #[inline]
    pub fn new(serializer: S, name: &'static str, present: &[bool]) -> Self {
        let len = present.iter().filter(|p| **p).count();
        Self {
            state: serializer.serialize_struct(name, len),
        }
    }

    /// Writes the field `key` (if `present`, else skips it), unless an error came first.
    #[inline]
    pub fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T, present: bool) {
        if let Ok(state) = &mut self.state {
            let written = if present {
                state.serialize_field(key, value)
            } else {
                state.skip_field(key)
            };
            if let Err(e) = written {
                self.state = Err(e);
            }
        }
    }

    /// Ends the struct; the first error, if one came.
    #[inline]
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.state?.end()
    }
}
