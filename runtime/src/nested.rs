//! Serde adapters that work whatever a member's container nesting is.
//!
//! A wire format for a scalar (a timestamp as an RFC 3339 string, a float
//! with NaN as `"NaN"`) is a [`Codec`]. [`Nested`] lifts it through
//! `Option`, `Vec`, `BTreeMap`, `Box` and any nesting of them, so the
//! generator puts one attribute on a field, e.g.
//! `#[serde(with = "smithy_rt::datetime::date_time")]`, whether the field is
//! a `DateTime`, an `Option<Vec<Option<DateTime>>>` or a
//! `BTreeMap<String, Vec<DateTime>>`.
//!
//! As with any `with` adapter, serde no longer knows that an `Option`
//! field may be absent: give such fields `#[serde(default)]` (and
//! `skip_serializing_if = "Option::is_none"` to omit them).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// How one scalar of type `V` is written and read.
pub trait Codec<V> {
    /// Writes `value`.
    fn serialize<S: Serializer>(value: &V, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value.
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<V, D::Error>;
}

/// A scalar, or a container of them, written with the codec `C`.
pub trait Nested<C>: Sized {
    /// Writes `self` with `C` for every scalar in it.
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads `Self` with `C` for every scalar in it.
    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Implements [`Nested`] for a scalar type through its [`Codec`].
macro_rules! nested_scalar {
    ($($t:ty),*) => {$(
        impl<C: $crate::nested::Codec<$t>> $crate::nested::Nested<C> for $t {
            fn serialize_with<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                C::serialize(self, serializer)
            }
            fn deserialize_with<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                C::deserialize(deserializer)
            }
        }
    )*};
}
pub(crate) use nested_scalar;

/// Serializes a borrowed `T` with the codec `C`.
struct Ser<'a, C, T>(&'a T, PhantomData<C>);

impl<C, T: Nested<C>> Serialize for Ser<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_with(serializer)
    }
}

/// Deserializes a `T` with the codec `C`.
struct De<C, T>(T, PhantomData<C>);

impl<'de, C, T: Nested<C>> Deserialize<'de> for De<C, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_with(deserializer).map(|v| De(v, PhantomData))
    }
}

impl<C, T: Nested<C>> Nested<C> for Option<T> {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => serializer.serialize_some(&Ser::<C, T>(v, PhantomData)),
            None => serializer.serialize_none(),
        }
    }
    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<De<C, T>>::deserialize(deserializer)?.map(|v| v.0))
    }
}

impl<C, T: Nested<C>> Nested<C> for Box<T> {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_with(serializer)
    }
    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_with(deserializer).map(Box::new)
    }
}

impl<C, T: Nested<C>> Nested<C> for Vec<T> {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|v| Ser::<C, T>(v, PhantomData)))
    }
    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<De<C, T>>::deserialize(deserializer)?;
        Ok(items.into_iter().map(|v| v.0).collect())
    }
}

impl<C, K, T> Nested<C> for BTreeMap<K, T>
where
    K: Ord + Serialize + DeserializeOwned,
    T: Nested<C>,
{
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Ser::<C, T>(v, PhantomData))))
    }
    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = BTreeMap::<K, De<C, T>>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

/// One value read with the codec `C`, for code that deserializes a value at
/// a time (`map.next_value::<With<C, _>>()?.0`).
#[derive(Debug)]
pub struct With<C, T>(pub T, PhantomData<C>);

impl<'de, C, T: Nested<C>> Deserialize<'de> for With<C, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_with(deserializer).map(|v| With(v, PhantomData))
    }
}

/// A borrowed value written with the codec `C`, for code that serializes a
/// value at a time (`map.serialize_entry(key, &SerializeWith::<C, _>::new(v))`).
#[derive(Debug)]
pub struct SerializeWith<'a, C, T>(&'a T, PhantomData<C>);

impl<'a, C, T: Nested<C>> SerializeWith<'a, C, T> {
    /// Wraps `value`.
    pub fn new(value: &'a T) -> Self {
        Self(value, PhantomData)
    }
}

impl<C, T: Nested<C>> Serialize for SerializeWith<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_with(serializer)
    }
}
