//! Shapes and their members: added, removed, retyped, retargeted,
//! required, defaults, bindings, timestamp formats, `sensitive`, and the
//! changes only the Rust API sees.

use super::constraints::EnumEntry;
use super::rust::{self, major, minor, patch};
use super::verdicts::{
    added_type, client_optional_changed, default_changed, docs, removed_type, required_added,
    required_removed,
};
use super::{
    Differ, Direction, Severity, binding_name, direction, error_info, kind_name, opt, simple_kind,
};
use crate::ir::{self, Binding, Model, Shape, ShapeId, ShapeKind};
use std::collections::BTreeMap;

impl Differ<'_> {
    pub(super) fn shapes(&mut self, old: &Model, new: &Model) {
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
            } else if m.is_param() {
                major(format!(
                    "`{path}::new` takes a new parameter `{}`",
                    m.rust_name
                ))
            } else {
                let ty = rust::member_type(self.new, m);
                let ty = if m.is_present() {
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
        if self.same_protocol && a.json_name != b.json_name {
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
        if self.same_protocol && a.binding != b.binding {
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
            if a.default.is_some() && b.default.is_some() && a.is_present() != b.is_present() {
                let message = if b.client_optional {
                    "clients may now leave the member unset (clientOptional, or the structure's input trait); the service still takes the default"
                } else {
                    "clients can no longer leave the member unset (clientOptional, or the structure's input trait, removed)"
                };
                self.push(
                    Severity::Compatible,
                    client_optional_changed(a, b),
                    "member-client-optional-changed",
                    id,
                    m,
                    message.into(),
                    Some(a.client_optional.to_string()),
                    Some(b.client_optional.to_string()),
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
