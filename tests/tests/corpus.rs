//! Nothing in the generator is specific to this service: the corpus model and
//! every fixture load, generate, and compile as standalone crates; and the AST
//! layer mirrors the JSON losslessly.

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use workspace_tests::{models_in, root};

const CORPUS: &str = "../shared/corpus/pca-connector-ad.json";
const MODEL: &str = "model/pca-connector-scep.json";

fn corpus_available() -> bool {
    let ok = root().join(CORPUS).exists();
    if !ok {
        eprintln!("skipping: {CORPUS} is not beside the workspace");
    }
    ok
}

#[test]
fn ast_round_trip_is_lossless() {
    let mut models = vec![MODEL.to_owned()];
    if corpus_available() {
        models.push(CORPUS.to_owned());
    }
    models.extend(models_in("tests/fixtures/valid"));
    for path in models {
        let src = std::fs::read_to_string(root().join(&path)).unwrap();
        let ast = smithy_codegen::parse(&src, &path).unwrap_or_else(|d| panic!("{d}"));
        let original: Value = serde_json::from_str(&src).unwrap();
        assert_eq!(serde_json::to_value(&ast).unwrap(), original, "{path}");
    }
}

#[test]
fn corpus_model_resolves() {
    if !corpus_available() {
        return;
    }
    let src = std::fs::read_to_string(root().join(CORPUS)).unwrap();
    let model = smithy_codegen::load(&src, CORPUS).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(model.operations.len(), 25);
    let service = model.service.unwrap();
    assert_eq!(service.sdk_id.as_deref(), Some("Pca Connector Ad"));
    assert!(
        service
            .protocols
            .contains(&"aws.protocols#restJson1".to_owned())
    );
}

/// Writes each fixture as a standalone crate (what `cargo xtask generate`
/// writes) and runs `cargo check` on it with warnings denied, with every
/// feature and with none; a fixture with
/// a behaviour test in `tests/fixtures/behaviour/<name>.rs` gets it copied
/// into the crate and runs `cargo test` instead. The crates share one target
/// directory, so dependencies build once. (The real models compile together
/// in `real_models.rs`.)
#[test]
fn fixtures_compile_as_standalone_crates() {
    let models = models_in("tests/fixtures/valid");
    let base = root().join("target/standalone-crates");
    let target_dir = root().join("target/standalone-target");
    let runtime = root().join("runtime");
    for model in &models {
        let stem = Path::new(model)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let src = std::fs::read_to_string(root().join(model)).unwrap();
        let options = smithy_codegen::Options {
            crate_name: Some(format!("standalone-{stem}")),
            runtime: smithy_codegen::RuntimeDependency::Path(runtime.display().to_string()),
            standalone: true,
        };
        let files =
            smithy_codegen::generate(&src, model, &options).unwrap_or_else(|d| panic!("{d}"));
        let dir = base.join(&stem);
        smithy_codegen::output::write(&dir, &files).unwrap();
        // The workspace's lock file pins the same dependency versions, so
        // the check needs no network.
        std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        let behaviour = root().join(format!("tests/fixtures/behaviour/{stem}.rs"));
        let command = if behaviour.exists() {
            std::fs::create_dir_all(dir.join("tests")).unwrap();
            std::fs::copy(&behaviour, dir.join("tests/behaviour.rs")).unwrap();
            "test"
        } else {
            "check"
        };
        // Every feature (the server bindings), then none (types and
        // validators only).
        for args in [
            &[command, "--quiet", "--offline", "--all-features"][..],
            &["check", "--quiet", "--offline"][..],
        ] {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let out = Command::new(cargo)
                .args(args)
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", &target_dir)
                .env("RUSTFLAGS", "-D warnings")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "`cargo {}` of {model} failed:\n{}\n{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// Generated manifests pin the versions the workspace itself builds with.
#[test]
fn generated_manifests_use_the_workspace_versions() {
    let workspace = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let serde = workspace
        .lines()
        .find(|l| l.starts_with("serde = "))
        .expect("serde in [workspace.dependencies]");
    assert!(
        serde.contains(&format!(
            "version = \"{}\"",
            smithy_codegen::emit::SERDE_VERSION
        )),
        "{serde}"
    );
    let runtime = std::fs::read_to_string(root().join("runtime/Cargo.toml")).unwrap();
    assert!(
        runtime.contains(&format!(
            "\nversion = \"{}\"\n",
            smithy_codegen::emit::RUNTIME_VERSION
        )),
        "runtime/Cargo.toml"
    );
}
