//! The PKI message layer of SCEP (RFC 8894 section 3): a CMS SignedData
//! carrying the SCEP attributes (`messageType`, `transactionID`, nonces,
//! `pkiStatus`, `failInfo`) over an optional content, usually an
//! EnvelopedData (`envelope`). Parsing it and building it, for both sides.

use super::crypto::{self, Digest, PrivateKey, SignatureError};
use super::oid;
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, PrintableString, SetOfVec, Utf8StringRef};
use der::{Any, Decode as _, Encode as _, Tag, Tagged as _};
use x509_cert::Certificate;
use x509_cert::attr::{Attribute, Attributes};

/// `messageType` values (RFC 8894 section 3.2.1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageType {
    /// `3`: the server's response.
    CertRep,
    /// `17`: renewal of an existing certificate.
    RenewalReq,
    /// `19`: enrollment.
    PkcsReq,
    /// `20`: polling for a pending enrollment (`GetCertInitial` in older drafts).
    CertPoll,
    /// `21`: retrieve a certificate by issuer and serial.
    GetCert,
    /// `22`: retrieve a CRL.
    GetCrl,
}

impl MessageType {
    /// The decimal string on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CertRep => "3",
            Self::RenewalReq => "17",
            Self::PkcsReq => "19",
            Self::CertPoll => "20",
            Self::GetCert => "21",
            Self::GetCrl => "22",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "3" => Self::CertRep,
            "17" => Self::RenewalReq,
            "19" => Self::PkcsReq,
            "20" => Self::CertPoll,
            "21" => Self::GetCert,
            "22" => Self::GetCrl,
            _ => return None,
        })
    }
}

/// `pkiStatus` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkiStatus {
    /// `0`.
    Success,
    /// `2`.
    Failure,
    /// `3`.
    Pending,
}

impl PkiStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Success => "0",
            Self::Failure => "2",
            Self::Pending => "3",
        }
    }
}

/// `failInfo` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailInfo {
    /// `0`: unrecognized or unsupported algorithm.
    BadAlg,
    /// `1`: integrity check (signature, decryption) failed.
    BadMessageCheck,
    /// `2`: transaction not permitted or supported.
    BadRequest,
    /// `3`: the time was not sufficiently close to the system time.
    BadTime,
    /// `4`: no certificate could be identified matching the criteria.
    BadCertId,
}

impl FailInfo {
    /// The decimal string on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadAlg => "0",
            Self::BadMessageCheck => "1",
            Self::BadRequest => "2",
            Self::BadTime => "3",
            Self::BadCertId => "4",
        }
    }

    /// The name RFC 8894 gives it.
    pub fn name(self) -> &'static str {
        match self {
            Self::BadAlg => "badAlg",
            Self::BadMessageCheck => "badMessageCheck",
            Self::BadRequest => "badRequest",
            Self::BadTime => "badTime",
            Self::BadCertId => "badCertId",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "0" => Self::BadAlg,
            "1" => Self::BadMessageCheck,
            "2" => Self::BadRequest,
            "3" => Self::BadTime,
            "4" => Self::BadCertId,
            _ => return None,
        })
    }
}

/// A PKI message whose structure decoded. Its signature may still be bad:
/// `signature` says, so that the server can answer with a signed failure
/// that carries the requester's transaction ID and nonce.
#[derive(Clone, Debug)]
pub struct Signed {
    /// `messageType`.
    pub message_type: MessageType,
    /// `transactionID`.
    pub transaction_id: String,
    /// `senderNonce` (absent only in some responses).
    pub sender_nonce: Option<Vec<u8>>,
    /// `recipientNonce` (responses).
    pub recipient_nonce: Option<Vec<u8>>,
    /// `pkiStatus` (responses).
    pub pki_status: Option<PkiStatus>,
    /// `failInfo` (failed responses).
    pub fail_info: Option<FailInfo>,
    /// `failInfoText` (failed responses).
    pub fail_info_text: Option<String>,
    /// The certificate that signed the message.
    pub signer: Signer,
    /// The digest algorithm of the signature.
    pub digest: Option<Digest>,
    /// The signed content (usually a DER `ContentInfo` of an EnvelopedData).
    pub content: Option<Vec<u8>>,
    /// Whether the signature verified.
    pub signature: Result<(), SignatureError>,
}

/// The certificate that signed a message. Its serial number may be longer
/// than RFC 5280's 20 octets (certmonger's self-signed certificates have 32),
/// so it is kept as sent, with what SCEP needs read from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signer {
    /// The certificate's DER.
    pub der: Vec<u8>,
    /// Its `IssuerAndSerialNumber`, DER: how replies address it.
    pub issuer_and_serial: Vec<u8>,
    /// Its public key.
    pub public_key: x509_cert::spki::SubjectPublicKeyInfoOwned,
}

impl Signer {
    /// The certificate as an RFC 5280 one (`None` when it isn't: a
    /// certificate of the local CA always is).
    pub fn certificate(&self) -> Option<Certificate> {
        Certificate::from_der(&self.der).ok()
    }
}

/// A SignedData as [`SignedData`], but keeping certificates and the signer
/// identifier as sent (see [`Signer`]).
#[derive(Clone, Debug, der::Sequence)]
struct LenientSignedData {
    version: CmsVersion,
    digest_algorithms: SetOfVec<x509_cert::spki::AlgorithmIdentifierOwned>,
    encap_content_info: EncapsulatedContentInfo,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    certificates: Option<Vec<Any>>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    crls: Option<Vec<Any>>,
    /// SET OF SignerInfo, read by [`signer_infos`].
    signer_infos: Any,
}

fn signer_infos(set: &Any) -> Result<Vec<LenientSignerInfo>, Malformed> {
    use der::{Decode as _, Reader as _};
    if set.tag() != Tag::Set {
        return Err(malformed("the SignedData's signerInfos is not a SET"));
    }
    let mut reader = der::SliceReader::new(set.value())
        .map_err(|e| malformed(format!("the signerInfos are malformed: {e}")))?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(
            LenientSignerInfo::decode(&mut reader)
                .map_err(|e| malformed(format!("a SignerInfo is malformed: {e}")))?,
        );
    }
    Ok(out)
}

#[derive(Clone, Debug, der::Sequence)]
struct LenientSignerInfo {
    version: CmsVersion,
    sid: Any,
    digest_alg: x509_cert::spki::AlgorithmIdentifierOwned,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    signed_attrs: Option<Attributes>,
    signature_algorithm: x509_cert::spki::AlgorithmIdentifierOwned,
    signature: OctetString,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    unsigned_attrs: Option<Attributes>,
}

/// An `IssuerAndSerialNumber` whose serial number may have any length.
#[derive(Clone, Debug, der::Sequence)]
struct AnyIssuerAndSerial {
    issuer: Any,
    serial_number: Any,
}

/// `(serial number, issuer, public key)` of a certificate, whatever its
/// serial number's length; the rest of the certificate is not read.
fn certificate_identity(
    der: &[u8],
) -> der::Result<(Any, Any, x509_cert::spki::SubjectPublicKeyInfoOwned)> {
    use der::{Decode as _, Reader as _};
    let mut reader = der::SliceReader::new(der)?;
    let outer = der::Header::decode(&mut reader)?;
    outer.tag.assert_eq(Tag::Sequence)?;
    let tbs = der::Header::decode(&mut reader)?;
    tbs.tag.assert_eq(Tag::Sequence)?;
    if reader.peek_tag()?.is_context_specific() {
        reader.tlv_bytes()?; // version
    }
    let serial = Any::decode(&mut reader)?;
    let _signature = Any::decode(&mut reader)?;
    let issuer = Any::decode(&mut reader)?;
    let _validity = Any::decode(&mut reader)?;
    let _subject = Any::decode(&mut reader)?;
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::decode(&mut reader)?;
    Ok((serial, issuer, spki))
}

/// The message is not a SCEP PKI message at all: the answer is HTTP 400.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub String);

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn malformed(what: impl Into<String>) -> Malformed {
    Malformed(what.into())
}

/// The first value of the signed attribute `oid`.
fn attribute<'a>(attrs: &'a Attributes, oid: &der::asn1::ObjectIdentifier) -> Option<&'a Any> {
    attrs
        .iter()
        .find(|a| &a.oid == oid)
        .and_then(|a| a.values.iter().next())
}

/// A string attribute (PrintableString; UTF8String accepted too).
fn string_attribute(
    attrs: &Attributes,
    oid: &der::asn1::ObjectIdentifier,
    name: &str,
) -> Result<Option<String>, Malformed> {
    let Some(value) = attribute(attrs, oid) else {
        return Ok(None);
    };
    match value.tag() {
        Tag::PrintableString | Tag::Utf8String | Tag::Ia5String => {
            std::str::from_utf8(value.value())
                .map(|s| Some(s.to_owned()))
                .map_err(|_| malformed(format!("the {name} attribute is not text")))
        }
        other => Err(malformed(format!(
            "the {name} attribute is a {other}, not a PrintableString"
        ))),
    }
}

fn octets_attribute(
    attrs: &Attributes,
    oid: &der::asn1::ObjectIdentifier,
    name: &str,
) -> Result<Option<Vec<u8>>, Malformed> {
    let Some(value) = attribute(attrs, oid) else {
        return Ok(None);
    };
    if value.tag() != Tag::OctetString {
        return Err(malformed(format!(
            "the {name} attribute is not an OCTET STRING"
        )));
    }
    Ok(Some(value.value().to_vec()))
}

/// Decodes a DER `ContentInfo` holding a SignedData.
pub fn signed_data(der: &[u8]) -> Result<SignedData, Malformed> {
    let info = ContentInfo::from_der(der)
        .map_err(|e| malformed(format!("the message is not a DER CMS ContentInfo: {e}")))?;
    if info.content_type != oid::SIGNED_DATA {
        return Err(malformed(format!(
            "the message is a CMS {}, not a SignedData",
            info.content_type
        )));
    }
    info.content
        .decode_as::<SignedData>()
        .map_err(|e| malformed(format!("the SignedData is malformed: {e}")))
}

/// Parses a PKI message and checks its signature.
pub fn parse(der: &[u8]) -> Result<Signed, Malformed> {
    let info = ContentInfo::from_der(der)
        .map_err(|e| malformed(format!("the message is not a DER CMS ContentInfo: {e}")))?;
    if info.content_type != oid::SIGNED_DATA {
        return Err(malformed(format!(
            "the message is a CMS {}, not a SignedData",
            info.content_type
        )));
    }
    let sd: LenientSignedData = info
        .content
        .decode_as()
        .map_err(|e| malformed(format!("the SignedData is malformed: {e}")))?;
    let content = match &sd.encap_content_info.econtent {
        None => None,
        Some(any) if any.tag() == Tag::OctetString => Some(any.value().to_vec()),
        Some(any) => {
            return Err(malformed(format!(
                "the signed content is a {}, not an OCTET STRING",
                any.tag()
            )));
        }
    };
    let signers = signer_infos(&sd.signer_infos)?;
    let [si] = signers.as_slice() else {
        return Err(malformed("the SignedData must have exactly one signer"));
    };
    if si.sid.tag() != Tag::Sequence {
        return Err(malformed(
            "the signer is identified by key identifier; SCEP uses issuer and serial number",
        ));
    }
    let sid: AnyIssuerAndSerial = si
        .sid
        .decode_as()
        .map_err(|e| malformed(format!("the signer identifier is malformed: {e}")))?;
    let signer = sd
        .certificates
        .iter()
        .flatten()
        .filter(|c| c.tag() == Tag::Sequence)
        .find_map(|c| {
            let der = c.to_der().ok()?;
            let (serial, issuer, public_key) = certificate_identity(&der).ok()?;
            (issuer == sid.issuer && serial == sid.serial_number).then(|| Signer {
                der,
                issuer_and_serial: si.sid.to_der().unwrap_or_default(),
                public_key,
            })
        })
        .ok_or_else(|| malformed("the signer's certificate is not in the message"))?;
    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or_else(|| malformed("the signer has no signed attributes"))?;
    let message_type = string_attribute(attrs, &oid::MESSAGE_TYPE, "messageType")?
        .ok_or_else(|| malformed("the messageType attribute is missing"))?;
    let message_type = MessageType::parse(&message_type)
        .ok_or_else(|| malformed(format!("unknown messageType `{message_type}`")))?;
    let transaction_id = string_attribute(attrs, &oid::TRANSACTION_ID, "transactionID")?
        .ok_or_else(|| malformed("the transactionID attribute is missing"))?;
    if transaction_id.is_empty() || transaction_id.len() > 256 {
        return Err(malformed("the transactionID must have 1 to 256 characters"));
    }
    let sender_nonce = octets_attribute(attrs, &oid::SENDER_NONCE, "senderNonce")?;
    let recipient_nonce = octets_attribute(attrs, &oid::RECIPIENT_NONCE, "recipientNonce")?;
    let pki_status = match string_attribute(attrs, &oid::PKI_STATUS, "pkiStatus")?.as_deref() {
        None => None,
        Some("0") => Some(PkiStatus::Success),
        Some("2") => Some(PkiStatus::Failure),
        Some("3") => Some(PkiStatus::Pending),
        Some(other) => return Err(malformed(format!("unknown pkiStatus `{other}`"))),
    };
    let fail_info = match string_attribute(attrs, &oid::FAIL_INFO, "failInfo")? {
        None => None,
        Some(s) => {
            Some(FailInfo::parse(&s).ok_or_else(|| malformed(format!("unknown failInfo `{s}`")))?)
        }
    };
    let fail_info_text = string_attribute(attrs, &oid::FAIL_INFO_TEXT, "failInfoText")?;
    if message_type != MessageType::CertRep && sender_nonce.is_none() {
        return Err(malformed("the senderNonce attribute is missing"));
    }
    let digest = Digest::from_oid(&si.digest_alg.oid);
    let signature = verify(
        si,
        attrs,
        super::tlv::signed_attributes(der),
        digest,
        content.as_deref(),
        &signer,
    );
    Ok(Signed {
        message_type,
        transaction_id,
        sender_nonce,
        recipient_nonce,
        pki_status,
        fail_info,
        fail_info_text,
        signer,
        digest,
        content,
        signature,
    })
}

fn verify(
    si: &LenientSignerInfo,
    attrs: &Attributes,
    raw_attrs: Option<Vec<u8>>,
    digest: Option<Digest>,
    content: Option<&[u8]>,
    signer: &Signer,
) -> Result<(), SignatureError> {
    let digest = digest.ok_or(SignatureError::Algorithm)?;
    let key = crypto::rsa_public_key(&signer.public_key).map_err(|_| SignatureError::Algorithm)?;
    let expected = digest.hash(content.unwrap_or_default());
    let md = attribute(attrs, &oid::MESSAGE_DIGEST).ok_or(SignatureError::Invalid)?;
    if md.tag() != Tag::OctetString || md.value() != expected.as_slice() {
        return Err(SignatureError::Invalid);
    }
    // The signature covers the attributes as the signer encoded them; some
    // clients don't sort them as DER would.
    let signed = match raw_attrs {
        Some(raw) => raw,
        None => attrs.to_der().map_err(|_| SignatureError::Invalid)?,
    };
    crypto::verify_rsa(
        &key,
        &si.signature_algorithm.oid,
        digest,
        &signed,
        si.signature.as_bytes(),
    )
}

/// What to put in an outgoing PKI message.
#[derive(Clone, Debug)]
pub struct Outgoing<'a> {
    /// `messageType`.
    pub message_type: MessageType,
    /// `transactionID`.
    pub transaction_id: &'a str,
    /// `senderNonce`.
    pub sender_nonce: &'a [u8],
    /// `recipientNonce` (responses).
    pub recipient_nonce: Option<&'a [u8]>,
    /// `pkiStatus` (responses).
    pub pki_status: Option<PkiStatus>,
    /// `failInfo` (failures).
    pub fail_info: Option<FailInfo>,
    /// `failInfoText` (failures): a human-readable reason.
    pub fail_info_text: Option<&'a str>,
    /// The content to sign (absent in failures: sent as empty).
    pub content: Option<&'a [u8]>,
}

fn attr(oid: der::asn1::ObjectIdentifier, value: Any) -> der::Result<Attribute> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value])?,
    })
}

fn printable(s: &str) -> der::Result<Any> {
    Any::encode_from(&PrintableString::new(s)?)
}

/// Builds and signs a PKI message: DER `ContentInfo`.
pub fn sign(
    message: &Outgoing<'_>,
    signer: &Certificate,
    key: &PrivateKey,
    digest: Digest,
) -> Result<Vec<u8>, String> {
    let encoding = |e: der::Error| format!("cannot encode the message: {e}");
    let attrs = signed_attributes(message, digest).map_err(encoding)?;
    let signature = crypto::sign_rsa(key, digest, &attrs.to_der().map_err(encoding)?)?;
    let build = || -> der::Result<SignedData> {
        let signer_info = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: signer.tbs_certificate.issuer.clone(),
                serial_number: signer.tbs_certificate.serial_number.clone(),
            }),
            digest_alg: digest.algorithm(),
            signed_attrs: Some(attrs),
            signature_algorithm: digest.rsa_signature_algorithm(),
            signature: OctetString::new(signature)?,
            unsigned_attrs: None,
        };
        Ok(SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![digest.algorithm()])?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: oid::DATA,
                // A message without content (a FAILURE) still carries an
                // empty eContent: OpenSSL's PKCS #7 verification (certmonger)
                // rejects a SignedData whose content is absent.
                econtent: Some(Any::new(
                    Tag::OctetString,
                    message.content.unwrap_or_default(),
                )?),
            },
            certificates: Some(CertificateSet(SetOfVec::try_from(vec![
                CertificateChoices::Certificate(signer.clone()),
            ])?)),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info])?),
        })
    };
    content_info(oid::SIGNED_DATA, &build().map_err(encoding)?)
}

fn signed_attributes(message: &Outgoing<'_>, digest: Digest) -> der::Result<Attributes> {
    let content = message.content.unwrap_or_default();
    let mut attrs = vec![
        attr(oid::CONTENT_TYPE, Any::encode_from(&oid::DATA)?)?,
        attr(
            oid::MESSAGE_DIGEST,
            Any::new(Tag::OctetString, digest.hash(content))?,
        )?,
        attr(oid::MESSAGE_TYPE, printable(message.message_type.as_str())?)?,
        attr(oid::TRANSACTION_ID, printable(message.transaction_id)?)?,
        attr(
            oid::SENDER_NONCE,
            Any::new(Tag::OctetString, message.sender_nonce)?,
        )?,
    ];
    if let Some(n) = message.recipient_nonce {
        attrs.push(attr(oid::RECIPIENT_NONCE, Any::new(Tag::OctetString, n)?)?);
    }
    if let Some(s) = message.pki_status {
        attrs.push(attr(oid::PKI_STATUS, printable(s.as_str())?)?);
    }
    if let Some(f) = message.fail_info {
        attrs.push(attr(oid::FAIL_INFO, printable(f.as_str())?)?);
    }
    if let Some(t) = message.fail_info_text {
        attrs.push(attr(
            oid::FAIL_INFO_TEXT,
            Any::encode_from(&Utf8StringRef::new(t)?)?,
        )?);
    }
    SetOfVec::try_from(attrs)
}

/// DER `ContentInfo` of `content_type` around `content`.
pub fn content_info(
    content_type: der::asn1::ObjectIdentifier,
    content: &(impl der::EncodeValue + der::Tagged),
) -> Result<Vec<u8>, String> {
    let info = ContentInfo {
        content_type,
        content: Any::encode_from(content).map_err(|e| format!("cannot encode: {e}"))?,
    };
    info.to_der().map_err(|e| format!("cannot encode: {e}"))
}

/// A degenerate certs-only SignedData (RFC 8894 section 3.4) holding `certs`.
pub fn certs_only(certs: &[Certificate]) -> Result<Vec<u8>, String> {
    let set = certs
        .iter()
        .cloned()
        .map(CertificateChoices::Certificate)
        .collect::<Vec<_>>();
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::new(),
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: oid::DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(
            SetOfVec::try_from(set).map_err(|e| format!("cannot encode: {e}"))?,
        )),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::new()),
    };
    content_info(oid::SIGNED_DATA, &sd)
}

/// The certificates of a degenerate certs-only SignedData.
pub fn certificates_of(der: &[u8]) -> Result<Vec<Certificate>, Malformed> {
    let sd = signed_data(der)?;
    Ok(sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect())
}

/// `IssuerAndSubject` (the content of `CertPoll`, RFC 8894 section 3.3.3).
#[derive(Clone, Debug, PartialEq, Eq, der::Sequence)]
pub struct IssuerAndSubject {
    /// The CA's name.
    pub issuer: x509_cert::name::Name,
    /// The requested subject.
    pub subject: x509_cert::name::Name,
}

/// Decodes the DER of `T`, naming `what` in the error.
pub fn decode<T: for<'a> der::Decode<'a>>(der: &[u8], what: &str) -> Result<T, String> {
    T::from_der(der).map_err(|e| format!("{what} is malformed: {e}"))
}
