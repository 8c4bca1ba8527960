//! Runtime support for Rust code generated from Smithy models.
//!
//! Generated crates stay thin: everything that is the same for every model
//! (timestamp and blob encodings, the catch-all of open enums, union
//! deserialization, redaction of sensitive values) lives here, written once
//! and tested here.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod blob;
mod datetime;
mod enums;
pub mod union;

pub use blob::Blob;
pub use datetime::{DateTime, DateTimeError};
pub use enums::UnknownVariantValue;

/// An untyped JSON value, the Rust form of Smithy's `document` type.
pub type Document = serde_json::Value;

/// What `Debug` prints in place of a value marked `@sensitive`.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Re-exports that generated code refers to by absolute path, so that a
/// generated crate needs no direct dependency on them beyond `serde`.
#[doc(hidden)]
pub mod __private {
    pub use serde;
}
