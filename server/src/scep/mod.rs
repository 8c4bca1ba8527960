//! SCEP (RFC 8894) at every connector's `Endpoint`, `{base}/scep/{id}`:
//! the data plane of Connector for SCEP. Certificates are issued by a local
//! test CA per `CertificateAuthorityArn` (`ca`) standing in for AWS Private
//! CA.
//!
//! - `GET ?operation=GetCACaps`: what is implemented (`POSTPKIOperation`,
//!   `Renewal`, `SHA-1`, `SHA-256`, `SHA-512`, `AES`, `DES3`,
//!   `SCEPStandard`).
//! - `GET ?operation=GetCACert`: the CA certificate (DER,
//!   `application/x-x509-ca-cert`); the CA is also the RA.
//! - `POST ?operation=PKIOperation` (or `GET` with a base64 `message`):
//!   `PKCSReq`, `RenewalReq` and `CertPoll` (`enroll`), answered with a
//!   `CertRep`.
//!
//! What can't be decoded at all (bad base64, not a CMS SignedData, SCEP
//! attributes missing) gets HTTP 400 with a plain-text reason; a message that
//! decodes but fails a check gets a signed `CertRep` FAILURE with `failInfo`
//! and a `failInfoText` saying why. Nothing is written unless a certificate
//! is issued.

pub mod ca;
pub mod crypto;
mod enroll;
pub mod envelope;
pub mod message;
pub mod oid;
pub mod requester;
mod tlv;

use crate::store::{Cached, ConnectorRow, Store};
use base64::Engine as _;
use bytes::Bytes;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// The largest PKI message accepted (a PKCSReq with a 4096-bit key is
/// about 6 KiB).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// What `GetCACaps` answers.
pub const CA_CAPS: &str =
    "POSTPKIOperation\nRenewal\nSHA-1\nSHA-256\nSHA-512\nAES\nDES3\nSCEPStandard\n";

/// Settings of the SCEP endpoint.
#[derive(Clone, Debug)]
pub struct Config {
    /// Region in connector ARNs.
    pub region: String,
    /// Account in connector ARNs.
    pub account_id: String,
    /// A file of challenge passwords that Intune connectors accept (one per
    /// line, read on every request), standing in for Microsoft Intune's
    /// validation. `None`: Intune connectors accept no challenge.
    pub intune_challenges: Option<PathBuf>,
}

/// The SCEP endpoint of every connector.
///
/// What an enrollment reads and that changes only through the API is kept
/// in memory: connectors (by id), each connector's challenge passwords, and
/// each CA with its key parsed. Each cache is dropped when its table's
/// generation in the store moves (a committed change), so the API's writes
/// are seen by the next request. Serial numbers are handed out from memory
/// and recorded with the certificate that uses them (`enroll::issue`).
pub struct Scep {
    store: Arc<Store>,
    config: Config,
    cas: Cache<Arc<ca::LocalCa>>,
    connectors: Cache<Option<Arc<ConnectorRow>>>,
    challenges: Cache<Arc<HashSet<String>>>,
    /// Per CA, the next serial number to hand out. Never invalidated: this
    /// process is the only one that issues from its store.
    serials: Mutex<HashMap<String, u64>>,
}

/// Values by key, valid for one generation of a table of the store.
struct Cache<V> {
    table: Cached,
    entries: Mutex<(u64, HashMap<String, V>)>,
}

impl<V: Clone> Cache<V> {
    fn new(table: Cached) -> Self {
        Self {
            table,
            entries: Mutex::new((0, HashMap::new())),
        }
    }

    fn lock(&self) -> MutexGuard<'_, (u64, HashMap<String, V>)> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value of `key`, from `load` (which reads the store) unless a
    /// value read at the current generation is kept.
    fn get<E>(
        &self,
        store: &Store,
        key: &str,
        load: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        // Read before the rows: a change committed in between makes the
        // value look older than it is, never newer.
        let generation = store.generation(self.table);
        {
            let entries = self.lock();
            if entries.0 == generation {
                if let Some(v) = entries.1.get(key) {
                    return Ok(v.clone());
                }
            }
        }
        let value = load()?;
        let mut entries = self.lock();
        if entries.0 < generation {
            entries.1.clear();
            entries.0 = generation;
        }
        if entries.0 == generation {
            return Ok(entries.1.entry(key.to_owned()).or_insert(value).clone());
        }
        Ok(value)
    }
}

/// A SCEP response: status, content type, body.
#[derive(Clone, Debug)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Body.
    pub body: Bytes,
    /// The SCEP operation, for the log line.
    pub operation: &'static str,
    /// Why the request was refused (`failInfo: reason`, or the HTTP error's
    /// reason), for the log line.
    pub failure: Option<String>,
}

impl Response {
    fn text(status: u16, operation: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{message}\n").into(),
            operation,
            failure: Some(message),
        }
    }

    /// The response as HTTP.
    pub fn into_http(self) -> http::Response<Bytes> {
        let mut response = http::Response::new(self.body);
        *response.status_mut() =
            http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::BAD_REQUEST);
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(self.content_type),
        );
        response
    }
}

/// Percent-decodes a query value (`+` is a space in forms; in base64 a `+`
/// that arrived unescaped is read back as `+`).
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

/// The value of query parameter `name`.
fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then_some(v)
    })
}

/// Whether a SCEP query asks for `PKIOperation` (the CPU-heavy operation).
pub fn is_pki_operation(query: &str) -> bool {
    query_param(query, "operation") == Some("PKIOperation")
}

/// The connector id of a SCEP path: `/scep/{id}`, optionally followed by
/// more path (some clients append `/pkiclient.exe`).
pub fn connector_id(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/scep/")?;
    let id = rest.split('/').next().unwrap_or(rest);
    (!id.is_empty()).then_some(id)
}

impl Scep {
    /// The endpoint over `store`.
    pub fn new(store: Arc<Store>, config: Config) -> Self {
        Self {
            store,
            config,
            cas: Cache::new(Cached::Cas),
            connectors: Cache::new(Cached::Connectors),
            challenges: Cache::new(Cached::Challenges),
            serials: Mutex::new(HashMap::new()),
        }
    }

    /// The local CA of `ca_arn`, created (and stored) on first use, its key
    /// parsed once.
    pub fn ca(&self, ca_arn: &str) -> Result<Arc<ca::LocalCa>, String> {
        self.cas
            .get(&self.store, ca_arn, || self.load_ca(ca_arn).map(Arc::new))
    }

    fn load_ca(&self, ca_arn: &str) -> Result<ca::LocalCa, String> {
        let stored = self
            .store
            .transaction(|tx| tx.ca(ca_arn))
            .map_err(|e| format!("cannot read the CA: {e}"))?;
        let ca = match stored {
            Some((key, cert)) => ca::LocalCa::load(&key, &cert)?,
            None => {
                // Generated outside any transaction (it takes a while); if
                // another request stored one meanwhile, that one wins.
                let generated = ca::LocalCa::generate(ca_arn, enroll::now_secs())?;
                let (key, cert) = self
                    .store
                    .transaction(|tx| {
                        tx.insert_ca(
                            ca_arn,
                            &generated.key_der,
                            &generated.ca.certificate_der,
                            enroll::now_ms(),
                        )?;
                        tx.ca(ca_arn)
                    })
                    .map_err(|e| format!("cannot store the CA: {e}"))?
                    .ok_or("the CA vanished after it was stored")?;
                ca::LocalCa::load(&key, &cert)?
            }
        };
        Ok(ca)
    }

    /// The connector with this id (ARN `connector/{id}` in this region and
    /// account).
    fn connector(&self, id: &str) -> Result<Option<Arc<ConnectorRow>>, String> {
        self.connectors.get(&self.store, id, || {
            let arn = format!(
                "arn:aws:pca-connector-scep:{}:{}:connector/{id}",
                self.config.region, self.config.account_id
            );
            self.store
                .transaction(|tx| tx.connector(&arn))
                .map(|c| c.map(Arc::new))
                .map_err(|e| format!("cannot read the connector: {e}"))
        })
    }

    /// Whether `password` is a challenge of the connector.
    fn has_challenge(&self, connector_arn: &str, password: &str) -> Result<bool, String> {
        let passwords = self.challenges.get(&self.store, connector_arn, || {
            self.store
                .transaction(|tx| tx.challenge_passwords(connector_arn))
                .map(|p| Arc::new(p.into_iter().collect::<HashSet<_>>()))
                .map_err(|e| format!("cannot read the store: {e}"))
        })?;
        Ok(passwords.contains(password))
    }

    /// The next serial number of the CA: from its stored counter on first
    /// use, then from memory. The certificate that uses it records it
    /// (`record_serial`) in its own transaction.
    fn next_serial(&self, ca_arn: &str) -> Result<u64, String> {
        let mut serials = self.serials.lock().unwrap_or_else(|p| p.into_inner());
        let next = match serials.get_mut(ca_arn) {
            Some(next) => next,
            None => {
                let stored = self
                    .store
                    .transaction(|tx| tx.next_serial(ca_arn))
                    .map_err(|e| format!("cannot read the store: {e}"))?
                    .ok_or("the CA is not in the store")?;
                serials
                    .entry(ca_arn.to_owned())
                    .or_insert(stored.max(2) as u64)
            }
        };
        let serial = *next;
        *next += 1;
        Ok(serial)
    }

    /// Answers a SCEP request for `path` and `query` (a body was read with
    /// [`MAX_MESSAGE_BYTES`] as its limit).
    pub fn handle(&self, method: &http::Method, path: &str, query: &str, body: &[u8]) -> Response {
        let Some(id) = connector_id(path) else {
            return Response::text(404, "SCEP", "not a SCEP endpoint");
        };
        let operation = match query_param(query, "operation") {
            Some("GetCACaps") => "GetCACaps",
            Some("GetCACert") => "GetCACert",
            Some("PKIOperation") => "PKIOperation",
            Some("GetNextCACert") => "GetNextCACert",
            Some(other) => {
                let other = String::from_utf8_lossy(&percent_decode(other).unwrap_or_default())
                    .chars()
                    .take(64)
                    .collect::<String>();
                return Response::text(400, "SCEP", format!("unknown SCEP operation `{other}`"));
            }
            None => {
                return Response::text(
                    400,
                    "SCEP",
                    "the `operation` query parameter is missing (GetCACaps, GetCACert or PKIOperation)",
                );
            }
        };
        let post = *method == http::Method::POST;
        if !(post && operation == "PKIOperation" || *method == http::Method::GET) {
            return Response::text(
                405,
                operation,
                format!("{operation} is not available with {method}"),
            );
        }
        let connector = match self.connector(id) {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Response::text(404, operation, format!("connector {id} does not exist"));
            }
            Err(e) => return Response::text(500, operation, e),
        };
        if connector.fails {
            return Response::text(
                503,
                operation,
                format!(
                    "connector {id} is FAILED: its certificate authority {} was not found",
                    connector.ca_arn
                ),
            );
        }
        match operation {
            "GetCACaps" => Response {
                status: 200,
                content_type: "text/plain",
                body: Bytes::from_static(CA_CAPS.as_bytes()),
                operation,
                failure: None,
            },
            "GetCACert" => match self.ca(&connector.ca_arn) {
                Ok(ca) => Response {
                    status: 200,
                    content_type: "application/x-x509-ca-cert",
                    body: ca.certificate_der.clone().into(),
                    operation,
                    failure: None,
                },
                Err(e) => Response::text(500, operation, e),
            },
            "GetNextCACert" => Response::text(
                404,
                operation,
                "no CA rollover is pending (GetNextCACert is not advertised)",
            ),
            _ => {
                let message = if post {
                    body.to_vec()
                } else {
                    let Some(encoded) = query_param(query, "message") else {
                        return Response::text(
                            400,
                            operation,
                            "PKIOperation by GET needs a base64 `message` query parameter",
                        );
                    };
                    let Some(encoded) = percent_decode(encoded) else {
                        return Response::text(
                            400,
                            operation,
                            "the `message` query parameter has a bad percent escape",
                        );
                    };
                    let encoded: Vec<u8> = encoded
                        .into_iter()
                        .map(|b| if b == b' ' { b'+' } else { b })
                        .filter(|b| !b.is_ascii_whitespace())
                        .collect();
                    match base64::engine::general_purpose::STANDARD.decode(&encoded) {
                        Ok(m) => m,
                        Err(e) => {
                            return Response::text(
                                400,
                                operation,
                                format!("the `message` query parameter is not valid base64: {e}"),
                            );
                        }
                    }
                };
                if message.len() > MAX_MESSAGE_BYTES {
                    return Response::text(
                        413,
                        operation,
                        format!("the PKI message is larger than {MAX_MESSAGE_BYTES} bytes"),
                    );
                }
                enroll::pki_operation(self, &connector, &message)
            }
        }
    }
}
