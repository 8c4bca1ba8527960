//! Real models: every AWS model in `../shared/corpus/` and the restJson1
//! services of the Smithy protocol test suite load, generate, and compile
//! with warnings denied.
//!
//! The crates are members of one scratch workspace checked by one `cargo
//! check`, so dependencies build once and the crates compile in parallel.

use std::process::Command;
use workspace_tests::root;

const CORPUS: &str = "../shared/corpus";
const PROTOCOL_TESTS: &str = "../shared/protocol-tests/smithy-aws-protocol-tests.json";
const PROTOCOL_SERVICES: &[&str] = &[
    "aws.protocoltests.restjson#RestJson",
    "aws.protocoltests.restjson.validation#RestJsonValidation",
];

/// `(crate name, model path, service)` for every real model there is.
fn real_models() -> Vec<(String, String, Option<&'static str>)> {
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir(root().join(CORPUS)) {
        let mut paths: Vec<_> = dir
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for p in paths {
            let stem = p.file_stem().expect("file").to_string_lossy().into_owned();
            let rel = format!(
                "{CORPUS}/{}",
                p.file_name().expect("file").to_string_lossy()
            );
            out.push((format!("corpus-{stem}"), rel, None));
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
    for (name, path, service) in &models {
        let src = std::fs::read_to_string(root().join(path)).unwrap();
        let selection = smithy_codegen::Selection {
            service: service.map(str::to_owned),
        };
        let options = smithy_codegen::Options {
            crate_name: Some(name.clone()),
            runtime_path: runtime.display().to_string(),
            standalone: false,
        };
        let files = smithy_codegen::generate_with(&src, path, &selection, &options)
            .unwrap_or_else(|d| panic!("{d}"));
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
            "check",
            "--workspace",
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
        out.status.success(),
        "`cargo check` of the real models failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
