//! AWS Signature Version 4 (SigV4): signing requests ([`sign_request`],
//! [`presign_request`]) and verifying their signatures ([`Verifier`]), on
//! one canonicalization, so that what the client signs is what a server
//! built on this crate checks.
//!
//! A signature is `HMAC(signing key, string to sign)`, where the string to
//! sign is
//!
//! ```text
//! AWS4-HMAC-SHA256 \n X-Amz-Date \n date/region/service/aws4_request \n hex(SHA-256(canonical request))
//! ```
//!
//! and the signing key is derived from the secret, the date, the region
//! and the service ([`signing_key`]). The canonical request is
//!
//! ```text
//! Method \n CanonicalPath \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//! ```
//!
//! with, as every AWS service but S3 computes them:
//!
//! - **path**: the path as it is on the wire (already percent-encoded
//!   once), `/` if empty, normalized ([`normalize_path`]: no `.` or `..`
//!   segments, no repeated slashes), then URI-encoded once more
//!   ([`uri_encode`], `/` kept): `/tags/arn%3Aaws` is signed as
//!   `/tags/arn%253Aaws` ("double encoding"). [`SigningSettings`] turns
//!   both steps off for S3-style signing.
//! - **query**: each `key=value` pair decoded (`+` is a space, malformed
//!   UTF-8 is read as U+FFFD) and encoded again with [`uri_encode`] (`/`
//!   encoded too), sorted by key then value, `key=` for an empty value.
//! - **headers**: names in lower case, sorted; values with leading and
//!   trailing spaces and tabs removed and inner runs of them written as
//!   one space; the values of a repeated header joined by `,`, in order.
//! - **payload hash**: the hex SHA-256 of the body, or the value of the
//!   request's `x-amz-content-sha256` header when it has one.
//!
//! The AWS signing test suite and a differential test against the AWS SDK
//! for Rust's `aws-sigv4` check this module (`runtime/tests/sigv4_suite.rs`).
//! Nothing here panics on any input, and secrets (secret keys, session
//! tokens, signing keys, the `Authorization` header) never appear in
//! `Debug`, `Display` or errors.

#![forbid(unsafe_code)]

mod canonical;
mod crypto;
mod sign;
mod time;
pub mod verify;

pub use canonical::{normalize_path, uri_encode};
pub use crypto::{SigningKey, signing_key};
pub use sign::{
    SignableRequest, SigningError, SigningOutput, SigningParams, SigningSettings, UNSIGNED_HEADERS,
    presign, presign_request, sign, sign_request, sign_request_with,
};
pub use time::parse_amz_date;
pub use verify::{AuthError, Verifier};

/// The algorithm name that starts the string to sign and `Authorization`.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The string to sign: [`ALGORITHM`], `amz_date` (`yyyyMMddTHHmmssZ`), the
/// credential `scope` (`yyyyMMdd/region/service/aws4_request`) and the hex
/// SHA-256 of `canonical_request`, one per line.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &[u8]) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + amz_date.len() + scope.len() + 67);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(amz_date);
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    crypto::push_hex(
        &mut out,
        &<sha2::Sha256 as sha2::Digest>::digest(canonical_request),
    );
    out
}
