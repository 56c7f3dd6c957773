//! `finapi-codegen`, the installable generator (`cargo install --path codegen`): a typed Rust
//! client crate from an OpenAPI document. `finapi-codegen --help` lists the options.

use std::process::ExitCode;

// Generation allocates and frees millions of small syntax nodes: mimalloc makes it 20-40%
// faster than the system allocator (BENCHMARKS.md, "Generation time").
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `std::env::args` would panic on an argument that is not UTF-8: refuse it instead.
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(std::ffi::OsString::into_string)
        .collect();
    match args {
        Ok(args) => finapi_codegen::cli::main(&args),
        Err(bad) => {
            eprintln!(
                "error: the argument {:?} is not valid UTF-8\n\nRun `finapi-codegen --help` for the options.",
                bad.to_string_lossy()
            );
            ExitCode::from(2)
        }
    }
}
