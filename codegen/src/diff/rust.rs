//! What the generated crate exposes for a shape or member, so that each
//! change can be judged as a semver change of that crate's public API.
//!
//! These mirror the emitters' choices (`codegen/src/emit/`): structures,
//! unions and enums become named types; simple shapes, lists and maps don't;
//! required members without a default are parameters of `new`; members
//! that are required or have a default are plain fields, the others
//! `Option`s; `Eq` is derived when nothing inside is a float or a
//! streaming blob;
//! shapes reachable from an input get `Validate` and an `unvalidated::`
//! mirror; restJson1 services get the `operation` and `server` modules.
//! The semver-checks oracle (`tests/semver/run.sh`) checks the verdicts
//! against the generated crates themselves.

use crate::ir::{self, Member, Model, Shape, ShapeId, ShapeKind, Simple};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// A change's effect on the generated crate's public API, as a semver bump
/// for crates that depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Semver {
    /// Code that uses the crate may stop compiling.
    Major,
    /// Items were added; existing code keeps compiling.
    Minor,
    /// The public API is unchanged (values, behaviour or docs only).
    Patch,
}

impl Semver {
    /// Every verdict, most severe first.
    pub const ALL: [Semver; 3] = [Self::Major, Self::Minor, Self::Patch];

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Major => "major",
            Self::Minor => "minor",
            Self::Patch => "patch",
        }
    }
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Rust verdict with the reason, stated in terms of the generated code.
pub(super) type Verdict = (Semver, String);

pub(super) fn major(why: impl Into<String>) -> Verdict {
    (Semver::Major, why.into())
}

pub(super) fn minor(why: impl Into<String>) -> Verdict {
    (Semver::Minor, why.into())
}

pub(super) fn patch(why: impl Into<String>) -> Verdict {
    (Semver::Patch, why.into())
}

/// Whether the shape becomes a named Rust type.
pub(super) fn is_named(shape: &Shape) -> bool {
    match &shape.kind {
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::Enum(_)
        | ShapeKind::IntEnum(_) => true,
        ShapeKind::Simple(_) | ShapeKind::List(_) | ShapeKind::Map(_) => false,
    }
}

/// What a named type is in Rust.
pub(super) fn item_kind(shape: &Shape) -> &'static str {
    match &shape.kind {
        ShapeKind::Structure(_) => "a struct",
        ShapeKind::Union(_) => "a union enum (variants with payloads, unit `Unknown`)",
        ShapeKind::Enum(_) => "a string enum (unit variants, `Unknown(value)`)",
        ShapeKind::IntEnum(_) => "an integer enum (unit variants, `Unknown(i32)`)",
        ShapeKind::Simple(_) | ShapeKind::List(_) | ShapeKind::Map(_) => {
            "a primitive or collection"
        }
    }
}

/// `module::Name` of a named type.
pub(super) fn path(shape: &Shape) -> String {
    format!("{}::{}", shape.category.module(), shape.rust_name)
}

/// The Rust type that a reference to `target` becomes (without `Option` or
/// `Box`), as the emitter writes it.
pub(super) fn type_of(model: &Model, target: &ShapeId) -> String {
    let shape = model.shape(target);
    match &shape.kind {
        ShapeKind::Simple(s) => match s {
            Simple::Blob if shape.streaming => "ByteStream",
            Simple::Blob => "Blob",
            Simple::Boolean => "bool",
            Simple::String => "String",
            Simple::Byte => "i8",
            Simple::Short => "i16",
            Simple::Integer => "i32",
            Simple::Long => "i64",
            Simple::Float => "f32",
            Simple::Double => "f64",
            Simple::Timestamp => "DateTime",
            Simple::Document => "Document",
            Simple::BigInteger => "BigInteger",
            Simple::BigDecimal => "BigDecimal",
            Simple::Unit => "()",
        }
        .to_owned(),
        ShapeKind::List(l) => {
            let inner = type_of(model, &l.member.target);
            if l.sparse {
                format!("Vec<Option<{inner}>>")
            } else {
                format!("Vec<{inner}>")
            }
        }
        ShapeKind::Map(m) => {
            let k = type_of(model, &m.key.target);
            let v = type_of(model, &m.value.target);
            if m.sparse {
                format!("BTreeMap<{k}, Option<{v}>>")
            } else {
                format!("BTreeMap<{k}, {v}>")
            }
        }
        ShapeKind::Enum(_)
        | ShapeKind::IntEnum(_)
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_) => path(shape),
    }
}

/// The type of a member's field (or variant payload), `Box` included.
pub(super) fn member_type(model: &Model, m: &Member) -> String {
    let t = type_of(model, &m.target);
    if m.boxed { format!("Box<{t}>") } else { t }
}

/// Whether the type derives `Eq` (no float or streaming blob inside).
pub(super) fn is_eq(model: &Model, id: &ShapeId) -> bool {
    fn walk(model: &Model, id: &ShapeId, seen: &mut BTreeSet<ShapeId>) -> bool {
        if !seen.insert(id.clone()) {
            return true;
        }
        let shape = model.shape(id);
        match &shape.kind {
            ShapeKind::Simple(s) => {
                !matches!(s, Simple::Float | Simple::Double) && !shape.streaming
            }
            ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => true,
            ShapeKind::List(l) => walk(model, &l.member.target, seen),
            ShapeKind::Map(m) => walk(model, &m.value.target, seen),
            ShapeKind::Structure(st) => st.members.iter().all(|m| walk(model, &m.target, seen)),
            ShapeKind::Union(u) => u.members.iter().all(|m| walk(model, &m.target, seen)),
        }
    }
    walk(model, id, &mut BTreeSet::new())
}

/// Structures and unions reachable from an operation input: the ones with
/// `impl Validate` and an `unvalidated::` mirror.
pub(super) fn validated(model: &Model) -> BTreeSet<ShapeId> {
    let mut ids = model.reachable(model.operations.iter().filter_map(|o| o.input.clone()));
    ids.retain(|id| match &model.shape(id).kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => true,
        ShapeKind::Simple(_)
        | ShapeKind::List(_)
        | ShapeKind::Map(_)
        | ShapeKind::Enum(_)
        | ShapeKind::IntEnum(_) => false,
    });
    ids
}

/// The name of the service trait.
pub(super) fn service_trait(model: &Model) -> String {
    model
        .service
        .as_ref()
        .map(|s| crate::naming::type_name(&s.id.name))
        .unwrap_or_default()
}

/// `operation::<Op>Error`.
pub(super) fn error_enum(op: &ir::Operation) -> String {
    format!("operation::{}Error", op.rust_name)
}
