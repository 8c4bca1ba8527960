//! SCEP at the connectors' endpoints, in process: every message type, every
//! algorithm, and every failure path (each answered with a SCEP failure or
//! an HTTP error, with nothing written).

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Any, Decode as _, Encode as _};
use pca_connector_scep_server::scep::crypto::PrivateKey;
use pca_connector_scep_server::scep::crypto::{Cipher, Digest};
use pca_connector_scep_server::scep::message::{
    FailInfo, IssuerAndSubject, MessageType, PkiStatus,
};
use pca_connector_scep_server::scep::requester::{Reply, Requester, generate_key};
use pca_connector_scep_server::scep::{self, CA_CAPS, Config, Response, Scep};
use pca_connector_scep_server::store::{ChallengeRow, ConnectorRow, Store};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use x509_cert::Certificate;

const CA_ARN: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
const OTHER_CA_ARN: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/22222222-2222-3333-4444-555555555555";

fn key(n: usize) -> PrivateKey {
    static KEYS: [OnceLock<PrivateKey>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    KEYS[n].get_or_init(|| generate_key(2048).unwrap()).clone()
}

fn device(n: usize, subject: &str) -> Requester {
    Requester::self_signed(key(n), subject).unwrap()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

struct Fixture {
    _dir: PathBuf,
    store: Arc<Store>,
    scep: Scep,
}

fn connector_arn(id: &str) -> String {
    format!("arn:aws:pca-connector-scep:us-east-1:000000000000:connector/{id}")
}

impl Fixture {
    fn new(name: &str) -> Self {
        Self::with_intune(name, None)
    }

    fn with_intune(name: &str, intune_challenges: Option<PathBuf>) -> Self {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("scep-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Arc::new(Store::open(&dir).unwrap());
        let scep = Scep::new(
            Arc::clone(&store),
            Config {
                region: "us-east-1".into(),
                account_id: "000000000000".into(),
                intune_challenges,
            },
        );
        Self {
            _dir: dir,
            store,
            scep,
        }
    }

    /// Adds a connector `id`; `ready_in_ms` > 0 keeps it CREATING.
    fn connector(&self, id: &str, ca_arn: &str, intune: bool, ready_in_ms: i64, fails: bool) {
        let now = now_ms();
        self.store
            .transaction(|tx| {
                tx.insert_connector(&ConnectorRow {
                    seq: 0,
                    arn: connector_arn(id),
                    ca_arn: ca_arn.into(),
                    intune: intune.then(|| ("app".into(), "example.com".into())),
                    created_ms: now - 1000,
                    ready_ms: now + ready_in_ms,
                    fails,
                })
            })
            .unwrap();
    }

    fn challenge(&self, id: &str, password: &str) -> String {
        let arn = format!("{}/challenge/{password}", connector_arn(id));
        self.store
            .transaction(|tx| {
                tx.insert_challenge(&ChallengeRow {
                    seq: 0,
                    arn: arn.clone(),
                    connector_arn: connector_arn(id),
                    password: password.into(),
                    created_ms: now_ms(),
                })
            })
            .unwrap();
        arn
    }

    fn get(&self, id: &str, query: &str) -> Response {
        self.scep
            .handle(&http::Method::GET, &format!("/scep/{id}"), query, b"")
    }

    fn post(&self, id: &str, body: &[u8]) -> Response {
        self.scep.handle(
            &http::Method::POST,
            &format!("/scep/{id}"),
            "operation=PKIOperation",
            body,
        )
    }

    fn ca_cert(&self, id: &str) -> Certificate {
        let r = self.get(id, "operation=GetCACert");
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "application/x-x509-ca-cert");
        Certificate::from_der(&r.body).unwrap()
    }

    fn issued(&self) -> i64 {
        self.store.transaction(|tx| tx.certificate_count()).unwrap()
    }
}

struct Request {
    der: Vec<u8>,
    nonce: Vec<u8>,
}

fn pkcs_req(
    device: &Requester,
    ca: &Certificate,
    subject: &str,
    challenge: Option<&str>,
    transaction: &str,
    digest: Digest,
    cipher: Cipher,
) -> Request {
    let csr = device.certificate_request(subject, challenge).unwrap();
    let (der, nonce) = device
        .pki_message(ca, MessageType::PkcsReq, transaction, &csr, digest, cipher)
        .unwrap();
    Request { der, nonce }
}

fn read(device: &Requester, response: &Response, ca: &Certificate) -> Reply {
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    assert_eq!(response.content_type, "application/x-pki-message");
    device.read_reply(&response.body, ca).unwrap()
}

fn assert_failure(reply: &Reply, fail: FailInfo, text: &str) {
    assert_eq!(reply.status, Some(PkiStatus::Failure), "{reply:?}");
    assert_eq!(reply.fail_info, Some(fail), "{reply:?}");
    let got = reply.fail_info_text.as_deref().unwrap_or_default();
    assert!(got.contains(text), "failInfoText {got:?} lacks {text:?}");
    assert!(reply.certificate.is_none());
}

fn assert_http_error(response: &Response, status: u16, text: &str) {
    assert_eq!(response.status, status);
    let body = String::from_utf8_lossy(&response.body);
    assert!(body.contains(text), "body {body:?} lacks {text:?}");
}

#[test]
fn get_ca_caps_and_the_ca_certificate_which_outlives_the_process() {
    let f = Fixture::new("caps");
    f.connector("c1", CA_ARN, false, -1, false);
    f.connector("c2", CA_ARN, false, -1, false);
    f.connector("c3", OTHER_CA_ARN, false, -1, false);
    let caps = f.get("c1", "operation=GetCACaps");
    assert_eq!(caps.status, 200);
    assert_eq!(&caps.body[..], CA_CAPS.as_bytes());
    for cap in [
        "POSTPKIOperation",
        "SHA-256",
        "AES",
        "SCEPStandard",
        "Renewal",
    ] {
        assert!(CA_CAPS.lines().any(|l| l == cap), "{cap}");
    }
    let ca = f.ca_cert("c1");
    let tbs = &ca.tbs_certificate;
    assert_eq!(tbs.issuer, tbs.subject, "self-signed");
    assert!(
        tbs.subject
            .to_string()
            .contains("11111111-2222-3333-4444-555555555555")
    );
    // One CA per CertificateAuthorityArn: shared by connectors of one ARN.
    assert_eq!(f.ca_cert("c2"), ca);
    assert_ne!(f.ca_cert("c3"), ca);
    // A new process over the same data directory has the same CA.
    let again = Scep::new(
        Arc::clone(&f.store),
        Config {
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            intune_challenges: None,
        },
    );
    let r = again.handle(&http::Method::GET, "/scep/c1", "operation=GetCACert", b"");
    assert_eq!(Certificate::from_der(&r.body).unwrap(), ca);
}

#[test]
fn pkcs_req_issues_with_every_supported_digest_and_cipher() {
    let f = Fixture::new("pkcsreq");
    f.connector("c1", CA_ARN, false, -1, false);
    f.challenge("c1", "s3cret");
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    let mut serials = Vec::new();
    let cases = [
        (Digest::Sha256, Cipher::Aes128),
        (Digest::Sha256, Cipher::Aes256),
        (Digest::Sha1, Cipher::Aes192),
        (Digest::Sha512, Cipher::Des3),
        (Digest::Sha1, Cipher::Des),
    ];
    for (i, (digest, cipher)) in cases.into_iter().enumerate() {
        let subject = format!("CN=device {i},O=Example");
        let tx = format!("tx-{i}");
        let req = pkcs_req(&dev, &ca, &subject, Some("s3cret"), &tx, digest, cipher);
        let reply = read(&dev, &f.post("c1", &req.der), &ca);
        assert_eq!(
            reply.status,
            Some(PkiStatus::Success),
            "{digest:?} {cipher:?} {reply:?}"
        );
        assert_eq!(reply.transaction_id, tx);
        assert_eq!(reply.recipient_nonce.as_deref(), Some(&req.nonce[..]));
        let cert = reply.certificate.unwrap();
        let tbs = &cert.tbs_certificate;
        assert_eq!(tbs.subject.to_string(), subject);
        assert_eq!(
            tbs.subject_public_key_info,
            dev.certificate.tbs_certificate.subject_public_key_info
        );
        assert_eq!(tbs.issuer, ca.tbs_certificate.subject);
        serials.push(tbs.serial_number.clone());
    }
    let mut unique = serials.clone();
    unique.dedup();
    assert_eq!(unique.len(), cases.len(), "serials are unique: {serials:?}");
    let rows = f.store.transaction(|tx| tx.certificates(CA_ARN)).unwrap();
    assert_eq!(rows.len(), cases.len());
    assert_eq!(rows[0].connector_arn, connector_arn("c1"));
    assert_eq!(rows[0].transaction_id, "tx-0");
    assert_eq!(rows[0].subject, "CN=device 0,O=Example");
    assert_eq!(rows[0].serial, "02", "serial 1 is the CA's own");
}

#[test]
fn issued_certificates_verify_against_the_ca_and_carry_sane_extensions() {
    let f = Fixture::new("extensions");
    f.connector("c1", CA_ARN, false, -1, false);
    f.challenge("c1", "pw");
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=ext",
        Some("pw"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    let cert = read(&dev, &f.post("c1", &req.der), &ca)
        .certificate
        .unwrap();
    // Verified by the CA's key (the same check RenewalReq relies on).
    let local = f.scep.ca(CA_ARN).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(local.issued(&cert, now));
    assert!(
        !local.issued(&dev.certificate, now),
        "a self-signed certificate is not the CA's"
    );
    let ids: Vec<String> = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .map(|e| e.extn_id.to_string())
        .collect();
    for id in [
        "2.5.29.19",
        "2.5.29.15",
        "2.5.29.37",
        "2.5.29.14",
        "2.5.29.35",
    ] {
        assert!(ids.contains(&id.to_owned()), "{id} in {ids:?}");
    }
    let validity = cert.tbs_certificate.validity;
    let days = (validity.not_after.to_unix_duration() - validity.not_before.to_unix_duration())
        .as_secs()
        / 86400;
    assert_eq!(days, 365);
}

#[test]
fn pki_operation_by_get_with_a_base64_message() {
    use base64::Engine as _;
    let f = Fixture::new("get");
    f.connector("c1", CA_ARN, false, -1, false);
    f.challenge("c1", "pw");
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=by-get",
        Some("pw"),
        "tx-get",
        Digest::Sha256,
        Cipher::Aes128,
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&req.der);
    let escaped = b64
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let reply = read(
        &dev,
        &f.get("c1", &format!("operation=PKIOperation&message={escaped}")),
        &ca,
    );
    assert_eq!(reply.status, Some(PkiStatus::Success));
    // Truncated base64: HTTP 400, nothing issued beyond the first.
    let truncated = &b64[..b64.len() - 3];
    let r = f.get("c1", &format!("operation=PKIOperation&message={truncated}"));
    assert_http_error(&r, 400, "not valid base64");
    let r = f.get("c1", "operation=PKIOperation");
    assert_http_error(&r, 400, "needs a base64 `message`");
    let r = f.get("c1", "operation=PKIOperation&message=%ZZ");
    assert_http_error(&r, 400, "percent escape");
    assert_eq!(f.issued(), 1);
}

#[test]
fn a_resent_request_gets_the_same_certificate_and_cert_poll_finds_it() {
    let f = Fixture::new("poll");
    f.connector("c1", CA_ARN, false, -1, false);
    f.challenge("c1", "pw");
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=polled",
        Some("pw"),
        "tx-poll",
        Digest::Sha256,
        Cipher::Aes128,
    );
    let first = read(&dev, &f.post("c1", &req.der), &ca)
        .certificate
        .unwrap();
    let again = read(&dev, &f.post("c1", &req.der), &ca)
        .certificate
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(f.issued(), 1);
    let poll = |transaction: &str, subject: &str| {
        let body = IssuerAndSubject {
            issuer: ca.tbs_certificate.subject.clone(),
            subject: subject.parse().unwrap(),
        }
        .to_der()
        .unwrap();
        let (der, _) = dev
            .pki_message(
                &ca,
                MessageType::CertPoll,
                transaction,
                &body,
                Digest::Sha256,
                Cipher::Aes128,
            )
            .unwrap();
        read(&dev, &f.post("c1", &der), &ca)
    };
    let polled = poll("tx-poll", "CN=polled");
    assert_eq!(polled.status, Some(PkiStatus::Success));
    assert_eq!(polled.certificate.unwrap(), first);
    assert_failure(
        &poll("tx-other", "CN=polled"),
        FailInfo::BadCertId,
        "no certificate",
    );
    assert_failure(
        &poll("tx-poll", "CN=someone else"),
        FailInfo::BadCertId,
        "no certificate",
    );
    assert_eq!(f.issued(), 1);
}

#[test]
fn renewal_needs_a_current_certificate_of_this_ca() {
    let f = Fixture::new("renewal");
    f.connector("c1", CA_ARN, false, -1, false);
    f.connector("c2", OTHER_CA_ARN, false, -1, false);
    f.challenge("c1", "pw");
    f.challenge("c2", "pw2");
    let ca = f.ca_cert("c1");
    let other_ca = f.ca_cert("c2");
    let dev = device(0, "CN=device-0");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=renew-me",
        Some("pw"),
        "tx-1",
        Digest::Sha256,
        Cipher::Aes128,
    );
    let issued = read(&dev, &f.post("c1", &req.der), &ca)
        .certificate
        .unwrap();
    let renewing = Requester {
        key: key(1),
        certificate: issued.clone(),
    };
    // A renewal is signed with the current certificate's key and needs no
    // challenge; the new key is in the request.
    let signer = Requester {
        key: key(0),
        certificate: issued,
    };
    let csr = renewing.certificate_request("CN=renew-me", None).unwrap();
    let (der, _) = signer
        .pki_message(
            &ca,
            MessageType::RenewalReq,
            "tx-2",
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    let reply = read(&signer, &f.post("c1", &der), &ca);
    assert_eq!(reply.status, Some(PkiStatus::Success), "{reply:?}");
    let renewed = reply.certificate.unwrap();
    assert_eq!(
        renewed.tbs_certificate.subject_public_key_info,
        device(1, "CN=new key")
            .certificate
            .tbs_certificate
            .subject_public_key_info
    );
    assert_eq!(f.issued(), 2);
    // Renewing again, even with the same transaction ID and key, gives a
    // new certificate (micromdm's client derives the ID from the key).
    let (der, _) = signer
        .pki_message(
            &ca,
            MessageType::RenewalReq,
            "tx-2",
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    let again = read(&signer, &f.post("c1", &der), &ca).certificate.unwrap();
    assert_ne!(
        again.tbs_certificate.serial_number,
        renewed.tbs_certificate.serial_number
    );
    assert_eq!(f.issued(), 3);
    // Signed with a self-signed certificate: refused.
    let (der, _) = dev
        .pki_message(
            &ca,
            MessageType::RenewalReq,
            "tx-3",
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    assert_failure(
        &read(&dev, &f.post("c1", &der), &ca),
        FailInfo::BadRequest,
        "RenewalReq",
    );
    // Signed with a certificate of another CA: refused.
    let req = pkcs_req(
        &dev,
        &other_ca,
        "CN=elsewhere",
        Some("pw2"),
        "tx-4",
        Digest::Sha256,
        Cipher::Aes128,
    );
    let foreign = read(&dev, &f.post("c2", &req.der), &other_ca)
        .certificate
        .unwrap();
    let foreign_signer = Requester {
        key: key(0),
        certificate: foreign,
    };
    let (der, _) = foreign_signer
        .pki_message(
            &ca,
            MessageType::RenewalReq,
            "tx-5",
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    assert_failure(
        &read(&foreign_signer, &f.post("c1", &der), &ca),
        FailInfo::BadRequest,
        "RenewalReq",
    );
    assert_eq!(f.issued(), 4);
}

/// Re-encodes a PKI message after `change` edits its SignedData.
fn tamper(der: &[u8], change: impl FnOnce(&mut SignedData)) -> Vec<u8> {
    let info = ContentInfo::from_der(der).unwrap();
    let mut sd: SignedData = info.content.decode_as().unwrap();
    change(&mut sd);
    ContentInfo {
        content_type: info.content_type,
        content: Any::encode_from(&sd).unwrap(),
    }
    .to_der()
    .unwrap()
}

fn with_signer(sd: &mut SignedData, change: impl FnOnce(&mut cms::signed_data::SignerInfo)) {
    let mut infos = sd.signer_infos.0.clone().into_vec();
    change(&mut infos[0]);
    sd.signer_infos = cms::signed_data::SignerInfos(infos.try_into().unwrap());
}

#[test]
fn integrity_failures_are_bad_message_check_or_bad_alg() {
    let f = Fixture::new("integrity");
    f.connector("c1", CA_ARN, false, -1, false);
    f.challenge("c1", "pw");
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=x",
        Some("pw"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );

    // Tampered signature.
    let bad = tamper(&req.der, |sd| {
        with_signer(sd, |si| {
            let mut sig = si.signature.as_bytes().to_vec();
            sig[10] ^= 1;
            si.signature = der::asn1::OctetString::new(sig).unwrap();
        })
    });
    let reply = read(&dev, &f.post("c1", &bad), &ca);
    assert_failure(
        &reply,
        FailInfo::BadMessageCheck,
        "signature does not verify",
    );
    assert_eq!(
        reply.transaction_id, "tx",
        "the failure still names the transaction"
    );
    assert_eq!(reply.recipient_nonce.as_deref(), Some(&req.nonce[..]));

    // Tampered content (the messageDigest no longer matches).
    let bad = tamper(&req.der, |sd| {
        let content = sd.encap_content_info.econtent.as_ref().unwrap();
        let mut bytes = content.value().to_vec();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        sd.encap_content_info.econtent = Some(Any::new(der::Tag::OctetString, bytes).unwrap());
    });
    assert_failure(
        &read(&dev, &f.post("c1", &bad), &ca),
        FailInfo::BadMessageCheck,
        "signature does not verify",
    );

    // An unsupported digest (MD5).
    let bad = tamper(&req.der, |sd| {
        with_signer(sd, |si| {
            si.digest_alg.oid = der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.2.5");
        })
    });
    assert_failure(
        &read(&dev, &f.post("c1", &bad), &ca),
        FailInfo::BadAlg,
        "not supported",
    );

    // Encrypted to another certificate: wrong recipient.
    let stranger = device(1, "CN=stranger");
    let csr = dev.certificate_request("CN=x", Some("pw")).unwrap();
    let (der, _) = dev
        .pki_message(
            &stranger.certificate,
            MessageType::PkcsReq,
            "tx2",
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    assert_failure(
        &read(&dev, &f.post("c1", &der), &ca),
        FailInfo::BadMessageCheck,
        "wrong recipient",
    );

    // A request whose own (PKCS #10) signature is bad.
    let mut csr = dev.certificate_request("CN=x", Some("pw")).unwrap();
    let n = csr.len();
    csr[n - 5] ^= 0x40;
    let (der, _) = dev
        .pki_message(
            &ca,
            MessageType::PkcsReq,
            "tx3",
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    assert_failure(
        &read(&dev, &f.post("c1", &der), &ca),
        FailInfo::BadRequest,
        "request's signature does not verify",
    );

    // Not a certificate request at all inside the envelope.
    let (der, _) = dev
        .pki_message(
            &ca,
            MessageType::PkcsReq,
            "tx4",
            b"\x30\x03\x02\x01\x01",
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    assert_failure(
        &read(&dev, &f.post("c1", &der), &ca),
        FailInfo::BadRequest,
        "certificate request is malformed",
    );

    // Unsupported message types.
    let (der, _) = dev
        .pki_message(
            &ca,
            MessageType::GetCrl,
            "tx5",
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    assert_failure(
        &read(&dev, &f.post("c1", &der), &ca),
        FailInfo::BadRequest,
        "messageType 22",
    );
    assert_eq!(f.issued(), 0);
}

#[test]
fn a_small_key_is_refused() {
    let f = Fixture::new("small-key");
    f.connector("c1", CA_ARN, false, -1, false);
    f.challenge("c1", "pw");
    let ca = f.ca_cert("c1");
    let small = Requester::self_signed(generate_key(1024).unwrap(), "CN=small").unwrap();
    let req = pkcs_req(
        &small,
        &ca,
        "CN=small",
        Some("pw"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_failure(
        &read(&small, &f.post("c1", &req.der), &ca),
        FailInfo::BadRequest,
        "1024 bits",
    );
    assert_eq!(f.issued(), 0);
}

#[test]
fn challenges_must_be_current_and_of_the_connector() {
    let f = Fixture::new("challenges");
    f.connector("c1", CA_ARN, false, -1, false);
    f.connector("c2", CA_ARN, false, -1, false);
    let deleted = f.challenge("c1", "deleted-one");
    f.challenge("c1", "good");
    f.challenge("c2", "of-c2");
    f.store
        .transaction(|tx| tx.delete_challenge(&deleted))
        .unwrap();
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    for (challenge, text) in [
        (Some("unknown"), "not a current challenge"),
        (Some("deleted-one"), "not a current challenge"),
        (Some("of-c2"), "not a current challenge"),
        (None, "no challengePassword"),
    ] {
        let req = pkcs_req(
            &dev,
            &ca,
            "CN=x",
            challenge,
            "tx",
            Digest::Sha256,
            Cipher::Aes128,
        );
        assert_failure(
            &read(&dev, &f.post("c1", &req.der), &ca),
            FailInfo::BadRequest,
            text,
        );
    }
    assert_eq!(f.issued(), 0);
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=x",
        Some("good"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_eq!(
        read(&dev, &f.post("c1", &req.der), &ca).status,
        Some(PkiStatus::Success)
    );
    // Challenges are not single-use: a second device uses it too.
    let second = device(1, "CN=d1");
    let req = pkcs_req(
        &second,
        &ca,
        "CN=y",
        Some("good"),
        "tx-b",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_eq!(
        read(&second, &f.post("c1", &req.der), &ca).status,
        Some(PkiStatus::Success)
    );
    assert_eq!(f.issued(), 2);
}

#[test]
fn intune_connectors_accept_only_the_challenges_of_the_stand_in_file() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("intune-stand-in");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("accepted.txt");
    std::fs::write(&file, "# accepted by the stand-in\nintune-ok\n\n").unwrap();
    let dev = device(0, "CN=device-0");

    let without = Fixture::new("intune-none");
    without.connector("i1", CA_ARN, true, -1, false);
    without.challenge("i1", "intune-ok");
    let ca = without.ca_cert("i1");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=x",
        Some("intune-ok"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_failure(
        &read(&dev, &without.post("i1", &req.der), &ca),
        FailInfo::BadRequest,
        "--intune-challenges",
    );
    assert_eq!(without.issued(), 0);

    let with = Fixture::with_intune("intune-file", Some(file.clone()));
    with.connector("i1", CA_ARN, true, -1, false);
    let ca = with.ca_cert("i1");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=x",
        Some("not-listed"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_failure(
        &read(&dev, &with.post("i1", &req.der), &ca),
        FailInfo::BadRequest,
        "not in the Intune challenge file",
    );
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=x",
        Some("# accepted by the stand-in"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_failure(
        &read(&dev, &with.post("i1", &req.der), &ca),
        FailInfo::BadRequest,
        "not in the Intune challenge file",
    );
    assert_eq!(with.issued(), 0);
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=x",
        Some("intune-ok"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_eq!(
        read(&dev, &with.post("i1", &req.der), &ca).status,
        Some(PkiStatus::Success)
    );
    assert_eq!(with.issued(), 1);
}

#[test]
fn connectors_that_are_not_active_do_not_issue() {
    let f = Fixture::new("inactive");
    f.connector("creating", CA_ARN, false, 60_000, false);
    f.connector("failed", OTHER_CA_ARN, false, -1, true);
    f.challenge("creating", "pw");
    let ca = f.ca_cert("creating");
    let dev = device(0, "CN=device-0");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=x",
        Some("pw"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_failure(
        &read(&dev, &f.post("creating", &req.der), &ca),
        FailInfo::BadRequest,
        "CREATING",
    );
    let r = f.get("failed", "operation=GetCACert");
    assert_http_error(&r, 503, "FAILED");
    assert_http_error(&f.post("failed", &req.der), 503, "FAILED");
    assert_eq!(f.issued(), 0);
}

#[test]
fn what_does_not_decode_gets_http_errors() {
    let f = Fixture::new("http-errors");
    f.connector("c1", CA_ARN, false, -1, false);
    f.challenge("c1", "pw");
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=x",
        Some("pw"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    assert_http_error(&f.post("c1", b""), 400, "not a DER CMS ContentInfo");
    assert_http_error(
        &f.post("c1", b"\x30\x80garbage"),
        400,
        "not a DER CMS ContentInfo",
    );
    for cut in [1, 10, req.der.len() / 2, req.der.len() - 1] {
        assert_http_error(&f.post("c1", &req.der[..cut]), 400, "malformed PKI message");
    }
    let envelope_only = tamper(&req.der, |sd| {
        sd.signer_infos = cms::signed_data::SignerInfos(der::asn1::SetOfVec::new());
    });
    assert_http_error(&f.post("c1", &envelope_only), 400, "exactly one signer");
    let no_type = tamper(&req.der, |sd| {
        with_signer(sd, |si| {
            let attrs = si.signed_attrs.take().unwrap().into_vec();
            let kept: Vec<_> = attrs
                .into_iter()
                .filter(|a| a.oid != scep::oid::MESSAGE_TYPE)
                .collect();
            si.signed_attrs = Some(kept.try_into().unwrap());
        })
    });
    assert_http_error(
        &f.post("c1", &no_type),
        400,
        "messageType attribute is missing",
    );
    let oversized = vec![0x30; scep::MAX_MESSAGE_BYTES + 1];
    let r = f.get(
        "c1",
        &format!(
            "operation=PKIOperation&message={}",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &oversized)
        ),
    );
    assert_http_error(&r, 413, "larger than");
    assert_http_error(&f.get("nope", "operation=GetCACaps"), 404, "does not exist");
    assert_http_error(
        &f.get("c1", ""),
        400,
        "`operation` query parameter is missing",
    );
    assert_http_error(
        &f.get("c1", "operation=Bogus"),
        400,
        "unknown SCEP operation `Bogus`",
    );
    let r = f
        .scep
        .handle(&http::Method::POST, "/scep/c1", "operation=GetCACert", b"");
    assert_http_error(&r, 405, "not available with POST");
    assert_eq!(f.issued(), 0);
}

/// Rewrites a DER tree: every INTEGER equal to `from` becomes `to`, and the
/// lengths of the constructed values around it follow. Primitive values
/// (the envelope inside its OCTET STRING) are left alone.
fn replace_integer(der: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    fn put(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
        out.push(tag);
        let len = value.len();
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes = (len as u32).to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            out.push(0x80 | (4 - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
        out.extend_from_slice(value);
    }
    let mut out = Vec::new();
    let mut rest = der;
    while !rest.is_empty() {
        let tag = rest[0];
        let (len, header) = if rest[1] < 0x80 {
            (rest[1] as usize, 2)
        } else {
            let n = (rest[1] & 0x7f) as usize;
            (
                rest[2..2 + n].iter().fold(0, |a, &b| (a << 8) | b as usize),
                2 + n,
            )
        };
        let value = &rest[header..header + len];
        if tag == 0x02 && value == from {
            put(&mut out, tag, to);
        } else if tag & 0x20 != 0 {
            put(&mut out, tag, &replace_integer(value, from, to));
        } else {
            put(&mut out, tag, value);
        }
        rest = &rest[header + len..];
    }
    out
}

#[test]
fn a_signer_serial_longer_than_rfc_5280_allows_is_answered_in_kind() {
    // certmonger signs with a self-signed certificate whose serial number
    // has 32 octets; the reply must be addressed to exactly that.
    let f = Fixture::new("long-serial");
    f.connector("c1", CA_ARN, false, -1, false);
    f.challenge("c1", "pw");
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    let req = pkcs_req(
        &dev,
        &ca,
        "CN=long",
        Some("pw"),
        "tx",
        Digest::Sha256,
        Cipher::Aes128,
    );
    let short = dev
        .certificate
        .tbs_certificate
        .serial_number
        .as_bytes()
        .to_vec();
    let long: Vec<u8> = std::iter::once(0x01)
        .chain(std::iter::repeat_n(0xab, 31))
        .collect();
    let patched = replace_integer(&req.der, &short, &long);
    assert_ne!(patched, req.der);
    let response = f.post("c1", &patched);
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    let reply = pca_connector_scep_server::scep::message::parse(&response.body).unwrap();
    assert_eq!(reply.pki_status, Some(PkiStatus::Success));
    // The envelope names the long serial: it is in the reply's content.
    let content = reply.content.unwrap();
    assert!(
        content.windows(long.len()).any(|w| w == long),
        "recipient serial kept"
    );
    assert_eq!(f.issued(), 1);
}

#[test]
fn what_the_endpoint_keeps_in_memory_follows_the_store() {
    // Connectors, challenge passwords and CAs are cached between requests;
    // every change made through the store is seen by the next request.
    let f = Fixture::new("caches");
    f.connector("c1", CA_ARN, false, -1, false);
    let first = f.challenge("c1", "first");
    let ca = f.ca_cert("c1");
    let dev = device(0, "CN=device-0");
    let enroll = |challenge: &str, n: usize| {
        let req = pkcs_req(
            &dev,
            &ca,
            &format!("CN=cached-{n}"),
            Some(challenge),
            &format!("tx-{n}"),
            Digest::Sha256,
            Cipher::Aes128,
        );
        read(&dev, &f.post("c1", &req.der), &ca)
    };
    assert_eq!(enroll("first", 1).status, Some(PkiStatus::Success));
    // A challenge made after the passwords were cached is accepted...
    assert_failure(&enroll("second", 2), FailInfo::BadRequest, "not a current");
    f.challenge("c1", "second");
    assert_eq!(enroll("second", 3).status, Some(PkiStatus::Success));
    // ... and a deleted one is refused.
    f.store
        .transaction(|tx| tx.delete_challenge(&first))
        .unwrap();
    assert_failure(&enroll("first", 4), FailInfo::BadRequest, "not a current");
    assert_eq!(f.issued(), 2);
    // Serials come from memory and are recorded with their certificates:
    // the refusals took none, the two certificates have 2 and 3.
    let rows = f.store.transaction(|tx| tx.certificates(CA_ARN)).unwrap();
    let serials: Vec<&str> = rows.iter().map(|r| r.serial.as_str()).collect();
    assert_eq!(serials, ["02", "03"]);
    assert_eq!(
        f.store.transaction(|tx| tx.next_serial(CA_ARN)).unwrap(),
        Some(4)
    );
    // A deleted connector is gone for SCEP too.
    f.store
        .transaction(|tx| tx.delete_connector(&connector_arn("c1")))
        .unwrap();
    assert_http_error(&f.get("c1", "operation=GetCACaps"), 404, "does not exist");
    // A connector made after its id was looked up (and not found) is found.
    assert_http_error(&f.get("c9", "operation=GetCACaps"), 404, "does not exist");
    f.connector("c9", CA_ARN, false, -1, false);
    assert_eq!(f.get("c9", "operation=GetCACaps").status, 200);
    // The CA is the same one, kept across the changes.
    assert_eq!(f.ca_cert("c9"), ca);
}
