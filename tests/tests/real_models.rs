//! Real models: every AWS model in `../shared/corpus/` (restJson1) and
//! `../shared/corpus-json-rpc/` (awsJson1_0/1_1), and the restJson1 and
//! awsJson services of the Smithy protocol test suite load, generate, and compile
//! with warnings denied, clippy's included. `REAL_MODELS_DIR=/some/dir` adds every `*.json`
//! model found below that directory (for example a checkout of all of
//! AWS's models), each as a crate of its own.
//!
//! The crates are members of one scratch workspace checked by one `cargo
//! clippy`, so dependencies build once and the crates compile in parallel.
//! Then each crate's endpoint tests (its model's `smithy.rules#endpointTests`
//! against the compiled rule set) run in that workspace; the cases listed in
//! `tests/fixtures/endpoint-expected-failures.txt` must fail and every other
//! case must pass.

use std::process::Command;
use workspace_tests::root;

const CORPUS: &str = "../shared/corpus";
const CORPUS_JSON_RPC: &str = "../shared/corpus-json-rpc";
const PROTOCOL_TESTS: &str = "../shared/protocol-tests/smithy-aws-protocol-tests.json";
const PROTOCOL_SERVICES: &[&str] = &[
    "aws.protocoltests.restjson#RestJson",
    "aws.protocoltests.restjson.validation#RestJsonValidation",
    "aws.protocoltests.json#JsonProtocol",
    "aws.protocoltests.json10#JsonRpc10",
    "aws.protocoltests.json10#QueryCompatibleJsonRpc10",
];

/// `(crate name, model path, service)` for every real model there is.
fn real_models() -> Vec<(String, String, Option<&'static str>)> {
    let mut out = Vec::new();
    for path in json_files(&root().join(CORPUS)) {
        let stem = path.file_stem().expect("file").to_string_lossy();
        out.push((format!("corpus-{stem}"), path.display().to_string(), None));
    }
    for path in json_files(&root().join(CORPUS_JSON_RPC)) {
        let stem = path.file_stem().expect("file").to_string_lossy();
        out.push((format!("json-rpc-{stem}"), path.display().to_string(), None));
    }
    if let Some(dir) = std::env::var_os("REAL_MODELS_DIR") {
        for path in json_files(std::path::Path::new(&dir)) {
            let stem = path.file_stem().expect("file").to_string_lossy();
            let name: String = stem
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            out.push((format!("extra-{name}"), path.display().to_string(), None));
        }
    }
    if root().join(PROTOCOL_TESTS).exists() {
        for service in PROTOCOL_SERVICES {
            let name = service.rsplit('#').next().expect("shape name");
            out.push((
                format!("protocol-{}", name.to_lowercase()),
                PROTOCOL_TESTS.to_owned(),
                Some(*service),
            ));
        }
    }
    out
}

/// The `*.json` files below `dir`, sorted (none when it does not exist).
fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn real_models_generate_and_compile() {
    let models = real_models();
    if models.is_empty() {
        eprintln!("skipping: ../shared is not beside the workspace");
        return;
    }
    let scratch = root().join("target/real-models");
    let runtime = root().join("runtime");
    let mut members = Vec::new();
    // Every model is generated before anything fails, so that one run
    // reports every model the generator refuses.
    let mut refused = Vec::new();
    for (name, path, service) in &models {
        let src = std::fs::read_to_string(root().join(path)).unwrap();
        let selection = smithy_codegen::Selection {
            service: service.map(str::to_owned),
        };
        let options = smithy_codegen::Options {
            crate_name: Some(name.clone()),
            runtime: smithy_codegen::RuntimeDependency::Path(runtime.display().to_string()),
            standalone: false,
        };
        let files = match smithy_codegen::generate_with(&src, path, &selection, &options) {
            Ok(files) => files,
            Err(d) => {
                refused.push(format!("{path}:\n{d}"));
                continue;
            }
        };
        smithy_codegen::output::write(&scratch.join(name), &files).unwrap();
        members.push(format!("{name:?}"));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    // The workspace's lock file pins the same dependency versions, so the
    // check needs no network.
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        // With the server bindings (the fixtures in `corpus.rs` are also
        // checked without them).
        .args([
            "clippy",
            "--workspace",
            // Every crate that fails is reported, not only the first.
            "--keep-going",
            "--all-features",
            "--quiet",
            "--offline",
        ])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root().join("target/real-models-target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        refused.is_empty(),
        "{} model(s) refused:\n{}",
        refused.len(),
        refused.join("\n")
    );
    assert!(
        out.status.success(),
        "`cargo clippy` of the real models failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    endpoint_tests(&scratch);
}

/// The endpoint tests of every generated crate in `scratch` that has
/// them, run by one `cargo test`.
fn endpoint_tests(scratch: &std::path::Path) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "test",
            "--workspace",
            "--all-features",
            "--offline",
            "--no-fail-fast",
            "--test",
            "endpoint",
        ])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", root().join("target/real-models-target"))
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // `thread 'endpoint_tests::NAME' (ID) panicked at CRATE/tests/endpoint.rs:..`
    let mut failed = std::collections::BTreeSet::new();
    for line in stderr.lines().chain(stdout.lines()) {
        let Some(rest) = line.strip_prefix("thread 'endpoint_tests::") else {
            continue;
        };
        let (name, rest) = rest.split_once('\'').unwrap();
        let krate = rest
            .split_once("panicked at ")
            .and_then(|(_, r)| r.split_once("/tests/endpoint.rs"))
            .map(|(k, _)| k)
            .unwrap();
        failed.insert(format!("{krate} {name}"));
    }
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: "))
        .filter_map(|l| {
            l.split_once(" passed")
                .and_then(|(a, _)| a.rsplit(' ').next())
        })
        .filter_map(|n| n.parse::<usize>().ok())
        .sum();
    let listed =
        std::fs::read_to_string(root().join("tests/fixtures/endpoint-expected-failures.txt"))
            .unwrap();
    let expected: std::collections::BTreeSet<String> = listed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split(':').next().unwrap().trim().to_owned())
        .filter(|l| {
            // Only crates this run generated.
            let krate = l.split(' ').next().unwrap();
            scratch.join(krate).exists()
        })
        .collect();
    let unexpected: Vec<&String> = failed.difference(&expected).collect();
    let stale: Vec<&String> = expected.difference(&failed).collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "endpoint tests: {} passed; failed but not listed: {unexpected:#?}; listed but passed (or not run): {stale:#?}\n{stdout}\n{stderr}",
        passed
    );
    assert!(passed > 0, "no endpoint test ran:\n{stdout}\n{stderr}");
    eprintln!(
        "endpoint tests of the real models: {passed} passed, {} failed as listed",
        failed.len()
    );
}
