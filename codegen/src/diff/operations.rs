//! The service and its operations: renames, protocol and auth, routes,
//! inputs, outputs and errors.

use super::rust::{self, major, patch};
use super::verdicts::docs;
use super::{Differ, Severity};
use crate::ir::{Model, Operation, ShapeId};
use std::collections::{BTreeMap, BTreeSet};

impl Differ<'_> {
    pub(super) fn service(&mut self, old: &Model, new: &Model) {
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
        if a.protocol != b.protocol {
            let name = |p: Option<crate::ir::Protocol>| {
                p.map_or("none the generator serves", |p| p.trait_id())
                    .to_owned()
            };
            self.push(
                Severity::Breaking,
                major("the types, the service trait and the client's methods stay, but the server module's `route` and `deserialize_*` functions take other arguments"),
                "service-protocol-changed",
                &b.id,
                None,
                "the service speaks another protocol: every request and response changes on the wire".into(),
                Some(name(a.protocol)),
                Some(name(b.protocol)),
            );
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

    pub(super) fn operations(&mut self, old: &Model, new: &Model) {
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
            // Another protocol: reported once, for the service.
            _ if !self.same_protocol => {}
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
        // The client's paginator methods (feature `client`), when the
        // crates have clients.
        let api = |m: &Model, o: &Operation, has: bool| {
            if has {
                crate::emit::paginator_api(m, o)
            } else {
                None
            }
        };
        let (api_a, api_b) = (
            api(self.old, a, self.server.0),
            api(self.new, b, self.server.1),
        );
        let rust_verdict = || match (&api_a, &api_b) {
            (None, None) => patch("no paginator in the client, before or after"),
            (x, y) if x == y => patch("the client's paginator methods do not change"),
            (None, Some(y)) => super::rust::minor(format!("the client gains `{y}")),
            (Some(x), None) => major(format!("the client loses `{x}")),
            (Some(x), Some(y)) => major(format!("the client's `{x} becomes `{y}")),
        };
        match (&a.paginated, &b.paginated) {
            (None, Some(_)) => self.push(
                Severity::Compatible,
                rust_verdict(),
                "paginated-added",
                id,
                None,
                "now paginated".into(),
                None,
                None,
            ),
            (Some(_), None) => self.push(
                Severity::Breaking,
                rust_verdict(),
                "paginated-removed",
                id,
                None,
                "no longer paginated: paginators built on it break".into(),
                None,
                None,
            ),
            (Some(pa), Some(pb)) if pa != pb => self.push(
                Severity::Breaking,
                rust_verdict(),
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
}
