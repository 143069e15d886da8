//! The committed headers must be exactly what the sources generate (regenerate with
//! `OSSRS_REGEN_HEADER=1 cargo build`), and the PHP flavour must be loadable by PHP FFI.

include!("../build/headers.rs");

#[test]
fn committed_headers_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (c, php) = generate_headers(dir, env!("CARGO_PKG_VERSION")).expect("cbindgen");
    let committed_c = std::fs::read_to_string(dir.join("include/ossrs.h")).expect("include/ossrs.h");
    let committed_php = std::fs::read_to_string(dir.join("bindings/php/resources/ossrs.h")).expect("PHP header");
    assert!(c == committed_c, "include/ossrs.h is stale: run `OSSRS_REGEN_HEADER=1 cargo build` and commit it");
    assert!(php == committed_php, "bindings/php/resources/ossrs.h is stale: run `OSSRS_REGEN_HEADER=1 cargo build`");
}

#[test]
fn php_header_has_no_construct_php_ffi_rejects() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let php = std::fs::read_to_string(dir.join("bindings/php/resources/ossrs.h")).unwrap();
    let mut lines = php.lines();
    assert_eq!(lines.next(), Some("#define FFI_SCOPE \"OSSRS\""));
    assert_eq!(lines.next(), Some("#define FFI_LIB \"libossrs.so\""));
    for (i, line) in php.lines().enumerate().skip(2) {
        assert!(!line.starts_with('#'), "line {}: preprocessor line in the PHP header: {line}", i + 1);
        assert!(!line.contains("extern \"C\""), "line {}: extern \"C\" in the PHP header", i + 1);
    }
}

#[test]
fn every_exported_function_is_in_both_headers() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let c = std::fs::read_to_string(dir.join("include/ossrs.h")).unwrap();
    let php = std::fs::read_to_string(dir.join("bindings/php/resources/ossrs.h")).unwrap();
    let mut count = 0;
    for entry in walk(&dir.join("src/ffi")) {
        let src = std::fs::read_to_string(&entry).unwrap();
        for chunk in src.split("#[no_mangle]").skip(1) {
            let name = chunk.split("fn ").nth(1).and_then(|s| s.split('(').next()).unwrap().trim();
            assert!(c.contains(&format!("{name}(")), "{name} missing from include/ossrs.h");
            assert!(php.contains(&format!("{name}(")), "{name} missing from the PHP header");
            count += 1;
        }
    }
    assert!(count > 40, "only {count} exported functions found");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect()
}

#[test]
fn the_header_names_every_operation_of_the_generic_call() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let c = std::fs::read_to_string(dir.join("include/ossrs.h")).unwrap();
    let doc = c.split("enum oss_result oss_client_call(").next().unwrap();
    let doc = &doc[doc.rfind("// Runs the OSS operation").expect("oss_client_call's documentation")..];
    let listed = unsafe { std::ffi::CStr::from_ptr(ossrs::ffi::call::oss_operations()) }.to_str().unwrap();
    for name in listed.split(',').filter(|n| *n != "CompleteMultipartUpload") {
        assert!(doc.contains(name), "{name} is not in oss_client_call's documentation");
    }
    assert!(listed.split(',').count() >= 16, "{listed}");
}
