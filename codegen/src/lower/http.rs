//! Operations and their HTTP bindings: the `http` trait, labels, query
//! parameters, and routes that could match the same request.

use super::{Loc, Lower, doc, has};
use crate::ast;
use crate::ir::{self, ShapeId};
use crate::naming;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

impl Lower<'_> {
    /// Where a member travels, from its HTTP binding traits; a member with
    /// none is in the body.
    pub(super) fn binding(&mut self, loc: Loc<'_>, t: Option<&ast::Traits>) -> ir::Binding {
        let mut found: Vec<(&str, ir::Binding)> = Vec::new();
        let non_empty = |cx: &mut Self, id: &str| -> Option<String> {
            match t.and_then(|t| t.get(id)).map(Value::as_str) {
                None => None,
                Some(Some(v)) if !v.is_empty() || id == "smithy.api#httpPrefixHeaders" => {
                    Some(v.to_owned())
                }
                Some(_) => {
                    let name = id.trim_start_matches("smithy.api#");
                    cx.trait_error(loc, id, format!("{name} must be a non-empty string"));
                    None
                }
            }
        };
        if has(t, "smithy.api#httpLabel") {
            found.push(("httpLabel", ir::Binding::Label));
        }
        if let Some(q) = non_empty(self, "smithy.api#httpQuery") {
            found.push(("httpQuery", ir::Binding::Query(q)));
        }
        if has(t, "smithy.api#httpQueryParams") {
            found.push(("httpQueryParams", ir::Binding::QueryParams));
        }
        if let Some(h) = non_empty(self, "smithy.api#httpHeader") {
            found.push(("httpHeader", ir::Binding::Header(h)));
        }
        if let Some(p) = non_empty(self, "smithy.api#httpPrefixHeaders") {
            found.push(("httpPrefixHeaders", ir::Binding::PrefixHeaders(p)));
        }
        if has(t, "smithy.api#httpPayload") {
            found.push(("httpPayload", ir::Binding::Payload));
        }
        if has(t, "smithy.api#httpResponseCode") {
            found.push(("httpResponseCode", ir::Binding::ResponseCode));
        }
        if found.len() > 1 {
            let names: Vec<&str> = found.iter().map(|(n, _)| *n).collect();
            self.error(
                loc,
                format!(
                    "a member can have only one HTTP binding trait, not {}",
                    names.join(" and ")
                ),
            );
        }
        found.pop().map_or(ir::Binding::Body, |(_, b)| b)
    }

    pub(super) fn operation(
        &mut self,
        id: &str,
        o: &ast::Operation,
        shapes: &BTreeMap<ShapeId, ir::Shape>,
        service_errors: &[ShapeId],
    ) -> Option<ir::Operation> {
        let sid = ShapeId::parse(id)?;
        let loc = Loc::shape(id);
        let t = o.traits.as_ref();
        let io = |cx: &mut Self, r: &Option<ast::Reference>, what: &str| -> Option<ShapeId> {
            let r = r.as_ref()?;
            let target = cx.resolve(loc, what, &r.target)?;
            if r.target == "smithy.api#Unit" {
                return None;
            }
            match shapes.get(&target).map(|s| &s.kind) {
                Some(ir::ShapeKind::Structure(_)) => Some(target),
                _ => {
                    cx.error(loc, format!("{what} `{target}` must be a structure"));
                    None
                }
            }
        };
        let input = io(self, &o.input, "input");
        let output = io(self, &o.output, "output");
        let mut errors: Vec<ShapeId> = Vec::new();
        for e in o.errors.iter().flatten() {
            if let Some(e) = self.error_ref(loc, &e.target) {
                errors.push(e);
            }
        }
        errors.extend(service_errors.iter().cloned());
        errors.sort();
        errors.dedup();
        let http = t
            .and_then(|t| t.get("smithy.api#http"))
            .and_then(|v| self.http(loc, v));
        let paginated = t.and_then(|t| t.get("smithy.api#paginated")).map(|v| {
            let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
            ir::Paginated {
                input_token: s("inputToken"),
                output_token: s("outputToken"),
                items: s("items"),
                page_size: s("pageSize"),
            }
        });
        let host_prefix = t
            .and_then(|t| t.get("smithy.api#endpoint"))
            .and_then(|e| e.get("hostPrefix"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let request_compression = t
            .and_then(|t| t.get("smithy.api#requestCompression"))
            .and_then(|r| r.get("encodings"))
            .and_then(Value::as_array)
            .map(|e| {
                e.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let event_stream = [&input, &output].into_iter().flatten().any(|io| {
            matches!(shapes.get(io).map(|s| &s.kind), Some(ir::ShapeKind::Structure(st))
                if st.members.iter().any(|m| shapes.get(&m.target).is_some_and(|t| t.streaming && matches!(t.kind, ir::ShapeKind::Union(_)))))
        });
        let auth = if has(t, "smithy.api#optionalAuth") {
            ir::OperationAuth::Optional
        } else {
            match t
                .and_then(|t| t.get("smithy.api#auth"))
                .and_then(Value::as_array)
            {
                Some(schemes) if !schemes.iter().any(|s| s.as_str() == Some("aws.auth#sigv4")) => {
                    ir::OperationAuth::None
                }
                _ => ir::OperationAuth::Service,
            }
        };
        Some(ir::Operation {
            auth,
            host_prefix,
            checksum_required: has(t, "smithy.api#httpChecksumRequired"),
            request_compression,
            event_stream,
            compliance_tests: compliance_tests(t),
            endpoint_params: Default::default(),
            rust_name: naming::type_name(&sid.name),
            fn_name: naming::fn_name(&sid.name),
            docs: doc(t),
            input,
            output,
            errors,
            http,
            readonly: has(t, "smithy.api#readonly"),
            idempotent: has(t, "smithy.api#idempotent"),
            paginated,
            id: sid,
        })
    }

    pub(super) fn http(&mut self, loc: Loc<'_>, v: &Value) -> Option<ir::HttpRoute> {
        const T: &str = "smithy.api#http";
        let method = v.get("method").and_then(Value::as_str);
        let uri = v.get("uri").and_then(Value::as_str);
        let code = match v.get("code") {
            None => Some(200),
            Some(c) => c
                .as_u64()
                .filter(|c| (100..=599).contains(c))
                .map(|c| c as u16),
        };
        let (Some(method), Some(uri), Some(code)) = (method, uri, code) else {
            self.trait_error(loc, T, "the http trait needs a string `method`, a string `uri` and an optional status `code`");
            return None;
        };
        if method.is_empty() || !method.chars().all(|c| c.is_ascii_uppercase()) {
            self.trait_error(
                loc,
                T,
                format!("http method `{method}` must be an upper-case token"),
            );
        }
        let Some(path) = uri.strip_prefix('/') else {
            self.trait_error(loc, T, format!("http uri `{uri}` must start with `/`"));
            return None;
        };
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        // One trailing slash is part of the pattern (`/sessions/`): Smithy
        // forbids empty segments inside a pattern (`//`), not a slash at
        // its end. The route keeps it, so that a request writer sends it.
        let (path, trailing_slash) = match path.strip_suffix('/') {
            Some(p) if !p.is_empty() => (p, true),
            _ => (path, false),
        };
        let mut segments = Vec::new();
        let mut labels = BTreeSet::new();
        let raw_segments: Vec<&str> = if path.is_empty() {
            vec![]
        } else {
            path.split('/').collect()
        };
        for seg in raw_segments {
            if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                let (name, greedy) = match inner.strip_suffix('+') {
                    Some(n) => (n, true),
                    None => (inner, false),
                };
                if ShapeId::parse(&format!("x#{name}")).is_none() {
                    self.trait_error(
                        loc,
                        T,
                        format!("label `{{{inner}}}` in `{uri}` is not a valid member name"),
                    );
                } else if !labels.insert(name.to_owned()) {
                    self.trait_error(loc, T, format!("label `{name}` appears twice in `{uri}`"));
                }
                if greedy
                    && segments
                        .iter()
                        .any(|s| matches!(s, ir::Segment::Label { greedy: true, .. }))
                {
                    self.trait_error(loc, T, format!("`{uri}` has more than one greedy label"));
                }
                segments.push(ir::Segment::Label {
                    name: name.to_owned(),
                    greedy,
                });
            } else if seg.contains(['{', '}']) {
                self.trait_error(
                    loc,
                    T,
                    format!("segment `{seg}` of `{uri}` mixes a label with literal text"),
                );
            } else if seg.is_empty() {
                self.trait_error(loc, T, format!("`{uri}` has an empty path segment"));
            } else {
                segments.push(ir::Segment::Literal(seg.to_owned()));
            }
        }
        if labels.len() > 8 {
            self.trait_error(
                loc,
                T,
                format!(
                    "`{uri}` has {} labels; the router supports at most 8",
                    labels.len()
                ),
            );
        }
        let mut lits = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            if pair.contains(['{', '}']) {
                self.trait_error(
                    loc,
                    T,
                    format!("query `{pair}` of `{uri}` cannot contain a label"),
                );
            }
            let (k, v) = match pair.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (pair.to_owned(), None),
            };
            lits.push((k, v));
        }
        Some(ir::HttpRoute {
            method: method.to_owned(),
            uri: uri.to_owned(),
            segments,
            trailing_slash,
            query: lits,
            code,
        })
    }

    /// Labels and query bindings of each operation against its input.
    pub(super) fn check_operation_bindings(
        &mut self,
        ops: &[ir::Operation],
        shapes: &mut BTreeMap<ShapeId, ir::Shape>,
    ) {
        for op in ops {
            let op_id = op.id.to_string();
            let loc = Loc::shape(&op_id);
            let labels: Vec<&str> = op
                .http
                .iter()
                .flat_map(|h| &h.segments)
                .filter_map(|s| match s {
                    ir::Segment::Label { name, .. } => Some(name.as_str()),
                    ir::Segment::Literal(_) => None,
                })
                .collect();
            let members: &[ir::Member] = match op.input.as_ref().map(|i| &shapes[i].kind) {
                Some(ir::ShapeKind::Structure(s)) => &s.members,
                _ => &[],
            };
            for label in &labels {
                if !members
                    .iter()
                    .any(|m| m.name == *label && m.binding == ir::Binding::Label)
                {
                    let input = op
                        .input
                        .as_ref()
                        .map_or("smithy.api#Unit".to_owned(), ToString::to_string);
                    self.trait_error(
                        loc,
                        "smithy.api#http",
                        format!(
                            "label `{{{label}}}` has no member with `httpLabel` in input `{input}`"
                        ),
                    );
                }
            }
            let Some(input) = &op.input else { continue };
            let input_id = input.to_string();
            let mut query_names: HashMap<&str, &str> = HashMap::new();
            for m in members {
                let mloc = Loc::member(&input_id, &m.name);
                // URI bindings mean something only for an operation with an
                // `http` trait; protocols without HTTP bindings (awsJson,
                // say) ignore them, and so does Smithy.
                if op.http.is_none() {
                    continue;
                }
                match &m.binding {
                    ir::Binding::Label => {
                        if !labels.contains(&m.name.as_str()) {
                            let uri = op.http.as_ref().map_or("", |h| h.uri.as_str());
                            self.trait_error(mloc, "smithy.api#httpLabel", format!("member has `httpLabel` but the uri `{uri}` of `{op_id}` has no label `{{{}}}`", m.name));
                        }
                        if !m.required {
                            self.trait_error(
                                mloc,
                                "smithy.api#httpLabel",
                                "an `httpLabel` member must be marked `required`",
                            );
                        }
                        if !self.is_scalar(shapes, &m.target) {
                            self.trait_error(mloc, "smithy.api#httpLabel", format!("an `httpLabel` member must target a string, number, boolean or timestamp, not `{}`", m.target));
                        }
                    }
                    ir::Binding::Query(q) => {
                        if let Some(other) = query_names.insert(q, &m.name) {
                            self.trait_error(
                                mloc,
                                "smithy.api#httpQuery",
                                format!("query parameter `{q}` is also bound to member `{other}`"),
                            );
                        }
                        if op
                            .http
                            .as_ref()
                            .is_some_and(|h| h.query.iter().any(|(k, _)| k == q))
                        {
                            self.trait_error(mloc, "smithy.api#httpQuery", format!("query parameter `{q}` is also a literal in the uri of `{op_id}`"));
                        }
                        let ok = self.is_scalar(shapes, &m.target)
                            || matches!(shapes.get(&m.target).map(|s| &s.kind), Some(ir::ShapeKind::List(l)) if self.is_scalar(shapes, &l.member.target));
                        if !ok {
                            self.trait_error(mloc, "smithy.api#httpQuery", format!("an `httpQuery` member must target a scalar or a list of scalars, not `{}`", m.target));
                        }
                    }
                    ir::Binding::QueryParams => {
                        let ok = matches!(shapes.get(&m.target).map(|s| &s.kind), Some(ir::ShapeKind::Map(map))
                            if self.is_string(shapes, &map.value.target)
                                || matches!(shapes.get(&map.value.target).map(|s| &s.kind), Some(ir::ShapeKind::List(l)) if self.is_string(shapes, &l.member.target)));
                        if !ok {
                            self.trait_error(mloc, "smithy.api#httpQueryParams", format!("an `httpQueryParams` member must target a map of strings or of lists of strings, not `{}`", m.target));
                        }
                    }
                    _ => {}
                }
            }
        }
        // Where each binding means something: URI bindings on inputs,
        // the status code on outputs, headers and payloads on inputs,
        // outputs and errors. Elsewhere they are ignored, as Smithy says,
        // except that they must still be well formed.
        let inputs: BTreeSet<&ShapeId> = ops.iter().filter_map(|o| o.input.as_ref()).collect();
        let outputs: BTreeSet<&ShapeId> = ops.iter().filter_map(|o| o.output.as_ref()).collect();
        let ids: Vec<ShapeId> = shapes.keys().cloned().collect();
        for sid in ids {
            let s = &shapes[&sid];
            let ir::ShapeKind::Structure(st) = &s.kind else {
                continue;
            };
            let id = s.id.to_string();
            let is_input = inputs.contains(&s.id);
            let is_output = outputs.contains(&s.id);
            let is_error = st.error.is_some();
            let mut payloads = Vec::new();
            let mut body = Vec::new();
            let mut headers: HashMap<String, &str> = HashMap::new();
            let mut problems = Vec::new();
            for m in &st.members {
                let applies = match &m.binding {
                    ir::Binding::Label | ir::Binding::Query(_) | ir::Binding::QueryParams => {
                        is_input
                    }
                    ir::Binding::ResponseCode => is_output,
                    ir::Binding::Header(_)
                    | ir::Binding::PrefixHeaders(_)
                    | ir::Binding::Payload => is_input || is_output || is_error,
                    ir::Binding::Body => true,
                };
                if !applies {
                    continue;
                }
                let target = shapes.get(&m.target);
                let kind = target.map(|t| &t.kind);
                match &m.binding {
                    ir::Binding::Payload => {
                        payloads.push(m.name.as_str());
                        let ok = matches!(
                            kind,
                            Some(
                                ir::ShapeKind::Structure(_)
                                    | ir::ShapeKind::Union(_)
                                    | ir::ShapeKind::Enum(_)
                            ) | Some(ir::ShapeKind::Simple(
                                ir::Simple::Blob | ir::Simple::String | ir::Simple::Document
                            ))
                        );
                        if !ok {
                            problems.push((m.name.clone(), "smithy.api#httpPayload", format!("an `httpPayload` member must target a structure, union, document, blob, string or enum, not `{}`", m.target)));
                        }
                    }
                    ir::Binding::Body => body.push(m.name.as_str()),
                    ir::Binding::Header(h) => {
                        if let Some(other) = headers.insert(h.to_ascii_lowercase(), &m.name) {
                            problems.push((
                                m.name.clone(),
                                "smithy.api#httpHeader",
                                format!("header `{h}` is also bound to member `{other}`"),
                            ));
                        }
                        let scalar = |t: &ShapeId| {
                            self.is_scalar(shapes, t)
                                || matches!(
                                    shapes.get(t).map(|s| &s.kind),
                                    Some(
                                        ir::ShapeKind::IntEnum(_)
                                            | ir::ShapeKind::Simple(ir::Simple::Blob)
                                    )
                                )
                        };
                        let ok = scalar(&m.target)
                            || matches!(kind, Some(ir::ShapeKind::List(l)) if scalar(&l.member.target));
                        if !ok {
                            problems.push((m.name.clone(), "smithy.api#httpHeader", format!("an `httpHeader` member must target a scalar, blob or list of them, not `{}`", m.target)));
                        }
                    }
                    ir::Binding::PrefixHeaders(_) => {
                        let ok = matches!(kind, Some(ir::ShapeKind::Map(map)) if self.is_string(shapes, &map.value.target));
                        if !ok {
                            problems.push((m.name.clone(), "smithy.api#httpPrefixHeaders", format!("an `httpPrefixHeaders` member must target a map of strings, not `{}`", m.target)));
                        }
                    }
                    ir::Binding::ResponseCode => {
                        let ok = matches!(kind, Some(ir::ShapeKind::Simple(ir::Simple::Integer)));
                        if !ok {
                            problems.push((
                                m.name.clone(),
                                "smithy.api#httpResponseCode",
                                format!(
                                    "an `httpResponseCode` member must target an integer, not `{}`",
                                    m.target
                                ),
                            ));
                        }
                    }
                    _ => {}
                }
            }
            if payloads.len() > 1 {
                problems.push((
                    payloads[1].to_owned(),
                    "smithy.api#httpPayload",
                    format!(
                        "only one member can be the payload; `{}` already is",
                        payloads[0]
                    ),
                ));
            }
            if let (Some(p), Some(b)) = (payloads.first(), body.first()) {
                problems.push(((*b).to_owned(), "smithy.api#httpPayload", format!("member `{b}` would be in the body, but `{p}` is the whole body (`httpPayload`)")));
            }
            for (member, trait_id, message) in problems {
                self.trait_error(Loc::member(&id, &member), trait_id, message);
            }
        }
    }

    pub(super) fn is_string(&self, shapes: &BTreeMap<ShapeId, ir::Shape>, id: &ShapeId) -> bool {
        matches!(
            shapes.get(id).map(|s| &s.kind),
            Some(ir::ShapeKind::Simple(ir::Simple::String) | ir::ShapeKind::Enum(_))
        )
    }

    pub(super) fn is_scalar(&self, shapes: &BTreeMap<ShapeId, ir::Shape>, id: &ShapeId) -> bool {
        matches!(
            shapes.get(id).map(|s| &s.kind),
            Some(ir::ShapeKind::Enum(_) | ir::ShapeKind::IntEnum(_))
                | Some(ir::ShapeKind::Simple(
                    ir::Simple::String
                        | ir::Simple::Boolean
                        | ir::Simple::Byte
                        | ir::Simple::Short
                        | ir::Simple::Integer
                        | ir::Simple::Long
                        | ir::Simple::Float
                        | ir::Simple::Double
                        | ir::Simple::Timestamp
                ))
        )
    }

    /// Two operations whose routes can match the same request.
    pub(super) fn check_route_conflicts(&mut self, ops: &[ir::Operation]) {
        let routed: Vec<(&ir::Operation, &ir::HttpRoute)> = ops
            .iter()
            .filter_map(|o| o.http.as_ref().map(|h| (o, h)))
            .collect();
        for (i, (a, ha)) in routed.iter().enumerate() {
            for (b, hb) in &routed[i + 1..] {
                if ha.method == hb.method && routes_conflict(ha, hb) {
                    let a_id = a.id.to_string();
                    self.trait_error(
                        Loc::shape(&a_id),
                        "smithy.api#http",
                        format!(
                            "route `{} {}` conflicts with route `{} {}` of `{}`",
                            ha.method, ha.uri, hb.method, hb.uri, b.id
                        ),
                    );
                }
            }
        }
    }
}

/// Whether two routes with the same method conflict, as Smithy defines it:
/// their patterns are equivalent, so that no rule can prefer one. Segment by
/// segment, both are the same literal, or both labels of the same kind
/// (greedy or not); the same number of segments; the same query literals.
///
/// Routes that only overlap are not conflicts (`/flows/{Arn}/streams` and
/// `/flows/start/{Arn}` both match `/flows/start/streams`; `/p/{Arn+}` and
/// `/p/{Arn+}/settings` both match `/p/a/settings`): the router sends such a
/// request to the more specific route (`smithy_rt::server::Route::outranks`).
fn routes_conflict(a: &ir::HttpRoute, b: &ir::HttpRoute) -> bool {
    let equivalent = |x: &ir::Segment, y: &ir::Segment| match (x, y) {
        (ir::Segment::Literal(x), ir::Segment::Literal(y)) => x == y,
        (ir::Segment::Label { greedy: gx, .. }, ir::Segment::Label { greedy: gy, .. }) => gx == gy,
        _ => false,
    };
    if a.segments.len() != b.segments.len()
        || !a
            .segments
            .iter()
            .zip(&b.segments)
            .all(|(x, y)| equivalent(x, y))
    {
        return false;
    }
    // A route with query literals the other lacks is more specific, and the
    // router prefers it; only identical literal sets are ambiguous.
    let a_set: BTreeSet<_> = a.query.iter().collect();
    let b_set: BTreeSet<_> = b.query.iter().collect();
    a_set == b_set
}

/// The cases of one `smithy.test` trait (a list), or none.
pub(super) fn test_cases(t: Option<&ast::Traits>, name: &str) -> Vec<Value> {
    t.and_then(|t| t.get(name))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn compliance_tests(t: Option<&ast::Traits>) -> ir::ComplianceTests {
    ir::ComplianceTests {
        request: test_cases(t, "smithy.test#httpRequestTests"),
        response: test_cases(t, "smithy.test#httpResponseTests"),
        malformed: test_cases(t, "smithy.test#httpMalformedRequestTests"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source_map::SourceMap;

    pub(super) fn route(method: &str, uri: &str) -> ir::HttpRoute {
        lower_route(method, uri).0.unwrap()
    }

    /// The route of an `http` trait, and the diagnostics it gave.
    fn lower_route(method: &str, uri: &str) -> (Option<ir::HttpRoute>, Vec<crate::Diagnostic>) {
        let cx_map = SourceMap::default();
        let model = ast::Model {
            smithy: "2.0".into(),
            metadata: None,
            shapes: BTreeMap::new(),
        };
        let broken = BTreeSet::new();
        let mut cx = Lower {
            map: &cx_map,
            model: &model,
            broken: &broken,
            diags: vec![],
        };
        let v = serde_json::json!({"method": method, "uri": uri});
        let route = cx.http(Loc::shape("a#A"), &v);
        (route, cx.diags)
    }

    #[test]
    pub(super) fn route_conflicts() {
        let c = |a: &str, b: &str| routes_conflict(&route("GET", a), &route("GET", b));
        assert!(c("/a/{x}", "/a/{y}"));
        assert!(c("/a/{x+}", "/a/{y+}"));
        assert!(c("/a/{x+}/b", "/a/{y+}/b"));
        assert!(!c("/a/{x}", "/b/{y}"));
        assert!(!c("/a/{x}", "/a/{x}/b"));
        // Overlapping, not equivalent: the more specific route wins.
        assert!(!c("/a/{x+}", "/a/b/c"));
        assert!(!c("/a/{x}", "/a/b"));
        assert!(!c("/a/{x+}", "/a/{x}"));
        assert!(!c("/v1/flows/{Arn}/mediaStreams", "/v1/flows/start/{Arn}"));
        assert!(!c("/portals/{Arn+}/browserSettings", "/portals/{Arn+}"));
        assert!(!c("/a?x=1", "/a?x=2"));
        assert!(c("/a?x=1", "/a?x=1"));
        assert!(c("/a", "/a"));
        // A trailing slash does not make a different pattern.
        assert!(c("/a/", "/a"));
        assert!(c("/a/{x}/", "/a/{y}"));
    }

    #[test]
    fn a_trailing_slash_is_kept_and_an_empty_segment_refused() {
        let r = route("GET", "/sessions/");
        assert!(r.trailing_slash);
        assert_eq!(r.segments, vec![ir::Segment::Literal("sessions".into())]);
        let r = route("GET", "/agents/{agentId}/?x=1");
        assert!(r.trailing_slash);
        assert_eq!(r.segments.len(), 2);
        assert_eq!(r.query, vec![("x".to_owned(), Some("1".to_owned()))]);
        let r = route("GET", "/");
        assert!(!r.trailing_slash && r.segments.is_empty());
        assert!(!route("GET", "/a").trailing_slash);
        for bad in ["/a//b", "//", "/a//"] {
            let (_, diags) = lower_route("GET", bad);
            assert!(
                diags
                    .iter()
                    .any(|d| d.message.contains("empty path segment")),
                "{bad}: {:?}",
                diags
            );
        }
    }
}
