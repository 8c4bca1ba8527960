//! `cargo xtask diff`: one fixture pair per rule. Each pair is
//! `tests/fixtures/diff/base.json` and a copy changed by the case's edit (or
//! the other way round); the severities and kinds are asserted exactly and
//! the Markdown is snapshotted.

use serde_json::{Value, json};
use smithy_codegen::diff::{self, Severity};
use workspace_tests::root;

const NS: &str = "example.diff#";

fn base() -> Value {
    let src = std::fs::read_to_string(root().join("tests/fixtures/diff/base.json")).unwrap();
    serde_json::from_str(&src).unwrap()
}

fn shape<'a>(model: &'a mut Value, name: &str) -> &'a mut Value {
    model["shapes"]
        .get_mut(format!("{NS}{name}"))
        .unwrap_or_else(|| panic!("no shape {name}"))
}

fn member<'a>(model: &'a mut Value, shape_name: &str, member: &str) -> &'a mut Value {
    &mut shape(model, shape_name)["members"][member]
}

fn traits(v: &mut Value) -> &mut serde_json::Map<String, Value> {
    if v.get("traits").is_none() {
        v["traits"] = json!({});
    }
    v["traits"].as_object_mut().unwrap()
}

fn load(model: &Value, name: &str) -> smithy_codegen::ir::Model {
    smithy_codegen::load(&serde_json::to_string_pretty(model).unwrap(), name)
        .unwrap_or_else(|d| panic!("{d}"))
}

/// Diffs `old` against `new`, asserts the severities and kinds, and
/// snapshots the Markdown.
#[track_caller]
fn check(name: &str, old: Value, new: Value, expected: &[(Severity, &str)]) {
    let changes = diff::diff(&load(&old, "old.json"), &load(&new, "new.json"));
    let got: Vec<(Severity, &str)> = changes.iter().map(|c| (c.severity, c.kind)).collect();
    assert_eq!(got, expected, "{name}");
    // The same, as `--format json` reports it.
    let json: Value = serde_json::from_str(&diff::json(&changes)).unwrap();
    let from_json: Vec<(String, String)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["severity"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected_json: Vec<(String, String)> = expected
        .iter()
        .map(|(s, k)| (s.as_str().to_owned(), (*k).to_owned()))
        .collect();
    assert_eq!(from_json, expected_json, "{name} (json)");
    insta::assert_snapshot!(format!("diff_{name}"), diff::markdown(&changes));
}

fn edited(edit: impl FnOnce(&mut Value)) -> Value {
    let mut m = base();
    edit(&mut m);
    m
}

use Severity::*;

#[test]
fn no_change() {
    check("no_change", base(), base(), &[]);
}

#[test]
fn operations_added_and_removed() {
    let with_delete = edited(|m| {
        m["shapes"][format!("{NS}DeleteThing")] = json!({
            "type": "operation",
            "input": { "target": format!("{NS}DeleteThingInput") },
            "traits": { "smithy.api#http": { "method": "DELETE", "uri": "/things/{Id}", "code": 204 } }
        });
        m["shapes"][format!("{NS}DeleteThingInput")] = json!({
            "type": "structure",
            "members": { "Id": { "target": "smithy.api#String", "traits": { "smithy.api#httpLabel": {}, "smithy.api#required": {} } } },
            "traits": { "smithy.api#input": {} }
        });
    });
    check(
        "operation_added",
        base(),
        with_delete.clone(),
        &[(Compatible, "operation-added"), (Compatible, "shape-added")],
    );
    check(
        "operation_removed",
        with_delete,
        base(),
        &[(Breaking, "operation-removed"), (Breaking, "shape-removed")],
    );
}

#[test]
fn members_added_depend_on_direction_and_requiredness() {
    let required_input = edited(|m| {
        member(m, "PutThingInput", "Owner")["target"] = json!("smithy.api#String");
        traits(member(m, "PutThingInput", "Owner")).insert("smithy.api#required".into(), json!({}));
    });
    check(
        "required_member_added_to_input",
        base(),
        required_input,
        &[(Breaking, "member-added")],
    );
    let optional_input =
        edited(|m| member(m, "PutThingInput", "Owner")["target"] = json!("smithy.api#String"));
    check(
        "optional_member_added_to_input",
        base(),
        optional_input,
        &[(Compatible, "member-added")],
    );
    let required_output = edited(|m| {
        member(m, "PutThingOutput", "Owner")["target"] = json!("smithy.api#String");
        traits(member(m, "PutThingOutput", "Owner"))
            .insert("smithy.api#required".into(), json!({}));
    });
    check(
        "required_member_added_to_output",
        base(),
        required_output,
        &[(Compatible, "member-added")],
    );
}

#[test]
fn members_removed_and_retyped() {
    let removed = edited(|m| {
        shape(m, "PutThingOutput")["members"]
            .as_object_mut()
            .unwrap()
            .remove("Label");
    });
    check(
        "member_removed",
        base(),
        removed,
        &[(Breaking, "member-removed")],
    );
    let retyped =
        edited(|m| member(m, "PutThingInput", "Count")["target"] = json!("smithy.api#Long"));
    check(
        "member_target_changed",
        base(),
        retyped,
        &[(Breaking, "member-target-changed")],
    );
}

#[test]
fn required_added_and_removed() {
    let name_required = edited(|m| {
        traits(member(m, "PutThingInput", "Name")).insert("smithy.api#required".into(), json!({}));
    });
    check(
        "required_added_to_input",
        base(),
        name_required.clone(),
        &[(Breaking, "required-added")],
    );
    check(
        "required_removed_from_input",
        name_required,
        base(),
        &[(Compatible, "required-removed")],
    );
    let status_optional = edited(|m| {
        traits(member(m, "PutThingOutput", "Status")).remove("smithy.api#required");
    });
    check(
        "required_removed_from_output",
        base(),
        status_optional.clone(),
        &[(Breaking, "required-removed")],
    );
    check(
        "required_added_to_output",
        status_optional,
        base(),
        &[(Compatible, "required-added")],
    );
}

#[test]
fn constraints_tightened_and_loosened() {
    let name_max = |max: u64| {
        edited(|m| traits(shape(m, "Name"))["smithy.api#length"] = json!({"min": 1, "max": max}))
    };
    check(
        "length_tightened_on_input",
        base(),
        name_max(5),
        &[(Breaking, "length-tightened")],
    );
    check(
        "length_loosened_on_input",
        base(),
        name_max(20),
        &[(Compatible, "length-loosened")],
    );
    let label_max = |max: u64| {
        edited(|m| {
            traits(member(m, "PutThingOutput", "Label"))["smithy.api#length"] =
                json!({"min": 1, "max": max})
        })
    };
    check(
        "length_tightened_on_output",
        base(),
        label_max(10),
        &[(Compatible, "length-tightened")],
    );
    check(
        "length_loosened_on_output",
        base(),
        label_max(30),
        &[(Risky, "length-loosened")],
    );
    let count = |min: u64, max: u64| {
        edited(|m| {
            traits(member(m, "PutThingInput", "Count"))["smithy.api#range"] =
                json!({"min": min, "max": max})
        })
    };
    check(
        "range_tightened_on_input",
        base(),
        count(5, 100),
        &[(Breaking, "range-tightened")],
    );
    check(
        "range_loosened_on_input",
        base(),
        count(0, 1000),
        &[(Compatible, "range-loosened")],
    );
    check(
        "range_moved_on_input",
        base(),
        count(5, 1000),
        &[(Breaking, "range-changed")],
    );
}

#[test]
fn patterns() {
    let changed = edited(|m| traits(shape(m, "Name"))["smithy.api#pattern"] = json!("^[a-z0-9]+$"));
    check(
        "pattern_changed",
        base(),
        changed,
        &[(Risky, "pattern-changed")],
    );
    let added = edited(|m| {
        traits(member(m, "PutThingInput", "Token"))
            .insert("smithy.api#pattern".into(), json!("^[a-f0-9-]+$"));
    });
    check(
        "pattern_added_on_input",
        base(),
        added.clone(),
        &[(Breaking, "pattern-added")],
    );
    check(
        "pattern_removed_on_input",
        added,
        base(),
        &[(Compatible, "pattern-removed")],
    );
}

#[test]
fn http_bindings() {
    let http = |f: &dyn Fn(&mut Value)| {
        edited(|m| f(&mut traits(shape(m, "PutThing"))["smithy.api#http"]))
    };
    check(
        "http_method_changed",
        base(),
        http(&|h| h["method"] = json!("POST")),
        &[(Breaking, "http-method-changed")],
    );
    check(
        "http_uri_changed",
        base(),
        http(&|h| h["uri"] = json!("/thing/{Id}")),
        &[(Breaking, "http-uri-changed")],
    );
    check(
        "http_code_changed",
        base(),
        http(&|h| h["code"] = json!(201)),
        &[(Breaking, "http-code-changed")],
    );
    let query = edited(|m| {
        traits(member(m, "ListThingsInput", "NextToken"))["smithy.api#httpQuery"] = json!("token")
    });
    check(
        "http_query_name_changed",
        base(),
        query,
        &[(Breaking, "http-query-name-changed")],
    );
    let label_to_body = edited(|m| {
        traits(shape(m, "PutThing"))["smithy.api#http"]["uri"] = json!("/things");
        traits(member(m, "PutThingInput", "Id")).remove("smithy.api#httpLabel");
    });
    check(
        "http_label_changed",
        base(),
        label_to_body,
        &[
            (Breaking, "http-uri-changed"),
            (Breaking, "http-label-changed"),
        ],
    );
    let status = edited(|m| traits(shape(m, "NotFound"))["smithy.api#httpError"] = json!(410));
    check(
        "error_status_changed",
        base(),
        status,
        &[(Breaking, "error-status-changed")],
    );
}

#[test]
fn enum_values() {
    let color = |values: &[&str]| {
        edited(|m| {
            shape(m, "Color")["members"] = values
                .iter()
                .map(|v| (v.to_string(), json!({"target": "smithy.api#Unit"})))
                .collect();
        })
    };
    check(
        "enum_value_added_on_input",
        base(),
        color(&["RED", "BLUE", "GREEN"]),
        &[(Compatible, "enum-value-added")],
    );
    check(
        "enum_value_removed_on_input",
        base(),
        color(&["RED"]),
        &[(Breaking, "enum-value-removed")],
    );
    let status = |values: &[&str]| {
        edited(|m| {
            shape(m, "Status")["members"] = values
                .iter()
                .map(|v| (v.to_string(), json!({"target": "smithy.api#Unit"})))
                .collect();
        })
    };
    check(
        "enum_value_added_on_output",
        base(),
        status(&["ACTIVE", "FAILED", "PENDING"]),
        &[(Risky, "enum-value-added")],
    );
    check(
        "enum_value_removed_on_output",
        base(),
        status(&["ACTIVE"]),
        &[(Risky, "enum-value-removed")],
    );
}

#[test]
fn operation_errors() {
    let with_conflict = edited(|m| {
        shape(m, "PutThing")["errors"]
            .as_array_mut()
            .unwrap()
            .push(json!({"target": format!("{NS}Conflict")}));
    });
    check(
        "operation_error_added",
        base(),
        with_conflict.clone(),
        &[(Risky, "operation-error-added")],
    );
    check(
        "operation_error_removed",
        with_conflict,
        base(),
        &[(Risky, "operation-error-removed")],
    );
}

#[test]
fn sensitive_idempotency_and_pagination() {
    let not_sensitive = edited(|m| {
        traits(shape(m, "Secret")).remove("smithy.api#sensitive");
    });
    check(
        "sensitive_removed",
        base(),
        not_sensitive.clone(),
        &[(Risky, "sensitive-removed")],
    );
    check(
        "sensitive_added",
        not_sensitive,
        base(),
        &[(Compatible, "sensitive-added")],
    );
    let no_token = edited(|m| {
        traits(member(m, "PutThingInput", "Token")).remove("smithy.api#idempotencyToken");
    });
    check(
        "idempotency_token_removed",
        base(),
        no_token.clone(),
        &[(Breaking, "idempotency-token-removed")],
    );
    check(
        "idempotency_token_added",
        no_token,
        base(),
        &[(Compatible, "idempotency-token-added")],
    );
    let unpaginated = edited(|m| {
        traits(shape(m, "ListThings")).remove("smithy.api#paginated");
    });
    check(
        "paginated_removed",
        base(),
        unpaginated.clone(),
        &[(Breaking, "paginated-removed")],
    );
    check(
        "paginated_added",
        unpaginated,
        base(),
        &[(Compatible, "paginated-added")],
    );
    let not_readonly = edited(|m| {
        traits(shape(m, "ListThings")).remove("smithy.api#readonly");
    });
    check(
        "readonly_removed",
        base(),
        not_readonly,
        &[(Risky, "readonly-removed")],
    );
}

#[test]
fn defaults() {
    let with_default = |v: Value| {
        edited(|m| {
            traits(member(m, "PutThingInput", "Count")).insert("smithy.api#default".into(), v);
        })
    };
    check(
        "default_added",
        base(),
        with_default(json!(5)),
        &[(Compatible, "default-added")],
    );
    check(
        "default_changed",
        with_default(json!(5)),
        with_default(json!(6)),
        &[(Risky, "default-changed")],
    );
    check(
        "default_removed",
        with_default(json!(5)),
        base(),
        &[(Breaking, "default-removed")],
    );
}

#[test]
fn documentation_only() {
    let docs = edited(|m| {
        traits(shape(m, "PutThing"))["smithy.api#documentation"] =
            json!("Puts a thing, or replaces it.");
        traits(member(m, "PutThingInput", "Name"))["smithy.api#documentation"] =
            json!("The thing's name.");
    });
    check(
        "documentation_only",
        base(),
        docs,
        &[
            (Documentation, "documentation-changed"),
            (Documentation, "documentation-changed"),
        ],
    );
}

#[test]
fn unused_shape_removed() {
    let without = edited(|m| {
        m["shapes"]
            .as_object_mut()
            .unwrap()
            .remove(&format!("{NS}Conflict"));
    });
    check(
        "shape_removed",
        base(),
        without,
        &[(Breaking, "shape-removed")],
    );
}

#[test]
fn json_output_lists_every_field() {
    let changed =
        edited(|m| traits(shape(m, "Name"))["smithy.api#length"] = json!({"min": 1, "max": 5}));
    let changes = diff::diff(&load(&base(), "a"), &load(&changed, "b"));
    let out: Value = serde_json::from_str(&diff::json(&changes)).unwrap();
    assert_eq!(
        out,
        json!({"changes": [{
            "severity": "breaking",
            "kind": "length-tightened",
            "shape": "example.diff#Name",
            "message": "the length constraint was tightened",
            "old": "1..10",
            "new": "1..5"
        }]})
    );
}

#[test]
fn the_project_model_against_itself_and_the_corpus() {
    let src = std::fs::read_to_string(root().join("model/pca-connector-scep.json")).unwrap();
    let scep = smithy_codegen::load(&src, "scep").unwrap();
    assert!(diff::diff(&scep, &scep).is_empty());
    let corpus = root().join("../shared/corpus/pca-connector-ad.json");
    if let Ok(src) = std::fs::read_to_string(corpus) {
        let ad = smithy_codegen::load(&src, "ad").unwrap();
        let changes = diff::diff(&scep, &ad);
        assert!(changes.iter().any(|c| c.kind == "service-replaced"));
        assert!(changes.iter().any(|c| c.kind == "operation-removed"));
        assert!(diff::markdown(&changes).starts_with("## Model changes\n\n**"));
    }
}
