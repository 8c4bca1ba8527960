//! The local test CA that stands in for a connector's AWS Private CA: one
//! RSA key and self-signed certificate per `CertificateAuthorityArn`, which
//! also signs and decrypts SCEP messages (no separate RA certificate), and
//! certificate requests (PKCS #10) checked and turned into certificates.

use super::crypto::{self, Digest, PrivateKey};
use super::oid;
use der::asn1::{BitString, GeneralizedTime, OctetString, UtcTime};
use der::{Decode as _, Encode as _, Tag, Tagged as _};
use std::str::FromStr as _;
use std::time::Duration;
use x509_cert::Certificate;
use x509_cert::certificate::{TbsCertificate, Version};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::request::CertReq;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

/// Size of CA keys.
pub const CA_KEY_BITS: usize = 2048;
/// Smallest RSA key accepted in a request.
pub const MIN_REQUEST_KEY_BITS: usize = 2048;
/// How long a CA certificate is valid.
pub const CA_VALIDITY: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
/// How long an issued certificate is valid.
pub const CERT_VALIDITY: Duration = Duration::from_secs(365 * 24 * 3600);
/// How far back `notBefore` is set, for clients whose clock is a little late.
pub const BACKDATE: Duration = Duration::from_secs(5 * 60);

/// A local CA.
pub struct LocalCa {
    /// Its signing and decryption key, parsed once.
    pub key: PrivateKey,
    /// Its self-signed certificate.
    pub certificate: Certificate,
    /// The certificate's DER.
    pub certificate_der: Vec<u8>,
    key_id: Vec<u8>,
}

/// A new CA, and its key as PKCS #8 DER to persist.
pub struct Generated {
    /// The CA.
    pub ca: LocalCa,
    /// Its key, PKCS #8 DER.
    pub key_der: Vec<u8>,
}

fn x509_time(unix_secs: u64) -> der::Result<Time> {
    let d = Duration::from_secs(unix_secs);
    // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
    match UtcTime::from_unix_duration(d) {
        Ok(t) => Ok(Time::UtcTime(t)),
        Err(_) => Ok(Time::GeneralTime(GeneralizedTime::from_unix_duration(d)?)),
    }
}

fn validity(now_secs: u64, lifetime: Duration) -> der::Result<Validity> {
    Ok(Validity {
        not_before: x509_time(now_secs.saturating_sub(BACKDATE.as_secs()))?,
        not_after: x509_time(now_secs + lifetime.as_secs())?,
    })
}

/// The key identifier of a public key: SHA-1 of the key bits (RFC 5280
/// section 4.2.1.2, method 1).
fn key_id(spki: &SubjectPublicKeyInfoOwned) -> Vec<u8> {
    Digest::Sha1.hash(spki.subject_public_key.raw_bytes())
}

fn extension(
    id: der::asn1::ObjectIdentifier,
    critical: bool,
    value: &impl der::Encode,
) -> der::Result<Extension> {
    Ok(Extension {
        extn_id: id,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

/// A serial number from a positive counter.
pub fn serial_number(n: u64) -> der::Result<SerialNumber> {
    let bytes = n.to_be_bytes();
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(7);
    let mut v = Vec::with_capacity(9);
    if bytes[first] & 0x80 != 0 {
        v.push(0);
    }
    v.extend_from_slice(&bytes[first..]);
    SerialNumber::new(&v)
}

/// The serial number as lowercase hex (how the store records it).
pub fn serial_hex(serial: &SerialNumber) -> String {
    serial
        .as_bytes()
        .iter()
        .skip_while(|&&b| b == 0)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The DER of the first element of a SEQUENCE (the signed part of a
/// certificate or request), exactly as received.
fn signed_part(der: &[u8]) -> Result<&[u8], String> {
    use der::Reader as _;
    let mut reader = der::SliceReader::new(der).map_err(|e| e.to_string())?;
    let header = der::Header::decode(&mut reader).map_err(|e| e.to_string())?;
    if header.tag != Tag::Sequence {
        return Err("not a SEQUENCE".into());
    }
    reader.tlv_bytes().map_err(|e| e.to_string())
}

impl LocalCa {
    /// A new CA for `ca_arn`, valid from `now_secs` (Unix seconds).
    pub fn generate(ca_arn: &str, now_secs: u64) -> Result<Generated, String> {
        let key = PrivateKey::generate(CA_KEY_BITS)
            .map_err(|e| format!("cannot generate the CA key: {e}"))?;
        let key_der = key.pkcs8_der().to_vec();
        let spki = key.public_key_info().clone();
        let id = ca_arn.rsplit('/').next().unwrap_or(ca_arn);
        let id: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let name = Name::from_str(&format!(
            "CN=Local test CA {id},O=pca-connector-scep-server"
        ))
        .map_err(|e| format!("cannot make the CA name: {e}"))?;
        let ski = key_id(&spki);
        let build = || -> der::Result<TbsCertificate> {
            Ok(TbsCertificate {
                version: Version::V3,
                serial_number: serial_number(1)?,
                signature: Digest::Sha256.rsa_signature_algorithm(),
                issuer: name.clone(),
                validity: validity(now_secs, CA_VALIDITY)?,
                subject: name.clone(),
                subject_public_key_info: spki.clone(),
                issuer_unique_id: None,
                subject_unique_id: None,
                extensions: Some(vec![
                    extension(
                        oid::BASIC_CONSTRAINTS,
                        true,
                        &BasicConstraints {
                            ca: true,
                            path_len_constraint: Some(0),
                        },
                    )?,
                    // The CA certificate also signs and decrypts SCEP
                    // messages (it is its own RA).
                    extension(
                        oid::KEY_USAGE,
                        true,
                        &KeyUsage(
                            KeyUsages::KeyCertSign
                                | KeyUsages::CRLSign
                                | KeyUsages::DigitalSignature
                                | KeyUsages::KeyEncipherment,
                        ),
                    )?,
                    extension(
                        oid::SUBJECT_KEY_ID,
                        false,
                        &SubjectKeyIdentifier(OctetString::new(ski.clone())?),
                    )?,
                ]),
            })
        };
        let tbs = build().map_err(|e| format!("cannot encode the CA certificate: {e}"))?;
        let certificate = sign_tbs(&key, tbs)?;
        let certificate_der = certificate
            .to_der()
            .map_err(|e| format!("cannot encode the CA certificate: {e}"))?;
        Ok(Generated {
            ca: LocalCa {
                key,
                certificate,
                certificate_der,
                key_id: ski,
            },
            key_der,
        })
    }

    /// The CA as stored: PKCS #8 key and certificate, both DER.
    pub fn load(key_der: &[u8], certificate_der: &[u8]) -> Result<Self, String> {
        let key = PrivateKey::from_pkcs8(key_der)
            .map_err(|e| format!("the stored CA key is unreadable: {e}"))?;
        let certificate = Certificate::from_der(certificate_der)
            .map_err(|e| format!("the stored CA certificate is unreadable: {e}"))?;
        let key_id = key_id(&certificate.tbs_certificate.subject_public_key_info);
        Ok(Self {
            key,
            certificate,
            certificate_der: certificate_der.to_vec(),
            key_id,
        })
    }

    /// Issues a certificate for a checked request: the request's subject and
    /// public key, `serial`, valid for [`CERT_VALIDITY`] from `now_secs`,
    /// for client authentication.
    pub fn issue(
        &self,
        request: &CertReq,
        serial: u64,
        now_secs: u64,
    ) -> Result<Certificate, String> {
        let spki = &request.info.public_key;
        let build = || -> der::Result<TbsCertificate> {
            let mut extensions = vec![
                extension(
                    oid::BASIC_CONSTRAINTS,
                    true,
                    &BasicConstraints {
                        ca: false,
                        path_len_constraint: None,
                    },
                )?,
                extension(
                    oid::KEY_USAGE,
                    true,
                    &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment),
                )?,
                extension(
                    oid::EXT_KEY_USAGE,
                    false,
                    &ExtendedKeyUsage(vec![oid::CLIENT_AUTH]),
                )?,
                extension(
                    oid::SUBJECT_KEY_ID,
                    false,
                    &SubjectKeyIdentifier(OctetString::new(key_id(spki))?),
                )?,
                extension(
                    oid::AUTHORITY_KEY_ID,
                    false,
                    &AuthorityKeyIdentifier {
                        key_identifier: Some(OctetString::new(self.key_id.clone())?),
                        authority_cert_issuer: None,
                        authority_cert_serial_number: None,
                    },
                )?,
            ];
            // A subject alternative name the device asked for is kept.
            if let Some(san) = requested_extensions(request)
                .into_iter()
                .find(|e| e.extn_id == oid::SUBJECT_ALT_NAME)
            {
                extensions.push(san);
            }
            Ok(TbsCertificate {
                version: Version::V3,
                serial_number: serial_number(serial)?,
                signature: Digest::Sha256.rsa_signature_algorithm(),
                issuer: self.certificate.tbs_certificate.subject.clone(),
                validity: validity(now_secs, CERT_VALIDITY)?,
                subject: request.info.subject.clone(),
                subject_public_key_info: spki.clone(),
                issuer_unique_id: None,
                subject_unique_id: None,
                extensions: Some(extensions),
            })
        };
        let tbs = build().map_err(|e| format!("cannot encode the certificate: {e}"))?;
        sign_tbs(&self.key, tbs)
    }

    /// Whether `certificate` was issued by this CA (its signature verifies
    /// with the CA key) and is valid at `now_secs`.
    pub fn issued(&self, certificate: &Certificate, now_secs: u64) -> bool {
        let Ok(der) = certificate.to_der() else {
            return false;
        };
        let Ok(tbs) = signed_part(&der) else {
            return false;
        };
        let Ok(key) =
            crypto::rsa_public_key(&self.certificate.tbs_certificate.subject_public_key_info)
        else {
            return false;
        };
        let validity = &certificate.tbs_certificate.validity;
        let now = Duration::from_secs(now_secs);
        certificate.tbs_certificate.issuer == self.certificate.tbs_certificate.subject
            && validity.not_before.to_unix_duration() <= now
            && now <= validity.not_after.to_unix_duration()
            && crypto::verify_rsa(
                &key,
                &certificate.signature_algorithm.oid,
                Digest::Sha256,
                tbs,
                certificate.signature.raw_bytes(),
            )
            .is_ok()
    }
}

fn sign_tbs(key: &PrivateKey, tbs: TbsCertificate) -> Result<Certificate, String> {
    let der = tbs
        .to_der()
        .map_err(|e| format!("cannot encode the certificate: {e}"))?;
    let signature = crypto::sign_rsa(key, Digest::Sha256, &der)?;
    Ok(Certificate {
        signature_algorithm: tbs.signature.clone(),
        tbs_certificate: tbs,
        signature: BitString::from_bytes(&signature)
            .map_err(|e| format!("cannot encode the signature: {e}"))?,
    })
}

/// Extensions the request asks for (`extensionRequest`).
fn requested_extensions(request: &CertReq) -> Vec<Extension> {
    request
        .info
        .attributes
        .iter()
        .filter(|a| a.oid == oid::EXTENSION_REQUEST)
        .flat_map(|a| a.values.iter())
        .filter_map(|v| v.decode_as::<Vec<Extension>>().ok())
        .flatten()
        .collect()
}

/// A certificate request whose signature verified.
#[derive(Clone, Debug)]
pub struct CheckedRequest {
    /// The request.
    pub request: CertReq,
    /// Its `challengePassword`, if it has one.
    pub challenge_password: Option<String>,
}

/// Decodes a PKCS #10 request, checks its self-signature and key, and reads
/// its challenge password. The error says what is wrong.
pub fn check_request(der: &[u8]) -> Result<CheckedRequest, String> {
    let request =
        CertReq::from_der(der).map_err(|e| format!("the certificate request is malformed: {e}"))?;
    let info =
        signed_part(der).map_err(|e| format!("the certificate request is malformed: {e}"))?;
    let key = crypto::rsa_public_key(&request.info.public_key)?;
    let bits = key.bits();
    if bits < MIN_REQUEST_KEY_BITS {
        return Err(format!(
            "the request's RSA key has {bits} bits; at least {MIN_REQUEST_KEY_BITS} are required"
        ));
    }
    let digest = match request.algorithm.oid {
        oid::SHA1_WITH_RSA => Digest::Sha1,
        oid::SHA256_WITH_RSA => Digest::Sha256,
        oid::SHA512_WITH_RSA => Digest::Sha512,
        other => return Err(format!("unsupported request signature algorithm {other}")),
    };
    crypto::verify_rsa(
        &key,
        &request.algorithm.oid,
        digest,
        info,
        request.signature.raw_bytes(),
    )
    .map_err(|_| "the certificate request's signature does not verify".to_owned())?;
    let mut challenge_password = None;
    for attribute in request.info.attributes.iter() {
        if attribute.oid != oid::CHALLENGE_PASSWORD {
            continue;
        }
        let value = attribute
            .values
            .iter()
            .next()
            .ok_or("the challengePassword attribute is empty")?;
        match value.tag() {
            Tag::PrintableString | Tag::Utf8String | Tag::Ia5String | Tag::TeletexString => {
                challenge_password = Some(
                    std::str::from_utf8(value.value())
                        .map_err(|_| "the challengePassword is not text")?
                        .to_owned(),
                );
            }
            other => return Err(format!("the challengePassword is a {other}, not a string")),
        }
    }
    Ok(CheckedRequest {
        request,
        challenge_password,
    })
}
