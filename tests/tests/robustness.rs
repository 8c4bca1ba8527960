//! Bad input never panics the generator: every mutation of the project's
//! model and of the corpus model below either loads (and then emits) or
//! gives diagnostics. A panic fails the test.

use serde_json::Value;
use workspace_tests::{root, workspace_options};

fn models() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for path in [
        "model/pca-connector-scep.json",
        "../shared/corpus/pca-connector-ad.json",
    ] {
        if let Ok(src) = std::fs::read_to_string(root().join(path)) {
            out.push((path.to_owned(), serde_json::from_str(&src).unwrap()));
        }
    }
    out
}

/// Loads `model`; when it is valid and `emit` is set, emits it too.
/// Returns whether it loaded.
fn run(model: &Value, emit: bool) -> bool {
    let src = serde_json::to_string(model).unwrap();
    match smithy_codegen::load(&src, "mutated.json") {
        Ok(ir) => {
            if emit {
                let files = smithy_codegen::emit::emit(&ir, &workspace_options());
                assert!(files.contains_key("src/lib.rs"));
            }
            true
        }
        Err(d) => {
            assert!(!d.items.is_empty());
            false
        }
    }
}

#[test]
fn removing_any_shape() {
    for (path, model) in models() {
        let ids: Vec<String> = model["shapes"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for id in ids {
            let mut m = model.clone();
            m["shapes"].as_object_mut().unwrap().remove(&id);
            run(&m, true);
        }
        eprintln!("{path}: every shape removed in turn");
    }
}

fn project() -> Vec<(String, Value)> {
    models().into_iter().take(1).collect()
}

#[test]
fn changing_any_shape_type_or_member_target() {
    let kinds = [
        "string",
        "integer",
        "structure",
        "union",
        "enum",
        "list",
        "map",
        "operation",
        "service",
        "timestamp",
        "document",
        "blob",
    ];
    for (_, model) in project() {
        let ids: Vec<String> = model["shapes"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for id in &ids {
            for kind in kinds {
                let mut m = model.clone();
                m["shapes"][id]["type"] = Value::from(kind);
                // Emitting too: a shape that changed kind may still be valid.
                run(&m, true);
            }
            let members: Vec<String> = model["shapes"][id]["members"]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            for member in members {
                for target in [
                    "smithy.api#Unit",
                    "smithy.api#Document",
                    "no.such#Shape",
                    "bad id",
                    ids[0].as_str(),
                ] {
                    let mut m = model.clone();
                    m["shapes"][id]["members"][&member]["target"] = Value::from(target);
                    run(&m, false);
                }
            }
        }
    }
}

#[test]
fn dropping_or_mangling_any_trait() {
    for (_, model) in project() {
        let ids: Vec<String> = model["shapes"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for id in &ids {
            let traits: Vec<String> = model["shapes"][id]["traits"]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            for t in traits {
                for value in [
                    Value::Null,
                    Value::from(7),
                    Value::from("x"),
                    serde_json::json!({"min": "a"}),
                ] {
                    let mut m = model.clone();
                    m["shapes"][id]["traits"][&t] = value;
                    run(&m, false);
                }
                let mut m = model.clone();
                m["shapes"][id]["traits"]
                    .as_object_mut()
                    .unwrap()
                    .remove(&t);
                run(&m, false);
            }
        }
    }
}

#[test]
fn truncated_json() {
    let src = std::fs::read_to_string(root().join("model/pca-connector-scep.json")).unwrap();
    for cut in (0..src.len()).step_by(src.len() / 300 + 1) {
        let err = smithy_codegen::load(&src[..cut], "cut.json").unwrap_err();
        assert!(
            err.items[0].message.starts_with("invalid JSON")
                || err.items[0].message.contains("object"),
            "{err}"
        );
    }
}
