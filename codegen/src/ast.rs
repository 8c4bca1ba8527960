//! A lossless serde mirror of the Smithy 2.0 JSON AST.
//!
//! Nothing here is resolved or checked beyond JSON structure: targets are
//! plain strings and traits are raw JSON values. Serializing a parsed model
//! gives back the same JSON value (see the round-trip tests in `tests/`).
//! Resolution and validation happen when the AST is lowered into
//! [`crate::ir`].

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Traits applied to a shape or member: absolute trait shape ID to value.
pub type Traits = BTreeMap<String, Value>;

/// A whole model file.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The IDL version, `"2.0"` (or `"2"`).
    pub smithy: String,
    /// Model metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, Value>>,
    /// Shapes by absolute shape ID.
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
}

/// A reference to another shape: `{"target": "ns#Name"}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The absolute shape ID referred to.
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The absolute shape ID of the member's target.
    pub target: String,
    /// Traits applied to the member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

/// One shape, tagged by its `type`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
// Shapes live once in a map; boxing the larger variants would only add
// indirection to a mirror of the JSON.
#[allow(clippy::large_enum_variant)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Shape {
    /// `blob`
    Blob(Simple),
    /// `boolean`
    Boolean(Simple),
    /// `string`
    String(Simple),
    /// `byte`
    Byte(Simple),
    /// `short`
    Short(Simple),
    /// `integer`
    Integer(Simple),
    /// `long`
    Long(Simple),
    /// `float`
    Float(Simple),
    /// `double`
    Double(Simple),
    /// `bigInteger`
    BigInteger(Simple),
    /// `bigDecimal`
    BigDecimal(Simple),
    /// `timestamp`
    Timestamp(Simple),
    /// `document`
    Document(Simple),
    /// `enum`
    Enum(Aggregate),
    /// `intEnum`
    IntEnum(Aggregate),
    /// `list`
    List(List),
    /// `set` (Smithy 1.0, still accepted in 2.0 JSON AST files)
    Set(List),
    /// `map`
    Map(Map),
    /// `structure`
    Structure(Aggregate),
    /// `union`
    Union(Aggregate),
    /// `service`
    Service(Service),
    /// `operation`
    Operation(Operation),
    /// `resource`
    Resource(Resource),
    /// `apply`: traits applied to a shape defined elsewhere
    Apply(Apply),
}

/// A simple shape: no members.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Simple {
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixins: Option<Vec<Reference>>,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

/// A shape with named members: structure, union, enum, intEnum.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// Members in declaration order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<IndexMap<String, Member>>,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixins: Option<Vec<Reference>>,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

/// A list (or Smithy 1.0 set).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct List {
    /// The list's member.
    pub member: Member,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixins: Option<Vec<Reference>>,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

/// A map.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// The key member.
    pub key: Member,
    /// The value member.
    pub value: Member,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixins: Option<Vec<Reference>>,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

/// A service.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The service version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Operations bound directly to the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<Reference>>,
    /// Resources bound to the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<Reference>>,
    /// Errors every operation of the service can return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<Reference>>,
    /// Shape renames that disambiguate names inside the service closure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rename: Option<BTreeMap<String, String>>,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixins: Option<Vec<Reference>>,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

/// An operation.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The input structure (absent means `smithy.api#Unit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Reference>,
    /// The output structure (absent means `smithy.api#Unit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Reference>,
    /// Errors the operation can return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<Reference>>,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixins: Option<Vec<Reference>>,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

/// A resource.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resource {
    /// Identifier names to their string shapes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifiers: Option<IndexMap<String, Reference>>,
    /// Property names to their shapes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<IndexMap<String, Reference>>,
    /// Lifecycle operation `create`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<Reference>,
    /// Lifecycle operation `put`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put: Option<Reference>,
    /// Lifecycle operation `read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Reference>,
    /// Lifecycle operation `update`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<Reference>,
    /// Lifecycle operation `delete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete: Option<Reference>,
    /// Lifecycle operation `list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<Reference>,
    /// Instance operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<Reference>>,
    /// Collection operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_operations: Option<Vec<Reference>>,
    /// Child resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<Reference>>,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixins: Option<Vec<Reference>>,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

/// Traits applied to a shape defined elsewhere.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Apply {
    /// The traits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
}

impl Shape {
    /// The shape's `type` as written in the JSON AST.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::Blob(_) => "blob",
            Shape::Boolean(_) => "boolean",
            Shape::String(_) => "string",
            Shape::Byte(_) => "byte",
            Shape::Short(_) => "short",
            Shape::Integer(_) => "integer",
            Shape::Long(_) => "long",
            Shape::Float(_) => "float",
            Shape::Double(_) => "double",
            Shape::BigInteger(_) => "bigInteger",
            Shape::BigDecimal(_) => "bigDecimal",
            Shape::Timestamp(_) => "timestamp",
            Shape::Document(_) => "document",
            Shape::Enum(_) => "enum",
            Shape::IntEnum(_) => "intEnum",
            Shape::List(_) => "list",
            Shape::Set(_) => "set",
            Shape::Map(_) => "map",
            Shape::Structure(_) => "structure",
            Shape::Union(_) => "union",
            Shape::Service(_) => "service",
            Shape::Operation(_) => "operation",
            Shape::Resource(_) => "resource",
            Shape::Apply(_) => "apply",
        }
    }

    /// The shape's own traits.
    pub fn traits(&self) -> Option<&Traits> {
        match self {
            Shape::Blob(s)
            | Shape::Boolean(s)
            | Shape::String(s)
            | Shape::Byte(s)
            | Shape::Short(s)
            | Shape::Integer(s)
            | Shape::Long(s)
            | Shape::Float(s)
            | Shape::Double(s)
            | Shape::BigInteger(s)
            | Shape::BigDecimal(s)
            | Shape::Timestamp(s)
            | Shape::Document(s) => s.traits.as_ref(),
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => {
                a.traits.as_ref()
            }
            Shape::List(l) | Shape::Set(l) => l.traits.as_ref(),
            Shape::Map(m) => m.traits.as_ref(),
            Shape::Service(s) => s.traits.as_ref(),
            Shape::Operation(o) => o.traits.as_ref(),
            Shape::Resource(r) => r.traits.as_ref(),
            Shape::Apply(a) => a.traits.as_ref(),
        }
    }

    /// The mixins the shape applies, if any.
    pub fn mixins(&self) -> Option<&[Reference]> {
        match self {
            Shape::Blob(s)
            | Shape::Boolean(s)
            | Shape::String(s)
            | Shape::Byte(s)
            | Shape::Short(s)
            | Shape::Integer(s)
            | Shape::Long(s)
            | Shape::Float(s)
            | Shape::Double(s)
            | Shape::BigInteger(s)
            | Shape::BigDecimal(s)
            | Shape::Timestamp(s)
            | Shape::Document(s) => s.mixins.as_deref(),
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => {
                a.mixins.as_deref()
            }
            Shape::List(l) | Shape::Set(l) => l.mixins.as_deref(),
            Shape::Map(m) => m.mixins.as_deref(),
            Shape::Service(s) => s.mixins.as_deref(),
            Shape::Operation(o) => o.mixins.as_deref(),
            Shape::Resource(r) => r.mixins.as_deref(),
            Shape::Apply(_) => None,
        }
    }

    /// The shape's traits, created empty when it has none (`None` for
    /// `apply`, whose traits belong to another shape).
    pub fn traits_mut(&mut self) -> Option<&mut Traits> {
        use Shape as S;
        let t = match self {
            S::Blob(s)
            | S::Boolean(s)
            | S::String(s)
            | S::Byte(s)
            | S::Short(s)
            | S::Integer(s)
            | S::Long(s)
            | S::Float(s)
            | S::Double(s)
            | S::BigInteger(s)
            | S::BigDecimal(s)
            | S::Timestamp(s)
            | S::Document(s) => &mut s.traits,
            S::Enum(a) | S::IntEnum(a) | S::Structure(a) | S::Union(a) => &mut a.traits,
            S::List(l) | S::Set(l) => &mut l.traits,
            S::Map(m) => &mut m.traits,
            S::Service(s) => &mut s.traits,
            S::Operation(o) => &mut o.traits,
            S::Resource(r) => &mut r.traits,
            S::Apply(_) => return None,
        };
        Some(t.get_or_insert_with(Default::default))
    }

    /// Forgets the shape's mixins (once they are flattened into it).
    pub fn clear_mixins(&mut self) {
        use Shape as S;
        match self {
            S::Blob(s)
            | S::Boolean(s)
            | S::String(s)
            | S::Byte(s)
            | S::Short(s)
            | S::Integer(s)
            | S::Long(s)
            | S::Float(s)
            | S::Double(s)
            | S::BigInteger(s)
            | S::BigDecimal(s)
            | S::Timestamp(s)
            | S::Document(s) => s.mixins = None,
            S::Enum(a) | S::IntEnum(a) | S::Structure(a) | S::Union(a) => a.mixins = None,
            S::List(l) | S::Set(l) => l.mixins = None,
            S::Map(m) => m.mixins = None,
            S::Service(s) => s.mixins = None,
            S::Operation(o) => o.mixins = None,
            S::Resource(r) => r.mixins = None,
            S::Apply(_) => {}
        }
    }
}
