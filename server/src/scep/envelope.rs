//! The `pkcsPKIEnvelope` (RFC 8894 section 3.2.2): a CMS EnvelopedData with
//! one RSA key-transport recipient and a CBC content cipher.

use super::crypto::{self, Cipher, PrivateKey};
use super::oid;
use super::tlv::{put_tlv, tlv};
use cms::cert::IssuerAndSerialNumber;
use cms::content_info::CmsVersion;
use cms::enveloped_data::{
    EncryptedContentInfo, EnvelopedData, RecipientIdentifier, RecipientInfo,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode as _};
use x509_cert::Certificate;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// Why an envelope could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// Not a DER EnvelopedData.
    Malformed(String),
    /// None of its recipients is this certificate.
    WrongRecipient,
    /// A key-transport or content-encryption algorithm this server lacks.
    Algorithm(String),
    /// The key or content does not decrypt.
    Decrypt,
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(m) => write!(f, "the pkcsPKIEnvelope is malformed: {m}"),
            Self::WrongRecipient => f.write_str(
                "the pkcsPKIEnvelope is not encrypted to this CA's certificate (wrong recipient)",
            ),
            Self::Algorithm(a) => write!(f, "unsupported algorithm in the pkcsPKIEnvelope: {a}"),
            Self::Decrypt => f.write_str("the pkcsPKIEnvelope does not decrypt"),
        }
    }
}

/// The cipher an envelope's content was encrypted with, when it is one this
/// server supports (responses mirror the request's cipher).
pub fn cipher_of(envelope: &[u8]) -> Option<Cipher> {
    let env = enveloped_data(envelope).ok()?;
    Cipher::from_oid(&env.encrypted_content.content_enc_alg.oid)
}

/// Some clients (Go's PKCS #7 package, which micromdm's scepclient uses)
/// send the encrypted content as a constructed `[0]` around OCTET STRINGs,
/// a BER form DER forbids. Rewrites that one field as the primitive DER
/// form; anything else is returned unchanged for the DER decoder to judge.
fn normalize(der: &[u8]) -> Option<Vec<u8>> {
    let (0x30, info, b"") = tlv(der)? else {
        return None;
    };
    let (0x06, oid, rest) = tlv(info)? else {
        return None;
    };
    let (0xa0, explicit, b"") = tlv(rest)? else {
        return None;
    };
    let (0x30, mut fields, b"") = tlv(explicit)? else {
        return None;
    };
    let mut env = Vec::new();
    let mut rewritten = false;
    while !fields.is_empty() {
        let (tag, value, rest) = tlv(fields)?;
        fields = rest;
        if tag == 0x30 && !rewritten {
            // EncryptedContentInfo: contentType, algorithm, [0] content.
            let (t1, v1, r) = tlv(value)?;
            let (t2, v2, r) = tlv(r)?;
            let mut eci = Vec::new();
            put_tlv(&mut eci, t1, v1);
            put_tlv(&mut eci, t2, v2);
            if let Some((0xa0, mut chunks, b"")) = tlv(r) {
                let mut content = Vec::new();
                while !chunks.is_empty() {
                    let (0x04, chunk, rest) = tlv(chunks)? else {
                        return None;
                    };
                    content.extend_from_slice(chunk);
                    chunks = rest;
                }
                put_tlv(&mut eci, 0x80, &content);
                rewritten = true;
            } else {
                eci.extend_from_slice(r);
            }
            put_tlv(&mut env, 0x30, &eci);
        } else {
            put_tlv(&mut env, tag, value);
        }
    }
    if !rewritten {
        return None;
    }
    let mut explicit = Vec::new();
    put_tlv(&mut explicit, 0x30, &env);
    let mut info = Vec::new();
    put_tlv(&mut info, 0x06, oid);
    put_tlv(&mut info, 0xa0, &explicit);
    let mut out = Vec::new();
    put_tlv(&mut out, 0x30, &info);
    Some(out)
}

fn enveloped_data(der: &[u8]) -> Result<EnvelopedData, OpenError> {
    let normalized = normalize(der);
    let der = normalized.as_deref().unwrap_or(der);
    let info = cms::content_info::ContentInfo::from_der(der)
        .map_err(|e| OpenError::Malformed(e.to_string()))?;
    if info.content_type != oid::ENVELOPED_DATA {
        return Err(OpenError::Malformed(format!(
            "content type {} is not EnvelopedData",
            info.content_type
        )));
    }
    info.content
        .decode_as::<EnvelopedData>()
        .map_err(|e| OpenError::Malformed(e.to_string()))
}

/// Decrypts an envelope addressed to `certificate`, whose key is `key`.
pub fn open(
    envelope: &[u8],
    certificate: &Certificate,
    key: &PrivateKey,
) -> Result<Vec<u8>, OpenError> {
    let env = enveloped_data(envelope)?;
    let ours = IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    };
    let ktri = env
        .recip_infos
        .0
        .iter()
        .find_map(|ri| match ri {
            RecipientInfo::Ktri(k)
                if matches!(&k.rid, RecipientIdentifier::IssuerAndSerialNumber(id) if *id == ours) =>
            {
                Some(k)
            }
            _ => None,
        })
        .ok_or(OpenError::WrongRecipient)?;
    if ktri.key_enc_alg.oid != oid::RSA_ENCRYPTION {
        return Err(OpenError::Algorithm(format!(
            "key encryption {}",
            ktri.key_enc_alg.oid
        )));
    }
    let alg = &env.encrypted_content.content_enc_alg;
    let cipher = Cipher::from_oid(&alg.oid)
        .ok_or_else(|| OpenError::Algorithm(format!("content encryption {}", alg.oid)))?;
    let ciphertext = env
        .encrypted_content
        .encrypted_content
        .as_ref()
        .ok_or_else(|| OpenError::Malformed("the encrypted content is absent".into()))?;
    let cek = crypto::rsa_decrypt(key, ktri.enc_key.as_bytes()).ok_or(OpenError::Decrypt)?;
    cipher
        .decrypt(alg.parameters.as_ref(), &cek, ciphertext.as_bytes())
        .ok_or(OpenError::Decrypt)
}

/// The DER `IssuerAndSerialNumber` of a certificate.
pub fn issuer_and_serial(certificate: &Certificate) -> Result<Vec<u8>, String> {
    der::Encode::to_der(&IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    })
    .map_err(|e| format!("cannot encode the recipient: {e}"))
}

/// A key-transport recipient whose identifier is kept as DER, so that any
/// serial number length the requester used is sent back as it was.
#[derive(Clone, Debug, der::Sequence)]
struct OutgoingKtri {
    version: CmsVersion,
    rid: Any,
    key_enc_alg: AlgorithmIdentifierOwned,
    enc_key: OctetString,
}

#[derive(Clone, Debug, der::Sequence)]
struct OutgoingEnvelopedData {
    version: CmsVersion,
    recip_infos: SetOfVec<Any>,
    encrypted_content: EncryptedContentInfo,
}

/// Encrypts `content` with `cipher` to the holder of `public_key`, named by
/// its DER `IssuerAndSerialNumber`: DER `ContentInfo`.
pub fn seal(
    content: &[u8],
    issuer_and_serial: &[u8],
    public_key: &SubjectPublicKeyInfoOwned,
    cipher: Cipher,
) -> Result<Vec<u8>, String> {
    let key = crypto::rsa_public_key(public_key)?;
    let (cek, content_enc_alg, ciphertext) = cipher.encrypt(content);
    let enc_key = crypto::rsa_encrypt(&key, &cek)?;
    let build = || -> der::Result<OutgoingEnvelopedData> {
        let ktri = OutgoingKtri {
            version: CmsVersion::V0,
            rid: Any::from_der(issuer_and_serial)?,
            key_enc_alg: AlgorithmIdentifierOwned {
                oid: oid::RSA_ENCRYPTION,
                parameters: Some(Any::null()),
            },
            enc_key: OctetString::new(enc_key)?,
        };
        Ok(OutgoingEnvelopedData {
            version: CmsVersion::V0,
            recip_infos: SetOfVec::try_from(vec![Any::encode_from(&ktri)?])?,
            encrypted_content: EncryptedContentInfo {
                content_type: oid::DATA,
                content_enc_alg,
                encrypted_content: Some(OctetString::new(ciphertext)?),
            },
        })
    };
    let env = build().map_err(|e| format!("cannot encode the envelope: {e}"))?;
    super::message::content_info(oid::ENVELOPED_DATA, &env)
}
