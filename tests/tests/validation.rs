//! Constraint validation of every constrained input member of the model, at
//! its boundaries. Expected messages are written out by hand from the API
//! reference's constraints, not derived from the validator.

use pca_connector_scep::error::ValidationException;
use pca_connector_scep::input::*;
use pca_connector_scep::types::{IntuneConfiguration, MobileDeviceManagement};
use pca_connector_scep::unvalidated;
use serde_json::json;
use smithy_rt::validation::Validate;

const CONNECTOR_PATTERN: &str = r"^arn:aws(-[a-z]+)*:pca-connector-scep:[a-z]+(-[a-z]+)+-[1-9]\d*:\d{12}:connector\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$";
const CHALLENGE_PATTERN: &str = r"^arn:aws(-[a-z]+)*:pca-connector-scep:[a-z]+(-[a-z]+)+-[1-9]\d*:\d{12}:connector\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\/challenge\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$";
const CA_PATTERN: &str = r"^arn:aws(-[a-z]+)*:acm-pca:[a-z]+(-[a-z]+)+-[1-9]\d*:\d{12}:certificate-authority\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$";
const TOKEN_PATTERN: &str = "^[!-~]+$";
const APP_ID_PATTERN: &str =
    "^[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}$";
const DOMAIN_PATTERN: &str = "^[a-zA-Z0-9._-]+$";
const NEXT_TOKEN_PATTERN: &str = "^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$";

const UUID: &str = "0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e";
const UUID2: &str = "9f8e7d6c-5b4a-4321-8fed-cba987654321";

fn connector_arn() -> String {
    format!("arn:aws:pca-connector-scep:us-east-1:123456789012:connector/{UUID}")
}

/// A connector ARN that matches the pattern and has exactly `len` chars
/// (the partition gets `-aaaa…`).
fn connector_arn_of_len(len: usize) -> String {
    let base = connector_arn(); // 96 chars
    assert_eq!(base.len(), 96);
    let pad = len - 96 - 1;
    format!(
        "arn:aws-{}:pca-connector-scep:us-east-1:123456789012:connector/{UUID}",
        "a".repeat(pad)
    )
}

fn challenge_arn() -> String {
    format!("{}/challenge/{UUID2}", connector_arn())
}

fn ca_arn() -> String {
    format!("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/{UUID}")
}

fn messages(v: &impl Validate) -> Vec<String> {
    match v.validate() {
        Ok(()) => vec![],
        Err(violations) => violations.iter().map(|v| v.message.clone()).collect(),
    }
}

fn length(len: usize, path: &str, min: u64, max: u64) -> String {
    format!(
        "Value with length {len} at '{path}' failed to satisfy constraint: Member must have length between {min} and {max}, inclusive"
    )
}

fn pattern(path: &str, p: &str) -> String {
    format!(
        "Value at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {p}"
    )
}

fn get_connector(arn: &str) -> Vec<String> {
    messages(&GetConnectorRequest::new(arn))
}

#[test]
fn connector_arn_boundaries() {
    assert_eq!(get_connector(&connector_arn()), Vec::<String>::new());
    assert_eq!(
        get_connector(&connector_arn_of_len(200)),
        Vec::<String>::new()
    );
    assert_eq!(
        get_connector(&connector_arn_of_len(201)),
        [length(201, "/ConnectorArn", 5, 200)]
    );
    assert_eq!(
        get_connector("arn:a"),
        [pattern("/ConnectorArn", CONNECTOR_PATTERN)]
    );
    assert_eq!(
        get_connector("arn:"),
        [
            length(4, "/ConnectorArn", 5, 200),
            pattern("/ConnectorArn", CONNECTOR_PATTERN)
        ]
    );
    // Other services, other resource types, whole-value matching.
    for bad in [
        challenge_arn(),
        ca_arn(),
        format!("{} ", connector_arn()),
        format!("x{}", connector_arn()),
        connector_arn().to_uppercase(),
        connector_arn().replace("us-east-1", "useast1"),
        connector_arn().replace("us-east-1", "us-east-0"),
    ] {
        assert_eq!(
            get_connector(&bad),
            [pattern("/ConnectorArn", CONNECTOR_PATTERN)],
            "{bad}"
        );
    }
    // Partitions and multi-part regions match.
    for good in [
        connector_arn().replace("arn:aws:", "arn:aws-us-gov:"),
        connector_arn().replace("us-east-1", "ap-southeast-12"),
        connector_arn().replace("us-east-1", "us-gov-west-1"),
    ] {
        assert_eq!(get_connector(&good), Vec::<String>::new(), "{good}");
    }
}

#[test]
fn digits_outside_ascii_do_not_match_d() {
    // ECMA-262 `\d` is [0-9]; Arabic-Indic and full-width digits are not.
    let arabic = connector_arn().replace("123456789012", "١٢٣٤٥٦٧٨٩٠١٢");
    assert_eq!(
        get_connector(&arabic),
        [pattern("/ConnectorArn", CONNECTOR_PATTERN)]
    );
    let fullwidth = connector_arn().replace("us-east-1", "us-east-１");
    assert_eq!(
        get_connector(&fullwidth),
        [pattern("/ConnectorArn", CONNECTOR_PATTERN)]
    );
}

#[test]
fn challenge_arn_boundaries() {
    let get = |arn: &str| messages(&GetChallengeMetadataRequest::new(arn));
    assert_eq!(get(&challenge_arn()), Vec::<String>::new());
    assert_eq!(
        messages(&GetChallengePasswordRequest::new(challenge_arn())),
        Vec::<String>::new()
    );
    assert_eq!(
        messages(&DeleteChallengeRequest::new(challenge_arn())),
        Vec::<String>::new()
    );
    assert_eq!(
        get(&connector_arn()),
        [pattern("/ChallengeArn", CHALLENGE_PATTERN)]
    );
    let long = format!(
        "arn:aws-{}{}",
        "a".repeat(200 - challenge_arn().len() - 1 + 1),
        &challenge_arn()[7..]
    );
    assert_eq!(long.chars().count(), 201);
    assert_eq!(get(&long), [length(201, "/ChallengeArn", 5, 200)]);
    let max = format!(
        "arn:aws-{}{}",
        "a".repeat(200 - challenge_arn().len() - 1),
        &challenge_arn()[7..]
    );
    assert_eq!(get(&max), Vec::<String>::new());
    assert_eq!(
        get("abcd"),
        [
            length(4, "/ChallengeArn", 5, 200),
            pattern("/ChallengeArn", CHALLENGE_PATTERN)
        ]
    );
}

#[test]
fn client_token_boundaries_count_chars_not_bytes() {
    let create = |token: &str| {
        let mut r = CreateChallengeRequest::new(connector_arn());
        r.client_token = Some(token.to_owned());
        messages(&r)
    };
    assert_eq!(
        create(""),
        [
            length(0, "/ClientToken", 1, 64),
            pattern("/ClientToken", TOKEN_PATTERN)
        ]
    );
    assert_eq!(create("a"), Vec::<String>::new());
    assert_eq!(create(&"~".repeat(64)), Vec::<String>::new());
    assert_eq!(create(&"!".repeat(65)), [length(65, "/ClientToken", 1, 64)]);
    assert_eq!(
        create("has space"),
        [pattern("/ClientToken", TOKEN_PATTERN)]
    );
    // 64 two-byte chars are 128 bytes but 64 chars: only the pattern fails.
    assert_eq!(
        create(&"é".repeat(64)),
        [pattern("/ClientToken", TOKEN_PATTERN)]
    );
    assert_eq!(
        create(&"é".repeat(65)),
        [
            length(65, "/ClientToken", 1, 64),
            pattern("/ClientToken", TOKEN_PATTERN)
        ]
    );
    // A 4-byte char counts once.
    assert_eq!(
        create(&"😀".repeat(64)),
        [pattern("/ClientToken", TOKEN_PATTERN)]
    );
}

#[test]
fn certificate_authority_arn_boundaries() {
    let create = |arn: &str| messages(&CreateConnectorRequest::new(arn));
    assert_eq!(create(&ca_arn()), Vec::<String>::new());
    assert_eq!(
        create(&connector_arn()),
        [pattern("/CertificateAuthorityArn", CA_PATTERN)]
    );
    let padded = |n: usize| {
        format!(
            "arn:aws-{}{}",
            "a".repeat(n - ca_arn().len() - 1),
            &ca_arn()[7..]
        )
    };
    assert_eq!(create(&padded(200)), Vec::<String>::new());
    assert_eq!(
        create(&padded(201)),
        [length(201, "/CertificateAuthorityArn", 5, 200)]
    );
    assert_eq!(
        create("arn"),
        [
            length(3, "/CertificateAuthorityArn", 5, 200),
            pattern("/CertificateAuthorityArn", CA_PATTERN)
        ]
    );
}

fn intune(app: &str, domain: &str) -> Vec<String> {
    let mut r = CreateConnectorRequest::new(ca_arn());
    r.mobile_device_management = Some(MobileDeviceManagement::Intune(IntuneConfiguration::new(
        app, domain,
    )));
    messages(&r)
}

const APP: &str = "/MobileDeviceManagement/Intune/AzureApplicationId";
const DOMAIN: &str = "/MobileDeviceManagement/Intune/Domain";

#[test]
fn azure_application_id_boundaries() {
    assert_eq!(
        intune("6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b", "example.com"),
        Vec::<String>::new()
    );
    assert_eq!(
        intune("ab-cd-ef-gh-ijk", "example.com"),
        Vec::<String>::new()
    ); // 15
    assert_eq!(
        intune("ab-cd-ef-gh-ij", "example.com"),
        [length(14, APP, 15, 100)]
    );
    let longest_match = vec!["a".repeat(15); 5].join("-"); // 79 chars: the pattern's maximum
    assert_eq!(intune(&longest_match, "example.com"), Vec::<String>::new());
    let hundred = format!("{longest_match}-{}", "b".repeat(20));
    assert_eq!(hundred.len(), 100);
    assert_eq!(
        intune(&hundred, "example.com"),
        [pattern(APP, APP_ID_PATTERN)]
    );
    let hundred_one = format!("{hundred}c");
    assert_eq!(
        intune(&hundred_one, "example.com"),
        [length(101, APP, 15, 100), pattern(APP, APP_ID_PATTERN)]
    );
    assert_eq!(
        intune("ab_cd-ef-gh-ij-kl", "example.com"),
        [pattern(APP, APP_ID_PATTERN)]
    );
}

#[test]
fn domain_boundaries() {
    let app = "ab-cd-ef-gh-ijk";
    assert_eq!(
        intune(app, ""),
        [length(0, DOMAIN, 1, 256), pattern(DOMAIN, DOMAIN_PATTERN)]
    );
    assert_eq!(intune(app, "a"), Vec::<String>::new());
    assert_eq!(intune(app, &"a".repeat(256)), Vec::<String>::new());
    assert_eq!(intune(app, &"a".repeat(257)), [length(257, DOMAIN, 1, 256)]);
    assert_eq!(intune(app, "bad domain"), [pattern(DOMAIN, DOMAIN_PATTERN)]);
    assert_eq!(intune(app, "dömain.com"), [pattern(DOMAIN, DOMAIN_PATTERN)]);
}

#[test]
fn max_results_boundaries() {
    let list = |n: i32| {
        let mut r = ListConnectorsRequest::new();
        r.max_results = Some(n);
        messages(&r)
    };
    let range = "Value at '/MaxResults' failed to satisfy constraint: Member must be between 1 and 1000, inclusive";
    assert_eq!(list(0), [range]);
    assert_eq!(list(1), Vec::<String>::new());
    assert_eq!(list(1000), Vec::<String>::new());
    assert_eq!(list(1001), [range]);
    assert_eq!(list(-1), [range]);
    assert_eq!(list(i32::MIN), [range]);
    let mut r = ListChallengeMetadataRequest::new(connector_arn());
    r.max_results = Some(0);
    assert_eq!(messages(&r), [range]);
}

#[test]
fn next_token_boundaries() {
    let list = |t: &str| {
        let mut r = ListConnectorsRequest::new();
        r.next_token = Some(t.to_owned());
        messages(&r)
    };
    assert_eq!(list(""), [length(0, "/NextToken", 1, 1000)]); // the pattern matches ""
    assert_eq!(list("abcd"), Vec::<String>::new());
    assert_eq!(list("abc="), Vec::<String>::new());
    assert_eq!(list("ab=="), Vec::<String>::new());
    assert_eq!(list("a_-9"), Vec::<String>::new());
    assert_eq!(list("abc"), [pattern("/NextToken", NEXT_TOKEN_PATTERN)]);
    assert_eq!(list("ab+/"), [pattern("/NextToken", NEXT_TOKEN_PATTERN)]);
    assert_eq!(list(&"a".repeat(1000)), Vec::<String>::new());
    assert_eq!(
        list(&"a".repeat(1004)),
        [length(1004, "/NextToken", 1, 1000)]
    );
}

#[test]
fn every_violation_is_reported_in_declaration_order() {
    let mut r = CreateConnectorRequest::new("nope");
    r.client_token = Some(String::new());
    r.mobile_device_management = Some(MobileDeviceManagement::Intune(IntuneConfiguration::new(
        "x", "",
    )));
    let violations = r.validate().unwrap_err();
    let paths: Vec<&str> = violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/CertificateAuthorityArn",
            "/CertificateAuthorityArn",
            "/ClientToken",
            "/ClientToken",
            APP,
            APP,
            DOMAIN,
            DOMAIN
        ]
    );
    // Length before pattern for each member.
    assert!(
        violations
            .iter()
            .nth(2)
            .unwrap()
            .message
            .starts_with("Value with length 0 at '/ClientToken'")
    );
    assert!(
        violations
            .iter()
            .nth(3)
            .unwrap()
            .message
            .contains("regular expression pattern")
    );
    // No message echoes a value.
    assert!(violations.iter().all(|v| !v.message.contains("nope")));

    let e = ValidationException::from(violations);
    assert!(
        e.message.starts_with(
            "8 validation errors detected. Value with length 4 at '/CertificateAuthorityArn'"
        ),
        "{e}"
    );
    assert!(e.reason.is_none());
}

#[test]
fn unknown_union_member_is_a_violation_in_an_input() {
    let mut r = CreateConnectorRequest::new(ca_arn());
    r.mobile_device_management = Some(serde_json::from_value(json!({"Jamf": {}})).unwrap());
    assert_eq!(
        messages(&r),
        [
            "Value at '/MobileDeviceManagement' failed to satisfy constraint: Member must have exactly one known union member set"
        ]
    );
}

// Inputs as a server reads them: every member optional until validated.

fn build<T: serde::de::DeserializeOwned>(body: serde_json::Value) -> T {
    serde_json::from_value(body).expect("body deserializes")
}

#[test]
fn missing_required_members_are_violations_with_the_others() {
    let raw: unvalidated::CreateConnectorRequest = build(json!({
        "ClientToken": "",
        "MobileDeviceManagement": {"Intune": {"AzureApplicationId": "x"}}
    }));
    let violations = raw.validate().unwrap_err();
    let messages: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Value at '/CertificateAuthorityArn' failed to satisfy constraint: Member must not be null".to_owned(),
            length(0, "/ClientToken", 1, 64),
            pattern("/ClientToken", TOKEN_PATTERN),
            length(1, APP, 15, 100),
            pattern(APP, APP_ID_PATTERN),
            format!("Value at '{DOMAIN}' failed to satisfy constraint: Member must not be null"),
        ]
    );
    assert!(
        ValidationException::from(violations)
            .message
            .starts_with("6 validation errors detected. Value at '/CertificateAuthorityArn' failed to satisfy constraint: Member must not be null; Value with length 0")
    );
}

#[test]
fn a_valid_unvalidated_input_builds_the_typed_one() {
    let raw: unvalidated::CreateConnectorRequest = build(json!({
        "CertificateAuthorityArn": ca_arn(),
        "ClientToken": "token-1",
        "MobileDeviceManagement": {"Intune": {"AzureApplicationId": "ab-cd-ef-gh-ijk", "Domain": "example.com"}},
        "Tags": {"a b": "c&d=e+f"}
    }));
    let typed = raw.validate().unwrap();
    let mut expected = CreateConnectorRequest::new(ca_arn());
    expected.client_token = Some("token-1".into());
    expected.mobile_device_management = Some(MobileDeviceManagement::Intune(
        IntuneConfiguration::new("ab-cd-ef-gh-ijk", "example.com"),
    ));
    expected.tags = Some([("a b".to_owned(), "c&d=e+f".to_owned())].into());
    assert_eq!(typed, expected);
}

#[test]
fn label_members_are_not_read_from_the_body() {
    // ConnectorArn is bound to the URI; a body key of the same name is ignored.
    let raw: unvalidated::GetConnectorRequest = build(json!({"ConnectorArn": connector_arn()}));
    assert_eq!(
        raw.validate().unwrap_err().iter().next().unwrap().message,
        "Value at '/ConnectorArn' failed to satisfy constraint: Member must not be null"
    );
    let mut raw = unvalidated::GetConnectorRequest::default();
    raw.connector_arn = Some(connector_arn());
    assert_eq!(
        raw.validate().unwrap(),
        GetConnectorRequest::new(connector_arn())
    );
}

#[test]
fn input_unions_reject_unknown_and_ambiguous_members() {
    let err = serde_json::from_value::<unvalidated::CreateConnectorRequest>(json!({
        "MobileDeviceManagement": {"Jamf": {}}
    }))
    .err()
    .unwrap();
    assert!(
        err.to_string()
            .contains("unknown member `Jamf` of union MobileDeviceManagement"),
        "{err}"
    );
    let err = serde_json::from_value::<unvalidated::CreateConnectorRequest>(json!({
        "MobileDeviceManagement": {}
    }))
    .err()
    .unwrap();
    assert!(
        err.to_string()
            .contains("must have exactly one member set, but none was set"),
        "{err}"
    );
}
