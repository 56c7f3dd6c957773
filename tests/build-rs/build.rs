//! Generates the client from the `split` fixture spec (split over files, so that every part is
//! watched) with `finapi_codegen::Builder`, into `OUT_DIR`.

fn main() -> Result<(), finapi_codegen::Error> {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    finapi_codegen::Builder::new("../fixtures/specs/split.yaml").generate_into(out_dir)?;
    Ok(())
}
