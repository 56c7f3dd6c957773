//! `finapi-codegen`, the installable generator (`cargo install --path codegen`): a typed Rust
//! client crate from an OpenAPI document. `finapi-codegen --help` lists the options.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    finapi_codegen::cli::main(&args)
}
