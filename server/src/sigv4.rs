//! AWS Signature Version 4 verification of incoming requests, as the real
//! service does it for `Authorization`-header signing: the runtime's
//! verifier (`smithy_rt::sigv4::verify`), which shares its canonical request
//! with the signer of the runtime's client, so that what a generated client
//! signs is what this server checks. Canonical request (the path normalized
//! and URI-encoded once more, as for every service but S3), string to sign,
//! derived key, constant-time comparison, and a 15-minute clock skew.

pub use smithy_rt::sigv4::verify::{AuthError, Verifier};
