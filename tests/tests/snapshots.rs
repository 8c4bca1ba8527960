//! Snapshots of every generated file: the project's crate and one small
//! crate per fixture model. A change to the model or the generator shows up
//! here as a snapshot diff to review with `cargo insta review`.

use workspace_tests::{generate, models_in, root, workspace_options};

fn snapshot_name(prefix: &str, path: &str) -> String {
    format!("{prefix}__{}", path.replace(['/', '.'], "_"))
}

#[test]
fn project_crate() {
    let files = generate("model/pca-connector-scep.json", &workspace_options());
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [
            "Cargo.toml",
            "src/client.rs",
            "src/endpoint.rs",
            "src/error.rs",
            "src/input.rs",
            "src/lib.rs",
            "src/operation.rs",
            "src/output.rs",
            "src/server.rs",
            "src/types.rs",
            "src/unvalidated.rs",
            "src/validation.rs",
            "tests/endpoint.rs",
        ]
    );
    for (path, contents) in &files {
        insta::assert_snapshot!(snapshot_name("scep", path), contents);
    }
}

#[test]
fn fixture_crates() {
    let fixtures = models_in("tests/fixtures/valid");
    assert!(fixtures.len() >= 9, "{fixtures:?}");
    for model in fixtures {
        let stem = model
            .rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".json")
            .to_owned();
        for (path, contents) in generate(&model, &workspace_options()) {
            if path == "Cargo.toml" {
                continue; // the same for every fixture
            }
            insta::assert_snapshot!(snapshot_name(&format!("fixture_{stem}"), &path), contents);
        }
    }
}

/// rust-analyzer style: the committed crate must be what the generator makes.
#[test]
fn generated_crate_is_up_to_date() {
    let files = generate("model/pca-connector-scep.json", &workspace_options());
    let drift = smithy_codegen::output::drift(&root().join("generated"), &files).unwrap();
    let stale: Vec<&str> = drift.iter().map(|d| d.path.as_str()).collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale ({stale:?}): run `cargo xtask regenerate` and commit"
    );
}

#[test]
fn output_is_deterministic() {
    let a = generate("model/pca-connector-scep.json", &workspace_options());
    let b = generate("model/pca-connector-scep.json", &workspace_options());
    assert_eq!(a, b);
    let corpus = "../shared/corpus/pca-connector-ad.json";
    if root().join(corpus).exists() {
        assert_eq!(
            generate(corpus, &workspace_options()),
            generate(corpus, &workspace_options())
        );
    }
}
