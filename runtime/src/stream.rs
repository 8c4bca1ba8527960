//! `ByteStream`: the Rust type of `@streaming` blobs.

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The content of a `@streaming` blob: a payload that can be large and is
/// meant to be read as a stream.
///
/// The generated server reads request bodies whole (up to its size limit),
/// so a `ByteStream` holds its bytes in memory; it is a distinct type so
/// that code written against it keeps compiling if a later version streams.
/// Cloning is cheap (the bytes are shared).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ByteStream(Bytes);

impl ByteStream {
    /// A stream over `bytes`.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self(bytes.into())
    }

    /// A stream over static bytes.
    pub const fn from_static(bytes: &'static [u8]) -> Self {
        Self(Bytes::from_static(bytes))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, without copying.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(v: Vec<u8>) -> Self {
        Self(v.into())
    }
}

impl From<Bytes> for ByteStream {
    fn from(v: Bytes) -> Self {
        Self(v)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ByteStream({} bytes)", self.0.len())
    }
}

/// In a JSON document (never on the restJson1 wire, where a streaming blob
/// is always the payload), the bytes are base64 like any blob.
impl Serialize for ByteStream {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::Blob::new(self.0.to_vec()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ByteStream {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::Blob::deserialize(deserializer).map(|b| Self(b.into_inner().into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_bytes_and_round_trips_as_base64() {
        let s = ByteStream::from(b"hello".to_vec());
        assert_eq!(s.as_bytes(), b"hello");
        assert_eq!(format!("{s:?}"), "ByteStream(5 bytes)");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"aGVsbG8=\"");
        assert_eq!(serde_json::from_str::<ByteStream>(&json).unwrap(), s);
    }
}
