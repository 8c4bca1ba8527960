use std::fmt;

/// A string-enum value that this version of the generated code does not know.
///
/// Smithy enums are open: a service may start returning a value that was added
/// to its model after the client was generated. Such values are kept verbatim
/// in the `Unknown` variant of the generated enum, wrapped in this type so that
/// callers can read them but not construct them by accident: a known value
/// always maps to its own variant.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value as it appeared on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_wire_value() {
        let v = UnknownVariantValue::new("NEW_VALUE");
        assert_eq!(v.as_str(), "NEW_VALUE");
        assert_eq!(v.to_string(), "NEW_VALUE");
        assert_eq!(format!("{v:?}"), "\"NEW_VALUE\"");
    }
}
