//! Object identifiers used by SCEP (RFC 8894), CMS (RFC 5652), PKCS #9 and
//! X.509 (RFC 5280).

use der::asn1::ObjectIdentifier as Oid;

/// CMS `id-data`.
pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
/// CMS `id-signedData`.
pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// CMS `id-envelopedData`.
pub const ENVELOPED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.3");

/// PKCS #9 `contentType` attribute.
pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
/// PKCS #9 `messageDigest` attribute.
pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
/// PKCS #9 `signingTime` attribute.
pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
/// PKCS #9 `challengePassword` attribute (in a CSR).
pub const CHALLENGE_PASSWORD: Oid = Oid::new_unwrap("1.2.840.113549.1.9.7");
/// PKCS #9 `extensionRequest` attribute (in a CSR).
pub const EXTENSION_REQUEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.14");

/// SCEP `messageType`.
pub const MESSAGE_TYPE: Oid = Oid::new_unwrap("2.16.840.1.113733.1.9.2");
/// SCEP `pkiStatus`.
pub const PKI_STATUS: Oid = Oid::new_unwrap("2.16.840.1.113733.1.9.3");
/// SCEP `failInfo`.
pub const FAIL_INFO: Oid = Oid::new_unwrap("2.16.840.1.113733.1.9.4");
/// SCEP `senderNonce`.
pub const SENDER_NONCE: Oid = Oid::new_unwrap("2.16.840.1.113733.1.9.5");
/// SCEP `recipientNonce`.
pub const RECIPIENT_NONCE: Oid = Oid::new_unwrap("2.16.840.1.113733.1.9.6");
/// SCEP `transactionID`.
pub const TRANSACTION_ID: Oid = Oid::new_unwrap("2.16.840.1.113733.1.9.7");
/// RFC 8894 `failInfoText`.
pub const FAIL_INFO_TEXT: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.24.1");

/// `rsaEncryption` (also accepted as a signature algorithm, as CMS allows).
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
/// `sha1WithRSAEncryption`.
pub const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
/// `sha256WithRSAEncryption`.
pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
/// `sha512WithRSAEncryption`.
pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");

/// SHA-1.
pub const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
/// SHA-256.
pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
/// SHA-512.
pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

/// AES-128-CBC.
pub const AES128_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.2");
/// AES-192-CBC.
pub const AES192_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.22");
/// AES-256-CBC.
pub const AES256_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.42");
/// DES-EDE3-CBC (triple DES).
pub const DES_EDE3_CBC: Oid = Oid::new_unwrap("1.2.840.113549.3.7");
/// DES-CBC (single DES).
pub const DES_CBC: Oid = Oid::new_unwrap("1.3.14.3.2.7");

/// `basicConstraints`.
pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
/// `keyUsage`.
pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
/// `extKeyUsage`.
pub const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
/// `subjectKeyIdentifier`.
pub const SUBJECT_KEY_ID: Oid = Oid::new_unwrap("2.5.29.14");
/// `authorityKeyIdentifier`.
pub const AUTHORITY_KEY_ID: Oid = Oid::new_unwrap("2.5.29.35");
/// `subjectAltName`.
pub const SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
/// `id-kp-clientAuth`.
pub const CLIENT_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.2");
