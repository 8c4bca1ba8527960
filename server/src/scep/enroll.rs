//! `PKIOperation`: checks a request (signature, recipient, connector state,
//! challenge or existing certificate), issues, records and answers with a
//! `CertRep`.

use super::crypto::{Cipher, Digest, SignatureError};
use super::envelope::{self, OpenError};
use super::message::{self, FailInfo, MessageType, Outgoing, PkiStatus};
use super::{Response, Scep, ca};
use crate::service;
use crate::store::{CertificateRow, ConnectorRow};
use pca_connector_scep::types::ConnectorStatus;
use std::time::{SystemTime, UNIX_EPOCH};
use x509_cert::Certificate;

pub(super) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub(super) fn now_secs() -> u64 {
    (now_ms() / 1000).max(0) as u64
}

const OPERATION: &str = "PKIOperation";

/// Why a request is refused: the `failInfo` and a reason.
struct Refusal(FailInfo, String);

fn refuse(fail: FailInfo, why: impl Into<String>) -> Refusal {
    Refusal(fail, why.into())
}

pub(super) fn pki_operation(scep: &Scep, connector: &ConnectorRow, der: &[u8]) -> Response {
    let request = match message::parse(der) {
        Ok(r) => r,
        Err(e) => {
            return Response::text(400, OPERATION, format!("malformed PKI message: {e}"));
        }
    };
    let ca = match scep.ca(&connector.ca_arn) {
        Ok(ca) => ca,
        Err(e) => return Response::text(500, OPERATION, e),
    };
    // Answer with the request's digest and cipher when they are supported.
    let digest = request.digest.unwrap_or(Digest::Sha256);
    let cipher = request
        .content
        .as_deref()
        .and_then(envelope::cipher_of)
        .unwrap_or(Cipher::Aes128);
    let outcome = process(scep, connector, &ca, &request);
    let sender_nonce = super::crypto::random_bytes(16);
    let mut reply = Outgoing {
        message_type: MessageType::CertRep,
        transaction_id: &request.transaction_id,
        sender_nonce: &sender_nonce,
        recipient_nonce: request.sender_nonce.as_deref(),
        pki_status: Some(PkiStatus::Success),
        fail_info: None,
        fail_info_text: None,
        content: None,
    };
    let sealed;
    let reason;
    let mut failure = None;
    match outcome.and_then(|certificate| {
        let certs = message::certs_only(std::slice::from_ref(&certificate))
            .map_err(|e| refuse(FailInfo::BadRequest, e))?;
        envelope::seal(
            &certs,
            &request.signer.issuer_and_serial,
            &request.signer.public_key,
            cipher,
        )
        .map_err(|e| refuse(FailInfo::BadAlg, e))
    }) {
        Ok(envelope) => {
            sealed = envelope;
            reply.content = Some(&sealed);
        }
        Err(Refusal(fail, why)) => {
            reason = why;
            reply.pki_status = Some(PkiStatus::Failure);
            reply.fail_info = Some(fail);
            reply.fail_info_text = Some(&reason);
            failure = Some(format!("{}: {reason}", fail.name()));
        }
    }
    match message::sign(&reply, &ca.certificate, &ca.key, digest) {
        Ok(body) => Response {
            status: 200,
            content_type: "application/x-pki-message",
            body: body.into(),
            operation: OPERATION,
            failure,
        },
        Err(e) => Response::text(500, OPERATION, e),
    }
}

fn process(
    scep: &Scep,
    connector: &ConnectorRow,
    ca: &ca::LocalCa,
    request: &message::Signed,
) -> Result<Certificate, Refusal> {
    match request.signature {
        Ok(()) => {}
        Err(SignatureError::Algorithm) => {
            return Err(refuse(
                FailInfo::BadAlg,
                "the message's digest or signature algorithm is not supported",
            ));
        }
        Err(SignatureError::Invalid) => {
            return Err(refuse(
                FailInfo::BadMessageCheck,
                "the message's signature does not verify",
            ));
        }
    }
    let kind = request.message_type;
    if !matches!(
        kind,
        MessageType::PkcsReq | MessageType::RenewalReq | MessageType::CertPoll
    ) {
        return Err(refuse(
            FailInfo::BadRequest,
            format!(
                "messageType {} is not supported here (PKCSReq, RenewalReq and CertPoll are)",
                kind.as_str()
            ),
        ));
    }
    let now = now_ms();
    let (status, _, _) = service::Scep::state(connector, now);
    if status != ConnectorStatus::Active {
        return Err(refuse(
            FailInfo::BadRequest,
            format!("the connector is {status}; only ACTIVE connectors issue certificates"),
        ));
    }
    let content = request
        .content
        .as_deref()
        .ok_or_else(|| refuse(FailInfo::BadRequest, "the message has no pkcsPKIEnvelope"))?;
    let inner = envelope::open(content, &ca.certificate, &ca.key).map_err(|e| {
        let fail = match e {
            OpenError::Algorithm(_) => FailInfo::BadAlg,
            _ => FailInfo::BadMessageCheck,
        };
        refuse(fail, e.to_string())
    })?;
    if kind == MessageType::CertPoll {
        let query: message::IssuerAndSubject = message::decode(&inner, "the IssuerAndSubject")
            .map_err(|e| refuse(FailInfo::BadRequest, e))?;
        let issued = scep
            .store
            .transaction(|tx| {
                tx.certificates_for_transaction(&connector.arn, &request.transaction_id)
            })
            .map_err(|e| refuse(FailInfo::BadRequest, format!("cannot read the store: {e}")))?;
        return issued
            .iter()
            .filter_map(|row| {
                message::decode::<Certificate>(&row.certificate_der, "a stored certificate").ok()
            })
            .find(|c| c.tbs_certificate.subject == query.subject)
            .ok_or_else(|| {
                refuse(
                    FailInfo::BadCertId,
                    "no certificate was issued for this transaction and subject",
                )
            });
    }
    let checked = ca::check_request(&inner).map_err(|e| refuse(FailInfo::BadRequest, e))?;
    if kind == MessageType::RenewalReq {
        let current = request.signer.certificate();
        if !current.is_some_and(|c| ca.issued(&c, now_secs())) {
            return Err(refuse(
                FailInfo::BadRequest,
                "a RenewalReq must be signed with a current certificate issued by this CA",
            ));
        }
    } else {
        check_challenge(scep, connector, checked.challenge_password.as_deref())?;
    }
    issue(
        scep,
        connector,
        ca,
        &request.transaction_id,
        &checked.request,
        kind == MessageType::PkcsReq,
    )
}

fn check_challenge(
    scep: &Scep,
    connector: &ConnectorRow,
    password: Option<&str>,
) -> Result<(), Refusal> {
    let password = password.ok_or_else(|| {
        refuse(
            FailInfo::BadRequest,
            "the certificate request has no challengePassword",
        )
    })?;
    if connector.intune.is_some() {
        let Some(path) = &scep.config.intune_challenges else {
            return Err(refuse(
                FailInfo::BadRequest,
                "Intune connectors validate challenges with Microsoft Intune, which this local server stands in for with --intune-challenges FILE; none was given",
            ));
        };
        let accepted = std::fs::read_to_string(path).map_err(|e| {
            refuse(
                FailInfo::BadRequest,
                format!("cannot read the Intune challenge file: {e}"),
            )
        })?;
        let known = accepted
            .lines()
            .map(str::trim)
            .any(|line| !line.is_empty() && !line.starts_with('#') && line == password);
        return if known {
            Ok(())
        } else {
            Err(refuse(
                FailInfo::BadRequest,
                "the challenge password is not in the Intune challenge file",
            ))
        };
    }
    let known = scep
        .has_challenge(&connector.arn, password)
        .map_err(|e| refuse(FailInfo::BadRequest, e))?;
    if known {
        Ok(())
    } else {
        Err(refuse(
            FailInfo::BadRequest,
            "the challenge password is not a current challenge of this connector",
        ))
    }
}

/// Issues a certificate and records it in one transaction (which rolls
/// back if anything fails: nothing is written). The certificate is signed
/// before the transaction, so no lock is held while the CA key works; its
/// serial number comes from memory (`Scep::next_serial`) and the
/// transaction records it beside the certificate, so a serial is never
/// handed out twice, across restarts and `kill -9` too. With `reuse` (a
/// `PKCSReq`), a request sent again with the same transaction ID, subject
/// and public key gets the certificate issued the first time while that is
/// still valid (the one just signed is dropped, its serial unused); a
/// renewal always gets a new one.
fn issue(
    scep: &Scep,
    connector: &ConnectorRow,
    ca: &ca::LocalCa,
    transaction_id: &str,
    request: &x509_cert::request::CertReq,
    reuse: bool,
) -> Result<Certificate, Refusal> {
    let now = now_ms();
    let serial = scep
        .next_serial(&connector.ca_arn)
        .map_err(|e| refuse(FailInfo::BadRequest, e))?;
    let certificate = ca
        .issue(request, serial, (now / 1000) as u64)
        .map_err(|e| refuse(FailInfo::BadRequest, e))?;
    let row = CertificateRow {
        ca_arn: connector.ca_arn.clone(),
        serial: ca::serial_hex(&certificate.tbs_certificate.serial_number),
        connector_arn: connector.arn.clone(),
        transaction_id: transaction_id.to_owned(),
        subject: certificate.tbs_certificate.subject.to_string(),
        certificate_der: der::Encode::to_der(&certificate)
            .map_err(|e| refuse(FailInfo::BadRequest, e.to_string()))?,
        issued_ms: now,
    };
    let issued = scep
        .store
        .transaction(|tx| -> rusqlite::Result<Option<Certificate>> {
            let rows = if reuse {
                tx.certificates_for_transaction(&connector.arn, transaction_id)?
            } else {
                Vec::new()
            };
            for row in rows {
                if let Ok(c) = message::decode::<Certificate>(&row.certificate_der, "") {
                    let tbs = &c.tbs_certificate;
                    if tbs.subject_public_key_info == request.info.public_key
                        && tbs.subject == request.info.subject
                        && tbs.validity.not_after.to_unix_duration().as_secs() > (now / 1000) as u64
                    {
                        return Ok(Some(c));
                    }
                }
            }
            tx.record_serial(&connector.ca_arn, serial as i64)?;
            tx.insert_certificate(&row)?;
            Ok(None)
        })
        .map_err(|e| refuse(FailInfo::BadRequest, format!("the store failed: {e}")))?;
    Ok(issued.unwrap_or(certificate))
}
