//! Semantic differences between two resolved models, each with two
//! verdicts: what it does to existing clients and servers on the network
//! (**wire**), and what it does to the public API of the crate generated
//! from the model (**rust**, a semver bump).
//!
//! The wire rules follow the semantics of Smithy's own diff evaluators (e.g.
//! `AddedRequiredMember`, `ChangedLengthTrait`, `AddedOperationError`), with
//! direction taken into account: a shape reachable from an operation input
//! is read by servers and written by clients, one reachable from an output
//! or error the other way round, and a shape used both ways gets the
//! stricter verdict. The Rust rules follow what `codegen/src/emit/` writes
//! (`diff/rust.rs`). `docs/MODEL-DIFF.md` has the whole table.
//!
//! Both models are what the generator sees: the service's operations and
//! the shapes they reach. Renames are reported as a removal plus an
//! addition; nothing is guessed.
//!
//! One module per concern: `operations` (the service and its operations),
//! `shapes` (shapes and members), `endpoints` (the endpoint rule set,
//! compared by resolving sample parameters with `endpoint_eval`), `constraints` (enum values and constraint
//! traits), `verdicts` (each change's Rust verdict and its reason, over the
//! facts about the generated code in `rust`), `wire_form` (whether two
//! shapes travel the same way on the wire) and `render` (Markdown and JSON
//! reports).

mod constraints;
mod endpoint_eval;
mod endpoints;
mod operations;
mod render;
mod rust;
mod shapes;
mod verdicts;
mod wire_form;

pub use render::{json, markdown, rust_verdict, wire_verdict};
pub use rust::Semver;

use crate::ir::{self, Binding, Model, Shape, ShapeId, ShapeKind};
use rust::Verdict;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// How a change affects existing clients and servers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Existing clients or servers stop working or stop compiling.
    Breaking,
    /// May break some clients or servers, depending on how they use the API.
    Risky,
    /// Safe for existing clients and servers.
    Compatible,
    /// Only documentation changed.
    Documentation,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 4] = [
        Self::Breaking,
        Self::Risky,
        Self::Compatible,
        Self::Documentation,
    ];

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::Risky => "risky",
            Self::Compatible => "compatible",
            Self::Documentation => "documentation",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One semantic change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The stricter of the two verdicts: `breaking` when either the wire or
    /// the Rust API breaks (a major Rust change counts as breaking, minor as
    /// compatible, patch as documentation).
    pub severity: Severity,
    /// How it affects clients and servers on the network.
    pub wire: Severity,
    /// How it changes the generated crate's public API.
    pub rust: Semver,
    /// What kind of change, e.g. `member-added`, `length-tightened`.
    pub kind: &'static str,
    /// The shape (or operation) ID.
    pub shape: String,
    /// The member, when the change is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// A sentence for humans.
    pub message: String,
    /// The old value, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The new value, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// Why the generated crate's API changes (or doesn't).
    pub rust_reason: String,
}

impl Change {
    /// The stricter of a wire severity and a Rust verdict.
    pub fn combined(wire: Severity, rust: Semver) -> Severity {
        wire.min(match rust {
            Semver::Major => Severity::Breaking,
            Semver::Minor => Severity::Compatible,
            Semver::Patch => Severity::Documentation,
        })
    }
}

/// Where a shape is used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Direction {
    input: bool,
    output: bool,
}

struct Directions {
    input: BTreeSet<ShapeId>,
    output: BTreeSet<ShapeId>,
}

impl Directions {
    fn of(model: &Model) -> Self {
        let input = model.reachable(model.operations.iter().filter_map(|o| o.input.clone()));
        let output = model.reachable(
            model
                .operations
                .iter()
                .flat_map(|o| o.output.iter().chain(o.errors.iter()))
                .cloned(),
        );
        Self { input, output }
    }

    fn get(&self, id: &ShapeId) -> Direction {
        Direction {
            input: self.input.contains(id),
            output: self.output.contains(id),
        }
    }
}

/// Every semantic difference from `old` to `new`, sorted by severity, then
/// shape, member and kind.
pub fn diff(old: &Model, new: &Model) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        server: (
            crate::emit::has_server_bindings(old),
            crate::emit::has_server_bindings(new),
        ),
        validated: (rust::validated(old), rust::validated(new)),
        same_protocol: old.service.as_ref().map(|s| s.protocol)
            == new.service.as_ref().map(|s| s.protocol),
        changes: Vec::new(),
        old_dirs: Directions::of(old),
        new_dirs: Directions::of(new),
        old_sensitive: sensitive_shapes(old),
        new_sensitive: sensitive_shapes(new),
    };
    d.service(old, new);
    d.operations(old, new);
    d.endpoint_rules(old, new);
    d.shapes(old, new);
    let mut changes = d.changes;
    changes.sort_by(|a, b| {
        (a.severity, &a.shape, &a.member, a.kind, &a.old, &a.new)
            .cmp(&(b.severity, &b.shape, &b.member, b.kind, &b.old, &b.new))
    });
    changes.dedup();
    changes
}

struct Differ<'m> {
    old: &'m Model,
    new: &'m Model,
    /// Whether each crate has the `operation` and `server` modules.
    server: (bool, bool),
    /// Structures and unions with `impl Validate` in each crate.
    validated: (BTreeSet<ShapeId>, BTreeSet<ShapeId>),
    /// Whether both models speak one protocol. Routes, HTTP bindings and
    /// JSON names are compared only then: what they mean on the wire is
    /// the protocol's (awsJson has none of them; its lowering leaves every
    /// operation `POST /` and every member in the body under its own name,
    /// so a change to those traits is, rightly, no change at all there).
    same_protocol: bool,
    changes: Vec<Change>,
    old_dirs: Directions,
    new_dirs: Directions,
    /// Shapes marked `sensitive`, to tell a member's own trait from its
    /// target's (which is reported once, on the target).
    old_sensitive: BTreeSet<ShapeId>,
    new_sensitive: BTreeSet<ShapeId>,
}

fn sensitive_shapes(m: &Model) -> BTreeSet<ShapeId> {
    m.shapes
        .values()
        .filter(|s| s.sensitive)
        .map(|s| s.id.clone())
        .collect()
}

/// A shape's direction in either model (a change is judged by every use).
fn direction(d: &Differ<'_>, id: &ShapeId) -> Direction {
    let (a, b) = (d.old_dirs.get(id), d.new_dirs.get(id));
    Direction {
        input: a.input || b.input,
        output: a.output || b.output,
    }
}

fn opt<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

impl Differ<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        wire: Severity,
        (rust, rust_reason): Verdict,
        kind: &'static str,
        shape: &ShapeId,
        member: Option<&str>,
        message: String,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.changes.push(Change {
            severity: Change::combined(wire, rust),
            wire,
            rust,
            rust_reason,
            kind,
            shape: shape.to_string(),
            member: member.map(str::to_owned),
            message,
            old,
            new,
        });
    }
}

fn binding_name(b: &Binding) -> String {
    match b {
        Binding::Body => "body".into(),
        Binding::Label => "label".into(),
        Binding::Query(q) => format!("query `{q}`"),
        Binding::QueryParams => "query parameters".into(),
        Binding::Header(h) => format!("header `{h}`"),
        Binding::PrefixHeaders(p) => format!("headers prefixed `{p}`"),
        Binding::Payload => "payload".into(),
        Binding::ResponseCode => "response code".into(),
    }
}

fn error_info(s: &Shape) -> Option<&ir::ErrorInfo> {
    match &s.kind {
        ShapeKind::Structure(st) => st.error.as_ref(),
        _ => None,
    }
}

fn simple_kind(s: &Shape) -> Option<ir::Simple> {
    match &s.kind {
        ShapeKind::Simple(k) => Some(*k),
        _ => None,
    }
}

fn kind_name(s: &Shape) -> &'static str {
    match &s.kind {
        ShapeKind::Simple(k) => match k {
            ir::Simple::Blob => "blob",
            ir::Simple::Boolean => "boolean",
            ir::Simple::String => "string",
            ir::Simple::Byte => "byte",
            ir::Simple::Short => "short",
            ir::Simple::Integer => "integer",
            ir::Simple::Long => "long",
            ir::Simple::Float => "float",
            ir::Simple::Double => "double",
            ir::Simple::Timestamp => "timestamp",
            ir::Simple::Document => "document",
            ir::Simple::BigInteger => "bigInteger",
            ir::Simple::BigDecimal => "bigDecimal",
            ir::Simple::Unit => "unit",
        },
        ShapeKind::Enum(_) => "enum",
        ShapeKind::IntEnum(_) => "intEnum",
        ShapeKind::List(_) => "list",
        ShapeKind::Map(_) => "map",
        ShapeKind::Structure(_) => "structure",
        ShapeKind::Union(_) => "union",
    }
}
