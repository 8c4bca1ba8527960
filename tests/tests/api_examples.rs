//! The response syntax of every operation in the API reference, with its
//! placeholders filled in with realistic values, must deserialize into the
//! generated output type and serialize back to the same JSON.

use pca_connector_scep::output::*;
use pca_connector_scep::types::{
    ConnectorStatus, ConnectorStatusReason, ConnectorType, MobileDeviceManagement,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const CONNECTOR_ARN: &str = "arn:aws:pca-connector-scep:us-east-1:123456789012:connector/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e";
const CHALLENGE_ARN: &str = "arn:aws:pca-connector-scep:us-east-1:123456789012:connector/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e/challenge/9f8e7d6c-5b4a-4321-8fed-cba987654321";
const CA_ARN: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

/// Deserializes `json` into `T`, serializes it back and checks nothing was
/// lost or added.
fn round_trip<T: DeserializeOwned + serde::Serialize>(json: Value) -> T {
    let value: T = serde_json::from_value(json.clone()).expect("deserializes");
    let back = serde_json::to_value(&value).expect("serializes");
    assert_eq!(back, json);
    value
}

fn connector_json(intune: bool) -> Value {
    let mut c = json!({
        "Arn": CONNECTOR_ARN,
        "CertificateAuthorityArn": CA_ARN,
        "CreatedAt": 1_700_000_000.123,
        "Endpoint": "https://ca.pca-connector-scep.us-east-1.amazonaws.com/0b7f6e6a/scep",
        "Status": "ACTIVE",
        "Type": "GENERAL_PURPOSE",
        "UpdatedAt": 1_700_000_100
    });
    if intune {
        c["Type"] = json!("INTUNE");
        c["MobileDeviceManagement"] = json!({"Intune": {"AzureApplicationId": "6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b", "Domain": "login.microsoftonline.com"}});
        c["OpenIdConfiguration"] = json!({"Audience": "api://AzureADTokenExchange", "Issuer": "https://oidc.pca-connector-scep.us-east-1.amazonaws.com", "Subject": "123456789012/0b7f6e6a"});
    }
    c
}

#[test]
fn create_challenge() {
    let out: CreateChallengeResponse = round_trip(json!({
        "Challenge": {
            "Arn": CHALLENGE_ARN,
            "ConnectorArn": CONNECTOR_ARN,
            "CreatedAt": 1_700_000_000.5,
            "Password": "e2b4c6d8-1234-4abc-9def-0123456789ab",
            "UpdatedAt": 1_700_000_000.5
        }
    }));
    let c = out.challenge.unwrap();
    assert_eq!(c.arn.as_deref(), Some(CHALLENGE_ARN));
    assert_eq!(c.created_at.unwrap().subsec_nanos(), 500_000_000);
}

#[test]
fn create_connector() {
    let out: CreateConnectorResponse = round_trip(json!({ "ConnectorArn": CONNECTOR_ARN }));
    assert_eq!(out.connector_arn.as_deref(), Some(CONNECTOR_ARN));
}

#[test]
fn get_challenge_metadata() {
    let out: GetChallengeMetadataResponse = round_trip(json!({
        "ChallengeMetadata": {
            "Arn": CHALLENGE_ARN,
            "ConnectorArn": CONNECTOR_ARN,
            "CreatedAt": 1_700_000_000,
            "UpdatedAt": 1_700_000_000.25
        }
    }));
    let m = out.challenge_metadata.unwrap();
    assert_eq!(m.created_at.unwrap().secs(), 1_700_000_000);
    assert_eq!(
        m.updated_at.unwrap().to_string(),
        "2023-11-14T22:13:20.250Z"
    );
}

#[test]
fn get_challenge_password() {
    let out: GetChallengePasswordResponse =
        round_trip(json!({ "Password": "e2b4c6d8-1234-4abc-9def-0123456789ab" }));
    assert_eq!(
        out.password.as_deref(),
        Some("e2b4c6d8-1234-4abc-9def-0123456789ab")
    );
}

#[test]
fn get_connector_general_purpose() {
    let out: GetConnectorResponse = round_trip(json!({ "Connector": connector_json(false) }));
    let c = out.connector.unwrap();
    assert_eq!(c.r#type, Some(ConnectorType::GeneralPurpose));
    assert_eq!(c.status, Some(ConnectorStatus::Active));
    assert!(c.mobile_device_management.is_none());
}

#[test]
fn get_connector_intune() {
    let out: GetConnectorResponse = round_trip(json!({ "Connector": connector_json(true) }));
    let c = out.connector.unwrap();
    assert_eq!(c.r#type, Some(ConnectorType::Intune));
    match c.mobile_device_management.unwrap() {
        MobileDeviceManagement::Intune(i) => assert_eq!(i.domain, "login.microsoftonline.com"),
        other => panic!("expected Intune, got {other:?}"),
    }
    assert_eq!(
        c.open_id_configuration.unwrap().audience.as_deref(),
        Some("api://AzureADTokenExchange")
    );
}

#[test]
fn failed_connector_with_status_reason() {
    let mut c = connector_json(false);
    c["Status"] = json!("FAILED");
    c["StatusReason"] = json!("PRIVATECA_RESOURCE_NOT_FOUND");
    let out: GetConnectorResponse = round_trip(json!({ "Connector": c }));
    let c = out.connector.unwrap();
    assert_eq!(
        c.status_reason,
        Some(ConnectorStatusReason::PrivatecaResourceNotFound)
    );
}

#[test]
fn list_challenge_metadata() {
    let out: ListChallengeMetadataResponse = round_trip(json!({
        "Challenges": [
            { "Arn": CHALLENGE_ARN, "ConnectorArn": CONNECTOR_ARN, "CreatedAt": 1_700_000_000, "UpdatedAt": 1_700_000_001 }
        ],
        "NextToken": "eyJvZmZzZXQiOjF9"
    }));
    assert_eq!(out.challenges.unwrap().len(), 1);
    assert_eq!(out.next_token.as_deref(), Some("eyJvZmZzZXQiOjF9"));
}

#[test]
fn list_connectors() {
    let out: ListConnectorsResponse = round_trip(json!({
        "Connectors": [connector_json(false), connector_json(true)],
        "NextToken": "eyJvZmZzZXQiOjJ9"
    }));
    let connectors = out.connectors.unwrap();
    assert_eq!(connectors.len(), 2);
    assert!(connectors[1].mobile_device_management.is_some());
}

#[test]
fn list_tags_for_resource() {
    let out: ListTagsForResourceResponse = round_trip(json!({
        "Tags": { "team": "pki", "cost center": "a&b=c+d", "ünïcödé": "" }
    }));
    let tags = out.tags.unwrap();
    assert_eq!(tags["cost center"], "a&b=c+d");
    assert_eq!(tags.len(), 3);
}

#[test]
fn empty_responses_deserialize_from_an_empty_object() {
    // Responses whose members are all optional accept `{}` and write `{}`.
    let _: ListConnectorsResponse = round_trip(json!({}));
    let _: GetConnectorResponse = round_trip(json!({}));
}
