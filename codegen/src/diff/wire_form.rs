//! Whether two shapes travel the same way on the wire: same kind, same
//! values and members (by wire name, requiredness, default, binding and
//! constraints), recursively. Shape names don't travel (restJson1 never
//! sends a structure's, union's or enum's name), so a shape renamed without
//! other changes keeps its wire form. Error shapes do send their name
//! (`X-Amzn-Errortype`), so they compare by ID too.

use crate::ir::{Model, Shape, ShapeId, ShapeKind};
use std::collections::BTreeSet;

/// Whether `a` in `old` and `b` in `new` have the same wire form.
pub(super) fn same(old: &Model, a: &ShapeId, new: &Model, b: &ShapeId) -> bool {
    Cx {
        old,
        new,
        seen: BTreeSet::new(),
    }
    .same(a, b)
}

struct Cx<'m> {
    old: &'m Model,
    new: &'m Model,
    /// Pairs assumed equal while they are being compared (recursion).
    seen: BTreeSet<(ShapeId, ShapeId)>,
}

impl Cx<'_> {
    fn same(&mut self, a: &ShapeId, b: &ShapeId) -> bool {
        if !self.seen.insert((a.clone(), b.clone())) {
            return true;
        }
        let (sa, sb): (&Shape, &Shape) = (self.old.shape(a), self.new.shape(b));
        if sa.constraints != sb.constraints
            || sa.streaming != sb.streaming
            || sa.media_type != sb.media_type
            || sa.timestamp_format != sb.timestamp_format
        {
            return false;
        }
        match (&sa.kind, &sb.kind) {
            (ShapeKind::Simple(x), ShapeKind::Simple(y)) => x == y,
            (ShapeKind::Enum(x), ShapeKind::Enum(y)) => {
                let values = |e: &crate::ir::Enum| {
                    e.values
                        .iter()
                        .map(|v| v.value.clone())
                        .collect::<BTreeSet<_>>()
                };
                values(x) == values(y)
            }
            (ShapeKind::IntEnum(x), ShapeKind::IntEnum(y)) => {
                let values = |e: &crate::ir::IntEnum| {
                    e.values.iter().map(|v| v.value).collect::<BTreeSet<_>>()
                };
                values(x) == values(y)
            }
            (ShapeKind::List(x), ShapeKind::List(y)) => {
                x.sparse == y.sparse
                    && x.member.constraints == y.member.constraints
                    && x.member.timestamp_format == y.member.timestamp_format
                    && self.same(&x.member.target, &y.member.target)
            }
            (ShapeKind::Map(x), ShapeKind::Map(y)) => {
                x.sparse == y.sparse
                    && x.key.constraints == y.key.constraints
                    && x.value.constraints == y.value.constraints
                    && x.value.timestamp_format == y.value.timestamp_format
                    && self.same(&x.key.target, &y.key.target)
                    && self.same(&x.value.target, &y.value.target)
            }
            (ShapeKind::Structure(x), ShapeKind::Structure(y)) => {
                (x.error.is_none() || a == b)
                    && x.error == y.error
                    && self.members(&x.members, &y.members)
            }
            (ShapeKind::Union(x), ShapeKind::Union(y)) => self.members(&x.members, &y.members),
            (
                ShapeKind::Simple(_)
                | ShapeKind::Enum(_)
                | ShapeKind::IntEnum(_)
                | ShapeKind::List(_)
                | ShapeKind::Map(_)
                | ShapeKind::Structure(_)
                | ShapeKind::Union(_),
                _,
            ) => false,
        }
    }

    fn members(&mut self, a: &[crate::ir::Member], b: &[crate::ir::Member]) -> bool {
        a.len() == b.len()
            && a.iter().all(|ma| {
                b.iter().any(|mb| {
                    ma.name == mb.name
                        && ma.json_name == mb.json_name
                        && ma.required == mb.required
                        && ma.default == mb.default
                        && ma.binding == mb.binding
                        && ma.idempotency_token == mb.idempotency_token
                        && ma.constraints == mb.constraints
                        && ma.timestamp_format == mb.timestamp_format
                        && ma.host_label == mb.host_label
                        && self.same(&ma.target, &mb.target)
                })
            })
    }
}
