//! Deserialization plumbing for Smithy unions.
//!
//! A union travels as a JSON object with exactly one member set. Generated
//! code walks the object's keys, hands each known member's value to
//! [`UnionBuilder::set`] and each unknown key to [`UnionBuilder::unknown`],
//! and calls [`UnionBuilder::finish`]. Members whose value is `null` count as
//! absent, and the `__type` key that some serializers add is ignored.

use serde::de::Error;
use std::borrow::Cow;

/// An object key, borrowed from the input when it has no escapes.
/// (`Cow<str>`'s own `Deserialize` always allocates.)
#[derive(Debug)]
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::deserialize_str(d).map(Key)
    }
}

impl std::ops::Deref for Key<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Collects the members of one union object while it is read.
#[derive(Debug)]
pub struct UnionBuilder<T> {
    name: &'static str,
    value: Option<T>,
    /// How many known members were set, and the names of the first two
    /// (for the error message); nothing is allocated while reading.
    count: usize,
    names: [&'static str; 2],
    unknown: bool,
}

impl<T> UnionBuilder<T> {
    /// Starts reading the union with the given shape name.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            value: None,
            count: 0,
            names: [""; 2],
            unknown: false,
        }
    }

    /// Records a known member; `None` (a JSON `null`) counts as absent.
    pub fn set(&mut self, member: &'static str, value: Option<T>) {
        if let Some(v) = value {
            if let Some(slot) = self.names.get_mut(self.count) {
                *slot = member;
            }
            self.count += 1;
            self.value = Some(v);
        }
    }

    /// Records a key that this version of the model does not know.
    pub fn unknown(&mut self, key: &str) {
        if key != "__type" {
            self.unknown = true;
        }
    }

    /// For inputs a server reads: a key that is not a member of the union
    /// is an error (`__type` is still ignored).
    pub fn reject_unknown<E: Error>(&self, key: &str) -> Result<(), E> {
        if key == "__type" {
            Ok(())
        } else {
            Err(E::custom(format_args!(
                "unknown member `{key}` of union {}",
                self.name
            )))
        }
    }

    /// The union value when exactly one known member was set (for unions
    /// read with [`reject_unknown`](Self::reject_unknown)).
    pub fn finish_known<E: Error>(self) -> Result<T, E> {
        self.finish(|| unreachable!("unknown members were rejected"))
    }

    /// The union value: the one member that was set, `unknown()` when only
    /// members unknown to this model were set, and an error when no member or
    /// more than one was set.
    pub fn finish<E: Error>(self, unknown: impl FnOnce() -> T) -> Result<T, E> {
        match (self.count, self.value) {
            (1, Some(v)) => Ok(v),
            (0, _) if self.unknown => Ok(unknown()),
            (0, _) => Err(E::custom(format_args!(
                "union {} must have exactly one member set, but none was set",
                self.name
            ))),
            (n, _) => Err(E::custom(format_args!(
                "union {} must have exactly one member set, but {n} were set: {}, {}{}",
                self.name,
                self.names[0],
                self.names[1],
                if n > 2 { ", ..." } else { "" }
            ))),
        }
    }
}

/// The value of a union member that targets `smithy.api#Unit`: `{}`.
#[derive(Debug, Clone, Copy)]
pub struct Empty {}

impl serde::Serialize for Empty {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        serializer.serialize_struct("Empty", 0)?.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type E = serde_json::Error;

    #[test]
    fn empty_is_an_empty_object() {
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
    }

    #[test]
    fn one_member() {
        let mut b = UnionBuilder::new("U");
        b.set("A", Some(1));
        b.unknown("__type");
        assert_eq!(b.finish::<E>(|| 0).unwrap(), 1);
    }

    #[test]
    fn null_is_absent_and_none_set_is_an_error() {
        let mut b = UnionBuilder::<i32>::new("U");
        b.set("A", None);
        let err = b.finish::<E>(|| 0).unwrap_err().to_string();
        assert_eq!(
            err,
            "union U must have exactly one member set, but none was set"
        );
    }

    #[test]
    fn two_members_is_an_error() {
        let mut b = UnionBuilder::new("U");
        b.set("A", Some(1));
        b.set("B", Some(2));
        let err = b.finish::<E>(|| 0).unwrap_err().to_string();
        assert_eq!(
            err,
            "union U must have exactly one member set, but 2 were set: A, B"
        );
    }

    #[test]
    fn only_unknown_members_give_the_unknown_variant() {
        let mut b = UnionBuilder::<i32>::new("U");
        b.unknown("FutureMember");
        assert_eq!(b.finish::<E>(|| -1).unwrap(), -1);
    }
}
