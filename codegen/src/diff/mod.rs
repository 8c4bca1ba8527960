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

mod render;
mod rust;
mod wire_form;

pub use render::{json, markdown, rust_verdict, wire_verdict};
pub use rust::Semver;

use crate::ir::{self, Binding, Constraints, Model, Operation, Shape, ShapeId, ShapeKind};
use rust::{Verdict, major, minor, patch};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
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
        changes: Vec::new(),
        old_dirs: Directions::of(old),
        new_dirs: Directions::of(new),
        old_sensitive: sensitive_shapes(old),
        new_sensitive: sensitive_shapes(new),
    };
    d.service(old, new);
    d.operations(old, new);
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

    fn service(&mut self, old: &Model, new: &Model) {
        let (Some(a), Some(b)) = (&old.service, &new.service) else {
            return;
        };
        if a.id != b.id {
            self.push(
                Severity::Breaking,
                major(
                    "the crate describes another service: its service trait and its types change",
                ),
                "service-replaced",
                &b.id,
                None,
                "the model describes another service".into(),
                Some(a.id.to_string()),
                Some(b.id.to_string()),
            );
            return;
        }
        if a.version != b.version {
            self.push(
                Severity::Compatible,
                patch("only the crate's documentation mentions the version"),
                "service-version-changed",
                &b.id,
                None,
                "the service version changed".into(),
                a.version.clone(),
                b.version.clone(),
            );
        }
        if a.docs != b.docs {
            self.push(
                Severity::Documentation,
                docs(),
                "documentation-changed",
                &b.id,
                None,
                "documentation changed".into(),
                None,
                None,
            );
        }
        let (ea, eb): (BTreeSet<_>, BTreeSet<_>) =
            (a.errors.iter().collect(), b.errors.iter().collect());
        for e in eb.difference(&ea) {
            self.push(
                Severity::Risky,
                self.error_added(
                    &old.operations
                        .iter()
                        .filter(|o| new.operations.iter().any(|n| n.id == o.id))
                        .collect::<Vec<_>>(),
                ),
                "service-error-added",
                &b.id,
                None,
                format!("every operation can now return `{e}`"),
                None,
                Some(e.to_string()),
            );
        }
        for e in ea.difference(&eb) {
            self.push(
                Severity::Risky,
                self.error_removed(&old.shape(e).rust_name, "each operation's error enum"),
                "service-error-removed",
                &b.id,
                None,
                format!("operations no longer return `{e}`"),
                Some(e.to_string()),
                None,
            );
        }
    }

    fn operations(&mut self, old: &Model, new: &Model) {
        let a: BTreeMap<&ShapeId, &Operation> = old.operations.iter().map(|o| (&o.id, o)).collect();
        let b: BTreeMap<&ShapeId, &Operation> = new.operations.iter().map(|o| (&o.id, o)).collect();
        for (id, o) in b.iter().filter(|(id, _)| !a.contains_key(*id)) {
            self.push(
                Severity::Compatible,
                self.operation_added(o),
                "operation-added",
                id,
                None,
                "operation added".into(),
                None,
                None,
            );
        }
        for (id, o) in a.iter().filter(|(id, _)| !b.contains_key(*id)) {
            self.push(
                Severity::Breaking,
                self.operation_removed(o),
                "operation-removed",
                id,
                None,
                "operation removed".into(),
                None,
                None,
            );
        }
        for (id, oa) in &a {
            if let Some(ob) = b.get(id) {
                self.operation(oa, ob);
            }
        }
    }

    fn operation(&mut self, a: &Operation, b: &Operation) {
        let id = &b.id;
        let show = |s: &Option<ShapeId>| {
            Some(
                s.as_ref()
                    .map_or("smithy.api#Unit".to_owned(), ToString::to_string),
            )
        };
        if a.input != b.input {
            self.push(
                Severity::Breaking,
                self.signature_changed(b, "parameter"),
                "operation-input-changed",
                id,
                None,
                "the input structure changed".into(),
                show(&a.input),
                show(&b.input),
            );
        }
        if a.output != b.output {
            self.push(
                Severity::Breaking,
                self.signature_changed(b, "return"),
                "operation-output-changed",
                id,
                None,
                "the output structure changed".into(),
                show(&a.output),
                show(&b.output),
            );
        }
        let (ea, eb): (BTreeSet<_>, BTreeSet<_>) =
            (a.errors.iter().collect(), b.errors.iter().collect());
        for e in eb.difference(&ea) {
            self.push(
                Severity::Risky,
                self.error_added(&[a]),
                "operation-error-added",
                id,
                None,
                format!("can now return `{e}`, which existing clients don't expect"),
                None,
                Some(e.to_string()),
            );
        }
        for e in ea.difference(&eb) {
            self.push(
                Severity::Risky,
                self.error_removed(
                    &self.old.shape(e).rust_name,
                    &format!("`{}`", rust::error_enum(a)),
                ),
                "operation-error-removed",
                id,
                None,
                format!("no longer returns `{e}`"),
                Some(e.to_string()),
                None,
            );
        }
        match (&a.http, &b.http) {
            (Some(ha), Some(hb)) => {
                if ha.method != hb.method {
                    self.push(
                        Severity::Breaking,
                        patch("`Operation::method()` returns another value; no signature changes"),
                        "http-method-changed",
                        id,
                        None,
                        "the HTTP method changed".into(),
                        Some(ha.method.clone()),
                        Some(hb.method.clone()),
                    );
                }
                if ha.uri != hb.uri {
                    self.push(
                        Severity::Breaking,
                        patch(
                            "`Operation::uri()` and the route table change; no signature changes",
                        ),
                        "http-uri-changed",
                        id,
                        None,
                        "the URI pattern changed".into(),
                        Some(ha.uri.clone()),
                        Some(hb.uri.clone()),
                    );
                }
                if ha.code != hb.code {
                    self.push(
                        Severity::Breaking,
                        patch("`Operation::success_code()` returns another value"),
                        "http-code-changed",
                        id,
                        None,
                        "the success status code changed".into(),
                        Some(ha.code.to_string()),
                        Some(hb.code.to_string()),
                    );
                }
            }
            (None, Some(_)) => self.push(
                Severity::Breaking,
                self.server_modules(),
                "http-binding-added",
                id,
                None,
                "an HTTP binding was added".into(),
                None,
                None,
            ),
            (Some(_), None) => self.push(
                Severity::Breaking,
                self.server_modules(),
                "http-binding-removed",
                id,
                None,
                "the HTTP binding was removed".into(),
                None,
                None,
            ),
            (None, None) => {}
        }
        for (flag, was, is) in [
            ("readonly", a.readonly, b.readonly),
            ("idempotent", a.idempotent, b.idempotent),
        ] {
            if was != is {
                let (kind, message) = match (flag, is) {
                    ("readonly", true) => ("readonly-added", "marked `readonly`"),
                    ("readonly", false) => (
                        "readonly-removed",
                        "no longer `readonly`: it may change state",
                    ),
                    (_, true) => (
                        "idempotent-added",
                        "marked `idempotent`: clients may retry it",
                    ),
                    (_, false) => (
                        "idempotent-removed",
                        "no longer `idempotent`: clients that retry it may duplicate work",
                    ),
                };
                let severity = if is {
                    Severity::Compatible
                } else {
                    Severity::Risky
                };
                self.push(
                    severity,
                    patch("`Operation::readonly()` / `idempotent()` return another value"),
                    kind,
                    id,
                    None,
                    message.into(),
                    Some(was.to_string()),
                    Some(is.to_string()),
                );
            }
        }
        match (&a.paginated, &b.paginated) {
            (None, Some(_)) => self.push(
                Severity::Compatible,
                patch("pagination is not part of the generated crate"),
                "paginated-added",
                id,
                None,
                "now paginated".into(),
                None,
                None,
            ),
            (Some(_), None) => self.push(
                Severity::Breaking,
                patch("pagination is not part of the generated crate"),
                "paginated-removed",
                id,
                None,
                "no longer paginated: paginators built on it break".into(),
                None,
                None,
            ),
            (Some(pa), Some(pb)) if pa != pb => self.push(
                Severity::Breaking,
                patch("pagination is not part of the generated crate"),
                "paginated-changed",
                id,
                None,
                "the pagination members changed".into(),
                Some(format!("{pa:?}")),
                Some(format!("{pb:?}")),
            ),
            _ => {}
        }
        if a.docs != b.docs {
            self.push(
                Severity::Documentation,
                docs(),
                "documentation-changed",
                id,
                None,
                "documentation changed".into(),
                None,
                None,
            );
        }
    }

    fn shapes(&mut self, old: &Model, new: &Model) {
        let user = |m: &Model| -> BTreeMap<ShapeId, Shape> {
            m.shapes
                .iter()
                .filter(|(id, _)| !id.is_prelude())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let (a, b) = (user(old), user(new));
        for id in b.keys().filter(|id| !a.contains_key(*id)) {
            self.push(
                Severity::Compatible,
                added_type(&b[id]),
                "shape-added",
                id,
                None,
                format!("{} added", kind_name(&b[id])),
                None,
                None,
            );
        }
        for id in a.keys().filter(|id| !b.contains_key(*id)) {
            // The wire effect of a removal is reported where its uses
            // changed (a member, an operation, an operation's errors).
            self.push(
                Severity::Compatible,
                removed_type(&a[id]),
                "shape-removed",
                id,
                None,
                format!("{} removed", kind_name(&a[id])),
                None,
                None,
            );
        }
        for (id, sa) in &a {
            if let Some(sb) = b.get(id) {
                self.shape(sa, sb);
            }
        }
    }

    fn shape(&mut self, a: &Shape, b: &Shape) {
        let id = &b.id;
        let dir = direction(self, id);
        if std::mem::discriminant(&a.kind) != std::mem::discriminant(&b.kind)
            || simple_kind(a) != simple_kind(b)
        {
            self.push(
                Severity::Breaking,
                self.type_changed(id),
                "shape-type-changed",
                id,
                None,
                "the shape's type changed".into(),
                Some(kind_name(a).into()),
                Some(kind_name(b).into()),
            );
            return;
        }
        self.rust_only(a, b);
        if a.docs != b.docs {
            self.push(
                Severity::Documentation,
                docs(),
                "documentation-changed",
                id,
                None,
                "documentation changed".into(),
                None,
                None,
            );
        }
        self.sensitive(id, None, a.sensitive, b.sensitive);
        self.constraints(id, None, &a.constraints, &b.constraints, dir);
        if let (Some(ea), Some(eb)) = (error_info(a), error_info(b)) {
            if ea.http_status != eb.http_status {
                self.push(
                    Severity::Breaking,
                    patch("`http_status()` of the error enums returns another value"),
                    "error-status-changed",
                    id,
                    None,
                    "the error's HTTP status changed".into(),
                    opt(ea.http_status),
                    opt(eb.http_status),
                );
            }
            if ea.fault != eb.fault {
                self.push(
                    Severity::Risky,
                    patch("values only: the default status of the error enums"),
                    "error-fault-changed",
                    id,
                    None,
                    "the error's fault (client/server) changed: retry behaviour changes".into(),
                    Some(format!("{:?}", ea.fault)),
                    Some(format!("{:?}", eb.fault)),
                );
            }
        }
        match (&a.kind, &b.kind) {
            (ShapeKind::Structure(sa), ShapeKind::Structure(sb)) => {
                self.members(id, &sa.members, &sb.members, dir, false)
            }
            (ShapeKind::Union(ua), ShapeKind::Union(ub)) => {
                self.members(id, &ua.members, &ub.members, dir, true)
            }
            (ShapeKind::Enum(ea), ShapeKind::Enum(eb)) => {
                self.enum_values(id, &EnumEntry::of_enum(ea), &EnumEntry::of_enum(eb), dir)
            }
            (ShapeKind::IntEnum(ea), ShapeKind::IntEnum(eb)) => self.enum_values(
                id,
                &EnumEntry::of_int_enum(ea),
                &EnumEntry::of_int_enum(eb),
                dir,
            ),
            (ShapeKind::List(la), ShapeKind::List(lb)) => {
                self.collection_member(id, "member", &la.member, &lb.member, dir)
            }
            (ShapeKind::Map(ma), ShapeKind::Map(mb)) => {
                self.collection_member(id, "key", &ma.key, &mb.key, dir);
                self.collection_member(id, "value", &ma.value, &mb.value, dir);
            }
            _ => {}
        }
    }

    fn collection_member(
        &mut self,
        id: &ShapeId,
        name: &str,
        a: &ir::MemberTarget,
        b: &ir::MemberTarget,
        dir: Direction,
    ) {
        if a.target != b.target {
            let (wire, message) = self.retargeted(&a.target, &b.target);
            self.push(
                wire,
                self.retyped(&a.target, &b.target, false, false),
                "member-target-changed",
                id,
                Some(name),
                message.into(),
                Some(a.target.to_string()),
                Some(b.target.to_string()),
            );
        }
        self.timestamp_format(id, Some(name), a.timestamp_format, b.timestamp_format);
        self.constraints(id, Some(name), &a.constraints, &b.constraints, dir);
        if a.docs != b.docs {
            self.push(
                Severity::Documentation,
                docs(),
                "documentation-changed",
                id,
                Some(name),
                "documentation changed".into(),
                None,
                None,
            );
        }
    }

    fn members(
        &mut self,
        id: &ShapeId,
        a: &[ir::Member],
        b: &[ir::Member],
        dir: Direction,
        union: bool,
    ) {
        let ma: BTreeMap<&str, &ir::Member> = a.iter().map(|m| (m.name.as_str(), m)).collect();
        let mb: BTreeMap<&str, &ir::Member> = b.iter().map(|m| (m.name.as_str(), m)).collect();
        for (name, m) in &mb {
            if ma.contains_key(name) {
                continue;
            }
            let (severity, message) = if union {
                if dir.output {
                    (
                        Severity::Risky,
                        "union member added: clients without it see an unknown variant",
                    )
                } else {
                    (Severity::Compatible, "union member added")
                }
            } else if m.required && dir.input {
                (
                    Severity::Breaking,
                    "required member added to an input: existing clients don't send it",
                )
            } else if m.required {
                (Severity::Compatible, "required member added to an output")
            } else {
                (Severity::Compatible, "optional member added")
            };
            let path = rust::path(self.new.shape(id));
            let rust_verdict = if union {
                minor(format!(
                    "`{path}` (`#[non_exhaustive]`) gains the variant `{}`",
                    m.rust_name
                ))
            } else if rust::is_param(m) {
                major(format!(
                    "`{path}::new` takes a new parameter `{}`",
                    m.rust_name
                ))
            } else {
                let ty = rust::member_type(self.new, m);
                let ty = if rust::is_present(m) {
                    ty
                } else {
                    format!("Option<{ty}>")
                };
                minor(format!(
                    "`{path}` (`#[non_exhaustive]`, same `new`) gains the field `{}: {ty}`",
                    m.rust_name
                ))
            };
            self.push(
                severity,
                rust_verdict,
                "member-added",
                id,
                Some(name),
                message.into(),
                None,
                Some(m.target.to_string()),
            );
        }
        for name in ma.keys().filter(|n| !mb.contains_key(*n)) {
            self.push(
                Severity::Breaking,
                self.member_removed(id, ma[name], union),
                "member-removed",
                id,
                Some(name),
                "member removed".into(),
                Some(ma[name].target.to_string()),
                None,
            );
        }
        for (name, old) in &ma {
            let Some(new) = mb.get(name) else { continue };
            self.member(id, old, new, dir);
        }
    }

    fn member(&mut self, id: &ShapeId, a: &ir::Member, b: &ir::Member, dir: Direction) {
        let m = Some(b.name.as_str());
        if a.target != b.target {
            let (wire, message) = self.retargeted(&a.target, &b.target);
            self.push(
                wire,
                self.retyped(&a.target, &b.target, a.boxed, b.boxed),
                "member-target-changed",
                id,
                m,
                message.into(),
                Some(a.target.to_string()),
                Some(b.target.to_string()),
            );
        }
        if a.target == b.target && a.boxed != b.boxed {
            let ty = |m: &ir::Member, model| rust::member_type(model, m);
            self.push(
                Severity::Compatible,
                major(format!(
                    "the field's type changes: `{}` → `{}`",
                    ty(a, self.old),
                    ty(b, self.new)
                )),
                "rust-boxing-changed",
                id,
                m,
                "the member now closes (or no longer closes) a containment cycle: it is boxed (or unboxed)".into(),
                None,
                None,
            );
        }
        self.timestamp_format(id, m, a.timestamp_format, b.timestamp_format);
        if a.json_name != b.json_name {
            self.push(
                Severity::Breaking,
                patch("only the `serde` rename changes"),
                "json-name-changed",
                id,
                m,
                "the member's JSON key changed".into(),
                Some(a.json_name.clone()),
                Some(b.json_name.clone()),
            );
        }
        match (a.required, b.required) {
            (false, true) => {
                let severity = if dir.input {
                    Severity::Breaking
                } else {
                    Severity::Compatible
                };
                self.push(
                    severity,
                    required_added(a, b),
                    "required-added",
                    id,
                    m,
                    "member became required".into(),
                    Some("optional".into()),
                    Some("required".into()),
                );
            }
            (true, false) => {
                let severity = if dir.output {
                    Severity::Breaking
                } else {
                    Severity::Compatible
                };
                self.push(
                    severity,
                    required_removed(a, b),
                    "required-removed",
                    id,
                    m,
                    "member became optional".into(),
                    Some("required".into()),
                    Some("optional".into()),
                );
            }
            _ => {}
        }
        if a.binding != b.binding {
            let (kind, message) = match (&a.binding, &b.binding) {
                (Binding::Query(_), Binding::Query(_)) => (
                    "http-query-name-changed",
                    "the query parameter name changed",
                ),
                (Binding::Label, _) | (_, Binding::Label) => (
                    "http-label-changed",
                    "the member's URI label binding changed",
                ),
                _ => (
                    "http-binding-changed",
                    "where the member travels in the HTTP message changed",
                ),
            };
            self.push(
                Severity::Breaking,
                patch("only the server's request parsing changes"),
                kind,
                id,
                m,
                message.into(),
                Some(binding_name(&a.binding)),
                Some(binding_name(&b.binding)),
            );
        }
        if a.idempotency_token != b.idempotency_token {
            let (severity, kind, message) = if b.idempotency_token {
                (
                    Severity::Compatible,
                    "idempotency-token-added",
                    "now an idempotency token: clients fill it in",
                )
            } else {
                (
                    Severity::Breaking,
                    "idempotency-token-removed",
                    "no longer an idempotency token: retries may duplicate work",
                )
            };
            self.push(
                severity,
                patch("nothing in the generated crate depends on it"),
                kind,
                id,
                m,
                message.into(),
                None,
                None,
            );
        }
        let target_changed =
            self.old_sensitive.contains(&a.target) != self.new_sensitive.contains(&b.target);
        if !target_changed {
            if a.default != b.default {
                let show = |d: &Option<ir::DefaultValue>| d.as_ref().map(|d| format!("{d:?}"));
                let (severity, kind, message) = match (&a.default, &b.default) {
                    (None, Some(_)) => (
                        Severity::Compatible,
                        "default-added",
                        "the member now has a default",
                    ),
                    (Some(_), None) => (
                        Severity::Breaking,
                        "default-removed",
                        "the member lost its default: it may now be absent",
                    ),
                    _ => (
                        Severity::Risky,
                        "default-changed",
                        "the member's default changed: requests that omit it mean something else",
                    ),
                };
                let rust_verdict = default_changed(a, b);
                self.push(
                    severity,
                    rust_verdict,
                    kind,
                    id,
                    m,
                    message.into(),
                    show(&a.default),
                    show(&b.default),
                );
            }
            self.sensitive(id, m, a.sensitive, b.sensitive);
        }
        self.constraints(id, m, &a.constraints, &b.constraints, dir);
        if a.docs != b.docs {
            self.push(
                Severity::Documentation,
                docs(),
                "documentation-changed",
                id,
                m,
                "documentation changed".into(),
                None,
                None,
            );
        }
    }

    /// `timestampFormat` (on the member, else its target): how the value is
    /// written on the wire.
    fn timestamp_format(
        &mut self,
        id: &ShapeId,
        member: Option<&str>,
        a: Option<ir::TimestampFormat>,
        b: Option<ir::TimestampFormat>,
    ) {
        if a != b {
            let show =
                |f: Option<ir::TimestampFormat>| f.map_or("the protocol's default", |f| f.as_str());
            self.push(
                Severity::Breaking,
                patch("only the serde adapter changes (`DateTime` either way)"),
                "timestamp-format-changed",
                id,
                member,
                "the timestamp's wire format changed".into(),
                Some(show(a).to_owned()),
                Some(show(b).to_owned()),
            );
        }
    }

    fn sensitive(&mut self, id: &ShapeId, member: Option<&str>, a: bool, b: bool) {
        match (a, b) {
            (false, true) => self.push(
                Severity::Compatible,
                patch("`Debug` is written by hand instead of derived: still implemented"),
                "sensitive-added",
                id,
                member,
                "now `sensitive`: redacted from logs".into(),
                None,
                None,
            ),
            (true, false) => self.push(
                Severity::Risky,
                patch("`Debug` is derived instead of written by hand: still implemented"),
                "sensitive-removed",
                id,
                member,
                "no longer `sensitive`: values may appear in logs".into(),
                None,
                None,
            ),
            _ => {}
        }
    }

    /// The values of a string or integer enum (`enum` and `intEnum` follow
    /// the same rules).
    fn enum_values(
        &mut self,
        id: &ShapeId,
        a: &[EnumEntry<'_>],
        b: &[EnumEntry<'_>],
        dir: Direction,
    ) {
        let path = rust::path(self.new.shape(id));
        let find = |of: &'_ [EnumEntry<'_>], value: &str| of.iter().position(|e| e.value == value);
        for v in b.iter().filter(|v| find(a, &v.value).is_none()) {
            let severity = if dir.output {
                Severity::Risky
            } else {
                Severity::Compatible
            };
            let message = if dir.output {
                "enum value added: existing clients receive a value they don't know"
            } else {
                "enum value added"
            };
            self.push(
                severity,
                minor(format!(
                    "`{path}` (`#[non_exhaustive]`) gains the variant `{}`; `VALUES` grows",
                    v.rust_name
                )),
                "enum-value-added",
                id,
                Some(v.name),
                message.into(),
                None,
                Some(v.value.clone()),
            );
        }
        for v in a.iter().filter(|v| find(b, &v.value).is_none()) {
            let severity = if dir.input || !dir.output {
                Severity::Breaking
            } else {
                Severity::Risky
            };
            self.push(
                severity,
                major(format!("`{path}` loses the variant `{}`", v.rust_name)),
                "enum-value-removed",
                id,
                Some(v.name),
                "enum value removed".into(),
                Some(v.value.clone()),
                None,
            );
        }
        for v in b {
            let Some(old) = find(a, &v.value).map(|i| &a[i]) else {
                continue;
            };
            if old.name != v.name {
                self.push(
                    Severity::Compatible,
                    renamed_variant(old.rust_name, v.rust_name),
                    "enum-name-changed",
                    id,
                    Some(v.name),
                    "the enum member was renamed; its value, which travels, is the same".into(),
                    Some(old.name.to_owned()),
                    Some(v.name.to_owned()),
                );
            }
            if old.docs != v.docs {
                self.push(
                    Severity::Documentation,
                    docs(),
                    "documentation-changed",
                    id,
                    Some(v.name),
                    "documentation changed".into(),
                    None,
                    None,
                );
            }
        }
    }

    /// `length`, `range` and `pattern`: tightening what an input accepts
    /// breaks clients; loosening what an output promises may break them.
    fn constraints(
        &mut self,
        id: &ShapeId,
        member: Option<&str>,
        a: &Constraints,
        b: &Constraints,
        dir: Direction,
    ) {
        let tightened = if dir.input {
            Severity::Breaking
        } else {
            Severity::Compatible
        };
        let loosened = if dir.output {
            Severity::Risky
        } else {
            Severity::Compatible
        };
        let as_f64 = |l: Option<(Option<u64>, Option<u64>)>| {
            l.map(|(a, b)| (a.map(|v| v as f64), b.map(|v| v as f64)))
        };
        self.bounds(
            id,
            member,
            "length",
            as_f64(a.length),
            as_f64(b.length),
            tightened,
            loosened,
        );
        self.bounds(id, member, "range", a.range, b.range, tightened, loosened);
        let (pa, pb) = (
            a.pattern.as_ref().map(|p| &p.ecma),
            b.pattern.as_ref().map(|p| &p.ecma),
        );
        if pa != pb {
            let (severity, kind, message) = match (pa, pb) {
                (None, Some(_)) => (
                    tightened,
                    "pattern-added",
                    "a pattern now restricts the value",
                ),
                (Some(_), None) => (
                    loosened,
                    "pattern-removed",
                    "the pattern no longer restricts the value",
                ),
                // Whether one regular language contains the other isn't
                // decided here: any change may reject values that passed.
                _ => (
                    if dir.input || dir.output {
                        Severity::Risky
                    } else {
                        Severity::Compatible
                    },
                    "pattern-changed",
                    "the pattern changed",
                ),
            };
            self.push(
                severity,
                patch("only the validators change"),
                kind,
                id,
                member,
                message.into(),
                pa.cloned(),
                pb.cloned(),
            );
        }
        if a.unique_items != b.unique_items {
            let (severity, kind) = if b.unique_items {
                (tightened, "unique-items-added")
            } else {
                (loosened, "unique-items-removed")
            };
            self.push(
                severity,
                patch("only the validators change"),
                kind,
                id,
                member,
                "`uniqueItems` changed".into(),
                Some(a.unique_items.to_string()),
                Some(b.unique_items.to_string()),
            );
        }
    }

    /// A `length` or `range` change (lengths as `f64`, exact below 2^53):
    /// tightened when it accepts less, loosened when it accepts more, moved
    /// when one bound did each (the stricter verdict then).
    #[allow(clippy::too_many_arguments)]
    fn bounds(
        &mut self,
        id: &ShapeId,
        member: Option<&str>,
        what: &'static str,
        a: Option<(Option<f64>, Option<f64>)>,
        b: Option<(Option<f64>, Option<f64>)>,
        tightened: Severity,
        loosened: Severity,
    ) {
        if a == b {
            return;
        }
        let ((min_a, max_a), (min_b, max_b)) =
            (a.unwrap_or((None, None)), b.unwrap_or((None, None)));
        let lo = |v: Option<f64>| v.unwrap_or(f64::NEG_INFINITY);
        let hi = |v: Option<f64>| v.unwrap_or(f64::INFINITY);
        let tighter = lo(min_b) > lo(min_a) || hi(max_b) < hi(max_a);
        let looser = lo(min_b) < lo(min_a) || hi(max_b) > hi(max_a);
        let [tight, loose, moved] = match what {
            "length" => ["length-tightened", "length-loosened", "length-changed"],
            _ => ["range-tightened", "range-loosened", "range-changed"],
        };
        let (severity, kind, how) = match (tighter, looser) {
            (true, false) => (tightened, tight, "was tightened"),
            (false, true) => (loosened, loose, "was loosened"),
            _ => (tightened.min(loosened), moved, "moved"),
        };
        let show = |min: Option<f64>, max: Option<f64>| {
            format!(
                "{}..{}",
                opt(min).unwrap_or_default(),
                opt(max).unwrap_or_default()
            )
        };
        self.push(
            severity,
            patch("only the validators change"),
            kind,
            id,
            member,
            format!("the {what} constraint {how}"),
            Some(show(min_a, max_a)),
            Some(show(min_b, max_b)),
        );
    }
}

/// One value of a string or integer enum.
struct EnumEntry<'a> {
    value: String,
    name: &'a str,
    rust_name: &'a str,
    docs: Option<&'a str>,
}

impl<'a> EnumEntry<'a> {
    fn of_enum(e: &'a ir::Enum) -> Vec<Self> {
        e.values
            .iter()
            .map(|v| EnumEntry {
                value: v.value.clone(),
                name: &v.name,
                rust_name: &v.rust_name,
                docs: v.docs.as_deref(),
            })
            .collect()
    }

    fn of_int_enum(e: &'a ir::IntEnum) -> Vec<Self> {
        e.values
            .iter()
            .map(|v| EnumEntry {
                value: v.value.to_string(),
                name: &v.name,
                rust_name: &v.rust_name,
                docs: v.docs.as_deref(),
            })
            .collect()
    }
}

fn docs() -> Verdict {
    patch("rustdoc only")
}

fn added_type(shape: &Shape) -> Verdict {
    if rust::is_named(shape) {
        minor(format!("new type `{}`", rust::path(shape)))
    } else {
        patch("a simple shape, list or map has no Rust type of its own")
    }
}

fn removed_type(shape: &Shape) -> Verdict {
    if rust::is_named(shape) {
        major(format!("the type `{}` is gone", rust::path(shape)))
    } else {
        patch("a simple shape, list or map has no Rust type of its own")
    }
}

fn required_added(a: &ir::Member, b: &ir::Member) -> Verdict {
    if rust::is_param(b) {
        major(format!(
            "`new` takes a new parameter `{}`, and the field is no longer an `Option`",
            b.rust_name
        ))
    } else if rust::is_present(a) {
        patch("the member has a default: it stays a plain field, not a parameter of `new`")
    } else {
        major("the field is no longer an `Option`")
    }
}

fn required_removed(a: &ir::Member, b: &ir::Member) -> Verdict {
    if rust::is_param(a) {
        major(format!(
            "the field `{}` becomes an `Option` and `new` loses a parameter",
            a.rust_name
        ))
    } else if rust::is_present(b) {
        patch("the member has a default: it stays a plain field, not a parameter of `new`")
    } else {
        major(format!("the field `{}` becomes an `Option`", a.rust_name))
    }
}

fn default_changed(a: &ir::Member, b: &ir::Member) -> Verdict {
    match (&a.default, &b.default) {
        (None, Some(_)) if rust::is_param(a) => major(format!(
            "`new` loses the parameter `{}` (it starts at the default)",
            a.rust_name
        )),
        (None, Some(_)) => major(format!(
            "the field `{}` is a plain value instead of an `Option`",
            a.rust_name
        )),
        (Some(_), None) if rust::is_param(b) => {
            major(format!("`new` takes a new parameter `{}`", b.rust_name))
        }
        (Some(_), None) => major(format!("the field `{}` becomes an `Option`", b.rust_name)),
        _ => patch(format!(
            "`__default_{}()` returns another value",
            b.rust_name.trim_start_matches("r#")
        )),
    }
}

fn renamed_variant(a: &str, b: &str) -> Verdict {
    if a == b {
        patch("the Rust variant keeps its name")
    } else {
        major(format!("the variant `{a}` is renamed `{b}`"))
    }
}

impl Differ<'_> {
    fn operation_added(&self, o: &Operation) -> Verdict {
        match self.server {
            (true, true) => major(format!(
                "`server::{}` gains the required method `{}`, and the exhaustive \
                 `operation::Operation` the variant `{}`",
                rust::service_trait(self.new),
                o.fn_name,
                o.rust_name
            )),
            _ => self.server_modules(),
        }
    }

    fn operation_removed(&self, o: &Operation) -> Verdict {
        match self.server {
            (true, true) => major(format!(
                "`server::{}` loses the method `{}`, `operation::Operation` the variant `{}`, \
                 and `{}` is gone",
                rust::service_trait(self.old),
                o.fn_name,
                o.rust_name,
                rust::error_enum(o)
            )),
            _ => self.server_modules(),
        }
    }

    /// The `operation` and `server` modules, which exist only when every
    /// operation of a restJson1 service has a route.
    fn server_modules(&self) -> Verdict {
        match self.server {
            (true, true) => {
                patch("routes are values of `operation::Operation`; no signature changes")
            }
            (false, true) => minor("the `operation` and `server` modules are new"),
            (true, false) => major(
                "the `operation` and `server` modules are no longer generated \
                 (not every operation has a route)",
            ),
            (false, false) => {
                patch("no server bindings in either crate; shapes are reported on their own")
            }
        }
    }

    fn signature_changed(&self, o: &Operation, what: &str) -> Verdict {
        match self.server {
            (true, true) => major(format!(
                "the {what} type of `server::{}::{}` changes",
                rust::service_trait(self.new),
                o.fn_name
            )),
            _ => self.server_modules(),
        }
    }

    /// Errors added to these (old) operations: each one's error enum gains
    /// a variant.
    fn error_added(&self, ops: &[&Operation]) -> Verdict {
        if self.server != (true, true) {
            return self.server_modules();
        }
        let empty: Vec<String> = ops
            .iter()
            .filter(|o| o.errors.is_empty())
            .map(|o| format!("`{}`", rust::error_enum(o)))
            .collect();
        if empty.is_empty() {
            minor("the `#[non_exhaustive]` error enum gains a variant and a `From` impl")
        } else {
            major(format!(
                "{} had no variants and was exhaustive: it gains a variant and becomes \
                 `#[non_exhaustive]`",
                empty.join(", ")
            ))
        }
    }

    fn error_removed(&self, variant: &str, enums: &str) -> Verdict {
        if self.server.0 {
            major(format!("{enums} loses the variant `{variant}`"))
        } else {
            patch("no error enums in the old crate")
        }
    }

    fn type_changed(&self, id: &ShapeId) -> Verdict {
        let (sa, sb) = (self.old.shape(id), self.new.shape(id));
        if rust::is_named(sa) && rust::is_named(sb) {
            return major(format!(
                "`{}` changes from {} to {}",
                rust::path(sb),
                rust::item_kind(sa),
                rust::item_kind(sb)
            ));
        }
        let (a, b) = (rust::type_of(self.old, id), rust::type_of(self.new, id));
        if a == b {
            patch(format!("the Rust type stays `{a}`"))
        } else {
            major(format!("the Rust type changes: `{a}` → `{b}`"))
        }
    }

    /// A member's or a list's or map's element's target changed.
    fn retyped(&self, a: &ShapeId, b: &ShapeId, boxed_a: bool, boxed_b: bool) -> Verdict {
        let boxed = |t: String, boxed: bool| if boxed { format!("Box<{t}>") } else { t };
        let (ta, tb) = (
            boxed(rust::type_of(self.old, a), boxed_a),
            boxed(rust::type_of(self.new, b), boxed_b),
        );
        if ta == tb {
            patch(format!("the Rust type stays `{ta}`"))
        } else {
            major(format!("the Rust type changes: `{ta}` → `{tb}`"))
        }
    }

    /// A member's (or element's) target changed: compatible on the wire
    /// when the new target travels exactly like the old one.
    fn retargeted(&self, a: &ShapeId, b: &ShapeId) -> (Severity, &'static str) {
        if wire_form::same(self.old, a, self.new, b) {
            (
                Severity::Compatible,
                "the member's target changed to a shape with the same wire form",
            )
        } else {
            (Severity::Breaking, "the member's type changed")
        }
    }

    fn member_removed(&self, id: &ShapeId, m: &ir::Member, union: bool) -> Verdict {
        let what = if union { "variant" } else { "field" };
        major(format!(
            "`{}` loses the {what} `{}`",
            rust::path(self.old.shape(id)),
            m.rust_name
        ))
    }

    /// Changes that only the Rust API sees, for a named type in both
    /// crates: its module, its `Eq` derive, and whether it is validated.
    fn rust_only(&mut self, a: &Shape, b: &Shape) {
        if !rust::is_named(a) || !rust::is_named(b) {
            return;
        }
        let id = &b.id;
        if a.category != b.category {
            self.push(
                Severity::Compatible,
                major(format!(
                    "`{}` moves to `{}`",
                    rust::path(a),
                    rust::path(b)
                )),
                "rust-module-changed",
                id,
                None,
                "the generated type moves to another module (its `input`, `output` or `error` trait changed)".into(),
                Some(a.category.module().into()),
                Some(b.category.module().into()),
            );
        }
        match (rust::is_eq(self.old, id), rust::is_eq(self.new, id)) {
            (true, false) => self.push(
                Severity::Compatible,
                major(format!("`{}` no longer derives `Eq`", rust::path(b))),
                "rust-eq-removed",
                id,
                None,
                "a float or document is now inside: the generated type loses `Eq`".into(),
                None,
                None,
            ),
            (false, true) => self.push(
                Severity::Compatible,
                minor(format!("`{}` now derives `Eq`", rust::path(b))),
                "rust-eq-added",
                id,
                None,
                "no float or document is inside any more: the generated type derives `Eq`".into(),
                None,
                None,
            ),
            _ => {}
        }
        let (va, vb) = (self.validated.0.contains(id), self.validated.1.contains(id));
        match (va, vb) {
            (false, true) => self.push(
                Severity::Compatible,
                minor(format!(
                    "`{}` gains `impl Validate` and the mirror `unvalidated::{}`",
                    rust::path(b),
                    b.rust_name
                )),
                "rust-validation-added",
                id,
                None,
                "now reachable from an input: validated".into(),
                None,
                None,
            ),
            (true, false) => self.push(
                Severity::Compatible,
                major(format!(
                    "`{}` loses `impl Validate` and the mirror `unvalidated::{}`",
                    rust::path(b),
                    a.rust_name
                )),
                "rust-validation-removed",
                id,
                None,
                "no longer reachable from an input: not validated any more".into(),
                None,
                None,
            ),
            _ => {}
        }
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
