//! Tests only: see `tests/`. The workspace README's code blocks compile here, as doctests,
//! with only the provider crates (and tokio, uuid) to lean on.

#![doc = include_str!("../../README.md")]
