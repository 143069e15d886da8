// Header generation shared by build.rs (which writes the files on request) and tests/header.rs (which checks
// that the committed files are current). Both headers come from one cbindgen.toml.

/// Generates (C header, PHP header) for the crate in `crate_dir`, of version `version`.
fn generate_headers(crate_dir: &std::path::Path, version: &str) -> Result<(String, String), String> {
    let base = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).map_err(|e| e.to_string())?;
    let mut parts = version.split(['.', '-']);
    let mut next = || parts.next().unwrap_or("0").to_string();
    let (major, minor, patch) = (next(), next(), next());

    let mut c = base.clone();
    c.after_includes = Some(format!(
        "\n/* Version of the API this header describes; oss_version() returns the library's. */\n\
         #define OSSRS_VERSION \"{version}\"\n#define OSSRS_VERSION_MAJOR {major}\n\
         #define OSSRS_VERSION_MINOR {minor}\n#define OSSRS_VERSION_PATCH {patch}"
    ));

    // PHP FFI: FFI_SCOPE/FFI_LIB must be the first two lines; no extern "C", no includes, no macros, no docs.
    let mut php = base;
    php.header = Some("#define FFI_SCOPE \"OSSRS\"\n#define FFI_LIB \"libossrs.so\"".to_string());
    php.autogen_warning = Some(format!("/* ossrs {version}: generated from the same sources as include/ossrs.h. Do not edit. */"));
    php.include_guard = None;
    php.pragma_once = false;
    php.cpp_compat = false;
    php.no_includes = true;
    php.sys_includes = Vec::new();
    php.includes = Vec::new();
    php.after_includes = None;
    php.documentation = false;

    let render = |cfg: cbindgen::Config| -> Result<String, String> {
        let mut out = Vec::new();
        cbindgen::Builder::new()
            .with_crate(crate_dir)
            .with_config(cfg)
            .generate()
            .map_err(|e| e.to_string())?
            .write(&mut out);
        String::from_utf8(out).map_err(|e| e.to_string())
    };
    Ok((render(c)?, render(php)?))
}
