//! The C examples, compiled as a C user would (`-std=c99 -Wall -Wextra -Werror -pedantic` against
//! include/ossrs.h), linked once against libossrs.so and once against libossrs.a, and run against the
//! emulator with their output checked. The header must also compile as C++17.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use oss_emulator::{Emulator, EmulatorConfig};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Where `cargo build --workspace --all-targets` (run by `make test` before `cargo test`) put libossrs.so and
/// libossrs.a. Building them from here would resolve features without the dev-dependencies and rebuild the crate
/// back and forth, so this only checks that they are newer than every source file.
fn lib_dir() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root().join("target"));
    let dir = target.join("debug");
    let newest_source = newest(&root().join("src"));
    for lib in ["libossrs.so", "libossrs.a"] {
        let built = std::fs::metadata(dir.join(lib)).and_then(|m| m.modified());
        assert!(
            built.is_ok_and(|t| t >= newest_source),
            "{lib} is missing or older than src/: run `cargo build --workspace --all-targets` first (make test does)"
        );
    }
    dir
}

fn newest(dir: &Path) -> std::time::SystemTime {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { newest(&p) } else { std::fs::metadata(&p).unwrap().modified().unwrap() })
        .max()
        .unwrap_or(std::time::UNIX_EPOCH)
}

fn compile(sources: &[&str], out: &Path, link: &[&str], compiler: &str, std: &str) {
    let mut cmd = Command::new(compiler);
    cmd.args([std, "-Wall", "-Wextra", "-Werror", "-pedantic", "-I"]).arg(root().join("include"));
    for s in sources {
        cmd.arg(root().join(s));
    }
    cmd.arg("-o").arg(out).args(link);
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{compiler} failed: {}", String::from_utf8_lossy(&output.stderr));
}

fn run(exe: &Path, args: &[&str], env: &[(&str, String)]) -> String {
    let out = Command::new(exe).args(args).envs(env.iter().map(|(k, v)| (*k, v.as_str()))).output().unwrap();
    assert!(
        out.status.success(),
        "{} failed:\n{}\n{}",
        exe.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn seed_flows_in_c_against_the_shared_and_the_static_library() {
    let libs = lib_dir();
    let tmp = common::temp_dir();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let receiver = common::local_receiver();
    let data = tmp.path().join("seed.bin");
    std::fs::write(&data, common::seed_multipart_bytes()).unwrap();

    let shared =
        ["-L".to_string() + libs.to_str().unwrap(), "-lossrs".into(), format!("-Wl,-rpath,{}", libs.display())];
    let shared: Vec<&str> = shared.iter().map(String::as_str).collect();
    let static_lib = libs.join("libossrs.a");
    let static_link = [static_lib.to_str().unwrap(), "-lpthread", "-ldl", "-lm"];
    for (flavour, link) in [("so", &shared[..]), ("a", &static_link[..])] {
        for example in ["put_callback", "multipart_callback"] {
            let exe = tmp.path().join(format!("{example}-{flavour}"));
            compile(&[&format!("examples/c/{example}.c")], &exe, link, "cc", "-std=c99");
            let object = format!("c/{flavour}/{example}.bin");
            let env = [
                ("OSS_ENDPOINT", emulator.endpoint()),
                ("OSS_ACCESS_KEY_ID", "AKIDEXAMPLE".to_string()),
                ("OSS_ACCESS_KEY_SECRET", "SECRETEXAMPLE".to_string()),
                ("OSS_BUCKET", "bkt".to_string()),
                ("OSS_OBJECT", object.clone()),
                ("OSS_CALLBACK_URL", receiver.url()),
                ("OSS_PART_SIZE", "102400".to_string()),
            ];
            let out = run(&exe, &[data.to_str().unwrap()], &env);
            assert!(out.contains("{\"Status\":\"OK\"}\n200\n"), "{example}-{flavour}: {out}");
            assert_eq!(emulator.object("bkt", &object).unwrap(), common::seed_multipart_bytes(), "{example}-{flavour}");
            if example == "multipart_callback" {
                assert_eq!(out.matches("uploadPart #").count(), 3, "{out}");
            }
        }
    }
    let got = receiver.received();
    assert_eq!(got.len(), 4);
    assert!(got.iter().all(|c| c.signature_valid));
}

#[test]
fn errors_print_code_message_and_request_id() {
    let libs = lib_dir();
    let tmp = common::temp_dir();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let exe = tmp.path().join("put_callback");
    let link = ["-L".to_string() + libs.to_str().unwrap(), "-lossrs".into(), format!("-Wl,-rpath,{}", libs.display())];
    compile(
        &["examples/c/put_callback.c"],
        &exe,
        &link.iter().map(String::as_str).collect::<Vec<_>>(),
        "cc",
        "-std=c99",
    );
    let out = Command::new(&exe)
        .env("OSS_ENDPOINT", emulator.endpoint())
        .env("OSS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("OSS_ACCESS_KEY_SECRET", "NOT-THE-SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("result 400"), "{err}");
    assert!(err.contains("http status: 403") && err.contains("OSS code:    SignatureDoesNotMatch"), "{err}");
    assert!(err.lines().any(|l| l.starts_with("  request id:  ") && l.len() == "  request id:  ".len() + 24), "{err}");
    assert!(!err.contains("NOT-THE-SECRET"));
}

#[test]
fn header_compiles_as_cxx17() {
    let tmp = common::temp_dir();
    let src = tmp.path().join("h.cpp");
    std::fs::write(&src, "#include \"ossrs.h\"\n#include \"ossrs.h\"\nint main() { return oss_result_message(OSS_RESULT_OK) == nullptr; }\n").unwrap();
    let out = Command::new("c++")
        .args(["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-I"])
        .arg(root().join("include"))
        .arg(&src)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn shared_link(libs: &Path) -> Vec<String> {
    vec![format!("-L{}", libs.display()), "-lossrs".into(), format!("-Wl,-rpath,{}", libs.display())]
}

fn client_env(emulator: &Emulator) -> Vec<(&'static str, String)> {
    vec![
        ("OSS_ENDPOINT", emulator.endpoint()),
        ("OSS_ACCESS_KEY_ID", "AKIDEXAMPLE".to_string()),
        ("OSS_ACCESS_KEY_SECRET", "SECRETEXAMPLE".to_string()),
        ("OSS_BUCKET", "bkt".to_string()),
    ]
}

#[test]
fn managed_upload_example_draws_progress_and_reports_errors() {
    let libs = lib_dir();
    let tmp = common::temp_dir();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let receiver = common::local_receiver();
    let shared = shared_link(&libs);
    let static_lib = libs.join("libossrs.a");
    let links: [(&str, Vec<&str>); 2] = [
        ("so", shared.iter().map(String::as_str).collect()),
        ("a", vec![static_lib.to_str().unwrap(), "-lpthread", "-ldl", "-lm"]),
    ];
    for (flavour, link) in &links {
        for name in ["upload_file", "errors"] {
            compile(
                &[&format!("examples/c/{name}.c")],
                &tmp.path().join(format!("{name}-{flavour}")),
                link,
                "cc",
                "-std=c99",
            );
        }
        let data = tmp.path().join("data.bin");
        std::fs::write(&data, common::seed_multipart_bytes().repeat(4)).unwrap();
        let mut env = client_env(&emulator);
        env.extend([
            ("OSS_OBJECT", "c/upload_file.bin".to_string()),
            ("OSS_CALLBACK_URL", receiver.url()),
            ("OSS_PART_SIZE", "102400".into()),
        ]);
        let out = Command::new(tmp.path().join(format!("upload_file-{flavour}")))
            .arg(&data)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stdout.starts_with("{\"Status\":\"OK\"}\n200\netag: \""), "{stdout}");
        assert_eq!(stderr.matches('\r').count(), 10, "one progress line per part: {stderr:?}");
        assert!(stderr.contains("] 100% part"), "{stderr:?}");
        assert_eq!(emulator.object("bkt", "c/upload_file.bin").unwrap(), common::seed_multipart_bytes().repeat(4));
        assert_eq!(receiver.received().last().unwrap().body, b"{\"object\":\"c/upload_file.bin\",\"size\":1000000}");

        let out = run(&tmp.path().join(format!("errors-{flavour}")), &[], &client_env(&emulator));
        for expected in [
            "result:      103",
            "result:      400",
            "OSS code:    SignatureDoesNotMatch",
            "result:      401",
            "OSS code:    CallbackFailed",
            "stored ETag: \"",
        ] {
            assert!(out.contains(expected), "{expected} missing in:\n{out}");
        }
        assert_eq!(emulator.object("bkt", "errors.txt").unwrap(), b"kept");
    }
}

#[test]
fn one_client_shared_by_eight_threads() {
    let libs = lib_dir();
    let tmp = common::temp_dir();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut link = shared_link(&libs);
    link.push("-lpthread".into());
    let link: Vec<&str> = link.iter().map(String::as_str).collect();
    let exe = tmp.path().join("threads");
    compile(&["tests/c/threads.c"], &exe, &link, "cc", "-std=c99");
    let out = run(&exe, &[], &client_env(&emulator));
    assert_eq!(out, "800 uploads by 8 threads, 0 failures\n");
    assert_eq!(emulator.object("bkt", "threads/7/99.txt").unwrap(), b"thread 7 upload 99: odd");
}

#[test]
fn only_oss_symbols_are_exported() {
    let libs = lib_dir();
    let out = Command::new("nm").args(["-D", "--defined-only"]).arg(libs.join("libossrs.so")).output().unwrap();
    assert!(out.status.success());
    let symbols: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2).map(String::from))
        .collect();
    assert!(symbols.len() > 50, "{symbols:?}");
    let foreign: Vec<&String> = symbols.iter().filter(|s| !s.starts_with("oss_")).collect();
    assert!(foreign.is_empty(), "symbols outside the oss_ namespace: {foreign:?}");
    let header = std::fs::read_to_string(root().join("include/ossrs.h")).unwrap();
    for s in &symbols {
        assert!(header.contains(&format!("{s}(")), "{s} is exported but not declared in include/ossrs.h");
    }
}

#[test]
fn a_killed_upload_resumes_from_its_checkpoint_with_only_the_missing_parts() {
    use oss_emulator::{FaultKind, FaultRule, Faults, Operation};
    let libs = lib_dir();
    let tmp = common::temp_dir();
    let slow_parts = Faults {
        seed: 3,
        rules: vec![
            FaultRule::new(FaultKind::Delay(std::time::Duration::from_millis(200))).operation(Operation::UploadPart)
        ],
    };
    let emulator = Emulator::start(EmulatorConfig { faults: slow_parts, ..EmulatorConfig::default() }).unwrap();
    let receiver = common::local_receiver();
    let exe = tmp.path().join("upload_file");
    let link = shared_link(&libs);
    compile(
        &["examples/c/upload_file.c"],
        &exe,
        &link.iter().map(String::as_str).collect::<Vec<_>>(),
        "cc",
        "-std=c99",
    );
    let data: Vec<u8> = (0..2_048_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let file = tmp.path().join("big.bin");
    std::fs::write(&file, &data).unwrap();
    let checkpoint = tmp.path().join("big.checkpoint");
    let mut env = client_env(&emulator);
    env.extend([
        ("OSS_OBJECT", "c/killed.bin".to_string()),
        ("OSS_CALLBACK_URL", receiver.url()),
        ("OSS_PART_SIZE", "102400".into()),
        ("OSS_PARALLELISM", "2".into()),
        ("OSS_CHECKPOINT", checkpoint.to_str().unwrap().to_string()),
    ]);
    let recorded = || -> usize {
        std::fs::read(&checkpoint)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|d| d["state"]["parts"].as_array().map(Vec::len))
            .unwrap_or(0)
    };
    let stored_parts = || {
        let is_part = |e: &serde_json::Value| {
            e["path"] == "/bkt/c/killed.bin" && e["query"].as_str().unwrap_or("").contains("partNumber=")
        };
        emulator.requests().iter().filter(|e| is_part(e) && e["status"] == 200).count()
    };

    // kill -9 in the middle of the upload (20 parts of 100 KiB, each answered after 200 ms; the checkpoint is
    // rewritten at most every 200 ms).
    let mut child = Command::new(&exe)
        .arg(&file)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while recorded() < 6 {
        assert!(std::time::Instant::now() < deadline, "the upload made no progress");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // Parts in flight were stored before the emulator's delayed answer; let their log entries land.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let kept = recorded();
    assert!((6..20).contains(&kept), "{kept} parts recorded when killed");
    let before = stored_parts();
    assert_eq!(emulator.uploads("bkt").len(), 1, "the killed upload is still open");

    // The rerun sends only the parts the checkpoint does not hold, and completes with the callback.
    emulator.set_faults(Faults::default()).unwrap();
    let out = run(&exe, &[file.to_str().unwrap()], &env);
    assert!(out.starts_with("{\"Status\":\"OK\"}\n200\n"), "{out}");
    assert_eq!(stored_parts() - before, 20 - kept);
    assert_eq!(emulator.object("bkt", "c/killed.bin").unwrap(), data);
    assert!(!checkpoint.exists());
    assert!(emulator.uploads("bkt").is_empty());
    assert_eq!(receiver.received().len(), 1);
    println!("kill -9 after {kept} of 20 parts: the rerun sent {} parts", 20 - kept);
}

#[test]
fn post_form_example_signs_a_form_a_page_can_post() {
    let libs = lib_dir();
    let tmp = common::temp_dir();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let exe = tmp.path().join("post_form");
    let link = shared_link(&libs);
    compile(&["examples/c/post_form.c"], &exe, &link.iter().map(String::as_str).collect::<Vec<_>>(), "cc", "-std=c99");
    let mut env = client_env(&emulator);
    env.push(("OSS_SIGNATURE_VERSION", "v4".into()));
    env.push(("OSS_REGION", "cn-hangzhou".into()));
    let out = run(&exe, &[], &env);
    let field = |name: &str| out.lines().find_map(|l| l.strip_prefix(&format!("{name}="))).map(str::to_string);
    assert_eq!(field("url"), Some(format!("{}/bkt/", emulator.endpoint())), "{out}");
    assert_eq!(field("key").as_deref(), Some("uploads/${filename}"));
    assert_eq!(field("x-oss-signature-version").as_deref(), Some("OSS4-HMAC-SHA256"));
    assert_eq!(field("x:page").as_deref(), Some("example"));
    assert!(field("x-oss-signature").is_some_and(|s| s.len() == 64), "{out}");
    assert!(out.contains("bad spec: "), "{out}");
}

#[test]
fn copy_list_presign_example_uses_the_generic_call() {
    let libs = lib_dir();
    let tmp = common::temp_dir();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let exe = tmp.path().join("copy_list_presign");
    let link = shared_link(&libs);
    compile(
        &["examples/c/copy_list_presign.c"],
        &exe,
        &link.iter().map(String::as_str).collect::<Vec<_>>(),
        "cc",
        "-std=c99",
    );
    let out = run(&exe, &[], &client_env(&emulator));
    assert!(out.contains("CopyObject: 200 {"), "{out}");
    assert!(out.contains("\"result\":{\"ETag\":\""), "{out}");
    assert!(out.contains("\"Key\":\"examples/copy.txt\"") && out.contains("\"Key\":\"examples/source.txt\""), "{out}");
    let url = out.lines().find_map(|l| l.strip_prefix("presigned: ")).unwrap();
    assert!(url.contains("OSSAccessKeyId=AKIDEXAMPLE&Signature="), "{url}");
    assert!(out.contains("streamed: 31 bytes, status 200"), "{out}");
    assert_eq!(emulator.object("bkt", "examples/copy.txt").unwrap(), b"copied through the generic call");
}
