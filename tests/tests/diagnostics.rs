//! Invalid models: each fixture must give exactly these diagnostics, one
//! line per problem, with file, line, shape and what is wrong.

use workspace_tests::{models_in, root};

fn diagnostics(path: &str) -> Vec<String> {
    let src = std::fs::read_to_string(root().join(path)).unwrap();
    match smithy_codegen::load(&src, path) {
        Ok(_) => panic!("{path} should be invalid"),
        Err(d) => d.lines(),
    }
}

fn expect(name: &str, expected: &[&str]) {
    let path = format!("tests/fixtures/invalid/{name}.json");
    assert_eq!(diagnostics(&path), expected, "{path}");
}

#[test]
fn unknown_target() {
    expect(
        "unknown_target",
        &[
            "tests/fixtures/invalid/unknown_target.json:7: example.bad#Widget$Owner: member target `example.bad#Person` does not exist in the model or the prelude",
        ],
    );
}

#[test]
fn label_without_member() {
    expect(
        "label_without_member",
        &[
            "tests/fixtures/invalid/label_without_member.json:7: example.bad#GetWidget: label `{WidgetId}` has no member with `httpLabel` in input `example.bad#GetWidgetInput`",
        ],
    );
}

#[test]
fn member_without_label() {
    expect(
        "member_without_label",
        &[
            "tests/fixtures/invalid/member_without_label.json:14: example.bad#GetWidgetInput$WidgetId: member has `httpLabel` but the uri `/widgets` of `example.bad#GetWidget` has no label `{WidgetId}`",
        ],
    );
}

#[test]
fn label_not_required() {
    expect(
        "label_not_required",
        &[
            "tests/fixtures/invalid/label_not_required.json:12: example.bad#GetWidgetInput$WidgetId: an `httpLabel` member must be marked `required`",
        ],
    );
}

#[test]
fn invalid_pattern() {
    expect(
        "invalid_pattern",
        &[
            "tests/fixtures/invalid/invalid_pattern.json:6: example.bad#WidgetName: invalid pattern `^[a-z+$`: unterminated character class",
        ],
    );
}

#[test]
fn route_conflict() {
    expect(
        "route_conflict",
        &[
            "tests/fixtures/invalid/route_conflict.json:19: example.bad#DescribeWidget: route `GET /widgets/{Name}` conflicts with route `GET /widgets/{Id}` of `example.bad#GetWidget`",
        ],
    );
}

#[test]
fn names_that_collide_after_casing() {
    expect(
        "name_collision",
        &[
            "tests/fixtures/invalid/name_collision.json:4: example.bad#WidgetInfo: Rust type name `WidgetInfo` collides with the one of `example.bad#WIDGETInfo`",
            "tests/fixtures/invalid/name_collision.json:8: example.bad#WidgetInfo$ItemCount: Rust field name `item_count` collides with the one of member `itemCount`",
        ],
    );
}

#[test]
fn unsupported_kinds_and_traits_are_all_reported() {
    expect(
        "unsupported",
        &[
            "tests/fixtures/invalid/unsupported.json:4: example.bad#Amount: trait `vendor.tools#precision` is not defined in the model",
            "tests/fixtures/invalid/unsupported.json:8: example.bad#Widget$Etag: trait `smithy.api#httpHeaderz` is not a prelude trait the generator knows",
            "tests/fixtures/invalid/unsupported.json:11: example.bad#Gadget: unknown shape type `gizmo`",
        ],
    );
}

#[test]
fn defaults_that_dont_fit_their_target() {
    expect(
        "bad_default",
        &[
            "tests/fixtures/invalid/bad_default.json:7: example.bad#Settings$Retries: default 300 doesn't fit `smithy.api#Byte` (byte): a default can be a boolean, a number in range, a string, one of the enum's values, epoch seconds or an RFC 3339 string for a timestamp, base64 for a blob, any JSON value for a document, [] or {}",
            "tests/fixtures/invalid/bad_default.json:8: example.bad#Settings$Mode: default \"slow\" doesn't fit `example.bad#Mode` (enum): a default can be a boolean, a number in range, a string, one of the enum's values, epoch seconds or an RFC 3339 string for a timestamp, base64 for a blob, any JSON value for a document, [] or {}",
            "tests/fixtures/invalid/bad_default.json:9: example.bad#Settings$Owner: default \"x\" doesn't fit `example.bad#Owner` (structure): a default can be a boolean, a number in range, a string, one of the enum's values, epoch seconds or an RFC 3339 string for a timestamp, base64 for a blob, any JSON value for a document, [] or {}",
        ],
    );
}

#[test]
fn json_syntax_error() {
    expect(
        "syntax_error",
        &["tests/fixtures/invalid/syntax_error.json:8: invalid JSON: trailing comma"],
    );
}

/// Patterns equivalent segment by segment conflict (a trailing slash makes
/// no other pattern); an empty segment inside a pattern is refused.
#[test]
fn route_equivalent() {
    expect(
        "route_equivalent",
        &[
            "tests/fixtures/invalid/route_equivalent.json:7: example.bad#PutObject: route `PUT /b/{Key+}/tagging` conflicts with route `PUT /b/{Path+}/tagging/` of `example.bad#PutTagging`",
            "tests/fixtures/invalid/route_equivalent.json:30: example.bad#ListThings: `/things//all` has an empty path segment",
        ],
    );
}

/// Java constructs with no translation are refused with what they are.
#[test]
fn java_pattern() {
    expect(
        "java_pattern",
        &[
            "tests/fixtures/invalid/java_pattern.json:6: example.bad#GreekName: invalid pattern `^\\p{blk=Nowhere}+$`: unknown Unicode block `Nowhere`",
            "tests/fixtures/invalid/java_pattern.json:10: example.bad#UnicodeWord: invalid pattern `^(?U)\\w+$`: inline flag `U` (Java's UNICODE_CHARACTER_CLASS) is not supported",
        ],
    );
}

#[test]
fn every_invalid_fixture_has_a_test() {
    let src = std::fs::read_to_string(root().join("tests/tests/diagnostics.rs")).unwrap();
    for path in models_in("tests/fixtures/invalid") {
        let name = path.rsplit('/').next().unwrap().trim_end_matches(".json");
        assert!(src.contains(&format!("\"{name}\"")), "{path} has no test");
    }
}

#[test]
fn display_counts_problems() {
    let src =
        std::fs::read_to_string(root().join("tests/fixtures/invalid/unsupported.json")).unwrap();
    let err = smithy_codegen::load(&src, "m.json")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("error: m.json:4: example.bad#Amount: "),
        "{err}"
    );
    assert!(err.ends_with("\n3 problems found in m.json"), "{err}");
}

#[test]
fn endpoint_rules() {
    expect(
        "endpoint_rules",
        &[
            "tests/fixtures/invalid/endpoint_rules.json:73: example.endpoints#Buckets: smithy.rules#endpointRuleSet: rules[0].rules[0].conditions[1]: function `isValidHostName` is not one the generator supports",
            "tests/fixtures/invalid/endpoint_rules.json:163: example.endpoints#Buckets: smithy.rules#endpointRuleSet: rules[1].error: `Regoin` is neither a parameter nor a variable assigned in scope",
            "tests/fixtures/invalid/endpoint_rules.json:251: example.endpoints#Buckets: smithy.rules#endpointTests: testCases[3].params.Zone: `Zone` is not a parameter of the rule set",
            "tests/fixtures/invalid/endpoint_rules.json:297: example.endpoints#GetObject: the value of `Stage`: expected a string",
            "tests/fixtures/invalid/endpoint_rules.json:386: example.endpoints#PutSettings: the path `Settings.Nope` of `Name`: `example.endpoints#Settings` has no member `Nope`",
        ],
    );
}
