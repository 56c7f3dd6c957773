//! What `cargo xtask` knows of this repository, as a library the test suite shares: the
//! workspace's policy for its generated crates ([`workspace`]): where specs and fixtures live,
//! where their crates go and how they depend on the runtime, and `regen` / `check` over all of
//! them; and the spec fuzzer ([`spec_fuzz`]): random valid OpenAPI documents, the property
//! that each yields a crate that compiles, and the shrinker that keeps a failure small. The
//! generator itself (`finapi-codegen`) knows none of this.

pub mod spec_fuzz;
pub mod workspace;
