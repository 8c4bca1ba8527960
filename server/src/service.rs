//! The behaviour of Connector for SCEP, as the API reference describes it,
//! behind the generated service trait. Inputs arrive validated against the
//! model; what is checked here is what the model can't say (states,
//! ownership, idempotency, tagging rules, quotas).

use crate::store::{ChallengeRow, ConnectorRow, Store};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use pca_connector_scep::error::*;
use pca_connector_scep::input::*;
use pca_connector_scep::operation::*;
use pca_connector_scep::output::*;
use pca_connector_scep::primitives::DateTime;
use pca_connector_scep::server::PcaConnectorScep;
use pca_connector_scep::types::*;
use sha2::Sha256;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Settings of the emulated service.
#[derive(Clone, Debug)]
pub struct Config {
    /// Region in ARNs.
    pub region: String,
    /// Account in ARNs.
    pub account_id: String,
    /// This server's base URL (`http://host:port`), for connector endpoints.
    pub base_url: String,
    /// How long a connector stays `CREATING`.
    pub create_delay: Duration,
    /// Certificate authorities whose connectors fail to create.
    pub failing_ca_arns: BTreeSet<String>,
    /// Connectors per account.
    pub max_connectors: i64,
    /// Challenges per connector.
    pub max_challenges_per_connector: i64,
}

/// `MaxResults` when a list request doesn't set it.
pub const DEFAULT_MAX_RESULTS: i32 = 100;
/// How long a client token is remembered.
pub const IDEMPOTENCY_WINDOW: Duration = Duration::from_secs(5 * 60);
/// How long a pagination token stays valid.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// Bytes of HMAC-SHA256 kept in pagination tokens.
const MAC_LEN: usize = 16;
/// The service code in quota errors.
pub const SERVICE_CODE: &str = "pca-connector-scep";
/// Quota code for connectors per account.
pub const CONNECTOR_QUOTA: &str = "L-SCEP-CONNECTORS";
/// Quota code for challenges per connector.
pub const CHALLENGE_QUOTA: &str = "L-SCEP-CHALLENGES";

/// The service.
pub struct Scep {
    store: std::sync::Arc<Store>,
    config: Config,
    secret: Vec<u8>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn time(ms: i64) -> DateTime {
    DateTime::from_secs_and_nanos(
        ms.div_euclid(1000),
        (ms.rem_euclid(1000) as u32) * 1_000_000,
    )
}

fn internal(e: rusqlite::Error) -> InternalServerException {
    // The cause stays in the server; the client gets a generic message.
    let _ = e;
    InternalServerException::new("The server encountered an internal error.")
}

fn not_found(id: &str, resource_type: &str) -> ResourceNotFoundException {
    ResourceNotFoundException::new(
        format!("{resource_type} {id} does not exist."),
        id,
        resource_type,
    )
}

fn validation(message: impl Into<String>) -> ValidationException {
    ValidationException::new(message)
}

/// AWS tagging rules: at most 50 tags, keys of 1 to 128 characters and values
/// of at most 256, and no `aws:` prefix.
fn check_tag(key: &str, value: Option<&str>) -> Result<(), ValidationException> {
    let n = key.chars().count();
    if !(1..=128).contains(&n) {
        return Err(validation(format!(
            "Tag keys must have 1 to 128 characters; one has {n}."
        )));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(validation(
            "Tag keys may not start with the reserved prefix 'aws:'.",
        ));
    }
    if let Some(v) = value {
        let n = v.chars().count();
        if n > 256 {
            return Err(validation(format!(
                "Tag values must have at most 256 characters; one has {n}."
            )));
        }
    }
    Ok(())
}

const MAX_TAGS: usize = 50;

fn check_tags(tags: &BTreeMap<String, String>) -> Result<(), ValidationException> {
    tags.iter().try_for_each(|(k, v)| check_tag(k, Some(v)))?;
    if tags.len() > MAX_TAGS {
        return Err(validation(format!(
            "A resource can have at most {MAX_TAGS} tags."
        )));
    }
    Ok(())
}

impl Scep {
    /// The service over `store`.
    pub fn new(store: std::sync::Arc<Store>, config: Config) -> Result<Self, rusqlite::Error> {
        let secret = store.secret()?;
        Ok(Self {
            store,
            config,
            secret,
        })
    }

    fn connector_id(arn: &str) -> &str {
        arn.rsplit('/').next().unwrap_or(arn)
    }

    /// `(status, reason, updated)` of a connector at `now`.
    pub(crate) fn state(
        row: &ConnectorRow,
        now: i64,
    ) -> (ConnectorStatus, Option<ConnectorStatusReason>, i64) {
        if now < row.ready_ms {
            (ConnectorStatus::Creating, None, row.created_ms)
        } else if row.fails {
            (
                ConnectorStatus::Failed,
                Some(ConnectorStatusReason::PrivatecaResourceNotFound),
                row.ready_ms,
            )
        } else {
            (ConnectorStatus::Active, None, row.ready_ms)
        }
    }

    fn connector(&self, row: &ConnectorRow, now: i64) -> Connector {
        let (status, reason, updated) = Self::state(row, now);
        let id = Self::connector_id(&row.arn);
        let mut c = Connector::new();
        c.arn = Some(row.arn.clone());
        c.certificate_authority_arn = Some(row.ca_arn.clone());
        c.created_at = Some(time(row.created_ms));
        c.updated_at = Some(time(updated));
        c.endpoint = Some(format!("{}/scep/{id}", self.config.base_url));
        c.status = Some(status);
        c.status_reason = reason;
        match &row.intune {
            Some((app, domain)) => {
                c.r#type = Some(ConnectorType::Intune);
                c.mobile_device_management = Some(MobileDeviceManagement::Intune(
                    IntuneConfiguration::new(app.clone(), domain.clone()),
                ));
                let mut oidc = OpenIdConfiguration::new();
                oidc.issuer = Some(format!("{}/oidc/{id}", self.config.base_url));
                oidc.audience = Some("api://AzureADTokenExchange".into());
                oidc.subject = Some(format!("{}:{id}", self.config.account_id));
                c.open_id_configuration = Some(oidc);
            }
            None => c.r#type = Some(ConnectorType::GeneralPurpose),
        }
        c
    }

    fn summary(&self, row: &ConnectorRow, now: i64) -> ConnectorSummary {
        let c = self.connector(row, now);
        let mut s = ConnectorSummary::new();
        s.arn = c.arn;
        s.certificate_authority_arn = c.certificate_authority_arn;
        s.created_at = c.created_at;
        s.updated_at = c.updated_at;
        s.endpoint = c.endpoint;
        s.status = c.status;
        s.status_reason = c.status_reason;
        s.r#type = c.r#type;
        s.mobile_device_management = c.mobile_device_management;
        s.open_id_configuration = c.open_id_configuration;
        s
    }

    /// An opaque, tamper-evident token: the listing it belongs to, where it
    /// stopped, when it expires, and an HMAC over all three; base64url with
    /// padding, as the model's `NextToken` pattern requires.
    fn next_token(&self, scope: &str, last_seq: i64, now: i64) -> String {
        let expires = now / 1000 + TOKEN_LIFETIME.as_secs() as i64;
        let payload = format!("{last_seq}.{expires}");
        let mut bytes = payload.clone().into_bytes();
        bytes.push(b'.');
        bytes.extend_from_slice(&self.mac(scope, &payload));
        base64::engine::general_purpose::URL_SAFE.encode(bytes)
    }

    fn mac(&self, scope: &str, payload: &str) -> Vec<u8> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes keys of any size");
        mac.update(scope.as_bytes());
        mac.update(b"\n");
        mac.update(payload.as_bytes());
        mac.finalize().into_bytes()[..MAC_LEN].to_vec()
    }

    /// Where a listing continues: 0 without a token.
    fn resume(
        &self,
        scope: &str,
        token: Option<&str>,
        now: i64,
    ) -> Result<i64, ValidationException> {
        let Some(token) = token else { return Ok(0) };
        let invalid = || validation("The pagination token is invalid or has expired.");
        let bytes = base64::engine::general_purpose::URL_SAFE
            .decode(token)
            .map_err(|_| invalid())?;
        // `payload.` then a 16-byte MAC, which may itself contain a `.`.
        let split = bytes.len().checked_sub(MAC_LEN + 1).ok_or_else(invalid)?;
        if bytes[split] != b'.' {
            return Err(invalid());
        }
        let (payload, mac) = (&bytes[..split], &bytes[split + 1..]);
        let payload = std::str::from_utf8(payload).map_err(|_| invalid())?;
        let expected = self.mac(scope, payload);
        let same = mac.len() == expected.len()
            && mac
                .iter()
                .zip(&expected)
                .fold(0, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Err(invalid());
        }
        let (seq, expires) = payload.split_once('.').ok_or_else(invalid)?;
        let (seq, expires): (i64, i64) = (
            seq.parse().map_err(|_| invalid())?,
            expires.parse().map_err(|_| invalid())?,
        );
        if expires < now / 1000 {
            return Err(invalid());
        }
        Ok(seq)
    }

    fn page_size(max: Option<i32>) -> usize {
        max.unwrap_or(DEFAULT_MAX_RESULTS).clamp(1, 1000) as usize
    }

    /// Looks up a client token: the remembered response if the same request
    /// was made with it within the window, a conflict if another was.
    fn replay<T: serde::de::DeserializeOwned>(
        tx: &crate::store::Tx<'_>,
        operation: &str,
        token: Option<&str>,
        fingerprint: &str,
        now: i64,
    ) -> Result<Option<T>, Replay> {
        let Some(token) = token else { return Ok(None) };
        let since = now - IDEMPOTENCY_WINDOW.as_millis() as i64;
        match tx
            .idempotent(operation, token, since)
            .map_err(Replay::Store)?
        {
            None => Ok(None),
            Some((fp, response)) if fp == fingerprint => serde_json::from_str(&response)
                .map(Some)
                .map_err(|_| Replay::Corrupt),
            Some(_) => Err(Replay::Conflict(token.to_owned())),
        }
    }
}

enum Replay {
    Store(rusqlite::Error),
    Corrupt,
    Conflict(String),
}

impl Replay {
    fn conflict(token: &str) -> ConflictException {
        ConflictException::new(
            "The client token was already used with different parameters within the last 5 minutes.",
            token,
            "ClientToken",
        )
    }
}

/// Turns a store error inside a transaction into the operation's error.
macro_rules! tx_error {
    ($e:expr) => {
        match $e {
            TxError::Store(e) => internal(e).into(),
            TxError::Op(e) => e,
        }
    };
}

enum TxError<E> {
    Store(rusqlite::Error),
    Op(E),
}

impl<E> From<rusqlite::Error> for TxError<E> {
    fn from(e: rusqlite::Error) -> Self {
        TxError::Store(e)
    }
}

fn op<E, T: Into<E>>(e: T) -> TxError<E> {
    TxError::Op(e.into())
}

impl PcaConnectorScep for Scep {
    async fn create_connector(
        &self,
        input: CreateConnectorRequest,
    ) -> Result<CreateConnectorResponse, CreateConnectorError> {
        let now = now_ms();
        if let Some(tags) = &input.tags {
            check_tags(tags)?;
        }
        let fingerprint = serde_json::json!([
            input.certificate_authority_arn,
            input.mobile_device_management,
            input.tags
        ])
        .to_string();
        let token = input.client_token.as_deref();
        self.store
            .transaction(|tx| {
                match Self::replay::<CreateConnectorResponse>(
                    tx,
                    "CreateConnector",
                    token,
                    &fingerprint,
                    now,
                ) {
                    Ok(Some(previous)) => return Ok(previous),
                    Ok(None) => {}
                    Err(Replay::Store(e)) => return Err(TxError::Store(e)),
                    Err(Replay::Corrupt) => {
                        return Err(op(InternalServerException::new(
                            "corrupt idempotency record",
                        )));
                    }
                    Err(Replay::Conflict(t)) => return Err(op(Replay::conflict(&t))),
                }
                if tx.connector_count()? >= self.config.max_connectors {
                    return Err(op(ServiceQuotaExceededException::new(
                        format!(
                            "The account already has {} connectors.",
                            self.config.max_connectors
                        ),
                        CONNECTOR_QUOTA,
                        "Connector",
                        SERVICE_CODE,
                    )));
                }
                let id = uuid::Uuid::new_v4();
                let arn = format!(
                    "arn:aws:pca-connector-scep:{}:{}:connector/{id}",
                    self.config.region, self.config.account_id
                );
                let intune = match &input.mobile_device_management {
                    Some(MobileDeviceManagement::Intune(i)) => {
                        Some((i.azure_application_id.clone(), i.domain.clone()))
                    }
                    _ => None,
                };
                tx.insert_connector(&ConnectorRow {
                    seq: 0,
                    arn: arn.clone(),
                    ca_arn: input.certificate_authority_arn.clone(),
                    intune,
                    created_ms: now,
                    ready_ms: now + self.config.create_delay.as_millis() as i64,
                    fails: self
                        .config
                        .failing_ca_arns
                        .contains(&input.certificate_authority_arn),
                })?;
                if let Some(tags) = &input.tags {
                    tx.put_tags(&arn, tags)?;
                }
                let mut out = CreateConnectorResponse::new();
                out.connector_arn = Some(arn);
                if let Some(token) = token {
                    let response = serde_json::to_string(&out).expect("outputs serialize");
                    tx.remember("CreateConnector", token, &fingerprint, &response, now)?;
                }
                Ok(out)
            })
            .map_err(|e| tx_error!(e))
    }

    async fn create_challenge(
        &self,
        input: CreateChallengeRequest,
    ) -> Result<CreateChallengeResponse, CreateChallengeError> {
        let now = now_ms();
        if let Some(tags) = &input.tags {
            check_tags(tags)?;
        }
        let fingerprint = serde_json::json!([input.connector_arn, input.tags]).to_string();
        let token = input.client_token.as_deref();
        self.store.transaction(|tx| {
            match Self::replay::<CreateChallengeResponse>(tx, "CreateChallenge", token, &fingerprint, now) {
                Ok(Some(previous)) => return Ok(previous),
                Ok(None) => {}
                Err(Replay::Store(e)) => return Err(TxError::Store(e)),
                Err(Replay::Corrupt) => return Err(op(InternalServerException::new("corrupt idempotency record"))),
                Err(Replay::Conflict(t)) => return Err(op(Replay::conflict(&t))),
            }
            let connector = tx
                .connector(&input.connector_arn)?
                .ok_or_else(|| op(not_found(&input.connector_arn, "Connector")))?;
            if connector.intune.is_some() {
                return Err(op(BadRequestException::new(
                    "Challenge passwords of an Intune connector are managed by Microsoft Intune.",
                )));
            }
            let (status, _, _) = Self::state(&connector, now);
            if status != ConnectorStatus::Active {
                return Err(op(BadRequestException::new(format!(
                    "The connector is {status}; challenges can be created only for ACTIVE connectors."
                ))));
            }
            if tx.challenge_count(&connector.arn)? >= self.config.max_challenges_per_connector {
                return Err(op(ServiceQuotaExceededException::new(
                    format!(
                        "The connector already has {} challenges.",
                        self.config.max_challenges_per_connector
                    ),
                    CHALLENGE_QUOTA,
                    "Challenge",
                    SERVICE_CODE,
                )));
            }
            let row = ChallengeRow {
                seq: 0,
                arn: format!("{}/challenge/{}", connector.arn, uuid::Uuid::new_v4()),
                connector_arn: connector.arn.clone(),
                password: uuid::Uuid::new_v4().to_string(),
                created_ms: now,
            };
            tx.insert_challenge(&row)?;
            if let Some(tags) = &input.tags {
                tx.put_tags(&row.arn, tags)?;
            }
            let mut challenge = Challenge::new();
            challenge.arn = Some(row.arn);
            challenge.connector_arn = Some(row.connector_arn);
            challenge.created_at = Some(time(now));
            challenge.updated_at = Some(time(now));
            challenge.password = Some(row.password);
            let mut out = CreateChallengeResponse::new();
            out.challenge = Some(challenge);
            if let Some(token) = token {
                let response = serde_json::to_string(&out).expect("outputs serialize");
                tx.remember("CreateChallenge", token, &fingerprint, &response, now)?;
            }
            Ok(out)
        })
        .map_err(|e| tx_error!(e))
    }

    async fn delete_challenge(
        &self,
        input: DeleteChallengeRequest,
    ) -> Result<(), DeleteChallengeError> {
        self.store
            .transaction(|tx| {
                if tx.delete_challenge(&input.challenge_arn)? {
                    Ok(())
                } else {
                    Err(op(not_found(&input.challenge_arn, "Challenge")))
                }
            })
            .map_err(|e| tx_error!(e))
    }

    async fn delete_connector(
        &self,
        input: DeleteConnectorRequest,
    ) -> Result<(), DeleteConnectorError> {
        self.store
            .transaction(|tx| {
                if tx.delete_connector(&input.connector_arn)? {
                    Ok(())
                } else {
                    Err(op(not_found(&input.connector_arn, "Connector")))
                }
            })
            .map_err(|e| tx_error!(e))
    }

    async fn get_challenge_metadata(
        &self,
        input: GetChallengeMetadataRequest,
    ) -> Result<GetChallengeMetadataResponse, GetChallengeMetadataError> {
        let row = self
            .store
            .transaction(|tx| tx.challenge(&input.challenge_arn))
            .map_err(internal)?
            .ok_or_else(|| not_found(&input.challenge_arn, "Challenge"))?;
        let mut m = ChallengeMetadata::new();
        m.arn = Some(row.arn);
        m.connector_arn = Some(row.connector_arn);
        m.created_at = Some(time(row.created_ms));
        m.updated_at = Some(time(row.created_ms));
        let mut out = GetChallengeMetadataResponse::new();
        out.challenge_metadata = Some(m);
        Ok(out)
    }

    async fn get_challenge_password(
        &self,
        input: GetChallengePasswordRequest,
    ) -> Result<GetChallengePasswordResponse, GetChallengePasswordError> {
        let row = self
            .store
            .transaction(|tx| tx.challenge(&input.challenge_arn))
            .map_err(internal)?
            .ok_or_else(|| not_found(&input.challenge_arn, "Challenge"))?;
        let mut out = GetChallengePasswordResponse::new();
        out.password = Some(row.password);
        Ok(out)
    }

    async fn get_connector(
        &self,
        input: GetConnectorRequest,
    ) -> Result<GetConnectorResponse, GetConnectorError> {
        let row = self
            .store
            .transaction(|tx| tx.connector(&input.connector_arn))
            .map_err(internal)?
            .ok_or_else(|| not_found(&input.connector_arn, "Connector"))?;
        let mut out = GetConnectorResponse::new();
        out.connector = Some(self.connector(&row, now_ms()));
        Ok(out)
    }

    async fn list_challenge_metadata(
        &self,
        input: ListChallengeMetadataRequest,
    ) -> Result<ListChallengeMetadataResponse, ListChallengeMetadataError> {
        let now = now_ms();
        let scope = format!("ListChallengeMetadata\n{}", input.connector_arn);
        let after = self.resume(&scope, input.next_token.as_deref(), now)?;
        let size = Self::page_size(input.max_results);
        let (exists, mut rows) = self
            .store
            .transaction(|tx| {
                Ok((
                    tx.connector(&input.connector_arn)?.is_some(),
                    tx.challenges(&input.connector_arn, after, size + 1)?,
                ))
            })
            .map_err(internal)?;
        if !exists {
            return Err(not_found(&input.connector_arn, "Connector").into());
        }
        let more = rows.len() > size;
        rows.truncate(size);
        let mut out = ListChallengeMetadataResponse::new();
        out.next_token =
            more.then(|| self.next_token(&scope, rows.last().map_or(after, |r| r.seq), now));
        out.challenges = Some(
            rows.into_iter()
                .map(|r| {
                    let mut s = ChallengeMetadataSummary::new();
                    s.arn = Some(r.arn);
                    s.connector_arn = Some(r.connector_arn);
                    s.created_at = Some(time(r.created_ms));
                    s.updated_at = Some(time(r.created_ms));
                    s
                })
                .collect(),
        );
        Ok(out)
    }

    async fn list_connectors(
        &self,
        input: ListConnectorsRequest,
    ) -> Result<ListConnectorsResponse, ListConnectorsError> {
        let now = now_ms();
        let after = self.resume("ListConnectors", input.next_token.as_deref(), now)?;
        let size = Self::page_size(input.max_results);
        let mut rows = self
            .store
            .transaction(|tx| tx.connectors(after, size + 1))
            .map_err(internal)?;
        let more = rows.len() > size;
        rows.truncate(size);
        let mut out = ListConnectorsResponse::new();
        out.next_token = more
            .then(|| self.next_token("ListConnectors", rows.last().map_or(after, |r| r.seq), now));
        out.connectors = Some(rows.iter().map(|r| self.summary(r, now)).collect());
        Ok(out)
    }

    async fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceRequest,
    ) -> Result<ListTagsForResourceResponse, ListTagsForResourceError> {
        let tags = self
            .store
            .transaction(|tx| {
                ensure_resource::<ListTagsForResourceError>(tx, &input.resource_arn)?;
                Ok(tx.tags(&input.resource_arn)?)
            })
            .map_err(|e| tx_error!(e))?;
        let mut out = ListTagsForResourceResponse::new();
        out.tags = Some(tags);
        Ok(out)
    }

    async fn tag_resource(&self, input: TagResourceRequest) -> Result<(), TagResourceError> {
        check_tags(&input.tags)?;
        self.store.transaction(|tx| {
            ensure_resource::<TagResourceError>(tx, &input.resource_arn)?;
            let mut merged = tx.tags(&input.resource_arn)?;
            merged.extend(input.tags.clone());
            if merged.len() > MAX_TAGS {
                return Err(op(validation(format!(
                    "A resource can have at most {MAX_TAGS} tags; this request would leave it with {}.",
                    merged.len()
                ))));
            }
            tx.put_tags(&input.resource_arn, &input.tags)?;
            Ok(())
        })
        .map_err(|e| tx_error!(e))
    }

    async fn untag_resource(&self, input: UntagResourceRequest) -> Result<(), UntagResourceError> {
        for key in &input.tag_keys {
            check_tag(key, None)?;
        }
        self.store
            .transaction(|tx| {
                ensure_resource::<UntagResourceError>(tx, &input.resource_arn)?;
                tx.remove_tags(&input.resource_arn, &input.tag_keys)?;
                Ok(())
            })
            .map_err(|e| tx_error!(e))
    }
}

/// The resource an ARN names must exist.
fn ensure_resource<E: From<ResourceNotFoundException>>(
    tx: &crate::store::Tx<'_>,
    arn: &str,
) -> Result<(), TxError<E>> {
    let (exists, resource_type) = if arn.contains("/challenge/") {
        (tx.challenge(arn)?.is_some(), "Challenge")
    } else {
        (tx.connector(arn)?.is_some(), "Connector")
    };
    if exists {
        Ok(())
    } else {
        Err(op(not_found(arn, resource_type)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scep() -> Scep {
        let dir = std::env::temp_dir().join(format!("scep-unit-{}", uuid::Uuid::new_v4()));
        let store = Store::open(&dir).unwrap();
        let config = Config {
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            base_url: "http://localhost".into(),
            create_delay: Duration::ZERO,
            failing_ca_arns: BTreeSet::new(),
            max_connectors: 10,
            max_challenges_per_connector: 10,
        };
        Scep::new(store.into(), config).unwrap()
    }

    #[test]
    fn tokens_round_trip_whatever_bytes_their_mac_has() {
        let s = scep();
        let now = 1_800_000_000_000;
        // Many positions, so that some MACs contain a `.` byte.
        for seq in 0..2000 {
            let token = s.next_token("ListConnectors", seq, now);
            assert_eq!(
                s.resume("ListConnectors", Some(&token), now).unwrap(),
                seq,
                "{token}"
            );
            assert!(
                s.resume("ListChallengeMetadata\nx", Some(&token), now)
                    .is_err()
            );
        }
        let token = s.next_token("ListConnectors", 7, now);
        let later = now + TOKEN_LIFETIME.as_millis() as i64 + 1000;
        assert!(
            s.resume("ListConnectors", Some(&token), later).is_err(),
            "expired"
        );
        assert!(s.resume("ListConnectors", Some("AAAA"), now).is_err());
        assert!(
            s.resume("ListConnectors", Some("not base64!"), now)
                .is_err()
        );
    }

    #[test]
    fn tag_rules() {
        assert!(check_tag("k", Some("")).is_ok());
        assert!(check_tag(&"k".repeat(128), Some(&"v".repeat(256))).is_ok());
        assert!(check_tag("", None).is_err());
        assert!(check_tag(&"k".repeat(129), None).is_err());
        assert!(check_tag("k", Some(&"v".repeat(257))).is_err());
        assert!(check_tag("AWS:x", None).is_err());
        // Characters, not bytes.
        assert!(check_tag(&"é".repeat(128), None).is_ok());
    }
}
