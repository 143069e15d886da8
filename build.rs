//! Writes include/ossrs.h and bindings/php/resources/ossrs.h when OSSRS_REGEN_HEADER=1; otherwise does nothing
//! (tests/header.rs fails when the committed headers are stale).

include!("build/headers.rs");

fn main() {
    println!("cargo:rerun-if-env-changed=OSSRS_REGEN_HEADER");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/headers.rs");
    if std::env::var("OSSRS_REGEN_HEADER").as_deref() != Ok("1") {
        return;
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let (c, php) = generate_headers(&dir, &version).unwrap_or_else(|e| panic!("cbindgen failed: {e}"));
    std::fs::create_dir_all(dir.join("bindings/php/resources")).expect("create bindings/php/resources");
    std::fs::write(dir.join("include/ossrs.h"), c).expect("write include/ossrs.h");
    std::fs::write(dir.join("bindings/php/resources/ossrs.h"), php).expect("write bindings/php/resources/ossrs.h");
}
