//! The requester's side of SCEP: certificate requests, PKI messages to a CA
//! and reading its `CertRep`. The server's tests and benchmarks enroll with
//! it; it shares the message layer with the server, so the end-to-end runs
//! with independent clients (`server/e2e/`) are what check interoperability.

use super::crypto::{Cipher, Digest, PrivateKey, SignatureError};
use super::message::{self, FailInfo, MessageType, Outgoing, PkiStatus};
use super::{ca, envelope, oid};
use der::asn1::{BitString, PrintableString, SetOfVec};
use der::{Any, Encode as _};
use std::str::FromStr as _;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::certificate::{TbsCertificate, Version};
use x509_cert::name::Name;
use x509_cert::request::{CertReq, CertReqInfo};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

/// A device: its key and the certificate it signs messages with (a
/// self-signed one before its first enrollment).
#[derive(Clone)]
pub struct Requester {
    /// The device key.
    pub key: PrivateKey,
    /// The certificate that signs its messages.
    pub certificate: Certificate,
}

fn spki(key: &PrivateKey) -> Result<SubjectPublicKeyInfoOwned, String> {
    Ok(key.public_key_info().clone())
}

/// A new RSA key of `bits` bits.
pub fn generate_key(bits: usize) -> Result<PrivateKey, String> {
    PrivateKey::generate(bits)
}

impl Requester {
    /// A device with a self-signed certificate for `subject` (RFC 4514,
    /// e.g. `CN=device-1`).
    pub fn self_signed(key: PrivateKey, subject: &str) -> Result<Self, String> {
        let name = Name::from_str(subject).map_err(|e| format!("bad subject: {e}"))?;
        let now = super::enroll::now_secs();
        let tbs = TbsCertificate {
            version: Version::V3,
            serial_number: ca::serial_number(now).map_err(|e| e.to_string())?,
            signature: Digest::Sha256.rsa_signature_algorithm(),
            issuer: name.clone(),
            validity: x509_cert::time::Validity::from_now(std::time::Duration::from_secs(3600))
                .map_err(|e| e.to_string())?,
            subject: name,
            subject_public_key_info: spki(&key)?,
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions: None,
        };
        let der = tbs.to_der().map_err(|e| e.to_string())?;
        let signature = super::crypto::sign_rsa(&key, Digest::Sha256, &der)?;
        let certificate = Certificate {
            signature_algorithm: tbs.signature.clone(),
            tbs_certificate: tbs,
            signature: BitString::from_bytes(&signature).map_err(|e| e.to_string())?,
        };
        Ok(Self { key, certificate })
    }

    /// A PKCS #10 request for `subject` with this device's key and, if
    /// given, a `challengePassword`: DER.
    pub fn certificate_request(
        &self,
        subject: &str,
        challenge: Option<&str>,
    ) -> Result<Vec<u8>, String> {
        let mut attributes = SetOfVec::new();
        if let Some(c) = challenge {
            // PrintableString when the password fits it, UTF8String otherwise.
            let value = match PrintableString::new(c) {
                Ok(p) => Any::encode_from(&p),
                Err(_) => der::asn1::Utf8StringRef::new(c).and_then(|u| Any::encode_from(&u)),
            }
            .map_err(|e| e.to_string())?;
            attributes
                .insert(Attribute {
                    oid: oid::CHALLENGE_PASSWORD,
                    values: SetOfVec::try_from(vec![value]).map_err(|e| e.to_string())?,
                })
                .map_err(|e| e.to_string())?;
        }
        let info = CertReqInfo {
            version: x509_cert::request::Version::V1,
            subject: Name::from_str(subject).map_err(|e| format!("bad subject: {e}"))?,
            public_key: spki(&self.key)?,
            attributes,
        };
        let der = info.to_der().map_err(|e| e.to_string())?;
        let signature = super::crypto::sign_rsa(&self.key, Digest::Sha256, &der)?;
        CertReq {
            info,
            algorithm: Digest::Sha256.rsa_signature_algorithm(),
            signature: BitString::from_bytes(&signature).map_err(|e| e.to_string())?,
        }
        .to_der()
        .map_err(|e| e.to_string())
    }

    /// A signed PKI message of `message_type` whose envelope holds `inner`
    /// encrypted to `ca` with `cipher`. Returns the DER and the sender nonce.
    pub fn pki_message(
        &self,
        ca: &Certificate,
        message_type: MessageType,
        transaction_id: &str,
        inner: &[u8],
        digest: Digest,
        cipher: Cipher,
    ) -> Result<(Vec<u8>, Vec<u8>), String> {
        let envelope = envelope::seal(
            inner,
            &envelope::issuer_and_serial(ca)?,
            &ca.tbs_certificate.subject_public_key_info,
            cipher,
        )?;
        let nonce = super::crypto::random_bytes(16);
        let der = message::sign(
            &Outgoing {
                message_type,
                transaction_id,
                sender_nonce: &nonce,
                recipient_nonce: None,
                pki_status: None,
                fail_info: None,
                fail_info_text: None,
                content: Some(&envelope),
            },
            &self.certificate,
            &self.key,
            digest,
        )?;
        Ok((der, nonce))
    }

    /// Reads a `CertRep` from `ca`: checks its signature and signer, and
    /// decrypts the issued certificate.
    pub fn read_reply(&self, der: &[u8], ca: &Certificate) -> Result<Reply, String> {
        let reply = message::parse(der).map_err(|e| e.to_string())?;
        if reply.message_type != MessageType::CertRep {
            return Err(format!(
                "the reply is messageType {}",
                reply.message_type.as_str()
            ));
        }
        if reply.signer.der != ca.to_der().map_err(|e| e.to_string())? {
            return Err("the reply is not signed by the CA".into());
        }
        match reply.signature {
            Ok(()) => {}
            Err(SignatureError::Algorithm) => return Err("reply signature algorithm".into()),
            Err(SignatureError::Invalid) => return Err("the reply's signature is bad".into()),
        }
        let certificate = match (&reply.pki_status, &reply.content) {
            (Some(PkiStatus::Success), Some(content)) => {
                let inner = envelope::open(content, &self.certificate, &self.key)
                    .map_err(|e| e.to_string())?;
                message::certificates_of(&inner)
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .next()
            }
            _ => None,
        };
        Ok(Reply {
            status: reply.pki_status,
            fail_info: reply.fail_info,
            fail_info_text: reply.fail_info_text,
            transaction_id: reply.transaction_id,
            recipient_nonce: reply.recipient_nonce,
            certificate,
        })
    }
}

/// A `CertRep` as read by the requester.
#[derive(Clone, Debug)]
pub struct Reply {
    /// `pkiStatus`.
    pub status: Option<PkiStatus>,
    /// `failInfo`.
    pub fail_info: Option<FailInfo>,
    /// `failInfoText`.
    pub fail_info_text: Option<String>,
    /// `transactionID`.
    pub transaction_id: String,
    /// `recipientNonce`.
    pub recipient_nonce: Option<Vec<u8>>,
    /// The issued certificate (SUCCESS).
    pub certificate: Option<Certificate>,
}
