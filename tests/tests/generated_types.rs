//! Behaviour of the generated types: open enums, forward-compatible unions,
//! timestamps, redaction of sensitive values, errors and required members.

use pca_connector_scep::error::{ResourceNotFoundException, ValidationException};
use pca_connector_scep::input::{CreateConnectorRequest, TagResourceRequest};
use pca_connector_scep::output::GetChallengePasswordResponse;
use pca_connector_scep::primitives::DateTime;
use pca_connector_scep::types::{
    Challenge, ConnectorStatus, ConnectorType, IntuneConfiguration, MobileDeviceManagement,
    ValidationExceptionReason,
};
use serde_json::json;

#[test]
fn enums_know_their_values_and_keep_unknown_ones() {
    assert_eq!(ConnectorType::VALUES, ["GENERAL_PURPOSE", "INTUNE"]);
    assert_eq!(ConnectorType::Intune.as_str(), "INTUNE");
    assert_eq!(
        "GENERAL_PURPOSE".parse::<ConnectorType>().unwrap(),
        ConnectorType::GeneralPurpose
    );
    let unknown = ConnectorStatus::from("HIBERNATING");
    assert!(matches!(&unknown, ConnectorStatus::Unknown(v) if v.as_str() == "HIBERNATING"));
    assert_eq!(unknown.to_string(), "HIBERNATING");
    // Unknown values survive a round trip.
    let v: ConnectorStatus = serde_json::from_value(json!("HIBERNATING")).unwrap();
    assert_eq!(serde_json::to_value(&v).unwrap(), json!("HIBERNATING"));
    assert_eq!(
        serde_json::to_value(ConnectorStatus::Creating).unwrap(),
        json!("CREATING")
    );
    assert!(serde_json::from_value::<ConnectorStatus>(json!(3)).is_err());
}

#[test]
fn unions_read_one_member_and_tolerate_newer_ones() {
    let intune = json!({"Intune": {"AzureApplicationId": "app", "Domain": "example.com"}});
    let m: MobileDeviceManagement = serde_json::from_value(intune.clone()).unwrap();
    assert_eq!(
        m,
        MobileDeviceManagement::Intune(IntuneConfiguration::new("app", "example.com"))
    );
    assert_eq!(serde_json::to_value(&m).unwrap(), intune);

    // `__type` is ignored; a null member counts as absent.
    let m: MobileDeviceManagement = serde_json::from_value(
        json!({"__type": "x", "Jamf": null, "Intune": {"AzureApplicationId": "a", "Domain": "d"}}),
    )
    .unwrap();
    assert!(matches!(m, MobileDeviceManagement::Intune(_)));

    // A member from a newer model: the Unknown variant, which can't be sent.
    let m: MobileDeviceManagement = serde_json::from_value(json!({"Jamf": {"Url": "x"}})).unwrap();
    assert_eq!(m, MobileDeviceManagement::Unknown);
    let err = serde_json::to_string(&m).unwrap_err().to_string();
    assert_eq!(
        err,
        "the unknown variant of union `MobileDeviceManagement` cannot be serialized"
    );
}

#[test]
fn unions_reject_no_member_or_two() {
    let err = serde_json::from_value::<MobileDeviceManagement>(json!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "union MobileDeviceManagement must have exactly one member set, but none was set"
    );
    let err = serde_json::from_str::<MobileDeviceManagement>(
        r#"{"Intune": {"AzureApplicationId": "a", "Domain": "d"}, "Intune": {"AzureApplicationId": "b", "Domain": "e"}}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("but 2 were set: Intune, Intune"),
        "{err}"
    );
    assert!(serde_json::from_value::<MobileDeviceManagement>(json!("Intune")).is_err());
}

#[test]
fn timestamps_are_epoch_seconds_with_fractions() {
    let c: Challenge =
        serde_json::from_value(json!({"CreatedAt": 1.7000000001234e9, "UpdatedAt": 17e8})).unwrap();
    assert_eq!(
        c.created_at,
        Some(DateTime::from_secs_and_nanos(1_700_000_000, 123_400_000))
    );
    assert_eq!(c.updated_at, Some(DateTime::from_secs(1_700_000_000)));
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(
        back,
        json!({"CreatedAt": 1_700_000_000.123_4, "UpdatedAt": 1_700_000_000})
    );
    assert!(
        serde_json::from_value::<Challenge>(json!({"CreatedAt": "2023-11-14T22:13:20Z"})).is_err()
    );
}

#[test]
fn sensitive_values_are_redacted_in_debug() {
    let mut c = Challenge::new();
    c.password = Some("hunter2-secret".into());
    c.arn = Some("arn:challenge".into());
    let debug = format!("{c:?}");
    assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
    assert!(debug.contains("arn:challenge"), "{debug}");
    assert!(!debug.contains("hunter2"), "{debug}");

    let mut r = GetChallengePasswordResponse::new();
    r.password = Some("hunter2-secret".into());
    assert_eq!(
        format!("{r:?}"),
        "GetChallengePasswordResponse { password: *** Sensitive Data Redacted *** }"
    );
    // Serialization is not affected: the value still travels.
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"Password": "hunter2-secret"})
    );
}

#[test]
fn errors_implement_error_and_display() {
    let e = ResourceNotFoundException::new("no such connector", "arn:x", "Connector");
    assert_eq!(
        e.to_string(),
        "ResourceNotFoundException: no such connector"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
    assert_eq!(boxed.to_string(), e.to_string());
    let wire = serde_json::to_value(&e).unwrap();
    assert_eq!(
        wire,
        json!({"Message": "no such connector", "ResourceId": "arn:x", "ResourceType": "Connector"})
    );

    let mut v = ValidationException::new("bad token");
    v.reason = Some(ValidationExceptionReason::Other);
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        json!({"Message": "bad token", "Reason": "OTHER"})
    );
}

#[test]
fn required_members_are_enforced_when_reading() {
    let err =
        serde_json::from_value::<TagResourceRequest>(json!({"ResourceArn": "arn"})).unwrap_err();
    assert_eq!(err.to_string(), "missing field `Tags`");
    let err = serde_json::from_value::<IntuneConfiguration>(
        json!({"AzureApplicationId": null, "Domain": "d"}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("invalid type: null"), "{err}");
}

#[test]
fn optional_members_accept_null_and_are_omitted_when_absent() {
    let r: CreateConnectorRequest = serde_json::from_value(
        json!({"CertificateAuthorityArn": "arn:ca", "ClientToken": null, "Unrelated": 1}),
    )
    .unwrap();
    assert_eq!(r, CreateConnectorRequest::new("arn:ca"));
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"CertificateAuthorityArn": "arn:ca"})
    );
}

#[test]
fn structures_are_objects_in_model_order_without_repeats() {
    // Members are written in model order (serde_json::to_string keeps it).
    let mut r = CreateConnectorRequest::new("arn:ca");
    r.client_token = Some("t".into());
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"CertificateAuthorityArn":"arn:ca","ClientToken":"t"}"#
    );
    let err = serde_json::from_str::<CreateConnectorRequest>(
        r#"{"CertificateAuthorityArn":"a","CertificateAuthorityArn":"b"}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("duplicate field `CertificateAuthorityArn`"),
        "{err}"
    );
    // An array is not a structure in a JSON body.
    let err = serde_json::from_str::<CreateConnectorRequest>(r#"["arn:ca"]"#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid type: sequence, expected struct CreateConnectorRequest"),
        "{err}"
    );
}
