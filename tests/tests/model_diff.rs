//! `cargo xtask diff`: one fixture pair per rule. Each pair is
//! `tests/fixtures/diff/base.json` and a copy changed by the case's edit (or
//! the other way round); the wire and Rust verdicts and kinds are asserted
//! exactly and the Markdown is snapshotted.
//!
//! With `DIFF_PAIRS_OUT=DIR`, every pair is also written to
//! `DIR/<name>/{old,new}.json`: `tests/semver/run.sh` generates both crates
//! of each pair and checks the Rust verdict with `cargo semver-checks`.

use serde_json::{Value, json};
use smithy_codegen::diff::{self, Semver, Severity};
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

/// Diffs `old` against `new`, asserts the wire and Rust verdicts and kinds
/// (and that `severity` is the stricter of the two), and snapshots the
/// Markdown.
#[track_caller]
fn check(name: &str, old: Value, new: Value, expected: &[(Severity, Semver, &str)]) {
    if let Some(dir) = std::env::var_os("DIFF_PAIRS_OUT") {
        let dir = std::path::Path::new(&dir).join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, model) in [("old.json", &old), ("new.json", &new)] {
            let text = serde_json::to_string_pretty(model).unwrap();
            std::fs::write(dir.join(file), text).unwrap();
        }
    }
    let changes = diff::diff(&load(&old, "old.json"), &load(&new, "new.json"));
    let got: Vec<(Severity, Semver, &str)> =
        changes.iter().map(|c| (c.wire, c.rust, c.kind)).collect();
    assert_eq!(got, expected, "{name}");
    for c in &changes {
        let stricter = match c.rust {
            Semver::Major => Severity::Breaking,
            Semver::Minor => c.wire.min(Severity::Compatible),
            Semver::Patch => c.wire,
        };
        assert_eq!(c.severity, stricter, "{name}: {c:?}");
        assert!(!c.rust_reason.is_empty(), "{name}: {c:?}");
    }
    // The same, as `--format json` reports it.
    let json: Value = serde_json::from_str(&diff::json(&changes)).unwrap();
    let from_json: Vec<(String, String, String, String)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_owned();
            (s("severity"), s("wire"), s("rust"), s("kind"))
        })
        .collect();
    let expected_json: Vec<(String, String, String, String)> = changes
        .iter()
        .map(|c| {
            (
                c.severity.as_str().to_owned(),
                c.wire.as_str().to_owned(),
                c.rust.as_str().to_owned(),
                c.kind.to_owned(),
            )
        })
        .collect();
    assert_eq!(from_json, expected_json, "{name} (json)");
    let worst = |key: &str| json[key].as_str().map(str::to_owned);
    assert_eq!(
        worst("wire"),
        expected
            .iter()
            .map(|e| e.0)
            .min()
            .map(|s| s.as_str().to_owned()),
        "{name}"
    );
    assert_eq!(
        worst("rust"),
        expected
            .iter()
            .map(|e| e.1)
            .min()
            .map(|s| s.as_str().to_owned()),
        "{name}"
    );
    insta::assert_snapshot!(format!("diff_{name}"), diff::markdown(&changes));
}

fn edited(edit: impl FnOnce(&mut Value)) -> Value {
    let mut m = base();
    edit(&mut m);
    m
}

use Semver::{Major, Minor, Patch};
use Severity::*;

#[test]
fn no_change() {
    check("no_change", base(), base(), &[]);
}

#[test]
fn operations_added_and_removed() {
    let with_delete = edited(|m| {
        m["shapes"][format!("{NS}Things")]["operations"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "target": format!("{NS}DeleteThing") }));
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
        &[
            (Compatible, Major, "operation-added"),
            (Compatible, Minor, "shape-added"),
        ],
    );
    check(
        "operation_removed",
        with_delete,
        base(),
        &[
            (Breaking, Major, "operation-removed"),
            (Compatible, Major, "shape-removed"),
        ],
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
        &[(Breaking, Major, "member-added")],
    );
    let optional_input =
        edited(|m| member(m, "PutThingInput", "Owner")["target"] = json!("smithy.api#String"));
    check(
        "optional_member_added_to_input",
        base(),
        optional_input,
        &[(Compatible, Minor, "member-added")],
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
        &[(Compatible, Major, "member-added")],
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
        &[(Breaking, Major, "member-removed")],
    );
    let retyped =
        edited(|m| member(m, "PutThingInput", "Count")["target"] = json!("smithy.api#Long"));
    check(
        "member_target_changed",
        base(),
        retyped,
        &[(Breaking, Major, "member-target-changed")],
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
        &[(Breaking, Major, "required-added")],
    );
    check(
        "required_removed_from_input",
        name_required,
        base(),
        &[(Compatible, Major, "required-removed")],
    );
    let status_optional = edited(|m| {
        traits(member(m, "PutThingOutput", "Status")).remove("smithy.api#required");
    });
    check(
        "required_removed_from_output",
        base(),
        status_optional.clone(),
        &[(Breaking, Major, "required-removed")],
    );
    check(
        "required_added_to_output",
        status_optional,
        base(),
        &[(Compatible, Major, "required-added")],
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
        &[(Breaking, Patch, "length-tightened")],
    );
    check(
        "length_loosened_on_input",
        base(),
        name_max(20),
        &[(Compatible, Patch, "length-loosened")],
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
        &[(Compatible, Patch, "length-tightened")],
    );
    check(
        "length_loosened_on_output",
        base(),
        label_max(30),
        &[(Risky, Patch, "length-loosened")],
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
        &[(Breaking, Patch, "range-tightened")],
    );
    check(
        "range_loosened_on_input",
        base(),
        count(0, 1000),
        &[(Compatible, Patch, "range-loosened")],
    );
    check(
        "range_moved_on_input",
        base(),
        count(5, 1000),
        &[(Breaking, Patch, "range-changed")],
    );
}

#[test]
fn patterns() {
    let changed = edited(|m| traits(shape(m, "Name"))["smithy.api#pattern"] = json!("^[a-z0-9]+$"));
    check(
        "pattern_changed",
        base(),
        changed,
        &[(Risky, Patch, "pattern-changed")],
    );
    let added = edited(|m| {
        traits(member(m, "PutThingInput", "Token"))
            .insert("smithy.api#pattern".into(), json!("^[a-f0-9-]+$"));
    });
    check(
        "pattern_added_on_input",
        base(),
        added.clone(),
        &[(Breaking, Patch, "pattern-added")],
    );
    check(
        "pattern_removed_on_input",
        added,
        base(),
        &[(Compatible, Patch, "pattern-removed")],
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
        &[(Breaking, Patch, "http-method-changed")],
    );
    check(
        "http_uri_changed",
        base(),
        http(&|h| h["uri"] = json!("/thing/{Id}")),
        &[(Breaking, Patch, "http-uri-changed")],
    );
    check(
        "http_code_changed",
        base(),
        http(&|h| h["code"] = json!(201)),
        &[(Breaking, Patch, "http-code-changed")],
    );
    let query = edited(|m| {
        traits(member(m, "ListThingsInput", "NextToken"))["smithy.api#httpQuery"] = json!("token")
    });
    check(
        "http_query_name_changed",
        base(),
        query,
        &[(Breaking, Patch, "http-query-name-changed")],
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
            (Breaking, Patch, "http-uri-changed"),
            (Breaking, Patch, "http-label-changed"),
        ],
    );
    let status = edited(|m| traits(shape(m, "NotFound"))["smithy.api#httpError"] = json!(410));
    check(
        "error_status_changed",
        base(),
        status,
        &[(Breaking, Patch, "error-status-changed")],
    );
}

/// The protocol decides what is wire: under awsJson there are no routes,
/// HTTP bindings or JSON names, so editing those traits changes nothing,
/// while a change of protocol changes every request.
#[test]
fn protocols() {
    let aws_json = |m: &mut Value| {
        let t = traits(shape(m, "Things"));
        t.remove("aws.protocols#restJson1");
        t.insert("aws.protocols#awsJson1_1".into(), json!({}));
    };
    check(
        "service_protocol_changed",
        base(),
        edited(aws_json),
        &[(Breaking, Major, "service-protocol-changed")],
    );
    let http_traits_edited = edited(|m| {
        aws_json(m);
        traits(shape(m, "PutThing"))["smithy.api#http"]["method"] = json!("POST");
        traits(member(m, "PutThingInput", "Name"))
            .insert("smithy.api#jsonName".into(), json!("name"));
        traits(member(m, "PutThingInput", "Count"))
            .insert("smithy.api#httpHeader".into(), json!("x-count"));
    });
    check(
        "aws_json_ignores_http_traits",
        edited(aws_json),
        http_traits_edited,
        &[],
    );
    // The same edits under restJson1 are all on the wire.
    let rest_json_edited = edited(|m| {
        traits(shape(m, "PutThing"))["smithy.api#http"]["method"] = json!("POST");
        traits(member(m, "PutThingInput", "Name"))
            .insert("smithy.api#jsonName".into(), json!("name"));
    });
    check(
        "rest_json_http_traits",
        base(),
        rest_json_edited,
        &[
            (Breaking, Patch, "http-method-changed"),
            (Breaking, Patch, "json-name-changed"),
        ],
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
        &[(Compatible, Minor, "enum-value-added")],
    );
    check(
        "enum_value_removed_on_input",
        base(),
        color(&["RED"]),
        &[(Breaking, Major, "enum-value-removed")],
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
        &[(Risky, Minor, "enum-value-added")],
    );
    check(
        "enum_value_removed_on_output",
        base(),
        status(&["ACTIVE"]),
        &[(Risky, Major, "enum-value-removed")],
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
        &[
            (Risky, Minor, "operation-error-added"),
            (Compatible, Minor, "shape-added"),
        ],
    );
    check(
        "operation_error_removed",
        with_conflict,
        base(),
        &[
            (Compatible, Major, "shape-removed"),
            (Risky, Major, "operation-error-removed"),
        ],
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
        &[(Risky, Patch, "sensitive-removed")],
    );
    check(
        "sensitive_added",
        not_sensitive,
        base(),
        &[(Compatible, Patch, "sensitive-added")],
    );
    let no_token = edited(|m| {
        traits(member(m, "PutThingInput", "Token")).remove("smithy.api#idempotencyToken");
    });
    check(
        "idempotency_token_removed",
        base(),
        no_token.clone(),
        &[(Breaking, Patch, "idempotency-token-removed")],
    );
    check(
        "idempotency_token_added",
        no_token,
        base(),
        &[(Compatible, Patch, "idempotency-token-added")],
    );
    let unpaginated = edited(|m| {
        traits(shape(m, "ListThings")).remove("smithy.api#paginated");
    });
    check(
        "paginated_removed",
        base(),
        unpaginated.clone(),
        // The client loses its paginator methods.
        &[(Breaking, Major, "paginated-removed")],
    );
    check(
        "paginated_added",
        unpaginated,
        base(),
        // The client gains paginator methods.
        &[(Compatible, Minor, "paginated-added")],
    );
    let not_readonly = edited(|m| {
        traits(shape(m, "ListThings")).remove("smithy.api#readonly");
    });
    check(
        "readonly_removed",
        base(),
        not_readonly,
        &[(Risky, Patch, "readonly-removed")],
    );
}

#[test]
fn defaults() {
    // On an output member a default turns `Option<T>` into `T`.
    let with_default = |v: Value| {
        edited(|m| {
            traits(member(m, "PutThingOutput", "Label")).insert("smithy.api#default".into(), v);
        })
    };
    check(
        "default_added",
        base(),
        with_default(json!("none")),
        &[(Compatible, Major, "default-added")],
    );
    check(
        "default_changed",
        with_default(json!("none")),
        with_default(json!("some")),
        &[(Risky, Patch, "default-changed")],
    );
    check(
        "default_removed",
        with_default(json!("none")),
        base(),
        &[(Breaking, Major, "default-removed")],
    );
    // A member of an `input` structure stays an `Option` (clients may
    // leave it unset): only the hidden `__default_*()` comes or goes.
    let input_default = |v: Value| {
        edited(|m| {
            traits(member(m, "PutThingInput", "Count")).insert("smithy.api#default".into(), v);
        })
    };
    check(
        "default_added_to_input",
        base(),
        input_default(json!(5)),
        &[(Compatible, Minor, "default-added")],
    );
    check(
        "default_removed_from_input",
        input_default(json!(5)),
        base(),
        &[(Breaking, Patch, "default-removed")],
    );
}

/// `clientOptional` on a member with a default makes its field an `Option`.
#[test]
fn client_optional_on_a_member_with_a_default() {
    let label = |client_optional: bool| {
        edited(|m| {
            let t = traits(member(m, "PutThingOutput", "Label"));
            t.insert("smithy.api#default".into(), json!("none"));
            if client_optional {
                t.insert("smithy.api#clientOptional".into(), json!({}));
            }
        })
    };
    check(
        "client_optional_added",
        label(false),
        label(true),
        &[(Compatible, Major, "member-client-optional-changed")],
    );
    check(
        "client_optional_removed",
        label(true),
        label(false),
        &[(Compatible, Major, "member-client-optional-changed")],
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
            (Documentation, Patch, "documentation-changed"),
            (Documentation, Patch, "documentation-changed"),
        ],
    );
}

/// `Conflict` is in the file but no operation uses it: removing it changes
/// nothing the service exposes.
#[test]
fn unused_shape_removed() {
    let without = edited(|m| {
        m["shapes"]
            .as_object_mut()
            .unwrap()
            .remove(&format!("{NS}Conflict"));
    });
    check("shape_removed", base(), without, &[]);
}

#[test]
fn json_output_lists_every_field() {
    let changed =
        edited(|m| traits(shape(m, "Name"))["smithy.api#length"] = json!({"min": 1, "max": 5}));
    let changes = diff::diff(&load(&base(), "a"), &load(&changed, "b"));
    let out: Value = serde_json::from_str(&diff::json(&changes)).unwrap();
    assert_eq!(
        out,
        json!({
            "wire": "breaking",
            "rust": "patch",
            "changes": [{
                "severity": "breaking",
                "wire": "breaking",
                "rust": "patch",
                "kind": "length-tightened",
                "shape": "example.diff#Name",
                "message": "the length constraint was tightened",
                "old": "1..10",
                "new": "1..5",
                "rust_reason": "only the validators change"
            }]
        })
    );
    let none: Value = serde_json::from_str(&diff::json(&[])).unwrap();
    assert_eq!(none, json!({"wire": null, "rust": null, "changes": []}));
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

/// `DeleteThing` (with its input), bound to the service through a resource
/// `Thing`.
fn with_resource(m: &mut Value, operations: Value) {
    m["shapes"][format!("{NS}Things")]["resources"] = json!([{ "target": format!("{NS}Thing") }]);
    m["shapes"][format!("{NS}Thing")] = json!({ "type": "resource", "operations": operations });
    m["shapes"][format!("{NS}DeleteThing")] = json!({
        "type": "operation",
        "input": { "target": format!("{NS}DeleteThingInput") },
        "traits": {
            "smithy.api#http": { "method": "DELETE", "uri": "/things/{Id}", "code": 204 },
            "smithy.api#idempotent": {}
        }
    });
    m["shapes"][format!("{NS}DeleteThingInput")] = json!({
        "type": "structure",
        "members": { "Id": { "target": "smithy.api#String", "traits": { "smithy.api#httpLabel": {}, "smithy.api#required": {} } } },
        "traits": { "smithy.api#input": {} }
    });
}

/// What the generator sees is the service's closure: an operation that is
/// no longer bound to the service is gone from the crate and the API, even
/// though its shape is still in the file.
#[test]
fn operation_unbound_from_the_service() {
    let unbound = edited(|m| {
        m["shapes"][format!("{NS}Things")]["operations"] =
            json!([{ "target": format!("{NS}PutThing") }]);
    });
    check(
        "operation_unbound_from_service",
        base(),
        unbound,
        &[
            (Breaking, Major, "operation-removed"),
            (Compatible, Major, "shape-removed"),
            (Compatible, Major, "shape-removed"),
            (Compatible, Patch, "shape-removed"),
        ],
    );
}

#[test]
fn operation_unbound_from_a_resource() {
    let bound = edited(|m| with_resource(m, json!([{ "target": format!("{NS}DeleteThing") }])));
    let unbound = edited(|m| with_resource(m, json!([])));
    check(
        "operation_unbound_from_resource",
        bound,
        unbound,
        &[
            (Breaking, Major, "operation-removed"),
            (Compatible, Major, "shape-removed"),
        ],
    );
}

#[test]
fn resource_removed_with_its_operations() {
    let bound = edited(|m| with_resource(m, json!([{ "target": format!("{NS}DeleteThing") }])));
    check(
        "resource_removed",
        bound,
        base(),
        &[
            (Breaking, Major, "operation-removed"),
            (Compatible, Major, "shape-removed"),
        ],
    );
}

/// An operation in the file but bound to no service, and the shapes only it
/// uses: removing it leaves them unreachable, and nothing the service
/// exposes changes.
#[test]
fn shape_becomes_unreachable() {
    let with_orphan = edited(|m| {
        m["shapes"][format!("{NS}Archive")] = json!({
            "type": "operation",
            "input": { "target": format!("{NS}ArchiveInput") },
            "traits": { "smithy.api#http": { "method": "POST", "uri": "/archive" } }
        });
        m["shapes"][format!("{NS}ArchiveInput")] = json!({
            "type": "structure",
            "members": { "Shade": { "target": format!("{NS}Shade"), "traits": { "smithy.api#required": {} } } },
            "traits": { "smithy.api#input": {} }
        });
        m["shapes"][format!("{NS}Shade")] = json!({
            "type": "enum",
            "members": { "DARK": { "target": "smithy.api#Unit" }, "LIGHT": { "target": "smithy.api#Unit" } }
        });
    });
    let unreachable = {
        let mut m = with_orphan.clone();
        m["shapes"]
            .as_object_mut()
            .unwrap()
            .remove(&format!("{NS}Archive"));
        m
    };
    check("shape_becomes_unreachable", with_orphan, unreachable, &[]);
}

/// Same wire form, another Rust type: wire-compatible, Rust-major.
#[test]
fn shape_renamed_with_the_same_wire_form() {
    let renamed = edited(|m| {
        let shapes = m["shapes"].as_object_mut().unwrap();
        let color = shapes.remove(&format!("{NS}Color")).unwrap();
        shapes.insert(format!("{NS}Colour"), color);
        member(m, "PutThingInput", "Color")["target"] = json!(format!("{NS}Colour"));
    });
    check(
        "shape_renamed_same_wire_form",
        base(),
        renamed,
        &[
            (Compatible, Major, "shape-removed"),
            (Compatible, Major, "member-target-changed"),
            (Compatible, Minor, "shape-added"),
        ],
    );
}

/// Another wire form, the same Rust type: `String` either way.
#[test]
fn member_retargeted_to_the_same_rust_type() {
    let retargeted = edited(|m| {
        member(m, "PutThingOutput", "Label")["target"] = json!(format!("{NS}Name"));
    });
    check(
        "member_retargeted_same_rust_type",
        base(),
        retargeted,
        &[(Breaking, Patch, "member-target-changed")],
    );
}

/// A member with a default is no parameter of `new` whether it is required
/// or not (in an `input` structure it is an `Option` either way).
#[test]
fn required_added_to_a_member_with_a_default() {
    let count = |required: bool| {
        edited(|m| {
            let t = traits(member(m, "PutThingInput", "Count"));
            t.insert("smithy.api#default".into(), json!(5));
            if required {
                t.insert("smithy.api#required".into(), json!({}));
            }
        })
    };
    check(
        "required_added_to_defaulted_member",
        count(false),
        count(true),
        &[(Breaking, Patch, "required-added")],
    );
}

/// A float inside a structure takes `Eq` away from its generated type.
#[test]
fn float_member_added() {
    let with_score = edited(|m| {
        member(m, "PutThingOutput", "Score")["target"] = json!("smithy.api#Double");
    });
    check(
        "float_member_added",
        base(),
        with_score,
        &[
            (Compatible, Major, "rust-eq-removed"),
            (Compatible, Minor, "member-added"),
        ],
    );
}

/// `ListThingsError` has no variants and is exhaustive: its first error
/// makes it `#[non_exhaustive]`.
#[test]
fn first_error_of_an_operation() {
    let with_error = edited(|m| {
        shape(m, "ListThings")["errors"] = json!([{ "target": format!("{NS}NotFound") }]);
    });
    check(
        "first_operation_error_added",
        base(),
        with_error,
        &[(Risky, Major, "operation-error-added")],
    );
}

/// The value travels, the name is the Rust variant's.
#[test]
fn enum_member_renamed() {
    let renamed = edited(|m| {
        shape(m, "Color")["members"] = json!({
            "CRIMSON": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "RED" } },
            "BLUE": { "target": "smithy.api#Unit" }
        });
    });
    check(
        "enum_member_renamed",
        base(),
        renamed,
        &[(Compatible, Major, "enum-name-changed")],
    );
}

/// A union and an enum are both Rust enums, but not the same type.
#[test]
fn enum_becomes_a_union() {
    let union = edited(|m| {
        m["shapes"][format!("{NS}Color")] = json!({
            "type": "union",
            "members": { "RED": { "target": "smithy.api#Unit" }, "BLUE": { "target": "smithy.api#Unit" } }
        });
    });
    check(
        "enum_becomes_union",
        base(),
        union,
        &[(Breaking, Major, "shape-type-changed")],
    );
}

/// `Detail`, a union in an output; `Tag`, a structure in an output.
fn with_detail_and_tag(m: &mut Value) {
    m["shapes"][format!("{NS}Detail")] = json!({
        "type": "union",
        "members": { "Text": { "target": "smithy.api#String" } }
    });
    m["shapes"][format!("{NS}Tag")] = json!({
        "type": "structure",
        "members": { "Key": { "target": "smithy.api#String", "traits": { "smithy.api#required": {} } } }
    });
    member(m, "PutThingOutput", "Detail")["target"] = json!(format!("{NS}Detail"));
    member(m, "PutThingOutput", "Tag")["target"] = json!(format!("{NS}Tag"));
}

#[test]
fn union_member_added_to_an_output() {
    let old = edited(with_detail_and_tag);
    let new = edited(|m| {
        with_detail_and_tag(m);
        shape(m, "Detail")["members"]["Number"] = json!({ "target": "smithy.api#Integer" });
    });
    check(
        "union_member_added_to_output",
        old,
        new,
        &[(Risky, Minor, "member-added")],
    );
}

/// A structure that only outputs used is now also in an input: it gets
/// `impl Validate` and an `unvalidated::` mirror.
#[test]
fn structure_becomes_part_of_an_input() {
    let old = edited(with_detail_and_tag);
    let new = edited(|m| {
        with_detail_and_tag(m);
        member(m, "PutThingInput", "Tag")["target"] = json!(format!("{NS}Tag"));
    });
    check(
        "structure_becomes_input",
        old,
        new,
        &[
            (Compatible, Minor, "member-added"),
            (Compatible, Minor, "rust-validation-added"),
        ],
    );
}

/// Without the `input` trait, `ListThingsInput` is generated in `types`.
#[test]
fn input_trait_removed() {
    let moved = edited(|m| {
        traits(shape(m, "ListThingsInput")).remove("smithy.api#input");
    });
    check(
        "input_trait_removed",
        base(),
        moved,
        &[(Compatible, Major, "rust-module-changed")],
    );
}

/// `Priority`, an integer enum in an output.
fn with_priority(m: &mut Value, values: &[(&str, i64)]) {
    m["shapes"][format!("{NS}Priority")] = json!({
        "type": "intEnum",
        "members": values
            .iter()
            .map(|(name, v)| (name.to_string(), json!({ "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": v } })))
            .collect::<serde_json::Map<_, _>>()
    });
    member(m, "PutThingOutput", "Priority")["target"] = json!(format!("{NS}Priority"));
}

#[test]
fn int_enum_values() {
    let both = edited(|m| with_priority(m, &[("LOW", 1), ("HIGH", 2)]));
    let low = edited(|m| with_priority(m, &[("LOW", 1)]));
    check(
        "int_enum_value_removed_on_output",
        both.clone(),
        low.clone(),
        &[(Risky, Major, "enum-value-removed")],
    );
    check(
        "int_enum_value_added_on_output",
        low,
        both,
        &[(Risky, Minor, "enum-value-added")],
    );
}

#[test]
fn timestamp_format_changed() {
    let created = |format: &str| {
        edited(|m| {
            member(m, "PutThingOutput", "Created")["target"] = json!("smithy.api#Timestamp");
            traits(member(m, "PutThingOutput", "Created"))
                .insert("smithy.api#timestampFormat".into(), json!(format));
        })
    };
    check(
        "timestamp_format_changed",
        created("epoch-seconds"),
        created("date-time"),
        &[(Breaking, Patch, "timestamp-format-changed")],
    );
}

/// `base` with a regional endpoint rule set: `https://{prefix}.{Region}.example.com`,
/// with `extra` parameters beside `Region`.
fn with_rules(m: &mut Value, prefix: &str, extra: Value) {
    let mut params = json!({
        "Region": {"type": "string", "builtIn": "AWS::Region", "documentation": "The region."}
    });
    for (k, v) in extra.as_object().unwrap() {
        params[k] = v.clone();
    }
    let t = traits(shape(m, "Things"));
    t.insert(
        "smithy.rules#endpointRuleSet".into(),
        json!({
            "version": "1.0",
            "parameters": params,
            "rules": [
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                 "endpoint": {"url": format!("https://{prefix}.{{Region}}.example.com")}},
                {"type": "error", "conditions": [], "error": "Missing Region"}
            ]
        }),
    );
}

#[test]
fn endpoint_rules_added_and_removed() {
    let ruled = edited(|m| with_rules(m, "things", json!({})));
    check(
        "endpoint_rules_added",
        base(),
        ruled.clone(),
        &[(Compatible, Minor, "endpoint-rules-added")],
    );
    check(
        "endpoint_rules_removed",
        ruled,
        base(),
        &[(Breaking, Major, "endpoint-rules-removed")],
    );
}

#[test]
fn endpoint_changed_for_existing_parameters() {
    check(
        "endpoint_changed",
        edited(|m| with_rules(m, "things", json!({}))),
        edited(|m| with_rules(m, "stuff", json!({}))),
        &[(Breaking, Patch, "endpoint-changed")],
    );
}

#[test]
fn endpoint_parameters_added() {
    let old = edited(|m| with_rules(m, "things", json!({})));
    check(
        "endpoint_optional_parameter_added",
        old.clone(),
        edited(|m| {
            with_rules(
                m,
                "things",
                json!({"Stage": {"type": "string", "documentation": "A stage."}}),
            )
        }),
        &[(Compatible, Minor, "endpoint-parameter-added")],
    );
    check(
        "endpoint_required_parameter_added",
        old,
        edited(|m| {
            with_rules(
                m,
                "things",
                json!({"Stage": {"type": "string", "required": true, "documentation": "A stage."}}),
            )
        }),
        &[
            (Breaking, Patch, "endpoint-changed"),
            (Breaking, Minor, "endpoint-parameter-added"),
        ],
    );
}
