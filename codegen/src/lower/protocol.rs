//! The service's wire protocol, and what it means for the IR: HTTP binding
//! traits and `jsonName` are read for restJson1 only. Under awsJson1_0 and
//! awsJson1_1 every member is in the JSON body under its own name, and every
//! operation is `POST /` answered with 200 (the operation travels in
//! `X-Amz-Target`), so the emitters see one uniform wire shape. `endpoint`
//! host prefixes and `hostLabel` are not HTTP bindings and stay.

use crate::ir::{self, Binding, HttpRoute, Protocol, ShapeId, ShapeKind};
use std::collections::BTreeMap;

/// The protocol the generator serves for a service with `protocols`.
pub(super) fn choose(protocols: &[String]) -> Option<Protocol> {
    Protocol::ALL
        .into_iter()
        .find(|p| protocols.iter().any(|t| t == p.trait_id()))
}

/// Rewrites what `protocol` ignores: for a protocol without HTTP bindings,
/// every member's binding and wire name, and every operation's route.
pub(super) fn apply(
    protocol: Protocol,
    shapes: &mut BTreeMap<ShapeId, ir::Shape>,
    operations: &mut [ir::Operation],
) {
    if protocol.has_http_bindings() {
        return;
    }
    for shape in shapes.values_mut() {
        let members = match &mut shape.kind {
            ShapeKind::Structure(st) => &mut st.members,
            ShapeKind::Union(u) => &mut u.members,
            _ => continue,
        };
        for m in members {
            m.binding = Binding::Body;
            m.json_name.clone_from(&m.name);
        }
    }
    for op in operations {
        op.http = Some(HttpRoute {
            method: "POST".into(),
            uri: "/".into(),
            segments: Vec::new(),
            trailing_slash: false,
            query: Vec::new(),
            code: 200,
        });
    }
}
